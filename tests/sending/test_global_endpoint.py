"""The global endpoint: in the primary Region's stack only, failing over to the secondary; validation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cfnlint.api
import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Template

from ses_stack import SesGlobalEndpoint
from ses_stack.config import ConfigError, parse_config
from tests.app.test_stack import CFN_LINT_IGNORED
from tests.conftest import new_app, resources_of, synth_config

MULTI_REGION: dict[str, Any] = {
    "regions": ["eu-west-1", "us-east-1", "eu-central-1"],
    "deterministicEasyDkim": True,
    "globalEndpoint": {"name": "mail", "secondaryRegion": "eu-central-1"},
    "domains": [{"name": "example.com", "hostedZoneId": "Z0123456789ABCDEFGHIJ"}],
}


def test_the_primary_stack_holds_the_endpoint_and_names_it_for_senders(tmp_path: Path) -> None:
    templates = synth_config(MULTI_REGION, tmp_path)
    primary = templates["SesStack-eu-west-1"]
    (endpoint,) = resources_of(primary, "AWS::SES::MultiRegionEndpoint").values()
    assert endpoint["Properties"] == {"EndpointName": "mail", "Details": {"RouteDetails": [{"Region": "eu-central-1"}]}}
    assert (endpoint["DeletionPolicy"], endpoint["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert primary["Outputs"]["GlobalEndpointName"]["Value"] == "mail"
    for region in ("us-east-1", "eu-central-1"):
        assert resources_of(templates[f"SesStack-{region}"], "AWS::SES::MultiRegionEndpoint") == {}
    matches = cfnlint.api.lint(json.dumps(primary), regions=["eu-west-1"])
    assert [f"{m.rule.id} {m.message}" for m in matches if m.rule.id not in CFN_LINT_IGNORED] == []


def test_the_secondary_defaults_to_the_second_region(tmp_path: Path) -> None:
    data = {**MULTI_REGION, "regions": ["eu-west-1", "us-east-1"], "globalEndpoint": {"name": "mail"}}
    primary = synth_config(data, tmp_path)["SesStack-eu-west-1"]
    (endpoint,) = resources_of(primary, "AWS::SES::MultiRegionEndpoint").values()
    assert endpoint["Properties"]["Details"]["RouteDetails"] == [{"Region": "us-east-1"}]


def test_without_it_nothing_is_emitted(example_template: dict[str, Any]) -> None:
    Template.from_json(example_template).resource_count_is("AWS::SES::MultiRegionEndpoint", 0)
    assert "GlobalEndpointName" not in example_template["Outputs"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deterministicEasyDkim": False},
         "globalEndpoint: needs deterministicEasyDkim: true (the secondary Region's identities must sign with the "
         "primary's keys)"),
        ({"globalEndpoint": {"name": "mail", "secondaryRegion": "eu-west-1"}},
         'globalEndpoint.secondaryRegion: must be one of regions after the first (us-east-1, eu-central-1); got '
         '"eu-west-1"'),
        ({"globalEndpoint": {"name": "mail", "secondaryRegion": "ap-south-1"}},
         'globalEndpoint.secondaryRegion: must be one of regions after the first (us-east-1, eu-central-1); got '
         '"ap-south-1"'),
        ({"globalEndpoint": {"name": "mail endpoint"}},
         'globalEndpoint.name: must be 1-64 letters, digits, underscores or hyphens; got "mail endpoint"'),
    ],
)  # fmt: skip
def test_bad_endpoint_settings_are_refused(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config({**MULTI_REGION, **change}, "cfg.json")
    assert raised.value.lines() == [f"cfg.json: {message}"]


def test_one_region_cannot_have_an_endpoint() -> None:
    data = {**MULTI_REGION, "regions": ["eu-west-1"], "deterministicEasyDkim": False}
    with pytest.raises(ConfigError) as raised:
        parse_config(data, "cfg.json")
    assert raised.value.lines() == [
        "cfg.json: globalEndpoint: needs two Regions or more: it fails over from the first to another"
    ]


def test_construct_validation(tmp_path: Path) -> None:
    stack = Stack(new_app(tmp_path), "Primary", env={"region": "eu-west-1"})
    with pytest.raises(ValueError, match="must be another Region than the stack's"):
        SesGlobalEndpoint(stack, "Same", endpoint_name="mail", secondary_region="eu-west-1")
    with pytest.raises(ValueError, match="SesGlobalEndpoint 'Name' endpoint_name: must be 1-64 letters"):
        SesGlobalEndpoint(stack, "Name", endpoint_name="", secondary_region="us-east-1")
    assert stack.node.try_find_child("Same") is None
