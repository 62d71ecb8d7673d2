"""Sharded Regions: a shared SesStack and SesDomainStacks, as the app builds them from ``domainStacks``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cfnlint.api
import pytest
from aws_cdk import CfnElement, CfnOutput, Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from ses_stack.app.domain_stack import SesDomainStack
from ses_stack.app.stack import SesStack
from ses_stack.app.synth import build_stacks, synth_checklists
from ses_stack.config import parse_config
from tests.app.test_stack import CFN_LINT_IGNORED, normalised
from tests.conftest import new_app, resources_of

ZONE = "Z0123456789ABCDEFGHIJ"
REGIONS = ("eu-west-1", "us-east-1")
SHARDED: dict[str, Any] = {
    "regions": list(REGIONS),
    "domainStacks": 4,
    "domains": [
        {"name": "a.example.com", "hostedZoneId": ZONE, "domainStack": 1, "waitForVerification": True},
        {"name": "b.example.com", "hostedZoneId": ZONE, "domainStack": 1},
        {"name": "c.example.com", "hostedZoneId": ZONE, "domainStack": 2},
        {"name": "d.example.com", "domainStack": 2},  # DNS elsewhere: records as outputs of its domain stack
        {"name": "e.example.com", "domainStack": 3},
        # stack 4: no domain
    ],
}


@dataclass(frozen=True)
class Synthesized:
    stacks: list[SesStack | SesDomainStack]
    templates: dict[str, dict[str, Any]]
    outdir: Path


def synthesize(data: dict[str, Any], outdir: Path) -> Synthesized:
    app = new_app(outdir)
    config = parse_config(data)
    stacks = build_stacks(app, config)
    synth_checklists(app, stacks, transactional_only=config.transactional_only)
    templates = {s.stack_name: json.loads((outdir / f"{s.stack_name}.template.json").read_text()) for s in stacks}
    return Synthesized(stacks, templates, outdir)


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    return synthesize(SHARDED, tmp_path_factory.mktemp("sharded"))


def test_each_region_has_a_shared_stack_and_every_domain_stack(sharded: Synthesized) -> None:
    assert [s.stack_name for s in sharded.stacks] == [
        name
        for region in REGIONS
        for name in (f"SesStack-{region}", *(f"SesStack-{region}-domains-{n}" for n in (1, 2, 3, 4)))
    ]
    for region in REGIONS:
        shared = Template.from_json(sharded.templates[f"SesStack-{region}"])
        shared.resource_count_is("AWS::SES::EmailIdentity", 0)
        shared.resource_count_is("AWS::SES::ConfigurationSet", 1)
        shared.resource_count_is("AWS::SES::ConfigurationSetEventDestination", 1)
        held = {
            n: sorted(
                r["Properties"]["EmailIdentity"]
                for r in resources_of(
                    sharded.templates[f"SesStack-{region}-domains-{n}"], "AWS::SES::EmailIdentity"
                ).values()
            )
            for n in (1, 2, 3, 4)
        }
        assert held == {1: ["a.example.com", "b.example.com"], 2: ["c.example.com", "d.example.com"],
                        3: ["e.example.com"], 4: []}  # fmt: skip
        # a stack no domain hashes to is still in the app, with a no-op resource (CloudFormation needs one): a
        # deploy then removes what it held
        assert sharded.templates[f"SesStack-{region}-domains-4"]["Resources"] == {
            "NoDomainYet": {"Type": "AWS::CloudFormation::WaitConditionHandle"}
        }


def test_domain_stacks_send_through_the_shared_set_and_deploy_after_it(sharded: Synthesized) -> None:
    manifest = json.loads((sharded.outdir / "manifest.json").read_text())
    for region in REGIONS:
        shared_name = f"SesStack-{region}"
        for number in (1, 2, 3, 4):
            name = f"{shared_name}-domains-{number}"
            assert shared_name in manifest["artifacts"][name]["dependencies"]
            for identity in resources_of(sharded.templates[name], "AWS::SES::EmailIdentity").values():
                reference = identity["Properties"]["ConfigurationSetAttributes"]["ConfigurationSetName"]
                (function,) = reference
                assert function in ("Fn::GetStackOutput", "Fn::ImportValue")  # the flag picks weak or strong
                output = reference[function]["OutputName"] if function == "Fn::GetStackOutput" else None
                if output is not None:
                    shared_outputs = sharded.templates[shared_name]["Outputs"]
                    assert reference[function]["StackName"] == shared_name
                    assert shared_outputs[output]["Value"] == {"Ref": _only_set(sharded.templates[shared_name])}


def _only_set(template: dict[str, Any]) -> str:
    (logical_id,) = resources_of(template, "AWS::SES::ConfigurationSet")
    return logical_id


@pytest.mark.parametrize(
    "stack", ["SesStack-eu-west-1", "SesStack-eu-west-1-domains-1", "SesStack-eu-west-1-domains-2"]
)
def test_sharded_template_snapshots(sharded: Synthesized, stack: str, snapshot: SnapshotAssertion) -> None:
    assert normalised(sharded.templates[stack]) == snapshot(extension_class=JSONSnapshotExtension)


def test_a_named_set_is_referenced_by_name_without_an_output(tmp_path: Path) -> None:
    data = {**SHARDED, "regions": ["eu-west-1"], "configurationSet": {"name": "transactional"}}
    synthesized = synthesize(data, tmp_path)
    shared = synthesized.templates["SesStack-eu-west-1"]
    assert len(shared["Outputs"]) == 4  # no output for other stacks to read
    identities = resources_of(synthesized.templates["SesStack-eu-west-1-domains-1"], "AWS::SES::EmailIdentity")
    assert {json.dumps(i["Properties"]["ConfigurationSetAttributes"]) for i in identities.values()} == {
        '{"ConfigurationSetName": "transactional"}'
    }


def test_descriptions_name_the_share_and_its_domains(sharded: Synthesized) -> None:
    assert sharded.templates["SesStack-eu-west-1"]["Description"] == (
        "ses_stack: SES sending setup for eu-west-1, shared by its 4 domain stacks"
    )
    assert sharded.templates["SesStack-us-east-1-domains-2"]["Description"] == (
        "ses_stack: SES domains 2 of 4 for us-east-1 (c.example.com, d.example.com)"
    )
    assert sharded.templates["SesStack-eu-west-1-domains-4"]["Description"] == (
        "ses_stack: SES domains 4 of 4 for eu-west-1 (no domain yet)"
    )


@pytest.mark.parametrize("region", REGIONS)
def test_cfn_lint_is_clean_on_every_stack(sharded: Synthesized, region: str) -> None:
    for name, template in sharded.templates.items():
        if name.startswith(f"SesStack-{region}"):
            matches = cfnlint.api.lint(json.dumps(template), regions=[region])
            assert [f"{m.rule.id} {m.message}" for m in matches if m.rule.id not in CFN_LINT_IGNORED] == [], name


def test_cdk_nag_is_clean_on_every_stack(sharded: Synthesized) -> None:
    report = json.loads((sharded.outdir / "validation-report.json").read_text())
    (nag,) = report["pluginReports"]
    assert (nag["conclusion"], nag["violations"]) == ("success", [])
    acknowledged = {
        (c["constructPath"].split("/")[0], c["constructPath"].split("/")[1])
        for v in nag["suppressedViolations"]
        for c in v["violatingConstructs"]
    }
    # domain stacks need none but the record takeover's (which stack holds a record; its own journal path)
    with_takeover = {name for name, t in sharded.templates.items() if resources_of(t, "Custom::SesRecordTakeover")}
    assert {stack for stack, _ in acknowledged} == with_takeover | {f"SesStack-{region}" for region in REGIONS}
    assert {part for stack, part in acknowledged if "-domains-" in stack} == {"SesRecordTakeoverProvider"}


def test_the_regions_checklist_has_the_shared_items_once_and_every_domain(sharded: Synthesized) -> None:
    for region in REGIONS:
        whole = json.loads((sharded.outdir / f"SesStack-{region}.checklist.json").read_text())
        items = [(i["item"], i.get("domain")) for i in whole["items"]]
        for item in ("bounce", "complaint", "suppression", "unsubscribe"):
            assert [d for i, d in items if i == item] == [None]
        assert sorted(d for i, d in items if i == "domain_dkim") == [f"{x}.example.com" for x in "abcde"]
        statuses = {(i["item"], i.get("domain")): i["status"] for i in whole["items"]}
        assert statuses[("domain_dkim", "a.example.com")] == "pass"
        assert statuses[("domain_dkim", "d.example.com")] == "warn"  # listed in outputs, not published
        own = json.loads((sharded.outdir / f"SesStack-{region}-domains-2.checklist.json").read_text())
        assert sorted({i["domain"] for i in own["items"]}) == ["c.example.com", "d.example.com"]
        assert {i["item"] for i in own["items"]} == {"domain_dkim", "spf", "dmarc"}


def test_a_domain_stacks_grant_covers_its_domains_and_the_shared_set(tmp_path: Path) -> None:
    stacks = build_stacks(new_app(tmp_path), parse_config(SHARDED))
    stack = next(s for s in stacks if s.stack_name == "SesStack-eu-west-1-domains-1")
    assert isinstance(stack, SesDomainStack)
    role = iam.Role(stack, "Sender", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    stack.grant_send(role, from_addresses=["noreply@b.example.com"])
    text = json.dumps(Template.from_stack(stack).find_resources("AWS::IAM::Policy"))
    assert "noreply@b.example.com" in text and ":configuration-set/" in text
    with pytest.raises(ValueError, match="SesDomainStack grant_send from_addresses"):
        stack.grant_send(role, from_addresses=["x@c.example.com"])  # c is in another domain stack


def domain_resources(synthesized: Synthesized) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each domain -> (the stack holding it, {logical id: resource or output} of everything under its construct)."""
    found = {}
    for stack in synthesized.stacks:
        template = synthesized.templates[stack.stack_name]
        for domain in stack.domains:
            elements: dict[str, Any] = {}
            for child in domain.node.find_all():
                if isinstance(child, CfnElement):
                    logical_id = Stack.of(child).resolve(child.logical_id)
                    section = "Outputs" if isinstance(child, CfnOutput) else "Resources"
                    elements[logical_id] = template[section][logical_id]
            found[domain.domain_name] = (stack.stack_name, elements)
    return found


