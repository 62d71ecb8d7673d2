"""The deployable stack, synthesized through the app's own code: resources, outputs, quality gates, snapshot."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import cfnlint.api
import pytest
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from ses_stack.app.synth import build_stacks, synth_checklists
from ses_stack.config import parse_config
from tests.conftest import new_app, resources_of, synth_config

# cfn-lint checks that flag CDK's own output rather than ours, each with the reason.
CFN_LINT_IGNORED = {
    "W3005",  # CDK adds DependsOn that cfn-lint finds redundant (already implied by a Ref/GetAtt).
}
LINT_REGIONS = ("eu-west-1", "us-east-1", "ap-southeast-2")

MIXED: dict[str, Any] = {
    "account": "123456789012",
    "regions": list(LINT_REGIONS),
    "domains": [
        {"name": "example.com", "hostedZoneId": "Z0123456789ABCDEFGHIJ", "dmarc": {"rua": ["d@example.com"]}},
        {"name": "example.org", "mailFromSubdomain": "bounce", "dmarc": {"policy": "reject", "rua": ["d@example.org"]}},
    ],
}


@pytest.fixture(scope="module")
def mixed_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    return synth_config(MIXED, tmp_path_factory.mktemp("mixed"))


def test_example_stack_composes_domain_configuration_set_and_pipeline(example_template: dict[str, Any]) -> None:
    template = Template.from_json(example_template)
    template.resource_count_is("AWS::SES::EmailIdentity", 1)
    template.resource_count_is("AWS::Route53::RecordSet", 6)
    template.resource_count_is("AWS::SES::ConfigurationSet", 1)
    # feedback handler, settings provider (one per stack), auto-pause
    template.resource_count_is("AWS::Lambda::Function", 4)  # feedback, reputation, settings, record takeover
    template.resource_count_is("AWS::SES::ContactList", 1)
    template.resource_count_is("Custom::SesAccountSuppression", 1)
    template.resource_count_is("Custom::SesSendingPauseGuard", 1)
    config_set = only_id(example_template, "AWS::SES::ConfigurationSet")
    template.has_resource_properties(
        "AWS::SES::EmailIdentity",
        {
            "EmailIdentity": "example.com",
            "DkimSigningAttributes": {"NextSigningKeyLength": "RSA_2048_BIT"},
            "MailFromAttributes": {"MailFromDomain": "mail.example.com", "BehaviorOnMxFailure": "REJECT_MESSAGE"},
            # mail sent without naming a set is still tracked
            "ConfigurationSetAttributes": {"ConfigurationSetName": {"Ref": config_set}},
        },
    )
    template.has_resource_properties(
        "AWS::SES::ConfigurationSetEventDestination", {"ConfigurationSetName": {"Ref": config_set}}
    )
    template.has_resource_properties(
        "AWS::Route53::RecordSet",
        {
            "Name": "_dmarc.example.com.",
            "Type": "TXT",
            "ResourceRecords": ['"v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@example.com; adkim=r; aspf=r"'],
        },
    )
    # Route53 domains need no manual records: the outputs only say where things are.
    (destination,) = resources_of(example_template, "AWS::SES::ConfigurationSetEventDestination").values()
    outputs = {k: v["Value"] for k, v in example_template["Outputs"].items()}
    assert outputs == {
        "ConfigurationSetName": {"Ref": config_set},
        "FeedbackTopicArn": destination["Properties"]["EventDestination"]["SnsDestination"]["TopicARN"],
        "OperationsTopicArn": outputs["OperationsTopicArn"],
        "PauseMarkerParameter": "/ses-stack/SesStack-eu-west-1/SesStackeuwest1Reputation03334C5F/paused",
    }
    assert outputs["OperationsTopicArn"]["Ref"].startswith("ReputationOperationsTopic")


def test_one_stack_per_region_with_its_own_mail_from_domain_and_feedback_host(
    mixed_templates: dict[str, dict[str, Any]],
) -> None:
    assert sorted(mixed_templates) == sorted(f"SesStack-{r}" for r in LINT_REGIONS)
    for region in LINT_REGIONS:
        template = mixed_templates[f"SesStack-{region}"]
        # A MAIL FROM domain takes exactly one MX, to one Region: the first Region keeps the configured name.
        mail_from = "mail.example.com" if region == LINT_REGIONS[0] else f"mail-{region}.example.com"
        Template.from_json(template).has_resource_properties(
            "AWS::Route53::RecordSet",
            {"Type": "MX", "Name": f"{mail_from}.", "ResourceRecords": [f"10 feedback-smtp.{region}.amazonses.com"]},
        )
        Template.from_json(template).has_resource_properties(
            "AWS::SES::EmailIdentity",
            {"EmailIdentity": "example.com", "MailFromAttributes": Match.object_like({"MailFromDomain": mail_from})},
        )
        assert template["Description"] == f"ses_stack: SES sending setup for {region} (example.com, example.org)"


def test_no_two_stacks_write_the_same_record(mixed_templates: dict[str, dict[str, Any]]) -> None:
    # CloudFormation cannot create a record set that another stack already created (same zone, name and type).
    seen: dict[tuple[str, str, str], str] = {}
    for stack_name, template in mixed_templates.items():
        for record in resources_of(template, "AWS::Route53::RecordSet").values():
            props = record["Properties"]
            key = (json.dumps(props["HostedZoneId"]), json.dumps(props["Name"]), props["Type"])
            if isinstance(props["Name"], dict):  # DKIM names come from each Region's own identity
                continue
            assert key not in seen, f"{key} in {stack_name} and {seen.get(key)}"
            seen[key] = stack_name
    dmarc = [k for k in seen if "_dmarc" in k[1]]
    assert [seen[k] for k in dmarc] == ["SesStack-eu-west-1"]  # only the primary Region publishes DMARC


def test_external_dns_domain_gets_exact_records_as_outputs(mixed_templates: dict[str, dict[str, Any]]) -> None:
    template = mixed_templates["SesStack-eu-west-1"]
    identity = next(
        k
        for k, v in resources_of(template, "AWS::SES::EmailIdentity").items()
        if v["Properties"]["EmailIdentity"] == "example.org"
    )
    outputs = {k: v["Value"] for k, v in template["Outputs"].items() if k.startswith("exampleorg")}
    assert len(outputs) == 6
    values = list(outputs.values())
    for token in (1, 2, 3):
        assert {
            "Fn::Join": [
                "",
                [
                    {"Fn::GetAtt": [identity, f"DkimDNSTokenName{token}"]},
                    " CNAME ",
                    {"Fn::GetAtt": [identity, f"DkimDNSTokenValue{token}"]},
                ],
            ]
        } in values
    assert "bounce.example.org MX 10 feedback-smtp.eu-west-1.amazonses.com" in values
    assert 'bounce.example.org TXT "v=spf1 include:amazonses.com ~all"' in values
    assert '_dmarc.example.org TXT "v=DMARC1; p=reject; rua=mailto:d@example.org"' in values
    assert any(k.startswith("exampleorgDkim1Record") for k in outputs)
    # and no Route53 record for it
    names = [json.dumps(r["Properties"]["Name"]) for r in resources_of(template, "AWS::Route53::RecordSet").values()]
    assert not any("example.org" in n for n in names)


def test_account_is_optional_and_stacks_are_environment_agnostic_without_it(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    (stack,) = build_stacks(app, parse_config({"regions": ["eu-west-1"], "domains": [{"name": "example.com"}]}))
    assert stack.region == "eu-west-1"
    assert stack.resolve(stack.account) == {"Ref": "AWS::AccountId"}
    app2 = new_app(tmp_path / "2")
    config = parse_config({**MIXED, "regions": ["eu-west-1"]})
    (pinned,) = build_stacks(app2, config)
    assert pinned.account == "123456789012"


@pytest.mark.parametrize("region", LINT_REGIONS)
def test_cfn_lint_is_clean_in_each_region(mixed_templates: dict[str, dict[str, Any]], region: str) -> None:
    template = mixed_templates[f"SesStack-{region}"]
    matches = cfnlint.api.lint(json.dumps(template), regions=[region])
    findings = [f"{m.rule.id} {m.message}" for m in matches if m.rule.id not in CFN_LINT_IGNORED]
    assert findings == []


def test_cfn_lint_is_clean_on_the_example(example_template: dict[str, Any]) -> None:
    matches = cfnlint.api.lint(json.dumps(example_template), regions=list(LINT_REGIONS))
    assert [f"{m.rule.id} {m.message}" for m in matches if m.rule.id not in CFN_LINT_IGNORED] == []


def test_cdk_nag_runs_and_reports_no_findings(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    stacks = build_stacks(app, parse_config(MIXED))
    checklists = synth_checklists(app, stacks)
    assert len(checklists) == 3
    report = json.loads((tmp_path / "validation-report.json").read_text())
    (nag,) = report["pluginReports"]
    assert (nag["pluginName"], nag["conclusion"], nag["violations"]) == ("AwsSolutions", "success", [])
    # The only acknowledgements: account-level SES APIs without resource-level permissions, on their policies, and
    # the record takeover's read of which stack holds a record (and its own journal path), on its policy.
    acknowledged = sorted(
        (v["ruleName"].split("[")[1].split("::")[1][:3], c["constructPath"])
        for v in nag["suppressedViolations"]
        for c in v["violatingConstructs"]
    )
    takeover = [s.stack_name for s in stacks if s.node.try_find_child("SesRecordTakeoverProvider")]
    assert takeover
    assert acknowledged == sorted(
        [
            *(("*]", f"{stack.stack_name}/Default/{policy}/Resource") for stack in stacks
              for policy in ("Feedback/SuppressPolicy", "AccountSuppression/ResourcePolicy")),
            *((rule, f"{name}/SesRecordTakeoverProvider/Policy/Resource")
              for name in takeover for rule in ("*]", "arn")),
        ]
    )  # fmt: skip
    for stack in stacks:
        written = json.loads((tmp_path / f"{stack.stack_name}.checklist.json").read_text())
        assert written["region"] == stack.region
        assert [i["item"] for i in written["items"]][:3] == ["domain_dkim", "domain_dkim", "spf"]


def test_cdk_nag_gate_is_live_a_finding_fails_synthesis(tmp_path: Path) -> None:
    # The negative twin of the previous test: a topic that does not enforce SSL must stop synthesis.
    app = new_app(tmp_path)
    (stack,) = build_stacks(app, parse_config({"regions": ["eu-west-1"], "domains": [{"name": "example.com"}]}))
    sns.Topic(stack, "NotEnforcingSsl")
    with pytest.raises(RuntimeError, match="AwsSolutions-SNS3"):
        app.synth()
    report = (tmp_path / "validation-report.json").read_text()
    assert "AwsSolutions-SNS3" in report


def normalised(template: dict[str, Any]) -> dict[str, Any]:
    """The template with asset hashes (64 hex characters) replaced, so the snapshot survives code changes."""
    text = re.sub(r"[0-9a-f]{64}", "<asset-hash>", json.dumps(template, sort_keys=True))
    result: dict[str, Any] = json.loads(text)
    return result


def test_example_template_snapshot(example_template: dict[str, Any], snapshot: SnapshotAssertion) -> None:
    assert normalised(example_template) == snapshot(extension_class=JSONSnapshotExtension)


def test_mixed_template_snapshot(mixed_templates: dict[str, dict[str, Any]], snapshot: SnapshotAssertion) -> None:
    assert normalised(mixed_templates["SesStack-eu-west-1"]) == snapshot(extension_class=JSONSnapshotExtension)


def test_settings_left_unset_emit_nothing(example_template: dict[str, Any]) -> None:
    template = Template.from_json(example_template)
    template.has_resource_properties(
        "AWS::SES::EmailIdentity", {"FeedbackAttributes": Match.absent(), "Tags": Match.absent()}
    )
    template.has_resource_properties(
        "AWS::SES::ConfigurationSet",
        {"Name": Match.absent(), "TrackingOptions": Match.absent(), "VdmOptions": Match.absent()},
    )
    # Virtual Deliverability Manager and managed IP pools cost money: absent unless configured
    template.resource_count_is("AWS::SES::VdmAttributes", 0)
    template.resource_count_is("AWS::SES::DedicatedIpPool", 0)


def test_vdm_and_a_managed_pool_are_created_when_configured(tmp_path: Path) -> None:
    from tests.conftest import example_config_data  # noqa: PLC0415

    data = example_config_data()
    data["vdm"] = {"optimizedSharedDelivery": False}
    data["configurationSet"] = {"managedDedicatedIpPool": "marketing", "vdm": {"engagementMetrics": False}}
    (template,) = synth_config(data, tmp_path).values()
    checked = Template.from_json(template)
    checked.has_resource_properties(
        "AWS::SES::VdmAttributes",
        {
            "DashboardAttributes": {"EngagementMetrics": "ENABLED"},
            "GuardianAttributes": {"OptimizedSharedDelivery": "DISABLED"},
        },
    )
    checked.has_resource_properties("AWS::SES::DedicatedIpPool", {"PoolName": "marketing", "ScalingMode": "MANAGED"})
    checked.has_resource_properties(
        "AWS::SES::ConfigurationSet",
        {
            "DeliveryOptions": Match.object_like(
                {"SendingPoolName": {"Ref": only_id(template, "AWS::SES::DedicatedIpPool")}}
            ),
            "VdmOptions": {
                "DashboardOptions": {"EngagementMetrics": "DISABLED"},
                "GuardianOptions": {"OptimizedSharedDelivery": "ENABLED"},
            },
        },
    )
    matches = cfnlint.api.lint(json.dumps(template), regions=["eu-west-1"])
    assert [f"{m.rule.id} {m.message}" for m in matches if m.rule.id not in CFN_LINT_IGNORED] == []


def only_id(template: dict[str, Any], resource_type: str) -> str:
    (logical_id,) = resources_of(template, resource_type)
    return logical_id


def test_stack_grant_send_covers_each_domain_set_and_contact_list(tmp_path: Path) -> None:
    from aws_cdk import aws_iam as iam  # noqa: PLC0415

    from tests.conftest import example_config_data  # noqa: PLC0415

    app = new_app(tmp_path)
    data = example_config_data()
    data["domains"].append({"name": "example.org"})
    (stack,) = build_stacks(app, parse_config(data))
    role = iam.Role(stack, "Sender", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    stack.grant_send(role, from_addresses=["noreply@example.com"])
    statements = [
        s
        for p in Template.from_stack(stack).find_resources("AWS::IAM::Policy").values()
        if p["Properties"]["Roles"] == [{"Ref": stack.get_logical_id(role.node.default_child)}]
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]
    text = json.dumps(statements)
    assert "noreply@example.com" in text
    assert text.count(":identity/") == 1  # example.org is not granted: no address of it was named
    assert ":configuration-set/" in text and ":contact-list/example-newsletter" in text
    with pytest.raises(ValueError, match="each must be at one of the stack's domains"):
        stack.grant_send(role, from_addresses=["x@elsewhere.net"])


def test_transactional_only_config_reports_unsubscribe_not_applicable(tmp_path: Path) -> None:
    from ses_stack.checklist import ItemId, Status  # noqa: PLC0415
    from ses_stack.config import load_config  # noqa: PLC0415
    from tests.conftest import ROOT  # noqa: PLC0415

    app = new_app(tmp_path)
    config = load_config(ROOT / "examples" / "transactional.json")
    stacks = build_stacks(app, config)
    checklists = synth_checklists(app, stacks, transactional_only=config.transactional_only)
    assert [c.region for c in checklists] == ["us-east-1", "eu-central-1"]
    for checklist in checklists:
        result = checklist.result(ItemId.UNSUBSCRIBE)
        assert result.status is Status.NOT_APPLICABLE
        assert result.evidence == "declared transactional mail only: no bulk mail, no unsubscribe needed"
        assert checklist.ready is True
        # DNS is not in Route53 here: the domain items warn until the records are published
        assert checklist.result(ItemId.DOMAIN_DKIM, "notify.example.org").status is Status.WARN


def test_contact_list_routes_subscription_events(example_template: dict[str, Any]) -> None:
    Template.from_json(example_template).has_resource_properties(
        "AWS::SES::ConfigurationSetEventDestination",
        {"EventDestination": {"MatchingEventTypes": ["bounce", "complaint", "subscription"]}},
    )
    Template.from_json(example_template).has_resource_properties(
        "AWS::SES::ContactList",
        {
            "ContactListName": "example-newsletter",
            "Topics": [
                {
                    "TopicName": "newsletter",
                    "DisplayName": "Monthly newsletter",
                    "Description": "Product news, once a month",
                    "DefaultSubscriptionStatus": "OPT_OUT",
                }
            ],
        },
    )


def test_dead_letter_alarm_notifies_the_operations_topic(example_template: dict[str, Any]) -> None:
    (dlq_alarm,) = [
        a
        for a in resources_of(example_template, "AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("Namespace") == "AWS/SQS"
    ]
    (topic,) = [k for k in resources_of(example_template, "AWS::SNS::Topic") if k.startswith("ReputationOperations")]
    assert dlq_alarm["Properties"]["AlarmActions"] == [{"Ref": topic}]


def test_secondary_region_lists_its_own_mail_from_records_and_leaves_dmarc_to_the_primary(
    mixed_templates: dict[str, dict[str, Any]],
) -> None:
    template = mixed_templates["SesStack-us-east-1"]
    values = [v["Value"] for k, v in template["Outputs"].items() if k.startswith("exampleorg")]
    assert "bounce-us-east-1.example.org MX 10 feedback-smtp.us-east-1.amazonses.com" in values
    assert not any("_dmarc" in str(v) for v in values)
    Template.from_json(template).has_resource(
        "AWS::SES::EmailIdentity",
        {
            "Properties": {
                "EmailIdentity": "example.org",
                "MailFromAttributes": Match.any_value(),
                "DkimSigningAttributes": Match.any_value(),
                "ConfigurationSetAttributes": Match.any_value(),
            },
            "Metadata": {"SesStackDmarcManagedElsewhere": True},
        },
    )


def test_constructs_do_not_depend_on_the_apps_feature_flags(tmp_path: Path) -> None:
    # A library user's app may have none of cdk.json's flags: the stack must still synthesize, pass cdk-nag and keep
    # its security conditions.
    from aws_cdk import App  # noqa: PLC0415

    from tests.conftest import example_config_data  # noqa: PLC0415

    app = App(outdir=str(tmp_path))
    (stack,) = build_stacks(app, parse_config(example_config_data()))
    (checklist,) = synth_checklists(app, [stack])
    assert checklist.ready
    template = app.synth().get_stack_by_name(stack.stack_name).template
    sns_key_statements = [
        statement
        for key in resources_of(template, "AWS::KMS::Key").values()
        for statement in key["Properties"]["KeyPolicy"]["Statement"]
        if statement["Principal"] == {"Service": "sns.amazonaws.com"}
    ]
    assert sns_key_statements and all("aws:SourceArn" in str(s["Condition"]) for s in sns_key_statements)
    assert len(resources_of(template, "AWS::Lambda::Permission")) == 4


def test_every_log_retention_period_maps_to_its_cloudwatch_value(tmp_path: Path) -> None:
    from aws_cdk import Stack  # noqa: PLC0415
    from aws_cdk import aws_logs as logs  # noqa: PLC0415

    from ses_stack.setup.settings import RETENTION as _RETENTION  # noqa: PLC0415

    stack = Stack(new_app(tmp_path), "Retention")
    for days, retention in _RETENTION.items():
        logs.LogGroup(stack, f"Group{days}", retention=retention)
    groups = Template.from_stack(stack).find_resources("AWS::Logs::LogGroup")
    assert sorted(g["Properties"]["RetentionInDays"] for g in groups.values()) == sorted(_RETENTION)
