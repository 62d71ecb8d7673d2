"""Large configs: every valid config synthesizes, and what does not fit one stack is refused by the config check.

The counts in ``ses_stack.config.capacity`` are held to real templates here, so they cannot drift.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ses_stack.app.synth import MAX_DESCRIPTION
from ses_stack.config import ConfigError, parse_config, plan_stacks
from ses_stack.config.capacity import MAX_OUTPUTS, MAX_RESOURCES, stack_footprint
from tests.conftest import synth_config

ZONE = "Z0123456789ABCDEFGHIJ"
EVERYTHING_SHARED: dict[str, Any] = {
    "contactList": {
        "name": "newsletter",
        "topics": [{"name": "news", "displayName": "News", "defaultSubscription": "OPT_IN"}],
    },
    "operations": {"alarmEmails": ["ops@example.com", "oncall@example.com"]},
    "vdm": {},
    "configurationSet": {"managedDedicatedIpPool": "pool", "vdm": {}},
}


def config_with(
    count: int, *, zone: bool = True, regions: tuple[str, ...] = ("eu-west-1",), **extra: Any
) -> dict[str, Any]:
    domain: dict[str, Any] = {"hostedZoneId": ZONE} if zone else {}
    return {
        "regions": list(regions),
        "domains": [{"name": f"customer{i}.example.com", **domain} for i in range(count)],
        **extra,
    }


def most_that_fit(data: dict[str, Any]) -> int:
    """The largest number of this config's domains that one stack takes, by the config's own count."""
    count = 1
    while True:
        try:
            parse_config(config_with(count + 1, zone="hostedZoneId" in data["domains"][0], **_extra(data)))
        except ConfigError:
            return count
        count += 1


def _extra(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("regions", "domains")}


def test_the_reported_22_domain_config_synthesizes(tmp_path: Path) -> None:
    templates = synth_config(config_with(22), tmp_path)
    (template,) = templates.values()
    assert template["Description"] == (
        "ses_stack: SES sending setup for eu-west-1 (customer0.example.com, customer1.example.com, "
        "customer2.example.com and 19 more)"
    )
    assert sum(r["Type"] == "AWS::SES::EmailIdentity" for r in template["Resources"].values()) == 22


@pytest.mark.parametrize(
    ("zone", "extra", "limit"),
    [(True, EVERYTHING_SHARED, "resources"), (False, {}, "outputs")],
    ids=["route53-domains-hit-the-resource-limit", "dns-elsewhere-domains-hit-the-output-limit"],
)
def test_the_largest_config_that_fits_synthesizes_and_one_more_is_refused(
    tmp_path: Path, zone: bool, extra: dict[str, Any], limit: str
) -> None:
    fitting = most_that_fit(config_with(1, zone=zone, **extra))
    data = config_with(fitting, zone=zone, **extra)
    (template,) = synth_config(data, tmp_path).values()
    (plan,) = plan_stacks(parse_config(data))
    footprint = stack_footprint(parse_config(data), plan.domains)
    # The count is exact where every shared option is on, and never below the real number.
    assert len(template["Resources"]) <= footprint.resources <= MAX_RESOURCES
    assert len(template.get("Outputs", {})) == footprint.outputs <= MAX_OUTPUTS
    if extra:
        assert len(template["Resources"]) == footprint.resources
    assert len(json.dumps(template)) < 1_000_000
    assert len(template["Description"]) <= MAX_DESCRIPTION
    # the limit that binds is the one named, and the next domain breaks it
    used = len(template["Resources"]) if limit == "resources" else len(template["Outputs"])
    assert used > (MAX_RESOURCES if limit == "resources" else MAX_OUTPUTS) - 7
    with pytest.raises(ConfigError) as raised:
        parse_config(config_with(fitting + 1, zone=zone, **extra), "big.json")
    (line,) = raised.value.lines()
    assert line.startswith(
        f"big.json: domains: {fitting + 1} domains make the eu-west-1 stack SesStack-eu-west-1 hold "
    )
    assert f"(CloudFormation allows {MAX_RESOURCES if limit == 'resources' else MAX_OUTPUTS} per stack)" in line
    advice = "set domainStacks to spread them over domain stacks, with domainStacksBase 1"
    assert f"the first {fitting} of these domains fit in one stack: {advice}" in line
    # the advice holds: that many domain stacks take these domains, one fewer does not
    fewest = int(re.search(r"\((\d+) is the fewest that fit these domains", line).group(1))  # type: ignore[union-attr]
    parse_config(config_with(fitting + 1, zone=zone, **extra, domainStacks=fewest, domainStacksBase=1))
    if fewest > 1:
        with pytest.raises(ConfigError, match="domainStacks: "):
            parse_config(config_with(fitting + 1, zone=zone, **extra, domainStacks=fewest - 1, domainStacksBase=1))


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"reputation": {"autoPause": False}, "accountSuppression": {"manage": False}},
        {"feedback": {"existingTopicName": "events"}},
        EVERYTHING_SHARED,
        {"waitForVerification": True},
        {"tenants": [{"name": "t", "domains": ["a.example.com", "c.example.com"]}]},
        {"deterministicEasyDkim": True},
    ],
    ids=[
        "defaults",
        "no-pause-no-account-suppression",
        "own-topic",
        "everything",
        "waiting-for-verification",
        "tenants",
        "deterministic-easy-dkim",
    ],
)
def test_the_count_is_an_upper_bound_for_every_shared_variant_and_exact_per_domain(
    tmp_path: Path, extra: dict[str, Any]
) -> None:
    extra = dict(extra)
    wait = {"waitForVerification": True} if extra.pop("waitForVerification", False) else {}
    domains = [
        {"name": "a.example.com", "hostedZoneId": ZONE, **wait},
        {"name": "b.example.com", "hostedZoneId": ZONE, "dmarc": {"publish": False}},
        {"name": "c.example.com"},
        {"name": "d.example.com", "dmarc": {"publish": False}},
    ]
    data = {"regions": ["eu-west-1", "us-east-1"], "domains": domains, **extra}
    templates = synth_config(data, tmp_path)
    config = parse_config(data)
    for plan in plan_stacks(config):
        template = templates[plan.stack_name]
        shared = stack_footprint(config, ())
        footprint = stack_footprint(config, plan.domains, replica=plan.dkim_origin_region is not None)
        per_domain_resources = footprint.resources - shared.resources
        real_shared = len(template["Resources"]) - per_domain_resources
        assert real_shared <= shared.resources
        assert len(template["Outputs"]) == footprint.outputs
        if extra is EVERYTHING_SHARED:
            assert real_shared == shared.resources


def test_a_config_past_one_stack_synthesizes_sharded_within_the_limits_it_counts(tmp_path: Path) -> None:
    data = config_with(100, **EVERYTHING_SHARED)
    for index in range(0, 100, 9):
        data["domains"][index] = {"name": data["domains"][index]["name"]}  # some with DNS elsewhere
    for domain in data["domains"][1::17]:
        if "hostedZoneId" in domain:
            domain["waitForVerification"] = True
    with pytest.raises(ConfigError, match="set domainStacks") as raised:
        parse_config(data)
    (line,) = raised.value.lines()
    data["domainStacks"] = int(re.search(r"\((\d+) is the fewest", line).group(1))  # type: ignore[union-attr]
    config = parse_config(data)
    templates = synth_config(data, tmp_path)
    assert len(templates) == 1 + data["domainStacks"] > 2
    for plan in plan_stacks(config):
        template = templates[plan.stack_name]
        footprint = stack_footprint(config, plan.domains, shared=plan.holds_shared)
        assert len(template["Resources"]) <= footprint.resources <= MAX_RESOURCES
        assert len(template.get("Outputs", {})) == footprint.outputs <= MAX_OUTPUTS
        assert len(json.dumps(template)) < 1_000_000
        if plan.domains:  # a domain stack's count is exact; the shared count is an upper bound
            assert len(template["Resources"]) == footprint.resources or plan.holds_shared
