"""A stand-in for SES's email validation and suppression list on loopback (reached with --endpoint-url): the
verdict follows the address (``bad...`` LOW, ``maybe...`` MEDIUM, else HIGH), with a latency and a rate limit
answered as SES answers them (``TooManyRequestsException``); used by the tests and ``bench/validate_list.py``."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tests.preflight.http_endpoint import Endpoint, Reply, running_endpoint

INSIGHTS_PATH = "/v2/email/email-address-insights/"
SUPPRESSION_PATH = "/v2/email/suppression/addresses"


def confidence(address: str) -> str:
    local = address.partition("@")[0].lower()
    return "LOW" if local.startswith("bad") else "MEDIUM" if local.startswith("maybe") else "HIGH"


def insight(address: str) -> dict[str, object]:
    verdict = confidence(address)
    low_if_bad = "LOW" if verdict == "LOW" else "HIGH"
    return {
        "MailboxValidation": {
            "IsValid": {"ConfidenceVerdict": verdict},
            "Evaluations": {
                "HasValidSyntax": {"ConfidenceVerdict": "HIGH"},
                "HasValidDnsRecords": {"ConfidenceVerdict": "HIGH"},
                "MailboxExists": {"ConfidenceVerdict": low_if_bad},
                "IsRoleAddress": {"ConfidenceVerdict": "HIGH" if address.startswith("info@") else "LOW"},
                "IsDisposable": {"ConfidenceVerdict": "LOW"},
                "IsRandomInput": {"ConfidenceVerdict": "LOW"},
            },
        }
    }


def _error(status: int, code: str, message: str) -> Reply:
    return Reply(status, json.dumps({"message": message}).encode(), {"Content-Type": "application/json",
                                                                    "x-amzn-ErrorType": code})  # fmt: skip


@dataclass
class StandIn:
    latency_s: float = 0.0
    rate: float | None = None
    """Calls per second answered before ``TooManyRequestsException`` (a token bucket of one second)."""
    failing: set[str] = field(default_factory=set)
    """Addresses answered ``BadRequestException``."""
    throttle_first: dict[str, int] = field(default_factory=dict)
    """Address -> how many of its first calls are answered ``TooManyRequestsException``."""
    suppressed: dict[str, str] = field(default_factory=dict)
    insight_calls: list[str] = field(default_factory=list)
    throttled: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _tokens: float = 0.0
    _updated: float = field(default_factory=time.monotonic)

    def _allowed(self) -> bool:
        if self.rate is None:
            return True
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.rate, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            if self._tokens >= 1:
                self._tokens -= 1
                return True
            self.throttled += 1
            return False

    def answer(self, method: str, path: str, body: bytes) -> Reply:
        if self.latency_s:
            time.sleep(self.latency_s)
        if not self._allowed():
            return _error(429, "TooManyRequestsException", "Too many requests")
        if method == "POST" and path == INSIGHTS_PATH:
            address = json.loads(body)["EmailAddress"]
            with self._lock:
                self.insight_calls.append(address)
            with self._lock:
                throttle = self.throttle_first.get(address, 0)
                if throttle:
                    self.throttle_first[address] = throttle - 1
            if throttle:
                self.throttled += 1
                return _error(429, "TooManyRequestsException", "Too many requests")
            if address in self.failing:
                return _error(400, "BadRequestException", f"cannot evaluate {address}")
            return Reply.json(insight(address))
        if method == "GET" and path.startswith(SUPPRESSION_PATH + "/"):
            address = urllib.parse.unquote(path.rpartition("/")[2])
            with self._lock:
                throttle = self.throttle_first.get(address, 0)
                if throttle:
                    self.throttle_first[address] = throttle - 1
            if throttle:
                return _error(429, "TooManyRequestsException", "Too many requests")
            if address not in self.suppressed:
                return _error(404, "NotFoundException", f"{address} is not on the suppression list")
            return Reply.json({"SuppressedDestination": {"EmailAddress": address, "Reason": self.suppressed[address],
                                                         "LastUpdateTime": 1.7e9}})  # fmt: skip
        if method == "PUT" and path == SUPPRESSION_PATH:
            request = json.loads(body)
            with self._lock:
                self.suppressed[request["EmailAddress"]] = request["Reason"]
            return Reply.json({})
        return _error(400, "BadRequestException", f"the stand-in does not serve {method} {path}")


@contextmanager
def running_standin(standin: StandIn) -> Iterator[Endpoint]:
    with running_endpoint(standin.answer) as endpoint:
        yield endpoint
