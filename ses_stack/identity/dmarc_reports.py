"""Where DMARC reports may go: report addresses at another organizational domain need that domain's consent.

A receiver sends aggregate (``rua``) or failure (``ruf``) reports about ``example.com`` to a mailbox at another
organizational domain, say ``reports.example.net``, only when that domain publishes
``example.com._report._dmarc.reports.example.net`` TXT ``v=DMARC1`` (RFC 9989 and RFC 9990 section 4; RFC 7489
section 7.1 before them). Without it the reports are silently dropped.

Organizational domains are found with the Public Suffix List, as RFC 7489 receivers and checkdmarc do; RFC 9989's
DNS tree walk gives the same answer unless a domain publishes ``psd`` tags that draw the boundary elsewhere.
Pure Python (no aws_cdk import).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from publicsuffixlist import PublicSuffixList

AUTHORIZATION_VALUE = "v=DMARC1"
"""The whole value of a report authorization record."""


@lru_cache(maxsize=1)
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # the list bundled with the package: no network


@lru_cache(maxsize=65536)
def organizational_domain(domain: str) -> str:
    """The registrable domain of ``domain`` (``news.example.co.uk`` -> ``example.co.uk``); a public suffix itself
    is its own."""
    name = domain.rstrip(".").lower()
    found = _suffixes().privatesuffix(name)
    return str(found) if found else name


def report_domain(address: str) -> str:
    """The domain of a report address (``mailto:`` prefix and ``!size`` suffix allowed)."""
    bare = address.strip().removeprefix("mailto:").partition("!")[0]
    return bare.rpartition("@")[2].rstrip(".").lower()


def external_report_domains(domain: str, addresses: Iterable[str]) -> list[str]:
    """The domains of ``addresses`` at another organizational domain than ``domain``, once each, in order."""
    own = organizational_domain(domain)
    found = [report_domain(a) for a in addresses]
    return list(dict.fromkeys(d for d in found if d and organizational_domain(d) != own))


def authorization_name(domain: str, destination: str) -> str:
    """The name ``destination`` publishes to accept reports about ``domain`` (no trailing dot)."""
    return f"{domain.rstrip('.').lower()}._report._dmarc.{destination.rstrip('.').lower()}"
