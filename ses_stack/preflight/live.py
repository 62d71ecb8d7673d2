"""The live evaluator: every checklist item, proved against an account (SESv2, SNS) and public DNS.

Shares the item ids, verdicts and JSON shape with the template evaluator (``ses_stack.checklist``); only the
evidence differs. Clients are passed in, so tests drive it with botocore's Stubber and a DNS server on loopback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import dns.resolver
from botocore.exceptions import ClientError

from ses_stack.checklist.items import Checklist, ItemId, ItemResult, Status
from ses_stack.checklist.rules import (
    TRANSACTIONAL_ONLY_EVIDENCE,
    feedback_host,
    mail_from_problems,
    unreachable_report_addresses,
)
from ses_stack.config import DomainConfig, SesStackConfig, plan_stacks
from ses_stack.preflight.dns import lookup
from ses_stack.validation import is_within

_BOTH = frozenset({"BOUNCE", "COMPLAINT"})
DEFAULT_DKIM_ZONE = "dkim.amazonses.com"


@dataclass(frozen=True)
class Clients:
    """The AWS clients of one Region."""

    sesv2: Any
    sns: Any


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _if_exists(operation: Callable[..., Mapping[str, Any]], **params: Any) -> Mapping[str, Any] | None:
    """The operation's response, or None when SES answers NotFoundException."""
    try:
        return operation(**params)
    except ClientError as error:
        if _error_code(error) == "NotFoundException":
            return None
        raise


def _identity(ses: Any, domain: str) -> Mapping[str, Any] | None:
    return _if_exists(ses.get_email_identity, EmailIdentity=domain)


def check_dkim(domain: str, identity: Mapping[str, Any] | None, resolver: dns.resolver.Resolver) -> ItemResult:
    item = ItemId.DOMAIN_DKIM

    def fail(evidence: str, fix: str) -> ItemResult:
        return ItemResult(item, Status.FAIL, evidence, fix=fix, domain=domain)

    if identity is None:
        return fail(f"no identity {domain} in this Region", "deploy the stack (cdk deploy) to create the identity")
    if identity.get("IdentityType") != "DOMAIN":
        return fail(f"{domain} is a {identity.get('IdentityType')} identity", "verify the domain, not an address")
    dkim = identity.get("DkimAttributes") or {}
    problems: list[str] = []
    if not identity.get("VerifiedForSendingStatus"):
        problems.append("not verified for sending")
    if dkim.get("Status") != "SUCCESS":
        problems.append(f"DKIM status {dkim.get('Status', 'missing')}")
    if not dkim.get("SigningEnabled"):
        problems.append("DKIM signing disabled")
    zone = str(dkim.get("SigningHostedZone") or DEFAULT_DKIM_ZONE).rstrip(".").lower()
    tokens = [str(t) for t in dkim.get("Tokens") or []]
    if dkim.get("SigningAttributesOrigin", "AWS_SES") == "AWS_SES" and len(tokens) != 3:
        problems.append(f"{len(tokens)} DKIM tokens (Easy DKIM has 3)")
    for token in tokens:
        name = f"{token}._domainkey.{domain}"
        answer = lookup(resolver, name, "CNAME")
        expected = f"{token}.{zone}"
        if answer.error:
            problems.append(answer.error)
        elif expected not in answer.values:
            seen = ", ".join(answer.values) or "nothing"
            problems.append(f"{name} CNAME should be {expected}, DNS has {seen}")
    if problems:
        return fail(
            f"{domain}: " + "; ".join(problems),
            "publish the DKIM CNAMEs (`ses-preflight records`) and wait for SES to verify them (up to 72 hours)",
        )
    origin = dkim.get("SigningAttributesOrigin", "AWS_SES")
    length = dkim.get("CurrentSigningKeyLength")
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


