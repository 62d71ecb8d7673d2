"""The custom-resource provider: exact SES/SSM calls (botocore Stubber) and the answer sent to CloudFormation."""

from __future__ import annotations

import json
import threading
import urllib.error
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from botocore.stub import Stubber

from ses_stack.settings.runtime import handler as provider
from tests.settings.runtime.answers import answer_to as run


def request(request_type: str, resource_type: str, properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "RequestType": request_type,
        "ResourceType": resource_type,
        "ResourceProperties": {"ServiceToken": "arn:aws:lambda:eu-west-1:123456789012:function:p", **properties},
        "ResponseURL": "https://cloudformation-custom-resource-response.example/response",
        "StackId": "arn:aws:cloudformation:eu-west-1:123456789012:stack/SesStack-eu-west-1/guid",
        "RequestId": "request-1",
        "LogicalResourceId": "AccountSuppression",
        **extra,
    }


ACCOUNT = "Custom::SesAccountSuppression"
GUARD = "Custom::SesSendingPauseGuard"
PRIOR = "/ses-stack/S/A/prior-reasons"
BOTH = {"SuppressedReasons": ["BOUNCE", "COMPLAINT"], "PriorParameterName": PRIOR}


def no_recorded_prior(ssm: Stubber) -> None:
    ssm.add_client_error("get_parameter", "ParameterNotFound", http_status_code=400, expected_params={"Name": PRIOR})


def records_prior(ssm: Stubber, prior: list[str], request_id: str = "request-1") -> None:
    value = json.dumps({"requestId": request_id, "prior": prior})
    ssm.add_response(
        "put_parameter", {"Version": 1}, {"Name": PRIOR, "Value": value, "Type": "String", "Overwrite": True}
    )


def test_create_records_the_prior_reasons_then_sets_the_new_ones(clients: Any) -> None:
    boto, ses, ssm = clients
    no_recorded_prior(ssm)
    ses.add_response("get_account", {"SuppressionAttributes": {"SuppressedReasons": ["BOUNCE"]}}, {})
    records_prior(ssm, ["BOUNCE"])
    ses.add_response("put_account_suppression_attributes", {}, {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]})
    assert run(request("Create", ACCOUNT, BOTH), boto) == (
        "SUCCESS",
        "ses-account-suppression:prior=BOUNCE",
        {"SuppressedReasons": "BOUNCE,COMPLAINT"},
        "",
    )


def test_create_on_an_account_without_suppression_records_none(clients: Any) -> None:
    boto, ses, ssm = clients
    no_recorded_prior(ssm)
    ses.add_response("get_account", {"SendingEnabled": True}, {})
    records_prior(ssm, [])
    ses.add_response("put_account_suppression_attributes", {}, {"SuppressedReasons": ["COMPLAINT"]})
    event = request("Create", ACCOUNT, {"SuppressedReasons": ["COMPLAINT"], "PriorParameterName": PRIOR})
    status, physical_id, _, _ = run(event, boto)
    assert (status, physical_id) == ("SUCCESS", "ses-account-suppression:prior=none")


def test_update_keeps_the_recorded_prior_value(clients: Any) -> None:
    boto, ses, _ = clients
    ses.add_response("get_account", {}, {})  # read only to pass the account's Auto Validation on (it has none)
    ses.add_response("put_account_suppression_attributes", {}, {"SuppressedReasons": ["BOUNCE"]})
    event = request(
        "Update", ACCOUNT, {"SuppressedReasons": ["BOUNCE"]}, PhysicalResourceId="ses-account-suppression:prior=none"
    )
    assert run(event, boto)[:2] == ("SUCCESS", "ses-account-suppression:prior=none")


