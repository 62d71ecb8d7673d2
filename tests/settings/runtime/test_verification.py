"""Custom::SesIdentityVerification: identities that become ready after some polls, fail, or are still pending
when the wait (or the function's own time) runs out (botocore Stubber answers each poll)."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ses_stack.settings.runtime import verification
from tests.preflight.conftest import TOKENS, good_account
from tests.preflight.http_endpoint import Reply, running_endpoint


def identity(dkim: str = "SUCCESS", mail_from: str = "SUCCESS", verified: bool = True) -> dict[str, Any]:
    found = copy.deepcopy(good_account()["get_email_identity"])
    found["DkimAttributes"]["Status"] = dkim
    found["MailFromAttributes"]["MailFromDomainStatus"] = mail_from
    found["VerifiedForSendingStatus"] = verified
    return found


def event(request_type: str = "Create", **properties: str) -> dict[str, Any]:
    return {
        "RequestType": request_type,
        "ResourceType": "Custom::SesIdentityVerification",
        "ResourceProperties": {
            "ServiceToken": "arn:f",
            "EmailIdentity": "example.com",
            "MailFromDomain": "mail.example.com",
            "RequireMailFrom": "true",
            "MaxWaitSeconds": "780",
            "Region": "eu-west-1",
            **properties,
        },
        "ResponseURL": "https://example.invalid/",
        "StackId": "arn:aws:cloudformation:eu-west-1:123456789012:stack/S/g",
        "RequestId": "r",
        "LogicalResourceId": "Verification",
    }


@pytest.fixture
def ses() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("sesv2", region_name="eu-west-1", aws_access_key_id="t", aws_secret_access_key="t")
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


def run(request: dict[str, Any], client: Any, remaining_ms: int = 900_000) -> tuple[str, dict[str, str], str, float]:
    slept: list[float] = []
    left = [remaining_ms]

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        left[0] -= int(seconds * 1000)

    clock = {"left": lambda: left[0]}

    answers: list[Any] = []
    verification.process(
        request,
        {"sesv2": client},
        lambda _e, status, pid, data, reason: answers.append((status, data, reason)),
        handlers={verification.VERIFICATION: lambda e, c: verification.wait_verified(e, c, clock["left"], sleep)},
    )
    ((status, data, reason),) = answers
    return status, data, reason, sum(slept)


def polls(stub: Stubber, *answers: dict[str, Any]) -> None:
    for answer in answers:
        stub.add_response("get_email_identity", answer, {"EmailIdentity": "example.com"})


def test_completes_once_dkim_and_mail_from_succeed(ses: Any) -> None:
    client, stub = ses
    polls(stub, identity("PENDING", "PENDING", False), identity("SUCCESS", "PENDING"), identity())
    status, data, _, waited = run(event(), client)
    assert (status, data, waited) == ("SUCCESS", {"Status": "verified"}, 30)


def test_mail_from_is_not_waited_for_when_the_identity_can_send_without_it(ses: Any) -> None:
    client, stub = ses
    polls(stub, identity("SUCCESS", "PENDING"))
    assert run(event(RequireMailFrom="false"), client)[:2] == ("SUCCESS", {"Status": "verified"})


def test_a_dkim_failure_fails_at_once_naming_the_records(ses: Any) -> None:
    client, stub = ses
    polls(stub, identity("FAILED", "PENDING", False))
    status, _, reason, waited = run(event(), client)
    assert (status, waited) == ("FAILED", 0)
    assert reason.startswith(
        "NotVerifiedError: example.com: not verified for sending, DKIM FAILED, MAIL FROM PENDING: "
        "SES gave up; fix these records, then verify again: "
    )
    for token in TOKENS:
        assert f"{token}._domainkey.example.com CNAME {token}.dkim.amazonses.com" in reason
    assert "mail.example.com MX 10 feedback-smtp.eu-west-1.amazonses.com" in reason


def test_the_wait_is_bounded_by_max_wait(ses: Any) -> None:
    client, stub = ses
    polls(stub, *[identity("PENDING", "PENDING", False)] * 3)
    status, _, reason, waited = run(event(MaxWaitSeconds="40"), client)
    assert (status, waited) == ("FAILED", 30)
    assert "still not verified for sending, DKIM PENDING, MAIL FROM PENDING after 30 s" in reason
    assert "Deploy again once `ses-preflight wait` says the identity is ready" in reason


def test_the_function_answers_before_its_own_timeout(ses: Any) -> None:
    client, stub = ses
    polls(stub, *[identity("PENDING", "PENDING", False)] * 2)
    status, _, _, waited = run(event(), client, remaining_ms=verification.ANSWER_MS + 40_000)
    assert (status, waited) == ("FAILED", 15)  # one poll (and its call) left time for a second look, not a third


def test_max_wait_cannot_exceed_13_minutes(ses: Any) -> None:
    client, stub = ses
    polls(stub, *[identity("PENDING", "PENDING", False)] * 53)  # every 15 s from 0 to 780 s
    status, _, _, waited = run(event(MaxWaitSeconds="99999"), client, remaining_ms=10**9)
    assert (status, waited) == ("FAILED", 780)


def test_delete_changes_nothing(ses: Any) -> None:
    client, _ = ses
    assert run(event("Delete", PhysicalResourceId="ses-identity-verification:example.com"), client)[0] == "SUCCESS"


def test_a_hung_get_email_identity_still_fails_in_time_naming_the_records() -> None:
    """SES answers one byte every 0.5 s (each read inside botocore's read timeout): the waiter gives up on the call
    when only the time kept to answer is left, and answers FAILED itself rather than leave CloudFormation waiting."""
    body = json.dumps(identity("PENDING", "PENDING", False)).encode()
    with running_endpoint(lambda method, path, data: Reply(200, body, drip_s=0.5)) as endpoint:
        client = boto3.client("sesv2", region_name="eu-west-1", endpoint_url=endpoint.url,
                              aws_access_key_id="t", aws_secret_access_key="t")  # fmt: skip
        started = time.monotonic()
        status, _, reason, waited = run(event(), client, remaining_ms=verification.ANSWER_MS + 1_500)
        elapsed = time.monotonic() - started
    assert (status, waited) == ("FAILED", 0)
    assert "GetEmailIdentity: no complete answer within 1.5 s" in reason
    assert "the three DKIM CNAMEs of example.com; mail.example.com MX 10 feedback-smtp.eu-west-1" in reason
    assert elapsed < 5  # the whole answer would take minutes
