"""Live checks of the per-domain items: domain_dkim, spf and dmarc (SESv2 identity attributes and DNS)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import dns.resolver

from ses_stack.checklist.items import ItemId, ItemResult, Status
from ses_stack.checklist.rules import dmarc_verdict, feedback_host, mail_from_problems
from ses_stack.config import DomainConfig
from ses_stack.identity.dmarc_reports import authorization_name
from ses_stack.preflight.check.dns import lookup
from ses_stack.validation import is_within

DEFAULT_DKIM_ZONE = "dkim.amazonses.com"


def check_dkim(
    domain: str,
    identity: Mapping[str, Any] | None,
    resolver: dns.resolver.Resolver,
    *,
    expected_origin: str | None = None,
    origin_identity: Mapping[str, Any] | None = None,
    region: str = "",
) -> ItemResult:
    """``expected_origin``: with Deterministic Easy DKIM in a secondary Region, the primary's
    ``AWS_SES_<REGION>`` the identity must sign with; ``origin_identity``, the primary's identity, whose CNAMEs
    are then the ones that must resolve."""
    item = ItemId.DOMAIN_DKIM

    def fail(evidence: str, fix: str) -> ItemResult:
        return ItemResult(item, Status.FAIL, evidence, fix=fix, domain=domain)

    if identity is None:
        return fail(f"no identity {domain} in this Region", "deploy the stack (cdk deploy) to create the identity")
    if identity.get("IdentityType") != "DOMAIN":
        return fail(f"{domain} is a {identity.get('IdentityType')} identity", "verify the domain, not an address")
    dkim = identity.get("DkimAttributes") or {}
    problems = _signing_problems(identity)
    signing = dkim
    if expected_origin is not None and dkim.get("SigningAttributesOrigin") == expected_origin:
        if origin_identity is None:
            problems.append("no identity in the primary Region, whose keys it signs with")
        signing = (origin_identity or {}).get("DkimAttributes") or {}
    zone = str(signing.get("SigningHostedZone") or DEFAULT_DKIM_ZONE).rstrip(".").lower()
    tokens = [str(t) for t in signing.get("Tokens") or []]
    if dkim.get("SigningAttributesOrigin", "AWS_SES") == "AWS_SES" and len(tokens) != 3:
        problems.append(f"{len(tokens)} DKIM tokens (Easy DKIM has 3)")
    problems += _cname_problems(domain, tokens, zone, resolver)
    if problems:
        return fail(
            f"{domain}: " + "; ".join(problems),
            "publish the DKIM CNAMEs (`ses-preflight records`) and wait for SES to verify them (up to 72 hours)",
        )
    origin = dkim.get("SigningAttributesOrigin", "AWS_SES")
    length = dkim.get("CurrentSigningKeyLength")
    if expected_origin is not None:
        return _replica_verdict(domain, origin, expected_origin, region, len(tokens))
    if origin != "AWS_SES" or length not in (None, "RSA_2048_BIT"):
        return ItemResult(
            item,
            Status.WARN,
            f"{domain} verified and signing, but with {origin} DKIM and key {length}",
            fix="use Easy DKIM with RSA_2048_BIT",
            domain=domain,
        )
    return ItemResult(
        item,
        Status.PASS,
        f"{domain} verified, Easy DKIM {length or 'RSA_2048_BIT'} status SUCCESS, 3 CNAMEs resolve to {zone}",
        domain=domain,
    )


def _signing_problems(identity: Mapping[str, Any]) -> list[str]:
    dkim = identity.get("DkimAttributes") or {}
    problems = []
    if not identity.get("VerifiedForSendingStatus"):
        problems.append("not verified for sending")
    if dkim.get("Status") != "SUCCESS":
        problems.append(f"DKIM status {dkim.get('Status', 'missing')}")
    if not dkim.get("SigningEnabled"):
        problems.append("DKIM signing disabled")
    return problems


def _cname_problems(domain: str, tokens: list[str], zone: str, resolver: dns.resolver.Resolver) -> list[str]:
    """Each DKIM token's CNAME, as DNS answers it."""
    problems = []
    for token in tokens:
        name = f"{token}._domainkey.{domain}"
        answer = lookup(resolver, name, "CNAME")
        expected = f"{token}.{zone}"
        if answer.error:
            problems.append(answer.error)
        elif expected not in answer.values:
            seen = ", ".join(answer.values) or "nothing"
            problems.append(f"{name} CNAME should be {expected}, DNS has {seen}")
    return problems


def _replica_verdict(domain: str, origin: str, expected: str, region: str, resolved: int) -> ItemResult:
    if origin == expected:
        cnames = f", the primary's {resolved} CNAMEs resolve" if resolved else ""
        return ItemResult(
            ItemId.DOMAIN_DKIM,
            Status.PASS,
            f"{domain} verified and signing with the primary Region's Easy DKIM keys ({origin}, Deterministic Easy "
            f"DKIM){cnames}",
            domain=domain,
        )
    own = "its own keys" if origin == "AWS_SES" else f"{origin} keys"
    return ItemResult(
        ItemId.DOMAIN_DKIM,
        Status.WARN,
        f"{domain} signs with {own}, not the primary's ({expected}): this Region needs DKIM CNAMEs of its own",
        fix=f"aws sesv2 put-email-identity-dkim-signing-attributes --region {region} --email-identity {domain} "
        f"--signing-attributes-origin {expected} (or deploy the stack, which does it)",
        domain=domain,
    )


