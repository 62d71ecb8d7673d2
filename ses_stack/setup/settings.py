"""The config file's sections as aws-cdk-lib values, for ``SesSendingSetup``: choices mapped to CDK enums, and the
domains given as ``DomainConfig`` or dicts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import aws_logs as logs
from aws_cdk import aws_ses as ses

from ses_stack.config import (
    AutoValidation,
    DomainConfig,
    FeedbackEventType,
    SuppressedReason,
    TrackingHttpsPolicy,
    VdmConfig,
)
from ses_stack.feedback.options import LOG_RETENTION_DAYS

HTTPS_POLICY = {
    TrackingHttpsPolicy.REQUIRE: ses.HttpsPolicy.REQUIRE,
    TrackingHttpsPolicy.REQUIRE_OPEN_ONLY: ses.HttpsPolicy.REQUIRE_OPEN_ONLY,
    TrackingHttpsPolicy.OPTIONAL: ses.HttpsPolicy.OPTIONAL,
}
ACCOUNT_REASONS = {
    frozenset({SuppressedReason.BOUNCE, SuppressedReason.COMPLAINT}): ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    frozenset({SuppressedReason.BOUNCE}): ses.SuppressionReasons.BOUNCES_ONLY,
    frozenset({SuppressedReason.COMPLAINT}): ses.SuppressionReasons.COMPLAINTS_ONLY,
}
AUTO_VALIDATION: dict[AutoValidation | None, ses.AutoValidationThreshold] = {
    AutoValidation.MEDIUM: ses.AutoValidationThreshold.MEDIUM,
    AutoValidation.HIGH: ses.AutoValidationThreshold.HIGH,
    AutoValidation.MANAGED: ses.AutoValidationThreshold.MANAGED,
}
# CloudWatch's retention periods in days (config) -> aws-cdk-lib's names for them.
RETENTION_NAMES = [
    "ONE_DAY",
    "THREE_DAYS",
    "FIVE_DAYS",
    "ONE_WEEK",
    "TWO_WEEKS",
    "ONE_MONTH",
    "TWO_MONTHS",
    "THREE_MONTHS",
    "FOUR_MONTHS",
    "FIVE_MONTHS",
    "SIX_MONTHS",
    "ONE_YEAR",
    "THIRTEEN_MONTHS",
    "EIGHTEEN_MONTHS",
    "TWO_YEARS",
    "THREE_YEARS",
    "FIVE_YEARS",
    "SIX_YEARS",
    "SEVEN_YEARS",
    "EIGHT_YEARS",
    "NINE_YEARS",
    "TEN_YEARS",
]
RETENTION = {
    days: getattr(logs.RetentionDays, name) for days, name in zip(LOG_RETENTION_DAYS, RETENTION_NAMES, strict=True)
}
EVENT = {
    FeedbackEventType.DELIVERY: ses.EmailSendingEvent.DELIVERY,
    FeedbackEventType.REJECT: ses.EmailSendingEvent.REJECT,
    FeedbackEventType.DELIVERY_DELAY: ses.EmailSendingEvent.DELIVERY_DELAY,
}


def vdm_options(settings: VdmConfig | None) -> ses.VdmOptions | None:
    if settings is None:
        return None
    return ses.VdmOptions(
        engagement_metrics=settings.engagement_metrics, optimized_shared_delivery=settings.optimized_shared_delivery
    )


def domain_settings(owner: str, domains: Any) -> list[DomainConfig]:
    """``domains`` as ``DomainConfig``s: each one as given, or a config-file dict validated (an error names the owner,
    the item and the rule); anything else is a ``TypeError`` naming the owner."""
    from ses_stack.config import ConfigError, parse_domain  # noqa: PLC0415

    if isinstance(domains, str | bytes | Mapping) or not isinstance(domains, Sequence):
        raise TypeError(f"{owner} domains: must be a list of DomainConfig or dicts; got {type(domains).__name__}")
    found = []
    for index, item in enumerate(domains):
        if isinstance(item, DomainConfig):
            found.append(item)
        elif isinstance(item, Mapping):
            try:
                found.append(parse_domain(item))
            except ConfigError as error:
                raise ValueError(f"{owner} domains[{index}]: " + "; ".join(error.lines())) from None
        else:
            raise TypeError(f"{owner} domains[{index}]: must be a DomainConfig or a dict; got {type(item).__name__}")
    return found
