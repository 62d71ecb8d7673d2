"""The suppression handler on realistic payloads, with the exact SES calls checked by botocore's Stubber."""

from __future__ import annotations

import ast
import hashlib
import json
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ses_stack.feedback.runtime import handler as feedback
from ses_stack.feedback.runtime.messages import SES_VALIDATION_MESSAGE, Trust
from tests.aws_double import AwsDouble
from tests.feedback.runtime.payloads import (
    ACCOUNT,
    CONFIGURATION_SET,
    bounce,
    complaint,
    delivery,
    sqs_event,
    sqs_record,
)


class Ses:
    """The SESv2 client of the handler, answered by the AWS double: every request and response is validated
    against the SESv2 model; calls may come in any order (the handler makes them concurrently)."""

    def __init__(self) -> None:
        self.aws = AwsDouble("eu-west-1")
        self.client = self.aws.client("sesv2")

    def expect(self, address: str, reason: str) -> None:
        self.aws.on("sesv2", "PutSuppressedDestination", {"EmailAddress": address, "Reason": reason}, {})

    def fail(self, address: str, reason: str, code: str, status: int = 400) -> None:
        self.aws.error("sesv2", "PutSuppressedDestination", {"EmailAddress": address, "Reason": reason}, code, status)

    def suppressed(self) -> list[tuple[str, str]]:
        return [(p["EmailAddress"], p["Reason"]) for _, op, p in self.aws.calls if op == "PutSuppressedDestination"]


@pytest.fixture
def ses() -> Ses:
    return Ses()


TRUST = Trust(account_id=ACCOUNT, configuration_set=CONFIGURATION_SET)