@pytest.mark.parametrize(
    ("physical_id", "restored"),
    [
        ("ses-account-suppression:prior=BOUNCE", ["BOUNCE"]),
        ("ses-account-suppression:prior=BOUNCE+COMPLAINT", ["BOUNCE", "COMPLAINT"]),
        ("ses-account-suppression:prior=none", []),
    ],
)
def test_delete_restores_the_prior_value(clients: Any, physical_id: str, restored: list[str]) -> None:
    boto, ses, ssm = clients
    ssm.add_response(
        "get_parameter",
        {"Parameter": {"Name": PRIOR, "Value": json.dumps({"requestId": "r", "prior": restored})}},
        {"Name": PRIOR},
    )
    ses.add_response("get_account", {}, {})  # the stack never set Auto Validation: the account's own is passed on
    ses.add_response("put_account_suppression_attributes", {}, {"SuppressedReasons": restored})
    ssm.add_response("delete_parameter", {}, {"Name": PRIOR})
    answer = run(request("Delete", ACCOUNT, BOTH, PhysicalResourceId=physical_id), boto)
    assert answer[:2] == ("SUCCESS", physical_id)


def test_delete_after_a_failed_create_changes_nothing(clients: Any) -> None:
    boto, _, ssm = clients  # nothing else queued: any other call would fail the test
    ssm.add_client_error("delete_parameter", "ParameterNotFound", http_status_code=400, expected_params={"Name": PRIOR})
    event = request("Delete", ACCOUNT, BOTH, PhysicalResourceId="AccountSuppression")
    assert run(event, boto)[:2] == ("SUCCESS", "AccountSuppression")


@pytest.mark.parametrize("reasons", [["BOUNCE", "SPAM"], "BOUNCE", None])
def test_invalid_reasons_fail_without_any_call(clients: Any, reasons: Any) -> None:
    boto, _, _ = clients
    event = request("Create", ACCOUNT, {"SuppressedReasons": reasons, "PriorParameterName": PRIOR})
    status, physical_id, _, reason = run(event, boto)
    assert (status, physical_id) == ("FAILED", "AccountSuppression")
    assert reason.startswith("InvalidRequestError: SuppressedReasons must be a list of BOUNCE, COMPLAINT")


def test_an_ses_error_reaches_cloudformation_as_failed(clients: Any) -> None:
    boto, ses, ssm = clients
    no_recorded_prior(ssm)
    ses.add_response("get_account", {}, {})
    records_prior(ssm, [])
    ses.add_client_error("put_account_suppression_attributes", "BadRequestException", "not allowed", 400)
    status, _, _, reason = run(request("Create", ACCOUNT, BOTH), boto)
    assert status == "FAILED"
    assert "BadRequestException" in reason


def test_unknown_resource_type_fails(clients: Any) -> None:
    boto, _, _ = clients
    status, _, _, reason = run(request("Create", "Custom::Other", {}), boto)
    assert (status, reason) == ("FAILED", "InvalidRequestError: unsupported resource type 'Custom::Other'")


GUARD_PROPS = {"ConfigurationSetName": "set-1", "MarkerParameterName": "/ses-stack/S/R/paused", "Fingerprint": "f"}
GUARD_ID = "ses-sending-pause-guard:/ses-stack/S/R/paused"  # the marker, never the set's name


@pytest.mark.parametrize("request_type", ["Create", "Update"])
def test_guard_pauses_the_set_again_when_a_pause_is_recorded(clients: Any, request_type: str) -> None:
    boto, ses, ssm = clients
    ssm.add_response(
        "get_parameter",
        {"Parameter": {"Name": "/ses-stack/S/R/paused", "Value": '{"alarm": "bounce critical"}'}},
        {"Name": "/ses-stack/S/R/paused"},
    )
    ses.add_response(
        "put_configuration_set_sending_options", {}, {"ConfigurationSetName": "set-1", "SendingEnabled": False}
    )
    extra = {"PhysicalResourceId": GUARD_ID} if request_type == "Update" else {}
    assert run(request(request_type, GUARD, GUARD_PROPS, **extra), boto) == (
        "SUCCESS",
        GUARD_ID,
        {"Paused": "true"},
        "",
    )


def test_guard_leaves_a_set_alone_without_a_recorded_pause(clients: Any) -> None:
    boto, _, ssm = clients
    ssm.add_client_error(
        "get_parameter", "ParameterNotFound", http_status_code=400, expected_params={"Name": "/ses-stack/S/R/paused"}
    )
    assert run(request("Update", GUARD, GUARD_PROPS, PhysicalResourceId="x"), boto)[2] == {"Paused": "false"}


