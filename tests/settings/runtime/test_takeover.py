"""Custom::SesRecordTakeover against a stateful Route53/CloudFormation/SSM double, played as CloudFormation plays a
deployment: create, fail, roll back; update, clean up; delete. Every record that existed before a deployment must
be there, as it was, after any failure."""

from __future__ import annotations

from typing import Any

import pytest

from ses_stack.settings.runtime.record_rule import normal_values
from ses_stack.settings.runtime.txt import txt_text
from tests.settings.runtime.dns_world import OTHER_STACK, STACK, ZONE, DeployFailedError, World, record_set

TOKEN = "abcdefghijklmnopqrstuvwxyz234567"
DKIM = {"Name": f"{TOKEN}._domainkey.example.com", "Type": "CNAME", "Values": [f"{TOKEN}.dkim.amazonses.com"],
        "LogicalId": "Dkim1"}  # fmt: skip
MX = {"Name": "mail.example.com.", "Type": "MX", "Values": ["10 feedback-smtp.eu-west-1.amazonses.com"],
      "LogicalId": "Mx"}  # fmt: skip
SPF = {"Name": "mail.example.com.", "Type": "TXT", "Values": ['"v=spf1 include:amazonses.com ~all"'],
       "LogicalId": "Spf"}  # fmt: skip
DMARC = {"Name": "_dmarc.example.com.", "Type": "TXT", "Values": ['"v=DMARC1; p=none; rua=mailto:d@example.com"'],
         "LogicalId": "Dmarc"}  # fmt: skip
RECORDS = [DKIM, MX, SPF, DMARC]
TAKEOVER_ID = "exampleRecordTakeoverA1B2C3D4"


def event(request_type: str = "Create", records: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "RequestType": request_type,
        "ResourceType": "Custom::SesRecordTakeover",
        "ResourceProperties": {"ServiceToken": "arn:f", "HostedZoneId": ZONE, "Records": records or RECORDS},
        "ResponseURL": "https://example.invalid/",
        "StackId": STACK,
        "RequestId": "r-1",
        "LogicalResourceId": TAKEOVER_ID,
        **extra,
    }


def users_copy(record: dict[str, Any], ttl: int = 3600, values: list[str] | None = None) -> dict[str, Any]:
    """The record as the user published it before the stack existed (another TTL than the stack's)."""
    return record_set(record["Name"], record["Type"], values or record["Values"], ttl)


def stacks_copy(record: dict[str, Any]) -> dict[str, Any]:
    return record_set(record["Name"], record["Type"], record["Values"], 1800)


def deploy_records(world: World, records: list[dict[str, Any]]) -> None:
    for record in records:
        world.create(STACK, record["LogicalId"], stacks_copy(record))


@pytest.fixture
def world() -> World:
    return World()


def test_absent_records_need_nothing(world: World) -> None:
    assert world.send(event())[:3] == ("SUCCESS", f"ses-record-takeover:{ZONE}:example.com", {"TakenOver": "none"})
    assert not world.records
    assert not world.parameters


def test_identical_records_are_journaled_then_deleted_so_the_stack_can_create_them(world: World) -> None:
    originals = [
        record_set(DKIM["Name"], "CNAME", [f"{TOKEN}.DKIM.amazonses.com."]),  # Route53's absolute name, other case
        record_set(MX["Name"], "MX", ["10  feedback-smtp.eu-west-1.amazonses.com."]),
        record_set(DMARC["Name"], "TXT", ['"v=DMARC1; p=none; " "rua=mailto:d@example.com"']),  # the same text
    ]
    world.put(*originals)
    status, _, data, _ = world.send(event())
    assert status == "SUCCESS"
    assert data == {"TakenOver": f"{TOKEN}._domainkey.example.com CNAME, mail.example.com MX, _dmarc.example.com TXT"}
    assert not world.records
    (journal,) = world.parameters.values()
    assert all(original in eval_json(journal)["records"] for original in originals)
    deploy_records(world, RECORDS)  # CloudFormation can now create every record set


def eval_json(text: str) -> dict[str, Any]:
    import json  # noqa: PLC0415

    value: dict[str, Any] = json.loads(text)
    return value


