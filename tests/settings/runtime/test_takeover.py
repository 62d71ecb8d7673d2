"""Custom::SesRecordTakeover: exact Route53 and CloudFormation calls (botocore Stubber), every state of a record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ses_stack.settings.runtime.takeover import normal_values
from ses_stack.settings.runtime.txt import txt_text
from tests.settings.runtime.answers import answer_to as run

ZONE = "Z0123456789ABCDEFGHIJ"
STACK = "arn:aws:cloudformation:eu-west-1:123456789012:stack/SesStack-eu-west-1/guid"
TOKEN = "abcdefghijklmnopqrstuvwxyz234567"
RECORDS = [
    {"Name": f"{TOKEN}._domainkey.example.com", "Type": "CNAME", "Values": [f"{TOKEN}.dkim.amazonses.com"],
     "LogicalId": "Dkim1"},
    {"Name": "mail.example.com.", "Type": "MX", "Values": ["10 feedback-smtp.eu-west-1.amazonses.com"],
     "LogicalId": "Mx"},
    {"Name": "_dmarc.example.com.", "Type": "TXT", "Values": ['"v=DMARC1; p=none; rua=mailto:d@example.com"'],
     "LogicalId": "Dmarc"},
]  # fmt: skip


@pytest.fixture
def aws() -> Iterator[tuple[dict[str, Any], Stubber, Stubber]]:
    options = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    route53 = boto3.client("route53", region_name="us-east-1", **options)
    cloudformation = boto3.client("cloudformation", region_name="eu-west-1", **options)
    with Stubber(route53) as dns, Stubber(cloudformation) as cfn:
        yield {"route53": route53, "cloudformation": cloudformation}, dns, cfn
        dns.assert_no_pending_responses()
        cfn.assert_no_pending_responses()


def event(request_type: str = "Create", records: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "RequestType": request_type,
        "ResourceType": "Custom::SesRecordTakeover",
        "ResourceProperties": {"ServiceToken": "arn:f", "HostedZoneId": ZONE, "Records": records or RECORDS},
        "ResponseURL": "https://example.invalid/",
        "StackId": STACK,
        "RequestId": "r-1",
        "LogicalResourceId": "exampleRecordTakeover",
        **extra,
    }


def not_in_stack(cfn: Stubber, logical_id: str) -> None:
    cfn.add_client_error(
        "describe_stack_resource",
        "ValidationError",
        f"Resource {logical_id} does not exist for stack SesStack-eu-west-1",
        400,
        expected_params={"StackName": STACK, "LogicalResourceId": logical_id},
    )


def in_stack(cfn: Stubber, logical_id: str, status: str = "CREATE_COMPLETE") -> None:
    cfn.add_response(
        "describe_stack_resource",
        {
            "StackResourceDetail": {
                "LogicalResourceId": logical_id,
                "PhysicalResourceId": "mail.example.com",
                "ResourceType": "AWS::Route53::RecordSet",
                "LastUpdatedTimestamp": "2026-11-01T00:00:00Z",
                "ResourceStatus": status,
            }
        },
        {"StackName": STACK, "LogicalResourceId": logical_id},
    )


def zone_holds(dns: Stubber, record: dict[str, Any], values: list[str] | None, **record_set: Any) -> dict[str, Any]:
    """Answer the look-up of ``record``: ``values`` None means the zone has no such record (the next name is)."""
    name = record["Name"] if record["Name"].endswith(".") else record["Name"] + "."
    found: dict[str, Any] = {"Name": name, "Type": record["Type"]}
    if values:  # an alias record has no values and no TTL
        found.update(TTL=300, ResourceRecords=[{"Value": v} for v in values])
    found.update(record_set)
    if values is None:
        found = {"Name": "zzz.example.com.", "Type": "TXT", "TTL": 300, "ResourceRecords": [{"Value": '"x"'}]}
    dns.add_response(
        "list_resource_record_sets",
        {"ResourceRecordSets": [found], "IsTruncated": False, "MaxItems": "1"},
        {"HostedZoneId": ZONE, "StartRecordName": record["Name"], "StartRecordType": record["Type"], "MaxItems": "1"},
    )
    return found


def test_absent_records_need_nothing(aws: Any) -> None:
    clients, dns, cfn = aws
    for record in RECORDS:
        not_in_stack(cfn, record["LogicalId"])
        zone_holds(dns, record, None)
    assert run(event(), clients)[:3] == ("SUCCESS", f"ses-record-takeover:{ZONE}:example.com", {"TakenOver": "none"})


def test_identical_records_are_deleted_in_one_change_so_the_stack_can_create_them(aws: Any) -> None:
    clients, dns, cfn = aws
    existing = []
    for record, shown in zip(
        RECORDS,
        [
            [f"{TOKEN}.DKIM.amazonses.com."],  # Route53's absolute name, another case: the same name
            ["10  feedback-smtp.eu-west-1.amazonses.com."],
            ['"v=DMARC1; p=none; " "rua=mailto:d@example.com"'],  # split into two strings: the same text
        ],
        strict=True,
    ):
        not_in_stack(cfn, record["LogicalId"])
        existing.append(zone_holds(dns, record, shown))
    dns.add_response(
        "change_resource_record_sets",
        {"ChangeInfo": {"Id": "/change/C1", "Status": "PENDING", "SubmittedAt": "2026-11-28T00:00:00Z"}},
        {
            "HostedZoneId": ZONE,
            "ChangeBatch": {
                "Comment": "ses_stack: identical records replaced by the stack's own",
                "Changes": [{"Action": "DELETE", "ResourceRecordSet": r} for r in existing],
            },
        },
    )
    status, _, data, _ = run(event(), clients)
    assert status == "SUCCESS"
    assert data == {"TakenOver": f"{TOKEN}._domainkey.example.com CNAME, mail.example.com MX, _dmarc.example.com TXT"}


@pytest.mark.parametrize(
    ("record", "held", "extra"),
    [
        (RECORDS[2], ['"v=DMARC1; p=reject; rua=mailto:d@example.com"'], {}),
        (RECORDS[1], ["10 feedback-smtp.us-east-1.amazonses.com"], {}),
        (RECORDS[1], ["10 feedback-smtp.eu-west-1.amazonses.com", "20 backup.example.com"], {}),
        (
            RECORDS[2],
            [],
            {"AliasTarget": {"HostedZoneId": "Z2", "DNSName": "x.example.com", "EvaluateTargetHealth": False}},
        ),
        (RECORDS[1], ["10 feedback-smtp.eu-west-1.amazonses.com"], {"SetIdentifier": "eu", "Weight": 1}),
    ],
    ids=["other-dmarc-policy", "other-region-mx", "two-mx", "alias", "weighted"],
)
def test_a_record_with_other_values_fails_and_nothing_is_changed(
    aws: Any, record: dict[str, Any], held: list[str], extra: dict[str, Any]
) -> None:
    clients, dns, cfn = aws
    not_in_stack(cfn, record["LogicalId"])
    zone_holds(dns, record, held, **extra)
    status, _, _, reason = run(event(records=[record]), clients)  # no change_resource_record_sets queued
    assert status == "FAILED"
    assert reason.startswith("RecordConflictError: records exist with other values (nothing was changed): ")
    assert f"{record['Name'].rstrip('.')} {record['Type']} holds " in reason
    assert f"the stack writes {record['Values'][0]}" in reason
    assert "dmarc.publish false" in reason


def test_a_conflict_anywhere_stops_every_takeover(aws: Any) -> None:
    clients, dns, cfn = aws
    not_in_stack(cfn, "Mx")
    zone_holds(dns, RECORDS[1], RECORDS[1]["Values"])  # identical: would be taken over...
    not_in_stack(cfn, "Dmarc")
    zone_holds(dns, RECORDS[2], ['"v=DMARC1; p=reject"'])  # ...but this one differs: nothing is deleted
    assert run(event(records=RECORDS[1:]), clients)[0] == "FAILED"


@pytest.mark.parametrize("status", ["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE"])
def test_records_this_stack_already_manages_are_never_touched(aws: Any, status: str) -> None:
    clients, _, cfn = aws  # no Route53 call queued: a look-up or a change would fail the test
    for record in RECORDS:
        in_stack(cfn, record["LogicalId"], status)
    assert run(event(), clients)[:3] == ("SUCCESS", f"ses-record-takeover:{ZONE}:example.com", {"TakenOver": "none"})


def test_an_update_looks_only_at_records_the_stack_does_not_have_yet(aws: Any) -> None:
    clients, dns, cfn = aws
    in_stack(cfn, "Dkim1")
    in_stack(cfn, "Mx")
    not_in_stack(cfn, "Dmarc")  # dmarc.publish just turned on, and the zone already has this very record
    found = zone_holds(dns, RECORDS[2], RECORDS[2]["Values"])
    dns.add_response(
        "change_resource_record_sets",
        {"ChangeInfo": {"Id": "/change/C2", "Status": "PENDING", "SubmittedAt": "2026-11-28T00:00:00Z"}},
        {
            "HostedZoneId": ZONE,
            "ChangeBatch": {
                "Comment": "ses_stack: identical records replaced by the stack's own",
                "Changes": [{"Action": "DELETE", "ResourceRecordSet": found}],
            },
        },
    )
    request = event("Update", PhysicalResourceId=f"ses-record-takeover:{ZONE}:example.com")
    assert run(request, clients)[2] == {"TakenOver": "_dmarc.example.com TXT"}


def test_delete_leaves_dns_alone(aws: Any) -> None:
    clients, _, _ = aws
    request = event("Delete", PhysicalResourceId=f"ses-record-takeover:{ZONE}:example.com")
    assert run(request, clients)[:2] == ("SUCCESS", f"ses-record-takeover:{ZONE}:example.com")


@pytest.mark.parametrize(
    "properties",
    [
        {"Records": RECORDS},
        {"HostedZoneId": ZONE, "Records": []},
        {
            "HostedZoneId": ZONE,
            "Records": [{"Name": "x.example.com", "Type": "A", "Values": ["1.2.3.4"], "LogicalId": "A"}],
        },
        {"HostedZoneId": ZONE, "Records": [{"Name": "x.example.com", "Type": "TXT", "Values": "x", "LogicalId": "T"}]},
    ],
    ids=["no-zone", "no-records", "type-the-stack-never-writes", "values-not-a-list"],
)
def test_requests_it_cannot_act_on_fail_without_any_call(aws: Any, properties: dict[str, Any]) -> None:
    clients, _, _ = aws
    request = event()
    request["ResourceProperties"] = {"ServiceToken": "arn:f", **properties}
    assert run(request, clients)[0] == "FAILED"


def test_other_cloudformation_errors_fail_the_request(aws: Any) -> None:
    clients, _, cfn = aws
    cfn.add_client_error("describe_stack_resource", "AccessDenied", "not allowed", 403)
    assert run(event(records=RECORDS[:1]), clients)[0] == "FAILED"


def test_values_compare_as_dns_compares_them() -> None:
    assert txt_text('"v=spf1 " "include:amazonses.com ~all"') == "v=spf1 include:amazonses.com ~all"
    assert txt_text('"a\\"b"') == 'a"b'
    assert normal_values("CNAME", ["X.Example.COM."]) == normal_values("CNAME", ["x.example.com"])
    assert normal_values("TXT", ['"A"']) != normal_values("TXT", ['"a"'])  # TXT text is case-sensitive