def test_guard_delete_removes_the_marker_and_tolerates_its_absence(clients: Any) -> None:
    boto, _, ssm = clients
    ssm.add_response("delete_parameter", {}, {"Name": "/ses-stack/S/R/paused"})
    ssm.add_client_error("delete_parameter", "ParameterNotFound", http_status_code=400)
    event = request("Delete", GUARD, GUARD_PROPS, PhysicalResourceId=GUARD_ID)
    assert run(event, boto)[0] == "SUCCESS"
    assert run(event, boto)[0] == "SUCCESS"


def test_guard_fails_on_other_ssm_errors(clients: Any) -> None:
    boto, _, ssm = clients
    ssm.add_client_error("get_parameter", "AccessDeniedException", http_status_code=400)
    assert run(request("Create", GUARD, GUARD_PROPS), boto)[0] == "FAILED"


def test_guard_needs_its_properties(clients: Any) -> None:
    boto, _, _ = clients
    assert run(request("Create", GUARD, {"ConfigurationSetName": "set-1"}), boto)[0] == "FAILED"


class Receiver:
    """A stand-in for the pre-signed S3 URL: records each PUT; ``fail_first`` answers the first with a 503."""

    def __init__(self, fail_first: bool = False) -> None:
        self.received: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self) -> None:
                length = int(self.headers["Content-Length"])
                outer.received.append(
                    {
                        "method": "PUT",
                        "path": self.path,
                        "content_type": self.headers.get("Content-Type"),
                        "body": json.loads(self.rfile.read(length)),
                    }
                )
                self.send_response(503 if fail_first and len(outer.received) == 1 else 200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/presigned?sig=abc"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def test_response_is_put_to_the_presigned_url_as_cloudformation_expects(receiver: Receiver) -> None:
    event = request("Create", ACCOUNT, BOTH)
    event["ResponseURL"] = receiver.url
    provider.send_response(event, "SUCCESS", "ses-account-suppression:prior=none", {"SuppressedReasons": "BOUNCE"}, "")
    assert receiver.received == [
        {
            "method": "PUT",
            "path": "/presigned?sig=abc",
            "content_type": "",
            "body": {
                "Status": "SUCCESS",
                "Reason": "See the provider function's log",
                "PhysicalResourceId": "ses-account-suppression:prior=none",
                "StackId": event["StackId"],
                "RequestId": "request-1",
                "LogicalResourceId": "AccountSuppression",
                "Data": {"SuppressedReasons": "BOUNCE"},
            },
        }
    ]


# --- requests this provider does not understand ------------------------------------------------------------------


@pytest.mark.parametrize("request_type", ["Upsert", "create", None, 5])
@pytest.mark.parametrize("resource_type", [ACCOUNT, GUARD])
def test_an_unknown_request_type_fails_without_any_side_effect(
    clients: Any, request_type: Any, resource_type: str
) -> None:
    boto, _, _ = clients  # nothing queued: any SES or SSM call would fail the test
    props = BOTH if resource_type == ACCOUNT else GUARD_PROPS
    status, _, _, reason = run(request(request_type, resource_type, props), boto)
    assert status == "FAILED"
    assert reason.startswith("InvalidRequestError: unsupported request type")


@pytest.mark.parametrize("missing", ["StackId", "RequestId", "LogicalResourceId"])
def test_an_answer_is_sent_even_when_ids_are_missing(clients: Any, receiver: Receiver, missing: str) -> None:
    boto, _, _ = clients
    event = request("Upsert", ACCOUNT, BOTH)
    event["ResponseURL"] = receiver.url
    del event[missing]
    provider.process(event, boto, provider.send_response)
    (answer,) = receiver.received
    assert answer["body"]["Status"] == "FAILED"
    assert answer["body"][missing] == ""


def test_without_a_response_url_nothing_is_sent_and_nothing_raises(clients: Any, caplog: Any) -> None:
    boto, _, _ = clients
    event = request("Upsert", ACCOUNT, BOTH)
    del event["ResponseURL"]
    provider.process(event, boto, provider.send_response)
    assert any("no ResponseURL" in r.getMessage() for r in caplog.records)


def test_the_entry_point_ignores_an_event_that_is_not_an_object(caplog: Any) -> None:
    provider.handler(["not", "an", "event"], None)
    assert any("not an object" in r.getMessage() for r in caplog.records)


# --- a retried Create (the answer could not be sent; Lambda runs the same request again) -------------------------


def test_a_retried_create_keeps_the_prior_value_recorded_by_its_first_attempt(clients: Any) -> None:
    boto, ses, ssm = clients
    # first attempt: reads BOUNCE, records it, sets BOUNCE+COMPLAINT (then the answer to CloudFormation fails)
    no_recorded_prior(ssm)
    ses.add_response("get_account", {"SuppressionAttributes": {"SuppressedReasons": ["BOUNCE"]}}, {})
    records_prior(ssm, ["BOUNCE"])
    ses.add_response("put_account_suppression_attributes", {}, {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]})
    first = run(request("Create", ACCOUNT, BOTH), boto)
    # the retry: the account now says BOUNCE+COMPLAINT (its own write); the recorded prior wins
    ses.add_response("get_account", {"SuppressionAttributes": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]}}, {})
    ssm.add_response(
        "get_parameter",
        {"Parameter": {"Name": PRIOR, "Value": json.dumps({"requestId": "request-1", "prior": ["BOUNCE"]})}},
        {"Name": PRIOR},
    )
    ses.add_response("put_account_suppression_attributes", {}, {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]})
    retry = run(request("Create", ACCOUNT, BOTH), boto)
    assert first[1] == retry[1] == "ses-account-suppression:prior=BOUNCE"


