"""How domains are spread over stacks: one stack per Region by default, a shared stack and domain stacks with
``domainStacks``; a domain's stack depends on its name (or pin) alone."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from ses_stack.config import ConfigError, DomainConfig, parse_config, plan_stacks, region_domains
from ses_stack.config.placement import domain_stack_number

ZONE = "Z0123456789ABCDEFGHIJ"


def config(names: list[str], domain_stacks: int | None = None, **extra: Any) -> dict[str, Any]:
    domains = [{"name": n, "hostedZoneId": ZONE} for n in names]
    data: dict[str, Any] = {"regions": ["eu-west-1", "us-east-1"], "domains": domains, **extra}
    if domain_stacks is not None:
        data["domainStacks"] = domain_stacks
    return data


def assignment(data: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(region, domain) -> the stack holding it."""
    return {(p.region, d.name): p.stack_name for p in plan_stacks(parse_config(data)) for d in p.domains}


NAMES = [f"customer{i}.example.com" for i in range(300)]


def test_without_domain_stacks_each_region_has_one_stack_with_every_domain() -> None:
    plans = plan_stacks(parse_config(config(NAMES[:3])))
    assert [(p.stack_name, p.holds_shared, len(p.domains)) for p in plans] == [
        ("SesStack-eu-west-1", True, 3),
        ("SesStack-us-east-1", True, 3),
    ]


def test_with_domain_stacks_every_domain_is_in_exactly_one_stack_per_region_in_config_order() -> None:
    parsed = parse_config(config(NAMES, domain_stacks=7))
    plans = plan_stacks(parsed)
    assert [p.stack_name for p in plans[:8]] == ["SesStack-eu-west-1"] + [
        f"SesStack-eu-west-1-domains-{n}" for n in range(1, 8)
    ]
    assert len(plans) == 16
    for region in ("eu-west-1", "us-east-1"):
        mine = [p for p in plans if p.region == region]
        assert mine[0].holds_shared and mine[0].domains == ()
        assert all(p.shared_stack_name == f"SesStack-{region}" for p in mine[1:])
        held = [d.name for p in mine for d in p.domains]
        assert sorted(held) == sorted(NAMES)  # each once
        for plan in mine[1:]:  # config order within a stack
            assert [d.name for d in plan.domains] == sorted((d.name for d in plan.domains), key=NAMES.index)
        assert [d.name for d in region_domains(parsed, region)] == NAMES
    # the secondary Region's stacks hold the same domains, with their own MAIL FROM and no DMARC
    secondary = [d for p in plans if p.region == "us-east-1" for d in p.domains]
    assert {d.mail_from_subdomain for d in secondary} == {"mail-us-east-1"}
    assert not any(d.dmarc.publish for d in secondary)


def test_the_stack_follows_from_the_name_by_sha256() -> None:
    # Fixed values: a change of the hash would move every domain of every deployed app (deleting identities).
    assert [domain_stack_number(DomainConfig(name="example.com"), n) for n in (1, 2, 7, 32, 100)] == [1, 2, 6, 6, 10]
    assert [domain_stack_number(DomainConfig(name="example.org"), n) for n in (1, 2, 7, 32, 100)] == [1, 1, 5, 7, 63]


def test_inserting_removing_and_reordering_moves_no_other_domain() -> None:
    before = assignment(config(NAMES, domain_stacks=12))
    shuffled = NAMES[:]
    random.Random(7).shuffle(shuffled)
    changed = [*shuffled[:150], "new1.example.net", "new2.example.org", *shuffled[150:290]]  # 10 gone, 2 new
    after = assignment(config(changed, domain_stacks=12))
    assert all(after[key] == before[key] for key in after if key in before)
    assert len(after) == 2 * 292


def test_domains_spread_evenly_enough_to_size_stacks_by_count() -> None:
    names = [f"tenant-{i:04d}.example.com" for i in range(1000)]
    sizes = Counter(domain_stack_number(DomainConfig(name=n), 24) for n in names)
    assert len(sizes) == 24
    assert max(sizes.values()) < 1.5 * 1000 / 24


def test_a_pin_overrides_the_hash() -> None:
    data = config(NAMES[:20], domain_stacks=5)
    data["domains"][3]["domainStack"] = 5
    data["domains"][4]["domainStack"] = 1
    held = assignment(data)
    assert held[("eu-west-1", NAMES[3])] == "SesStack-eu-west-1-domains-5"
    assert held[("us-east-1", NAMES[4])] == "SesStack-us-east-1-domains-1"


@pytest.mark.parametrize(
    ("domain_stacks", "pin", "message"),
    [
        (None, 2, "domains[1].domainStack: needs domainStacks (without it every domain is in one stack)"),
        (3, 4, "domains[1].domainStack: must be 1 to domainStacks (3); got 4"),
        (3, 0, "domains[1].domainStack: must be at least 1; got 0"),
        (501, None, "domainStacks: must be from 1 to 500; got 501"),
        (0, None, "domainStacks: must be from 1 to 500; got 0"),
    ],
)
def test_bad_domain_stack_settings_are_refused(domain_stacks: int | None, pin: int | None, message: str) -> None:
    data = config(NAMES[:2], domain_stacks=domain_stacks)
    if pin is not None:
        data["domains"][1]["domainStack"] = pin
    with pytest.raises(ConfigError) as raised:
        parse_config(data, "cfg.json")
    assert raised.value.lines() == [f"cfg.json: {message}"]


def test_a_full_domain_stack_is_named_with_both_ways_out() -> None:
    data = config(NAMES[:120], domain_stacks=1)
    with pytest.raises(ConfigError) as raised:
        parse_config(data, "cfg.json")
    (line,) = raised.value.lines()
    assert line.startswith(
        "cfg.json: domainStacks: SesStack-eu-west-1-domains-1 (domain stack 1 of 1) would hold 120 domains "
        "(customer0.example.com, customer1.example.com, customer2.example.com, ...) and "
    )
    assert (
        "raise domainStacks and set domainStacksBase to 1, the number deployed (then only the domains the new stacks "
        "take move; without it most domains move) or pin some of these domains to another stack" in line
    )
    # pinning half of them to a second stack is the other way out
    data["domainStacks"] = 2
    for domain in data["domains"]:
        domain["domainStack"] = 1 + data["domains"].index(domain) % 2
    parse_config(data)
