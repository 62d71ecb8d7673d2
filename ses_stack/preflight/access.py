"""The production-access request: built from the config and the deployed setup, submitted deliberately once."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ses_stack.config import SesStackConfig, region_domains
from ses_stack.preflight.aws.clients import AwsCallError
from ses_stack.settings.runtime.deadline import within

MAX_USE_CASE = 5000  # PutAccountDetails UseCaseDescription


def use_case_text(config: SesStackConfig, region: str) -> str:
    """The use-case description AWS reviewers ask for: what, to whom, opt-in, bounces, complaints, unsubscribe."""
    access = config.production_access
    assert access is not None
    domains = ", ".join(d.name for d in region_domains(config, region))
    policies = ", ".join(f"{d.name} p={d.dmarc.policy.value}" for d in config.domains)
    reputation = config.reputation
    if config.contact_list is not None:
        topics = ", ".join(t.display_name for t in config.contact_list.topics)
        unsubscribe = (
            f"Every bulk message is sent with SES list management (contact list {config.contact_list.name}, "
            f"topics: {topics}): SES adds one-click List-Unsubscribe and List-Unsubscribe-Post headers and an "
            "unsubscribe link to each message, and stops sending to a contact the moment they unsubscribe."
        )
    else:
        unsubscribe = (
            "We send transactional mail only (messages a recipient triggers, such as receipts and password "
            "resets); no marketing mail is sent."
        )
    sections = [
        access.use_case.strip(),
        f"Recipients: {access.recipient_source.strip()}",
        "Bounces and complaints: every message goes through an SES configuration set whose bounce and complaint "
        "events are published to SNS and processed by a Lambda function that adds each permanently bounced "
        "address and each complainant to our account-level suppression list within minutes; transient bounces "
        "are not retried by us. Account-level and configuration-set suppression are on for bounces and "
        "complaints, so SES never sends to those addresses again.",
        f"Unsubscribe: {unsubscribe}",
        f"Authentication: sending domains {domains} are verified with Easy DKIM (2048-bit), use a custom MAIL "
        f"FROM domain with SPF, and publish DMARC ({policies}).",
        f"Monitoring: CloudWatch alarms warn our team at a {reputation.bounce_rate.warning:.2%} bounce rate and "
        f"{reputation.complaint_rate.warning:.2%} complaint rate"
        + (
            f", and sending is paused automatically at {reputation.bounce_rate.critical:.2%} / "
            f"{reputation.complaint_rate.critical:.2%}."
            if reputation.auto_pause
            else "."
        ),
    ]
    return "\n\n".join(sections)


def build_request(config: SesStackConfig, region: str) -> dict[str, Any]:
    """The PutAccountDetails parameters for ``region`` (production access requested)."""
    access = config.production_access
    if access is None:
        raise ValueError("the config has no productionAccess section")
    request: dict[str, Any] = {
        "MailType": access.mail_type.value,
        "WebsiteURL": access.website_url,
        "ContactLanguage": access.contact_language.value,
        # Deprecated in the SESv2 model ("optional and deprecated") but still accepted: sent while the API takes it;
        # the same text is written to a file for the support case AWS opens when it wants more detail.
        "UseCaseDescription": use_case_text(config, region)[:MAX_USE_CASE],
        "ProductionAccessEnabled": True,
    }
    if access.additional_contact_emails:
        request["AdditionalContactEmailAddresses"] = list(access.additional_contact_emails)
    return request


@dataclass(frozen=True)
class Submission:
    region: str
    submitted: bool
    message: str
    needs_action: bool = False
    """Nothing was sent and the user must act (answer the case of a denied or failed review)."""


def current_state(account: Mapping[str, Any], force: bool = False) -> str | None:
    """Why a request must not be sent now, or None when one may be sent. Granted or under review: never. Denied or
    failed: AWS usually waits for an answer on the case it opened, so only with ``force``."""
    if account.get("ProductionAccessEnabled"):
        return "production access is already granted"
    review = (account.get("Details") or {}).get("ReviewDetails") or {}
    case = review.get("CaseId", "unknown")
    if review.get("Status") == "PENDING":
        return f"a request is under review (case {case}); it cannot be changed meanwhile"
    if review.get("Status") in ("DENIED", "FAILED") and not force:
        return (
            f"the last request was {review['Status']} (case {case}): AWS usually waits for your answer on that case. "
            f"Answer it in the AWS Support Center (case {case}) with the request text, what you send, to whom, and "
            "how bounces, complaints and unsubscribes are handled; send a new request (--force) only if AWS asks "
            "for one"
        )
    return None


def request_text(request: Mapping[str, Any]) -> str:
    """The whole request as text, to paste into the support case AWS opens when it wants more detail."""
    lines = [f"{key}: {value}" for key, value in request.items() if key != "UseCaseDescription"]
    return "\n".join([*lines, "", str(request.get("UseCaseDescription", "")), ""])


def website_warnings(url: str, timeout_s: float) -> list[str]:
    """Why reviewers may not see the website: not HTTPS, no complete answer within ``timeout_s``, not HTTP, or an
    error status. Whatever the site does, a warning with its reason (never an error of this tool)."""
    warnings = [] if url.lower().startswith("https://") else [f"websiteUrl {url} is not HTTPS: reviewers expect it"]
    request = urllib.request.Request(url, method="GET", headers={"User-Agent": "ses-preflight"})

    def status_of() -> int:
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    try:
        status = within(timeout_s, status_of, f"websiteUrl {url}")
    except (OSError, ValueError, http.client.HTTPException) as error:  # OSError covers DeadlineExceededError
        # the deadline, or the socket's own timeout of the same length (urllib wraps one met while connecting)
        timed_out = isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError)
        why = "no complete answer in time" if timed_out else type(error).__name__
        return [*warnings, f"websiteUrl {url} does not answer as a website ({why}: {str(error)[:100]})"]
    if status >= 400:
        warnings.append(f"websiteUrl {url} answers HTTP {status}")
    return warnings


def submit(ses: Any, region: str, request: Mapping[str, Any], force: bool = False) -> Submission:
    """Send the request once: nothing is sent while access is granted or a review is pending (nor after a denial,
    unless ``force``)."""
    account = ses.get_account()
    blocked = current_state(account, force)
    if blocked:
        review = (account.get("Details") or {}).get("ReviewDetails") or {}
        action = not account.get("ProductionAccessEnabled") and review.get("Status") in ("DENIED", "FAILED")
        return Submission(region, False, f"{region}: nothing sent: {blocked}", needs_action=action)
    try:
        ses.put_account_details(**request)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConflictException":
            raise
        return _read_back(ses, region, request, "AWS refused it as a conflict")
    except AwsCallError as error:  # no answer: the request may have arrived; it is never sent again blindly
        return _read_back(ses, region, request, f"its answer was lost ({error})")
    return Submission(region, True, f"{region}: production access requested; AWS answers within about 24 hours")


def _read_back(ses: Any, region: str, request: Mapping[str, Any], what: str) -> Submission:
    """What is true after a submission whose outcome is unknown: the account's state, read again."""
    try:
        account = ses.get_account()
    except (AwsCallError, ClientError) as error:
        return Submission(region, False, f"{region}: not confirmed: {what}, and the account could not be read "
                          f"back ({str(error)[:160]}): run `ses-preflight status` before sending again")  # fmt: skip
    details = account.get("Details") or {}
    review = details.get("ReviewDetails") or {}
    ours = all(details.get(key) == request.get(key) for key in ("MailType", "WebsiteURL"))
    if account.get("ProductionAccessEnabled"):
        return Submission(region, False, f"{region}: production access is granted ({what})")
    case = review.get("CaseId", "unknown")
    if review.get("Status") == "PENDING" and ours:
        return Submission(region, True, f"{region}: production access requested: {what}, but the account shows a "
                          f"request with these details under review (case {case})")  # fmt: skip
    if review.get("Status") == "PENDING":
        return Submission(region, False, f"{region}: nothing sent: {what}; a request with other details is under "
                          f"review (case {case})")  # fmt: skip
    return Submission(region, False, f"{region}: not sent: {what}, and no request is under review: run it again",
                      needs_action=True)  # fmt: skip