def aws_error(code: str, status: int) -> ClientError:
    return ClientError(
        {"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "PutSuppressedDestination"
    )


def run(ses: Ses, *records: dict[str, Any], **options: Any) -> dict[str, Any]:
    options.setdefault("trust", TRUST)
    return feedback.handle(sqs_event(*records), feedback._suppress_with(ses.client), **options)


@pytest.mark.parametrize("raw", [True, False], ids=["raw", "sns-envelope"])
@pytest.mark.parametrize("kind_key", ["notificationType", "eventType"])
def test_permanent_bounce_is_suppressed_in_both_formats(ses: Ses, raw: bool, kind_key: str) -> None:
    ses.expect("jane@example.org", "BOUNCE")
    assert run(ses, sqs_record("m1", bounce(kind_key), raw=raw)) == {"batchItemFailures": []}


@pytest.mark.parametrize("raw", [True, False], ids=["raw", "sns-envelope"])
@pytest.mark.parametrize("kind_key", ["notificationType", "eventType"])
def test_complaint_is_suppressed_in_both_formats(ses: Ses, raw: bool, kind_key: str) -> None:
    ses.expect("richard@example.org", "COMPLAINT")
    assert run(ses, sqs_record("m1", complaint(kind_key), raw=raw)) == {"batchItemFailures": []}


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
def test_other_messages_are_ignored_without_any_ses_call(ses: Ses, message: dict[str, Any]) -> None:
    assert run(ses, sqs_record("m1", message)) == {"batchItemFailures": []}


def test_sns_subscription_confirmation_is_ignored(ses: Ses) -> None:
    envelope = {"Type": "SubscriptionConfirmation", "TopicArn": "arn:aws:sns:eu-west-1:1:t", "Message": "confirm"}
    assert run(ses, {"messageId": "c1", "body": json.dumps(envelope)}) == {"batchItemFailures": []}


def test_complaint_without_feedback_type_is_suppressed(ses: Ses) -> None:
    ses.expect("richard@example.org", "COMPLAINT")
    assert run(ses, sqs_record("m1", complaint(feedback_type=None))) == {"batchItemFailures": []}


def test_every_recipient_is_suppressed_once_per_batch(ses: Ses) -> None:
    ses.expect("jane@example.org", "BOUNCE")
    ses.expect("joe@example.org", "BOUNCE")
    ses.expect("richard@example.org", "COMPLAINT")
    result = run(
        ses,
        sqs_record("m1", bounce(recipients=("jane@example.org", "joe@example.org"))),
        sqs_record("m2", bounce("eventType", recipients=("JANE@example.org",)), raw=False),
        sqs_record("m3", complaint()),
        sqs_record("m4", complaint("eventType")),
    )
    assert result == {"batchItemFailures": []}


def test_a_complaint_outranks_a_bounce_for_the_same_address(ses: Ses) -> None:
    ses.expect("jane@example.org", "COMPLAINT")
    result = run(
        ses,
        sqs_record("m1", bounce(recipients=("jane@example.org",))),
        sqs_record("m2", complaint(recipients=("jane@example.org",))),
    )
    assert result == {"batchItemFailures": []}


def test_display_names_are_stripped_from_addresses(ses: Ses) -> None:
    ses.expect("jane@example.org", "BOUNCE")
    assert run(ses, sqs_record("m1", bounce(recipients=('"Jane Doe" <jane@example.org>',)))) == {
        "batchItemFailures": []
    }


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps([1, 2]),
        json.dumps({"mail": {}}),  # neither eventType nor notificationType
        json.dumps({"notificationType": "Bounce"}),  # no bounce object
        json.dumps({**bounce("eventType"), "bounce": {"bounceType": "Permanent", "bouncedRecipients": []}}),
        json.dumps({**bounce("eventType"), "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{}]}}),
        json.dumps({"eventType": "Bounce", "bounce": {"bouncedRecipients": [{"emailAddress": "a@example.org"}]}}),
        json.dumps({**complaint("eventType"), "complaint": {"complainedRecipients": [{"emailAddress": "nobody"}]}}),
        json.dumps({**bounce(), "deep": "x"})[:-1] + ', "extra": ' + "[" * 100_000 + "]" * 100_000 + "}",
        json.dumps(bounce())[:-1] + ', "huge": ' + "9" * 5000 + "}",
        json.dumps({"Type": "Notification", "TopicArn": "arn:aws:sns:eu-west-1:1:t", "Message": "{broken"}),
        json.dumps({"Type": "Weird", "TopicArn": "arn:aws:sns:eu-west-1:1:t", "Message": "{}"}),
    ],
)
def test_poison_record_fails_alone_and_its_neighbours_are_processed(ses: Ses, body: str) -> None:
    ses.expect("jane@example.org", "BOUNCE")
    ses.expect("richard@example.org", "COMPLAINT")
    result = run(
        ses,
        sqs_record("good-1", bounce()),
        {"messageId": "poison", "body": body},
        sqs_record("good-2", complaint(), raw=False),
    )
    assert result == {"batchItemFailures": [{"itemIdentifier": "poison"}]}


def test_other_ses_errors_fail_the_record_at_once(ses: Ses) -> None:
    ses.fail("jane@example.org", "BOUNCE", "AccessDeniedException", 403)
    assert run(ses, sqs_record("m1", bounce())) == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert len(ses.suppressed()) == 1  # a permission problem is not retried within the invocation


def test_metrics_and_structured_logs(ses: Ses, capsys: pytest.CaptureFixture[str], caplog: Any) -> None:
    ses.expect("jane@example.org", "BOUNCE")
    caplog.set_level("INFO", logger="ses_feedback")
    run(ses, sqs_record("m1", bounce()), sqs_record("m2", delivery()), {"messageId": "m3", "body": "x"})
    (line,) = capsys.readouterr().out.splitlines()
    metrics = json.loads(line)
    assert (metrics["Suppressed"], metrics["Ignored"], metrics["Failed"]) == (1, 1, 1)
    assert metrics["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "SesStack/Feedback"
    logged = [json.loads(r.getMessage()) for r in caplog.records]
    assert {
        "message": "suppressed",
        "reason": "BOUNCE",
        "messageIds": ["m1"],
        "address": "***@example.org",
        "addressHash": feedback.address_hash("jane@example.org"),
    } in logged
    assert any(entry["message"] == "malformed record" and entry["messageId"] == "m3" for entry in logged)


# --- privacy ---------------------------------------------------------------------------------------------------


def test_addresses_never_appear_in_clear_in_logs_by_default(ses: Ses, caplog: Any, capsys: Any) -> None:
    ses.expect("jane@example.org", "BOUNCE")
    ses.fail("joe@example.org", "BOUNCE", "AccessDeniedException", 403)
    caplog.set_level("DEBUG", logger="ses_feedback")
    run(ses, sqs_record("m1", bounce(recipients=("jane@example.org", "joe@example.org", "bad entry"))))
    written = "\n".join(r.getMessage() for r in caplog.records) + capsys.readouterr().out
    assert "jane@" not in written and "joe@" not in written
    assert feedback.address_hash("jane@example.org") == hashlib.sha256(b"jane@example.org").hexdigest()[:16]
    assert feedback.address_hash("JANE@example.org") == feedback.address_hash("jane@example.org")
    assert feedback.address_hash("jane@example.org") in written


def test_clear_addresses_when_configured(ses: Ses, caplog: Any) -> None:
    ses.expect("jane@example.org", "BOUNCE")
    caplog.set_level("INFO", logger="ses_feedback")
    run(ses, sqs_record("m1", bounce()), clear_addresses=True)
    logged = [json.loads(r.getMessage()) for r in caplog.records]
    assert {"message": "suppressed", "reason": "BOUNCE", "messageIds": ["m1"], "address": "jane@example.org"} in logged


# --- SES's own messages and forged feedback ----------------------------------------------------------------------


@pytest.mark.parametrize("raw", [True, False], ids=["raw", "sns-envelope"])
def test_ses_topic_validation_message_is_ignored(ses: Ses, raw: bool) -> None:
    record = sqs_record("v1", SES_VALIDATION_MESSAGE, raw=raw)
    assert run(ses, record) == {"batchItemFailures": []}
    assert run(ses, {**record, "body": record["body"] + "\n"}) == {"batchItemFailures": []}
    # negative twin: any other plain text is still a malformed record
    assert run(ses, {**record, "body": "Successfully validated something else."}) == {
        "batchItemFailures": [{"itemIdentifier": "v1"}]
    }


def forged(message: dict[str, Any], **mail_changes: Any) -> dict[str, Any]:
    return {**message, "mail": {**message["mail"], **mail_changes}}


@pytest.mark.parametrize(
    ("message", "why"),
    [
        (forged(bounce(), sendingAccountId="999999999999"), "sent by account '999999999999'"),
        (forged(complaint("eventType"), sendingAccountId="999999999999"), "sent by account '999999999999'"),
        ({k: v for k, v in bounce().items() if k != "mail"}, "sent by account 'None'"),
        (forged(bounce("eventType"), tags={"ses:configuration-set": ["other-set"]}), "not sent through"),
        (forged(complaint("eventType"), tags={}), "not sent through configuration set ses-default-set"),
        (forged(bounce("eventType"), tags="ses-default-set"), "not sent through"),
    ],
    ids=["other-account", "other-account-event", "no-mail", "other-set", "no-set-tag", "tags-not-an-object"],
)
def test_forged_feedback_is_counted_and_logged_never_acted_on(
    ses: Ses, message: dict[str, Any], why: str, caplog: Any, capsys: Any
) -> None:
    caplog.set_level("INFO", logger="ses_feedback")
    assert run(ses, sqs_record("f1", message)) == {"batchItemFailures": []}
    assert ses.suppressed() == []
    assert json.loads(capsys.readouterr().out)["Untrusted"] == 1
    (entry,) = [json.loads(r.getMessage()) for r in caplog.records if "not acted on" in r.getMessage()]
    assert why in entry["why"]


def test_identity_notifications_need_the_account_only(ses: Ses) -> None:
    ses.expect("jane@example.org", "BOUNCE")  # notificationType carries no tags: the account is what can be checked
    assert run(ses, sqs_record("m1", bounce("notificationType"))) == {"batchItemFailures": []}


def test_without_a_configured_set_any_set_of_the_account_is_accepted(ses: Ses) -> None:
    ses.expect("jane@example.org", "BOUNCE")
    message = forged(bounce("eventType"), tags={"ses:configuration-set": ["other-set"]})
    assert run(ses, sqs_record("m1", message), trust=Trust(account_id=ACCOUNT)) == {"batchItemFailures": []}


def test_a_function_that_does_not_know_its_account_fails_records_rather_than_dropping_them(ses: Ses) -> None:
    result = run(ses, sqs_record("m1", bounce()), trust=Trust(account_id=""))
    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}]}


