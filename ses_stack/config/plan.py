"""How the config's domains are spread over stacks (today: one stack per Region)."""

from __future__ import annotations

from dataclasses import dataclass

from ses_stack.config.domains import DomainConfig
from ses_stack.config.model import SesStackConfig


@dataclass(frozen=True)
class StackPlan:
    """One stack to synthesize: a Region and the domains it holds."""

    stack_name: str
    region: str
    domains: tuple[DomainConfig, ...]


def regional_mail_from_subdomain(subdomain: str, region: str, primary_region: str) -> str:
    """The MAIL FROM subdomain used in ``region``: as configured in the first (primary) Region, with ``-<region>``
    appended elsewhere. A MAIL FROM domain takes exactly one MX, to one Region's feedback host, so each Region
    needs its own."""
    return subdomain if region == primary_region else f"{subdomain}-{region}"


def _in_region(domain: DomainConfig, region: str, primary_region: str) -> DomainConfig:
    if region == primary_region:
        return domain
    # DMARC is one record for the whole domain: only the primary Region's stack publishes it.
    return domain.model_copy(
        update={
            "mail_from_subdomain": regional_mail_from_subdomain(domain.mail_from_subdomain, region, primary_region),
            "dmarc": domain.dmarc.model_copy(update={"publish": False}),
        }
    )


def plan_stacks(config: SesStackConfig) -> list[StackPlan]:
    """Group the config's domains into stacks: today one stack per Region with every domain.

    The first Region is the primary one: its stack publishes each domain's DMARC record and uses the configured
    MAIL FROM subdomain; other Regions use ``<mailFromSubdomain>-<region>``. Spreading a Region's domains over
    several stacks (past CloudFormation's 500-resource limit) changes this function only; the stack and the
    constructs take whatever domains they are given.
    """
    primary = config.regions[0]
    return [
        StackPlan(
            stack_name=f"{config.stack_name_prefix}-{region}",
            region=region,
            domains=tuple(_in_region(domain, region, primary) for domain in config.domains),
        )
        for region in config.regions
    ]
