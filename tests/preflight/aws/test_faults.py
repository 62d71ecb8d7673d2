"""ses-preflight under faults: whatever the endpoint answers (or not), exit 2 with one line naming the service and
the call, in bounded time; Regions chosen as the AWS CLI chooses them."""

from __future__ import annotations

import io
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ses_stack.preflight import cli
from ses_stack.preflight.aws.clients import Aws
from ses_stack.validation import SES_REGIONS
from tests.preflight.conftest import CONFIG, good_account
from tests.preflight.http_endpoint import Endpoint, Reply, running_endpoint


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Credentials and a Region from the environment, no shared config files, no proxy."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")


def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], float]:
    started = time.monotonic()
    status = cli.main(list(argv), out=io.StringIO())
    elapsed = time.monotonic() - started
    errors = [line for line in capsys.readouterr().err.splitlines() if not line.startswith(("[", "hint: "))]
    return status, errors, elapsed


@pytest.fixture
def endpoint(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Endpoint]:
    with running_endpoint(lambda method, path, body: Reply()) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
        yield server


GARBAGE = {
    "not-utf8": (Reply(200, b'{"SendingEnabled": true, "EnforcementStatus": "HEALTHY\xff"}'), "not JSON"),
    "html-page": (Reply(200, b"<html><body>502 Bad Gateway</body></html>", {"Content-Type": "text/html"}), "not JSON"),
    "wrong-shape": (Reply.json({"SendQuota": "plenty", "SuppressionAttributes": [1, 2]}), "could not be read"),
    "wrong-types": (Reply.json({"EnforcementStatus": 5, "ProductionAccessEnabled": True}), "documented shape"),
    "truncated-json": (Reply(200, b'{"SendingEnabled": tr'), "not JSON"),
}


@pytest.mark.parametrize("case", list(GARBAGE))
def test_garbage_from_ses_is_one_line_and_exit_2(endpoint: Endpoint, case: str, capsys: Any) -> None:
    reply, why = GARBAGE[case]
    endpoint.answer_with(lambda method, path, body: reply)
    status, errors, _ = run("status", "--regions", "eu-west-1", capsys=capsys)
    assert status == 2
    (line,) = errors
    assert line.startswith("error: AWS sesv2 GetAccount: ") and why in line, line


def _ses_then_sns(sns_reply: Reply) -> Any:
    """SESv2 answers as a good account (JSON, REST paths); SNS (query protocol, POST /) answers ``sns_reply``."""
    responses = good_account()

    def answer(method: str, path: str, body: bytes) -> Reply:
        if path.startswith("/v2/email/identities/"):
            return Reply.json(responses["get_email_identity"])
        if path == "/v2/email/account":
            return Reply.json(responses["get_account"])
        if path.endswith("/event-destinations"):
            return Reply.json(responses["get_configuration_set_event_destinations"])
        return sns_reply

    return answer


def test_an_sns_answer_that_is_not_xml_is_one_line_and_exit_2(
    endpoint: Endpoint, capsys: Any, tmp_path: Path, serve_zone: Any
) -> None:
    endpoint.answer_with(_ses_then_sns(Reply(200, b"this is not xml", {"Content-Type": "text/xml"})))
    config = tmp_path / "cfg.json"
    config.write_text(json.dumps(CONFIG))
    nameserver = serve_zone([])
    status, errors, _ = run("check", "--config", str(config), "--nameserver", nameserver, capsys=capsys)
    assert status == 2, errors
    assert len(errors) == 1, errors
    (line,) = errors
    assert line.startswith(
        "error: AWS sns ListSubscriptionsByTopic: the response could not be read (ResponseParserError"
    )


def test_a_hung_endpoint_fails_in_seconds(endpoint: Endpoint, capsys: Any) -> None:
    endpoint.answer_with(lambda method, path, body: Reply(hang_s=10))
    status, errors, elapsed = run("--timeout", "0.5", "status", "--regions", "eu-west-1", capsys=capsys)
    assert status == 2
    (line,) = errors
    assert line.startswith("error: AWS sesv2 GetAccount: no complete answer from ")
    assert "after 2 attempts of 0.5 s" in line and "raise --timeout" in line
    assert elapsed < 4  # two attempts of 0.5 s, and start-up
    assert len(endpoint.requests) == 2


