"""Account-level Auto Validation through Custom::SesAccountSuppression: set, passed on, recorded and restored
(exact SES and SSM calls, botocore Stubber)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.stub import Stubber

from tests.settings.runtime.answers import answer_to as run
from tests.settings.runtime.test_handler import ACCOUNT, BOTH, PRIOR, request

HIGH = {
    "ConditionThreshold": {
        "ConditionThresholdEnabled": "ENABLED",
        "OverallConfidenceThreshold": {"ConfidenceVerdictThreshold": "HIGH"},
    }
}
MEDIUM = {
    "ConditionThreshold": {
        "ConditionThresholdEnabled": "ENABLED",
        "OverallConfidenceThreshold": {"ConfidenceVerdictThreshold": "MEDIUM"},
    }
}
DISABLED = {"ConditionThreshold": {"ConditionThresholdEnabled": "DISABLED"}}
WITH_HIGH = {**BOTH, "ValidationThreshold": "HIGH"}
REASONS = ["BOUNCE", "COMPLAINT"]


def account(validation: dict[str, Any] | None) -> dict[str, Any]:
    attributes: dict[str, Any] = {"SuppressedReasons": ["BOUNCE"]}
    if validation is not None:
        attributes["ValidationAttributes"] = validation
    return {"SuppressionAttributes": attributes}


def stored(ssm: Stubber, value: dict[str, Any] | None) -> None:
    if value is None:
        ssm.add_client_error(
            "get_parameter", "ParameterNotFound", http_status_code=400, expected_params={"Name": PRIOR}
        )
        return
    ssm.add_response("get_parameter", {"Parameter": {"Name": PRIOR, "Value": json.dumps(value)}}, {"Name": PRIOR})


def writes(ssm: Stubber, value: dict[str, Any]) -> None:
    expected = {"Name": PRIOR, "Value": json.dumps(value), "Type": "String", "Overwrite": True}
    ssm.add_response("put_parameter", {"Version": 1}, expected)


def puts(ses: Stubber, validation: dict[str, Any] | None, reasons: list[str] = REASONS) -> None:
    expected: dict[str, Any] = {"SuppressedReasons": reasons}
    if validation is not None:
        expected["ValidationAttributes"] = validation
    ses.add_response("put_account_suppression_attributes", {}, expected)


def test_create_records_the_prior_auto_validation_then_sets_the_threshold(clients: Any) -> None:
    boto, ses, ssm = clients
    ses.add_response("get_account", account(None), {})
    stored(ssm, None)
    writes(ssm, {"requestId": "request-1", "prior": ["BOUNCE"], "priorValidation": None})
    puts(ses, HIGH)
    answer = run(request("Create", ACCOUNT, WITH_HIGH), boto)
    assert answer[:3] == (
        "SUCCESS",
        "ses-account-suppression:prior=BOUNCE",
        {"SuppressedReasons": "BOUNCE,COMPLAINT", "ValidationThreshold": "HIGH"},
    )


def test_without_a_threshold_the_accounts_own_auto_validation_is_passed_on(clients: Any) -> None:
    boto, ses, ssm = clients  # the twin: a setting made elsewhere survives the stack's write
    ses.add_response("get_account", account(MEDIUM), {})
    stored(ssm, None)
    writes(ssm, {"requestId": "request-1", "prior": ["BOUNCE"]})  # nothing recorded: the stack does not own it
    puts(ses, MEDIUM)
    assert run(request("Create", ACCOUNT, BOTH), boto)[:2] == ("SUCCESS", "ses-account-suppression:prior=BOUNCE")


def test_an_update_that_first_sets_the_threshold_records_what_was_in_force(clients: Any) -> None:
    boto, ses, ssm = clients
    ses.add_response("get_account", account(MEDIUM), {})
    stored(ssm, {"requestId": "r", "prior": ["BOUNCE"]})
    writes(ssm, {"requestId": "r", "prior": ["BOUNCE"], "priorValidation": MEDIUM})
    puts(ses, HIGH)
    event = request("Update", ACCOUNT, WITH_HIGH, PhysicalResourceId="ses-account-suppression:prior=BOUNCE")
    assert run(event, boto)[:2] == ("SUCCESS", "ses-account-suppression:prior=BOUNCE")


def test_a_later_update_keeps_the_first_recorded_prior(clients: Any) -> None:
    boto, ses, ssm = clients  # its own HIGH in force now: recording it would lose the user's MEDIUM
    ses.add_response("get_account", account(HIGH), {})
    stored(ssm, {"requestId": "r", "prior": ["BOUNCE"], "priorValidation": MEDIUM})
    puts(ses, HIGH)
    event = request("Update", ACCOUNT, WITH_HIGH, PhysicalResourceId="ses-account-suppression:prior=BOUNCE")
    assert run(event, boto)[0] == "SUCCESS"


def test_an_update_that_stops_setting_it_puts_the_prior_back_then_forgets_it(clients: Any) -> None:
    boto, ses, ssm = clients
    ses.add_response("get_account", account(HIGH), {})
    stored(ssm, {"requestId": "r", "prior": ["BOUNCE"], "priorValidation": MEDIUM})
    puts(ses, MEDIUM)
    writes(ssm, {"requestId": "r", "prior": ["BOUNCE"]})
    event = request("Update", ACCOUNT, BOTH, PhysicalResourceId="ses-account-suppression:prior=BOUNCE")
    assert run(event, boto)[0] == "SUCCESS"


@pytest.mark.parametrize(("prior", "restored"), [(None, DISABLED), (MEDIUM, MEDIUM)], ids=["had-none", "had-medium"])
def test_delete_restores_the_recorded_auto_validation(
    clients: Any, prior: dict[str, Any] | None, restored: dict[str, Any]
) -> None:
    boto, ses, ssm = clients
    stored(ssm, {"requestId": "r", "prior": ["BOUNCE"], "priorValidation": prior})
    puts(ses, restored, ["BOUNCE"])
    ssm.add_response("delete_parameter", {}, {"Name": PRIOR})
    event = request("Delete", ACCOUNT, WITH_HIGH, PhysicalResourceId="ses-account-suppression:prior=BOUNCE")
    assert run(event, boto)[0] == "SUCCESS"


@pytest.mark.parametrize("threshold", ["LOW", "high", 3, ""])
def test_an_invalid_threshold_fails_without_any_call(clients: Any, threshold: Any) -> None:
    boto, _, _ = clients  # nothing queued: any call would fail the test
    answer = run(request("Create", ACCOUNT, {**BOTH, "ValidationThreshold": threshold}), boto)
    assert answer[0] == "FAILED"
    assert "ValidationThreshold must be one of MEDIUM, HIGH, MANAGED" in answer[3]


def test_an_update_setting_it_without_a_prior_parameter_fails_before_changing_anything(clients: Any) -> None:
    boto, _, _ = clients
    event = request(
        "Update", ACCOUNT, {"SuppressedReasons": REASONS, "ValidationThreshold": "HIGH"}, PhysicalResourceId="p"
    )
    answer = run(event, boto)
    assert answer[0] == "FAILED"
    assert "PriorParameterName is required" in answer[3]
