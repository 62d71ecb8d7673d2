"""SesStack: composes the constructs for one Region from typed settings. No resources are defined here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import CfnOutput, Duration, Stack
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from constructs import Construct

from ses_stack.config import (
    ConfigurationSetConfig,
    DomainConfig,
    FeedbackConfig,
    FeedbackEventType,
    MailFromMxFailure,
    TrackingHttpsPolicy,
)
from ses_stack.configuration_set import SesConfigurationSet
from ses_stack.domain import SesDomain
from ses_stack.feedback.pipeline import SesFeedbackPipeline

_MX_FAILURE = {
    MailFromMxFailure.REJECT_MESSAGE: ses.MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
    MailFromMxFailure.USE_DEFAULT_VALUE: ses.MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
}
_HTTPS_POLICY = {
    TrackingHttpsPolicy.REQUIRE: ses.HttpsPolicy.REQUIRE,
    TrackingHttpsPolicy.REQUIRE_OPEN_ONLY: ses.HttpsPolicy.REQUIRE_OPEN_ONLY,
    TrackingHttpsPolicy.OPTIONAL: ses.HttpsPolicy.OPTIONAL,
}
_EVENT = {
    FeedbackEventType.DELIVERY: ses.EmailSendingEvent.DELIVERY,
    FeedbackEventType.REJECT: ses.EmailSendingEvent.REJECT,
    FeedbackEventType.DELIVERY_DELAY: ses.EmailSendingEvent.DELIVERY_DELAY,
}


class SesStack(Stack):
    """One Region's SES setup: a configuration set with its feedback pipeline, and a ``SesDomain`` per domain
    (each using the set as its default).

    Domains whose DNS is not in Route53 get one stack output per record to publish (``Dkim1Record``...
    ``MailFromMxRecord``, ``MailFromSpfRecord``, ``DmarcRecord`` under the domain), valued ``NAME TYPE VALUE``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domains: Sequence[DomainConfig],
        configuration_set: ConfigurationSetConfig | None = None,
        feedback: FeedbackConfig | None = None,
        **stack_props: Any,
    ) -> None:
        """
        :param domains: The sending domains this stack holds (validated settings from the config file).
        :param configuration_set: Configuration set settings. Default: ``ConfigurationSetConfig()``.
        :param feedback: Event routing settings. Default: ``FeedbackConfig()`` (BOUNCE and COMPLAINT, new topic).
        :param stack_props: Passed to ``Stack`` (``env``, ``description``, ``tags``...).
        """
        super().__init__(scope, construct_id, **stack_props)
        set_settings = configuration_set or ConfigurationSetConfig()
        feedback = feedback or FeedbackConfig()
        self.configuration_set: SesConfigurationSet = SesConfigurationSet(
            self,
            "ConfigurationSet",
            configuration_set_name=set_settings.name,
            custom_tracking_redirect_domain=set_settings.custom_redirect_domain,
            custom_tracking_https_policy=_HTTPS_POLICY[set_settings.https_policy]
            if set_settings.https_policy
            else None,
            max_delivery_duration=Duration.seconds(set_settings.max_delivery_seconds)
            if set_settings.max_delivery_seconds is not None
            else None,
            dedicated_ip_pool_name=set_settings.dedicated_ip_pool,
        )
        """The configuration set every domain sends through by default."""
        topic = (
            sns.Topic.from_topic_arn(
                self,
                "ExistingTopic",
                self.format_arn(service="sns", resource=feedback.existing_topic_name),
            )
            if feedback.existing_topic_name
            else None
        )
        self.feedback: SesFeedbackPipeline = SesFeedbackPipeline(
            self,
            "Feedback",
            configuration_set=self.configuration_set.configuration_set,
            additional_event_types=[_EVENT[e] for e in feedback.additional_event_types],
            topic=topic,
        )
        """Bounce and complaint events -> topic -> queue -> suppression handler."""
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
        self.domains: list[SesDomain] = []
        """The domain constructs, in configuration order."""
        for settings in domains:
            zone = (
                route53.PublicHostedZone.from_public_hosted_zone_attributes(
                    self, f"{settings.name}-Zone", hosted_zone_id=settings.hosted_zone_id, zone_name=settings.name
                )
                if settings.hosted_zone_id
                else None
            )
            domain = SesDomain(
                self,
                settings.name,
                domain_name=settings.name,
                hosted_zone=zone,
                mail_from_subdomain=settings.mail_from_subdomain,
                behavior_on_mx_failure=_MX_FAILURE[settings.behavior_on_mx_failure],
                dmarc=settings.dmarc.to_dmarc(),
                publish_dmarc=settings.dmarc.publish,
                configuration_set=self.configuration_set.configuration_set,
            )
            if zone is None:
                for record in domain.dns_records:
                    CfnOutput(
                        domain,
                        record.purpose.title().replace("_", "") + "Record",
                        description=f"{record.purpose} record to publish for {domain.domain_name}",
                        value=f"{record.name} {record.type} {record.value}",
                    )
            self.domains.append(domain)
