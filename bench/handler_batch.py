"""The feedback handler against its timeout: a full batch (10 records x 50 recipients) with every SES call taking
60 ms, then the same batch with every call throttled. Real time, a Lambda context counting down from the
function's timeout, the handler's own retry and deadline logic.

Run by hand: .venv/bin/python bench/handler_batch.py [latency_ms]. Prints a table; asserts nothing.
"""

from __future__ import annotations

import io
import json
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ses_stack.feedback.pipeline import HANDLER_TIMEOUT
from ses_stack.feedback.runtime import handler
from ses_stack.feedback.runtime.messages import Trust

ACCOUNT = "123456789012"
RECORDS, RECIPIENTS = 10, 50


def batch() -> dict[str, Any]:
    def record(index: int) -> dict[str, Any]:
        message = {
            "notificationType": "Bounce",
            "bounce": {
                "bounceType": "Permanent",
                "bounceSubType": "General",
                "bouncedRecipients": [{"emailAddress": f"r{index}-{n}@example.org"} for n in range(RECIPIENTS)],
            },
            "mail": {"sendingAccountId": ACCOUNT},
        }
        return {"messageId": f"m{index}", "body": json.dumps(message)}

    return {"Records": [record(i) for i in range(RECORDS)]}


def call(latency_s: float, throttled: bool) -> Any:
    def suppress(address: str, reason: str) -> None:
        time.sleep(latency_s)
        if throttled:
            raise ClientError(
                {"Error": {"Code": "TooManyRequestsException"}, "ResponseMetadata": {"HTTPStatusCode": 429}},
                "PutSuppressedDestination",
            )

    return suppress


def run(latency_s: float, throttled: bool, timeout_s: float) -> tuple[float, dict[str, Any], dict[str, Any]]:
    started = time.monotonic()
    budget = handler.Budget(lambda: int((timeout_s - (time.monotonic() - started)) * 1000))
    metrics = io.StringIO()
    with redirect_stdout(metrics):
        result = handler.handle(batch(), call(latency_s, throttled), trust=Trust(ACCOUNT), budget=budget)
    return time.monotonic() - started, result, json.loads(metrics.getvalue())


def main() -> None:
    latency_s = (float(sys.argv[1]) if len(sys.argv) > 1 else 60.0) / 1000
    timeout_s = HANDLER_TIMEOUT.to_seconds()
    print(f"{RECORDS} records x {RECIPIENTS} recipients, {latency_s * 1000:.0f} ms per SES call, "
          f"{handler.DEFAULT_PARALLEL_CALLS} calls at once, function timeout {timeout_s:.0f} s")  # fmt: skip
    print(
        f"{'scenario':<22}{'wall s':>8}{'% of timeout':>14}{'suppressed':>12}{'failed records':>16}{'out of time':>13}"
    )
    for name, throttled in (("every call succeeds", False), ("every call throttled", True)):
        wall, result, metrics = run(latency_s, throttled, timeout_s)
        print(
            f"{name:<22}{wall:>8.2f}{wall / timeout_s:>14.0%}{metrics['Suppressed']:>12}"
            f"{len(result['batchItemFailures']):>16}{metrics['OutOfTime']:>13}"
        )


if __name__ == "__main__":
    main()