BEFORE = [f"customer{i}.example.com" for i in range(8)]


def _config(names: list[str], domain_stacks: int | None = 3) -> dict[str, Any]:
    data: dict[str, Any] = {"regions": ["eu-west-1"], "domains": [{"name": n, "hostedZoneId": ZONE} for n in names]}
    if domain_stacks is not None:
        data["domainStacks"] = domain_stacks
    return data


def test_inserting_removing_and_reordering_domains_moves_no_other_domain(tmp_path: Path) -> None:
    before = domain_resources(synthesize(_config(BEFORE), tmp_path / "before"))
    changed = [*reversed(BEFORE[:4]), "inserted.example.com", *BEFORE[5:]]  # reordered, one in, customer4 out
    after = domain_resources(synthesize(_config(changed), tmp_path / "after"))
    assert len({stack for stack, _ in before.values()}) > 1  # the domains really are spread
    for name in changed:
        if name in before:
            assert after[name] == before[name], name  # same stack, same logical ids, same resources
    assert "customer4.example.com" not in after
    # the negative twin: another number of domain stacks does move domains, which is why it is chosen once
    regrouped = domain_resources(synthesize(_config(BEFORE, domain_stacks=4), tmp_path / "regrouped"))
    assert any(regrouped[n][0] != before[n][0] for n in BEFORE)
    # and a domain keeps the logical ids it had in a single stack (`cdk import` can move it by them)
    single = domain_resources(synthesize(_config(BEFORE, domain_stacks=None), tmp_path / "single"))
    for name in BEFORE:
        assert single[name][0] == "SesStack-eu-west-1" and before[name][0].startswith("SesStack-eu-west-1-domains-")
        assert sorted(single[name][1]) == sorted(before[name][1])