def test_the_account_comes_from_the_environment_or_the_function_arn() -> None:
    context = SimpleNamespace(invoked_function_arn="arn:aws:lambda:eu-west-1:111122223333:function:f")
    assert feedback.trust_from({"EXPECTED_ACCOUNT_ID": ACCOUNT, "CONFIGURATION_SET_NAME": "s"}, context) == Trust(
        ACCOUNT, "s"
    )
    assert feedback.trust_from({}, context) == Trust("111122223333", None)
    assert feedback.trust_from({}, None) == Trust("", None)


# --- one bad recipient ----------------------------------------------------------------------------------------


def test_valid_recipients_are_suppressed_beside_malformed_ones(ses: Ses, capsys: Any) -> None:
    ses.expect("jane@example.org", "BOUNCE")
    ses.expect("joe@example.org", "BOUNCE")
    message = bounce(recipients=("jane@example.org", "not an address", "joe@example.org"))
    message["bounce"]["bouncedRecipients"] += [{"status": "5.1.1"}, "a string", {"emailAddress": "a@b@c"}]
    assert run(ses, sqs_record("m1", message)) == {"batchItemFailures": []}
    assert sorted(ses.suppressed()) == [("jane@example.org", "BOUNCE"), ("joe@example.org", "BOUNCE")]
    assert json.loads(capsys.readouterr().out)["InvalidRecipients"] == 4


