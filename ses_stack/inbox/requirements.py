"""What the mailbox providers require of senders, each requirement labelled with how a verdict on it is reached.

Facts and sources: ``docs/inbox-ready.md`` (from the providers' own pages, 2025-2026). Pure Python, no aws_cdk.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Provider(enum.StrEnum):
    """A mailbox provider whose sender requirements the report covers (``providers`` in the config)."""

    GMAIL = "gmail"
    YAHOO = "yahoo"
    OUTLOOK = "outlook"
    LAPOSTE = "laposte"
    APPLE = "apple"


class InboxStatus(enum.StrEnum):
    """A verdict on one requirement. ``unknown``: this tool cannot establish it (see ``Established``)."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


class Established(enum.StrEnum):
    """How a verdict was reached."""

    TEMPLATE = "template"
    """Read from the synthesized CloudFormation template."""
    API = "api"
    """Read from SES's API (live)."""
    DNS = "dns"
    """Looked up in DNS (live)."""
    CONFIG = "config"
    """Read from the configuration file."""
    SENT_MAIL = "needs_sent_mail"
    """Only a sent message shows it: the evidence says how to check one."""
    OUTSIDE_DATA = "needs_outside_data"
    """Only the provider's own data shows it (Gmail's spam rate: Postmaster Tools)."""
    NOT_CHECKABLE = "not_checkable"
    """No data anywhere proves it (how recipients gave their address)."""


class Scope(enum.StrEnum):
    """Which senders a requirement applies to."""

    ALL = "all"
    """Every sender."""
    BULK = "bulk"
    """Senders of about 5,000 or more messages a day to the provider (Outlook: more than 5,000)."""
    MARKETING = "marketing"
    """Marketing and subscribed mail (not transactional messages)."""


@dataclass(frozen=True)
class Requirement:
    id: str
    title: str


REQUIREMENTS: dict[str, Requirement] = {
    r.id: r
    for r in (
        Requirement("authentication", "SPF or DKIM passes"),
        Requirement("spf", "SPF passes"),
        Requirement("dkim", "DKIM passes (key of 1024 bits or more)"),
        Requirement("dmarc", "DMARC record published (p=none or stricter)"),
        Requirement("alignment", "From domain aligned with SPF or DKIM"),
        Requirement("reverse_dns", "Sending IPs have forward and reverse DNS"),
        Requirement("tls", "Messages sent over TLS"),
        Requirement("message_format", "Messages follow RFC 5322"),
        Requirement("one_click_unsubscribe", "One-click unsubscribe (RFC 8058), honoured within 2 days"),
        Requirement("complaint_alarms", "Complaint-rate alarms below the provider's limit"),
        Requirement("spam_rate", "Spam rate below 0.10%, never 0.30% or more (Postmaster Tools)"),
        Requirement("feedback_id", "Feedback-ID header on campaigns (recommended)"),
        Requirement("opt_in", "Recipients opted in"),
        Requirement("ip_reputation", "No open deliverability advice from VDM"),
    )
}

SOURCES: dict[Provider, str] = {
    Provider.GMAIL: "https://support.google.com/mail/answer/81126",
    Provider.YAHOO: "https://senders.yahooinc.com/best-practices/",
    Provider.OUTLOOK: "Microsoft's announcement for high-volume senders, April 2025 (in force 5 May 2025)",
    Provider.LAPOSTE: "La Poste's authentication rule of 9 September 2025 (spamresource.com, 2025-08)",
    Provider.APPLE: "https://support.apple.com/en-us/102322",
}

APPLIES: dict[Provider, tuple[tuple[str, Scope], ...]] = {
    Provider.GMAIL: (
        ("authentication", Scope.ALL), ("reverse_dns", Scope.ALL), ("tls", Scope.ALL), ("message_format", Scope.ALL),
        ("spam_rate", Scope.ALL), ("complaint_alarms", Scope.ALL), ("spf", Scope.BULK), ("dkim", Scope.BULK),
        ("dmarc", Scope.BULK), ("alignment", Scope.BULK), ("one_click_unsubscribe", Scope.MARKETING),
        ("feedback_id", Scope.BULK), ("ip_reputation", Scope.ALL),
    ),
    Provider.YAHOO: (
        ("spf", Scope.ALL), ("dkim", Scope.ALL), ("dmarc", Scope.ALL), ("alignment", Scope.ALL),
        ("reverse_dns", Scope.ALL), ("message_format", Scope.ALL), ("complaint_alarms", Scope.ALL),
        ("one_click_unsubscribe", Scope.MARKETING), ("opt_in", Scope.ALL), ("ip_reputation", Scope.ALL),
    ),
    Provider.OUTLOOK: (
        ("spf", Scope.BULK), ("dkim", Scope.BULK), ("dmarc", Scope.BULK), ("alignment", Scope.BULK),
        ("ip_reputation", Scope.ALL),
    ),
    Provider.LAPOSTE: (("alignment", Scope.ALL),),
    Provider.APPLE: (
        ("spf", Scope.ALL), ("dkim", Scope.ALL), ("dmarc", Scope.ALL), ("reverse_dns", Scope.ALL),
        ("message_format", Scope.ALL), ("one_click_unsubscribe", Scope.MARKETING), ("opt_in", Scope.ALL),
    ),
}  # fmt: skip
"""Each provider's requirements, in report order, with the senders they apply to. Outlook's rules apply to
domains sending more than 5,000 messages a day; La Poste counts SPF and DKIM only when aligned."""

COMPLAINT_LIMITS: dict[Provider, tuple[float, float]] = {
    Provider.GMAIL: (0.001, 0.003),
    Provider.YAHOO: (0.003, 0.003),
}
"""(keep below, never reach) complaint rates: Gmail publishes 0.10% and 0.30%; Yahoo publishes no number, 0.3% is
the industry's reading of it."""