@pytest.mark.parametrize(
    "recorded",
    [json.dumps({"requestId": "an-older-request", "prior": ["COMPLAINT"]}), "not json", json.dumps({"prior": "x"})],
    ids=["another-request", "garbage", "wrong-shape"],
)
def test_a_record_of_another_request_is_not_trusted(clients: Any, recorded: str) -> None:
    boto, ses, ssm = clients
    ssm.add_response("get_parameter", {"Parameter": {"Name": PRIOR, "Value": recorded}}, {"Name": PRIOR})
    ses.add_response("get_account", {"SuppressionAttributes": {"SuppressedReasons": []}}, {})
    records_prior(ssm, [])
    ses.add_response("put_account_suppression_attributes", {}, {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]})
    assert run(request("Create", ACCOUNT, BOTH), boto)[1] == "ses-account-suppression:prior=none"


def test_create_without_a_prior_parameter_fails_before_changing_anything(clients: Any) -> None:
    boto, _, _ = clients
    status, _, _, reason = run(request("Create", ACCOUNT, {"SuppressedReasons": ["BOUNCE"]}), boto)
    assert (status, reason) == ("FAILED", "InvalidRequestError: PriorParameterName is required")


def test_a_failed_answer_raises_so_lambda_retries(clients: Any) -> None:
    failing = Receiver(fail_first=True)
    try:
        event = request("Create", ACCOUNT, BOTH)
        event["ResponseURL"] = failing.url
        with pytest.raises(urllib.error.HTTPError):
            provider.send_response(event, "SUCCESS", "x", {}, "")
        provider.send_response(event, "SUCCESS", "x", {}, "")  # the retry's answer arrives
        assert len(failing.received) == 2
    finally:
        failing.close()


# --- the pause marker survives renames and replacements ----------------------------------------------------------


def test_renaming_the_set_keeps_the_guards_physical_id(clients: Any) -> None:
    boto, _, ssm = clients
    ssm.add_client_error("get_parameter", "ParameterNotFound", http_status_code=400)
    renamed = {**GUARD_PROPS, "ConfigurationSetName": "set-2"}
    event = request("Update", GUARD, renamed, PhysicalResourceId=GUARD_ID, OldResourceProperties=GUARD_PROPS)
    # the same id: CloudFormation sees an update, not a replacement, and sends no cleanup Delete
    assert run(event, boto)[:2] == ("SUCCESS", GUARD_ID)


def test_the_cleanup_delete_of_an_older_guard_keeps_the_marker(clients: Any) -> None:
    boto, _, _ = clients  # no SSM call queued: deleting the marker would fail the test
    # stacks deployed before this version named the guard after the set; the first update replaces it and
    # CloudFormation then deletes the old physical id
    event = request("Delete", GUARD, GUARD_PROPS, PhysicalResourceId="ses-sending-pause-guard:set-1")
    assert run(event, boto)[:2] == ("SUCCESS", "ses-sending-pause-guard:set-1")
