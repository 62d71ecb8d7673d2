"""``Custom::SesIdentityVerification``: completes only once SES can send with the identity (verified, DKIM SUCCESS,
and MAIL FROM SUCCESS when the identity refuses to send without it), so resources that need that can depend on it.

A separate function from the settings provider (it may wait for minutes), sharing its code: it answers
CloudFormation the same way. It waits at most ``MaxWaitSeconds`` and never past its own deadline; then, or at once
when DKIM or MAIL FROM fails, it answers FAILED naming the records to fix.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import boto3

if __package__:  # imported as ses_stack.settings.runtime.verification (tests)
    from .deadline import DeadlineExceededError, within
    from .handler import CLIENT_CONFIG, Clients, process, send_response
else:  # pragma: no cover - in Lambda the code folder is the import root
    from deadline import DeadlineExceededError, within  # type: ignore[import-not-found,no-redef]
    from handler import CLIENT_CONFIG, Clients, process, send_response  # type: ignore[import-not-found,no-redef]

VERIFICATION = "Custom::SesIdentityVerification"
POLL_S = 15.0
ANSWER_MS = 20_000  # kept back to answer CloudFormation before the function's own timeout
MAX_WAIT_S = 780
CALL_S = 20.0  # one GetEmailIdentity, last byte included


class NotVerifiedError(RuntimeError):
    """The identity cannot send (yet): the message names what to fix."""


def _records(identity: Mapping[str, Any], name: str, mail_from: str, region: str) -> str:
    dkim = identity.get("DkimAttributes") or {}
    zone = str(dkim.get("SigningHostedZone") or "dkim.amazonses.com").rstrip(".")
    cnames = [f"{t}._domainkey.{name} CNAME {t}.{zone}" for t in dkim.get("Tokens") or []]
    records = cnames or [f"the three DKIM CNAMEs of {name}"]
    if mail_from:
        records.append(f"{mail_from} MX 10 feedback-smtp.{region}.amazonses.com")
    return "; ".join(records)


def _state(identity: Mapping[str, Any], require_mail_from: bool) -> tuple[bool, list[str], bool]:
    """(ready, what is pending, failed for good)."""
    dkim = str((identity.get("DkimAttributes") or {}).get("Status", "NOT_STARTED"))
    mail_from = str((identity.get("MailFromAttributes") or {}).get("MailFromDomainStatus", "PENDING"))
    pending = [] if identity.get("VerifiedForSendingStatus") else ["not verified for sending"]
    pending += [f"DKIM {dkim}"] if dkim != "SUCCESS" else []
    pending += [f"MAIL FROM {mail_from}"] if require_mail_from and mail_from != "SUCCESS" else []
    failed = dkim == "FAILED" or (require_mail_from and mail_from == "FAILED")
    return not pending, pending, failed


def wait_verified(
    event: Mapping[str, Any],
    clients: Clients,
    remaining_ms: Callable[[], int],
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[str, dict[str, str]]:
    properties = event.get("ResourceProperties", {})
    name = properties.get("EmailIdentity")
    if not isinstance(name, str) or not name:
        raise ValueError("EmailIdentity is required")
    physical_id = f"ses-identity-verification:{name}"
    if event["RequestType"] == "Delete":
        return str(event.get("PhysicalResourceId") or physical_id), {}
    mail_from = str(properties.get("MailFromDomain") or "")
    require_mail_from = str(properties.get("RequireMailFrom", "")).lower() == "true"
    max_wait_s = min(float(properties.get("MaxWaitSeconds") or MAX_WAIT_S), MAX_WAIT_S)
    region = str(properties.get("Region") or "")
    waited, identity = 0.0, {}
    while True:
        seconds = min(CALL_S, (remaining_ms() - ANSWER_MS) / 1000)
        try:  # a hung or dripping call must not eat the time kept to answer
            identity = within(seconds, lambda: clients["sesv2"].get_email_identity(EmailIdentity=name),
                              "GetEmailIdentity")  # fmt: skip
            ready, pending, failed = _state(identity, require_mail_from)
        except DeadlineExceededError as error:
            ready, pending, failed = False, [str(error)], False
        if ready:
            return physical_id, {"Status": "verified"}
        records = _records(identity, name, mail_from, region)
        if failed:
            raise NotVerifiedError(
                f"{name}: {', '.join(pending)}: SES gave up; fix these records, then verify again: {records}"
            )
        if waited + POLL_S > max_wait_s or remaining_ms() < (POLL_S + CALL_S) * 1000 + ANSWER_MS:
            raise NotVerifiedError(
                f"{name}: still {', '.join(pending)} after {waited:.0f} s; these records must resolve: {records}. "
                "Deploy again once `ses-preflight wait` says the identity is ready"
            )
        sleep(POLL_S)
        waited += POLL_S


def handler(event: Any, context: Any) -> None:
    """Lambda entry point of the verification waiter."""
    if not isinstance(event, Mapping):
        return
    remaining = getattr(context, "get_remaining_time_in_millis", lambda: 0)
    clients = {"sesv2": boto3.client("sesv2", config=CLIENT_CONFIG)}
    process(
        event,
        clients,
        send_response,
        handlers={VERIFICATION: lambda e, c: wait_verified(e, c, remaining)},
    )
