"""SesAccountSuppression and the single settings provider per stack."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_ses as ses
from aws_cdk.assertions import Template

from ses_stack import SesAccountSuppression, SesReputationGuard
from ses_stack.settings.provider import SesSettingsProvider
from tests.conftest import new_app, resources_of


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    app = new_app(tmp_path_factory.mktemp("account"))
    stack = Stack(app, "Account")
    SesAccountSuppression(stack, "Suppression")
    SesReputationGuard(stack, "Guard", configuration_set=ses.ConfigurationSet(stack, "Set"))
    result: dict[str, Any] = Template.from_stack(stack).to_json()
    return result


def test_custom_resource_sets_both_reasons_through_the_provider(template: dict[str, Any]) -> None:
    (resource,) = resources_of(template, "Custom::SesAccountSuppression").values()
    provider_function = next(
        k for k in resources_of(template, "AWS::Lambda::Function") if k.startswith("SesSettingsProvider")
    )
    prior = "/ses-stack/Account/AccountSuppressionDB35D527/prior-reasons"
    assert resource["Properties"] == {
        "ServiceToken": {"Fn::GetAtt": [provider_function, "Arn"]},
        "ServiceTimeout": "600",  # ten minutes, not CloudFormation's default hour
        "SuppressedReasons": ["BOUNCE", "COMPLAINT"],
        "PriorParameterName": prior,  # where a Create records the prior reasons, for a retried Create
    }
    policy_id = next(k for k in resources_of(template, "AWS::IAM::Policy") if k.startswith("SuppressionResourcePolicy"))
    assert policy_id in resource["DependsOn"]  # permission in place before the provider acts
    assert template["Resources"][policy_id]["Properties"]["PolicyDocument"]["Statement"] == [
        {"Action": ["ses:GetAccount", "ses:PutAccountSuppressionAttributes"], "Effect": "Allow", "Resource": "*"},
        {
            "Action": ["ssm:DeleteParameter", "ssm:GetParameter", "ssm:PutParameter"],
            "Effect": "Allow",
            "Resource": {
                "Fn::Join": [
                    "",
                    ["arn:", {"Ref": "AWS::Partition"}, ":ssm:", {"Ref": "AWS::Region"}, ":",
                     {"Ref": "AWS::AccountId"}, f":parameter{prior}"],
                ]
            },
        },
    ]  # fmt: skip


def test_account_auto_validation_is_a_property_only_when_set(tmp_path: Any) -> None:
    app = new_app(tmp_path)
    stack = Stack(app, "Validated")
    built = SesAccountSuppression(stack, "Suppression", validation_threshold=ses.AutoValidationThreshold.HIGH)
    (resource,) = resources_of(Template.from_stack(stack).to_json(), "Custom::SesAccountSuppression").values()
    assert resource["Properties"]["ValidationThreshold"] == "HIGH"
    assert built.validation_threshold is ses.AutoValidationThreshold.HIGH


def test_without_a_threshold_no_validation_property_is_emitted(template: dict[str, Any]) -> None:
    (resource,) = resources_of(template, "Custom::SesAccountSuppression").values()
    assert "ValidationThreshold" not in resource["Properties"]


def test_an_invalid_threshold_fails_before_any_resource() -> None:
    stack = Stack()
    with pytest.raises(ValueError, match=r"validation_threshold: must be an AutoValidationThreshold .*got 'HIGH'"):
        SesAccountSuppression(stack, "Bad", validation_threshold="HIGH")  # type: ignore[arg-type]
    assert stack.node.try_find_child("Bad") is None


def test_one_provider_function_serves_every_custom_resource(template: dict[str, Any]) -> None:
    providers = [
        k for k, v in resources_of(template, "AWS::Lambda::Function").items() if k.startswith("SesSettingsProvider")
    ]
    assert len(providers) == 1
    tokens = {
        str(v["Properties"]["ServiceToken"])
        for k, v in template["Resources"].items()
        if v["Type"].startswith("Custom::")
    }
    assert tokens == {str({"Fn::GetAtt": [providers[0], "Arn"]})}
    (function,) = [template["Resources"][p] for p in providers]
    assert function["Properties"]["Handler"] == "handler.handler"
    assert function["Properties"]["Runtime"] == "python3.14"


def test_provider_role_has_no_managed_policy(template: dict[str, Any]) -> None:
    role = next(v for k, v in resources_of(template, "AWS::IAM::Role").items() if k.startswith("SesSettingsProvider"))
    assert "ManagedPolicyArns" not in role["Properties"]


def test_provider_of_returns_the_same_construct() -> None:
    stack = Stack()
    assert SesSettingsProvider.of(stack) is SesSettingsProvider.of(stack)


@pytest.mark.parametrize(
    ("reasons", "expected"),
    [(ses.SuppressionReasons.BOUNCES_ONLY, ["BOUNCE"]), (ses.SuppressionReasons.COMPLAINTS_ONLY, ["COMPLAINT"])],
)
def test_reason_choices(reasons: ses.SuppressionReasons, expected: list[str]) -> None:
    stack = Stack()
    construct = SesAccountSuppression(stack, "Suppression", reasons=reasons)
    assert construct.suppressed_reasons == expected
    Template.from_stack(stack).has_resource_properties("Custom::SesAccountSuppression", {"SuppressedReasons": expected})


def test_invalid_reasons_fail_before_any_resource() -> None:
    stack = Stack()
    with pytest.raises(
        ValueError, match=r"SesAccountSuppression 'Bad' reasons: must be a SuppressionReasons; got 'BOUNCE'"
    ):
        SesAccountSuppression(stack, "Bad", reasons="BOUNCE")  # type: ignore[arg-type]
    assert stack.node.try_find_child("Bad") is None
