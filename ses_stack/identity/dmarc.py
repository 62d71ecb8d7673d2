"""DMARC settings and the TXT record they produce, read as meant by RFC 7489 and RFC 9989 receivers alike.

RFC 9989 (DMARCbis, May 2026) removed ``pct``, ``rf`` and ``ri`` and added ``t`` (test mode), ``np`` (non-existent
subdomains) and ``psd``. Receivers ignore tags they do not know, so one record can serve both: test mode is written
``t=y; pct=0``, which RFC 9989 receivers read as "apply the next less strict policy" and RFC 7489 receivers read as
"apply the policy to no message, the next less strict one to the rest" (RFC 7489 section 6.6.4): the same outcome.
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


class DmarcPsd(enum.StrEnum):
    """The ``psd`` tag of RFC 9989: where the organizational domain boundary lies (RFC 7489 receivers ignore it)."""

    YES = "y"
    """This domain is a public suffix domain (a registry, such as a TLD operator): not for a sending domain."""
    NO = "n"
    """This domain is an organizational domain: the DNS tree walk of RFC 9989 stops here."""
    UNKNOWN = "u"
    """The default: receivers find the boundary themselves."""


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
    warn when it is set. To try a policy without enforcing it, use ``test_mode`` (not with ``pct``)."""
    test_mode: bool = False
    """RFC 9989 test mode: receivers apply the next less strict policy (reject acts as quarantine, quarantine as
    none) while you watch the reports. Written ``t=y; pct=0`` so RFC 7489 receivers do the same. Needs a policy
    stricter than none. Default: False (not emitted: the policy applies in full)."""
    nonexistent_subdomain_policy: DmarcPolicy | None = None
    """The ``np`` tag (RFC 9989): policy for subdomains that do not exist in DNS, a favourite of spoofers. RFC 7489
    receivers ignore it and apply ``sp`` (or ``p``). Default: not emitted (``sp``, else ``p``, applies)."""
    psd: DmarcPsd | None = None
    """The ``psd`` tag (RFC 9989). Default: not emitted (receivers find the organizational domain)."""
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
        for tag in ("policy", "subdomain_policy", "nonexistent_subdomain_policy"):
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
        found += self._rfc9989_problems()
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

    def _rfc9989_problems(self) -> list[str]:
        found = []
        if self.psd is not None and not isinstance(self.psd, DmarcPsd):
            found.append(f"dmarc psd: must be a DmarcPsd (y, n or u); got {self.psd!r}")
        if not isinstance(self.test_mode, bool):
            found.append(f"dmarc test_mode: must be True or False; got {self.test_mode!r}")
        elif self.test_mode and self.pct is not None:
            found.append(f"dmarc test_mode: replaces pct (RFC 9989 removed pct); set one of them; got pct={self.pct}")
        elif self.test_mode and all(
            p in (None, DmarcPolicy.NONE)
            for p in (self.policy, self.subdomain_policy, self.nonexistent_subdomain_policy)
        ):
            found.append("dmarc test_mode: lowers each policy one step, so it needs one stricter than none; got none")
        return found

    def report_addresses(self) -> list[str]:
        """The ``rua`` and ``ruf`` addresses without their ``mailto:`` prefix."""
        return [_bare_address(a) for a in (*self.rua, *self.ruf)]

    def record_value(self) -> str:
        """The TXT record value, ``v=DMARC1; p=quarantine; rua=mailto:...``: ``v`` and ``p`` first, then the other
        policy tags, then reports and alignment."""
        tags = ["v=DMARC1", f"p={self.policy.value}"]
        if self.subdomain_policy is not None:
            tags.append(f"sp={self.subdomain_policy.value}")
        if self.nonexistent_subdomain_policy is not None:
            tags.append(f"np={self.nonexistent_subdomain_policy.value}")
        if self.psd is not None:
            tags.append(f"psd={self.psd.value}")
        if self.test_mode:
            tags.append("t=y; pct=0")  # the same outcome for RFC 9989 (t) and RFC 7489 (pct) receivers
        elif self.pct is not None:
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
