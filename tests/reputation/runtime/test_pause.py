"""The auto-pause alarm action: exact SES and SSM calls (botocore Stubber)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ses_stack.reputation.runtime import pause

# The payload CloudWatch sends to a Lambda alarm action.
ALARM_EVENT: dict[str, Any] = {
    "source": "aws.cloudwatch",
    "alarmArn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:SesStack-ReputationAccountBounceCritical",
    "accountId": "123456789012",
    "time": "2026-11-26T10:00:00.000+0000",
    "region": "eu-west-1",
    "alarmData": {
        "alarmName": "SesStack-ReputationAccountBounceCritical",
        "state": {
            "value": "ALARM",
            "reason": "Threshold Crossed: 1 datapoint [0.042 (26/11/26 09:45:00)] was >= the threshold (0.04).",
            "timestamp": "2026-11-26T10:00:00.000+0000",
        },
        "previousState": {"value": "OK", "reason": "", "timestamp": "2026-11-25T10:00:00.000+0000"},
        "configuration": {"description": "SES bounce rate of the account reached 4%", "metrics": []},
    },
}


@pytest.fixture
def stubs() -> Iterator[tuple[Any, Stubber, Any, Stubber]]:
    options = {"region_name": "eu-west-1", "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    ses, ssm = boto3.client("sesv2", **options), boto3.client("ssm", **options)
    with Stubber(ses) as ses_stub, Stubber(ssm) as ssm_stub:
        yield ses, ses_stub, ssm, ssm_stub
        ses_stub.assert_no_pending_responses()
        ssm_stub.assert_no_pending_responses()


def test_alarm_pauses_the_set_then_records_why(stubs: Any) -> None:
    ses, ses_stub, ssm, ssm_stub = stubs
    ses_stub.add_response(
        "put_configuration_set_sending_options", {}, {"ConfigurationSetName": "set-1", "SendingEnabled": False}
    )
    record = {
        "pausedAt": "2026-11-26T10:00:00.000+0000",
        "alarm": "SesStack-ReputationAccountBounceCritical",
        "reason": ALARM_EVENT["alarmData"]["state"]["reason"],
    }
    ssm_stub.add_response(
        "put_parameter",
        {"Version": 1},
        {"Name": "/ses-stack/S/R/paused", "Value": json.dumps(record), "Type": "String", "Overwrite": True},
    )
    assert pause.pause(ALARM_EVENT, ses, ssm, "set-1", "/ses-stack/S/R/paused") == {
        "paused": True,
        "configurationSet": "set-1",
    }


@pytest.mark.parametrize("state", ["OK", "INSUFFICIENT_DATA"])
def test_other_states_never_resume_or_pause(stubs: Any, state: str) -> None:
    ses, _, ssm, _ = stubs  # nothing queued: any call fails the test
    event = json.loads(json.dumps(ALARM_EVENT))
    event["alarmData"]["state"]["value"] = state
    assert pause.pause(event, ses, ssm, "set-1", "/m") == {"paused": False}


def test_a_failed_pause_raises_and_records_nothing(stubs: Any) -> None:
    ses, ses_stub, ssm, _ = stubs
    ses_stub.add_client_error("put_configuration_set_sending_options", "NotFoundException", http_status_code=404)
    with pytest.raises(ses.exceptions.NotFoundException):
        pause.pause(ALARM_EVENT, ses, ssm, "set-1", "/m")


@pytest.mark.parametrize(
    "event",
    [
        None,
        "ALARM",
        [],
        {},
        {"alarmData": None},
        {"alarmData": []},
        {"alarmData": {"state": "ALARM"}},
        {"alarmData": {"state": {"value": ["ALARM"]}}},
        {"alarmData": {"alarmName": {"x": 1}, "state": {}}},
    ],
    ids=["none", "text", "list", "empty", "no-data", "data-list", "state-text", "value-list", "no-value"],
)
def test_an_unreadable_event_never_raises_and_pauses_nothing(stubs: Any, event: Any, caplog: Any) -> None:
    ses, _, ssm, _ = stubs  # nothing queued: any SES or SSM call would fail the test
    caplog.set_level("INFO", logger="ses_pause")
    assert pause.pause(event, ses, ssm, "set-1", "/m") == {"paused": False, "error": "unreadable alarm event"}
    assert any("unreadable alarm event" in r.getMessage() for r in caplog.records)


def test_odd_field_types_in_an_alarm_event_are_recorded_as_text(stubs: Any) -> None:
    ses, ses_stub, ssm, ssm_stub = stubs
    event = {"alarmData": {"alarmName": 7, "state": {"value": "ALARM", "reason": None, "timestamp": 12}}}
    ses_stub.add_response(
        "put_configuration_set_sending_options", {}, {"ConfigurationSetName": "set-1", "SendingEnabled": False}
    )
    ssm_stub.add_response(
        "put_parameter",
        {"Version": 1},
        {"Name": "/m", "Value": json.dumps({"pausedAt": "12", "alarm": "7", "reason": ""}), "Type": "String",
         "Overwrite": True},
    )  # fmt: skip
    assert pause.pause(event, ses, ssm, "set-1", "/m") == {"paused": True, "configurationSet": "set-1"}
