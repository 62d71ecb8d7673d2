"""Rules that span several settings, checked once the file has the right shape."""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator

from ses_stack.config.capacity import MAX_OUTPUTS, MAX_RESOURCES, domain_footprint, stack_footprint
from ses_stack.config.dmarc_rules import dmarc_mode_problems, report_sender_problems
from ses_stack.config.domains import DomainConfig
from ses_stack.config.fields import repeated
from ses_stack.config.model import MAX_DOMAIN_STACKS, SesStackConfig
from ses_stack.config.operations import MailType
from ses_stack.config.placement import hashed_stack_number
from ses_stack.config.plan import plan_stacks, region_domains, regional_mail_from_subdomain
from ses_stack.config.tenant_rules import tenant_problems
from ses_stack.feedback.options import LOG_RETENTION_DAYS
from ses_stack.validation import (
    BOUNCE_REVIEW_RATE,
    COMPLAINT_REVIEW_RATE,
    derived_name_problem,
    mail_from_subdomain_problem,
)


def _name_problems(config: SesStackConfig, index: int, domain: DomainConfig) -> Iterator[tuple[str, str]]:
    """The MAIL FROM part must sit below the domain, and every name derived from both, in every Region, must fit
    DNS (the DKIM name with its 32-character token is the longest)."""
    path = f"domains[{index}].mailFromSubdomain"
    problem = mail_from_subdomain_problem(domain.mail_from_subdomain, domain.name)
    if problem is not None:
        yield (path, f"{problem}; got {json.dumps(domain.mail_from_subdomain)}")
        return
    for region in config.regions:
        regional = regional_mail_from_subdomain(domain.mail_from_subdomain, region, config.regions[0])
        problem = derived_name_problem(domain.name, regional)
        if problem is not None:
            where = "" if regional == domain.mail_from_subdomain else f'in {region} it becomes "{regional}": '
            yield (path if "MAIL FROM" in problem else f"domains[{index}].name", f"{where}{problem}")
            return


def _mail_from_clashes(config: SesStackConfig) -> Iterator[tuple[str, str]]:
    """A sending domain that is another domain's MAIL FROM domain would get SES's feedback endpoint as its only
    MX (and the SPF record of the MAIL FROM)."""
    mail_from_of: dict[str, tuple[int, str]] = {}
    for index, domain in enumerate(config.domains):
        for region in config.regions:
            subdomain = regional_mail_from_subdomain(domain.mail_from_subdomain, region, config.regions[0])
            mail_from_of.setdefault(f"{subdomain}.{domain.name}", (index, region))
    for index, domain in enumerate(config.domains):
        if domain.name in mail_from_of:
            other, region = mail_from_of[domain.name]
            yield (
                f"domains[{index}].name",
                f"{domain.name} is the MAIL FROM domain of domains[{other}] ({config.domains[other].name}, "
                f"domains[{other}].mailFromSubdomain in {region}), whose only MX is SES's feedback endpoint: a "
                "sending domain cannot be another one's MAIL FROM; choose another mailFromSubdomain for "
                f"domains[{other}]; got {json.dumps(domain.name)}",
            )


def _domain_problems(config: SesStackConfig) -> Iterator[tuple[str, str]]:
    yield from _mail_from_clashes(config)
    seen: dict[str, int] = {}
    for index, domain in enumerate(config.domains):
        if domain.name in seen:
            yield (
                f"domains[{index}].name",
                f'duplicate domain "{domain.name}" (also domains[{seen[domain.name]}]); DNS names are '
                "case-insensitive and each domain is one SES identity",
            )
        seen.setdefault(domain.name, index)
        yield from _name_problems(config, index, domain)
        if domain.wait_for_verification and domain.hosted_zone_id is None:
            yield (
                f"domains[{index}].waitForVerification",
                "needs hostedZoneId: with DNS elsewhere the records can only be published after the deployment",
            )
        yield from _pin_problems(config, index, domain)
        mail_from_domains = {
            f"{regional_mail_from_subdomain(domain.mail_from_subdomain, region, config.regions[0])}.{domain.name}"
            for region in config.regions
        }
        yield from dmarc_mode_problems(index, domain)
        for tag in ("rua", "ruf"):
            for position, address in enumerate(getattr(domain.dmarc, tag)):
                mailbox_domain = address.removeprefix("mailto:").rpartition("@")[2].lower()
                if mailbox_domain in mail_from_domains:
                    yield (
                        f"domains[{index}].dmarc.{tag}[{position}]",
                        f"{mailbox_domain} is a MAIL FROM domain, whose MX is SES's feedback endpoint, so it "
                        f"cannot receive reports; use a mailbox that receives mail; got {json.dumps(address)}",
                    )