def test_an_address_ses_refuses_is_reported_not_retried_forever(ses: Ses, capsys: Any) -> None:
    ses.fail("jane@example.org", "BOUNCE", "BadRequestException")
    ses.expect("joe@example.org", "BOUNCE")
    assert run(ses, sqs_record("m1", bounce(recipients=("jane@example.org", "joe@example.org")))) == {
        "batchItemFailures": []
    }
    assert json.loads(capsys.readouterr().out)["InvalidRecipients"] == 1


# --- throttling, the deadline and concurrency ------------------------------------------------------------------


def test_botocore_makes_one_attempt_per_call_with_short_timeouts() -> None:
    assert feedback.SES_CLIENT_CONFIG.retries == {"mode": "standard", "total_max_attempts": 1}
    assert (feedback.SES_CLIENT_CONFIG.connect_timeout, feedback.SES_CLIENT_CONFIG.read_timeout) == (2, 4)
    assert feedback.ATTEMPT_MS == 7000


class Clock:
    """Fake time for the handler: calls and sleeps advance it; the Lambda context reads it."""

    def __init__(self, timeout_ms: int) -> None:
        self.now_ms = 0.0
        self.timeout_ms = timeout_ms
        self.lock = threading.Lock()
        self.call_starts: list[float] = []

    def remaining_ms(self) -> int:
        with self.lock:
            return int(self.timeout_ms - self.now_ms)

    def advance(self, ms: float) -> None:
        with self.lock:
            self.now_ms += ms

    def sleep(self, seconds: float) -> None:
        self.advance(seconds * 1000)

    def throttled_call(self, call_ms: float = 800) -> Any:
        def suppress(address: str, reason: str) -> None:
            with self.lock:
                self.call_starts.append(self.remaining_ms_unlocked())
            self.advance(call_ms)
            raise ClientError(
                {"Error": {"Code": "TooManyRequestsException"}, "ResponseMetadata": {"HTTPStatusCode": 429}},
                "PutSuppressedDestination",
            )

        return suppress

    def remaining_ms_unlocked(self) -> float:
        return self.timeout_ms - self.now_ms


@pytest.mark.parametrize("parallel", [1, 4])
def test_with_every_call_throttled_the_handler_returns_before_its_deadline_reporting_every_record(
    parallel: int, capsys: Any
) -> None:
    clock = Clock(timeout_ms=30_000)
    records = [sqs_record(f"m{i}", bounce(recipients=tuple(f"r{i}-{j}@example.org" for j in range(50))))
               for i in range(10)]  # fmt: skip
    result = feedback.handle(
        sqs_event(*records),
        clock.throttled_call(),
        trust=TRUST,
        budget=feedback.Budget(clock.remaining_ms),
        parallel=parallel,
        sleep=clock.sleep,
    )
    assert result == {"batchItemFailures": [{"itemIdentifier": f"m{i}"} for i in range(10)]}
    assert clock.remaining_ms() > 0, "the handler ran past its deadline"
    assert min(clock.call_starts) > feedback.ATTEMPT_MS - 800 * parallel  # no call started without time to finish
    metrics = json.loads(capsys.readouterr().out)
    assert metrics["Failed"] == 10 and metrics["OutOfTime"] > 0


