"""Reading SES feedback messages and deciding what to suppress. Pure functions: no AWS calls, no logging.

Ships with the handler (standard library only). Every way a body can be unreadable ends in ``MalformedRecordError``
(JSON nested too deep or with a number Python refuses included), never in another exception.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Any

BOUNCE = "BOUNCE"
COMPLAINT = "COMPLAINT"
# SES publishes this text to a topic when an event destination is created or changed (raw delivery: the SQS body).
SES_VALIDATION_MESSAGE = "Successfully validated SNS topic for Amazon SES event publishing."
_SNS_CONTROL_MESSAGES = ("SubscriptionConfirmation", "UnsubscribeConfirmation")
_MAX_ADDRESS = 320  # RFC 3696 (errata): 64 for the local part, 255 for the domain, and the @
_CONFIGURATION_SET_TAG = "ses:configuration-set"


class MalformedRecordError(ValueError):
    """A record whose body is not an SES notification this handler can act on safely."""


@dataclass(frozen=True)
class Trust:
    """Whose feedback to act on: mail sent by ``account_id`` and, for configuration-set events, through
    ``configuration_set``. Anyone who may publish to the topic or send to the queue could otherwise forge feedback
    and get any address suppressed. ``configuration_set`` None accepts any set of the account."""

    account_id: str
    configuration_set: str | None = None


@dataclass(frozen=True)
class Decision:
    """What to do with one SES message: suppress ``addresses`` for ``reason``, or nothing (``reason`` None).

    ``invalid`` are recipient entries that are not usable addresses (reported, never suppressed); ``untrusted`` says
    why a message was not acted on because it did not come from this account's sending (None when it did).
    """

    reason: str | None
    addresses: tuple[str, ...]
    detail: str
    invalid: tuple[str, ...] = field(default=())
    untrusted: str | None = None


def ignore(detail: str, untrusted: str | None = None) -> Decision:
    return Decision(None, (), detail, untrusted=untrusted)


def _object(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise MalformedRecordError(f"{what} is not a JSON object")
    return value


def _json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise MalformedRecordError(f"{what} is nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, and integers longer than Python converts
        reason = error.msg if isinstance(error, json.JSONDecodeError) else "it holds a number Python cannot read"
        raise MalformedRecordError(f"{what} is not JSON: {reason}") from None


def _text_or_object(text: Any, what: str) -> Mapping[str, Any] | None:
    """The JSON object in ``text``, or None for SES's validation message."""
    if not isinstance(text, str):
        raise MalformedRecordError(f"{what} is not a string")
    if text.strip() == SES_VALIDATION_MESSAGE:
        return None
    return _object(_json(text, what), what)


def ses_message(body: Any) -> Mapping[str, Any] | None:
    """The SES message an SQS body carries (raw, or in an SNS envelope); None for SNS control messages and SES's
    topic validation message, which are nothing to act on."""
    message = _text_or_object(body, "SQS body")
    if message is None:
        return None
    if "TopicArn" in message and "Type" in message:  # an SNS envelope (raw message delivery off)
        if message["Type"] in _SNS_CONTROL_MESSAGES:
            return None
        if message["Type"] != "Notification":
            raise MalformedRecordError(f"unexpected SNS message type {str(message['Type'])[:40]!r}")
        return _text_or_object(message.get("Message"), "SNS Message")
    return message


def _address(entry: Any) -> str | None:
    """The bare address of a recipient entry, or None when it is not a usable address."""
    raw = entry.get("emailAddress") if isinstance(entry, Mapping) else None
    if not isinstance(raw, str) or len(raw) > 2 * _MAX_ADDRESS:
        return None
    address = parseaddr(raw)[1]
    local, at, domain = address.rpartition("@")
    usable = (
        at
        and local
        and "." in domain
        and len(address) <= _MAX_ADDRESS
        and address.isprintable()
        and not any(c.isspace() or c in "<>@" for c in domain)
        and not any(c.isspace() for c in local)
    )
    return address if usable else None


def _recipients(entries: Any, what: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(usable addresses, shortened descriptions of unusable entries). A list with no usable address is malformed."""
    if not isinstance(entries, list) or not entries:
        raise MalformedRecordError(f"{what} is missing or empty")
    valid, invalid = [], []
    for position, entry in enumerate(entries):
        address = _address(entry)
        if address is None:
            invalid.append(f"{what}[{position}]")
        else:
            valid.append(address)
    if not valid:
        raise MalformedRecordError(f"{what} has no entry with a valid emailAddress")
    return tuple(valid), tuple(invalid)


def _untrusted(message: Mapping[str, Any], trust: Trust) -> str | None:
    """Why the message is not this account's (and set's) feedback, or None."""
    mail = message.get("mail")
    account = mail.get("sendingAccountId") if isinstance(mail, Mapping) else None
    if account != trust.account_id:
        return f"sent by account {str(account)[:20]!r}, not {trust.account_id}"
    if "eventType" in message and trust.configuration_set is not None:
        tags = mail.get("tags") if isinstance(mail, Mapping) else None
        sets = tags.get(_CONFIGURATION_SET_TAG) if isinstance(tags, Mapping) else None
        if not isinstance(sets, list) or trust.configuration_set not in sets:
            return f"not sent through configuration set {trust.configuration_set}"
    return None


def decide(message: Mapping[str, Any], trust: Trust) -> Decision:
    """Suppress or ignore one SES message. Raises MalformedRecordError when a bounce or complaint to act on lacks
    its data."""
    kind = message.get("eventType", message.get("notificationType"))
    if not isinstance(kind, str):
        raise MalformedRecordError("neither eventType nor notificationType is present")
    if kind == "Bounce":
        bounce = _object(message.get("bounce"), "bounce")
        bounce_type, sub_type = bounce.get("bounceType"), bounce.get("bounceSubType")
        if not isinstance(bounce_type, str):
            raise MalformedRecordError("bounce.bounceType is missing")
        detail = f"{bounce_type[:40]}/{str(sub_type)[:40]} bounce"
        if bounce_type != "Permanent":
            return ignore(f"{detail}: not permanent, not suppressed")
        if sub_type == "OnAccountSuppressionList":
            return ignore(f"{detail}: already on the account suppression list")
        reason, entries, what = BOUNCE, bounce.get("bouncedRecipients"), "bounce.bouncedRecipients"
    elif kind == "Complaint":
        complaint = _object(message.get("complaint"), "complaint")
        feedback = complaint.get("complaintFeedbackType")
        if complaint.get("complaintSubType") == "OnAccountSuppressionList":
            return ignore("complaint: already on the account suppression list")
        if feedback == "not-spam":
            return ignore("not-spam feedback: the recipient wants the mail")
        detail = f"complaint ({str(feedback)[:40] if feedback else 'no feedback type'})"
        reason, entries, what = COMPLAINT, complaint.get("complainedRecipients"), "complaint.complainedRecipients"
    else:
        return ignore(f"{kind[:40]} event: nothing to suppress")
    untrusted = _untrusted(message, trust)
    if untrusted is not None:
        return ignore(f"{detail}: not acted on", untrusted=untrusted)
    addresses, invalid = _recipients(entries, what)
    return Decision(reason, addresses, detail, invalid=invalid)