def _base_problems(config: SesStackConfig) -> Iterator[tuple[str, str]]:
    base = config.domain_stacks_base
    if base is None:
        return
    if config.domain_stacks is None:
        yield ("domainStacksBase", "needs domainStacks (without it every domain is in one stack)")
    elif base > config.domain_stacks:
        yield (
            "domainStacksBase",
            f"must be at most domainStacks ({config.domain_stacks}): fewer stacks than the base would move the "
            f"domains of the stacks that go; got {base}",
        )


def _pin_problems(config: SesStackConfig, index: int, domain: DomainConfig) -> Iterator[tuple[str, str]]:
    if domain.domain_stack is None:
        return
    if config.domain_stacks is None:
        yield (f"domains[{index}].domainStack", "needs domainStacks (without it every domain is in one stack)")
    elif domain.domain_stack > config.domain_stacks:
        yield (
            f"domains[{index}].domainStack",
            f"must be 1 to domainStacks ({config.domain_stacks}); got {domain.domain_stack}",
        )


def _settings_problems(config: SesStackConfig) -> Iterator[tuple[str, str]]:
    yield from _base_problems(config)
    if config.feedback.log_retention_days not in LOG_RETENTION_DAYS:
        yield (
            "feedback.logRetentionDays",
            f"must be one of CloudWatch's periods ({', '.join(map(str, LOG_RETENTION_DAYS))}); "
            f"got {config.feedback.log_retention_days}",
        )
    tracking = config.configuration_set
    if tracking.https_policy is not None and tracking.custom_redirect_domain is None:
        yield ("configurationSet.httpsPolicy", "needs configurationSet.customRedirectDomain")
    if tracking.managed_dedicated_ip_pool is not None and tracking.dedicated_ip_pool is not None:
        yield (
            "configurationSet.managedDedicatedIpPool",
            "cannot be combined with configurationSet.dedicatedIpPool (a set sends from one pool)",
        )
    if config.contact_list is not None:
        if config.transactional_only:
            yield ("transactionalOnly", "cannot be true with a contactList: a contact list is for bulk mail")
        names = [topic.name for topic in config.contact_list.topics]
        for index, name in enumerate(names):
            if name in names[:index]:
                yield (f"contactList.topics[{index}].name", f'duplicate topic "{name}"')
    if config.account_suppression.auto_validation is not None and not config.account_suppression.manage:
        yield (
            "accountSuppression.autoValidation",
            "needs accountSuppression.manage: true (the stack sets account-level Auto Validation with the reasons)",
        )
    if config.deterministic_easy_dkim and len(config.regions) < 2:
        yield ("deterministicEasyDkim", "needs two Regions or more: secondary Regions sign with the first one's keys")
    yield from _endpoint_problems(config)
    access = config.production_access
    if access is not None and access.mail_type is MailType.MARKETING and config.transactional_only:
        yield ("productionAccess.mailType", "MARKETING contradicts transactionalOnly: true")
    for key, rates, review in (
        ("bounceRate", config.reputation.bounce_rate, BOUNCE_REVIEW_RATE),
        ("complaintRate", config.reputation.complaint_rate, COMPLAINT_REVIEW_RATE),
    ):
        if not rates.warning < rates.critical < review:
            yield (
                f"reputation.{key}",
                f"needs warning < critical < {review} (the rate at which AWS reviews the account); "
                f"got warning {rates.warning}, critical {rates.critical}",
            )


def _endpoint_problems(config: SesStackConfig) -> Iterator[tuple[str, str]]:
    endpoint = config.global_endpoint
    if endpoint is None:
        return
    if len(config.regions) < 2:
        yield ("globalEndpoint", "needs two Regions or more: it fails over from the first to another")
        return
    if not config.deterministic_easy_dkim:
        yield (
            "globalEndpoint",
            "needs deterministicEasyDkim: true (the secondary Region's identities must sign with the primary's keys)",
        )
    secondary = endpoint.secondary_region
    if secondary is not None and (secondary not in config.regions or secondary == config.regions[0]):
        yield (
            "globalEndpoint.secondaryRegion",
            f"must be one of regions after the first ({', '.join(config.regions[1:])}); got {json.dumps(secondary)}",
        )