def check_dmarc(
    settings: DomainConfig,
    mail_from_domains: Iterable[str],
    dmarc_reader: Callable[[str], Mapping[str, Any]],
) -> ItemResult:
    """``dmarc_reader(domain)`` returns checkdmarc's ``check_dmarc`` result."""
    item, domain = ItemId.DMARC, settings.name
    result = dmarc_reader(domain)
    fix = f"publish one TXT at _dmarc.{domain}: 'v=DMARC1; p=none; rua=mailto:<a mailbox that receives mail>'"
    if result.get("error"):
        return ItemResult(item, Status.FAIL, f"_dmarc.{domain}: {result['error']}", fix=fix, domain=domain)
    tags = result.get("tags") or {}
    policy = (tags.get("p") or {}).get("value")
    if not (tags.get("p") or {}).get("explicit") or policy not in ("none", "quarantine", "reject"):
        return ItemResult(
            item,
            Status.FAIL,
            f"_dmarc.{domain} {result.get('record')!r} has no valid policy (p=)",
            fix=fix,
            domain=domain,
        )
    addresses = [str(uri.get("address", "")).lower() for uri in (tags.get("rua") or {}).get("value") or []]
    dead = unreachable_report_addresses(addresses, set(mail_from_domains))
    where = result.get("location", domain)
    summary = f"{result.get('record')!r} at _dmarc.{where}: p={policy}"
    if dead:
        return ItemResult(
            item,
            Status.FAIL,
            f"{summary}; reports go to {', '.join(dead)}, on a MAIL FROM domain whose MX is SES's feedback host",
            fix="send rua reports to a mailbox that receives mail",
            domain=domain,
        )
    if not addresses:
        return ItemResult(
            item, Status.WARN, f"{summary}; no aggregate reports (rua)", fix="add rua addresses", domain=domain
        )
    warnings = [str(w) for w in result.get("warnings") or []]
    status = Status.WARN if warnings else Status.PASS
    evidence = f"{summary}; reports to {', '.join(addresses)}" + (
        f"; warnings: {'; '.join(warnings)}" if warnings else ""
    )
    return ItemResult(item, status, evidence, fix="see the warnings" if warnings else "", domain=domain)


def _subscribed_consumers(sns: Any, topic_arn: str) -> list[str]:
    confirmed = []
    paginator = sns.get_paginator("list_subscriptions_by_topic")
    for page in paginator.paginate(TopicArn=topic_arn):
        for subscription in page.get("Subscriptions", []):
            arn = str(subscription.get("SubscriptionArn", ""))
            if subscription.get("Protocol") in ("sqs", "lambda") and arn.startswith("arn:"):
                confirmed.append(f"{subscription['Protocol']}:{subscription.get('Endpoint')}")
    return confirmed


def check_pipeline(item: ItemId, sets: list[str], clients: Clients) -> ItemResult:
    event = item.value.upper()
    fix = (
        f"deploy the stack: an enabled {event} event destination to an SNS topic with a confirmed queue "
        "subscription whose handler suppresses the addresses"
    )
    if not sets:
        return ItemResult(item, Status.FAIL, "no configuration set to check (identities have no default set)", fix=fix)
    evidence = []
    for name in sets:
        response = _if_exists(clients.sesv2.get_configuration_set_event_destinations, ConfigurationSetName=name)
        if response is None:
            return ItemResult(item, Status.FAIL, f"configuration set {name} does not exist in this Region", fix=fix)
        destinations = response.get("EventDestinations", [])
        topics = [
            d["SnsDestination"]["TopicArn"]
            for d in destinations
            if d.get("Enabled") and event in (d.get("MatchingEventTypes") or []) and d.get("SnsDestination")
        ]
        if not topics:
            return ItemResult(
                item, Status.FAIL, f"configuration set {name}: no enabled {event} SNS destination", fix=fix
            )
        consumers = [c for topic in topics for c in _subscribed_consumers(clients.sns, topic)]
        if not consumers:
            return ItemResult(
                item,
                Status.FAIL,
                f"configuration set {name}: {event} events go to {', '.join(topics)}, which has no confirmed queue "
                "or function subscription",
                fix=fix,
            )
        evidence.append(f"{name}: {event} -> {', '.join(topics)} -> {', '.join(consumers)}")
    return ItemResult(item, Status.PASS, "; ".join(evidence))


def check_suppression(sets: list[str], account: Mapping[str, Any], clients: Clients) -> ItemResult:
    item = ItemId.SUPPRESSION
    problems = []
    account_reasons = set((account.get("SuppressionAttributes") or {}).get("SuppressedReasons") or [])
    if not account_reasons >= _BOTH:
        problems.append(f"account level suppresses {', '.join(sorted(account_reasons)) or 'nothing'}")
    if not sets:
        problems.append("no configuration set to check")
    for name in sets:
        configuration_set = _if_exists(clients.sesv2.get_configuration_set, ConfigurationSetName=name)
        if configuration_set is None:
            problems.append(f"configuration set {name} does not exist")
            continue
        options = configuration_set.get("SuppressionOptions") or {}
        reasons = set(options.get("SuppressedReasons") or [])
        if not reasons >= _BOTH:
            problems.append(f"configuration set {name} suppresses {', '.join(sorted(reasons)) or 'nothing'}")
    if problems:
        return ItemResult(
            item,
            Status.FAIL,
            "; ".join(problems),
            fix="suppress BOUNCE and COMPLAINT at account level and on the configuration set (deploy the stack)",
        )
    return ItemResult(item, Status.PASS, f"account and configuration set {', '.join(sets)} suppress BOUNCE, COMPLAINT")


