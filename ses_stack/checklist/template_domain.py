"""Template evaluation of the per-domain items: domain_dkim, spf and dmarc."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from ses_stack.checklist.items import ItemId, ItemResult, Status
from ses_stack.checklist.rules import dmarc_verdict, feedback_host, mail_from_problems
from ses_stack.checklist.template_reading import Record
from ses_stack.identity.dmarc_reports import authorization_name
from ses_stack.settings.runtime.txt import txt_text
from ses_stack.validation import is_within

# Metadata key SesDomain puts on an identity whose _dmarc record is managed outside the stack.
DMARC_MANAGED_ELSEWHERE = "SesStackDmarcManagedElsewhere"

_REGION_TOKEN = "${AWS::Region}"
_DKIM_TOKENS = (1, 2, 3)


def _publication(records: list[Record], item: ItemId, domain: str, what: str) -> ItemResult:
    if all(r.published for r in records):
        return ItemResult(item, Status.PASS, what, domain=domain)
    sources = ", ".join(r.source for r in records if not r.published)
    return ItemResult(
        item,
        Status.WARN,
        f"{what}; DNS is not in Route53, so the records are only listed ({sources})",
        fix="publish the records from the stack outputs in your DNS, then run `ses-preflight check`",
        domain=domain,
    )


def check_dkim(
    logical_id: str,
    props: Mapping[str, Any],
    domain: str,
    records: list[Record],
    *,
    replica_of: str | None = None,
    region: str | None = None,
) -> ItemResult:
    """``replica_of``: the Region whose Easy DKIM keys the identity signs with (a ``Custom::SesDkimReplica``)."""
    item = ItemId.DOMAIN_DKIM
    if replica_of is not None:
        return _replica_verdict(domain, replica_of, region)
    signing = props.get("DkimSigningAttributes") or {}
    if signing.get("DomainSigningPrivateKey") is not None:
        return ItemResult(
            item,
            Status.WARN,
            f"identity {domain} uses BYODKIM (your own key), not Easy DKIM",
            fix="use Easy DKIM so SES rotates the 2048-bit key for you",
            domain=domain,
        )
    if (props.get("DkimAttributes") or {}).get("SigningEnabled") is False:
        return ItemResult(
            item,
            Status.FAIL,
            f"DKIM signing is disabled on identity {domain}",
            fix="remove DkimAttributes.SigningEnabled=false",
            domain=domain,
        )
    key_length = signing.get("NextSigningKeyLength")
    if key_length not in (None, "RSA_2048_BIT"):
        return ItemResult(
            item,
            Status.FAIL,
            f"identity {domain} asks for a {key_length} DKIM key",
            fix="use EasyDkimSigningKeyLength.RSA_2048_BIT (Gmail recommends 2048-bit keys)",
            domain=domain,
        )
    dkim_records: list[Record] = []
    missing: list[str] = []
    for token in _DKIM_TOKENS:
        name = f"${{{logical_id}.DkimDNSTokenName{token}}}".lower()
        value = f"${{{logical_id}.DkimDNSTokenValue{token}}}"
        match = [r for r in records if r.type == "CNAME" and r.name == name and r.values == (value,)]
        if match:
            dkim_records.append(match[0])
        else:
            missing.append(str(token))
    if missing:
        return ItemResult(
            item,
            Status.FAIL,
            f"identity {domain} has no DKIM CNAME for token(s) {', '.join(missing)} "
            "(records must use DkimDNSTokenName/Value attributes)",
            fix="create the three CNAMEs from the identity's DkimDNSTokenName1-3 / DkimDNSTokenValue1-3",
            domain=domain,
        )
    if key_length is None:
        return ItemResult(
            item,
            Status.WARN,
            f"identity {domain} with 3 DKIM CNAMEs, but the key length is left to SES's default",
            fix="set NextSigningKeyLength RSA_2048_BIT explicitly",
            domain=domain,
        )
    return _publication(
        dkim_records, item, domain, f"domain identity {domain}, Easy DKIM RSA_2048_BIT, 3 DKIM CNAMEs from attributes"
    )


def _replica_verdict(domain: str, origin: str, region: str | None) -> ItemResult:
    if region is not None and origin == region:
        return ItemResult(
            ItemId.DOMAIN_DKIM,
            Status.FAIL,
            f"identity {domain} is set to replicate the DKIM keys of its own Region {origin}",
            fix="replicate the primary Region's identity (deterministicEasyDkim) or drop the replica",
            domain=domain,
        )
    return ItemResult(
        ItemId.DOMAIN_DKIM,
        Status.PASS,
        f"identity {domain} signs with the Easy DKIM keys of its {origin} identity (Deterministic Easy DKIM): the "
        f"{origin} stack's DKIM CNAMEs serve it; `ses-preflight check` proves them live",
        domain=domain,
    )


def _accepted_hosts(region: str | None) -> list[str]:
    # An environment-agnostic stack names its Region with a token.
    return [feedback_host(region), feedback_host(_REGION_TOKEN)] if region else [feedback_host(_REGION_TOKEN)]


def check_spf(props: Mapping[str, Any], domain: str, records: list[Record], region: str | None) -> ItemResult:
    item = ItemId.SPF
    mail_from = str((props.get("MailFromAttributes") or {}).get("MailFromDomain") or "").rstrip(".").lower()
    if not mail_from:
        return ItemResult(
            item,
            Status.FAIL,
            f"identity {domain} has no custom MAIL FROM domain, so SPF passes for amazonses.com and cannot align",
            fix="set a MAIL FROM subdomain (mailFromSubdomain), for example mail." + domain,
            domain=domain,
        )
    if mail_from == domain or not is_within(mail_from, domain):
        return ItemResult(
            item,
            Status.FAIL,
            f"MAIL FROM domain {mail_from} is not a subdomain of {domain}",
            fix=f"use a subdomain of {domain} that neither sends From nor receives mail",
            domain=domain,
        )
    mx = [r for r in records if r.name == mail_from and r.type == "MX"]
    mx_values = [v for r in mx for v in r.values]
    spf = [r for r in records if r.name == mail_from and r.type == "TXT" and txt_text(r.values[0]).startswith("v=spf1")]
    spf_values = [txt_text(v) for r in spf for v in r.values if txt_text(v).startswith("v=spf1")]
    problems = mail_from_problems(mail_from, mx_values, spf_values, _accepted_hosts(region))
    if problems:
        return ItemResult(
            item,
            Status.FAIL,
            "; ".join(problems),
            fix=f"publish one MX '10 feedback-smtp.<region>.amazonses.com' and one TXT "
            f"'v=spf1 include:amazonses.com ~all' on {mail_from}",
            domain=domain,
        )
    apex = [r.source for r in records if r.published and r.name == domain and r.type in ("MX", "TXT")]
    if apex:
        return ItemResult(
            item,
            Status.WARN,
            f"MAIL FROM {mail_from} has its MX and SPF, but the stack also writes apex records ({', '.join(apex)}), "
            "which replace every existing value of that name",
            fix="leave apex MX/TXT records to whoever owns the domain's inbound mail and verification records",
            domain=domain,
        )
    behaviour = (props.get("MailFromAttributes") or {}).get("BehaviorOnMxFailure", "USE_DEFAULT_VALUE")
    return _publication(
        [*mx, *spf],
        item,
        domain,
        f"MAIL FROM {mail_from}: one MX to {mx_values[0]}, one SPF {spf_values[0]!r}; on MX failure {behaviour}",
    )


def report_authorizations(records: Iterable[Record]) -> frozenset[str]:
    """Names of the DMARC report authorization records published in Route53 (``*._report._dmarc.*``)."""
    return frozenset(
        r.name
        for r in records
        if r.published
        and r.type == "TXT"
        and "._report._dmarc." in f".{r.name}"
        and any(txt_text(v).startswith("v=DMARC1") for v in r.values)
    )


def check_dmarc(
    props: Mapping[str, Any],
    metadata: Mapping[str, Any],
    domain: str,
    records: list[Record],
    authorizations: Collection[str] = frozenset(),
) -> ItemResult:
    """``authorizations``: the report authorization records published in any stack of the Region; an external
    report destination without one in them is a WARN (``ses-preflight check`` looks it up in DNS)."""
    item = ItemId.DMARC
    name = f"_dmarc.{domain}"
    found = [r for r in records if r.name == name and r.type == "TXT"]
    if not found:
        if metadata.get(DMARC_MANAGED_ELSEWHERE):
            return ItemResult(
                item,
                Status.WARN,
                f"{name} is managed outside this stack",
                fix="make sure it exists and is valid: `ses-preflight check` verifies it in DNS",
                domain=domain,
            )
        return ItemResult(
            item,
            Status.FAIL,
            f"no TXT record at {name}",
            fix=f"publish a DMARC record at {name}, at least 'v=DMARC1; p=none; rua=mailto:<reports mailbox>'",
            domain=domain,
        )
    values = [txt_text(v) for r in found for v in r.values]
    dmarc_values = [v for v in values if v.startswith("v=DMARC1")]
    if len(dmarc_values) != 1:
        return ItemResult(
            item,
            Status.FAIL,
            f"{len(dmarc_values)} DMARC records at {name} (receivers ignore DMARC unless there is exactly one)",
            fix=f"publish exactly one 'v=DMARC1; p=...' TXT value at {name}",
            domain=domain,
        )
    mail_from = str((props.get("MailFromAttributes") or {}).get("MailFromDomain") or "").lower()
    verdict = dmarc_verdict(
        name,
        dmarc_values[0],
        {mail_from} if mail_from else set(),
        lambda policy_domain, destination: authorization_name(policy_domain, destination) in authorizations or None,
    )
    if verdict.status is not Status.PASS:
        return ItemResult(item, verdict.status, verdict.evidence, fix=verdict.fix, domain=domain)
    return _publication(found, item, domain, verdict.evidence)
