"""SESv2 over HTTP for the drill: the REST-JSON protocol as botocore writes and reads it, with an account, an
identity, a configuration set and a suppression list. When the pipeline is healthy, the bounce and complaint the
drill sends appear on the list a few look-ups after they were sent; when a hop is broken, they never do."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from tests.preflight.http_endpoint import Reply

SET = "ses-default-set"
TOPIC = "arn:aws:sns:eu-west-1:123456789012:SesStack-eu-west-1-Feedback-E87617EA-events"
FEEDBACK = {"bounce@simulator.amazonses.com": "BOUNCE", "complaint@simulator.amazonses.com": "COMPLAINT"}


def _error(status: int, code: str, message: str) -> Reply:
    return Reply.json({"message": message}, status, **{"x-amzn-ErrorType": code})


@dataclass
class FakeSes:
    healthy: bool = True
    delay: int = 2
    """Look-ups of an address, after its message was sent, before the pipeline has suppressed it."""
    account_sending: bool = True
    set_sending: bool = True
    verified: bool = True
    destinations: bool = True
    send_error: str | None = None
    rate: float = 1.0  # MaxSendRate: 1 a second in the sandbox
    fail_send_to: str | None = None
    """The address whose SendEmail SES refuses (the others are sent)."""
    hang_send_to: str | None = None
    """The address whose SendEmail arrives (the message goes out) but whose answer never comes."""
    deny_lookups_after: int | None = None
    """After this many suppression-list look-ups, GetSuppressedDestination is denied (AccessDenied)."""
    suppress_wrongly: tuple[str, ...] = ()
    """Addresses the (broken) handler suppresses although it must not (success@, ooto@)."""
    suppressed: dict[str, tuple[str, float]] = field(default_factory=dict)
    sent: list[str] = field(default_factory=list)
    lookups: dict[str, int] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)

    def __call__(self, method: str, path: str, body: bytes) -> Reply:
        path = unquote(path.split("?", maxsplit=1)[0])
        if method == "GET" and path == "/v2/email/account":
            return Reply.json(
                {
                    "SendingEnabled": self.account_sending,
                    "EnforcementStatus": "HEALTHY",
                    "ProductionAccessEnabled": False,
                    "SendQuota": {"Max24HourSend": 200.0, "MaxSendRate": self.rate, "SentLast24Hours": 0.0},
                }
            )
        if method == "GET" and path.startswith("/v2/email/identities/"):
            return Reply.json(
                {
                    "IdentityType": "DOMAIN",
                    "VerifiedForSendingStatus": self.verified,
                    "ConfigurationSetName": SET,
                    "DkimAttributes": {"Status": "SUCCESS" if self.verified else "PENDING"},
                }
            )
        if method == "GET" and path == f"/v2/email/configuration-sets/{SET}":
            return Reply.json({"ConfigurationSetName": SET, "SendingOptions": {"SendingEnabled": self.set_sending}})
        if method == "GET" and path == f"/v2/email/configuration-sets/{SET}/event-destinations":
            found = (
                [
                    {
                        "Name": "Feedback",
                        "Enabled": True,
                        "MatchingEventTypes": ["BOUNCE", "COMPLAINT"],
                        "SnsDestination": {"TopicArn": TOPIC},
                    }
                ]
                if self.destinations
                else []
            )
            return Reply.json({"EventDestinations": found})
        if path == "/v2/email/outbound-emails" and method == "POST":
            return self._send(json.loads(body))
        if path.startswith("/v2/email/suppression/addresses/"):
            return self._suppression(method, path.rsplit("/", 1)[1])
        return _error(400, "BadRequestException", f"the fake does not serve {method} {path}")

    def _send(self, request: dict[str, Any]) -> Reply:
        if self.send_error:
            return _error(400, self.send_error, "Email address is not verified.")
        (address,) = request["Destination"]["ToAddresses"]
        if address == self.fail_send_to:
            return _error(400, "MessageRejected", "Sending paused for this address.")
        self.sent.append(address)
        if address == self.hang_send_to:
            return Reply(hang_s=3)
        return Reply.json({"MessageId": f"0102018c-{len(self.sent):04d}"})

    def _suppression(self, method: str, address: str) -> Reply:
        if method == "DELETE":
            if address not in self.suppressed:
                return _error(404, "NotFoundException", f"{address} is not on the suppression list")
            del self.suppressed[address]
            self.deleted.append(address)
            return Reply.json({})
        self.lookups[address] = self.lookups.get(address, 0) + 1
        feedback = FEEDBACK.get(address) or ("BOUNCE" if address in self.suppress_wrongly else None)
        arrived = self.healthy and address in self.sent and self.lookups[address] > self.delay
        if feedback and arrived and address not in self.suppressed:
            self.suppressed[address] = (feedback, time.time())  # the handler's PutSuppressedDestination
        if self.deny_lookups_after is not None and sum(self.lookups.values()) > self.deny_lookups_after:
            return _error(403, "AccessDeniedException", "not authorized to perform ses:GetSuppressedDestination")
        if address not in self.suppressed:
            return _error(404, "NotFoundException", f"{address} is not on the suppression list")
        reason, when = self.suppressed[address]
        return Reply.json(
            {"SuppressedDestination": {"EmailAddress": address, "Reason": reason, "LastUpdateTime": when}}
        )
