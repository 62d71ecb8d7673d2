"""What the provider rules judge: facts about a sending setup, gathered from a template (at synth) or from the
account and DNS (``ses-preflight check``). Both evaluators fill the same shape, so the verdicts agree where both
can tell."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ses_stack.checklist.items import Status
from ses_stack.inbox.requirements import Established


@dataclass(frozen=True)
class DomainFacts:
    """One sending domain, from the checklist's verdicts and its DMARC record."""

    name: str
    dkim: Status
    """The ``domain_dkim`` verdict: Easy DKIM signs with ``d=<name>``."""
    spf: Status
    """The ``spf`` verdict: SPF passes on the custom MAIL FROM domain."""
    dmarc: Status
    """The ``dmarc`` verdict."""
    mail_from: str | None
    """The custom MAIL FROM domain, when there is one."""
    falls_back: bool = False
    """BehaviorOnMxFailure USE_DEFAULT_VALUE: while its MX is broken, mail leaves with SES's MAIL FROM."""
    dmarc_tags: Mapping[str, str] | None = None
    """The DMARC record's tags, when one was found."""


@dataclass(frozen=True)
class SendingIp:
    address: str
    problem: str | None = None
    """What is wrong with its reverse (PTR) or forward DNS; None when both agree."""


@dataclass(frozen=True)
class Advice:
    """An open Virtual Deliverability Manager recommendation that no checklist item covers."""

    kind: str
    impact: str
    description: str
    resource: str = ""


@dataclass(frozen=True)
class SendingFacts:
    source: tuple[Established, ...]
    """How the SES facts were read: the template, or the API and DNS."""
    domains: tuple[DomainFacts, ...]
    tls_policies: Mapping[str, str | None]
    """Each configuration set's ``TlsPolicy`` (None: not set, SES's OPTIONAL)."""
    unsubscribe: Status
    """The ``unsubscribe`` verdict (``not_applicable``: declared transactional only)."""
    complaint_levels: tuple[float, float] | None
    """The lowest (warning, critical) alarm levels on ``Reputation.ComplaintRate``; None without an alarm."""
    complaint_source: Established
    pool: str | None = None
    """The dedicated IP pool a configuration set sends from; None: SES's shared IPs."""
    ips: tuple[SendingIp, ...] | None = None
    """The pool's IPs as checked; None when they cannot be known here (at synth)."""
    advice: tuple[Advice, ...] | None = None
    """Open VDM recommendations without a checklist item; None when VDM is off or not read."""
    notes: tuple[str, ...] = field(default_factory=tuple)
