"""Which domain stack holds a domain: the modulo placement every deployed app has (unchanged without
``domainStacksBase``), and consistent hashing past the base, so that growing moves only what must move."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest

from ses_stack.config import ConfigError, DomainConfig, parse_config, plan_stacks
from ses_stack.config.placement import (
    bucket_of,
    domain_stack_number,
    hashed_stack_number,
    jump_bucket,
    jump_points,
    moved,
)

NAMES = [f"tenant-{i:05d}.example.com" for i in range(20_000)]


def released_placement(name: str, domain_stacks: int) -> int:
    """The placement of every release before domainStacksBase, written out again."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % domain_stacks + 1


@pytest.mark.parametrize("domain_stacks", [1, 2, 7, 22, 100, 500])
def test_without_a_base_every_domain_stays_where_the_released_placement_put_it(domain_stacks: int) -> None:
    # upgrading the library moves no deployed domain
    assert all(hashed_stack_number(n, domain_stacks) == released_placement(n, domain_stacks) for n in NAMES[:3000])
    # a base equal to the count is the same placement
    assert all(hashed_stack_number(n, domain_stacks, domain_stacks) == released_placement(n, domain_stacks)
               for n in NAMES[:3000])  # fmt: skip


def test_fixed_values_so_that_no_change_of_the_hash_goes_unnoticed() -> None:
    # a change here would move domains of deployed apps (and delete identities with removalPolicy destroy)
    assert [jump_bucket("example.com", n) for n in (1, 2, 7, 32, 100, 500)] == [0, 1, 1, 29, 29, 29]
    assert [hashed_stack_number("example.com", n, 1) for n in (1, 2, 7, 32, 100, 500)] == [1, 2, 2, 30, 30, 30]
    assert [hashed_stack_number("example.org", n, 4) for n in (4, 5, 8, 40, 400)] == [3, 5, 5, 35, 188]
    assert [hashed_stack_number("customer7.example.net", n, 1) for n in (1, 3, 30, 300)] == [1, 2, 11, 69]


@pytest.mark.parametrize(
    ("key", "buckets", "expected"),
    [(1, 1, 0), (42, 57, 43), (0xDEAD10CC, 1, 0), (0xDEAD10CC, 666, 361), (256, 1024, 520), (1, 128, 55),
     (129, 128, 120), (2**64 - 1, 128, 92), (128, 100_000_000, 38_172_097)],
)  # fmt: skip
def test_jump_hash_gives_the_published_test_vectors(key: int, buckets: int, expected: int) -> None:
    # the vectors other implementations test against (Go, C, Python, Elixir), so the algorithm is the paper's
    assert bucket_of(jump_points(key), buckets) == expected


@pytest.mark.parametrize(("base", "before", "after"), [(22, 22, 30), (22, 30, 40), (1, 10, 11), (1, 100, 300)])
def test_growing_past_the_base_moves_only_the_share_new_stacks_take_and_only_into_them(
    base: int, before: int, after: int
) -> None:
    names = NAMES[:10_000]
    moving = moved(names, (before, base), (after, base))
    expected = (after - before) / after
    assert abs(len(moving) / len(names) - expected) < 0.02
    assert all(before < hashed_stack_number(n, after, base) <= after for n in moving)


def test_the_modulo_placement_moves_most_domains_when_grown() -> None:
    # the negative twin: the placement without a base is what made growing hurt
    names = NAMES[:10_000]
    assert len(moved(names, (22, None), (30, None))) / len(names) > 0.9
    assert len(moved(names, (22, 22), (30, 22))) / len(names) < 0.3


@pytest.mark.parametrize(("base", "domain_stacks"), [(1, 24), (10, 24), (24, 24), (100, 300)])
def test_domains_spread_evenly_over_old_and_new_stacks(base: int, domain_stacks: int) -> None:
    sizes = Counter(hashed_stack_number(n, domain_stacks, base) for n in NAMES)
    assert sorted(sizes) == list(range(1, domain_stacks + 1))
    mean = len(NAMES) / domain_stacks
    assert max(sizes.values()) < mean + 5 * mean**0.5
    assert min(sizes.values()) > mean - 5 * mean**0.5


def test_a_pin_overrides_the_placement() -> None:
    pinned = DomainConfig(name="example.com", domainStack=3)  # type: ignore[call-arg]
    assert domain_stack_number(pinned, 40, 1) == 3
    assert domain_stack_number(DomainConfig(name="example.com"), 40, 1) == 30


def config(**extra: object) -> dict[str, object]:
    return {"regions": ["eu-west-1"], "domains": [{"name": "example.com", "hostedZoneId": "Z0123"}], **extra}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"domainStacksBase": 2}, "domainStacksBase: needs domainStacks (without it every domain is in one stack)"),
        (
            {"domainStacks": 3, "domainStacksBase": 4},
            "domainStacksBase: must be at most domainStacks (3): fewer stacks than the base would move the domains "
            "of the stacks that go; got 4",
        ),
        ({"domainStacks": 3, "domainStacksBase": 0}, "domainStacksBase: must be from 1 to 500; got 0"),
        ({"domainStacks": 3, "domainStacksBase": "1"}, 'domainStacksBase: must be a whole number; got "1"'),
    ],
)
def test_bad_bases_are_refused_naming_the_setting(extra: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(config(**extra), "cfg.json")
    assert raised.value.lines() == [f"cfg.json: {message}"]


def test_the_plan_places_domains_by_the_configured_base() -> None:
    names = [f"d{i}.example.com" for i in range(200)]
    data = {"regions": ["eu-west-1"], "domains": [{"name": n} for n in names], "domainStacks": 12}

    def held(**extra: object) -> dict[str, int]:
        return {d.name: p.number or 0 for p in plan_stacks(parse_config({**data, **extra})) for d in p.domains}

    assert held() == {n: released_placement(n, 12) for n in names}
    assert held(domainStacksBase=12) == held()
    grown = held(domainStacks=16, domainStacksBase=12)
    assert all(grown[n] == held()[n] or grown[n] > 12 for n in names)
    assert held(domainStacksBase=1) == {n: hashed_stack_number(n, 12, 1) for n in names}
