"""DMARC settings and the TXT record they produce (RFC 7489 section 6.3 tags).

Pure Python (no aws_cdk import): the construct, the config file and the checklist all use it.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from ses_stack.validation import email_address_problem


class DmarcPolicy(enum.StrEnum):
    """What receivers do with mail that fails DMARC (the ``p`` and ``sp`` tags)."""

    NONE = "none"
    """Monitor only: receivers deliver as usual and send reports. Accepted by Gmail and Yahoo."""
    QUARANTINE = "quarantine"
    """Receivers treat failing mail as suspicious (usually the spam folder)."""
    REJECT = "reject"
    """Receivers refuse failing mail."""


class DmarcAlignment(enum.StrEnum):
    """How closely the SPF or DKIM domain must match the From domain (the ``aspf`` and ``adkim`` tags)."""

    RELAXED = "r"
    """The same organisational domain is enough (a subdomain such as the MAIL FROM domain aligns)."""
    STRICT = "s"
    """The domains must be identical. Strict SPF alignment never passes with a MAIL FROM subdomain."""


def _mailto(address: str) -> str:
    return address if address.startswith("mailto:") else f"mailto:{address}"


def _bare_address(address: str) -> str:
    return address.removeprefix("mailto:")


@dataclass(frozen=True, kw_only=True)
class Dmarc:
    """A DMARC policy record. Every setting left unset is left out of the record (receivers apply RFC defaults)."""

    policy: DmarcPolicy = DmarcPolicy.NONE
    """The ``p`` tag. Default: NONE (monitoring, the least a bulk sender must publish)."""
    subdomain_policy: DmarcPolicy | None = None
    """The ``sp`` tag. Default: not emitted (subdomains follow ``policy``)."""
    rua: Sequence[str] = field(default_factory=tuple)
    """Addresses that receive aggregate reports (``name@example.com`` or ``mailto:`` URIs). Default: none."""
    ruf: Sequence[str] = field(default_factory=tuple)
    """Addresses that receive failure reports. Default: none (few receivers send them)."""
    pct: int | None = None
    """Percentage of failing mail the policy applies to, 0-100. Default: not emitted. Deprecated: RFC 9989
    (DMARCbis) removed the tag, so receivers that follow it apply the policy to all failing mail; both checklists
    warn when it is set. To try a policy without enforcing it, use ``DmarcPolicy.NONE``."""
    adkim: DmarcAlignment | None = None
    """DKIM alignment mode. Default: not emitted (relaxed)."""
    aspf: DmarcAlignment | None = None
    """SPF alignment mode. Default: not emitted (relaxed)."""

    def __post_init__(self) -> None:
        for problem in self.problems():
            raise ValueError(problem)

    def problems(self) -> list[str]:
        """Every broken rule, each naming the setting and the value received."""
        found: list[str] = []
        for tag in ("policy", "subdomain_policy"):
            value = getattr(self, tag)
            if value is not None and not isinstance(value, DmarcPolicy):
                found.append(f"dmarc {tag}: must be a DmarcPolicy (none, quarantine, reject); got {value!r}")
        for tag in ("adkim", "aspf"):
            value = getattr(self, tag)
            if value is not None and not isinstance(value, DmarcAlignment):
                found.append(f"dmarc {tag}: must be a DmarcAlignment (r or s); got {value!r}")
        if self.pct is not None and (
            isinstance(self.pct, bool) or not isinstance(self.pct, int) or not 0 <= self.pct <= 100
        ):
            found.append(f"dmarc pct: must be a whole number from 0 to 100; got {self.pct!r}")
        for tag in ("rua", "ruf"):
            addresses = getattr(self, tag)
            if isinstance(addresses, str):
                found.append(f"dmarc {tag}: must be a list of addresses, not a single string; got {addresses!r}")
                continue
            for address in addresses:
                problem = email_address_problem(_bare_address(address))
                if problem is not None:
                    found.append(f"dmarc {tag}: {problem}; got {address!r}")
        return found

    def report_addresses(self) -> list[str]:
        """The ``rua`` and ``ruf`` addresses without their ``mailto:`` prefix."""
        return [_bare_address(a) for a in (*self.rua, *self.ruf)]

    def record_value(self) -> str:
        """The TXT record value, tags in RFC order: ``v=DMARC1; p=quarantine; rua=mailto:...``."""
        tags = ["v=DMARC1", f"p={self.policy.value}"]
        if self.subdomain_policy is not None:
            tags.append(f"sp={self.subdomain_policy.value}")
        if self.pct is not None:
            tags.append(f"pct={self.pct}")
        if self.rua:
            tags.append("rua=" + ",".join(_mailto(a) for a in self.rua))
        if self.ruf:
            tags.append("ruf=" + ",".join(_mailto(a) for a in self.ruf))
        if self.adkim is not None:
            tags.append(f"adkim={self.adkim.value}")
        if self.aspf is not None:
            tags.append(f"aspf={self.aspf.value}")
        return "; ".join(tags)


def parse_dmarc_tags(value: str) -> dict[str, str] | None:
    """The tags of a DMARC record value, or None when it does not start with ``v=DMARC1``.

    Tag names are lower-cased; values keep their case. Used to evaluate records found in templates or DNS.
    """
    tags: dict[str, str] = {}
    for part in value.split(";"):
        name, sep, tag_value = part.strip().partition("=")
        if not sep:
            if part.strip():
                return None
            continue
        tags.setdefault(name.strip().lower(), tag_value.strip())
    if not tags or next(iter(tags)) != "v" or tags["v"] != "DMARC1":
        return None
    return tags
