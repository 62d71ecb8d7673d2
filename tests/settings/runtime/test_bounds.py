"""The settings functions' two bounds: each function serves only its own kind of resource (its role's permissions
never act on another kind's event), and it answers CloudFormation before its own timeout whatever its calls do."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace
from typing import Any

import pytest

from ses_stack.settings.runtime import handler as provider
from tests.preflight.http_endpoint import Reply, running_endpoint
from tests.settings.runtime.dns_world import STACK, World
from tests.settings.runtime.test_takeover import RECORDS, event

REPLICA_EVENT = {**event(), "ResourceType": "Custom::SesDkimReplica",
                 "ResourceProperties": {"EmailIdentity": "victim.example", "OriginRegion": "us-east-1"}}  # fmt: skip


def test_a_function_answers_failed_to_an_event_of_another_kind_without_any_call() -> None:
    world = World()
    answers: list[tuple[str, str]] = []
    provider.process(
        REPLICA_EVENT,
        world.clients,
        lambda _e, status, _p, _d, reason: answers.append((status, reason)),
        handlers=provider.own_handlers("Custom::SesRecordTakeover"),
    )
    assert answers == [("FAILED", "InvalidRequestError: unsupported resource type 'Custom::SesDkimReplica'")]
    assert not world.double.calls


def test_the_twin_its_own_kind_is_served() -> None:
    assert set(provider.own_handlers("Custom::SesRecordTakeover, Custom::SesDkimReplica")) == {
        "Custom::SesRecordTakeover", "Custom::SesDkimReplica"
    }  # fmt: skip
    assert provider.own_handlers("") == {}


def test_the_entry_point_answers_before_its_timeout_when_route53_drips(monkeypatch: pytest.MonkeyPatch) -> None:
    """Route53 answers one byte every 0.5 s (inside every read timeout); the function has 17 s left, keeps 15 to
    answer, and must send FAILED after about 2 s rather than let Lambda kill it unanswered."""
    answers: list[dict[str, Any]] = []

    def route53_or_cloudformation(method: str, path: str, body: bytes) -> Reply:
        if method == "PUT" and path.startswith("/presigned"):
            answers.append(json.loads(body))
            return Reply(200, b"")
        return Reply(200, b"<?xml version='1.0'?>" + b" " * 200, {"Content-Type": "text/xml"}, drip_s=0.5)

    with running_endpoint(route53_or_cloudformation) as endpoint:
        for name, value in {"AWS_ENDPOINT_URL": endpoint.url, "AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t",
                            "AWS_DEFAULT_REGION": "eu-west-1", "RESOURCE_TYPES": "Custom::SesRecordTakeover",
                            "NO_PROXY": "127.0.0.1"}.items():  # fmt: skip
            monkeypatch.setenv(name, value)
        request = event(records=RECORDS[:1]) | {"ResponseURL": f"{endpoint.url}/presigned?sig=x", "StackId": STACK}
        started = time.monotonic()
        provider.handler(request, SimpleNamespace(get_remaining_time_in_millis=lambda: 17_000))
        elapsed = time.monotonic() - started
    ((answer),) = answers
    assert answer["Status"] == "FAILED"
    assert answer["Reason"] == "DeadlineExceededError: the request: no complete answer within 2 s"
    assert elapsed < 6


@pytest.mark.parametrize("resource_type", ["Custom::SesRecordTakeover", "Custom::SesDkimReplica"])
def test_the_clean_up_delete_of_a_resource_from_an_earlier_version_succeeds_without_any_call(
    resource_type: str,
) -> None:
    """Upgrading gives the takeover and the DKIM replica their own functions (new resources); CloudFormation then
    deletes the old ones through the settings provider that served them: nothing to undo, and no FAILED."""
    world = World()
    answers: list[tuple[str, str]] = []
    old = {**event("Delete", PhysicalResourceId="ses-record-takeover:Z1:example.com"), "ResourceType": resource_type}
    served = provider.own_handlers("Custom::SesAccountSuppression,Custom::SesSendingPauseGuard")
    provider.process(old, world.clients, lambda _e, status, pid, _d, _r: answers.append((status, pid)), served)
    assert answers == [("SUCCESS", "ses-record-takeover:Z1:example.com")]
    assert not world.double.calls
