"""SQS-triggered Lambda: puts permanently bounced and complaining recipients on the SES account suppression list.

Ships alone (standard library and the boto3 of the Lambda runtime): no aws_cdk, no ses_stack imports. What a
message means is decided in ``messages``; this module runs a batch within the function's time:

- every record settles alone: unreadable, malformed or forged records never fail their neighbours;
- addresses are suppressed concurrently (``MAX_PARALLEL_CALLS``), each call retried on throttling and server errors
  with jittered backoff, but a call is only started while the Lambda context has time for it to finish;
- records whose addresses are not all suppressed (failure, or the deadline) are returned in ``batchItemFailures``,
  so SQS retries exactly those and, after ``maxReceiveCount`` receives, moves them to the dead-letter queue.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

if __package__:  # imported as ses_stack.feedback.runtime.handler (tests, benchmarks)
    from .deadline import DeadlineExceededError, within
    from .messages import COMPLAINT, Decision, MalformedRecordError, Trust, decide, ignore, ses_message
else:  # pragma: no cover - in Lambda the code folder is the import root
    from deadline import DeadlineExceededError, within  # type: ignore[import-not-found,no-redef]
    from messages import COMPLAINT, Decision, MalformedRecordError, Trust, decide, ignore, ses_message  # type: ignore[import-not-found,no-redef]  # fmt: skip

METRICS_NAMESPACE = os.environ.get("METRICS_NAMESPACE", "SesStack/Feedback")
CONNECT_TIMEOUT_S, READ_TIMEOUT_S = 2, 4
# botocore makes one attempt per call: the handler retries itself, so it can stop before the Lambda deadline.
SES_CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 1},
    connect_timeout=CONNECT_TIMEOUT_S,
    read_timeout=READ_TIMEOUT_S,
)
ATTEMPT_MS = (CONNECT_TIMEOUT_S + READ_TIMEOUT_S + 1) * 1000
"""Time one call may take (connect and read timeouts, and a second): no call starts without it, and each is cut
off after it, last byte included."""
RETURN_MS = 1000  # kept back to return the batch's failures before Lambda's timeout
MAX_ATTEMPTS = 4
BACKOFF_BASE_S, BACKOFF_CAP_S = 0.1, 2.0
DEFAULT_PARALLEL_CALLS = 4
_RETRYABLE = {"TooManyRequestsException", "ThrottlingException", "Throttling", "LimitExceededException"}
_INVALID_ADDRESS = "BadRequestException"  # SES refuses the address itself: retrying cannot help


@dataclass(frozen=True)
class Budget:
    """The time left in this invocation (``context.get_remaining_time_in_millis``)."""

    remaining_ms: Callable[[], int]

    def allows(self, wait_s: float = 0.0) -> bool:
        """Whether a call started after waiting ``wait_s`` still finishes in time."""
        return self.remaining_ms() - wait_s * 1000 > ATTEMPT_MS


UNLIMITED = Budget(lambda: 2**31)


@dataclass(frozen=True)
class Settled:
    """How one address ended: ``done``, ``invalid`` (SES refused the address), ``failed`` or ``out_of_time``."""

    outcome: str
    detail: str = ""


def settle(
    address: str,
    reason: str,
    suppress: Callable[[str, str], None],
    *,
    budget: Budget,
    sleep: Callable[[float], None] = time.sleep,
    jitter: Callable[[], float] = random.random,
) -> Settled:
    """Suppress one address: retried on throttling, server and connection errors, never past the budget."""
    last = ""
    for attempt in range(MAX_ATTEMPTS):
        delay = jitter() * min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**attempt) if attempt else 0.0
        if not budget.allows(delay):
            return Settled("out_of_time", last or "no time left to start the call")
        if delay:
            sleep(delay)
        try:  # the whole call within its share of the budget: an answer dripping in does not hold it
            seconds = min(ATTEMPT_MS, budget.remaining_ms() - RETURN_MS) / 1000
            within(seconds, lambda: suppress(address, reason), "PutSuppressedDestination")
            return Settled("done")
        except DeadlineExceededError as error:
            last = str(error)
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
            last = code or f"HTTP {status}"
            if code == _INVALID_ADDRESS:
                return Settled("invalid", last)
            if code not in _RETRYABLE and status < 500:
                return Settled("failed", last)
        except BotoCoreError as error:  # connection errors and timeouts
            last = type(error).__name__
        except Exception as error:  # a client bug must not take the batch down
            return Settled("failed", f"{type(error).__name__}: {str(error)[:200]}")
    return Settled("failed", last)


def address_hash(address: str) -> str:
    """A stable, non-reversible name for an address in logs: the first 16 hex digits of SHA-256 of its lower case."""
    return hashlib.sha256(address.lower().encode("utf-8")).hexdigest()[:16]


def shown_address(address: str, clear: bool) -> dict[str, str]:
    """How an address appears in logs: hashed and masked by default, in clear only when configured."""
    if clear:
        return {"address": address}
    return {"address": "***@" + address.rpartition("@")[2], "addressHash": address_hash(address)}


@dataclass
class Batch:
    """What happened to a batch, for the response, the logs and the metrics."""

    failed_records: list[str] = field(default_factory=list)
    suppressed: int = 0
    ignored: int = 0
    untrusted: int = 0
    invalid_recipients: int = 0
    out_of_time: int = 0
    # address (lower case) -> [reason, address as first seen, ids of the records that carry it]
    plan: dict[str, tuple[str, str, list[str]]] = field(default_factory=dict)

    def fail(self, record_id: str) -> None:
        if record_id not in self.failed_records:
            self.failed_records.append(record_id)

    def add(self, record_id: str, decision: Decision) -> None:
        for address in decision.addresses:
            reason, first_seen, record_ids = self.plan.get(address.lower(), (decision.reason or "", address, []))
            # A complaint outranks a bounce: a complainant must never be mailed again.
            reason = COMPLAINT if COMPLAINT in (reason, decision.reason) else reason
            self.plan[address.lower()] = (reason, first_seen, record_ids)
            record_ids.append(record_id)


def _log(level: int, message: str, **fields: Any) -> None:
    logging.getLogger("ses_feedback").log(level, json.dumps({"message": message, **fields}, default=str))


def _read(record: Mapping[str, Any], trust: Trust) -> Decision:
    message = ses_message(record.get("body"))
    return ignore("SNS control or SES validation message") if message is None else decide(message, trust)


def _decide_records(event: Any, trust: Trust, batch: Batch) -> None:
    records = event.get("Records") if isinstance(event, Mapping) else None
    for record in records if isinstance(records, list) else []:
        record_id = record.get("messageId") if isinstance(record, Mapping) else None
        if not isinstance(record_id, str) or not record_id:
            _log(logging.ERROR, "record without a messageId: cannot be reported, skipped")
            continue
        try:
            if not trust.account_id:  # a deployment fault: fail loudly (dead-letter alarm) rather than drop feedback
                raise MalformedRecordError("this function does not know its account (EXPECTED_ACCOUNT_ID unset)")
            decision = _read(record, trust)
        except MalformedRecordError as error:
            _log(logging.ERROR, "malformed record", messageId=record_id, error=str(error))
            batch.fail(record_id)
            continue
        except Exception as error:  # anything else about one record is that record's failure alone
            _log(logging.ERROR, "unreadable record", messageId=record_id, error=f"{type(error).__name__}")
            batch.fail(record_id)
            continue
        if decision.untrusted:
            batch.untrusted += 1
            _log(logging.WARNING, "not acted on", messageId=record_id, detail=decision.detail, why=decision.untrusted)
        elif decision.reason is None:
            batch.ignored += 1
            _log(logging.INFO, "ignored", messageId=record_id, detail=decision.detail)
        if decision.invalid:
            batch.invalid_recipients += len(decision.invalid)
            _log(logging.WARNING, "invalid recipients not suppressed", messageId=record_id, entries=decision.invalid)
        batch.add(record_id, decision)


def handle(
    event: Any,
    suppress: Callable[[str, str], None],
    *,
    trust: Trust,
    budget: Budget = UNLIMITED,
    parallel: int = DEFAULT_PARALLEL_CALLS,
    clear_addresses: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Process an SQS batch; ``suppress(address, reason)`` makes one PutSuppressedDestination call. Never raises."""
    batch = Batch()
    _decide_records(event, trust, batch)
    work = list(batch.plan.values())
    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        results = list(pool.map(lambda item: settle(item[1], item[0], suppress, budget=budget, sleep=sleep), work))
    for (reason, address, record_ids), result in zip(work, results, strict=True):
        shown = shown_address(address, clear_addresses)
        if result.outcome == "done":
            batch.suppressed += 1
            _log(logging.INFO, "suppressed", reason=reason, messageIds=record_ids, **shown)
        elif result.outcome == "invalid":
            batch.invalid_recipients += 1
            _log(logging.WARNING, "address refused by SES", reason=reason, error=result.detail, **shown)
        else:
            batch.out_of_time += result.outcome == "out_of_time"
            _log(logging.ERROR, "suppression failed", reason=reason, error=result.detail, outcome=result.outcome,
                 messageIds=record_ids, **shown)  # fmt: skip
            for record_id in record_ids:
                batch.fail(record_id)
    _emit_metrics(batch)
    return {"batchItemFailures": [{"itemIdentifier": r} for r in batch.failed_records]}


