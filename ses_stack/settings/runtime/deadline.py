"""A deadline for one call, from its start to its last byte (standard library only; this file ships in each Lambda
code folder that needs it, identical: a test compares the copies).

botocore's and urllib's timeouts bound each socket read, not a call: an endpoint that drips its answer one byte
inside every read timeout holds a call for ever. ``within`` runs the call in a daemon thread and gives up when the
deadline passes; the abandoned thread ends with its socket, and never holds the process or the Lambda answer back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DeadlineExceededError(TimeoutError):
    """The call did not end in time (its thread was abandoned; an idempotent call may still complete)."""


def within(seconds: float, call: Callable[[], T], what: str = "the call") -> T:
    """``call()``'s result or exception, or ``DeadlineExceededError`` once ``seconds`` have passed."""
    if seconds <= 0:
        raise DeadlineExceededError(f"{what}: no time left to start it")
    outcome: list[tuple[bool, object]] = []
    done = threading.Event()

    def run() -> None:
        try:
            outcome.append((True, call()))
        except BaseException as error:
            outcome.append((False, error))
        done.set()

    threading.Thread(target=run, name=f"deadline:{what}"[:60], daemon=True).start()
    if not done.wait(seconds):
        raise DeadlineExceededError(f"{what}: no complete answer within {seconds:g} s")
    ok, value = outcome[0]
    if not ok:
        raise value  # type: ignore[misc]
    return value  # type: ignore[return-value]
