"""The custom-resource provider: exact SES/SSM calls (botocore Stubber) and the answer sent to CloudFormation."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ses_stack.settings.runtime import handler as provider

Answer = tuple[str, str, dict[str, str], str]


@pytest.fixture
def clients() -> Iterator[tuple[dict[str, Any], Stubber, Stubber]]:
    options = {"region_name": "eu-west-1", "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    ses, ssm = boto3.client("sesv2", **options), boto3.client("ssm", **options)
    with Stubber(ses) as ses_stub, Stubber(ssm) as ssm_stub:
        yield {"sesv2": ses, "ssm": ssm}, ses_stub, ssm_stub
        ses_stub.assert_no_pending_responses()
        ssm_stub.assert_no_pending_responses()


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


def run(event: dict[str, Any], clients: dict[str, Any]) -> Answer:
    answers: list[Answer] = []
    provider.process(
        event, clients, lambda _event, status, pid, data, reason: answers.append((status, pid, dict(data), reason))
    )
    (answer,) = answers
    return answer


ACCOUNT = "Custom::SesAccountSuppression"
GUARD = "Custom::SesSendingPauseGuard"
BOTH = {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]}


def test_create_records_the_prior_reasons_then_sets_the_new_ones(clients: Any) -> None:
    boto, ses, _ = clients
    ses.add_response("get_account", {"SuppressionAttributes": {"SuppressedReasons": ["BOUNCE"]}}, {})
    ses.add_response("put_account_suppression_attributes", {}, {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]})
    assert run(request("Create", ACCOUNT, BOTH), boto) == (
        "SUCCESS",
        "ses-account-suppression:prior=BOUNCE",
        {"SuppressedReasons": "BOUNCE,COMPLAINT"},
        "",
    )


def test_create_on_an_account_without_suppression_records_none(clients: Any) -> None:
    boto, ses, _ = clients
    ses.add_response("get_account", {"SendingEnabled": True}, {})
    ses.add_response("put_account_suppression_attributes", {}, {"SuppressedReasons": ["COMPLAINT"]})
    status, physical_id, _, _ = run(request("Create", ACCOUNT, {"SuppressedReasons": ["COMPLAINT"]}), boto)
    assert (status, physical_id) == ("SUCCESS", "ses-account-suppression:prior=none")


def test_update_keeps_the_recorded_prior_value(clients: Any) -> None:
    boto, ses, _ = clients
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
    boto, ses, _ = clients
    ses.add_response("put_account_suppression_attributes", {}, {"SuppressedReasons": restored})
    assert run(request("Delete", ACCOUNT, BOTH, PhysicalResourceId=physical_id), boto)[:2] == ("SUCCESS", physical_id)


def test_delete_after_a_failed_create_changes_nothing(clients: Any) -> None:
    boto, _, _ = clients  # no response queued: any call would fail the test
    event = request("Delete", ACCOUNT, BOTH, PhysicalResourceId="AccountSuppression")
    assert run(event, boto)[:2] == ("SUCCESS", "AccountSuppression")


@pytest.mark.parametrize("reasons", [["BOUNCE", "SPAM"], "BOUNCE", None])
def test_invalid_reasons_fail_without_any_call(clients: Any, reasons: Any) -> None:
    boto, _, _ = clients
    status, physical_id, _, reason = run(request("Create", ACCOUNT, {"SuppressedReasons": reasons}), boto)
    assert (status, physical_id) == ("FAILED", "AccountSuppression")
    assert reason.startswith("InvalidRequestError: SuppressedReasons must be a list of BOUNCE, COMPLAINT")


def test_an_ses_error_reaches_cloudformation_as_failed(clients: Any) -> None:
    boto, ses, _ = clients
    ses.add_response("get_account", {}, {})
    ses.add_client_error("put_account_suppression_attributes", "BadRequestException", "not allowed", 400)
    status, _, _, reason = run(request("Create", ACCOUNT, BOTH), boto)
    assert status == "FAILED"
    assert "BadRequestException" in reason


def test_unknown_resource_type_fails(clients: Any) -> None:
    boto, _, _ = clients
    status, _, _, reason = run(request("Create", "Custom::Other", {}), boto)
    assert (status, reason) == ("FAILED", "InvalidRequestError: unsupported resource type 'Custom::Other'")


GUARD_PROPS = {"ConfigurationSetName": "set-1", "MarkerParameterName": "/ses-stack/S/R/paused", "Fingerprint": "f"}


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
    extra = {"PhysicalResourceId": "ses-sending-pause-guard:set-1"} if request_type == "Update" else {}
    assert run(request(request_type, GUARD, GUARD_PROPS, **extra), boto) == (
        "SUCCESS",
        "ses-sending-pause-guard:set-1",
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
    event = request("Delete", GUARD, GUARD_PROPS, PhysicalResourceId="ses-sending-pause-guard:set-1")
    assert run(event, boto)[0] == "SUCCESS"
    assert run(event, boto)[0] == "SUCCESS"


def test_guard_fails_on_other_ssm_errors(clients: Any) -> None:
    boto, _, ssm = clients
    ssm.add_client_error("get_parameter", "AccessDeniedException", http_status_code=400)
    assert run(request("Create", GUARD, GUARD_PROPS), boto)[0] == "FAILED"


def test_guard_needs_its_properties(clients: Any) -> None:
    boto, _, _ = clients
    assert run(request("Create", GUARD, {"ConfigurationSetName": "set-1"}), boto)[0] == "FAILED"


def test_response_is_put_to_the_presigned_url_as_cloudformation_expects() -> None:
    received: dict[str, Any] = {}

    class Receiver(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            length = int(self.headers["Content-Length"])
            received.update(
                method="PUT",
                path=self.path,
                content_type=self.headers.get("Content-Type"),
                body=json.loads(self.rfile.read(length)),
            )
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    event = request("Create", ACCOUNT, BOTH)
    event["ResponseURL"] = f"http://127.0.0.1:{server.server_port}/presigned?sig=abc"
    provider.send_response(event, "SUCCESS", "ses-account-suppression:prior=none", {"SuppressedReasons": "BOUNCE"}, "")
    thread.join(timeout=10)
    server.server_close()
    assert received == {
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
