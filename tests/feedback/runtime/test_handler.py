"""The suppression handler on realistic payloads, with the exact SES calls checked by botocore's Stubber."""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ses_stack.feedback.runtime import handler as feedback
from tests.feedback.runtime.payloads import bounce, complaint, delivery, sqs_event, sqs_record


@pytest.fixture
def ses() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client(
        "sesv2", region_name="eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def expect_suppression(stubber: Stubber, address: str, reason: str) -> None:
    stubber.add_response("put_suppressed_destination", {}, {"EmailAddress": address, "Reason": reason})


def run(client: Any, *records: dict[str, Any]) -> dict[str, Any]:
    return feedback.handle(sqs_event(*records), feedback._suppress_with(client))


@pytest.mark.parametrize("raw", [True, False], ids=["raw", "sns-envelope"])
@pytest.mark.parametrize("kind_key", ["notificationType", "eventType"])
def test_permanent_bounce_is_suppressed_in_both_formats(ses: tuple[Any, Stubber], raw: bool, kind_key: str) -> None:
    client, stubber = ses
    expect_suppression(stubber, "jane@example.org", "BOUNCE")
    assert run(client, sqs_record("m1", bounce(kind_key), raw=raw)) == {"batchItemFailures": []}


@pytest.mark.parametrize("raw", [True, False], ids=["raw", "sns-envelope"])
@pytest.mark.parametrize("kind_key", ["notificationType", "eventType"])
def test_complaint_is_suppressed_in_both_formats(ses: tuple[Any, Stubber], raw: bool, kind_key: str) -> None:
    client, stubber = ses
    expect_suppression(stubber, "richard@example.org", "COMPLAINT")
    assert run(client, sqs_record("m1", complaint(kind_key), raw=raw)) == {"batchItemFailures": []}


@pytest.mark.parametrize(
    "message",
    [
        bounce(bounce_type="Transient", sub_type="MailboxFull"),
        bounce(bounce_type="Transient", sub_type="General"),  # auto-replies
        bounce(bounce_type="Undetermined", sub_type="Undetermined"),
        bounce(sub_type="OnAccountSuppressionList"),  # SES already suppressed it
        complaint(feedback_type="not-spam"),
        complaint(sub_type="OnAccountSuppressionList"),
        delivery(),
        {"eventType": "Send", "send": {}, "mail": {}},
        {"eventType": "Rendering Failure", "failure": {"templateName": "t", "errorMessage": "x"}, "mail": {}},
        {"notificationType": "AmazonSnsSubscriptionSucceeded", "message": "You have successfully subscribed"},
    ],
    ids=[
        "transient-mailbox-full",
        "transient-general",
        "undetermined",
        "already-suppressed-bounce",
        "not-spam",
        "already-suppressed-complaint",
        "delivery",
        "send",
        "rendering-failure",
        "subscription-succeeded",
    ],
)
def test_other_messages_are_ignored_without_any_ses_call(ses: tuple[Any, Stubber], message: dict[str, Any]) -> None:
    client, _ = ses  # no response queued: any SES call would fail the test
    assert run(client, sqs_record("m1", message)) == {"batchItemFailures": []}


def test_sns_subscription_confirmation_is_ignored(ses: tuple[Any, Stubber]) -> None:
    client, _ = ses
    envelope = {"Type": "SubscriptionConfirmation", "TopicArn": "arn:aws:sns:eu-west-1:1:t", "Message": "confirm"}
    assert run(client, {"messageId": "c1", "body": json.dumps(envelope)}) == {"batchItemFailures": []}


def test_complaint_without_feedback_type_is_suppressed(ses: tuple[Any, Stubber]) -> None:
    client, stubber = ses
    expect_suppression(stubber, "richard@example.org", "COMPLAINT")
    assert run(client, sqs_record("m1", complaint(feedback_type=None))) == {"batchItemFailures": []}


def test_every_recipient_is_suppressed_once_per_batch(ses: tuple[Any, Stubber]) -> None:
    client, stubber = ses
    expect_suppression(stubber, "jane@example.org", "BOUNCE")
    expect_suppression(stubber, "joe@example.org", "BOUNCE")
    expect_suppression(stubber, "richard@example.org", "COMPLAINT")
    result = run(
        client,
        sqs_record("m1", bounce(recipients=("jane@example.org", "joe@example.org"))),
        sqs_record("m2", bounce("eventType", recipients=("JANE@example.org",)), raw=False),
        sqs_record("m3", complaint()),
        sqs_record("m4", complaint("eventType")),
    )
    assert result == {"batchItemFailures": []}


def test_a_complaint_outranks_a_bounce_for_the_same_address(ses: tuple[Any, Stubber]) -> None:
    client, stubber = ses
    expect_suppression(stubber, "jane@example.org", "COMPLAINT")
    result = run(
        client,
        sqs_record("m1", bounce(recipients=("jane@example.org",))),
        sqs_record("m2", complaint(recipients=("jane@example.org",))),
    )
    assert result == {"batchItemFailures": []}


def test_display_names_are_stripped_from_addresses(ses: tuple[Any, Stubber]) -> None:
    client, stubber = ses
    expect_suppression(stubber, "jane@example.org", "BOUNCE")
    assert run(client, sqs_record("m1", bounce(recipients=('"Jane Doe" <jane@example.org>',)))) == {
        "batchItemFailures": []
    }


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps([1, 2]),
        json.dumps({"mail": {}}),  # neither eventType nor notificationType
        json.dumps({"notificationType": "Bounce"}),  # no bounce object
        json.dumps({"eventType": "Bounce", "bounce": {"bounceType": "Permanent", "bouncedRecipients": []}}),
        json.dumps({"eventType": "Bounce", "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{}]}}),
        json.dumps({"eventType": "Bounce", "bounce": {"bouncedRecipients": [{"emailAddress": "a@example.org"}]}}),
        json.dumps({"eventType": "Complaint", "complaint": {"complainedRecipients": [{"emailAddress": "nobody"}]}}),
        json.dumps({"Type": "Notification", "TopicArn": "arn:aws:sns:eu-west-1:1:t", "Message": "{broken"}),
        json.dumps({"Type": "Weird", "TopicArn": "arn:aws:sns:eu-west-1:1:t", "Message": "{}"}),
    ],
)
def test_poison_record_fails_alone_and_its_neighbours_are_processed(ses: tuple[Any, Stubber], body: str) -> None:
    client, stubber = ses
    expect_suppression(stubber, "jane@example.org", "BOUNCE")
    expect_suppression(stubber, "richard@example.org", "COMPLAINT")
    result = run(
        client,
        sqs_record("good-1", bounce()),
        {"messageId": "poison", "body": body},
        sqs_record("good-2", complaint(), raw=False),
    )
    assert result == {"batchItemFailures": [{"itemIdentifier": "poison"}]}


def test_throttling_that_outlasts_retries_fails_the_record_so_sqs_retries_it(ses: tuple[Any, Stubber]) -> None:
    client, stubber = ses
    stubber.add_client_error(
        "put_suppressed_destination",
        service_error_code="TooManyRequestsException",
        service_message="Rate exceeded",
        http_status_code=429,
        expected_params={"EmailAddress": "jane@example.org", "Reason": "BOUNCE"},
    )
    expect_suppression(stubber, "richard@example.org", "COMPLAINT")
    result = run(
        client,
        sqs_record("m1", bounce()),
        sqs_record("m2", complaint()),
        sqs_record("m3", bounce("eventType"), raw=False),  # same address as m1: fails with it
    )
    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m3"}]}


def test_client_retries_throttling_with_backoff_before_giving_up() -> None:
    assert feedback.SES_CLIENT_CONFIG.retries == {"mode": "standard", "max_attempts": 5}


def test_other_ses_errors_are_not_swallowed(ses: tuple[Any, Stubber]) -> None:
    client, stubber = ses
    stubber.add_client_error(
        "put_suppressed_destination",
        service_error_code="BadRequestException",
        http_status_code=400,
        expected_params={"EmailAddress": "jane@example.org", "Reason": "BOUNCE"},
    )
    assert run(client, sqs_record("m1", bounce())) == {"batchItemFailures": [{"itemIdentifier": "m1"}]}


def test_metrics_and_structured_logs(ses: tuple[Any, Stubber], capsys: pytest.CaptureFixture[str], caplog: Any) -> None:
    client, stubber = ses
    expect_suppression(stubber, "jane@example.org", "BOUNCE")
    caplog.set_level("INFO", logger="ses_feedback")
    run(client, sqs_record("m1", bounce()), sqs_record("m2", delivery()), {"messageId": "m3", "body": "x"})
    (line,) = capsys.readouterr().out.splitlines()
    metrics = json.loads(line)
    assert (metrics["Suppressed"], metrics["Ignored"], metrics["Failed"]) == (1, 1, 1)
    assert metrics["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "SesStack/Feedback"
    logged = [json.loads(r.getMessage()) for r in caplog.records]
    assert {"message": "suppressed", "address": "jane@example.org", "reason": "BOUNCE", "messageIds": ["m1"]} in logged
    assert any(entry["message"] == "malformed record" and entry["messageId"] == "m3" for entry in logged)


def test_lambda_entry_point_uses_one_sesv2_client(monkeypatch: pytest.MonkeyPatch, ses: tuple[Any, Stubber]) -> None:
    client, stubber = ses
    expect_suppression(stubber, "jane@example.org", "BOUNCE")
    monkeypatch.setattr(feedback, "_client", client)
    assert feedback.handler(sqs_event(sqs_record("m1", bounce())), None) == {"batchItemFailures": []}


def test_handler_ships_alone_importing_only_the_standard_library_and_boto() -> None:
    tree = ast.parse(Path(feedback.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    third_party = {name.split(".")[0] for name in imported} - set(sys.stdlib_module_names) - {"__future__"}
    assert third_party == {"boto3", "botocore"}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
shaped = st.fixed_dictionaries(
    {"eventType": st.sampled_from(["Bounce", "Complaint", "Delivery", 5, None])},
    optional={
        "bounce": st.dictionaries(
            st.sampled_from(["bounceType", "bounceSubType", "bouncedRecipients"]), json_values, max_size=3
        ),
        "complaint": st.dictionaries(st.sampled_from(["complainedRecipients", "complaintSubType"]), json_values),
    },
)
random_bodies = st.one_of(
    st.text(max_size=40),
    json_values.map(json.dumps),
    shaped.map(json.dumps),
    shaped.map(lambda m: json.dumps({"Type": "Notification", "TopicArn": "arn:t", "Message": json.dumps(m)})),
    st.none(),
    st.integers(),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=st.lists(random_bodies, min_size=1, max_size=5), position=st.integers(min_value=0, max_value=5))
def test_random_bodies_never_raise_and_never_drop_a_valid_neighbour(bodies: list[Any], position: int) -> None:
    calls: list[tuple[str, str]] = []
    records: list[dict[str, Any]] = [{"messageId": f"r{i}", "body": body} for i, body in enumerate(bodies)]
    records.insert(min(position, len(records)), sqs_record("valid", bounce(recipients=("valid@example.org",))))
    result = feedback.handle(sqs_event(*records), lambda address, reason: calls.append((address, reason)))
    failed = {f["itemIdentifier"] for f in result["batchItemFailures"]}
    assert "valid" not in failed
    assert ("valid@example.org", "BOUNCE") in calls
    assert failed <= {f"r{i}" for i in range(len(bodies))}


def test_an_ignored_bounce_needs_no_recipient_details(ses: tuple[Any, Stubber]) -> None:
    client, _ = ses
    body = {"eventType": "Bounce", "bounce": {"bounceType": "Transient", "bounceSubType": "MailboxFull"}}
    assert run(client, sqs_record("m1", body)) == {"batchItemFailures": []}
