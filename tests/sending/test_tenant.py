"""SesTenant and the config's tenants: associations, reputation policy, suppression, placement and validation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_ses as ses
from aws_cdk.assertions import Match, Template

from ses_stack import SesTenant, TenantReputationPolicy, TenantSuppressionScope
from ses_stack.checklist import Status, evaluate_template
from tests.conftest import new_app, resources_of, synth_config

ZONE = "Z0123456789ABCDEFGHIJ"
PLATFORM: dict[str, Any] = {
    "regions": ["eu-west-1"],
    "domains": [
        {"name": "acme.example.com", "hostedZoneId": ZONE},
        {"name": "mail.acme.example.net", "hostedZoneId": ZONE},
        {"name": "globex.example.com"},
        {"name": "ours.example.com", "hostedZoneId": ZONE},
    ],
    "tenants": [
        {"name": "acme", "domains": ["acme.example.com", "mail.acme.example.net"]},
        {
            "name": "globex",
            "domains": ["globex.example.com"],
            "reputationPolicy": "strict",
            "suppression": {"scope": "ACCOUNT", "reasons": ["BOUNCE", "COMPLAINT"]},
        },
    ],
}


NONE_POLICY = "arn:aws:ses:eu-west-1:aws:reputation-policy/none"


@pytest.fixture(scope="module")
def platform_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    outdir = tmp_path_factory.mktemp("platform")
    (template,) = synth_config(PLATFORM, outdir).values()
    return template, outdir


@pytest.fixture(scope="module")
def platform(platform_out: tuple[dict[str, Any], Path]) -> dict[str, Any]:
    return platform_out[0]


def tenant(template: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [r for r in resources_of(template, "AWS::SES::Tenant").values() if r["Properties"]["TenantName"] == name]
    return found


def test_each_tenant_holds_its_identities_and_the_set_with_standard_policy_and_its_own_list(
    platform: dict[str, Any],
) -> None:
    acme = tenant(platform, "acme")
    assert (acme["DeletionPolicy"], acme["UpdateReplacePolicy"]) == ("Retain", "Retain")
    associations = json.dumps(acme["Properties"]["ResourceAssociations"])
    identities = {
        r["Properties"]["EmailIdentity"]: k for k, r in resources_of(platform, "AWS::SES::EmailIdentity").items()
    }
    assert f'{{"Ref": "{identities["acme.example.com"]}"}}' in associations
    assert f'{{"Ref": "{identities["mail.acme.example.net"]}"}}' in associations
    assert identities["globex.example.com"] not in associations and identities["ours.example.com"] not in associations
    assert ":configuration-set/" in associations
    assert json.dumps(acme["Properties"]["ReputationEntity"]).endswith(':aws:reputation-policy/standard"]]}}}')
    assert acme["Properties"]["SuppressionAttributes"] == {
        "SuppressionScope": "TENANT",
        "SuppressedReasons": ["BOUNCE", "COMPLAINT"],
    }
    globex = tenant(platform, "globex")["Properties"]
    assert json.dumps(globex["ReputationEntity"]).endswith(':aws:reputation-policy/strict"]]}}}')
    assert globex["SuppressionAttributes"]["SuppressionScope"] == "ACCOUNT"


def test_without_tenants_nothing_is_emitted(example_template: dict[str, Any]) -> None:
    Template.from_json(example_template).resource_count_is("AWS::SES::Tenant", 0)
    assert not [r for r in evaluate_template(example_template).results if r.tenant]


def test_the_checklist_reports_each_tenant_under_suppression(platform: dict[str, Any]) -> None:
    verdicts = {r.tenant: r for r in evaluate_template(platform, region="eu-west-1").results if r.tenant}
    assert {name: v.status for name, v in verdicts.items()} == {"acme": Status.PASS, "globex": Status.PASS}
    assert (
        verdicts["acme"].evidence
        == "tenant acme: its own suppression list (BOUNCE, COMPLAINT), reputation policy standard"
    )


@pytest.mark.parametrize(
    ("change", "evidence"),
    [
        (lambda p: p.update(SuppressionAttributes={"SuppressionScope": "TENANT", "SuppressedReasons": ["COMPLAINT"]}),
         "tenant acme's own suppression list does not suppress BOUNCE"),
        (lambda p: p.pop("SuppressionAttributes"), "tenant acme leaves its suppression list to SES's default"),
        (lambda p: p["ReputationEntity"]["Policy"].update(ReputationEntityPolicy=NONE_POLICY),
         "tenant acme has reputation policy none"),
    ],
    ids=["no-bounce", "no-suppression-attributes", "policy-none"],
)  # fmt: skip
def test_a_weaker_tenant_setting_warns(platform: dict[str, Any], change: Any, evidence: str) -> None:
    changed = json.loads(json.dumps(platform))
    change(tenant(changed, "acme")["Properties"])
    verdict = next(r for r in evaluate_template(changed, region="eu-west-1").results if r.tenant == "acme")
    assert verdict.status is Status.WARN and verdict.evidence.startswith(evidence)


def test_the_validator_acknowledgement_is_on_the_tenants_only(platform_out: tuple[dict[str, Any], Path]) -> None:
    report = json.loads((platform_out[1] / "validation-report.json").read_text())
    validate = next(p for p in report["pluginReports"] if p["pluginName"] == "CloudFormation Validate")
    assert validate["violations"] == []
    paths = {c["constructPath"] for v in validate["suppressedViolations"] for c in v["violatingConstructs"]}
    assert paths == {
        "SesStack-eu-west-1/Default/Tenant-acme/Resource",
        "SesStack-eu-west-1/Default/Tenant-globex/Resource",
    }


def test_the_construct_defaults_and_destroy(tmp_path: Path) -> None:
    stack = Stack(new_app(tmp_path), "Platform")
    identity = ses.EmailIdentity(stack, "Identity", identity=ses.Identity.domain("acme.example.com"))
    SesTenant(stack, "Acme", tenant_name="acme", identities=[identity], removal_policy=RemovalPolicy.DESTROY)
    SesTenant(stack, "Bare", tenant_name="bare", reputation_policy=TenantReputationPolicy.NONE,
              suppression_scope=TenantSuppressionScope.ACCOUNT, suppressed_reasons=[])  # fmt: skip
    template = Template.from_stack(stack)
    template.has_resource("AWS::SES::Tenant", {"Properties": Match.object_like({"TenantName": "acme"}),
                                               "DeletionPolicy": "Delete"})  # fmt: skip
    template.has_resource_properties(
        "AWS::SES::Tenant",
        {"TenantName": "bare", "ResourceAssociations": Match.absent(),
         "SuppressionAttributes": {"SuppressionScope": "ACCOUNT", "SuppressedReasons": []}},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tenant_name": "acme corp"}, "SesTenant 'Bad' tenant_name: must be 1-64 letters, digits, underscores or "
                                       "hyphens; got 'acme corp'"),
        ({"tenant_name": "acme", "suppressed_reasons": ["BOUNCE", "BOUNCE"]},
         "SesTenant 'Bad' suppressed_reasons: must list BOUNCE and/or COMPLAINT, each at most once; got "
         "['BOUNCE', 'BOUNCE']"),
        ({"tenant_name": "acme", "suppressed_reasons": ["SPAM"]},
         "SesTenant 'Bad' suppressed_reasons: must list BOUNCE and/or COMPLAINT, each at most once; got ['SPAM']"),
    ],
)  # fmt: skip
def test_invalid_props_fail_before_any_resource(kwargs: dict[str, Any], message: str) -> None:
    stack = Stack()
    with pytest.raises(ValueError) as raised:
        SesTenant(stack, "Bad", **kwargs)
    assert str(raised.value) == message
    assert stack.node.try_find_child("Bad") is None


def test_a_tenant_whose_domains_the_stack_lacks_is_a_clear_error(tmp_path: Path) -> None:
    from ses_stack.app.stack import SesStack  # noqa: PLC0415
    from ses_stack.config import TenantConfig  # noqa: PLC0415

    app = new_app(tmp_path)
    with pytest.raises(ValueError, match=r"SesStack-x tenants: tenant 'acme' needs its domains in this stack; got "
                                         r"\['acme.example.com'\]"):  # fmt: skip
        SesStack(app, "SesStack-x", domains=[], tenants=[TenantConfig(name="acme", domains=["acme.example.com"])])
    assert app.node.try_find_child("SesStack-x") is None  # refused before anything was created
