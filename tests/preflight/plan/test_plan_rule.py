"""One rule for an existing record: ``ses-preflight plan`` and the deploy's record takeover judge every case alike
(plan before the deploy, the takeover during it), and plan's wording holds for the removal policy in force."""

from __future__ import annotations

from typing import Any

import pytest

from ses_stack.preflight.plan.records import Expected, plan_route53_record
from ses_stack.settings.runtime.record_rule import Holder
from tests.settings.runtime.dns_world import OTHER_STACK, STACK, ZONE, World, record_set

NAME = "_dmarc.example.com"
VALUE = '"v=DMARC1; p=none"'
RECORD = {"Name": f"{NAME}.", "Type": "TXT", "Values": [VALUE], "LogicalId": "Dmarc"}
EXPECTED = Expected(NAME, "TXT", (VALUE,), "DMARC", "or keep yours: set domains[0].dmarc.publish to false")

CASES: dict[str, tuple[list[dict[str, Any]], str | None, str]] = {
    # zone at the name, the stack holding it (None: no stack), the state both must give
    "absent": ([], None, "new"),
    "identical, outside any stack": ([record_set(NAME, "TXT", [VALUE])], None, "adopt"),
    "other values": ([record_set(NAME, "TXT", ['"v=DMARC1; p=reject"'])], None, "conflict"),
    "identical, another stack's": ([record_set(NAME, "TXT", [VALUE])], OTHER_STACK, "conflict"),
    "this stack's": ([record_set(NAME, "TXT", [VALUE])], STACK, "managed"),
    "a CNAME at the name": ([record_set(NAME, "CNAME", ["x.example.net"])], None, "conflict"),
}


def plan_state(zone: list[dict[str, Any]], holder: str | None) -> str:
    holders = [] if holder is None else [Holder(holder, holder.split("/")[1], "Dmarc")]
    return plan_route53_record(EXPECTED, ZONE, zone, holders=lambda: holders, stack=STACK, app_stacks=()).state


def takeover_state(zone: list[dict[str, Any]], holder: str | None) -> str:
    world = World()
    for found in zone:
        if holder is None:
            world.put(found)
        else:
            world.create(holder, "Dmarc", found)
    before = dict(world.records)
    status, _, data, _ = world.send(
        {
            "RequestType": "Create", "ResourceType": "Custom::SesRecordTakeover", "StackId": STACK,
            "ResourceProperties": {"HostedZoneId": ZONE, "Records": [RECORD]}, "RequestId": "r",
            "LogicalResourceId": "exampleRecordTakeover1", "ResponseURL": "https://example.invalid/",
        }
    )  # fmt: skip
    if status == "FAILED":
        assert world.records == before  # a conflict changes nothing
        return "conflict"
    if data["TakenOver"] != "none":
        return "adopt"
    return "managed" if holder == STACK else "new"


@pytest.mark.parametrize("case", sorted(CASES))
def test_plan_and_the_takeover_agree(case: str) -> None:
    zone, holder, state = CASES[case]
    assert plan_state(zone, holder) == state
    assert takeover_state(zone, holder) == state


def test_a_record_moving_between_the_apps_stacks_gives_the_identitys_next_step() -> None:
    """domainStacks turned on: the record is the shared stack's; the plan says to deploy that one first, true
    under either removal policy, and never to edit a template by hand."""
    holders = [Holder("arn:shared", "SesStack-eu-west-1", "examplecomDmarcRecord")]
    planned = plan_route53_record(
        EXPECTED, ZONE, [record_set(NAME, "TXT", [VALUE])], holders=lambda: holders,
        stack="SesStack-eu-west-1-domains-1", app_stacks=("SesStack-eu-west-1", "SesStack-eu-west-1-domains-1"),
    )  # fmt: skip
    assert planned.state == "conflict"
    assert planned.evidence.startswith("DMARC record of SesStack-eu-west-1, another stack of this app: it moves here")
    assert planned.fix.startswith("deploy SesStack-eu-west-1 first, which lets it go (removalPolicy retain keeps it")
    assert "template" not in planned.fix and "deletes this record" not in planned.evidence
