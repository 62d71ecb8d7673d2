"""SesSendingSetup: the whole pre-flight checklist in one construct, with the app's defaults: configuration set,
feedback pipeline, account suppression, contact list, reputation guard and one or more domains."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import CfnOutput, Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from constructs import Construct

from ses_stack.account.contact_list import SesContactList
from ses_stack.account.suppression import SesAccountSuppression
from ses_stack.config import (
    AccountSuppressionConfig,
    ConfigurationSetConfig,
    ContactListConfig,
    DomainConfig,
    FeedbackConfig,
    OperationsConfig,
    ReputationConfig,
    TenantConfig,
    VdmConfig,
)
from ses_stack.feedback.pipeline import SesFeedbackPipeline
from ses_stack.identity.domain import SesDomain
from ses_stack.reputation.guard import SesReputationGuard
from ses_stack.reputation.settings import RateThresholds
from ses_stack.sending.configuration_set import SesConfigurationSet
from ses_stack.sending.global_endpoint import SesGlobalEndpoint
from ses_stack.sending.tenant import SesTenant
from ses_stack.settings.provider import apply_removal_policies
from ses_stack.setup.settings import (
    ACCOUNT_REASONS,
    AUTO_VALIDATION,
    EVENT,
    HTTPS_POLICY,
    RETENTION,
    domain_settings,
    vdm_options,
)
from ses_stack.setup.wiring import add_domains, add_tenants, check_tenants, grant_send_as


class SesSendingSetup(Construct):
    """One Region's SES sending setup ready to leave the sandbox, in one call: a configuration set with its feedback
    pipeline (bounces and complaints suppressed) and reputation guard, account-level suppression, an optional
    contact list for one-click unsubscribe, and a ``SesDomain`` per domain (Easy DKIM, MAIL FROM with SPF, DMARC),
    each sending through the set by default. Every part is exposed (``configuration_set``, ``feedback``,
    ``account_suppression``, ``contact_list``, ``reputation``, ``domains``...) to extend; the settings are the
    config file's sections, as typed objects or, for domains, plain dicts (``{"name": "example.com"}``).
    ``SesStack`` is this construct in a stack of its own.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domains: Sequence[DomainConfig | Mapping[str, Any]] = (),
        configuration_set: ConfigurationSetConfig | None = None,
        feedback: FeedbackConfig | None = None,
        account_suppression: AccountSuppressionConfig | None = None,
        contact_list: ContactListConfig | None = None,
        reputation: ReputationConfig | None = None,
        operations: OperationsConfig | None = None,
        vdm: VdmConfig | None = None,
        tenants: Sequence[TenantConfig] = (),
        dkim_origin_region: str | None = None,
        global_endpoint: tuple[str, str] | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        outputs: bool = True,
    ) -> None:
        """
        :param domains: The sending domains: ``DomainConfig`` objects or the config file's dicts (validated here; an
            error names the construct, the item and the rule). Default: none (the domains in ``SesDomainStack``s).
        :param configuration_set: Configuration set settings. Default: ``ConfigurationSetConfig()``.
        :param feedback: Event routing settings. Default: ``FeedbackConfig()`` (BOUNCE and COMPLAINT, new topic).
        :param account_suppression: Default: ``AccountSuppressionConfig()`` (BOUNCE and COMPLAINT).
        :param contact_list: Default: none (no contact list; unsubscribe fails unless mail is transactional only).
        :param reputation: Default: ``ReputationConfig()`` (bounce 2%/4%, complaint 0.05%/0.08%, auto-pause on).
        :param operations: Default: ``OperationsConfig()`` (no e-mail subscriptions).
        :param vdm: Turn on Virtual Deliverability Manager for the account in this Region (``AWS::SES::VdmAttributes``,
            billed per message). Default: none (the account's setting is left alone).
        :param tenants: Tenants of the stack's domains (each a ``SesTenant`` with its identities and the set).
            Default: none.
        :param dkim_origin_region: Deterministic Easy DKIM: the stack's domains sign with that Region's Easy DKIM
            keys (see ``SesDomain``). Default: none.
        :param global_endpoint: ``(name, secondary Region)``: a global endpoint from this (primary) Region with
            failover to the secondary (``SesGlobalEndpoint``, output ``GlobalEndpointName``). Default: none.
        :param removal_policy: RETAIN keeps the state (identities and their records, a named set, the contact list,
            the dead-letter queue, keys and logs) when it leaves the stack; DESTROY deletes it. Default: RETAIN.
        :param outputs: Stack outputs naming the set, the two topics and the pause marker. Default: True.
        """
        domains = domain_settings(f"SesSendingSetup {construct_id!r}", domains)
        if removal_policy not in (RemovalPolicy.RETAIN, RemovalPolicy.DESTROY):
            raise ValueError(
                f"SesSendingSetup {construct_id!r} removal_policy: must be RETAIN or DESTROY; got {removal_policy}"
            )
        check_tenants(construct_id, tenants, domains)
        super().__init__(scope, construct_id)
        keep = removal_policy
        stack = Stack.of(self)
        set_settings = configuration_set or ConfigurationSetConfig()
        feedback = feedback or FeedbackConfig()
        account_suppression = account_suppression or AccountSuppressionConfig()
        reputation = reputation or ReputationConfig()
        operations = operations or OperationsConfig()
        self.configuration_set: SesConfigurationSet = SesConfigurationSet(
            self,
            "ConfigurationSet",
            configuration_set_name=set_settings.name,
            custom_tracking_redirect_domain=set_settings.custom_redirect_domain,
            custom_tracking_https_policy=HTTPS_POLICY[set_settings.https_policy] if set_settings.https_policy else None,
            max_delivery_duration=Duration.seconds(set_settings.max_delivery_seconds)
            if set_settings.max_delivery_seconds is not None
            else None,
            dedicated_ip_pool_name=set_settings.dedicated_ip_pool,
            managed_dedicated_ip_pool_name=set_settings.managed_dedicated_ip_pool,
            vdm_options=vdm_options(set_settings.vdm),
            auto_validation_threshold=AUTO_VALIDATION.get(set_settings.auto_validation),
            # a named set is retained (so it can be adopted); a generated one goes with the stack unless told
            removal_policy=RemovalPolicy.DESTROY if removal_policy == RemovalPolicy.DESTROY else None,
        )
        """The configuration set every domain sends through by default."""
        topic = (
            sns.Topic.from_topic_arn(
                self,
                "ExistingTopic",
                stack.format_arn(service="sns", resource=feedback.existing_topic_name),
            )
            if feedback.existing_topic_name
            else None
        )
        self.contact_list: SesContactList | None = None
        """The contact list for one-click unsubscribe, when configured."""
        if contact_list is not None:
            self.contact_list = SesContactList(
                self,
                "ContactList",
                contact_list_name=contact_list.name,
                description=contact_list.description,
                topics=[topic.to_topic() for topic in contact_list.topics],
                removal_policy=keep,
            )
        events = [EVENT[e] for e in feedback.additional_event_types]
        if self.contact_list is not None:
            events.append(ses.EmailSendingEvent.SUBSCRIPTION)  # unsubscribes reach the topic's consumers
        self.feedback: SesFeedbackPipeline = SesFeedbackPipeline(
            self,
            "Feedback",
            configuration_set=self.configuration_set.configuration_set,
            additional_event_types=events,
            topic=topic,
            log_retention=RETENTION[feedback.log_retention_days],
            address_logging=feedback.log_addresses,
            removal_policy=keep,
        )
        """Bounce and complaint events -> topic -> queue -> suppression handler."""
        self.vdm: ses.VdmAttributes | None = None
        """The account's Virtual Deliverability Manager settings in this Region, when configured."""
        if vdm is not None:
            self.vdm = ses.VdmAttributes(
                self,
                "Vdm",
                engagement_metrics=vdm.engagement_metrics,
                optimized_shared_delivery=vdm.optimized_shared_delivery,
            )
        self.account_suppression: SesAccountSuppression | None = None
        """Account-level suppression, unless ``accountSuppression.manage`` is false."""
        if account_suppression.manage:
            self.account_suppression = SesAccountSuppression(
                self,
                "AccountSuppression",
                reasons=ACCOUNT_REASONS[frozenset(account_suppression.reasons)],
                validation_threshold=AUTO_VALIDATION.get(account_suppression.auto_validation),
            )
        self.reputation: SesReputationGuard = SesReputationGuard(
            self,
            "Reputation",
            configuration_set=self.configuration_set.configuration_set,
            configuration_set_fingerprint=self.configuration_set.fingerprint,
            bounce_rate=RateThresholds(
                warning=reputation.bounce_rate.warning, critical=reputation.bounce_rate.critical
            ),
            complaint_rate=RateThresholds(
                warning=reputation.complaint_rate.warning, critical=reputation.complaint_rate.critical
            ),
            alarm_emails=operations.alarm_emails,
            auto_pause=reputation.auto_pause,
            removal_policy=keep,
        )
        """Reputation alarms, the operations topic and auto-pause."""
        self.reputation.notify(self.feedback.dead_letter_alarm)
        if outputs:
            self._outputs()
        self.global_endpoint: SesGlobalEndpoint | None = None
        """The global endpoint, in the primary Region's stack when configured."""
        if global_endpoint is not None:
            name, secondary = global_endpoint
            self.global_endpoint = SesGlobalEndpoint(
                self, "GlobalEndpoint", endpoint_name=name, secondary_region=secondary, removal_policy=keep
            )
            CfnOutput(
                self,
                "GlobalEndpointName",
                description=f"Global endpoint ({stack.region} with failover to {secondary}); its EndpointId: aws "
                f"sesv2 get-multi-region-endpoint --endpoint-name {name}",
                value=name,
            )
        self.domains: list[SesDomain] = add_domains(
            self,
            domains,
            configuration_set=self.configuration_set.configuration_set,
            removal_policy=keep,
            dkim_origin_region=dkim_origin_region,
        )
        """The domain constructs, in configuration order (none when the Region's domains are in domain stacks)."""
        self.tenants: list[SesTenant] = add_tenants(
            self,
            tenants,
            self.domains,
            configuration_set=self.configuration_set.configuration_set,
            removal_policy=keep,
        )
        """The tenants, in configuration order."""
        apply_removal_policies(stack, keep)  # every custom-resource provider's log group

    def _outputs(self) -> None:
        CfnOutput(
            self,
            "ConfigurationSetName",
            description="Default configuration set of every domain (name it in SendEmail to be explicit)",
            value=self.configuration_set.configuration_set.configuration_set_name,
        )
        CfnOutput(
            self,
            "FeedbackTopicArn",
            description="SNS topic receiving bounce and complaint events",
            value=self.feedback.events_topic.topic_arn,
        )
        CfnOutput(
            self,
            "OperationsTopicArn",
            description="SNS topic receiving reputation and dead-letter alarms",
            value=self.reputation.operations_topic.topic_arn,
        )
        CfnOutput(
            self,
            "PauseMarkerParameter",
            description="SSM parameter recording an auto-pause; delete it, then enable sending, to resume",
            value=self.reputation.marker_parameter_name,
        )

    def grant_send(self, grantee: iam.IGrantable, *, from_addresses: Sequence[str] = ()) -> iam.Grant:
        """Allow ``grantee`` to send as every domain of the setup, through the configuration set, and with
        ``ListManagementOptions`` naming the contact list (when there is one).

        :param from_addresses: Restrict From addresses (``ses:FromAddress``); each domain is granted only for its
            own addresses, and addresses at none of the domains are an error. Default: any address of every domain.
        """
        grant = grant_send_as("SesSendingSetup", self.domains, grantee, from_addresses)
        if self.contact_list is not None:
            grant = grant.combine(self.contact_list.grant_send(grantee))
        return grant