def test_throttling_is_retried_with_backoff_within_the_budget() -> None:
    attempts: list[str] = []
    sleeps: list[float] = []

    def flaky(address: str, reason: str) -> None:
        attempts.append(address)
        if len(attempts) < 3:
            raise ClientError(
                {"Error": {"Code": "TooManyRequestsException"}, "ResponseMetadata": {"HTTPStatusCode": 429}}, "Put"
            )

    result = feedback.settle(
        "a@example.org", "BOUNCE", flaky, budget=feedback.UNLIMITED, sleep=sleeps.append, jitter=lambda: 1.0
    )
    assert result == feedback.Settled("done")
    assert len(attempts) == 3 and sleeps == [0.2, 0.4]


@pytest.mark.parametrize(
    ("error", "outcome", "attempts"),
    [
        (
            aws_error("InternalFailure", 500),
            "failed",
            4,
        ),
        (EndpointConnectionError(endpoint_url="https://email.eu-west-1.amazonaws.com"), "failed", 4),
        (ReadTimeoutError(endpoint_url="https://email.eu-west-1.amazonaws.com"), "failed", 4),
        (
            ClientError(
                {"Error": {"Code": "AccessDeniedException"}, "ResponseMetadata": {"HTTPStatusCode": 403}}, "Put"
            ),
            "failed",
            1,
        ),
        (
            aws_error("BadRequestException", 400),
            "invalid",
            1,
        ),
        (RuntimeError("a bug"), "failed", 1),
    ],
    ids=["server-error", "connection", "read-timeout", "access-denied", "bad-request", "unexpected"],
)
def test_what_is_retried(error: Exception, outcome: str, attempts: int) -> None:
    calls: list[str] = []

    def failing(address: str, reason: str) -> None:
        calls.append(address)
        raise error

    result = feedback.settle("a@example.org", "BOUNCE", failing, budget=feedback.UNLIMITED, sleep=lambda s: None)
    assert (result.outcome, len(calls)) == (outcome, attempts)


def test_addresses_are_suppressed_concurrently_and_bounded() -> None:
    in_flight, peak, lock = [0], [0], threading.Lock()

    def slow(address: str, reason: str) -> None:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.002)
        with lock:
            in_flight[0] -= 1

    records = [sqs_record(f"m{i}", bounce(recipients=tuple(f"r{i}-{j}@example.org" for j in range(50))))
               for i in range(10)]  # fmt: skip
    assert feedback.handle(sqs_event(*records), slow, trust=TRUST, parallel=4) == {"batchItemFailures": []}
    assert peak[0] == 4


# --- never raise -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "event",
    [None, [], "text", {"Records": None}, {"Records": "x"}, {"Records": [None, 1, "x", {"body": "{}"}]}, {}],
    ids=["none", "list", "text", "records-none", "records-text", "records-garbage", "empty"],
)
def test_any_event_shape_returns_a_response(ses: Ses, event: Any) -> None:
    assert feedback.handle(event, feedback._suppress_with(ses.client), trust=TRUST) == {"batchItemFailures": []}


def test_lambda_entry_point_uses_one_sesv2_client(monkeypatch: pytest.MonkeyPatch, ses: Ses) -> None:
    ses.expect("jane@example.org", "BOUNCE")
    monkeypatch.setattr(feedback, "_client", ses.client)
    monkeypatch.setenv("EXPECTED_ACCOUNT_ID", ACCOUNT)
    monkeypatch.setenv("CONFIGURATION_SET_NAME", CONFIGURATION_SET)
    context = SimpleNamespace(get_remaining_time_in_millis=lambda: 30_000)
    assert feedback.handler(sqs_event(sqs_record("m1", bounce("eventType"))), context) == {"batchItemFailures": []}