@pytest.mark.parametrize(
    ("record", "held", "extra"),
    [
        (DMARC, ['"v=DMARC1; p=reject; rua=mailto:d@example.com"'], {}),
        (MX, ["10 feedback-smtp.us-east-1.amazonses.com"], {}),
        (MX, ["10 feedback-smtp.eu-west-1.amazonses.com", "20 backup.example.com"], {}),
        (DMARC, None, {"AliasTarget": {"HostedZoneId": "Z2", "DNSName": "x.example", "EvaluateTargetHealth": False}}),
        (MX, None, {"SetIdentifier": "eu", "Weight": 1}),
    ],
    ids=["other-dmarc-policy", "other-region-mx", "two-mx", "alias", "weighted"],
)
def test_a_record_with_other_values_fails_and_nothing_is_changed(
    world: World, record: dict[str, Any], held: list[str] | None, extra: dict[str, Any]
) -> None:
    found = record_set(record["Name"], record["Type"], held or record["Values"]) | extra
    if "AliasTarget" in extra:
        del found["TTL"], found["ResourceRecords"]
    world.put(found, users_copy(DKIM))
    status, _, _, reason = world.send(event())
    assert status == "FAILED"
    assert reason.startswith("RecordConflictError: records the stack may not take over (nothing was changed): ")
    assert f"{record['Name'].rstrip('.')} {record['Type']}: holds " in reason
    assert world.held(record["Name"], record["Type"]) == found
    assert world.held(DKIM["Name"], "CNAME") == users_copy(DKIM)  # identical, but nothing is taken on a conflict
    assert not world.parameters


def test_another_stacks_identical_record_is_never_deleted(world: World) -> None:
    world.create(OTHER_STACK, "WebsiteDmarc", users_copy(DMARC))
    status, _, _, reason = world.send(event())
    assert status == "FAILED"
    assert "_dmarc.example.com TXT: record of another stack, Website" in reason
    assert "remove it from Website first" in reason
    assert world.held(DMARC["Name"], "TXT") == users_copy(DMARC)


def test_this_stacks_own_record_under_another_logical_id_is_never_deleted(world: World) -> None:
    world.create(STACK, "OldMailFromMx", stacks_copy(MX))  # an upgrade that renamed the record
    status, _, _, reason = world.send(event())
    assert status == "FAILED"
    assert "mail.example.com MX: held by this stack as OldMailFromMx, not as Mx" in reason
    assert world.held(MX["Name"], "MX") == stacks_copy(MX)


def test_records_the_stack_holds_under_their_own_ids_are_left_alone(world: World) -> None:
    deploy_records(world, RECORDS)
    before = dict(world.records)
    assert world.send(event("Update", PhysicalResourceId="p"))[2] == {"TakenOver": "none"}
    assert world.records == before


def test_the_mail_from_txt_is_adopted_beside_the_stacks_own_mx_at_the_same_name(world: World) -> None:
    deploy_records(world, [MX])  # MX and TXT share the physical id mail.example.com
    world.put(users_copy(SPF))
    assert world.send(event(records=[MX, SPF]))[2] == {"TakenOver": "mail.example.com TXT"}


@pytest.mark.parametrize("blocked", [MX, DMARC], ids=["mail-from", "dmarc"])
def test_a_cname_where_the_stack_writes_mx_or_txt_stops_before_anything_is_deleted(
    world: World, blocked: dict[str, Any]
) -> None:
    cname = record_set(blocked["Name"], "CNAME", ["elsewhere.example.net"])
    world.put(cname, users_copy(DKIM), *([users_copy(DMARC)] if blocked is MX else []))
    status, _, _, reason = world.send(event())
    assert status == "FAILED"
    assert "DNS allows nothing beside a CNAME" in reason
    assert world.held(DKIM["Name"], "CNAME") == users_copy(DKIM)
    assert world.held(blocked["Name"], "CNAME") == cname


