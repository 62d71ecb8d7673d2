"""A bounce storm drained: an old list sent by mistake comes back as 100,000 SES feedback events (event publishing,
as the configuration set delivers them: 90% permanent bounces, 5% complaints, 5% transient bounces the handler
ignores), through the feedback handler's own code (``handle``: its thread pool, retries, backoff and deadline) and
a model of what surrounds it:

- the SQS event source: ``max_concurrency`` pollers, each invoking the handler with up to 10 records and the
  function's 30 s budget; records in ``batchItemFailures`` come back after the queue's visibility timeout, and
  move to the dead-letter queue after ``maxReceiveCount`` (5) receives;
- a stand-in SES: every PutSuppressedDestination takes ``latency`` (+-20%), and a token bucket of ``rate`` calls per
  second (one second of burst) answers the rest ``TooManyRequestsException`` (HTTP 429), as SES does.

AWS publishes no rate for PutSuppressedDestination (its quotas page names sending quotas only), so the rate is a
setting: the table shows the sizing rule at a few. Time is dilated (``--dilation``, default 7: 1 s of the model runs
in 1/7 s), so the figures are model seconds; the handler's own work (JSON, threads, logging) runs at this machine's
speed and so counts 7 times over in model time, about what it costs on the function's 256 MB (a seventh of a vCPU:
Lambda gives one vCPU per 1,769 MB). Cold starts and the 5 s batching window are left out (a storm fills every batch
at once).

Run by hand: .venv/bin/python bench/bounce_storm.py [--events N] [--rate R] [--latency-ms L] [--dilation K].
Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import heapq
import io
import itertools
import json
import logging
import random
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from botocore.exceptions import ClientError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ses_stack.feedback.pipeline import HANDLER_TIMEOUT, MAX_RECEIVE_COUNT
from ses_stack.feedback.runtime import handler
from ses_stack.feedback.runtime.messages import Trust
from tests.feedback.runtime.payloads import ACCOUNT, CONFIGURATION_SET, bounce, complaint

BATCH_SIZE = 10  # the pipeline's SqsEventSource batch_size
VISIBILITY_S = HANDLER_TIMEOUT.to_seconds() * 6  # the pipeline's queue
TIMEOUT_S = HANDLER_TIMEOUT.to_seconds()


class Clock:
    """Model time: real time since the start, times the dilation."""

    def __init__(self, dilation: float) -> None:
        self.dilation, self.started = dilation, time.monotonic()

    def now(self) -> float:
        return (time.monotonic() - self.started) * self.dilation

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds) / self.dilation)


@dataclass
class StandInSes:
    """PutSuppressedDestination with a latency and a token-bucket rate limit."""

    clock: Clock
    rate: float
    latency_s: float
    suppressed: set[str] = field(default_factory=set)
    calls: int = 0
    throttled: int = 0
    in_flight: int = 0
    peak_in_flight: int = 0
    _tokens: float = 0.0
    _filled_at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._tokens = self.rate  # one second of burst

    def suppress(self, address: str, reason: str) -> None:
        with self._lock:
            now = self.clock.now()
            self._tokens = min(self.rate, self._tokens + (now - self._filled_at) * self.rate)
            self._filled_at = now
            self.calls += 1
            allowed = self._tokens >= 1
            self._tokens -= 1 if allowed else 0
            self.throttled += not allowed
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            self.clock.sleep(self.latency_s * random.uniform(0.8, 1.2))
        finally:
            with self._lock:
                self.in_flight -= 1
        if not allowed:
            raise ClientError(
                {"Error": {"Code": "TooManyRequestsException", "Message": "Too Many Requests"},
                 "ResponseMetadata": {"HTTPStatusCode": 429}},
                "PutSuppressedDestination",
            )  # fmt: skip
        with self._lock:
            self.suppressed.add(address.lower())


@dataclass
class Message:
    id: str
    body: str
    addresses: tuple[str, ...]
    receives: int = 0


class Queue:
    """The feedback queue with its visibility timeout and dead-letter queue."""

    def __init__(self, clock: Clock, messages: list[Message]) -> None:
        self.clock, self.visible, self.delayed = clock, deque(messages), []  # type: list[tuple[float, int, Message]]
        self.in_flight, self.dead_letters, self.retried = 0, [], 0  # type: int, list[Message], int
        self._lock, self._order = threading.Lock(), itertools.count()

    def receive(self) -> list[Message]:
        with self._lock:
            now = self.clock.now()
            while self.delayed and self.delayed[0][0] <= now:
                self.visible.append(heapq.heappop(self.delayed)[2])
            batch = [self.visible.popleft() for _ in range(min(BATCH_SIZE, len(self.visible)))]
            for message in batch:
                message.receives += 1
            self.in_flight += len(batch)
            return batch

    def settle(self, batch: list[Message], failed: set[str]) -> None:
        with self._lock:
            self.in_flight -= len(batch)
            for message in batch:
                if message.id not in failed:
                    continue
                if message.receives >= MAX_RECEIVE_COUNT:
                    self.dead_letters.append(message)
                else:
                    self.retried += 1
                    heapq.heappush(self.delayed, (self.clock.now() + VISIBILITY_S, next(self._order), message))

    def drained(self) -> bool:
        with self._lock:
            return not (self.visible or self.delayed or self.in_flight)


def storm(count: int) -> tuple[list[Message], set[str]]:
    """The events, and the addresses that must end on the suppression list."""
    rng = random.Random(2026)
    messages, expected = [], set()
    for index in range(count):
        address = f"old-subscriber-{index:06d}@example.org"
        roll = rng.random()
        if roll < 0.05:
            event = complaint("eventType", recipients=(address,))
            expected.add(address)
        elif roll < 0.10:
            event = bounce("eventType", bounce_type="Transient", sub_type="MailboxFull", recipients=(address,))
        else:
            event = bounce("eventType", recipients=(address,))
            expected.add(address)
        messages.append(Message(f"m{index}", json.dumps(event), (address,)))
    return messages, expected


@dataclass
class Result:
    drain_s: float
    invocations: int
    invocation_s: float
    ses: StandInSes
    queue: Queue
    missing: int


def run(count: int, concurrency: int, parallel: int, *, rate: float, latency_s: float, dilation: float) -> Result:
    messages, expected = storm(count)
    clock = Clock(dilation)
    ses = StandInSes(clock, rate, latency_s)
    queue = Queue(clock, messages)
    trust = Trust(ACCOUNT, CONFIGURATION_SET)
    totals = {"invocations": 0, "seconds": 0.0}
    lock = threading.Lock()

    def poller() -> None:
        while not queue.drained():
            batch = queue.receive()
            if not batch:
                clock.sleep(1.0)  # the poller's next long poll
                continue
            started = clock.now()
            budget = handler.Budget(lambda at=started: int((TIMEOUT_S - (clock.now() - at)) * 1000))
            event = {"Records": [{"messageId": m.id, "body": m.body} for m in batch]}
            answer = handler.handle(event, ses.suppress, trust=trust, budget=budget, parallel=parallel,
                                    sleep=clock.sleep)  # fmt: skip
            queue.settle(batch, {f["itemIdentifier"] for f in answer["batchItemFailures"]})
            with lock:
                totals["invocations"] += 1
                totals["seconds"] += clock.now() - started

    pollers = [threading.Thread(target=poller, daemon=True) for _ in range(concurrency)]
    for thread in pollers:
        thread.start()
    for thread in pollers:
        thread.join()
    return Result(clock.now(), totals["invocations"], totals["seconds"], ses, queue, len(expected - ses.suppressed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rate", type=float, action="append", help="SES calls per second (repeatable)")
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--dilation", type=float, default=7.0)
    parser.add_argument("--sizes", default="2x4,4x4,8x16", help="max_concurrency x parallel_calls, ...")
    args = parser.parse_args()
    rates = args.rate or [100.0]
    sizes = [tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")]
    logging.getLogger("ses_feedback").setLevel(logging.CRITICAL)  # one line per address would dominate the run
    sys.stdout, report = io.StringIO(), sys.stdout  # the handler's metric documents
    latency_s = args.latency_ms / 1000
    print(f"{args.events:,} feedback events, SES latency {args.latency_ms:.0f} ms, batches of {BATCH_SIZE}, "
          f"visibility {VISIBILITY_S:.0f} s, dead-letter after {MAX_RECEIVE_COUNT} receives; model seconds "
          f"(dilation {args.dilation:g})", file=report)  # fmt: skip
    header = ("SES/s", "conc", "par", "in flight", "drain s", "events/s", "per inv/s", "throttled", "retried",
              "dead-letter", "missing")  # fmt: skip
    print(" ".join(f"{h:>10}" for h in header), file=report)
    for rate in rates:
        for concurrency, parallel in sizes:
            result = run(args.events, concurrency, parallel, rate=rate, latency_s=latency_s, dilation=args.dilation)
            sys.stdout.truncate(0)
            sys.stdout.seek(0)
            row = (
                f"{rate:g}", concurrency, parallel, result.ses.peak_in_flight, f"{result.drain_s:.0f}",
                f"{args.events / result.drain_s:.0f}", f"{args.events / result.invocation_s:.0f}",
                f"{result.ses.throttled / max(result.ses.calls, 1):.1%}", result.queue.retried,
                len(result.queue.dead_letters), result.missing,
            )  # fmt: skip
            print(" ".join(f"{v!s:>10}" for v in row), file=report, flush=True)
    quick = min(args.events, 20_000)
    instant = run(quick, 1, handler.DEFAULT_PARALLEL_CALLS, rate=1e9, latency_s=0.0, dilation=1.0)
    sys.stdout = report
    print(f"the handler's own work (SES answering at once, undilated): {quick / instant.invocation_s:.0f} events/s "
          "per invocation on this machine")  # fmt: skip
    print(
        "sizing rule: calls in flight (max_concurrency x parallel_calls) at most the SES rate x the call latency; "
        "then events/s = min(SES rate, in flight / latency)"
    )


if __name__ == "__main__":
    main()
