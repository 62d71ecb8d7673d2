"""The live facts the provider requirements need beyond the checklist: the configuration sets' TLS policy and
dedicated pool, each dedicated IP's reverse and forward DNS, and Virtual Deliverability Manager's open advice,
which also lowers the checklist item it is about."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import dns.exception
import dns.resolver
import dns.reversename

from ses_stack.checklist.items import ItemId, ItemResult, Status
from ses_stack.config import SesStackConfig
from ses_stack.identity.dmarc import parse_dmarc_tags
from ses_stack.inbox import (
    Advice,
    DomainFacts,
    Established,
    InboxReport,
    Provider,
    SendingFacts,
    SendingIp,
    evaluate_providers,
)
from ses_stack.preflight.check.dns import lookup

MAX_PAGES = 50
"""Pages of dedicated IPs (100 each) or recommendations read at most: more than an account holds."""
ADVICE_ITEMS = {
    "DKIM": ItemId.DOMAIN_DKIM,
    "SPF": ItemId.SPF,
    "DMARC": ItemId.DMARC,
    "BIMI": ItemId.DMARC,  # BIMI needs DMARC at enforcement: its advice is about the DMARC record
    "BOUNCE": ItemId.BOUNCE,
    "COMPLAINT": ItemId.COMPLAINT,
}
"""VDM recommendation types that are about a checklist item; the others (IP_LISTING, FEEDBACK_3P) go to the
providers' ``ip_reputation`` requirement."""


def _pages(call: Any, key: str, **params: Any) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    for _ in range(MAX_PAGES):
        page = call(**params)
        found += page.get(key) or []
        if not page.get("NextToken"):
            break
        params["NextToken"] = page["NextToken"]
    return found


def _same_ip(value: str, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    try:
        return ipaddress.ip_address(value) == ip
    except ValueError:
        return False


def ip_problem(resolver: dns.resolver.Resolver, address: str) -> str | None:
    """What is wrong with an IP's reverse DNS: no PTR record, or a PTR name that does not resolve back to it."""
    try:
        reverse = dns.reversename.from_address(address).to_text().rstrip(".")
    except (dns.exception.SyntaxError, ValueError):
        return "not an IP address"
    ptr = lookup(resolver, reverse, "PTR")
    if ptr.error:
        return ptr.error
    if not ptr.values:
        return f"no PTR record at {reverse}"
    ip = ipaddress.ip_address(address)
    kind = "AAAA" if ip.version == 6 else "A"
    for name in ptr.values:
        forward = lookup(resolver, name, kind)
        if any(_same_ip(value, ip) for value in forward.values):  # 2001:db8::1 is 2001:0db8:0:0:0:0:0:1
            return None
    return f"PTR {', '.join(ptr.values)} does not resolve back to {address}"


def dedicated_ips(sesv2: Any, pool: str, resolver: dns.resolver.Resolver) -> tuple[SendingIp, ...]:
    ips = _pages(sesv2.get_dedicated_ips, "DedicatedIps", PoolName=pool, PageSize=100)
    return tuple(SendingIp(str(ip["Ip"]), ip_problem(resolver, str(ip["Ip"]))) for ip in ips)


def open_recommendations(sesv2: Any, account: Mapping[str, Any]) -> list[Mapping[str, Any]] | None:
    """VDM's open recommendations, or None when VDM is off for the account."""
    if (account.get("VdmAttributes") or {}).get("VdmEnabled") != "ENABLED":
        return None
    return _pages(sesv2.list_recommendations, "Recommendations", Filter={"STATUS": "OPEN"}, PageSize=100)


def _identity_domain(arn: str) -> str | None:
    return arn.partition(":identity/")[2].lower() or None


def apply_advice(
    results: Sequence[ItemResult], recommendations: Sequence[Mapping[str, Any]]
) -> tuple[list[ItemResult], tuple[Advice, ...]]:
    """Each recommendation about a checklist item lowers that item (HIGH impact: fail, LOW: warn) for its domain
    (its ``ResourceArn``'s identity) or account-wide, and is left out when it is about an identity outside the
    config; the types without an item are returned as advice for the providers."""
    updated, leftover = list(results), []
    for recommendation in recommendations:
        kind, impact = str(recommendation.get("Type", "")), str(recommendation.get("Impact", "LOW"))
        description = " ".join(str(recommendation.get("Description", "")).split())[:300]
        item = ADVICE_ITEMS.get(kind)
        domain = _identity_domain(str(recommendation.get("ResourceArn", "")))
        target = next(
            (i for i, r in enumerate(updated) if r.item is item and (r.domain == domain or r.domain is None)), None
        )
        if item is None:
            leftover.append(Advice(kind, impact, description, str(recommendation.get("ResourceArn", ""))))
            continue
        if target is None:  # about an identity outside the config: not this setup's verdict
            continue
        result = updated[target]
        lowered = Status.FAIL if impact == "HIGH" else Status.WARN
        status = result.status if result.status is Status.FAIL else lowered
        fix = "; ".join(f for f in (result.fix, "follow VDM's advice (the VDM console's Advisor)") if f)
        updated[target] = replace(result, status=status, evidence=f"{result.evidence}; VDM {impact}: {description}",
                                  fix=fix)  # fmt: skip
    return updated, tuple(leftover)


def judge_providers(
    config: SesStackConfig,
    providers: Sequence[Provider],
    results: Sequence[ItemResult],
    *,
    identities: Mapping[str, Mapping[str, Any] | None],
    dmarc_records: Mapping[str, Mapping[str, Any]],
    set_details: Mapping[str, Mapping[str, Any] | None],
    advice: tuple[Advice, ...] | None,
    sesv2: Any,
    resolver: dns.resolver.Resolver,
) -> InboxReport:
    """The providers' requirements from the live checklist and what SES and DNS answered; a dedicated pool's IPs
    are read (``GetDedicatedIps``) and looked up here."""
    verdicts = {(r.item, r.domain): r.status for r in results}
    domains = tuple(
        DomainFacts(
            name=name,
            dkim=verdicts.get((ItemId.DOMAIN_DKIM, name), Status.FAIL),
            spf=verdicts.get((ItemId.SPF, name), Status.FAIL),
            dmarc=verdicts.get((ItemId.DMARC, name), Status.FAIL),
            mail_from=str(attributes.get("MailFromDomain") or "").rstrip(".").lower() or None,
            falls_back=attributes.get("BehaviorOnMxFailure") == "USE_DEFAULT_VALUE",
            dmarc_tags=parse_dmarc_tags(str((dmarc_records.get(name) or {}).get("record", ""))),
        )
        for name, identity in identities.items()
        for attributes in [(identity or {}).get("MailFromAttributes") or {}]
    )
    delivery = {name: (d or {}).get("DeliveryOptions") or {} for name, d in set_details.items() if d is not None}
    pools = [str(options["SendingPoolName"]) for options in delivery.values() if options.get("SendingPoolName")]
    rates = config.reputation.complaint_rate
    facts = SendingFacts(
        source=(Established.API, Established.DNS),
        domains=domains,
        tls_policies={name: options.get("TlsPolicy") for name, options in delivery.items()},
        unsubscribe=verdicts.get((ItemId.UNSUBSCRIBE, None), Status.FAIL),
        complaint_levels=(rates.warning, rates.critical),  # the reputation guard's alarms are built from them
        complaint_source=Established.CONFIG,
        pool=pools[0] if pools else None,
        ips=dedicated_ips(sesv2, pools[0], resolver) if pools else None,
        advice=advice,
    )
    return evaluate_providers(facts, providers)