def _capacity_problems(config: SesStackConfig) -> Iterator[tuple[str, str]]:
    """Every stack must fit CloudFormation's limits (checked only once each domain is valid)."""
    for plan in plan_stacks(config):
        replica = plan.dkim_origin_region is not None
        problems = stack_footprint(config, plan.domains, shared=plan.holds_shared, replica=replica).problems()
        if not problems:
            continue
        if config.domain_stacks is None:
            fitting = (
                bisect.bisect_left(
                    range(len(plan.domains) + 1),
                    True,
                    key=lambda n: bool(stack_footprint(config, plan.domains[:n]).problems()),
                )
                - 1
            )  # footprints only grow with each domain
            yield (
                "domains",
                f"{len(plan.domains)} domains make the {plan.region} stack {plan.stack_name} hold "
                f"{' and '.join(problems)}; the first {fitting} of these domains fit in one stack: set domainStacks "
                f"to spread them over domain stacks, with domainStacksBase 1 so that raising it later moves only the "
                f"domains new stacks take ({domain_stacks_needed(config)} is the fewest that fit these "
                "domains; choose more to leave room)",
            )
            return
        names = ", ".join(d.name for d in plan.domains[:3]) + (", ..." if len(plan.domains) > 3 else "")
        yield (
            "domainStacks",
            f"{plan.stack_name} (domain stack {plan.number} of {config.domain_stacks}) would hold "
            f"{len(plan.domains)} domains ({names}) and {' and '.join(problems)}; raise domainStacks{_keeping(config)} "
            "or pin some of these domains to another stack with domains[].domainStack",
        )
        return


def _keeping(config: SesStackConfig) -> str:
    """How raising ``domainStacks`` keeps the deployed domains where they are."""
    if config.domain_stacks_base is not None:
        return f" (domainStacksBase {config.domain_stacks_base} keeps the rest where they are)"
    return (
        f" and set domainStacksBase to {config.domain_stacks}, the number deployed (then only the domains the new "
        "stacks take move; without it most domains move)"
    )


def domain_stacks_needed(config: SesStackConfig) -> int:
    """The fewest domain stacks whose every share fits CloudFormation's limits, placed by consistent hashing
    (``domainStacksBase`` 1). No fewer than the domains' resources and outputs over one stack's limits are tried,
    and a count whose largest share cannot fit by its resources alone is passed over before the exact count."""
    domains = region_domains(config, config.regions[0])  # the primary Region's stacks hold the most
    own = [domain_footprint(domain) for domain in domains]
    start = max(
        1,
        -(-sum(f.resources for f in own) // MAX_RESOURCES),
        -(-sum(f.outputs for f in own) // MAX_OUTPUTS),
    )
    for count in range(start, MAX_DOMAIN_STACKS + 1):
        shares: list[list[int]] = [[] for _ in range(count)]
        for index, domain in enumerate(domains):
            shares[hashed_stack_number(domain.name, count, 1) - 1].append(index)  # no pins without domainStacks
        if any(sum(own[i].resources for i in share) > MAX_RESOURCES for share in shares):
            continue
        if not any(
            stack_footprint(config, tuple(domains[i] for i in share), shared=False).problems() for share in shares
        ):
            return count
    return MAX_DOMAIN_STACKS


def cross_field_problems(config: SesStackConfig) -> list[tuple[str, str]]:
    """Every problem that spans settings; the stack-size check only once everything else holds."""
    problems = [
        *_domain_problems(config),
        *tenant_problems(config),
        *_settings_problems(config),
        *repeated("feedback.additionalEventTypes", config.feedback.additional_event_types, "event type"),
        *repeated("accountSuppression.reasons", config.account_suppression.reasons, "reason"),
        *repeated("regions", config.regions, "Region"),
        *repeated("providers", config.providers, "provider"),
        *report_sender_problems(config),
    ]
    return problems or list(_capacity_problems(config))