def check_unsubscribe(config: SesStackConfig, clients: Clients) -> ItemResult:
    item = ItemId.UNSUBSCRIBE
    if config.transactional_only:
        return ItemResult(item, Status.NOT_APPLICABLE, TRANSACTIONAL_ONLY_EVIDENCE)
    names = [c["ContactListName"] for c in clients.sesv2.list_contact_lists().get("ContactLists", [])]
    for name in names:
        topics = clients.sesv2.get_contact_list(ContactListName=name).get("Topics") or []
        if topics:
            topic_names = ", ".join(str(t.get("TopicName")) for t in topics)
            return ItemResult(item, Status.PASS, f"contact list {name} with topics {topic_names}")
    return ItemResult(
        item,
        Status.FAIL,
        "no contact list with a topic" if not names else f"contact lists without topics: {', '.join(names)}",
        fix="configure contactList (or declare transactionalOnly) and deploy; send bulk mail with "
        "ListManagementOptions",
    )


def evaluate_region(
    config: SesStackConfig,
    region: str,
    clients: Clients,
    resolver: dns.resolver.Resolver,
    *,
    dmarc_reader: Callable[[str], Mapping[str, Any]] | None = None,
    spf_validator: Callable[[str], str | None] | None = None,
) -> Checklist:
    """Every checklist item for ``region``: per domain, then account-wide."""
    if dmarc_reader is None or spf_validator is None:
        _forget_checkdmarc_answers()
    dmarc_reader = dmarc_reader or _checkdmarc_reader(resolver)
    spf_validator = spf_validator or _checkdmarc_spf_validator(resolver)
    plan = next(p for p in plan_stacks(config) if p.region == region)
    # Reports must not go to any MAIL FROM domain of the domain, whatever the Region.
    mail_from_domains = {d.mail_from_domain for p in plan_stacks(config) for d in p.domains}
    domain_results: list[ItemResult] = []
    sets: list[str] = []
    for settings in plan.domains:
        identity = _identity(clients.sesv2, settings.name)
        if identity and identity.get("ConfigurationSetName") and identity["ConfigurationSetName"] not in sets:
            sets.append(str(identity["ConfigurationSetName"]))
        domain_results += [
            check_dkim(settings.name, identity, resolver),
            check_spf(settings, identity, region, resolver, spf_validator),
            check_dmarc(settings, mail_from_domains, dmarc_reader),
        ]
    if config.configuration_set.name and config.configuration_set.name not in sets:
        sets.append(config.configuration_set.name)
    account = clients.sesv2.get_account()
    results = [
        *domain_results,
        check_pipeline(ItemId.BOUNCE, sets, clients),
        check_pipeline(ItemId.COMPLAINT, sets, clients),
        check_suppression(sets, account, clients),
        check_unsubscribe(config, clients),
    ]
    order = {item: index for index, item in enumerate(ItemId)}
    results.sort(key=lambda r: order[r.item])
    return Checklist(region=region, results=tuple(results))


def _forget_checkdmarc_answers() -> None:
    """checkdmarc caches DNS answers process-wide, keyed by name only (not by resolver): start each check fresh,
    so records published since the last check, or another --nameserver, are seen."""
    import checkdmarc.utils  # noqa: PLC0415

    checkdmarc.utils.DNS_CACHE.clear()


def _checkdmarc_reader(resolver: dns.resolver.Resolver) -> Callable[[str], Mapping[str, Any]]:
    def read(domain: str) -> Mapping[str, Any]:
        import checkdmarc.dmarc  # noqa: PLC0415 (slow import, only when checking)

        result: Mapping[str, Any] = checkdmarc.dmarc.check_dmarc(domain, resolver=resolver, timeout=resolver.lifetime)
        return result

    return read


def _checkdmarc_spf_validator(resolver: dns.resolver.Resolver) -> Callable[[str], str | None]:
    def validate(name: str) -> str | None:
        import checkdmarc.spf  # noqa: PLC0415

        result = checkdmarc.spf.check_spf(name, resolver=resolver, timeout=resolver.lifetime)
        return None if result.get("valid") else str(result.get("error", "invalid"))

    return validate
