"""The tenants section: each tenant's domains are configured, in one tenant, and (sharded) in one stack."""

from __future__ import annotations

from typing import Any

import pytest

from ses_stack.config import ConfigError, parse_config, plan_stacks
from ses_stack.config.domains import DomainConfig
from ses_stack.config.placement import domain_stack_number

ZONE = "Z0123456789ABCDEFGHIJ"


def config(tenants: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    names = ["a.example.com", "b.example.com", "c.example.com", "d.example.com"]
    return {"regions": ["eu-west-1"], "domains": [{"name": n, "hostedZoneId": ZONE} for n in names],
            "tenants": tenants, **extra}  # fmt: skip


@pytest.mark.parametrize(
    ("tenants", "message"),
    [
        ([{"name": "t", "domains": ["x.example.com"]}],
         'tenants[0].domains[0]: "x.example.com" is not one of the configured domains (domains[].name)'),
        ([{"name": "t", "domains": ["a.example.com"]}, {"name": "u", "domains": ["b.example.com", "A.example.com"]}],
         'tenants[1].domains[1]: "a.example.com" is already in tenant "t" (tenants[0]); a domain belongs to one '
         "tenant"),
        ([{"name": "t", "domains": ["a.example.com", "a.example.com"]}],
         'tenants[0].domains[1]: "a.example.com" is already in this tenant (tenants[0]); a domain belongs to one '
         "tenant"),
        ([{"name": "t", "domains": ["a.example.com"]}, {"name": "t", "domains": ["b.example.com"]}],
         'tenants[1].name: duplicate tenant "t" (also tenants[0])'),
        ([{"name": "t", "domains": []}], "tenants[0].domains: must not be empty; got []"),
        ([{"name": "t v", "domains": ["a.example.com"]}],
         'tenants[0].name: must be 1-64 letters, digits, underscores or hyphens; got "t v"'),
        ([{"name": "t", "domains": ["a.example.com"], "suppression": {"reasons": ["BOUNCE", "BOUNCE"]}}],
         "tenants[0].suppression.reasons: lists a reason more than once"),
        ([{"name": "t", "domains": ["a.example.com"], "reputationPolicy": "lenient"}],
         'tenants[0].reputationPolicy: must be one of standard, strict, none; got "lenient"'),
    ],
)  # fmt: skip
def test_bad_tenants_are_refused_with_their_path(tenants: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(config(tenants), "cfg.json")
    assert raised.value.lines() == [f"cfg.json: {message}"]


def test_with_domain_stacks_a_tenant_must_sit_in_one_and_lives_there() -> None:
    names = ["a.example.com", "b.example.com", "c.example.com", "d.example.com"]
    numbers = {n: domain_stack_number(DomainConfig(name=n), 3) for n in names}
    apart = next((x, y) for x in names for y in names if numbers[x] != numbers[y])
    with pytest.raises(ConfigError) as raised:
        parse_config(config([{"name": "t", "domains": list(apart)}], domainStacks=3), "cfg.json")
    (line,) = raised.value.lines()
    assert line.startswith("cfg.json: tenants[0].domains: are in domain stacks ")
    assert line.endswith("pin them to one with domains[].domainStack")
    # pinned together, the tenant lives in that stack
    data = config([{"name": "t", "domains": list(apart)}], domainStacks=3)
    for domain in data["domains"]:
        if domain["name"] in apart:
            domain["domainStack"] = 2
    held = {p.stack_name: [t.name for t in p.tenants] for p in plan_stacks(parse_config(data))}
    assert held["SesStack-eu-west-1-domains-2"] == ["t"]
    assert sum(len(t) for t in held.values()) == 1