@pytest.mark.parametrize("retain", [True, False], ids=["retain", "destroy"])
def test_a_failed_create_and_its_rollback_put_every_record_back_as_it_was(world: World, retain: bool) -> None:
    originals = [users_copy(DKIM), users_copy(DMARC, ttl=60)]
    world.put(*originals)
    assert world.send(event())[0] == "SUCCESS"
    deploy_records(world, RECORDS)
    # a later resource fails: CloudFormation deletes the record sets, then the takeover they depend on
    for record in reversed(RECORDS):
        world.remove(STACK, record["LogicalId"], retain=retain)
    status, _, data, _ = world.send(event("Delete", PhysicalResourceId=f"ses-record-takeover:{ZONE}:example.com"))
    assert status == "SUCCESS"
    for original in originals:
        assert world.held(original["Name"], original["Type"]) == (stacks_copy_of(original) if retain else original)
    assert data["Restored"] == ("none" if retain else f"{TOKEN}._domainkey.example.com CNAME, _dmarc.example.com TXT")
    assert not world.parameters


def stacks_copy_of(original: dict[str, Any]) -> dict[str, Any]:
    record = next(r for r in RECORDS if r["Name"].rstrip(".") == original["Name"].rstrip(".")
                  and r["Type"] == original["Type"])  # fmt: skip
    return stacks_copy(record)


@pytest.mark.parametrize("physical_id", ["p", TAKEOVER_ID], ids=["after-success", "after-a-failed-create"])
def test_delete_of_a_takeover_that_took_nothing_changes_nothing_and_succeeds(world: World, physical_id: str) -> None:
    """The rollback of a takeover that refused (a conflict) or found nothing must not fail: a failed Delete would
    leave the stack in ROLLBACK_FAILED."""
    world.put(users_copy(DMARC, values=['"v=DMARC1; p=reject"']))
    assert world.send(event())[0] == "FAILED"  # a conflict: nothing journaled
    status, _, data, _ = world.send(event("Delete", PhysicalResourceId=physical_id))
    assert (status, data) == ("SUCCESS", {"Restored": "none"})
    assert [c[1] for c in world.double.calls if c[1] == "ChangeResourceRecordSets"] == []


def test_a_create_that_failed_after_taking_records_still_restores_them(world: World) -> None:
    world.put(users_copy(DMARC))
    assert world.send(event())[0] == "SUCCESS"
    # the answer never reached CloudFormation: its Delete names the logical id as the physical id
    assert world.send(event("Delete", PhysicalResourceId=TAKEOVER_ID))[2]["Restored"] == "_dmarc.example.com TXT"
    assert world.held(DMARC["Name"], "TXT") == users_copy(DMARC)


@pytest.mark.parametrize("retain", [True, False], ids=["retain", "destroy"])
def test_an_update_that_adds_a_record_and_fails_puts_the_users_record_back(world: World, retain: bool) -> None:
    """dmarc.publish turned on over the user's identical _dmarc: the record list changes, so the construct gives
    the takeover a new logical id; the rollback deletes the new record set, then the new takeover."""
    world.put(users_copy(DKIM))
    assert world.send(event(records=[DKIM, MX, SPF]))[0] == "SUCCESS"
    deploy_records(world, [DKIM, MX, SPF])
    world.put(users_copy(DMARC))
    new = event(records=RECORDS, LogicalResourceId="exampleRecordTakeoverE5F6A7B8")
    assert world.send(new)[2] == {"TakenOver": "_dmarc.example.com TXT"}
    deploy_records(world, [DMARC])
    world.remove(STACK, "Dmarc", retain=retain)  # rollback clean-up: the new record set first...
    assert world.send(new | {"RequestType": "Delete", "PhysicalResourceId": "p"})[0] == "SUCCESS"  # ...then it
    assert world.held(DMARC["Name"], "TXT") == (stacks_copy(DMARC) if retain else users_copy(DMARC))
    assert world.held(DKIM["Name"], "CNAME") == stacks_copy(DKIM)  # the first takeover's records stay the stack's
    assert len(world.parameters) == 1  # the first takeover still remembers the user's DKIM CNAME