def test_a_closed_port_fails_at_once(aws_env: None, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    status, errors, elapsed = run("status", "--regions", "eu-west-1", capsys=capsys)
    assert status == 2
    (line,) = errors
    assert line.startswith("error: AWS sesv2 GetAccount: no connection from ") and "after 2 attempts" in line
    assert elapsed < 5


def test_throttling_is_retried_then_reported_as_the_service_said(endpoint: Endpoint, capsys: Any) -> None:
    endpoint.answer_with(
        lambda method, path, body: Reply.json(
            {"message": "Rate exceeded"}, 429, **{"x-amzn-ErrorType": "TooManyRequestsException"}
        )
    )
    status, errors, _ = run("status", "--regions", "eu-west-1", capsys=capsys)
    assert status == 2
    (line,) = errors
    assert line.startswith("error: AWS: An error occurred (TooManyRequestsException) when calling the GetAccount")
    assert len(endpoint.requests) == 4  # one call and three retries


def test_a_throttled_call_that_recovers_succeeds(endpoint: Endpoint, capsys: Any) -> None:
    def answer(method: str, path: str, body: bytes) -> Reply:
        if len(endpoint.requests) < 3:
            return Reply.json({"message": "slow down"}, 429, **{"x-amzn-ErrorType": "TooManyRequestsException"})
        return Reply.json(good_account()["get_account"])

    endpoint.answer_with(answer)
    status, errors, _ = run("status", "--regions", "eu-west-1", capsys=capsys)
    assert (status, errors) == (1, [])  # answered: a sandboxed account is "not ready"


@pytest.mark.parametrize("value", ["not a url", "http://", "://x"])
def test_an_invalid_endpoint_url_is_a_usage_error(aws_env: None, monkeypatch: Any, capsys: Any, value: str) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", value)
    status, errors, _ = run("status", "--regions", "eu-west-1", capsys=capsys)
    assert status == 2
    (line,) = errors
    assert line.startswith("error: cannot create the sesv2 client: ") and "endpoint URL " in line


def test_missing_credentials_name_the_call(aws_env: None, monkeypatch: Any, capsys: Any, endpoint: Endpoint) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    status, errors, _ = run("status", "--regions", "eu-west-1", capsys=capsys)
    assert (status, errors) == (2, ["error: AWS sesv2 GetAccount: Unable to locate credentials"])


@pytest.mark.parametrize("value", ["0", "-1", "abc", "301"])
def test_timeout_must_be_sensible(value: str, capsys: Any) -> None:
    assert cli.main(["--timeout", value, "status"]) == 2
    assert "--timeout" in capsys.readouterr().err


def test_an_unexpected_error_is_one_line(aws_env: None, monkeypatch: Any, capsys: Any) -> None:
    def broken(profile: str | None, timeout: float) -> Aws:
        raise KeyError("surprise")

    status = cli.main(["status", "--regions", "eu-west-1"], out=io.StringIO(), aws=broken)
    assert status == 2
    line, hint = capsys.readouterr().err.splitlines()
    assert line.startswith("error: unexpected KeyError: 'surprise' (a bug: please report it")
    assert hint == "hint: --debug shows where it happened"


# --- Regions as the AWS CLI chooses them --------------------------------------------------------------------------


def test_aws_region_wins_over_aws_default_region(aws_env: None, monkeypatch: Any) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    assert Aws(None).default_region() == "us-west-2"
    monkeypatch.delenv("AWS_REGION")
    assert Aws(None).default_region() == "eu-west-1"


def test_the_profile_region_is_used_last(aws_env: None, monkeypatch: Any, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_text("[profile mail]\nregion = ap-south-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    assert Aws("mail").default_region() == "ap-south-1"
    monkeypatch.setenv("AWS_REGION", "eu-central-1")
    assert Aws("mail").default_region() == "eu-central-1"


def test_status_without_regions_asks_the_aws_region(endpoint: Endpoint, monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.setenv("AWS_REGION", "ap-southeast-2")
    endpoint.answer_with(lambda method, path, body: Reply.json(good_account()["get_account"]))
    out = io.StringIO()
    assert cli.main(["status", "--json"], out=out) == 1
    assert [row["region"] for row in json.loads(out.getvalue())] == ["ap-southeast-2"]


@pytest.mark.parametrize("source", ["argument", "environment"])
def test_a_region_ses_does_not_serve_is_refused_with_the_list(
    aws_env: None, monkeypatch: Any, capsys: Any, source: str
) -> None:
    if source == "environment":
        monkeypatch.setenv("AWS_REGION", "xx-nowhere-1")
        argv = ["status"]
    else:
        argv = ["status", "--regions", "eu-west-1,xx-nowhere-1"]
    status, errors, _ = run(*argv, capsys=capsys)
    assert status == 2
    (line,) = errors
    assert line == f"error: 'xx-nowhere-1' is not a Region where Amazon SES is available ({', '.join(SES_REGIONS)})"


def test_no_region_at_all_is_a_usage_error(aws_env: None, capsys: Any) -> None:
    status, errors, _ = run("status", capsys=capsys)
    assert (status, errors) == (
        2,
        ["error: no Region: pass --region or --config, or set AWS_REGION (or a profile's region)"],
    )


def test_an_answer_dripping_inside_every_read_timeout_is_cut_at_the_timeout(endpoint: Endpoint, capsys: Any) -> None:
    """One byte every 0.5 s never trips a 2 s read timeout; the whole answer would take 40 s per call."""
    answer = json.dumps(good_account()["get_account"]).encode()[:80]
    endpoint.answer_with(lambda method, path, body: Reply(200, answer, drip_s=0.5))
    status, errors, elapsed = run("--timeout", "2", "status", "--regions", "eu-west-1", capsys=capsys)
    assert status == 2
    (line,) = errors
    assert line.startswith(f"error: AWS sesv2 GetAccount: no complete answer from {endpoint.url} after 2 attempts "
                           "of 2 s"), line  # fmt: skip
    assert elapsed < 8  # two attempts of 2 s, and start-up (it was unbounded: 80 s here)


def _access_config(tmp_path: Path, regions: list[str]) -> str:
    path = tmp_path / "cfg.json"
    path.write_text(json.dumps({**CONFIG, "regions": regions}))
    return str(path)


def test_a_submission_whose_answer_is_lost_is_never_resent_and_read_back(
    endpoint: Endpoint, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PutAccountDetails arrives but its answer never does: one attempt only, then the account is read again and
    the request reported as sent (it is under review with these details)."""
    monkeypatch.chdir(tmp_path)
    sent: list[bytes] = []

    def answer(method: str, path: str, body: bytes) -> Reply:
        if path == "/v2/email/account/details":
            sent.append(body)
            return Reply(hang_s=3)
        details = json.loads(sent[0]) if sent else {}
        review = {"ReviewDetails": {"Status": "PENDING", "CaseId": "1234"}} if sent else {}
        return Reply.json({**good_account()["get_account"], "ProductionAccessEnabled": False,
                           "Details": {**{k: v for k, v in details.items() if k in ("MailType", "WebsiteURL")},
                                       **review}})  # fmt: skip

    endpoint.answer_with(answer)
    status = cli.main(["--timeout", "1", "request-access", "--config", _access_config(tmp_path, ["eu-west-1"]),
                       "--submit", "--offline", "--force", "--json"], out=(out := io.StringIO()))  # fmt: skip
    (outcome,) = json.loads(out.getvalue())
    assert (status, outcome["submitted"], len(sent)) == (0, True, 1)
    assert outcome["message"].startswith("eu-west-1: production access requested: its answer was lost (AWS sesv2 "
                                         "PutAccountDetails: no complete answer from ")  # fmt: skip
    assert "the account shows a request with these details under review (case 1234)" in outcome["message"]
    capsys.readouterr()


def test_every_regions_outcome_is_reported_when_a_later_one_fails(
    endpoint: Endpoint, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    puts: list[int] = []

    def answer(method: str, path: str, body: bytes) -> Reply:
        if path == "/v2/email/account/details":
            puts.append(1)
            if len(puts) == 1:
                return Reply.json({})
            return Reply.json({"message": "not allowed"}, 403, **{"x-amzn-ErrorType": "AccessDeniedException"})
        return Reply.json({**good_account()["get_account"], "ProductionAccessEnabled": False})

    endpoint.answer_with(answer)
    status = cli.main(["request-access", "--config", _access_config(tmp_path, ["eu-west-1", "us-east-1"]),
                       "--submit", "--offline", "--force"], out=(out := io.StringIO()))  # fmt: skip
    first, second = out.getvalue().splitlines()
    assert status == 2
    assert first.startswith("eu-west-1: production access requested; AWS answers within about 24 hours")
    assert second.startswith("us-east-1: error: An error occurred (AccessDeniedException)")
    capsys.readouterr()


def test_a_connection_closed_before_the_answer_is_tried_again(endpoint: Endpoint, capsys: Any) -> None:
    answers = iter([Reply(close=True), Reply.json(good_account()["get_account"])])
    endpoint.answer_with(lambda method, path, body: next(answers))
    status, errors, _ = run("status", "--region", "eu-west-1", capsys=capsys)
    assert (status, errors) == (1, [])  # answered: a sandboxed account is "not ready"
    assert len(endpoint.requests) == 2


def test_a_call_that_acts_is_not_sent_again_after_a_closed_connection(endpoint: Endpoint, capsys: Any) -> None:
    aws = Aws(None, 2.0)
    ses = aws.client("sesv2", "eu-west-1")
    endpoint.answer_with(lambda method, path, body: Reply(close=True))
    with pytest.raises(Exception, match="PutSuppressedDestination: no complete answer") as raised:
        ses.put_suppressed_destination(EmailAddress="a@example.com", Reason="BOUNCE")
    assert type(raised.value).__name__ == "AwsCallError"
    assert len(endpoint.requests) == 1  # it may have arrived: never resent blindly
