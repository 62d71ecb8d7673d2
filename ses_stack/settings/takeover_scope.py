"""The record takeover's Route53 permissions, sized: which names it may change, and how the stack's domains are
split into managed policies so that none passes IAM's 6,144-character limit (one inline statement would pass the
role's 10,240 characters at about 30 domains). Pure Python: the config's capacity rule counts the same policies
the construct writes."""

from __future__ import annotations

from collections.abc import Sequence

POLICY_BUDGET = 5_600
"""Characters of one managed policy's names and zones (IAM allows 6,144, whitespace excluded; the rest is the
document's frame)."""
TOKEN_CHARS = 80
"""What a value known only at deploy time (a zone id from a reference) is counted as."""
_ZONE_ARN = len('"arn:aws-us-gov:route53:::hostedzone/",')


def record_name_patterns(
    domain: str, mail_from_domain: str, *, dkim: bool = True, dmarc: bool = True, report_senders: Sequence[str] = ()
) -> list[str]:
    """The names (as Route53's NormalizedRecordNames condition sees them) the takeover may change for a domain:
    its DKIM CNAMEs (``*._domainkey.<domain>``: the tokens are known only at deploy), its MAIL FROM MX and TXT,
    its ``_dmarc`` TXT and the report authorization TXT of each of ``report_senders``. Nothing else of the zone:
    not the apex, not ``www``."""
    names = [f"*._domainkey.{domain}"] if dkim else []
    names.append(mail_from_domain)
    if dmarc:
        names.append(f"_dmarc.{domain}")
    names += [f"{sender}._report._dmarc.{domain}" for sender in report_senders]
    return [name.rstrip(".").lower() for name in names]


def _chars(value: str) -> int:
    return (TOKEN_CHARS if "${Token[" in value else len(value)) + 3  # quotes and a comma


class PolicyChunks:
    """Domains packed in order into policies of at most ``POLICY_BUDGET`` characters (a domain is never split:
    each change batch names one domain's records)."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self._zones: set[str] = set()

    def add(self, zone: str, patterns: Sequence[str]) -> int:
        """Place one domain; the index of its policy."""
        zone_cost = 2 * (_ZONE_ARN + _chars(zone))  # listed in two statements (list and change)
        cost = sum(_chars(p) for p in patterns)
        if self.sizes and self.sizes[-1] + cost + (0 if zone in self._zones else zone_cost) <= POLICY_BUDGET:
            self.sizes[-1] += cost + (0 if zone in self._zones else zone_cost)
        else:
            self.sizes.append(cost + zone_cost)
            self._zones = set()
        self._zones.add(zone)
        return len(self.sizes) - 1