def check_spf(
    settings: DomainConfig,
    identity: Mapping[str, Any] | None,
    region: str,
    resolver: dns.resolver.Resolver,
    spf_validator: Callable[[str], str | None],
) -> ItemResult:
    item, domain = ItemId.SPF, settings.name

    def fail(evidence: str, fix: str) -> ItemResult:
        return ItemResult(item, Status.FAIL, evidence, fix=fix, domain=domain)

    if identity is None:
        return fail(f"no identity {domain} in this Region", "deploy the stack (cdk deploy)")
    attributes = identity.get("MailFromAttributes") or {}
    mail_from = str(attributes.get("MailFromDomain") or "").rstrip(".").lower()
    if not mail_from or mail_from == domain or not is_within(mail_from, domain):
        return fail(
            f"{domain} has no custom MAIL FROM subdomain ({mail_from or 'none'}), so SPF cannot align",
            f"set a MAIL FROM subdomain such as {settings.mail_from_domain} (deploy the stack)",
        )
    problems: list[str] = []
    if attributes.get("MailFromDomainStatus") != "SUCCESS":
        problems.append(f"MAIL FROM status {attributes.get('MailFromDomainStatus', 'missing')}")
    host = feedback_host(region)
    mx = lookup(resolver, mail_from, "MX")
    txt = lookup(resolver, mail_from, "TXT")
    spf = [v for v in txt.values if v.lower().startswith("v=spf1")]
    lookup_errors = [e for e in (mx.error, txt.error) if e]
    problems += lookup_errors or mail_from_problems(mail_from, mx.values, spf, [host])
    if not problems:
        invalid = spf_validator(mail_from)
        if invalid:
            problems.append(f"SPF {spf[0]!r} is invalid: {invalid}")
    if problems:
        return fail(
            f"{mail_from}: " + "; ".join(problems),
            f"publish exactly one MX '10 {host}' and one TXT 'v=spf1 include:amazonses.com ~all' on {mail_from}",
        )
    return ItemResult(
        item,
        Status.PASS,
        f"MAIL FROM {mail_from} status SUCCESS; one MX to {host}; one valid SPF {spf[0]!r}",
        domain=domain,
    )


# checkdmarc warnings the shared rule (``dmarc_verdict``) already decides: p=none and sp=none pass by design (what
# Gmail and Yahoo require), and the tags RFC 9989 removed are a warning of its own there.
_DECIDED_BY_THE_SHARED_RULE = (
    "makes DMARC unenforced",
    "tag was removed in RFC 9989",
    "does not indicate that it accepts DMARC reports",
)


def _authorized_in_dns(resolver: dns.resolver.Resolver) -> Callable[[str, str], bool]:
    """Whether the destination publishes ``<domain>._report._dmarc.<destination>`` TXT ``v=DMARC1`` (a wildcard
    ``*._report._dmarc.<destination>`` answers too); a failed look-up counts as not published."""

    def authorized(domain: str, destination: str) -> bool:
        answer = lookup(resolver, authorization_name(domain, destination), "TXT")
        return not answer.error and any(v.strip().startswith("v=DMARC1") for v in answer.values)

    return authorized


def check_dmarc(
    settings: DomainConfig,
    mail_from_domains: Iterable[str],
    dmarc_reader: Callable[[str], Mapping[str, Any]],
    resolver: dns.resolver.Resolver | None = None,
) -> ItemResult:
    """``dmarc_reader(domain)`` returns checkdmarc's ``check_dmarc`` result: it finds the record (at the domain or
    its organisational domain) and validates its syntax and external report destinations; the verdict is the rule
    the template evaluator applies too."""
    item, domain = ItemId.DMARC, settings.name
    result = dmarc_reader(domain)
    if result.get("error"):
        return ItemResult(
            item,
            Status.FAIL,
            f"_dmarc.{domain}: {result['error']}",
            fix=f"publish one TXT at _dmarc.{domain}: 'v=DMARC1; p=none; rua=mailto:<a mailbox that receives mail>'",
            domain=domain,
        )
    where = result.get("location", domain)
    verdict = dmarc_verdict(
        f"_dmarc.{where}",
        str(result.get("record", "")),
        set(mail_from_domains),
        _authorized_in_dns(resolver) if resolver is not None else None,
    )
    others = [str(w) for w in result.get("warnings") or [] if not any(k in str(w) for k in _DECIDED_BY_THE_SHARED_RULE)]
    if verdict.status is Status.FAIL or not others:
        return ItemResult(item, verdict.status, verdict.evidence, fix=verdict.fix, domain=domain)
    fix = "; ".join(f for f in (verdict.fix, "see the warnings") if f)
    evidence = f"{verdict.evidence}; warnings: {'; '.join(others)}"
    return ItemResult(item, Status.WARN, evidence, fix=fix, domain=domain)
