"""SesConfigurationSet: the configuration set every domain sends through, with suppression and TLS enforced."""

from __future__ import annotations

import hashlib
import json

from aws_cdk import Duration, RemovalPolicy, Token
from aws_cdk import aws_ses as ses
from constructs import Construct

from ses_stack.validation import domain_name_problem, is_ses_name

MIN_DELIVERY_SECONDS = 300
MAX_DELIVERY_SECONDS = 50400


class SesConfigurationSet(Construct):
    """A configuration set that suppresses bounces and complaints, requires TLS and publishes reputation metrics.

    Make it the default set of your identities (``SesDomain(configuration_set=...)``) so mail sent without naming a
    set is still tracked, and attach the event destinations of ``SesFeedbackPipeline`` to it.

    Sending is enabled (SES's default for a new set) but deliberately not written in the template: CloudFormation
    then never asserts it, so a redeploy cannot silently resume a set the reputation guard paused.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        configuration_set_name: str | None = None,
        custom_tracking_redirect_domain: str | None = None,
        custom_tracking_https_policy: ses.HttpsPolicy | None = None,
        max_delivery_duration: Duration | None = None,
        dedicated_ip_pool_name: str | None = None,
        managed_dedicated_ip_pool_name: str | None = None,
        vdm_options: ses.VdmOptions | None = None,
        auto_validation_threshold: ses.AutoValidationThreshold | None = None,
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        """
        :param configuration_set_name: Name of the set (1-64 letters, digits, ``_`` or ``-``). Default: a name
            CloudFormation generates (read it from ``configuration_set.configuration_set_name``).
        :param custom_tracking_redirect_domain: Your own domain for open and click tracking links. Default: none
            (SES's awstrack.me domain).
        :param custom_tracking_https_policy: HTTPS policy of tracking links; needs the redirect domain.
            Default: not emitted (SES applies OPTIONAL).
        :param max_delivery_duration: How long SES keeps trying to deliver, 5 minutes to 14 hours. Default: not
            emitted (SES's 14 hours).
        :param dedicated_ip_pool_name: An existing dedicated IP pool to send from. Default: none (shared IPs).
        :param managed_dedicated_ip_pool_name: Create a dedicated IP pool of this name whose IPs SES leases, warms
            up and scales (``ScalingMode: MANAGED``), and send from it; billed monthly and per message on top of
            sending. Not with ``dedicated_ip_pool_name``. Retained unless ``removal_policy`` is DESTROY (its IPs'
            warm-up is state). Default: none.
        :param vdm_options: Virtual Deliverability Manager settings of this set (billed per message). Default: not
            emitted (the account's settings apply).
        :param auto_validation_threshold: Auto Validation for mail sent through the set: SES refuses addresses it
            judges invalid with at least this confidence (``SuppressionOptions.ValidationOptions``); recommended for
            marketing mail. Default: not emitted (the account's setting applies).
        :param removal_policy: What happens to the set when it leaves the stack (deletion, or a rename, which
            replaces it). Default: RETAIN for a named set (an existing set of that name can then be adopted, and a
            renamed set is kept rather than deleted), DESTROY for a generated name.
        """
        _validate(
            construct_id,
            name=configuration_set_name,
            redirect_domain=custom_tracking_redirect_domain,
            https_policy=custom_tracking_https_policy,
            max_delivery=max_delivery_duration,
            pool_name=dedicated_ip_pool_name,
            managed_pool_name=managed_dedicated_ip_pool_name,
        )
        threshold = auto_validation_threshold
        if threshold is not None and not isinstance(threshold, ses.AutoValidationThreshold):
            raise ValueError(
                f"SesConfigurationSet {construct_id!r} auto_validation_threshold: must be an AutoValidationThreshold "
                f"(MEDIUM, HIGH or MANAGED); got {auto_validation_threshold!r}"
            )
        super().__init__(scope, construct_id)
        self.dedicated_ip_pool: ses.IDedicatedIpPool | None = None
        """The dedicated IP pool the set sends from, when it has one."""
        if dedicated_ip_pool_name:
            self.dedicated_ip_pool = ses.DedicatedIpPool.from_dedicated_ip_pool_name(
                self, "Pool", dedicated_ip_pool_name
            )
        elif managed_dedicated_ip_pool_name:
            managed = ses.DedicatedIpPool(
                self,
                "ManagedPool",
                dedicated_ip_pool_name=managed_dedicated_ip_pool_name,
                scaling_mode=ses.ScalingMode.MANAGED,
            )
            managed.apply_removal_policy(
                RemovalPolicy.DESTROY if removal_policy == RemovalPolicy.DESTROY else RemovalPolicy.RETAIN
            )
            self.dedicated_ip_pool = managed
        self.configuration_set: ses.ConfigurationSet = ses.ConfigurationSet(
            self,
            "Resource",
            configuration_set_name=configuration_set_name,
            suppression_reasons=ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
            tls_policy=ses.ConfigurationSetTlsPolicy.REQUIRE,
            # Stated explicitly: aws-cdk once documented one default here and deployed another (#30968).
            reputation_metrics=True,
            custom_tracking_redirect_domain=custom_tracking_redirect_domain,
            custom_tracking_https_policy=custom_tracking_https_policy,
            max_delivery_duration=max_delivery_duration,
            dedicated_ip_pool=self.dedicated_ip_pool,
            vdm_options=vdm_options,
            auto_validation_threshold=auto_validation_threshold,
        )
        """The aws-cdk-lib ``ConfigurationSet``."""
        self.auto_validation_threshold: ses.AutoValidationThreshold | None = auto_validation_threshold
        """The Auto Validation threshold of the set, when it has one."""
        self.node.default_child = self.configuration_set.node.default_child  # the escape hatch: its CfnConfigurationSet
        self.configured_name: str | None = configuration_set_name
        """The name given, or None for a name CloudFormation generates (other stacks then import it)."""
        if removal_policy is None:
            removal_policy = RemovalPolicy.RETAIN if configuration_set_name else RemovalPolicy.DESTROY
        self.configuration_set.apply_removal_policy(removal_policy)
        settings = [
            configuration_set_name,
            custom_tracking_redirect_domain,
            custom_tracking_https_policy.value if custom_tracking_https_policy else None,
            max_delivery_duration.to_seconds() if max_delivery_duration else None,
            dedicated_ip_pool_name,
            "suppression=BOUNCE,COMPLAINT;tls=REQUIRE;reputation=on",
        ]
        if managed_dedicated_ip_pool_name or vdm_options:  # only then, so existing sets keep their fingerprint
            vdm = f"{vdm_options.engagement_metrics},{vdm_options.optimized_shared_delivery}" if vdm_options else None
            settings += [managed_dedicated_ip_pool_name, vdm]
        if auto_validation_threshold is not None:
            settings.append(f"validation={auto_validation_threshold.value}")
        self.fingerprint: str = hashlib.sha256(json.dumps(settings, default=str).encode()).hexdigest()[:16]
        """Changes whenever the set's settings change (the reputation guard re-checks a pause then)."""

    @staticmethod
    def from_configuration_set_name(scope: Construct, construct_id: str, name: str) -> ses.IConfigurationSet:
        """A configuration set another app (or the console) created, by name: for ``SesDomain``,
        ``SesFeedbackPipeline``, ``SesReputationGuard`` and ``SesDomainStack`` (aws-cdk-lib's own import)."""
        if not Token.is_unresolved(name) and not is_ses_name(name):
            raise ValueError(
                f"SesConfigurationSet.from_configuration_set_name name: must be 1-64 letters, digits, underscores "
                f"or hyphens; got {name!r}"
            )
        return ses.ConfigurationSet.from_configuration_set_name(scope, construct_id, name)


def _validate(
    construct_id: str,
    *,
    name: str | None,
    redirect_domain: str | None,
    https_policy: ses.HttpsPolicy | None,
    max_delivery: Duration | None,
    pool_name: str | None,
    managed_pool_name: str | None,
) -> None:
    def fail(setting: str, rule: str, value: object) -> ValueError:
        return ValueError(f"SesConfigurationSet {construct_id!r} {setting}: {rule}; got {value!r}")

    if name is not None and not Token.is_unresolved(name) and not is_ses_name(name):
        raise fail("configuration_set_name", "must be 1-64 letters, digits, underscores or hyphens", name)
    if redirect_domain is not None and not Token.is_unresolved(redirect_domain):
        problem = domain_name_problem(redirect_domain)
        if problem is not None:
            raise fail("custom_tracking_redirect_domain", problem, redirect_domain)
    if https_policy is not None and redirect_domain is None:
        raise fail("custom_tracking_https_policy", "needs custom_tracking_redirect_domain", https_policy.value)
    if max_delivery is not None and not Token.is_unresolved(max_delivery.to_seconds()):
        seconds = max_delivery.to_seconds()
        if not MIN_DELIVERY_SECONDS <= seconds <= MAX_DELIVERY_SECONDS:
            raise fail(
                "max_delivery_duration",
                f"must be from {MIN_DELIVERY_SECONDS} s (5 minutes) to {MAX_DELIVERY_SECONDS} s (14 hours)",
                f"{seconds:g} s",
            )
    for setting, pool in (("dedicated_ip_pool_name", pool_name), ("managed_dedicated_ip_pool_name", managed_pool_name)):
        if pool is not None and not Token.is_unresolved(pool) and not is_ses_name(pool):
            raise fail(setting, "must be 1-64 letters, digits, underscores or hyphens", pool)
    if pool_name is not None and managed_pool_name is not None:
        raise fail(
            "managed_dedicated_ip_pool_name", "cannot be combined with dedicated_ip_pool_name", managed_pool_name
        )