def test_a_successful_update_hands_the_journal_on_and_stack_deletion_restores_everything(world: World) -> None:
    world.put(users_copy(DKIM))
    world.send(event(records=[DKIM, MX, SPF]))
    deploy_records(world, [DKIM, MX, SPF])
    world.put(users_copy(DMARC))
    new = event(records=RECORDS, LogicalResourceId="exampleRecordTakeoverE5F6A7B8")
    world.send(new)
    deploy_records(world, [DMARC])
    before = dict(world.records)
    # clean-up after success: the old takeover goes, the stack's records stay
    assert world.send(event("Delete", records=[DKIM, MX, SPF], PhysicalResourceId="p"))[2] == {"Restored": "none"}
    assert world.records == before
    # later the stack is deleted with removalPolicy destroy: records first, then the takeover
    for record in RECORDS:
        world.remove(STACK, record["LogicalId"], retain=False)
    world.send(new | {"RequestType": "Delete", "PhysicalResourceId": "p"})
    assert world.records == {
        ("abcdefghijklmnopqrstuvwxyz234567._domainkey.example.com", "CNAME"): users_copy(DKIM),
        ("_dmarc.example.com", "TXT"): users_copy(DMARC),
    }
    assert not world.parameters


def test_a_retried_create_keeps_what_the_first_attempt_took(world: World) -> None:
    world.put(users_copy(DMARC, ttl=42))
    world.send(event())
    assert world.send(event())[2] == {"TakenOver": "none"}  # Lambda's retry: the record is gone already
    world.send(event("Delete", PhysicalResourceId="p"))
    assert world.held(DMARC["Name"], "TXT") == users_copy(DMARC, ttl=42)


def test_delete_never_overwrites_a_record_that_holds_the_name_now(world: World) -> None:
    world.put(users_copy(DMARC))
    world.send(event())
    newer = record_set(DMARC["Name"], "TXT", ['"v=DMARC1; p=reject"'])
    world.put(newer)  # published by someone else since
    assert world.send(event("Delete", PhysicalResourceId="p"))[2] == {"Restored": "none"}
    assert world.held(DMARC["Name"], "TXT") == newer


@pytest.mark.parametrize(
    "properties",
    [
        {"Records": RECORDS},
        {"HostedZoneId": ZONE, "Records": []},
        {"HostedZoneId": "Z1/../x", "Records": RECORDS},
        {
            "HostedZoneId": ZONE,
            "Records": [{"Name": "x.example.com", "Type": "A", "Values": ["1.2.3.4"], "LogicalId": "A"}],
        },
        {"HostedZoneId": ZONE, "Records": [{"Name": "x.example.com", "Type": "TXT", "Values": "x", "LogicalId": "T"}]},
    ],
    ids=["no-zone", "no-records", "zone-not-an-id", "type-the-stack-never-writes", "values-not-a-list"],
)
def test_requests_it_cannot_act_on_fail_without_any_call(world: World, properties: dict[str, Any]) -> None:
    request = event()
    request["ResourceProperties"] = {"ServiceToken": "arn:f", **properties}
    assert world.send(request)[0] == "FAILED"
    assert not world.double.calls


def test_an_event_with_a_forged_stack_id_fails_without_any_call(world: World) -> None:
    assert world.send(event(StackId="arn:aws:cloudformation:eu-west-1:1:stack/x/../../other"))[0] == "FAILED"
    assert not world.double.calls


def test_cloudformation_errors_fail_the_request(world: World) -> None:
    world.double.answers.pop(("cloudformation", "DescribeStackResources"))
    world.double.error("cloudformation", "DescribeStackResources", None, "AccessDenied", 403)
    world.put(users_copy(DMARC))
    assert world.send(event())[0] == "FAILED"
    assert world.held(DMARC["Name"], "TXT") == users_copy(DMARC)


def test_the_world_refuses_what_route53_refuses(world: World) -> None:
    """The double's own twin: creating an existing record fails, as CloudFormation's create does."""
    world.put(users_copy(DMARC))
    with pytest.raises(DeployFailedError, match="already exists"):
        world.create(STACK, "Dmarc", stacks_copy(DMARC))


def test_values_compare_as_dns_compares_them() -> None:
    assert txt_text('"v=spf1 " "include:amazonses.com ~all"') == "v=spf1 include:amazonses.com ~all"
    assert txt_text('"a\\"b"') == 'a"b'
    assert normal_values("CNAME", ["X.Example.COM."]) == normal_values("CNAME", ["x.example.com"])
    assert normal_values("TXT", ['"A"']) != normal_values("TXT", ['"a"'])  # TXT text is case-sensitive
