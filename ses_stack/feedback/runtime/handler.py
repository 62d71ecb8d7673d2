"""SQS-triggered Lambda: puts permanently bounced and complaining recipients on the SES account suppression list.

Ships alone (standard library and the boto3 of the Lambda runtime): no aws_cdk, no ses_stack imports.

Accepted message bodies, each as an SQS record body:
- configuration-set events (``eventType``) and identity notifications (``notificationType``);
- the SES JSON itself (SNS raw message delivery) or wrapped in an SNS ``Notification`` envelope.

Outcome per record: suppressed (Permanent bounces -> reason BOUNCE; complaints -> COMPLAINT), ignored (transient or
undetermined bounces, addresses SES already suppressed, not-spam feedback, other event types), or failed
(malformed body, or a suppression call that failed after botocore's retries, throttling included). Failed records
are returned in ``batchItemFailures``: SQS redelivers them, then moves them to the dead-letter queue.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

METRICS_NAMESPACE = os.environ.get("METRICS_NAMESPACE", "SesStack/Feedback")
# Standard retry mode retries throttling (TooManyRequestsException) and transient errors with backoff.
SES_CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=5, read_timeout=10)

BOUNCE = "BOUNCE"
COMPLAINT = "COMPLAINT"
_SNS_CONTROL_MESSAGES = ("SubscriptionConfirmation", "UnsubscribeConfirmation")


class MalformedRecordError(ValueError):
    """A record whose body is not an SES notification this handler can act on safely."""


@dataclass(frozen=True)
class Decision:
    """What to do with one SES message: suppress ``addresses`` for ``reason``, or ignore it (``reason`` None)."""

    reason: str | None
    addresses: tuple[str, ...]
    detail: str


@dataclass
class Outcome:
    suppressed: list[str] = field(default_factory=list)
    ignored: int = 0
    failed_records: list[str] = field(default_factory=list)


def _log(level: int, message: str, **fields: Any) -> None:
    logging.getLogger("ses_feedback").log(level, json.dumps({"message": message, **fields}, default=str))


def _object(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise MalformedRecordError(f"{what} is not a JSON object")
    return value


def _json_object(text: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(text, str):
        raise MalformedRecordError(f"{what} is not a string")
    try:
        return _object(json.loads(text), what)
    except json.JSONDecodeError as error:
        raise MalformedRecordError(f"{what} is not JSON: {error.msg}") from None


def ses_message(body: Any) -> Mapping[str, Any] | None:
    """The SES message carried by an SQS body (raw or in an SNS envelope); None for SNS control messages."""
    message = _json_object(body, "SQS body")
    if "TopicArn" in message and "Type" in message:  # an SNS envelope (raw message delivery off)
        if message["Type"] in _SNS_CONTROL_MESSAGES:
            return None
        if message["Type"] != "Notification":
            raise MalformedRecordError(f"unexpected SNS message type {message['Type']!r}")
        return _json_object(message.get("Message"), "SNS Message")
    return message


def _recipients(entries: Any, what: str) -> tuple[str, ...]:
    if not isinstance(entries, list) or not entries:
        raise MalformedRecordError(f"{what} is missing or empty")
    addresses = []
    for entry in entries:
        raw = _object(entry, f"an entry of {what}").get("emailAddress")
        address = parseaddr(raw)[1] if isinstance(raw, str) else ""
        if "@" not in address:
            raise MalformedRecordError(f"{what} has an entry without a valid emailAddress")
        addresses.append(address)
    return tuple(addresses)


def decide(message: Mapping[str, Any]) -> Decision:
    """Suppress or ignore one SES message. Raises MalformedRecordError when a bounce or complaint lacks its data."""
    kind = message.get("eventType", message.get("notificationType"))
    if not isinstance(kind, str):
        raise MalformedRecordError("neither eventType nor notificationType is present")
    if kind == "Bounce":
        bounce = _object(message.get("bounce"), "bounce")
        bounce_type, sub_type = bounce.get("bounceType"), bounce.get("bounceSubType")
        if not isinstance(bounce_type, str):
            raise MalformedRecordError("bounce.bounceType is missing")
        detail = f"{bounce_type}/{sub_type} bounce"
        if bounce_type != "Permanent":
            return Decision(None, (), f"{detail}: not permanent, not suppressed")
        if sub_type == "OnAccountSuppressionList":
            return Decision(None, (), f"{detail}: already on the account suppression list")
        return Decision(BOUNCE, _recipients(bounce.get("bouncedRecipients"), "bounce.bouncedRecipients"), detail)
    if kind == "Complaint":
        complaint = _object(message.get("complaint"), "complaint")
        feedback = complaint.get("complaintFeedbackType")
        if complaint.get("complaintSubType") == "OnAccountSuppressionList":
            return Decision(None, (), "complaint: already on the account suppression list")
        if feedback == "not-spam":
            return Decision(None, (), "not-spam feedback: the recipient wants the mail")
        recipients = _recipients(complaint.get("complainedRecipients"), "complaint.complainedRecipients")
        return Decision(COMPLAINT, recipients, f"complaint ({feedback or 'no feedback type'})")
    return Decision(None, (), f"{kind} event: nothing to suppress")


def handle(event: Mapping[str, Any], suppress: Callable[[str, str], None]) -> dict[str, Any]:
    """Process an SQS batch; ``suppress(address, reason)`` puts one address on the suppression list."""
    outcome = Outcome()
    # address (case-insensitive) -> [reason, address as first seen, ids of the records that carry it]
    plan: dict[str, tuple[str, str, list[str]]] = {}
    for record in event.get("Records") or []:
        record_id = str(record.get("messageId", ""))
        try:
            message = ses_message(record.get("body"))
            decision = decide(message) if message is not None else Decision(None, (), "SNS control message")
        except MalformedRecordError as error:
            _log(logging.ERROR, "malformed record", messageId=record_id, error=str(error))
            outcome.failed_records.append(record_id)
            continue
        if decision.reason is None:
            outcome.ignored += 1
            _log(logging.INFO, "ignored", messageId=record_id, detail=decision.detail)
            continue
        for address in decision.addresses:
            key = address.lower()
            reason, first_seen, record_ids = plan.get(key, (decision.reason, address, []))
            # A complaint outranks a bounce: a complainant must never be mailed again.
            plan[key] = (COMPLAINT if COMPLAINT in (reason, decision.reason) else reason, first_seen, record_ids)
            record_ids.append(record_id)
    for reason, address, record_ids in plan.values():
        try:
            suppress(address, reason)
        except (ClientError, BotoCoreError) as error:
            _log(logging.ERROR, "suppression failed", address=address, reason=reason, error=str(error))
            outcome.failed_records.extend(r for r in record_ids if r not in outcome.failed_records)
            continue
        outcome.suppressed.append(address)
        _log(logging.INFO, "suppressed", address=address, reason=reason, messageIds=record_ids)
    _emit_metrics(outcome)
    return {"batchItemFailures": [{"itemIdentifier": r} for r in outcome.failed_records]}


def _emit_metrics(outcome: Outcome) -> None:
    """One CloudWatch Embedded Metric Format document per batch (logged; CloudWatch extracts the metrics)."""
    names = {"Suppressed": len(outcome.suppressed), "Ignored": outcome.ignored, "Failed": len(outcome.failed_records)}
    document = {
        "_aws": {
            "Timestamp": int(time.time() * 1000),
            "CloudWatchMetrics": [
                {
                    "Namespace": METRICS_NAMESPACE,
                    "Dimensions": [[]],
                    "Metrics": [{"Name": name, "Unit": "Count"} for name in names],
                }
            ],
        },
        **names,
    }
    print(json.dumps(document))


def _suppress_with(client: Any) -> Callable[[str, str], None]:
    def suppress(address: str, reason: str) -> None:
        client.put_suppressed_destination(EmailAddress=address, Reason=reason)

    return suppress


_client: Any = None


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point (SQS event source with ReportBatchItemFailures)."""
    global _client  # noqa: PLW0603 (one client per execution environment, created on first use)
    if _client is None:
        _client = boto3.client("sesv2", config=SES_CLIENT_CONFIG)
    return handle(event, _suppress_with(_client))


def configure_logging(level: str = os.environ.get("LOG_LEVEL", "INFO")) -> None:
    logging.getLogger("ses_feedback").setLevel(level)


configure_logging()
