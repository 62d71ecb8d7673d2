"""A client-side request rate, shared by the threads that call one AWS API in one Region.

AWS publishes no request rate for SES's management API (GetEmailIdentity and the like) and returns no rate-limit
headers, so ``ses-preflight`` paces itself: a token bucket of ``burst`` calls, refilled at ``rate`` per second.
Throttling that still happens is retried by the guarded client (``aws.GuardedClient``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ses_stack.preflight.defaults import DEFAULT_API_RATE as DEFAULT_RATE

__all__ = ["DEFAULT_RATE", "Pacer"]


class Pacer:
    """Blocks each caller until its call fits ``rate`` per second after a first ``burst``; thread-safe."""

    def __init__(
        self,
        rate: float,
        *,
        burst: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not rate > 0:
            raise ValueError(f"the rate must be above 0 calls per second; got {rate!r}")
        self.rate = rate
        self.burst = max(1, int(burst if burst is not None else rate))
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(self.burst)
        self._updated = clock()

    def wait(self) -> float:
        """Take one call's slot, sleeping until it comes; returns the seconds slept."""
        with self._lock:
            now = self._clock()
            self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            self._tokens -= 1.0  # may go negative: later callers queue behind this one
            delay = 0.0 if self._tokens >= 0 else -self._tokens / self.rate
        if delay > 0:
            self._sleep(delay)
        return delay
