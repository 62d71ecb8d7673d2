"""ses-preflight drill end to end against a stand-in: SESv2 as a local HTTP endpoint (its suppression list gains the
simulator addresses after a delay when the pipeline is healthy, never when a hop is broken) and botocore Stubbers
for what the diagnosis reads (SNS, SQS, Lambda, CloudWatch). One test per broken hop, paused sending, cleanup."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from ses_stack.preflight import cli
from ses_stack.preflight.aws.clients import Aws, GuardedClient
from ses_stack.preflight.drill.diagnosis import DrillClients
from ses_stack.preflight.drill.drill import Drill, DrillResult
from tests.preflight.fake_ses import TOPIC, FakeSes
from tests.preflight.http_endpoint import Endpoint, Reply, running_endpoint

REGION = "eu-west-1"
QUEUE = "arn:aws:sqs:eu-west-1:123456789012:SesStack-eu-west-1-FeedbackQueue"
DLQ = "arn:aws:sqs:eu-west-1:123456789012:SesStack-eu-west-1-FeedbackDeadLetterQueue"
FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:SesStack-eu-west-1-FeedbackHandler"
OPTIONS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
ACCOUNT = "123456789012"
MAPPING_UUID = "91eaeb7e-c976-4d3a-9451-8709db01f137"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class Hops:
    """Stubbed SNS, SQS, Lambda and CloudWatch: what the diagnosis reads, queued hop by hop."""

    def __init__(self) -> None:
        self.sns = boto3.client("sns", region_name=REGION, **OPTIONS)
        self.sqs = boto3.client("sqs", region_name=REGION, **OPTIONS)
        self.lambda_ = boto3.client("lambda", region_name=REGION, **OPTIONS)
        self.cloudwatch = boto3.client("cloudwatch", region_name=REGION, **OPTIONS)
        self.stubs = {n: Stubber(getattr(self, n)) for n in ("sns", "sqs", "lambda_", "cloudwatch")}

    def metric(self, namespace: str, name: str, total: float) -> None:
        points = [{"Timestamp": "2026-11-28T00:00:00Z", "Sum": total}] if total else []
        expected = {"Namespace": namespace, "MetricName": name, "Dimensions": ANY, "StartTime": ANY, "EndTime": ANY}
        expected |= {"Period": 60, "Statistics": ["Sum"]}
        self.stubs["cloudwatch"].add_response("get_metric_statistics", {"Label": name, "Datapoints": points}, expected)

    def queue_depth(self, arn: str, waiting: int, redrive: bool) -> None:
        name = arn.rsplit(":", 1)[1]
        url = f"https://sqs.eu-west-1.amazonaws.com/123456789012/{name}"
        sqs = self.stubs["sqs"]
        sqs.add_response("get_queue_url", {"QueueUrl": url}, {"QueueName": name, "QueueOwnerAWSAccountId": ACCOUNT})
        attributes = {"ApproximateNumberOfMessages": str(waiting), "ApproximateNumberOfMessagesNotVisible": "0"}
        if redrive:
            attributes["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": DLQ, "maxReceiveCount": 5})
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "RedrivePolicy"]
        sqs.add_response("get_queue_attributes", {"Attributes": attributes}, {"QueueUrl": url, "AttributeNames": names})

    def diagnosis(self, broken: str) -> None:
        """One diagnosis: the calls it makes, up to the ``broken`` hop."""
        self.metric("AWS/SNS", "NumberOfMessagesPublished", 0 if broken == "sns-published" else 2)
        if broken == "sns-published":
            return
        subscription = {"SubscriptionArn": f"{TOPIC}:0f6a", "Protocol": "sqs", "Endpoint": QUEUE, "TopicArn": TOPIC}
        if broken == "subscription":
            subscription["SubscriptionArn"] = "PendingConfirmation"
        self.stubs["sns"].add_response(
            "list_subscriptions_by_topic", {"Subscriptions": [subscription]}, {"TopicArn": TOPIC}
        )
        self.metric("AWS/SNS", "NumberOfNotificationsFailed", 0)
        if broken == "subscription":
            return
        self.queue_depth(QUEUE, 2 if broken == "mapping" else 0, redrive=True)
        mapping = {"UUID": MAPPING_UUID, "EventSourceArn": QUEUE, "FunctionArn": FUNCTION}
        mapping["State"] = "Disabled" if broken == "mapping" else "Enabled"
        self.stubs["lambda_"].add_response(
            "list_event_source_mappings", {"EventSourceMappings": [mapping]}, {"EventSourceArn": QUEUE}
        )
        if broken == "mapping":
            return
        self.queue_depth(DLQ, 1 if broken == "handler" else 0, redrive=False)
        self.metric("AWS/Lambda", "Errors", 3 if broken == "handler" else 0)
        self.metric("SesStack/Feedback", "Untrusted", 0)
        self.metric("SesStack/Feedback", "Failed", 0)


@pytest.fixture
def hops() -> Iterator[Hops]:
    created = Hops()
    for stub in created.stubs.values():
        stub.activate()
    yield created
    for stub in created.stubs.values():
        stub.assert_no_pending_responses()


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    with running_endpoint(FakeSes()) as server:
        yield server


def drill(
    endpoint: Endpoint, hops: Hops, ses: FakeSes, timeout: float = 120, call_timeout: float = 5
) -> tuple[DrillResult, Clock]:
    endpoint.answer_with(ses)
    client = boto3.client("sesv2", region_name=REGION, endpoint_url=endpoint.url, **OPTIONS)
    guarded = GuardedClient(client, "sesv2", call_timeout)
    clients = DrillClients(guarded, hops.sns, hops.sqs, hops.lambda_, hops.cloudwatch)
    clock = Clock()
    run = Drill(
        REGION,
        clients,
        "ses-preflight-drill@example.com",
        None,
        timeout_s=timeout,
        monotonic=lambda: clock.now,
        sleep=clock.sleep,
    )
    return run.run(), clock


def statuses(result: DrillResult) -> dict[str, str]:
    return {step.step: step.status for step in result.steps}


def step(result: DrillResult, name: str) -> Any:
    return next(s for s in result.steps if s.step == name)


def test_a_healthy_pipeline_passes_every_step_and_cleans_up(endpoint: Endpoint, hops: Hops) -> None:
    ses = FakeSes()
    result, clock = drill(endpoint, hops, ses)
    assert result.passed
    assert statuses(result) == dict.fromkeys(("send", "bounce", "complaint", "no_false_suppression", "cleanup"), "pass")
    assert ses.sent == [
        "success@simulator.amazonses.com",
        "ooto@simulator.amazonses.com",
        "bounce@simulator.amazonses.com",
        "complaint@simulator.amazonses.com",
    ]
    assert step(result, "send").evidence.startswith("from ses-preflight-drill@example.com through ses-default-set: ")
    assert "with reason BOUNCE at" in step(result, "bounce").evidence
    assert step(result, "cleanup").evidence == (
        "removed from the account suppression list: bounce@simulator.amazonses.com, complaint@simulator.amazonses.com"
    )
    assert ses.suppressed == {}  # repeated drills start clean
    assert clock.now == 3 + 2 * 10  # three sends at 1 a second (the sandbox rate), then two polls


def test_an_old_entry_does_not_pass_for_this_drills_proof(endpoint: Endpoint, hops: Hops) -> None:
    ses = FakeSes(healthy=False)
    ses.suppressed["bounce@simulator.amazonses.com"] = ("BOUNCE", 0.0)  # left by an earlier, interrupted drill
    for _ in range(2):
        hops.diagnosis("handler")
    result, _ = drill(endpoint, hops, ses, timeout=30)
    assert ses.deleted[0] == "bounce@simulator.amazonses.com"  # removed before sending
    assert statuses(result)["bounce"] == "fail"


HOPS = {
    "sns-published": "first hop without evidence: SES -> SNS: topic SesStack-eu-west-1-Feedback-E87617EA-events "
    "received nothing since the send",
    "subscription": "first hop without evidence: SNS -> SQS: topic SesStack-eu-west-1-Feedback-E87617EA-events got 2 "
    "messages, no confirmed queue subscription",
    "mapping": "first hop without evidence: SQS -> handler: queue SesStack-eu-west-1-FeedbackQueue holds 2 messages, "
    "its event source mapping is Disabled",
    "handler": "first hop without evidence: handler SesStack-eu-west-1-FeedbackHandler: 1 records in the dead-letter "
    "queue, 3 errors",
    "none": "no hop shows a fault yet: topic SesStack-eu-west-1-Feedback-E87617EA-events got 2 messages",
}


@pytest.mark.parametrize("broken", list(HOPS))
def test_a_broken_hop_is_named_with_its_fix(endpoint: Endpoint, hops: Hops, broken: str) -> None:
    for _ in ("bounce", "complaint"):
        hops.diagnosis(broken)
    result, clock = drill(endpoint, hops, FakeSes(healthy=False), timeout=60)
    assert not result.passed
    assert statuses(result) == {
        "send": "pass",
        "bounce": "fail",
        "complaint": "fail",
        "no_false_suppression": "pass",
        "cleanup": "pass",
    }
    bounce = step(result, "bounce")
    assert bounce.evidence.startswith("bounce@simulator.amazonses.com not suppressed within 60 s: " + HOPS[broken])
    assert bounce.fix
    assert clock.now <= 3 + 60  # the wait stops at the timeout


def test_no_event_destination_is_the_first_hop(endpoint: Endpoint, hops: Hops) -> None:
    result, _ = drill(endpoint, hops, FakeSes(healthy=False, destinations=False), timeout=20)
    assert step(result, "complaint").evidence.endswith(
        "first hop without evidence: SES -> SNS: configuration set ses-default-set has no enabled COMPLAINT event "
        "destination to an SNS topic"
    )


@pytest.mark.parametrize(
    ("ses", "evidence"),
    [
        (FakeSes(account_sending=False), "refused: sending is paused for the account in eu-west-1; nothing was sent"),
        (
            FakeSes(set_sending=False),
            "refused: sending is paused on configuration set ses-default-set (the reputation "
            "guard pauses it); nothing was sent",
        ),
        (FakeSes(verified=False), "refused: identity example.com is not verified for sending yet; nothing was sent"),
    ],
    ids=["account-paused", "set-paused", "not-verified"],
)
def test_paused_sending_or_an_unverified_identity_is_refused(
    endpoint: Endpoint, hops: Hops, ses: FakeSes, evidence: str
) -> None:
    result, _ = drill(endpoint, hops, ses)
    assert step(result, "send").evidence == evidence
    assert statuses(result) == {
        "send": "fail",
        "bounce": "skipped",
        "complaint": "skipped",
        "no_false_suppression": "skipped",
        "cleanup": "skipped",
    }
    assert ses.sent == []


def test_a_send_ses_rejects_stops_the_drill(endpoint: Endpoint, hops: Hops) -> None:
    result, _ = drill(endpoint, hops, FakeSes(send_error="MessageRejected"))
    assert step(result, "send").evidence.startswith(
        "SendEmail to success@simulator.amazonses.com failed: MessageRejected: Email address is not verified."
    )
    assert statuses(result)["bounce"] == "skipped"


def test_a_delivery_or_auto_reply_suppressed_is_a_failure_and_cleaned_up(endpoint: Endpoint, hops: Hops) -> None:
    ses = FakeSes(delay=0, suppress_wrongly=("ooto@simulator.amazonses.com",))
    result, _ = drill(endpoint, hops, ses)
    assert statuses(result)["no_false_suppression"] == "fail"
    assert step(result, "no_false_suppression").evidence == (
        "suppressed although delivered or auto-replied: ooto@simulator.amazonses.com (BOUNCE)"
    )
    assert "ooto@simulator.amazonses.com" in step(result, "cleanup").evidence
    assert ses.suppressed == {}


def test_the_cli_prints_every_step_and_exits_by_the_result(endpoint: Endpoint, hops: Hops, tmp_path: Path) -> None:
    endpoint.answer_with(FakeSes(delay=0, rate=1000))  # no real waiting: proofs at the first look, sends at once
    config = tmp_path / "cfg.json"
    config.write_text(json.dumps({"regions": [REGION], "domains": [{"name": "example.com"}]}))

    def aws(profile: str | None, timeout: float) -> Aws:
        def make(service: str, region: str) -> Any:
            if service == "sesv2":
                return boto3.client("sesv2", region_name=region, endpoint_url=endpoint.url, **OPTIONS)
            return getattr(hops, {"lambda": "lambda_"}.get(service, service))

        return Aws(profile, timeout, make_client=make)

    out = io.StringIO()
    assert cli.main(["drill", "--config", str(config), "--json"], out=out, aws=aws) == 0
    (region,) = json.loads(out.getvalue())
    assert region["region"] == REGION and region["passed"] is True
    assert [s["step"] for s in region["steps"]] == ["send", "bounce", "complaint", "no_false_suppression", "cleanup"]
    endpoint.answer_with(FakeSes(healthy=False, set_sending=False))
    text = io.StringIO()
    assert cli.main(["drill", "--config", str(config)], out=text, aws=aws) == 1
    assert text.getvalue().splitlines()[:3] == [
        "Drill in eu-west-1: FAILED",
        "  FAIL     send                  refused: sending is paused on configuration set ses-default-set (the "
        "reputation guard pauses it); nothing was sent",
        "           fix: find out why, then resume deliberately as docs/what-gets-created.md says (delete the pause "
        "marker, enable sending)",
    ]


def test_from_must_be_at_a_configured_domain(tmp_path: Path, capsys: Any) -> None:
    config = tmp_path / "cfg.json"
    config.write_text(json.dumps({"regions": [REGION], "domains": [{"name": "example.com"}]}))
    status = cli.main(
        ["drill", "--config", str(config), "--from", "me@example.org"],
        out=io.StringIO(),
        aws=lambda profile, timeout: Aws(profile, timeout, make_client=lambda s, r: None),
    )
    assert status == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "error: --from must be an address at a configured domain (example.com); got 'me@example.org'"
    )


# --- say only what happened -----------------------------------------------------------------------------------------
BOUNCE, COMPLAINT = "bounce@simulator.amazonses.com", "complaint@simulator.amazonses.com"


def test_an_error_after_sending_keeps_the_proofs_and_still_cleans_up(endpoint: Endpoint, hops: Hops) -> None:
    """The bounce is proven, then reading the list is denied: the proof stays, the drill says where it stopped,
    and both simulator entries the pipeline made are removed."""
    ses = FakeSes(delay=0, deny_lookups_after=1)
    result, _ = drill(endpoint, hops, ses)
    assert result.stopped and not result.passed
    assert statuses(result) == {"send": "pass", "bounce": "pass", "complaint": "error",
                                "no_false_suppression": "skipped", "cleanup": "pass"}  # fmt: skip
    assert step(result, "complaint").evidence.startswith("the drill stopped: An error occurred "
                                                         "(AccessDeniedException) when calling the "
                                                         "GetSuppressedDestination operation")  # fmt: skip
    assert ses.suppressed == {}  # bounce@ and complaint@ both removed
    assert sorted(ses.deleted) == [BOUNCE, COMPLAINT]


def test_a_partly_failed_send_proves_what_was_sent_and_cleans_it_up(endpoint: Endpoint, hops: Hops) -> None:
    ses = FakeSes(delay=0, fail_send_to=COMPLAINT)
    result, _ = drill(endpoint, hops, ses)
    assert statuses(result) == {"send": "fail", "bounce": "pass", "complaint": "skipped",
                                "no_false_suppression": "pass", "cleanup": "pass"}  # fmt: skip
    assert step(result, "send").evidence.startswith(f"SendEmail to {COMPLAINT} failed: MessageRejected")
    assert ses.suppressed == {}  # the bounce the pipeline suppressed is removed


def test_a_send_without_an_answer_is_never_sent_again(endpoint: Endpoint, hops: Hops) -> None:
    ses = FakeSes(delay=0, hang_send_to=BOUNCE)
    result, _ = drill(endpoint, hops, ses, call_timeout=1)
    assert ses.sent.count(BOUNCE) == 1 and len(ses.sent) == 3  # success@, ooto@, bounce@ once; complaint@ never
    assert "got no answer (it may have gone out; not sent again)" in step(result, "send").evidence
    assert statuses(result)["bounce"] == "pass"  # it had gone out: the pipeline proves it
    assert ses.suppressed == {}


def test_with_two_regions_the_first_regions_pass_is_shown_when_the_second_fails(
    hops: Hops, tmp_path: Path, capsys: Any
) -> None:
    config = tmp_path / "cfg.json"
    config.write_text(json.dumps({"regions": ["eu-west-1", "us-east-1"], "domains": [{"name": "example.com"}]}))
    fakes = {"eu-west-1": FakeSes(delay=0, rate=1000), "us-east-1": FakeSes(account_sending=True, verified=True)}
    with running_endpoint(fakes["eu-west-1"]) as first, running_endpoint(lambda m, p, b: Reply.json(
            {"message": "denied"}, 403, **{"x-amzn-ErrorType": "AccessDeniedException"})) as second:  # fmt: skip
        urls = {"eu-west-1": first.url, "us-east-1": second.url}

        def aws(profile: str | None, timeout: float) -> Aws:
            def client(service: str, region: str) -> Any:
                if service == "sesv2":
                    return boto3.client("sesv2", region_name=region, endpoint_url=urls[region], **OPTIONS)
                return getattr(hops, "lambda_" if service == "lambda" else service)

            return Aws(profile, timeout, make_client=client)

        out = io.StringIO()
        status = cli.main(["drill", "--config", str(config), "--json"], out=out, aws=aws)
    first_result, second_result = json.loads(out.getvalue())
    assert status == 2
    assert (first_result["region"], first_result["passed"]) == ("eu-west-1", True)
    assert second_result["region"] == "us-east-1" and second_result["steps"][0]["status"] == "error"
    assert "AccessDeniedException" in second_result["steps"][0]["evidence"]
    capsys.readouterr()
