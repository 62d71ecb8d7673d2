"""How the config's domains are spread over stacks.

Without ``domainStacks``: one stack per Region holding everything (the layout before sharding, kept as it was so
existing deployments see no change). With ``domainStacks: N``: per Region, a shared stack (configuration set,
feedback pipeline, reputation guard, account settings, contact list) and N domain stacks; a domain's stack follows
from its name alone (or its ``domainStack`` pin), so adding, removing or reordering domains moves no other domain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ses_stack.config.domains import DomainConfig
from ses_stack.config.model import SesStackConfig
from ses_stack.config.placement import domain_stack_number
from ses_stack.config.tenants import TenantConfig
from ses_stack.identity.dmarc_reports import external_report_domains


@dataclass(frozen=True)
class StackPlan:
    """One stack to synthesize: a Region and the domains it holds."""

    stack_name: str
    region: str
    domains: tuple[DomainConfig, ...]
    shared_stack_name: str | None = None
    """For a domain stack, the Region's shared stack it references; None for the shared (or only) stack."""
    number: int | None = None
    """For a domain stack, its number (1 to ``domainStacks``)."""
    tenants: tuple[TenantConfig, ...] = ()
    """The tenants whose domains this stack holds (a tenant lives beside its identities)."""
    dkim_origin_region: str | None = None
    """With Deterministic Easy DKIM, in a secondary Region: the primary Region, whose Easy DKIM keys the domains
    sign with (this stack then writes no DKIM CNAMEs)."""

    @property
    def holds_shared(self) -> bool:
        """Holds the configuration set, feedback pipeline, reputation guard and account settings."""
        return self.shared_stack_name is None


def regional_mail_from_subdomain(subdomain: str, region: str, primary_region: str) -> str:
    """The MAIL FROM subdomain used in ``region``: as configured in the first (primary) Region, with ``-<region>``
    appended elsewhere. A MAIL FROM domain takes exactly one MX, to one Region's feedback host, so each Region
    needs its own."""
    return subdomain if region == primary_region else f"{subdomain}-{region}"


def _in_region(domain: DomainConfig, region: str, primary_region: str, senders: Sequence[str]) -> DomainConfig:
    if region == primary_region:
        if not senders:
            return domain
        accepted = list(dict.fromkeys([*domain.dmarc.accept_reports_for, *senders]))
        return domain.model_copy(update={"dmarc": domain.dmarc.model_copy(update={"accept_reports_for": accepted})})
    # DMARC and its report authorizations are DNS records of the whole domain: only the primary Region's stack
    # publishes them.
    return domain.model_copy(
        update={
            "mail_from_subdomain": regional_mail_from_subdomain(domain.mail_from_subdomain, region, primary_region),
            "dmarc": domain.dmarc.model_copy(update={"publish": False, "accept_reports_for": []}),
        }
    )


def incoming_report_senders(domains: Sequence[DomainConfig]) -> dict[str, list[str]]:
    """For each configured domain that authorizes senders, the configured domains of another organizational domain
    whose published DMARC record sends reports (``rua``/``ruf``) to an address at exactly it: it must accept them
    (see ``dmarc_reports``)."""
    names = {domain.name for domain in domains if domain.dmarc.authorize_senders}
    incoming: dict[str, list[str]] = {}
    for domain in domains:
        if not domain.dmarc.publish or not (domain.dmarc.rua or domain.dmarc.ruf):
            continue
        for destination in external_report_domains(domain.name, [*domain.dmarc.rua, *domain.dmarc.ruf]):
            if destination in names:
                incoming.setdefault(destination, []).append(domain.name)
    return incoming


def shared_stack_name(config: SesStackConfig, region: str) -> str:
    """The Region's stack holding the shared resources (and every domain, without ``domainStacks``)."""
    return f"{config.stack_name_prefix}-{region}"


def domain_stack_name(config: SesStackConfig, region: str, number: int) -> str:
    return f"{config.stack_name_prefix}-{region}-domains-{number}"


def dkim_origin_region(config: SesStackConfig, region: str) -> str | None:
    """With Deterministic Easy DKIM, in a secondary Region: the primary Region, whose Easy DKIM keys the Region's
    identities sign with; else None (they sign with their own)."""
    primary = config.regions[0]
    return primary if config.deterministic_easy_dkim and region != primary else None


def region_domains(config: SesStackConfig, region: str) -> tuple[DomainConfig, ...]:
    """Every domain as deployed to ``region``, in config order, whichever stack holds it; in the primary Region,
    each accepts the DMARC reports of the configured domains that send them to it (``dmarc.acceptReportsFor``)."""
    primary = config.regions[0]
    incoming = incoming_report_senders(config.domains) if region == primary else {}
    return tuple(_in_region(domain, region, primary, incoming.get(domain.name, ())) for domain in config.domains)


def _tenants_of(config: SesStackConfig, domains: tuple[DomainConfig, ...]) -> tuple[TenantConfig, ...]:
    names = {domain.name for domain in domains}
    return tuple(tenant for tenant in config.tenants if tenant.domains[0] in names)


def plan_stacks(config: SesStackConfig) -> list[StackPlan]:
    """Every stack of the app, Region by Region, the shared (or only) stack first.

    The first Region is the primary one: its stacks publish each domain's DMARC record and use the configured
    MAIL FROM subdomain; other Regions use ``<mailFromSubdomain>-<region>``. Every domain stack is planned, even
    one that no domain hashes to: the set of stacks depends on ``domainStacks`` alone, and a stack whose last
    domain leaves is emptied by the next deployment rather than forgotten.
    """
    plans = []
    for region in config.regions:
        domains = region_domains(config, region)
        shared = shared_stack_name(config, region)
        origin = dkim_origin_region(config, region)
        if config.domain_stacks is None:
            plans.append(StackPlan(shared, region, domains, tenants=tuple(config.tenants), dkim_origin_region=origin))
            continue
        plans.append(StackPlan(stack_name=shared, region=region, domains=()))
        shares: list[list[DomainConfig]] = [[] for _ in range(config.domain_stacks)]
        for domain in domains:  # config order within each stack
            shares[domain_stack_number(domain, config.domain_stacks, config.domain_stacks_base) - 1].append(domain)
        for number, share in enumerate(shares, 1):
            held = tuple(share)
            plans.append(
                StackPlan(
                    stack_name=domain_stack_name(config, region, number),
                    region=region,
                    domains=held,
                    shared_stack_name=shared,
                    number=number,
                    tenants=_tenants_of(config, held),
                    dkim_origin_region=origin,
                )
            )
    return plans
