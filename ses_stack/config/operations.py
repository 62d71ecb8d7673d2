"""The reputation, operations and production-access sections."""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import Field

from ses_stack.config.fields import EmailAddress, Section, pattern


class RateConfig(Section):
    """Warning and critical levels of a reputation rate, as fractions (0.02 = 2%)."""

    warning: float = Field(gt=0, description="Notify operators.")
    critical: float = Field(gt=0, description="Notify operators and pause sending (with autoPause).")


class ReputationConfig(Section):
    """Reputation alarms and auto-pause."""

    bounce_rate: RateConfig = Field(
        default_factory=lambda: RateConfig(warning=0.02, critical=0.04),
        description="Reputation.BounceRate levels; critical below AWS's 0.05 review rate.",
    )
    complaint_rate: RateConfig = Field(
        default_factory=lambda: RateConfig(warning=0.0005, critical=0.0008),
        description="Reputation.ComplaintRate levels; critical below AWS's 0.001 review rate.",
    )
    auto_pause: bool = Field(True, description="Pause the configuration set when a critical alarm fires.")


class OperationsConfig(Section):
    """Who hears about alarms."""

    alarm_emails: list[EmailAddress] = Field(
        default_factory=list,
        max_length=25,
        description="Addresses subscribed to the operations topic (each must confirm).",
    )


class MailType(enum.StrEnum):
    """What the account sends, as the production-access request states it (PutAccountDetails MailType)."""

    TRANSACTIONAL = "TRANSACTIONAL"
    MARKETING = "MARKETING"


class ContactLanguage(enum.StrEnum):
    """Language AWS uses to contact you about the request."""

    EN = "EN"
    JA = "JA"


class ProductionAccessConfig(Section):
    """What ``ses-preflight request-access`` tells AWS."""

    mail_type: MailType = Field(description="TRANSACTIONAL or MARKETING.")
    website_url: Annotated[
        str,
        pattern(
            r"^https?://[^\s\x00-\x1f\x7f/$.?#][^\s\x00-\x1f\x7f]*$",
            "must be an http:// or https:// URL without spaces or control characters",
        ),
        Field(max_length=1000),
    ] = Field(description="Your website, where reviewers can see who you are.")
    contact_language: ContactLanguage = Field(ContactLanguage.EN, description="EN or JA.")
    additional_contact_emails: list[EmailAddress] = Field(
        default_factory=list, max_length=4, description="Up to 4 more addresses AWS may contact."
    )
    use_case: Annotated[str, Field(min_length=20, max_length=2000)] = Field(
        description="What you send, to whom and how often, in your own words."
    )
    recipient_source: Annotated[str, Field(min_length=20, max_length=1000)] = Field(
        description="How recipients gave you their address and asked for the mail (opt-in)."
    )


def marketing_mail(access: ProductionAccessConfig | None) -> bool:
    """The production-access request declares marketing mail."""
    return access is not None and access.mail_type is MailType.MARKETING
