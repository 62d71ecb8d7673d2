"""Rules across ``tenants[]`` and ``domains[]``: each tenant's domains are configured, in one tenant only, and (with
``domainStacks``) in one stack, which holds the tenant."""

from __future__ import annotations

from collections.abc import Iterator

from ses_stack.config.model import SesStackConfig
from ses_stack.config.placement import domain_stack_number


def tenant_problems(config: SesStackConfig) -> Iterator[tuple[str, str]]:
    configured = {domain.name: domain for domain in config.domains}
    named: dict[str, int] = {}
    owner: dict[str, int] = {}
    for index, tenant in enumerate(config.tenants):
        if tenant.name in named:
            yield (f"tenants[{index}].name", f'duplicate tenant "{tenant.name}" (also tenants[{named[tenant.name]}])')
        named.setdefault(tenant.name, index)
        if len(set(tenant.suppression.reasons)) != len(tenant.suppression.reasons):
            yield (f"tenants[{index}].suppression.reasons", "lists a reason more than once")
        for position, name in enumerate(tenant.domains):
            path = f"tenants[{index}].domains[{position}]"
            if name not in configured:
                yield (path, f'"{name}" is not one of the configured domains (domains[].name)')
            elif name in owner:
                earlier = owner[name]
                where = "this tenant" if earlier == index else f'tenant "{config.tenants[earlier].name}"'
                yield (path, f'"{name}" is already in {where} (tenants[{earlier}]); a domain belongs to one tenant')
            owner.setdefault(name, index)
        if config.domain_stacks is not None:
            stacks = sorted(
                {
                    domain_stack_number(configured[n], config.domain_stacks, config.domain_stacks_base)
                    for n in tenant.domains
                    if n in configured
                }
            )
            if len(stacks) > 1:
                yield (
                    f"tenants[{index}].domains",
                    f"are in domain stacks {', '.join(map(str, stacks))}; a tenant lives in the stack that holds its "
                    "domains, so pin them to one with domains[].domainStack",
                )
