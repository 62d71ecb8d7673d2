"""SesReputationGuard: alarm levels and dimensions, operations topic, auto-pause wiring, the pause guard."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import Environment, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ses as ses
from aws_cdk.assertions import Template

from ses_stack import RateThresholds, SesConfigurationSet, SesReputationGuard
from tests.conftest import new_app, resources_of


class Built:
    def __init__(self, outdir: Any) -> None:
        app = new_app(outdir)
        self.stack = Stack(app, "Guarded", env=Environment(region="eu-west-1"))
        self.config_set = SesConfigurationSet(self.stack, "Set")
        self.guard = SesReputationGuard(
            self.stack,
            "Guard",
            configuration_set=self.config_set.configuration_set,
            configuration_set_fingerprint=self.config_set.fingerprint,
            alarm_emails=["ops@example.com", "oncall@example.com"],
        )
        extra_alarm = cloudwatch.Alarm(
            self.stack,
            "Extra",
            metric=cloudwatch.Metric(namespace="X", metric_name="Y"),
            threshold=1,
            evaluation_periods=1,
        )
        self.guard.notify(extra_alarm)
        self.quiet = Stack(app, "Quiet", env=Environment(region="us-east-1"))
        SesReputationGuard(
            self.quiet,
            "Guard",
            configuration_set=ses.ConfigurationSet(self.quiet, "Set", configuration_set_name="fixed-name"),
            bounce_rate=RateThresholds(warning=0.01, critical=0.03),
            auto_pause=False,
            configuration_set_alarms=False,
        )
        self.template = Template.from_stack(self.stack).to_json()
        self.quiet_template = Template.from_stack(self.quiet).to_json()

    def id_of(self, construct: Any) -> str:
        return str(self.stack.get_logical_id(construct.node.default_child))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("guard"))


def alarms(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v["Properties"] for k, v in resources_of(template, "AWS::CloudWatch::Alarm").items()}


@pytest.mark.parametrize(
    ("key", "metric", "threshold", "per_set"),
    [
        ("account-bounce-warning", "Reputation.BounceRate", 0.02, False),
        ("account-bounce-critical", "Reputation.BounceRate", 0.04, False),
        ("account-complaint-warning", "Reputation.ComplaintRate", 0.0005, False),
        ("account-complaint-critical", "Reputation.ComplaintRate", 0.0008, False),
        ("configuration-set-bounce-warning", "Reputation.BounceRate", 0.02, True),
        ("configuration-set-bounce-critical", "Reputation.BounceRate", 0.04, True),
        ("configuration-set-complaint-warning", "Reputation.ComplaintRate", 0.0005, True),
        ("configuration-set-complaint-critical", "Reputation.ComplaintRate", 0.0008, True),
    ],
)
def test_alarm_levels_and_dimensions(built: Built, key: str, metric: str, threshold: float, per_set: bool) -> None:
    alarm = built.template["Resources"][built.id_of(built.guard.alarms[key])]["Properties"]
    topic = {"Ref": built.id_of(built.guard.operations_topic)}
    expected_actions = [topic]
    if key.endswith("critical"):
        expected_actions.append({"Fn::GetAtt": [built.id_of(built.guard.pause_function), "Arn"]})
    assert {k: alarm[k] for k in alarm if k != "AlarmDescription"} == {
        "Namespace": "AWS/SES",
        "MetricName": metric,
        **(
            {
                "Dimensions": [
                    {"Name": "ses:configuration-set", "Value": {"Ref": built.id_of(built.config_set.configuration_set)}}
                ]
            }
            if per_set
            else {}
        ),
        "Statistic": "Maximum",
        "Period": 900,
        "Threshold": threshold,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "EvaluationPeriods": 1,
        "TreatMissingData": "ignore",
        "AlarmActions": expected_actions,
        "OKActions": [topic],
    }


def test_thresholds_configurable_and_auto_pause_and_set_alarms_optional(built: Built) -> None:
    quiet = alarms(built.quiet_template)
    assert sorted(a["Threshold"] for a in quiet.values()) == [0.0005, 0.0008, 0.01, 0.03]
    assert all("Dimensions" not in a for a in quiet.values())
    assert all(len(a["AlarmActions"]) == 1 for a in quiet.values())  # the operations topic only
    assert not resources_of(built.quiet_template, "AWS::Lambda::Permission")
    # the pause guard still protects a set paused by hand or before auto-pause was turned off
    (guard,) = resources_of(built.quiet_template, "Custom::SesSendingPauseGuard").values()
    assert guard["Properties"]["ConfigurationSetName"]["Ref"].startswith("Set")


def test_operations_topic_is_encrypted_ssl_only_and_open_to_exactly_the_alarms_it_serves(built: Built) -> None:
    topic_id = built.id_of(built.guard.operations_topic)
    topic = built.template["Resources"][topic_id]["Properties"]
    assert topic["TopicName"].startswith("Guarded-Guard-") and topic["TopicName"].endswith("-operations")
    key_id = topic["KmsMasterKeyId"]["Fn::GetAtt"][0]
    key = built.template["Resources"][key_id]["Properties"]
    assert key["EnableKeyRotation"] is True
    (cloudwatch_statement,) = [
        s for s in key["KeyPolicy"]["Statement"] if s["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    ]
    # this account only, and this topic only (SNS passes the topic ARN as KMS encryption context)
    assert cloudwatch_statement["Condition"] == {
        "StringEquals": {
            "aws:SourceAccount": {"Ref": "AWS::AccountId"},
            "kms:EncryptionContext:aws:sns:topicArn": {
                "Fn::Join": ["", ["arn:aws:sns:eu-west-1:", {"Ref": "AWS::AccountId"}, f":{topic['TopicName']}"]]
            },
        }
    }
    (policy,) = resources_of(built.template, "AWS::SNS::TopicPolicy").values()
    statements = {s.get("Sid"): s for s in policy["Properties"]["PolicyDocument"]["Statement"]}
    assert statements["AllowPublishThroughSSLOnly"]["Effect"] == "Deny"
    allow = statements["AllowThisStacksAlarms"]
    assert allow["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert allow["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    allowed = sorted(arn["Fn::GetAtt"][0] for arn in allow["Condition"]["ArnEquals"]["aws:SourceArn"])
    notifying = sorted(
        logical_id
        for logical_id, alarm in alarms(built.template).items()
        if {"Ref": topic_id} in alarm.get("AlarmActions", [])
    )
    assert allowed == notifying  # every alarm that notifies the topic, and nothing else
    assert len(allowed) == 10  # 8 reputation alarms, pause-failed and the extra alarm given to notify()
    assert all(arn["Fn::GetAtt"][1] == "Arn" for arn in allow["Condition"]["ArnEquals"]["aws:SourceArn"])
    assert "alarm:*" not in json.dumps(policy)


def test_a_failed_pause_reaches_operators(built: Built) -> None:
    alarm = built.template["Resources"][built.id_of(built.guard.alarms["pause-failed"])]["Properties"]
    assert alarm["MetricName"] == "Errors" and alarm["Namespace"] == "AWS/Lambda"
    assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": built.id_of(built.guard.pause_function)}}]
    assert (alarm["Statistic"], alarm["Period"], alarm["Threshold"]) == ("Sum", 60, 0)
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["AlarmActions"] == [{"Ref": built.id_of(built.guard.operations_topic)}]
    assert "may NOT be paused" in alarm["AlarmDescription"]
    critical = built.template["Resources"][built.id_of(built.guard.alarms["account-bounce-critical"])]["Properties"]
    assert "the pause-failed alarm follows if it cannot" in critical["AlarmDescription"]
    # no pause function, no such alarm
    assert all(a["MetricName"] != "Errors" for a in alarms(built.quiet_template).values())


def test_alarm_emails_subscribe_to_the_topic(built: Built) -> None:
    endpoints = sorted(
        s["Properties"]["Endpoint"]
        for s in resources_of(built.template, "AWS::SNS::Subscription").values()
        if s["Properties"]["Protocol"] == "email"
    )
    assert endpoints == ["oncall@example.com", "ops@example.com"]


def test_pause_function_may_pause_only_this_set_and_write_only_its_marker(built: Built) -> None:
    function_id = built.id_of(built.guard.pause_function)
    function = built.template["Resources"][function_id]["Properties"]
    set_ref = {"Ref": built.id_of(built.config_set.configuration_set)}
    assert function["Handler"] == "pause.handler"
    assert function["Environment"]["Variables"] == {
        "CONFIGURATION_SET_NAME": set_ref,
        "MARKER_PARAMETER_NAME": built.guard.marker_parameter_name,
    }
    role_id = function["Role"]["Fn::GetAtt"][0]
    statements = [
        s
        for p in resources_of(built.template, "AWS::IAM::Policy").values()
        if p["Properties"]["Roles"] == [{"Ref": role_id}]
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]
    actions = sorted(str(s["Action"]) for s in statements)
    assert actions == [
        "['logs:CreateLogStream', 'logs:PutLogEvents']",
        "ses:PutConfigurationSetSendingOptions",
        "ssm:PutParameter",
    ]
    ses_statement = next(s for s in statements if s["Action"] == "ses:PutConfigurationSetSendingOptions")
    assert ":configuration-set/" in str(ses_statement["Resource"]) and "Ref" in str(ses_statement["Resource"])
    ssm_statement = next(s for s in statements if s["Action"] == "ssm:PutParameter")
    assert built.guard.marker_parameter_name.lstrip("/") in str(ssm_statement["Resource"])
    permissions = resources_of(built.template, "AWS::Lambda::Permission")
    assert len(permissions) == 4  # one per critical alarm: account and set, bounce and complaint
    for permission in permissions.values():
        props = permission["Properties"]
        assert props["Principal"] == "lambda.alarms.cloudwatch.amazonaws.com"
        assert props["SourceAccount"] == {"Ref": "AWS::AccountId"}
        assert "Critical" in props["SourceArn"]["Fn::GetAtt"][0]


def test_pause_guard_runs_after_every_change_of_the_set(built: Built) -> None:
    (guard,) = resources_of(built.template, "Custom::SesSendingPauseGuard").values()
    assert guard["Properties"]["ConfigurationSetName"] == {"Ref": built.id_of(built.config_set.configuration_set)}
    assert guard["Properties"]["MarkerParameterName"] == built.guard.marker_parameter_name
    assert guard["Properties"]["Fingerprint"] == built.config_set.fingerprint
    assert built.guard.marker_parameter_name.startswith("/ses-stack/Guarded/")


def test_fingerprint_follows_the_set_settings() -> None:
    stack = Stack()
    first = SesConfigurationSet(stack, "A").fingerprint
    assert SesConfigurationSet(stack, "B").fingerprint == first
    assert SesConfigurationSet(stack, "C", custom_tracking_redirect_domain="t.example.com").fingerprint != first


def test_notify_routes_other_alarms_to_the_operations_topic(built: Built) -> None:
    topic = {"Ref": built.id_of(built.guard.operations_topic)}
    extra = next(v for k, v in alarms(built.template).items() if k.startswith("Extra"))
    assert (extra["AlarmActions"], extra["OKActions"]) == ([topic], [topic])


def test_resume_commands_name_the_marker(built: Built) -> None:
    commands = built.guard.resume_commands("eu-west-1")
    assert commands[0] == f"aws ssm delete-parameter --region eu-west-1 --name {built.guard.marker_parameter_name}"
    assert commands[1].startswith("aws sesv2 put-configuration-set-sending-options --region eu-west-1")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"bounce_rate": RateThresholds(warning=0.04, critical=0.02)},
            "SesReputationGuard 'Bad' bounce_rate: needs 0 < warning < critical < 0.05 (the rate at which AWS reviews "
            "the account); got (0.04, 0.02)",
        ),
        (
            {"bounce_rate": RateThresholds(warning=0.02, critical=0.05)},
            "SesReputationGuard 'Bad' bounce_rate: needs 0 < warning < critical < 0.05 (the rate at which AWS reviews "
            "the account); got (0.02, 0.05)",
        ),
        (
            {"complaint_rate": RateThresholds(warning=0.0005, critical=0.002)},
            "SesReputationGuard 'Bad' complaint_rate: needs 0 < warning < critical < 0.001 (the rate at which AWS "
            "reviews the account); got (0.0005, 0.002)",
        ),
        (
            {"alarm_emails": ["not-an-address"]},
            "SesReputationGuard 'Bad' alarm_emails: each must be an e-mail address; got 'not-an-address'",
        ),
    ],
)
def test_invalid_props_fail_before_any_resource(kwargs: dict[str, Any], message: str) -> None:
    stack = Stack()
    config_set = ses.ConfigurationSet(stack, "Set")
    with pytest.raises(ValueError) as raised:
        SesReputationGuard(stack, "Bad", configuration_set=config_set, **kwargs)
    assert str(raised.value) == message
    assert stack.node.try_find_child("Bad") is None
