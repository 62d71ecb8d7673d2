"""The Route53 record sets of a domain identity, written with the values the construct already holds.

aws-cdk-lib's ``EmailIdentity`` writes the DKIM CNAMEs and the MAIL FROM MX and TXT records itself when given a
hosted zone; finding and reading them back (their names, values and logical ids, for the record takeover and the
removal policy) cost about 50 of the 128 calls into the jsii kernel a domain took. Written here instead, at the
same paths (``Identity/DkimDnsToken1``, ``Identity/MailFromMxRecord/Resource``...), they keep EmailIdentity's
logical ids and properties exactly, and their values are known in Python.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import RemovalPolicy
from aws_cdk import aws_route53 as route53
from constructs import Construct

from ses_stack.identity.dmarc import Dmarc
from ses_stack.identity.dmarc_reports import AUTHORIZATION_VALUE, authorization_name

_TXT_CHUNK = 255  # a TXT character-string holds at most 255 bytes (RFC 1035)
RECORD_TTL = "1800"  # aws-cdk-lib's default for a record set (30 minutes), what EmailIdentity's records carry
MX_PRIORITY = 10
SPF_RECORD = "v=spf1 include:amazonses.com ~all"  # what aws-cdk-lib's EmailIdentity publishes on the MAIL FROM domain


@dataclass(frozen=True)
class DnsRecord:
    """One DNS record a domain needs, in presentation form (names without the trailing dot).

    ``name`` and ``value`` may hold CDK tokens (the DKIM records' come from CloudFormation attributes).
    """

    purpose: str
    """What the record is for: ``dkim1``-``dkim3``, ``mail_from_mx``, ``mail_from_spf``, ``dmarc`` or
    ``dmarc_report_authorization1``... (one per domain whose reports this domain accepts)."""
    name: str
    type: str
    value: str


@dataclass(frozen=True)
class WrittenRecord:
    """A record set as written: its resource and, for the record takeover, its values as the template has them."""

    resource: route53.CfnRecordSet
    name: str
    """Fully qualified with the trailing dot, or a token (a DKIM name is an attribute of the identity)."""
    type: str
    values: tuple[str, ...]
    dkim: bool = False
    """One of the identity's Easy DKIM CNAMEs (its name is only known once the identity exists)."""


def _chunks(value: str) -> list[str]:
    return [value[i : i + _TXT_CHUNK] for i in range(0, len(value), _TXT_CHUNK)] or [""]


def txt_presentation(value: str) -> str:
    """A TXT value as DNS presentation text: quoted, split into 255-byte strings when longer."""
    return " ".join(f'"{chunk}"' for chunk in _chunks(value))


def route53_txt(value: str) -> str:
    """A TXT value as aws-cdk-lib's ``TxtRecord`` writes it (so the takeover lists what the template holds): cut
    into 255-character strings, each JSON-quoted, joined with nothing between them."""
    return "".join(json.dumps(chunk, ensure_ascii=False) for chunk in _chunks(value))


def write_record(
    scope: Construct,
    construct_id: str,
    *,
    hosted_zone_id: str,
    name: str,
    record_type: str,
    values: Sequence[str],
    removal_policy: RemovalPolicy,
    dkim: bool = False,
) -> WrittenRecord:
    """A record set at ``scope/construct_id``, EmailIdentity's path for a DKIM CNAME, or else at
    ``scope/construct_id/Resource``, the path an aws-cdk-lib record construct (``MxRecord``...) gives its own."""
    resource = route53.CfnRecordSet(
        scope if dkim else Construct(scope, construct_id),
        construct_id if dkim else "Resource",
        hosted_zone_id=hosted_zone_id,
        name=name,
        type=record_type,
        ttl=RECORD_TTL,
        resource_records=list(values),
    )
    resource.apply_removal_policy(removal_policy)
    return WrittenRecord(resource, name, record_type, tuple(values), dkim=dkim)


def mail_from_records(
    identity: Construct, *, hosted_zone_id: str, mail_from_domain: str, region: str, removal_policy: RemovalPolicy
) -> list[WrittenRecord]:
    """The MAIL FROM MX (to the Region's feedback endpoint) and SPF records, as EmailIdentity writes them."""
    fqdn = f"{mail_from_domain}."
    return [
        write_record(identity, "MailFromMxRecord", hosted_zone_id=hosted_zone_id, name=fqdn, record_type="MX",
                     values=[f"{MX_PRIORITY} feedback-smtp.{region}.amazonses.com"], removal_policy=removal_policy),
        write_record(identity, "MailFromTxtRecord", hosted_zone_id=hosted_zone_id, name=fqdn, record_type="TXT",
                     values=[route53_txt(SPF_RECORD)], removal_policy=removal_policy),
    ]  # fmt: skip


def dkim_records(
    identity: Construct,
    *,
    hosted_zone_id: str,
    tokens: Sequence[tuple[str, str]],
    removal_policy: RemovalPolicy,
) -> list[WrittenRecord]:
    """The three Easy DKIM CNAMEs from the identity's ``(name, value)`` attributes, as EmailIdentity writes them."""
    return [
        write_record(identity, f"DkimDnsToken{number}", hosted_zone_id=hosted_zone_id, name=name,
                     record_type="CNAME", values=[value], removal_policy=removal_policy, dkim=True)
        for number, (name, value) in enumerate(tokens, 1)
    ]  # fmt: skip


def report_authorization_records(
    scope: Construct, *, hosted_zone_id: str, domain_name: str, senders: Sequence[str], removal_policy: RemovalPolicy
) -> list[WrittenRecord]:
    """``<sender>._report._dmarc.<domain_name>`` TXT ``v=DMARC1`` for each sender: this domain's mailboxes accept
    the DMARC reports of those domains. Each record's id is its sender, so adding one never renames another."""
    if not senders:
        return []
    parent = Construct(scope, "DmarcReportAuthorizations")
    return [
        write_record(parent, sender, hosted_zone_id=hosted_zone_id, name=f"{authorization_name(sender, domain_name)}.",
                     record_type="TXT", values=[route53_txt(AUTHORIZATION_VALUE)], removal_policy=removal_policy)
        for sender in senders
    ]  # fmt: skip


def dmarc_record(
    scope: Construct, zone: route53.IPublicHostedZone, domain_name: str, dmarc: Dmarc, removal_policy: RemovalPolicy
) -> tuple[route53.TxtRecord, WrittenRecord]:
    """The ``_dmarc`` TXT record (aws-cdk-lib's ``TxtRecord`` at ``scope/DmarcRecord``)."""
    name = f"_dmarc.{domain_name}."
    record = route53.TxtRecord(scope, "DmarcRecord", zone=zone, record_name=name, values=[dmarc.record_value()])
    record.apply_removal_policy(removal_policy)
    resource = record.node.default_child
    assert isinstance(resource, route53.CfnRecordSet)
    return record, WrittenRecord(resource, name, "TXT", (route53_txt(dmarc.record_value()),))


def needed_records(
    domain_name: str,
    mail_from_domain: str,
    region: str,
    dkim_tokens: Sequence[tuple[str, str]],
    *,
    dmarc: Dmarc | None,
    report_senders: Sequence[str],
) -> list[DnsRecord]:
    """Every record a domain needs (``dmarc`` None: its ``_dmarc`` record is managed elsewhere)."""
    feedback_host = f"feedback-smtp.{region}.amazonses.com"
    return [
        *(DnsRecord(f"dkim{n}", name, "CNAME", value) for n, (name, value) in enumerate(dkim_tokens, 1)),
        DnsRecord("mail_from_mx", mail_from_domain, "MX", f"{MX_PRIORITY} {feedback_host}"),
        DnsRecord("mail_from_spf", mail_from_domain, "TXT", txt_presentation(SPF_RECORD)),
        *([DnsRecord("dmarc", f"_dmarc.{domain_name}", "TXT", txt_presentation(dmarc.record_value()))]
          if dmarc else []),
        *(
            DnsRecord(f"dmarc_report_authorization{n}", authorization_name(sender, domain_name), "TXT",
                      txt_presentation(AUTHORIZATION_VALUE))
            for n, sender in enumerate(report_senders, 1)
        ),
    ]  # fmt: skip
