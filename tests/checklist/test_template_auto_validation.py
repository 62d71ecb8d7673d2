"""Auto Validation in the synth-time checklist: reported under ``suppression``, a warning for marketing mail
without it (the example sets it on the configuration set)."""

from __future__ import annotations

import copy
from typing import Any

from ses_stack.checklist import ItemId, Status, evaluate_template
from tests.conftest import resources_of

Template = dict[str, Any]


def suppression(template: Template, *, marketing: bool) -> Any:
    return evaluate_template(template, region="eu-west-1", marketing=marketing).result(ItemId.SUPPRESSION)


def without_set_validation(template: Template) -> Template:
    copied = copy.deepcopy(template)
    for resource in resources_of(copied, "AWS::SES::ConfigurationSet").values():
        del resource["Properties"]["SuppressionOptions"]["ValidationOptions"]
    return copied


def test_the_sets_threshold_is_reported_and_passes(example_template: Template) -> None:
    result = suppression(example_template, marketing=True)
    assert result.status is Status.PASS
    assert result.evidence.endswith("Auto Validation: configuration set ConfigurationSet1910E153 HIGH")


def test_marketing_mail_without_auto_validation_warns(example_template: Template) -> None:
    result = suppression(without_set_validation(example_template), marketing=True)
    assert result.status is Status.WARN
    assert result.evidence.endswith("Auto Validation: off (recommended for marketing mail)")
    assert "configurationSet.autoValidation" in result.fix


def test_without_marketing_mail_its_absence_passes(example_template: Template) -> None:
    result = suppression(without_set_validation(example_template), marketing=False)
    assert (result.status, result.evidence.endswith("Auto Validation: off")) == (Status.PASS, True)


def test_a_disabled_threshold_counts_as_off(example_template: Template) -> None:
    copied = copy.deepcopy(example_template)
    for resource in resources_of(copied, "AWS::SES::ConfigurationSet").values():
        condition = resource["Properties"]["SuppressionOptions"]["ValidationOptions"]["ConditionThreshold"]
        condition["ConditionThresholdEnabled"] = "DISABLED"
    assert suppression(copied, marketing=True).status is Status.WARN


def test_the_account_level_threshold_alone_passes(example_template: Template) -> None:
    copied = without_set_validation(example_template)
    for resource in resources_of(copied, "Custom::SesAccountSuppression").values():
        resource["Properties"]["ValidationThreshold"] = "MEDIUM"
    result = suppression(copied, marketing=True)
    assert result.status is Status.PASS
    assert result.evidence.endswith("Auto Validation: account MEDIUM")
