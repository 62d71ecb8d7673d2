"""Every DNS record each domain needs, with the live DKIM tokens, as a BIND fragment or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from botocore.exceptions import ClientError

from ses_stack.config import DomainConfig, SesStackConfig, dkim_origin_region, region_domains
from ses_stack.identity.dmarc_reports import AUTHORIZATION_VALUE, authorization_name, external_report_domains

SPF_VALUE = "v=spf1 include:amazonses.com ~all"
DEFAULT_DKIM_ZONE = "dkim.amazonses.com"
TTL = 1800
EASY_DKIM_TOKENS = 3


@dataclass(frozen=True)
class Record:
    domain: str
    region: str
    purpose: str
    name: str
    type: str
    value: str


def records_for(config: SesStackConfig, region: str, ses: Any) -> tuple[list[Record], list[str]]:
    """The records of every domain in ``region``, and notes on what could not be listed (missing identities). With
    Deterministic Easy DKIM a secondary Region has no DKIM records of its own (the primary's serve it)."""
    records: list[Record] = []
    notes: list[str] = []
    configured = {domain.name for domain in config.domains}
    for domain in region_domains(config, region):
        if dkim_origin_region(config, region) is not None:
            records.extend(_mail_from_and_dmarc(domain, region, configured))
            continue
        try:
            identity = ses.get_email_identity(EmailIdentity=domain.name)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "NotFoundException":
                raise
            notes.append(f"{domain.name}: no identity in {region} yet (deploy the stack); DKIM records unknown")
            identity = {}
        dkim = identity.get("DkimAttributes") or {}
        zone = str(dkim.get("SigningHostedZone") or DEFAULT_DKIM_ZONE).rstrip(".")
        if identity and len(dkim.get("Tokens") or []) != EASY_DKIM_TOKENS:
            notes.append(
                f"{domain.name}: SES answered with {len(dkim.get('Tokens') or [])} DKIM tokens in {region} (Easy DKIM "
                f"has {EASY_DKIM_TOKENS}; DKIM status {dkim.get('Status', 'unknown')}): the DKIM records are incomplete"
            )
        for number, token in enumerate(dkim.get("Tokens") or [], start=1):
            records.append(
                Record(
                    domain.name,
                    region,
                    f"dkim{number}",
                    f"{token}._domainkey.{domain.name}",
                    "CNAME",
                    f"{token}.{zone}",
                )
            )
        records.extend(_mail_from_and_dmarc(domain, region, configured))
    return records, notes


def to_bind(records: list[Record]) -> str:
    lines = []
    current = None
    for record in records:
        if (record.domain, record.region) != current:
            current = (record.domain, record.region)
            lines.append(f"; {record.domain} ({record.region})")
        if record.purpose.startswith("dmarc_report_authorization_by:"):
            lines.append(f"; in {record.purpose.partition(':')[2]}'s zone (another organization): accepts the DMARC "
                         f"reports of {record.domain}")  # fmt: skip
        value = record.value
        if record.type == "TXT":
            value = " ".join(f'"{value[i : i + 255]}"' for i in range(0, len(value), 255))
        elif record.type in ("CNAME", "MX"):
            value = f"{value}."
        lines.append(f"{record.name}.\t{TTL}\tIN\t{record.type}\t{value}")
    return "\n".join(lines) + "\n"


def to_json(records: list[Record]) -> str:
    return json.dumps([asdict(r) | {"ttl": TTL} for r in records], indent=2) + "\n"


def _mail_from_and_dmarc(domain: DomainConfig, region: str, configured: set[str]) -> list[Record]:
    """The records a domain needs besides DKIM: the Region's MAIL FROM MX and SPF, DMARC where published, the
    authorizations its zone publishes for the domains whose reports it accepts, and those that another organization's
    report domain (not configured here) must publish for its ``rua``/``ruf`` addresses."""
    mx = f"10 feedback-smtp.{region}.amazonses.com"
    found = [
        Record(domain.name, region, "mail_from_mx", domain.mail_from_domain, "MX", mx),
        Record(domain.name, region, "mail_from_spf", domain.mail_from_domain, "TXT", SPF_VALUE),
    ]
    if domain.dmarc.publish:
        found.append(
            Record(domain.name, region, "dmarc", f"_dmarc.{domain.name}", "TXT", domain.dmarc.to_dmarc().record_value())
        )
        external = external_report_domains(domain.name, [*domain.dmarc.rua, *domain.dmarc.ruf])
        found += [
            Record(domain.name, region, f"dmarc_report_authorization_by:{destination}",
                   authorization_name(domain.name, destination), "TXT", AUTHORIZATION_VALUE)
            for destination in external
            if destination not in configured
        ]  # fmt: skip
    found += [
        Record(domain.name, region, f"dmarc_report_authorization_for:{sender}", authorization_name(sender, domain.name),
               "TXT", AUTHORIZATION_VALUE)
        for sender in domain.dmarc.accept_reports_for
    ]  # fmt: skip
    return found