def test_handler_ships_alone_importing_only_the_standard_library_and_boto() -> None:
    runtime = Path(feedback.__file__).parent
    siblings = {path.stem for path in runtime.glob("*.py")}
    for module in runtime.glob("*.py"):
        tree = ast.parse(module.read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        outside = {name.split(".")[0] for name in imported} - set(sys.stdlib_module_names) - {"__future__", ""}
        assert outside - siblings <= {"boto3", "botocore"}, module.name


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
    result = feedback.handle(
        sqs_event(*records), lambda address, reason: calls.append((address, reason)), trust=Trust(ACCOUNT)
    )
    failed = {f["itemIdentifier"] for f in result["batchItemFailures"]}
    assert "valid" not in failed
    assert ("valid@example.org", "BOUNCE") in calls
    assert failed <= {f"r{i}" for i in range(len(bodies))}


def test_an_ignored_bounce_needs_no_recipient_details(ses: Ses) -> None:
    body = {"eventType": "Bounce", "bounce": {"bounceType": "Transient", "bounceSubType": "MailboxFull"}}
    assert run(ses, sqs_record("m1", body)) == {"batchItemFailures": []}


# Mutations of a valid message: deep nesting or a huge number anywhere, and recipient lists with bad entries.
def _nest(depth: int) -> str:
    return "[" * depth + "]" * depth


def _mutated_body(message: dict[str, Any], where: list[str], kind: str, depth: int) -> str:
    """``message`` as JSON with a deep list or a huge integer put at the key path ``where``."""
    marker = "__MUTATION__"
    target: Any = message
    for key in where[:-1]:
        target = target.setdefault(key, {}) if isinstance(target, dict) else target
    if isinstance(target, dict):
        target[where[-1]] = marker
    text = json.dumps(message)
    return text.replace(f'"{marker}"', _nest(depth) if kind == "nesting" else "9" * depth)


entry_mutations = st.lists(
    st.one_of(
        st.just({}),
        st.just({"emailAddress": None}),
        st.just({"emailAddress": "no at sign"}),
        st.just({"emailAddress": "a" * 700 + "@example.org"}),
        st.just({"emailAddress": "tab\t@example.org"}),
        st.just("a string"),
        st.integers(),
        st.builds(lambda n: {"emailAddress": f"extra{n}@example.org"}, st.integers(0, 5)),
    ),
    max_size=6,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    where=st.sampled_from([["extra"], ["mail", "extra"], ["bounce", "extra"], ["bounce", "bouncedRecipients"]]),
    kind=st.sampled_from(["nesting", "number"]),
    depth=st.sampled_from([50, 5000, 100_000]),
    entries=entry_mutations,
    mutate=st.booleans(),
)
def test_mutated_messages_never_raise_and_settle_alone(
    where: list[str], kind: str, depth: int, entries: list[Any], mutate: bool
) -> None:
    message = bounce("eventType", recipients=("target@example.org",))
    message["bounce"]["bouncedRecipients"] += entries
    body = _mutated_body(message, where, kind, depth) if mutate else json.dumps(message)
    calls: list[tuple[str, str]] = []
    records = [sqs_record("valid", bounce(recipients=("valid@example.org",))), {"messageId": "mutant", "body": body}]
    result = feedback.handle(sqs_event(*records), lambda a, r: calls.append((a, r)), trust=TRUST)
    failed = {f["itemIdentifier"] for f in result["batchItemFailures"]}
    assert "valid" not in failed and ("valid@example.org", "BOUNCE") in calls
    readable = not mutate or (kind == "nesting" and depth < 900) or (kind == "number" and depth < 4300)
    if readable and not (mutate and where == ["bounce", "bouncedRecipients"]):
        # the mutant's good recipient is suppressed whatever bad entries sit beside it
        assert "mutant" not in failed and ("target@example.org", "BOUNCE") in calls
    else:
        assert "mutant" in failed or ("target@example.org", "BOUNCE") not in calls


def test_an_ses_answer_dripping_in_cannot_hold_the_batch_past_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """SES answers one byte every 0.5 s, inside every read timeout (the handler once returned after 69 s of a 10 s
    budget): each call is cut off at its share, and the record is returned for SQS to retry."""
    import boto3  # noqa: PLC0415

    from tests.preflight.http_endpoint import Reply, running_endpoint  # noqa: PLC0415

    monkeypatch.setattr(feedback, "ATTEMPT_MS", 1500)  # the shares, scaled down so the test takes seconds
    with running_endpoint(lambda method, path, body: Reply(200, b"{}" + b" " * 100, drip_s=0.5)) as endpoint:
        client = boto3.client("sesv2", region_name="eu-west-1", endpoint_url=endpoint.url, aws_access_key_id="t",
                              aws_secret_access_key="t", config=feedback.SES_CLIENT_CONFIG)  # fmt: skip
        started = time.monotonic()
        budget = feedback.Budget(lambda: int((started + 4.0 - time.monotonic()) * 1000))
        result = feedback.handle(sqs_event(sqs_record("m1", bounce())), feedback._suppress_with(client), trust=TRUST,
                                 budget=budget)  # fmt: skip
        elapsed = time.monotonic() - started
    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert elapsed < 4.0  # within the budget (the whole answer would take 51 s per call)
    assert len(endpoint.requests) == 2  # two attempts fit, the third would not
