"""A setting change never gives a DNS record a new logical id while its name and type stay: CloudFormation would
create the new id (failing on the existing record, or after a takeover deleted it) and then delete the old id in
its clean-up, which with DeletionPolicy Delete removes the record the update just made."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Mutator, resources_of, synth_config

ZONE = "Z0123456789ABCDEFGHIJ"
BASE: dict[str, Any] = {
    "regions": ["eu-west-1", "us-east-1"],
    "domains": [{"name": "example.com", "hostedZoneId": ZONE}, {"name": "example.net", "hostedZoneId": ZONE}],
    "contactList": {
        "name": "news",
        "topics": [{"name": "news", "displayName": "News", "defaultSubscription": "OPT_OUT"}],
    },
}


def _set(path: str, value: Any) -> Mutator:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node.setdefault(key, {})
        node[last] = value

    return mutate


# Every boolean and enum setting that can change on a deployed stack without moving the domain.
TOGGLES: dict[str, Mutator] = {
    "deterministicEasyDkim": _set("deterministicEasyDkim", True),
    "removalPolicy": _set("removalPolicy", "destroy"),
    "waitForVerification": _set("domains.0.waitForVerification", True),
    "behaviorOnMxFailure": _set("domains.0.behaviorOnMxFailure", "USE_DEFAULT_VALUE"),
    "dmarc.policy": _set("domains.0.dmarc.policy", "reject"),
    "dmarc.subdomainPolicy": _set("domains.0.dmarc.subdomainPolicy", "quarantine"),
    "dmarc.adkim": _set("domains.0.dmarc.adkim", "s"),
    "dmarc.publish": _set("domains.1.dmarc.publish", False),
    "transactionalOnly": lambda data: (data.pop("contactList"), data.update(transactionalOnly=True)),
    "accountSuppression.manage": _set("accountSuppression.manage", False),
    "tenants": _set("tenants", [{"name": "acme", "domains": ["example.net"]}]),
}


def record_ids(templates: dict[str, dict[str, Any]]) -> dict[tuple[str, str, str], str]:
    """(stack, name as written, type) -> logical id of every record set."""
    return {
        (stack, json.dumps(props["Properties"]["Name"], sort_keys=True), props["Properties"]["Type"]): logical_id
        for stack, template in templates.items()
        for logical_id, props in resources_of(template, "AWS::Route53::RecordSet").items()
    }


@pytest.fixture(scope="module")
def base_ids(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], str]:
    return record_ids(synth_config(copy.deepcopy(BASE), tmp_path_factory.mktemp("base")))


@pytest.mark.parametrize("setting", sorted(TOGGLES))
def test_a_setting_change_keeps_every_record_logical_id(
    setting: str, base_ids: dict[tuple[str, str, str], str], tmp_path: Path
) -> None:
    data = copy.deepcopy(BASE)
    TOGGLES[setting](data)
    changed = record_ids(synth_config(data, tmp_path))
    both = base_ids.keys() & changed.keys()
    mail_from = {key for key in both if key[1].startswith('"mail') and key[1].endswith('.example.com."')}
    assert len(mail_from) == 4, f"{setting}: the MAIL FROM MX and TXT of both Regions must be in both templates"
    moved = {key: (base_ids[key], changed[key]) for key in both if base_ids[key] != changed[key]}
    assert not moved, f"{setting} changes the logical id of {moved}"


def test_the_comparison_sees_a_moved_record(base_ids: dict[tuple[str, str, str], str]) -> None:
    """The negative twin: a record written under another id is reported (the check above can fail)."""
    key = next(key for key in base_ids if key[1] == '"mail.example.com."')
    moved = dict(base_ids)
    moved[key] += "Renamed"
    assert {k for k in base_ids.keys() & moved.keys() if base_ids[k] != moved[k]} == {key}
