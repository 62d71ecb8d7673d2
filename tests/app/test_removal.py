"""State survives stack deletion and replacement: every stateful resource carries DeletionPolicy and
UpdateReplacePolicy Retain by default, and ``removalPolicy: destroy`` flips them for throwaway accounts."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import synth_config

ZONE = "Z0123456789ABCDEFGHIJ"
CONFIG: dict[str, Any] = {
    "regions": ["eu-west-1"],
    "domains": [{"name": "example.com", "hostedZoneId": ZONE}, {"name": "example.org"}],
    "configurationSet": {"name": "outbound"},
    "contactList": {
        "name": "newsletter",
        "topics": [{"name": "news", "displayName": "News", "defaultSubscription": "OPT_OUT"}],
    },
}
# State a deletion or a replacement would lose: keys, an identity's DKIM keys, contacts and their opt-outs,
# undelivered feedback, logs, and the DNS records that tie an identity to its keys.
STATEFUL = {
    "AWS::SES::EmailIdentity": 2,
    "AWS::Route53::RecordSet": 6,
    "AWS::SES::ContactList": 1,
    "AWS::SES::ConfigurationSet": 1,
    "AWS::KMS::Key": 4,
    "AWS::Logs::LogGroup": 4,
}


def synth(tmp_path: Path, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(CONFIG)
    data.update(changes)
    (template,) = synth_config(data, tmp_path).values()
    return template


@pytest.fixture(scope="module")
def retained(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return synth(tmp_path_factory.mktemp("retain"))


def policies(resource: dict[str, Any]) -> tuple[str | None, str | None]:
    return resource.get("DeletionPolicy"), resource.get("UpdateReplacePolicy")


def dead_letter_queue_id(template: dict[str, Any]) -> str:
    targets = [
        r["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::SQS::Queue" and "RedrivePolicy" in r.get("Properties", {})
    ]
    (target,) = targets
    return str(target)


@pytest.mark.parametrize("resource_type", list(STATEFUL))
def test_stateful_resources_are_retained_on_deletion_and_replacement(
    retained: dict[str, Any], resource_type: str
) -> None:
    found = [r for r in retained["Resources"].values() if r["Type"] == resource_type]
    assert len(found) == STATEFUL[resource_type]
    assert {policies(r) for r in found} == {("Retain", "Retain")}


def test_the_dead_letter_queue_is_retained_and_the_queue_is_not(retained: dict[str, Any]) -> None:
    dlq = dead_letter_queue_id(retained)
    assert policies(retained["Resources"][dlq]) == ("Retain", "Retain")
    others = [k for k, r in retained["Resources"].items() if r["Type"] == "AWS::SQS::Queue" and k != dlq]
    assert [policies(retained["Resources"][k]) for k in others] == [("Delete", "Delete")]


@pytest.mark.parametrize("resource_type", ["AWS::SNS::Topic", "AWS::Lambda::Function", "AWS::CloudWatch::Alarm"])
def test_stateless_resources_go_with_the_stack(retained: dict[str, Any], resource_type: str) -> None:
    found = [r for r in retained["Resources"].values() if r["Type"] == resource_type]
    assert found and all(r.get("DeletionPolicy") in (None, "Delete") for r in found)


def test_destroy_flips_every_one_of_them(tmp_path: Path) -> None:
    template = synth(tmp_path, removalPolicy="destroy")
    for resource_type, count in STATEFUL.items():
        found = [r for r in template["Resources"].values() if r["Type"] == resource_type]
        assert len(found) == count
        assert {policies(r) for r in found} == {("Delete", "Delete")}, resource_type
    assert policies(template["Resources"][dead_letter_queue_id(template)]) == ("Delete", "Delete")


def test_a_generated_configuration_set_name_is_not_retained(tmp_path: Path) -> None:
    template = synth(tmp_path, configurationSet={})
    (configuration_set,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::SES::ConfigurationSet"]
    assert "Name" not in configuration_set["Properties"]
    assert policies(configuration_set) == ("Delete", "Delete")
