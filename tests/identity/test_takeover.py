"""SesRecordTakeover in a template: one per Route53 domain, before every record set of the domain, with one narrow
policy per stack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Fn, Stack
from aws_cdk import aws_route53 as route53
from aws_cdk.assertions import Template

from ses_stack.identity.takeover import SesRecordTakeover
from tests.conftest import resources_of, synth_config

ZONE = "Z0123456789ABCDEFGHIJ"
OTHER_ZONE = "Z9876543210ABCDEFGHIJ"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    data = {
        "regions": ["eu-west-1"],
        "domains": [
            {"name": "example.com", "hostedZoneId": ZONE},
            {"name": "news.example.com", "hostedZoneId": ZONE, "dmarc": {"publish": False}},  # same zone
            # a _dmarc value past 255 characters: Route53 takes it as several character-strings, and so must the list
            {
                "name": "example.net",
                "hostedZoneId": OTHER_ZONE,
                "dmarc": {"rua": [f"dmarc-reports-{n}@reports.example.net" for n in range(8)]},
            },
            {"name": "example.org"},  # DNS elsewhere: nothing to take over
        ],
    }
    (result,) = synth_config(data, tmp_path_factory.mktemp("takeover")).values()
    return result


def takeovers(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return resources_of(template, "Custom::SesRecordTakeover")


def test_one_takeover_per_route53_domain_listing_each_of_its_records(template: dict[str, Any]) -> None:
    found = takeovers(template)
    assert len(found) == 3
    record_sets = resources_of(template, "AWS::Route53::RecordSet")
    listed = [r for t in found.values() for r in t["Properties"]["Records"]]
    assert sorted(r["LogicalId"] for r in listed) == sorted(record_sets)  # every record, once
    for record in listed:
        props = record_sets[record["LogicalId"]]["Properties"]
        assert (record["Name"], record["Type"], record["Values"]) == (
            props["Name"],
            props["Type"],
            props["ResourceRecords"],
        )
    assert {t["Properties"]["HostedZoneId"] for t in found.values()} == {ZONE, OTHER_ZONE}
    (long_dmarc,) = [r for r in listed if r["Name"] == "_dmarc.example.net."]
    assert long_dmarc["Values"][0].count('""') == 1  # split in two, as aws-cdk-lib's TxtRecord splits


def test_record_sets_of_your_own_are_read_back_as_they_are(tmp_path: Path) -> None:
    stack = Stack(App(outdir=str(tmp_path)), "Own")
    zone = route53.PublicHostedZone.from_public_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id=ZONE, zone_name="example.com"
    )
    txt = route53.TxtRecord(stack, "Txt", zone=zone, record_name="_x.example.com.", values=["a" * 300, 'q"b\\\\s'])
    cname = route53.CfnRecordSet(stack, "Dkim", hosted_zone_id=ZONE, name=Fn.join("", ["t", "._domainkey.example.com"]),
                                 type="CNAME", ttl="300", resource_records=["t.dkim.amazonses.com"])  # fmt: skip
    txt_resource = txt.node.default_child
    assert isinstance(txt_resource, route53.CfnRecordSet)
    SesRecordTakeover(stack, "Takeover", hosted_zone=zone, records=[txt_resource, cname], domain_name="example.com")
    template = Template.from_stack(stack).to_json()
    (takeover,) = takeovers(template).values()
    record_sets = resources_of(template, "AWS::Route53::RecordSet")
    for record in takeover["Properties"]["Records"]:
        props = record_sets[record["LogicalId"]]["Properties"]
        assert (record["Name"], record["Type"], record["Values"]) == (props["Name"], props["Type"],
                                                                       props["ResourceRecords"])  # fmt: skip
    # the name that is a token counts as a DKIM name in the policy's name patterns
    (policy,) = resources_of(template, "AWS::IAM::ManagedPolicy").values()
    names = json.dumps(policy["Properties"]["PolicyDocument"])
    assert "*._domainkey.example.com" in names and "_x.example.com" in names


def test_every_record_set_waits_for_its_takeover(template: dict[str, Any]) -> None:
    found = takeovers(template)
    for takeover_id, takeover in found.items():
        for record in takeover["Properties"]["Records"]:
            assert takeover_id in template["Resources"][record["LogicalId"]]["DependsOn"]


def test_the_dkim_records_are_named_by_the_identity_attributes(template: dict[str, Any]) -> None:
    (first, *_) = [t for t in takeovers(template).values() if t["Properties"]["Records"][0]["Type"] == "CNAME"]
    dkim = first["Properties"]["Records"][0]
    assert dkim["Name"]["Fn::GetAtt"][1] == "DkimDNSTokenName1"
    assert dkim["Values"][0]["Fn::GetAtt"][1] == "DkimDNSTokenValue1"


def takeover_policies(template: dict[str, Any]) -> tuple[str, list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """(inline policy id, its statements, the Route53 managed policies by id)."""
    ((policy_id, policy),) = {
        k: v
        for k, v in resources_of(template, "AWS::IAM::Policy").items()
        if k.startswith("SesRecordTakeoverProviderPolicy")
    }.items()
    managed = {k: v for k, v in resources_of(template, "AWS::IAM::ManagedPolicy").items()
               if k.startswith("SesRecordTakeoverProviderRoute53")}  # fmt: skip
    return policy_id, policy["Properties"]["PolicyDocument"]["Statement"], managed


def test_the_takeover_has_its_own_function_role_and_narrow_policies(template: dict[str, Any]) -> None:
    policy_id, statements, managed = takeover_policies(template)
    assert statements[0] == {"Action": "cloudformation:DescribeStackResources", "Effect": "Allow", "Resource": "*"}
    journals = statements[1]
    assert sorted(journals["Action"]) == [
        "ssm:DeleteParameter", "ssm:GetParameter", "ssm:GetParametersByPath", "ssm:PutParameter"
    ]  # fmt: skip
    assert "parameter/ses-stack/record-takeover/" in json.dumps(journals["Resource"])
    assert len(statements) == 2
    ((managed_id, route53),) = managed.items()  # three domains: one managed policy holds their names
    listing, change = route53["Properties"]["PolicyDocument"]["Statement"]
    zone_arns = [f"arn:aws:route53:::hostedzone/{ZONE}", f"arn:aws:route53:::hostedzone/{OTHER_ZONE}"]
    assert listing == {"Action": "route53:ListResourceRecordSets", "Effect": "Allow", "Resource": zone_arns}
    assert change["Action"] == "route53:ChangeResourceRecordSets"
    assert change["Resource"] == zone_arns
    assert change["Condition"]["ForAllValues:StringEquals"] == {
        "route53:ChangeResourceRecordSetsActions": ["CREATE", "DELETE"],
        "route53:ChangeResourceRecordSetsRecordTypes": ["CNAME", "MX", "TXT"],
    }
    # only the names the stack writes: an event naming the apex, www or another domain is refused by IAM
    assert change["Condition"]["ForAllValues:StringLike"] == {
        "route53:ChangeResourceRecordSetsNormalizedRecordNames": [
            "*._domainkey.example.com", "mail.example.com", "_dmarc.example.com",
            "*._domainkey.news.example.com", "mail.news.example.com",
            "*._domainkey.example.net", "mail.example.net", "_dmarc.example.net",
        ]
    }  # fmt: skip
    functions = resources_of(template, "AWS::Lambda::Function")
    (function_id,) = [k for k in functions if k.startswith("SesRecordTakeoverProvider")]
    function = functions[function_id]
    assert function["Properties"]["Environment"]["Variables"]["RESOURCE_TYPES"] == "Custom::SesRecordTakeover"
    role = function["Properties"]["Role"]["Fn::GetAtt"][0]
    assert route53["Properties"]["Roles"] == [{"Ref": role}]
    attached = {k for k, v in resources_of(template, "AWS::IAM::Policy").items()
                if {"Ref": role} in v["Properties"]["Roles"]}  # fmt: skip
    assert attached == {policy_id, *(k for k in attached if "HandlerRoleDefaultPolicy" in k)}  # its logs, nothing else
    for takeover in takeovers(template).values():
        assert {policy_id, managed_id} <= set(takeover["DependsOn"])
        assert takeover["Properties"]["ServiceToken"] == {"Fn::GetAtt": [function_id, "Arn"]}


def test_no_other_function_may_change_dns(template: dict[str, Any]) -> None:
    """The negative twin of the policies above: no other statement anywhere grants a Route53 change."""
    _, _, managed = takeover_policies(template)
    for logical_id, policy in {**resources_of(template, "AWS::IAM::Policy"),
                               **resources_of(template, "AWS::IAM::ManagedPolicy")}.items():  # fmt: skip
        if logical_id not in managed:
            assert "route53:ChangeResourceRecordSets" not in json.dumps(policy), logical_id


def test_many_domains_spread_their_names_over_policies_within_iams_limits(tmp_path: Path) -> None:
    """One statement for a full stack's names was 17,000 characters (IAM allows 10,240 for a role's inline
    policies): each managed policy stays under 6,144, each domain's names in one of them, and the capacity rule
    counts the same policies."""
    from ses_stack.config import parse_config  # noqa: PLC0415
    from ses_stack.config.capacity import stack_footprint  # noqa: PLC0415

    data = {"regions": ["eu-west-1"], "domains": [
        {"name": f"customer-domain-number-{i:04d}.example-platform.com", "hostedZoneId": f"Z{i:020d}"}
        for i in range(55)]}  # fmt: skip
    (big,) = synth_config(data, tmp_path).values()
    _, _, managed = takeover_policies(big)
    sizes = [len(json.dumps(p["Properties"]["PolicyDocument"], separators=(",", ":"))) for p in managed.values()]
    assert len(managed) == 4 and max(sizes) <= 6144, sizes
    names = [n for p in managed.values() for n in p["Properties"]["PolicyDocument"]["Statement"][1]["Condition"][
        "ForAllValues:StringLike"]["route53:ChangeResourceRecordSetsNormalizedRecordNames"]]  # fmt: skip
    assert len(names) == len(set(names)) == 3 * 55
    config = parse_config(data)
    assert stack_footprint(config, tuple(config.domains)).resources == len(big["Resources"])


def test_the_takeovers_logical_id_follows_its_list_of_records(tmp_path: Path) -> None:
    """Publishing _dmarc adds a record: the takeover becomes a new resource (its rollback restores the record)."""
    base = {"regions": ["eu-west-1"], "domains": [{"name": "example.com", "hostedZoneId": ZONE}]}
    (with_dmarc,) = synth_config(base, tmp_path / "a").values()
    base["domains"][0]["dmarc"] = {"publish": False, "policy": "reject"}
    (without,) = synth_config(base, tmp_path / "b").values()
    assert takeovers(with_dmarc).keys().isdisjoint(takeovers(without).keys())
    base["domains"][0]["dmarc"] = {"publish": False}
    (same_records,) = synth_config(base, tmp_path / "c").values()
    assert takeovers(same_records).keys() == takeovers(without).keys()


def test_dns_elsewhere_needs_no_takeover(tmp_path: Path) -> None:
    (template,) = synth_config({"regions": ["eu-west-1"], "domains": [{"name": "example.org"}]}, tmp_path).values()
    assert not takeovers(template)
    assert not [k for k in template["Resources"] if k.startswith("SesRecordTakeover")]


def test_an_empty_record_list_is_refused() -> None:
    stack = Stack()
    zone = route53.PublicHostedZone.from_public_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id=ZONE, zone_name="example.com"
    )
    with pytest.raises(ValueError, match="SesRecordTakeover 'T' records: must not be empty"):
        SesRecordTakeover(stack, "T", hosted_zone=zone, records=[], domain_name="example.com")


def test_the_takeover_can_be_left_out(tmp_path: Path) -> None:
    from aws_cdk.assertions import Template  # noqa: PLC0415

    from ses_stack import SesDomain  # noqa: PLC0415
    from tests.conftest import new_app  # noqa: PLC0415

    stack = Stack(new_app(tmp_path), "Plain")
    zone = route53.PublicHostedZone.from_public_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id=ZONE, zone_name="example.com"
    )
    domain = SesDomain(stack, "Domain", domain_name="example.com", hosted_zone=zone, take_over_existing_records=False)
    template = Template.from_stack(stack).to_json()
    assert domain.record_takeover is None
    assert not takeovers(template)
    assert not resources_of(template, "AWS::Lambda::Function")  # no provider function either
    assert len(resources_of(template, "AWS::Route53::RecordSet")) == 6