def _emit_metrics(batch: Batch) -> None:
    """One CloudWatch Embedded Metric Format document per batch (logged; CloudWatch extracts the metrics)."""
    names = {
        "Suppressed": batch.suppressed,
        "Ignored": batch.ignored,
        "Failed": len(batch.failed_records),
        "Untrusted": batch.untrusted,
        "InvalidRecipients": batch.invalid_recipients,
        "OutOfTime": batch.out_of_time,
    }
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


def trust_from(environ: Mapping[str, str], context: Any) -> Trust:
    """This function's account (``EXPECTED_ACCOUNT_ID``, else the account in the function's own ARN) and
    configuration set (``CONFIGURATION_SET_NAME``)."""
    account = environ.get("EXPECTED_ACCOUNT_ID", "")
    if not account:
        parts = str(getattr(context, "invoked_function_arn", "")).split(":")
        account = parts[4] if len(parts) > 4 else ""
    return Trust(account_id=account, configuration_set=environ.get("CONFIGURATION_SET_NAME") or None)


def _parallel_calls(environ: Mapping[str, str]) -> int:
    value = environ.get("MAX_PARALLEL_CALLS", "")
    return int(value) if value.isdigit() and 0 < int(value) <= 64 else DEFAULT_PARALLEL_CALLS


_client: Any = None


def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda entry point (SQS event source with ReportBatchItemFailures)."""
    global _client  # noqa: PLW0603 (one client per execution environment, created on first use)
    if _client is None:
        _client = boto3.client("sesv2", config=SES_CLIENT_CONFIG)
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    return handle(
        event,
        _suppress_with(_client),
        trust=trust_from(os.environ, context),
        budget=Budget(remaining) if callable(remaining) else UNLIMITED,
        parallel=_parallel_calls(os.environ),
        clear_addresses=os.environ.get("ADDRESS_LOGGING", "hashed") == "clear",
    )


def configure_logging(level: str = os.environ.get("LOG_LEVEL", "INFO")) -> None:
    logging.getLogger("ses_feedback").setLevel(level)


configure_logging()
