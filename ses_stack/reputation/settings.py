"""The reputation guard's settings and the metrics it watches (kept apart from the construct)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import Duration, Token
from aws_cdk import aws_cloudwatch as cloudwatch

from ses_stack.validation import BOUNCE_REVIEW_RATE, COMPLAINT_REVIEW_RATE, email_address_problem


@dataclass(frozen=True, kw_only=True)
class RateThresholds:
    """Warning and critical levels of a reputation rate, as fractions (0.02 = 2%)."""

    warning: float
    """Notify operators."""
    critical: float
    """Notify operators and, with auto-pause, stop sending on the configuration set."""


def reputation_metric(metric_name: str, dimensions: dict[str, str] | None) -> cloudwatch.Metric:
    return cloudwatch.Metric(namespace="AWS/SES", metric_name=metric_name, dimensions_map=dimensions,
                             statistic="Maximum", period=Duration.minutes(15))  # fmt: skip


def validate_guard(
    construct_id: str, bounce: RateThresholds, complaint: RateThresholds, alarm_emails: Sequence[str]
) -> None:
    def fail(setting: str, rule: str, value: object) -> ValueError:
        return ValueError(f"SesReputationGuard {construct_id!r} {setting}: {rule}; got {value!r}")

    for setting, thresholds, review in (
        ("bounce_rate", bounce, BOUNCE_REVIEW_RATE),
        ("complaint_rate", complaint, COMPLAINT_REVIEW_RATE),
    ):
        if not 0 < thresholds.warning < thresholds.critical < review:
            raise fail(
                setting,
                f"needs 0 < warning < critical < {review} (the rate at which AWS reviews the account)",
                (thresholds.warning, thresholds.critical),
            )
    for address in alarm_emails:
        if not Token.is_unresolved(address) and email_address_problem(address) is not None:
            raise fail("alarm_emails", "each must be an e-mail address", address)
