"""Deterministic Easy DKIM in templates: secondary Regions replicate the primary's keys and write no DKIM CNAMEs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cfnlint.api
import pytest
from aws_cdk import Stack
from aws_cdk import aws_ses as ses
from aws_cdk.assertions import Match, Template

from ses_stack import SesDomain
from ses_stack.checklist import Status, evaluate_template
from ses_stack.identity.dkim_replica import SesDkimReplica
from tests.app.test_stack import CFN_LINT_IGNORED
from tests.conftest import new_app, resources_of, synth_config

ZONE = "Z0123456789ABCDEFGHIJ"
DEED: dict[str, Any] = {
    "regions": ["eu-west-1", "us-east-1", "ap-southeast-2"],
    "deterministicEasyDkim": True,
    "domains": [{"name": "example.com", "hostedZoneId": ZONE}, {"name": "example.org"}],
}


@pytest.fixture(scope="module")
def deed(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, dict[str, Any]], Path]:
    outdir = tmp_path_factory.mktemp("deed")
    return synth_config(DEED, outdir), outdir


def records_of(template: dict[str, Any]) -> list[str]:
    return sorted(r["Properties"]["Type"] for r in resources_of(template, "AWS::Route53::RecordSet").values())


def test_the_primary_publishes_the_only_dkim_cnames_and_replicates_nothing(
    deed: tuple[dict[str, dict[str, Any]], Path],
) -> None:
    primary = deed[0]["SesStack-eu-west-1"]
    assert records_of(primary) == ["CNAME", "CNAME", "CNAME", "MX", "TXT", "TXT"]
    assert resources_of(primary, "Custom::SesDkimReplica") == {}
    Template.from_json(primary).has_resource_properties(
        "AWS::SES::EmailIdentity", {"DkimSigningAttributes": {"NextSigningKeyLength": "RSA_2048_BIT"}}
    )


@pytest.mark.parametrize("region", ["us-east-1", "ap-southeast-2"])
def test_each_secondary_replicates_the_primary_and_keeps_its_own_mail_from(
    deed: tuple[dict[str, dict[str, Any]], Path], region: str
) -> None:
    templates, outdir = deed
    secondary = templates[f"SesStack-{region}"]
    assert records_of(secondary) == ["MX", "TXT"]  # MAIL FROM only: no DKIM CNAME
    template = Template.from_json(secondary)
    mx = [f"10 feedback-smtp.{region}.amazonses.com"]
    template.has_resource_properties(
        "AWS::Route53::RecordSet", {"Type": "MX", "Name": f"mail-{region}.example.com.", "ResourceRecords": mx}
    )
    # no key length on a replica: an update of the identity must never reset its signing to its own keys
    template.has_resource_properties(
        "AWS::SES::EmailIdentity", {"EmailIdentity": "example.com", "DkimSigningAttributes": Match.absent()}
    )
    replicas = resources_of(secondary, "Custom::SesDkimReplica")
    assert sorted(r["Properties"]["EmailIdentity"] for r in replicas.values()) == ["example.com", "example.org"]
    assert {r["Properties"]["OriginRegion"] for r in replicas.values()} == {"eu-west-1"}
    identities = {
        r["Properties"]["EmailIdentity"]: k for k, r in resources_of(secondary, "AWS::SES::EmailIdentity").items()
    }
    for replica in replicas.values():
        assert identities[replica["Properties"]["EmailIdentity"]] in replica["DependsOn"]
    # DNS elsewhere: the outputs list the MAIL FROM records only
    outputs = [k for k in secondary["Outputs"] if k.startswith("exampleorg")]
    assert sorted(o.rstrip("0123456789ABCDEF") for o in outputs) == [
        "exampleorgMailFromMxRecord",
        "exampleorgMailFromSpfRecord",
    ]
    manifest = json.loads((outdir / "manifest.json").read_text())
    assert "SesStack-eu-west-1" in manifest["artifacts"][f"SesStack-{region}"]["dependencies"]
    matches = cfnlint.api.lint(json.dumps(secondary), regions=[region])
    assert [f"{m.rule.id} {m.message}" for m in matches if m.rule.id not in CFN_LINT_IGNORED] == []


def test_the_replica_may_read_the_origin_and_set_signing_here_only(
    deed: tuple[dict[str, dict[str, Any]], Path],
) -> None:
    secondary = deed[0]["SesStack-us-east-1"]
    (policy,) = [p for k, p in resources_of(secondary, "AWS::IAM::Policy").items()
                 if k.startswith("SesDkimReplicaProviderPolicy")]  # fmt: skip
    read, change = policy["Properties"]["PolicyDocument"]["Statement"]
    assert read["Action"] == "ses:GetEmailIdentity" and ":ses:eu-west-1:" in json.dumps(read["Resource"])
    # a crafted event cannot re-point another identity: only this stack's, by name
    assert change["Action"] == "ses:PutEmailIdentityDkimSigningAttributes"
    names = sorted(r["Properties"]["EmailIdentity"] for r in resources_of(secondary, "Custom::SesDkimReplica").values())
    assert [arn["Fn::Join"][1][-1] for arn in change["Resource"]] == [f":identity/{name}" for name in names]
    assert all(":ses:us-east-1:" in json.dumps(arn) for arn in change["Resource"])
    functions = resources_of(secondary, "AWS::Lambda::Function")
    (replica_function,) = [f for k, f in functions.items() if k.startswith("SesDkimReplicaProvider")]
    assert replica_function["Properties"]["Environment"]["Variables"] == {"RESOURCE_TYPES": "Custom::SesDkimReplica"}
    for replica in resources_of(secondary, "Custom::SesDkimReplica").values():
        assert replica["Properties"]["ServiceToken"]["Fn::GetAtt"][0].startswith("SesDkimReplicaProviderHandler")
    report = json.loads((deed[1] / "validation-report.json").read_text())
    (nag,) = [p for p in report["pluginReports"] if p["pluginName"] == "AwsSolutions"]
    assert nag["violations"] == []


def test_the_checklist_passes_a_replica_and_fails_it_without_the_replica(
    deed: tuple[dict[str, dict[str, Any]], Path],
) -> None:
    secondary = deed[0]["SesStack-us-east-1"]
    checklist = evaluate_template(secondary, region="us-east-1")
    dkim = {r.domain: r for r in checklist.results if r.item.value == "domain_dkim"}
    assert dkim["example.com"].status is Status.PASS
    assert "Easy DKIM keys of its eu-west-1 identity" in dkim["example.com"].evidence
    without = json.loads(json.dumps(secondary))
    for logical_id in resources_of(without, "Custom::SesDkimReplica"):
        del without["Resources"][logical_id]
    dkim = {
        r.domain: r for r in evaluate_template(without, region="us-east-1").results if r.item.value == "domain_dkim"
    }
    assert dkim["example.com"].status is Status.FAIL  # no CNAMEs and no replica: nothing signs


def test_sharded_secondary_domain_stacks_deploy_after_their_primary_twins(tmp_path: Path) -> None:
    from ses_stack.app.synth import build_stacks  # noqa: PLC0415
    from ses_stack.config import parse_config  # noqa: PLC0415

    data = {**DEED, "regions": ["eu-west-1", "us-east-1"], "domainStacks": 2}
    data["domains"] = [{**d, "domainStack": n} for n, d in enumerate(DEED["domains"], start=1)]
    app = new_app(tmp_path)
    build_stacks(app, parse_config(data))
    assembly = app.synth()
    for number in (1, 2):
        artifact = assembly.get_stack_by_name(f"SesStack-us-east-1-domains-{number}")
        assert f"SesStack-eu-west-1-domains-{number}" in [d.id for d in artifact.dependencies]


def test_construct_validation(tmp_path: Path) -> None:
    stack = Stack(new_app(tmp_path), "Secondary", env={"region": "us-east-1"})
    with pytest.raises(ValueError, match=r"SesDomain 'Bad' dkim_origin_region: must be a Region where Amazon SES"):
        SesDomain(stack, "Bad", domain_name="example.com", dkim_origin_region="mars-north-1")
    identity = ses.EmailIdentity(stack, "Identity", identity=ses.Identity.domain("example.com"))
    with pytest.raises(ValueError, match="must be another Region than the stack's; got 'us-east-1'"):
        SesDkimReplica(stack, "Self", identity=identity, domain_name="example.com", origin_region="us-east-1")
    assert stack.node.try_find_child("Bad") is None and stack.node.try_find_child("Self") is None
