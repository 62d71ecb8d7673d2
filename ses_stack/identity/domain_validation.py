"""The rules ``SesDomain`` checks its props against before it creates anything."""

from __future__ import annotations

from collections.abc import Sequence

import jsii
from aws_cdk import aws_route53 as route53

from ses_stack._cdk.tokens import has_token
from ses_stack.identity.dmarc import Dmarc
from ses_stack.validation import (
    derived_name_problem,
    domain_name_problem,
    is_within,
    mail_from_subdomain_problem,
    region_problem,
    subdomain_label_problem,
)


def _report_senders_problem(domain_name: str, senders: Sequence[str]) -> tuple[str, str, object] | None:
    """The first broken rule of ``dmarc_report_senders``: the setting, the rule and the value that breaks it."""
    if isinstance(senders, str) or not isinstance(senders, Sequence):
        return "dmarc_report_senders", "must be a list of domain names", senders
    for sender in senders:
        problem = domain_name_problem(sender) if isinstance(sender, str) else "must be a domain name"
        if problem is None and not has_token(domain_name) and sender.lower() == domain_name.lower():
            problem = "must not name the domain itself (its own reports need no authorization)"
        if problem is not None:
            return "dmarc_report_senders", problem, sender
    return None


def validate_domain_props(
    construct_id: str,
    *,
    domain_name: str,
    zone_name: str | None,
    mail_from_subdomain: str,
    dmarc: Dmarc,
    dkim_origin_region: str | None = None,
    report_senders: Sequence[str] = (),
) -> None:
    def fail(setting: str, problem: str, value: object) -> ValueError:
        return ValueError(f"SesDomain {construct_id!r} {setting}: {problem}; got {value!r}")

    if not isinstance(dmarc, Dmarc):
        raise fail("dmarc", "must be a ses_stack.Dmarc", dmarc)
    first = _report_senders_problem(domain_name, report_senders) or _region_problem(dkim_origin_region)
    if first is not None:
        raise fail(*first)
    if not has_token(mail_from_subdomain):
        problem = subdomain_label_problem(mail_from_subdomain)
        if problem is not None:
            raise fail("mail_from_subdomain", problem, mail_from_subdomain)
    if has_token(domain_name):
        return
    problem = domain_name_problem(domain_name)
    if problem is not None:
        raise fail("domain_name", problem, domain_name)
    domain = domain_name.lower()
    if not has_token(mail_from_subdomain):
        problem = mail_from_subdomain_problem(mail_from_subdomain, domain)
        if problem is not None:
            raise fail("mail_from_subdomain", problem, mail_from_subdomain)
        problem = derived_name_problem(domain, mail_from_subdomain)
        if problem is not None:
            setting = "mail_from_subdomain" if "MAIL FROM" in problem else "domain_name"
            raise fail(setting, problem, mail_from_subdomain if setting == "mail_from_subdomain" else domain_name)
    mail_from_domain = f"{mail_from_subdomain.lower()}.{domain}"
    for address in dmarc.report_addresses():
        if address.rpartition("@")[2].lower() == mail_from_domain:
            raise fail(
                "dmarc",
                f"report address {address} is on the MAIL FROM domain, whose MX is SES's feedback endpoint, "
                "so it cannot receive reports",
                address,
            )
    if zone_name is not None and not is_within(domain, zone_name):
        raise fail("hosted_zone", f"zone {zone_name} cannot hold records for {domain}", zone_name)


def _region_problem(region: str | None) -> tuple[str, str, object] | None:
    problem = None if region is None or has_token(region) else region_problem(region)
    return None if problem is None else ("dkim_origin_region", problem, region)


def zone_name_or_none(zone: route53.IHostedZone) -> str | None:
    """The zone's name when known at synth time (zones imported by id alone have none)."""
    try:
        name = zone.zone_name
    except (jsii.errors.JSIIError, RuntimeError):  # jsii raises RuntimeError for a JavaScript error
        return None
    return None if has_token(name) else name.rstrip(".").lower()
