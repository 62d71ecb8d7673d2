"""``plan`` for DNS records: what each domain's stack would write, against what its Route53 zone (or, for DNS
managed elsewhere, public DNS) already holds."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import dns.resolver

from ses_stack.checklist.rules import feedback_host
from ses_stack.config import DomainConfig
from ses_stack.identity.dmarc_reports import AUTHORIZATION_VALUE, authorization_name
from ses_stack.preflight.check.dns import lookup
from ses_stack.preflight.check.domain import DEFAULT_DKIM_ZONE
from ses_stack.settings.runtime.record_rule import Holder, judge, same_values

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
    moves_from: str = ""
    """For an identity that another stack of this app holds: that stack (the identity changes stacks)."""

    def to_json(self) -> dict[str, str]:
        found = {"type": self.type, "name": self.name, "state": self.state, "evidence": self.evidence, "fix": self.fix}
        return found | ({"movesFrom": self.moves_from} if self.moves_from else {})


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
    found += [
        Expected(authorization_name(sender, domain.name), "TXT", (f'"{AUTHORIZATION_VALUE}"',),
                 f"DMARC report authorization for {sender}")
        for sender in domain.dmarc.accept_reports_for
    ]  # fmt: skip
    return found


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


def by_name(records: Mapping[tuple[str, str], dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """A zone's record sets grouped by name (every type at a name, as the record rule reads them)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for (name, _), found in records.items():
        grouped.setdefault(name, []).append(found)
    return grouped


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
    record: Expected,
    zone: str,
    at_name: Sequence[Mapping[str, Any]],
    *,
    holders: Callable[[], list[Holder]],
    stack: str,
    app_stacks: Collection[str],
) -> Planned:
    """One record of a Route53 domain, judged by the rule the deploy's record takeover applies (``judge``).

    :param at_name: The zone's record sets at the record's name. :param holders: Who holds it, asked only when the
    zone has it."""
    held = any(r.get("Type") == record.type for r in at_name)
    verdict = judge(
        name=record.name, record_type=record.type, values=record.values, at_name=at_name,
        holders=holders() if held else [], stack=stack, logical_id=None, app_stacks=app_stacks,
        what=f"{record.what} record", keep_yours=record.keep_yours,
    )  # fmt: skip
    evidence = f"not in zone {zone}" if verdict.state == "new" else verdict.evidence
    fix = verdict.fix
    if verdict.state == "conflict" and verdict.evidence.startswith("holds "):
        fix = f"{upsert_command(zone, record)} {record.keep_yours}".strip()
    return Planned(RECORD_TYPE, f"{record.name} {record.type}", verdict.state, evidence, fix)


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
    if same_values(record.type, values, record.values):
        return Planned(MANUAL_RECORD_TYPE, name, "adopt", "already published as the stack lists it")
    return Planned(
        MANUAL_RECORD_TYPE,
        name,
        "conflict",
        f"DNS holds {' | '.join(values)}; the stack lists {' | '.join(record.values)}",
        f"publish {record.type} {' | '.join(record.values)} instead {record.keep_yours}".strip(),
    )
