"""``plan`` for DNS records: what each domain's stack would write, against what its Route53 zone (or, for DNS
managed elsewhere, public DNS) already holds."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import dns.resolver

from ses_stack.checklist.rules import feedback_host
from ses_stack.config import DomainConfig
from ses_stack.preflight.dns import lookup
from ses_stack.preflight.live_domain import DEFAULT_DKIM_ZONE

RECORD_TYPE = "AWS::Route53::RecordSet"
MANUAL_RECORD_TYPE = "DNS::ManualRecord"
SPF_TEXT = "v=spf1 include:amazonses.com ~all"
TTL = 1800
_MAX_PAGES = 200  # 60,000 records: more than any zone this tool is meant for


@dataclass(frozen=True)
class Planned:
    """What deploying would do to one resource: ``new``, ``managed``, ``adopt`` or ``conflict``."""

    type: str
    name: str
    state: str
    evidence: str
    fix: str = ""

    def to_json(self) -> dict[str, str]:
        return {"type": self.type, "name": self.name, "state": self.state, "evidence": self.evidence, "fix": self.fix}


@dataclass(frozen=True)
class Expected:
    """A record the stack writes, in presentation form (TXT values quoted)."""

    name: str
    type: str
    values: tuple[str, ...]
    what: str
    keep_yours: str = ""
    """How to keep an existing record instead (a config change), when there is one."""


def expected_records(
    domain: DomainConfig, index: int, region: str, identity: Mapping[str, Any] | None, *, replica: bool = False
) -> list[Expected]:
    """The records the domain's stack writes in ``region`` (``domain`` as planned for that Region); a DEED
    ``replica`` writes no DKIM CNAME (the primary's serve it)."""
    found: list[Expected] = []
    dkim = {} if replica else (identity or {}).get("DkimAttributes") or {}
    zone = str(dkim.get("SigningHostedZone") or DEFAULT_DKIM_ZONE).rstrip(".")
    for token in dkim.get("Tokens") or []:
        found.append(Expected(f"{token}._domainkey.{domain.name}", "CNAME", (f"{token}.{zone}",), "DKIM"))
    other_subdomain = f"or use another domains[{index}].mailFromSubdomain"
    found.append(
        Expected(domain.mail_from_domain, "MX", (f"10 {feedback_host(region)}",), "MAIL FROM MX", other_subdomain)
    )
    found.append(Expected(domain.mail_from_domain, "TXT", (f'"{SPF_TEXT}"',), "SPF", other_subdomain))
    if domain.dmarc.publish:
        found.append(
            Expected(
                f"_dmarc.{domain.name}",
                "TXT",
                (f'"{domain.dmarc.to_dmarc().record_value()}"',),
                "DMARC",
                f"or keep yours: set domains[{index}].dmarc.publish to false",
            )
        )
    return found


def _text(record_type: str, value: str) -> str:
    value = value.strip()
    if record_type == "TXT":
        return "".join(part for i, part in enumerate(value.split('"')) if i % 2) if value.startswith('"') else value
    return " ".join(value.rstrip(".").lower().split())


def same(record_type: str, held: Iterable[str], written: Iterable[str]) -> bool:
    return sorted(_text(record_type, v) for v in held) == sorted(_text(record_type, v) for v in written)


def zone_records(route53: Any, zone: str) -> dict[tuple[str, str], dict[str, Any]]:
    """Every record set of the zone, by (name without the trailing dot, type)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    params: dict[str, Any] = {"HostedZoneId": zone}
    for _ in range(_MAX_PAGES):
        page = route53.list_resource_record_sets(**params)
        for record_set in page.get("ResourceRecordSets", []):
            found[(str(record_set.get("Name", "")).rstrip(".").lower(), str(record_set.get("Type")))] = record_set
        if not page.get("IsTruncated"):
            break
        params.update(StartRecordName=page["NextRecordName"], StartRecordType=page["NextRecordType"])
    return found


def upsert_command(zone: str, record: Expected) -> str:
    """The AWS CLI command that gives ``record`` the stack's values (after which the deploy takes it over)."""
    change = {
        "Changes": [
            {
                "Action": "UPSERT",
                "ResourceRecordSet": {
                    "Name": record.name,
                    "Type": record.type,
                    "TTL": TTL,
                    "ResourceRecords": [{"Value": v} for v in record.values],
                },
            }
        ]
    }
    return f"aws route53 change-resource-record-sets --hosted-zone-id {zone} --change-batch '{json.dumps(change)}'"


def plan_route53_record(
    record: Expected, zone: str, held: Mapping[str, Any] | None, owner: Callable[[str], str | None], ours: str
) -> Planned:
    """One record of a Route53 domain. ``owner(name)`` names the stack whose record set it is, if any."""
    name = f"{record.name} {record.type}"
    if held is None:
        return Planned(RECORD_TYPE, name, "new", f"not in zone {zone}")
    values = [str(r.get("Value", "")) for r in held.get("ResourceRecords", [])]
    shown = " | ".join(values) or "an alias or routing-policy record"
    stack = owner(record.name)
    if stack == ours:
        drift = "" if same(record.type, values, record.values) else f"; DNS holds {shown} (changed outside the stack)"
        return Planned(RECORD_TYPE, name, "managed", f"{record.what} record of {ours}{drift}")
    if stack is not None:
        return Planned(
            RECORD_TYPE,
            name,
            "conflict",
            f"{record.what} record of another stack, {stack}: when that stack goes, it deletes this record",
            f"remove it from {stack} first (DeletionPolicy Retain, then delete it from that template)",
        )
    if not held.get("AliasTarget") and not held.get("SetIdentifier") and same(record.type, values, record.values):
        return Planned(
            RECORD_TYPE,
            name,
            "adopt",
            f"exists outside any stack, identical to what the stack writes ({shown}): the deploy replaces it with "
            "its own record (a few seconds apart)",
        )
    return Planned(
        RECORD_TYPE,
        name,
        "conflict",
        f"holds {shown}; the stack writes {' | '.join(record.values)}: the deploy would stop there, changing nothing",
        f"{upsert_command(zone, record)} {record.keep_yours}".strip(),
    )


def plan_manual_record(record: Expected, resolver: dns.resolver.Resolver) -> Planned:
    """One record of a domain whose DNS is elsewhere: published yet, as the stack lists it?"""
    name = f"{record.name} {record.type}"
    answer = lookup(resolver, record.name, record.type)
    if answer.error:
        return Planned(MANUAL_RECORD_TYPE, name, "conflict", answer.error, "check DNS, or raise --timeout")
    if not answer.values:
        return Planned(
            MANUAL_RECORD_TYPE, name, "new", "not published yet", f"publish {record.type} {record.values[0]}"
        )
    values = list(answer.values)
    if record.type == "TXT" and record.what == "SPF":
        values = [v for v in values if v.lower().startswith("v=spf1")]
    if same(record.type, values, record.values):
        return Planned(MANUAL_RECORD_TYPE, name, "adopt", "already published as the stack lists it")
    return Planned(
        MANUAL_RECORD_TYPE,
        name,
        "conflict",
        f"DNS holds {' | '.join(values)}; the stack lists {' | '.join(record.values)}",
        f"publish {record.type} {' | '.join(record.values)} instead {record.keep_yours}".strip(),
    )
