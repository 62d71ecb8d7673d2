"""Each address to SES's ``GetEmailAddressInsights``, at most ``concurrency`` at once (the client paces the calls),
each verdict written as it arrives; and, when asked, the invalid ones put on the account suppression list."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from ses_stack.preflight.validate.verdicts import Insight, VerdictWriter, insight_of

PER_ADDRESS_ERRORS = frozenset({"BadRequestException", "NotFoundException", "TooManyRequestsException",
                                "LimitExceededException", "Throttling", "ThrottlingException"})  # fmt: skip
"""Errors about one address (or throttling left after the retries): it is left unchecked, to be retried by the next
run; any other error (access denied, an expired token) stops the run."""


THROTTLED = frozenset({"TooManyRequestsException", "LimitExceededException", "Throttling", "ThrottlingException"})
RETRY_PASSES = 2
"""Addresses still throttled after the client's retries are tried again after the rest, this many times, with a
quarter of the threads: a run over SES's rate slows down instead of leaving addresses behind."""


@dataclass
class Failures:
    by_address: list[tuple[str, str]] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)

    def add(self, email: str, error: ClientError) -> None:
        code = str(error.response.get("Error", {}).get("Code", ""))
        message = " ".join(str(error.response.get("Error", {}).get("Message", "")).split())[:160]
        self.by_address.append((email, f"{code}: {message}" if message else code))
        self.codes[email] = code

    def take_throttled(self) -> list[str]:
        """The addresses that failed on throttling, no longer counted as failures (they are tried again)."""
        again = [email for email, _ in self.by_address if self.codes.get(email) in THROTTLED]
        self.by_address = [f for f in self.by_address if f[0] not in again]
        return again


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _run_all(work: Callable[[str], Any], items: Sequence[str], concurrency: int,
             done: Callable[[int], None] | None) -> None:  # fmt: skip
    """``work`` on each item from ``concurrency`` threads that take the next item when free (no queue of futures:
    a million addresses cost a million calls, not a million futures waited on). The first error that is not about
    one item stops the threads after their current item and is raised; so is Ctrl-C, once every thread has written
    what it was doing."""
    pending, lock, stop = iter(items), threading.Lock(), threading.Event()
    errors: list[BaseException] = []
    finished = [0]

    def worker() -> None:
        while not stop.is_set():
            with lock:
                item = next(pending, None)
            if item is None:
                return
            try:
                work(item)
            except BaseException as error:  # handed to the main thread, which raises it
                errors.append(error)
                stop.set()
                return
            with lock:
                finished[0] += 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(max(1, min(concurrency, len(items))))]
    for thread in threads:
        thread.start()
    shown = -1
    try:
        while any(thread.is_alive() for thread in threads):
            alive = next(thread for thread in threads if thread.is_alive())
            alive.join(timeout=0.2)  # interruptible: Ctrl-C reaches the main thread here
            if done is not None and finished[0] != shown:
                shown = finished[0]
                done(shown)
    except KeyboardInterrupt:
        stop.set()
        for thread in threads:  # each ends its call in at most --timeout seconds a try, and records its answer
            thread.join()
        raise
    if done is not None and finished[0] != shown:
        done(finished[0])
    if errors:
        raise errors[0]


def validate_addresses(
    ses: Any,
    addresses: Sequence[str],
    writer: VerdictWriter,
    *,
    concurrency: int,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[list[Insight], Failures]:
    found: list[Insight] = []
    failures = Failures()

    def check(email: str) -> None:
        try:
            response = ses.get_email_address_insights(EmailAddress=email)
        except ClientError as error:
            if _code(error) not in PER_ADDRESS_ERRORS:
                raise
            failures.add(email, error)
            return
        insight = insight_of(email, response)
        writer.write(insight.row())
        found.append(insight)

    _run_with_retries(check, addresses, concurrency, failures, on_progress)
    return found, failures


def _run_with_retries(
    work: Callable[[str], Any],
    items: Sequence[str],
    concurrency: int,
    failures: Failures,
    done: Callable[[int], None] | None = None,
) -> None:
    """``_run_all``, then ``RETRY_PASSES`` more over what was still throttled, with a quarter of the threads."""
    _run_all(work, items, concurrency, done)
    for _ in range(RETRY_PASSES):
        again = failures.take_throttled()
        if not again:
            return
        _run_all(work, again, max(1, concurrency // 4), None)


@dataclass
class Suppressed:
    added: int = 0
    already: int = 0
    failures: Failures = field(default_factory=Failures)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, added: bool) -> None:
        with self._lock:
            if added:
                self.added += 1
            else:
                self.already += 1


def suppress_addresses(ses: Any, addresses: Sequence[str], *, concurrency: int) -> Suppressed:
    """Each address on the account suppression list with reason BOUNCE, unless it is there already (its reason,
    BOUNCE or COMPLAINT, and date are the account's: never overwritten)."""
    outcome = Suppressed()

    def suppress(email: str) -> None:
        try:
            ses.get_suppressed_destination(EmailAddress=email)
            outcome.count(added=False)
            return
        except ClientError as error:
            if _code(error) != "NotFoundException":
                if _code(error) not in PER_ADDRESS_ERRORS:
                    raise
                outcome.failures.add(email, error)
                return
        try:
            ses.put_suppressed_destination(EmailAddress=email, Reason="BOUNCE")
        except ClientError as error:
            if _code(error) not in PER_ADDRESS_ERRORS:
                raise
            outcome.failures.add(email, error)
            return
        outcome.count(added=True)

    _run_with_retries(suppress, addresses, concurrency, outcome.failures)
    return outcome
