"""ses-preflight wait: identities that become verified after some polls, that fail, and that time out (botocore
Stubber answers each poll; a fake clock makes the waiting instant)."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ses_stack.config import parse_config
from ses_stack.preflight import cli
from ses_stack.preflight.aws.clients import Aws
from ses_stack.preflight.wait import Waiter
from tests.preflight.conftest import good_account

CONFIG: dict[str, Any] = {
    "regions": ["eu-west-1"],
    "domains": [{"name": "example.com", "hostedZoneId": "Z0123456789ABCDEFGHIJ"}, {"name": "example.org"}],
}


def identity(dkim: str = "SUCCESS", mail_from: str = "SUCCESS", verified: bool = True, **info: Any) -> dict[str, Any]:
    found = copy.deepcopy(good_account()["get_email_identity"])
    found["DkimAttributes"]["Status"] = dkim
    found["MailFromAttributes"]["MailFromDomainStatus"] = mail_from
    found["VerifiedForSendingStatus"] = verified
    if info:
        found["VerificationInfo"] = info
    return found


PENDING = identity("PENDING", "PENDING", verified=False)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def ses() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("sesv2", region_name="eu-west-1", aws_access_key_id="t", aws_secret_access_key="t")
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


def polls(stub: Stubber, *rounds: tuple[dict[str, Any] | None, dict[str, Any] | None]) -> None:
    """Queue the answers of each poll: (example.com, example.org); None for a domain no longer asked about."""
    for com, org in rounds:
        for name, answer in (("example.com", com), ("example.org", org)):
            if answer is not None:
                stub.add_response("get_email_identity", answer, {"EmailIdentity": name})


def wait(client: Any, timeout: float = 600, config: dict[str, Any] | None = None) -> tuple[bool, list[str], float]:
    clock, lines = Clock(), []
    waiter = Waiter(
        parse_config(config or CONFIG),
        ["eu-west-1"],
        lambda region: client,
        timeout,
        lines.append,
        clock=lambda: clock.now,
        sleep=clock.sleep,
    )
    return waiter.run(), lines, clock.now


def test_identities_that_become_verified_after_some_polls(ses: Any) -> None:
    client, stub = ses
    polls(stub, (PENDING, PENDING), (identity(), identity("SUCCESS", "PENDING")), (None, identity()))
    done, lines, waited = wait(client)
    assert done and waited == 30
    assert lines == [
        "waiting (0 s): [eu-west-1] example.com: not verified for sending, DKIM PENDING, MAIL FROM PENDING; "
        "[eu-west-1] example.org: not verified for sending, DKIM PENDING, MAIL FROM PENDING",
        "ready: [eu-west-1] example.com",
        "waiting (15 s): [eu-west-1] example.org: MAIL FROM PENDING",
        "ready: [eu-west-1] example.org",
    ]


def test_a_dkim_failure_stops_at_once_with_ses_reason_and_the_dns_fix(ses: Any) -> None:
    client, stub = ses
    polls(
        stub, (PENDING, PENDING), (identity("FAILED", "PENDING", verified=False, ErrorType="TYPE_NOT_FOUND"), PENDING)
    )
    done, lines, waited = wait(client)
    assert not done and waited == 15
    assert lines[-1] == (
        "failed: [eu-west-1] example.com: DKIM FAILED (SES: TYPE_NOT_FOUND): SES did not find the three DKIM CNAMEs "
        "<token>._domainkey.example.com; publish exactly the records `ses-preflight records --config FILE --region "
        "eu-west-1` lists, then verify the identity again"
    )


def test_a_mail_from_failure_names_the_record(ses: Any) -> None:
    client, stub = ses
    polls(stub, (identity(), identity("SUCCESS", "FAILED", ErrorType="HOST_NOT_FOUND")))
    done, lines, _ = wait(client)
    assert not done
    assert lines[-1] == (
        "failed: [eu-west-1] example.org: MAIL FROM FAILED (SES: HOST_NOT_FOUND): mail.example.org needs exactly one "
        "MX, 10 feedback-smtp.eu-west-1.amazonses.com, and one SPF TXT record (`ses-preflight records --config FILE "
        "--region eu-west-1`)"
    )


def test_a_missing_identity_fails_at_once(ses: Any) -> None:
    client, stub = ses
    stub.add_client_error("get_email_identity", "NotFoundException", http_status_code=404,
                          expected_params={"EmailIdentity": "example.com"})  # fmt: skip
    stub.add_response("get_email_identity", PENDING, {"EmailIdentity": "example.org"})
    done, lines, _ = wait(client)
    assert not done
    assert lines == ["failed: [eu-west-1] example.com: no such identity in eu-west-1: deploy the stack first"]


def test_temporary_failures_keep_waiting_until_the_timeout(ses: Any) -> None:
    client, stub = ses
    temporary = identity("TEMPORARY_FAILURE", "SUCCESS", verified=False, ErrorType="DNS_SERVER_ERROR")
    polls(stub, (temporary, identity()), (temporary, None), (temporary, None))
    done, lines, waited = wait(client, timeout=40)
    assert not done and waited == 30
    assert lines[-1] == (
        "timed out after 30 s: [eu-west-1] example.com: not verified for sending, DKIM TEMPORARY_FAILURE"
    )


def test_the_cli_exits_0_when_ready_and_1_otherwise(ses: Any, tmp_path: Path) -> None:
    client, stub = ses
    path = tmp_path / "cfg.json"
    path.write_text(json.dumps(CONFIG))
    build = lambda profile, timeout: Aws(profile, timeout, make_client=lambda service, region: client)  # noqa: E731
    polls(stub, (identity(), identity()))
    out = io.StringIO()
    assert cli.main(["wait", "--config", str(path)], out=out, aws=build) == 0
    assert out.getvalue().splitlines() == ["ready: [eu-west-1] example.com", "ready: [eu-west-1] example.org"]
    polls(stub, (PENDING, PENDING))
    assert cli.main(["wait", "--config", str(path), "--max-wait", "0"], out=io.StringIO(), aws=build) == 1
