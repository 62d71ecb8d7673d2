"""Every log group of the stack is encrypted with the stack's own key (the feedback handler may log addresses in
clear when configured to), and only CloudWatch Logs of this account and Region may use that key."""

from __future__ import annotations

from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_logs as logs
from aws_cdk.assertions import Template

from tests.conftest import resources_of


def unencrypted(template: dict[str, Any]) -> list[str]:
    return [k for k, v in resources_of(template, "AWS::Logs::LogGroup").items() if "KmsKeyId" not in v["Properties"]]


def test_every_log_group_uses_the_stacks_logs_key(example_template: dict[str, Any]) -> None:
    groups = resources_of(example_template, "AWS::Logs::LogGroup")
    assert len(groups) == 4 and not unencrypted(example_template)
    (key_id,) = [k for k in resources_of(example_template, "AWS::KMS::Key") if k.startswith("SesLogsKey")]
    assert {json_key(v["Properties"]["KmsKeyId"]) for v in groups.values()} == {key_id}
    key = example_template["Resources"][key_id]
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == "Retain"
    (logs_statement,) = [s for s in key["Properties"]["KeyPolicy"]["Statement"]
                         if s.get("Sid") == "CloudWatchLogsOfThisStack"]  # fmt: skip
    assert logs_statement["Principal"] == {"Service": "logs.eu-west-1.amazonaws.com"}
    assert logs_statement["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"] == {
        "Fn::Join": ["", ["arn:aws:logs:eu-west-1:", {"Ref": "AWS::AccountId"}, ":log-group:*"]]
    }


def json_key(value: dict[str, Any]) -> str:
    target: str = value["Fn::GetAtt"][0]
    return target


def test_the_check_sees_a_log_group_without_the_key() -> None:
    """The negative twin: a log group created without the key is reported."""
    stack = Stack()
    logs.LogGroup(stack, "Plain")
    assert unencrypted(Template.from_stack(stack).to_json()) != []
