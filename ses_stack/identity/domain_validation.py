"""The rules ``SesDomain`` checks its props against before it creates anything."""

from __future__ import annotations

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


def validate_domain_props(
    construct_id: str,
    *,
    domain_name: str,
    zone_name: str | None,
    mail_from_subdomain: str,
    dmarc: Dmarc,
    dkim_origin_region: str | None = None,
) -> None:
    def fail(setting: str, problem: str, value: object) -> ValueError:
        return ValueError(f"SesDomain {construct_id!r} {setting}: {problem}; got {value!r}")

    if not isinstance(dmarc, Dmarc):
        raise fail("dmarc", "must be a ses_stack.Dmarc", dmarc)
    origin_problem = _region_problem(dkim_origin_region)
    if origin_problem is not None:
        raise fail("dkim_origin_region", origin_problem, dkim_origin_region)
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


def _region_problem(region: str | None) -> str | None:
    return None if region is None or has_token(region) else region_problem(region)


def zone_name_or_none(zone: route53.IHostedZone) -> str | None:
    """The zone's name when known at synth time (zones imported by id alone have none)."""
    try:
        name = zone.zone_name
    except (jsii.errors.JSIIError, RuntimeError):  # jsii raises RuntimeError for a JavaScript error
        return None
    return None if has_token(name) else name.rstrip(".").lower()
