"""SesDomain's DMARC report authorization records: ``<sender>._report._dmarc.<domain>`` TXT ``v=DMARC1`` in its
zone, guarded by the record takeover like its other records, or listed when DNS is elsewhere."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Environment, Stack
from aws_cdk import aws_route53 as route53

from ses_stack import SesDomain
from tests.conftest import new_app, resources_of

ZONE_ID = "Z0123456789ABCDEFGHIJ"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], SesDomain, SesDomain]:
    app = new_app(tmp_path_factory.mktemp("report-authorizations"))
    stack = Stack(app, "Reports", env=Environment(region="eu-west-1"))
    zone = route53.PublicHostedZone.from_public_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id=ZONE_ID, zone_name="example.net"
    )
    zoned = SesDomain(
        stack,
        "Net",
        domain_name="example.net",
        hosted_zone=zone,
        dmarc_report_senders=["example.com", "Shop.example.org"],
    )
    elsewhere = SesDomain(stack, "Io", domain_name="example.io", dmarc_report_senders=["example.com"])
    return stack.node.root.synth().get_stack_by_name("Reports").template, zoned, elsewhere


def test_one_txt_record_per_sender_in_the_domains_zone(built: tuple[dict[str, Any], SesDomain, SesDomain]) -> None:
    template, zoned, _ = built
    found = {
        props["Name"]: props
        for r in resources_of(template, "AWS::Route53::RecordSet").values()
        for props in [r["Properties"]]
        if "._report._dmarc." in props["Name"]
    }
    assert set(found) == {"example.com._report._dmarc.example.net.", "shop.example.org._report._dmarc.example.net."}
    for props in found.values():
        assert (props["Type"], props["ResourceRecords"], props["HostedZoneId"]) == ("TXT", ['"v=DMARC1"'], ZONE_ID)
    assert zoned.dmarc_report_senders == ("example.com", "shop.example.org")


def test_the_takeover_guards_them_and_may_change_only_their_names(
    built: tuple[dict[str, Any], SesDomain, SesDomain],
) -> None:
    template, _, _ = built
    (takeover,) = [
        r for r in resources_of(template, "Custom::SesRecordTakeover").values() if r["Properties"]["HostedZoneId"]
    ]
    guarded = [record["Name"] for record in takeover["Properties"]["Records"]]
    assert "example.com._report._dmarc.example.net." in guarded
    names = [
        statement["Condition"]["ForAllValues:StringLike"]["route53:ChangeResourceRecordSetsNormalizedRecordNames"]
        for policy in resources_of(template, "AWS::IAM::ManagedPolicy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if "ForAllValues:StringLike" in statement.get("Condition", {})
    ]
    assert any("example.com._report._dmarc.example.net" in str(n) for n in names)
    assert not any("*._report._dmarc.example.net" in str(n) for n in names)  # no wildcard: only the senders named


def test_without_a_zone_they_are_listed_to_publish(built: tuple[dict[str, Any], SesDomain, SesDomain]) -> None:
    template, _, elsewhere = built
    (listed,) = [r for r in elsewhere.dns_records if r.purpose.startswith("dmarc_report_authorization")]
    assert (listed.purpose, listed.name, listed.type, listed.value) == (
        "dmarc_report_authorization1",
        "example.com._report._dmarc.example.io",
        "TXT",
        '"v=DMARC1"',
    )
    names = [str(r["Properties"]["Name"]) for r in resources_of(template, "AWS::Route53::RecordSet").values()]
    assert names and not any("example.io" in name for name in names)


@pytest.mark.parametrize(
    ("senders", "message"),
    [
        ("example.com", "dmarc_report_senders: must be a list of domain names; got 'example.com'"),
        (["not a domain"], "dmarc_report_senders: must be a domain name"),
        (["Example.NET"], "dmarc_report_senders: must not name the domain itself"),
    ],
)
def test_invalid_senders_fail_before_any_resource(senders: Any, message: str) -> None:
    stack = Stack()
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")) as raised:
        SesDomain(stack, "Bad", domain_name="example.net", dmarc_report_senders=senders)
    assert str(raised.value).startswith("SesDomain 'Bad' dmarc_report_senders: ")
    assert stack.node.try_find_child("Bad") is None
