"""``ses-preflight wait``: poll each configured identity until SES can send with it (verified, DKIM SUCCESS, MAIL
FROM SUCCESS); stop at once on a failure SES will not retry by itself, or when the time is up."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ses_stack.config import SesStackConfig, region_domains
from ses_stack.preflight.check.common import if_exists

POLL_SECONDS = 15.0
_DONE = "SUCCESS"


@dataclass(frozen=True)
class IdentityState:
    """What SES says of one identity in one Region."""

    region: str
    domain: str
    mail_from: str
    exists: bool = True
    verified: bool = False
    dkim: str = "NOT_STARTED"
    mail_from_status: str = "PENDING"
    error: str | None = None

    @property
    def ready(self) -> bool:
        return self.verified and self.dkim == _DONE and self.mail_from_status == _DONE

    @property
    def failed(self) -> bool:
        return not self.exists or "FAILED" in (self.dkim, self.mail_from_status)

    def pending(self) -> str:
        what = [] if self.verified else ["not verified for sending"]
        what += [f"DKIM {self.dkim}"] if self.dkim != _DONE else []
        what += [f"MAIL FROM {self.mail_from_status}"] if self.mail_from_status != _DONE else []
        return f"[{self.region}] {self.domain}: " + (", ".join(what) or "ready")

    def to_json(self) -> dict[str, Any]:
        state = "ready" if self.ready else "failed" if self.failed else "pending"
        return {
            "region": self.region, "domain": self.domain, "mailFromDomain": self.mail_from, "state": state,
            "exists": self.exists, "verifiedForSending": self.verified, "dkim": self.dkim,
            "mailFrom": self.mail_from_status, "error": self.error,
            "message": self.failure() if self.failed else self.pending(),
        }  # fmt: skip

    def failure(self) -> str:
        where = f"[{self.region}] {self.domain}"
        records = f"`ses-preflight records --config FILE --region {self.region}`"
        if not self.exists:
            return f"{where}: no such identity in {self.region}: deploy the stack first"
        reason = f" (SES: {self.error})" if self.error else ""
        if self.dkim == "FAILED":
            return (
                f"{where}: DKIM FAILED{reason}: SES did not find the three DKIM CNAMEs "
                f"<token>._domainkey.{self.domain}; publish exactly the records {records} lists, then verify the "
                "identity again"
            )
        return (
            f"{where}: MAIL FROM FAILED{reason}: {self.mail_from} needs exactly one MX, 10 feedback-smtp.{self.region}"
            f".amazonses.com, and one SPF TXT record ({records})"
        )


def identity_state(ses: Any, region: str, domain: str, mail_from: str) -> IdentityState:
    identity = if_exists(ses.get_email_identity, EmailIdentity=domain)
    if identity is None:
        return IdentityState(region, domain, mail_from, exists=False)
    return _state(region, domain, mail_from, identity)


def _state(region: str, domain: str, mail_from: str, identity: Mapping[str, Any]) -> IdentityState:
    info = identity.get("VerificationInfo") or {}
    return IdentityState(
        region,
        domain,
        mail_from,
        verified=bool(identity.get("VerifiedForSendingStatus")),
        dkim=str((identity.get("DkimAttributes") or {}).get("Status", "NOT_STARTED")),
        mail_from_status=str((identity.get("MailFromAttributes") or {}).get("MailFromDomainStatus", "PENDING")),
        error=str(info["ErrorType"]) if info.get("ErrorType") else None,
    )


@dataclass
class Waiter:
    """Polls until every identity is ready (True), one fails, or ``timeout_s`` passes (False)."""

    config: SesStackConfig
    regions: list[str]
    ses: Callable[[str], Any]
    timeout_s: float
    report: Callable[[str], None]
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    poll_s: float = POLL_SECONDS
    last: dict[tuple[str, str], IdentityState] = field(default_factory=dict)
    """The latest state of each identity (the JSON output)."""

    def targets(self) -> list[tuple[str, str, str]]:
        return [
            (region, domain.name, domain.mail_from_domain)
            for region in self.regions
            for domain in region_domains(self.config, region)
        ]

    def run(self) -> bool:
        started = self.clock()
        waiting = self.targets()
        while True:
            states = [
                identity_state(self.ses(region), region, domain, mail_from) for region, domain, mail_from in waiting
            ]
            self.last.update({(s.region, s.domain): s for s in states})
            failed = [s for s in states if s.failed]
            if failed:
                for state in failed:
                    self.report(f"failed: {state.failure()}")
                return False
            for state in states:
                if state.ready:
                    self.report(f"ready: [{state.region}] {state.domain}")
            waiting = [(s.region, s.domain, s.mail_from) for s in states if not s.ready]
            if not waiting:
                return True
            elapsed = self.clock() - started
            if elapsed + self.poll_s > self.timeout_s:
                for state in states:
                    if not state.ready:
                        self.report(f"timed out after {elapsed:.0f} s: {state.pending()}")
                return False
            self.report(f"waiting ({elapsed:.0f} s): " + "; ".join(s.pending() for s in states if not s.ready))
            self.sleep(self.poll_s)