def _statuses(checklist: Any) -> dict[tuple[str, str | None], str]:
    return {(r.item.value, r.domain): r.status.value for r in checklist.results}


def test_region_evaluation_fails_what_any_one_stack_lacks(sharded: Synthesized) -> None:
    from ses_stack.checklist import evaluate_region  # noqa: PLC0415

    shared = sharded.templates["SesStack-eu-west-1"]
    domain_stacks = [sharded.templates[f"SesStack-eu-west-1-domains-{n}"] for n in (1, 2, 3, 4)]
    whole = _statuses(evaluate_region(shared, [shared, *domain_stacks], region="eu-west-1"))
    assert whole[("bounce", None)] == whole[("domain_dkim", "b.example.com")] == "pass"
    # a domain stack without one of its DKIM CNAMEs fails that domain only
    broken = json.loads(json.dumps(domain_stacks[0]))
    records = resources_of(broken, "AWS::Route53::RecordSet")
    dkim = next(k for k, r in records.items() if k.startswith("bexamplecom") and r["Properties"]["Type"] == "CNAME")
    del broken["Resources"][dkim]
    statuses = _statuses(evaluate_region(shared, [broken, *domain_stacks[1:]], region="eu-west-1"))
    assert statuses[("domain_dkim", "b.example.com")] == "fail"
    assert statuses[("domain_dkim", "a.example.com")] == "pass"
    # a shared stack without the event destination fails bounce and complaint, whatever the domain stacks hold
    no_pipeline = json.loads(json.dumps(shared))
    for logical_id in resources_of(no_pipeline, "AWS::SES::ConfigurationSetEventDestination"):
        del no_pipeline["Resources"][logical_id]
    statuses = _statuses(evaluate_region(no_pipeline, domain_stacks, region="eu-west-1"))
    assert statuses[("bounce", None)] == statuses[("complaint", None)] == "fail"
    # and the shared stack alone holds no domain
    alone = _statuses(evaluate_region(shared, [shared], region="eu-west-1"))
    assert alone[("domain_dkim", None)] == "fail"


def test_a_tenant_lives_in_the_domain_stack_of_its_domains(tmp_path: Path) -> None:
    data = {**SHARDED, "regions": ["eu-west-1"], "configurationSet": {"name": "platform"},
            "tenants": [{"name": "acme", "domains": ["a.example.com", "b.example.com"]}]}  # fmt: skip
    synthesized = synthesize(data, tmp_path)
    held = {name: list(resources_of(t, "AWS::SES::Tenant")) for name, t in synthesized.templates.items()}
    assert {name: ids for name, ids in held.items() if ids} == {"SesStack-eu-west-1-domains-1": ["TenantacmeD81959A0"]}
    (tenant,) = resources_of(synthesized.templates["SesStack-eu-west-1-domains-1"], "AWS::SES::Tenant").values()
    assert ":configuration-set/platform" in json.dumps(tenant["Properties"]["ResourceAssociations"])
    own = json.loads((tmp_path / "SesStack-eu-west-1-domains-1.checklist.json").read_text())
    assert [i["tenant"] for i in own["items"] if "tenant" in i] == ["acme"]


def test_report_authorizations_count_across_the_regions_stacks(tmp_path: Path) -> None:
    """A domain reporting to a configured domain in another domain stack: that stack publishes the record, and
    both the Region's checklist and the reporting domain's own stack's checklist see it."""
    domains = [
        {"name": f"s{n}.example.net", "hostedZoneId": "Z0OTHER0ZONE", "dmarc": {"rua": ["d@example.org"]}}
        for n in range(6)
    ]
    data = {"regions": ["eu-west-1"], "domainStacks": 3, "domainStacksBase": 1,
            "domains": [*domains, {"name": "example.org", "hostedZoneId": "Z0123456789ABCDEFGHIJ"}]}  # fmt: skip
    built = synthesize(data, tmp_path)

    def authorizations(template: dict[str, Any]) -> list[str]:
        found = resources_of(template, "AWS::Route53::RecordSet").values()
        return [str(r["Properties"]["Name"]) for r in found if "._report._dmarc." in str(r["Properties"]["Name"])]

    (holder,) = [name for name, template in built.templates.items() if authorizations(template)]
    assert sorted(authorizations(built.templates[holder])) == [
        f"s{n}.example.net._report._dmarc.example.org." for n in range(6)
    ]
    for name in built.templates:
        own = json.loads((built.outdir / f"{name}.checklist.json").read_text())
        dmarc = [i for i in own["items"] if i["item"] == "dmarc" and i["domain"].endswith(".example.net")]
        assert all(i["status"] == "pass" for i in dmarc), dmarc
    elsewhere = [n for n, t in built.templates.items() if n != holder and ".example.net" in json.dumps(t)]
    assert elsewhere  # the domains are spread: reporting domains sit in other stacks than the holder
