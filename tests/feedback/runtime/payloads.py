"""SES notification payloads shaped as AWS documents them (notification-contents, event-publishing contents)."""

from __future__ import annotations

import json
from typing import Any

MAIL: dict[str, Any] = {
    "timestamp": "2026-11-20T12:00:00.000Z",
    "source": "Sender <sender@example.com>",
    "sourceArn": "arn:aws:ses:eu-west-1:123456789012:identity/example.com",
    "sendingAccountId": "123456789012",
    "messageId": "0102018c1b2a3d4e-11111111-2222-3333-4444-555555555555-000000",
    "destination": ["jane@example.org", "richard@example.org"],
}
CONFIGURATION_SET = "ses-default-set"
ACCOUNT = "123456789012"


def mail(kind_key: str) -> dict[str, Any]:
    """The ``mail`` object: event publishing adds ``tags`` (the configuration set among them); identity
    notifications carry none."""
    if kind_key != "eventType":
        return dict(MAIL)
    return {
        **MAIL,
        "tags": {
            "ses:configuration-set": [CONFIGURATION_SET],
            "ses:source-ip": ["192.0.2.10"],
            "ses:from-domain": ["example.com"],
            "ses:caller-identity": ["app"],
        },
    }


def bounce(
    kind_key: str = "notificationType",
    bounce_type: str = "Permanent",
    sub_type: str = "General",
    recipients: tuple[str, ...] = ("jane@example.org",),
) -> dict[str, Any]:
    return {
        kind_key: "Bounce",
        "bounce": {
            "bounceType": bounce_type,
            "bounceSubType": sub_type,
            "bouncedRecipients": [
                {
                    "emailAddress": address,
                    "action": "failed",
                    "status": "5.1.1",
                    "diagnosticCode": f"smtp; 550 5.1.1 <{address}>... User unknown",
                }
                for address in recipients
            ],
            "timestamp": "2026-11-20T12:00:01.000Z",
            "feedbackId": "0102018c1b2a3d4e-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee-000000",
            "remoteMtaIp": "192.0.2.1",
            "reportingMTA": "dsn; a1-2.smtp-out.eu-west-1.amazonses.com",
        },
        "mail": mail(kind_key),
    }


def complaint(
    kind_key: str = "notificationType",
    recipients: tuple[str, ...] = ("richard@example.org",),
    feedback_type: str | None = "abuse",
    sub_type: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "complainedRecipients": [{"emailAddress": address} for address in recipients],
        "timestamp": "2026-11-20T12:05:00.000Z",
        "feedbackId": "0102018c1b2a3d4e-ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee-000000",
        "complaintSubType": sub_type,
        "userAgent": "ExampleCorp Feedback Loop (V0.01)",
        "arrivalDate": "2026-11-20T12:04:00.000Z",
    }
    if feedback_type is not None:
        body["complaintFeedbackType"] = feedback_type
    return {kind_key: "Complaint", "complaint": body, "mail": mail(kind_key)}


def delivery(kind_key: str = "eventType") -> dict[str, Any]:
    return {
        kind_key: "Delivery",
        "delivery": {
            "timestamp": "2026-11-20T12:00:02.000Z",
            "processingTimeMillis": 546,
            "recipients": ["success@simulator.amazonses.com"],
            "smtpResponse": "250 ok",
            "reportingMTA": "a8-70.smtp-out.amazonses.com",
        },
        "mail": mail(kind_key),
    }


def sqs_record(message_id: str, message: Any, *, raw: bool = True) -> dict[str, Any]:
    """An SQS record whose body carries ``message``: as-is (raw delivery) or in an SNS Notification envelope."""
    text = message if isinstance(message, str) else json.dumps(message)
    body = text
    if not raw:
        body = json.dumps(
            {
                "Type": "Notification",
                "MessageId": f"sns-{message_id}",
                "TopicArn": "arn:aws:sns:eu-west-1:123456789012:ses-feedback",
                "Message": text,
                "Timestamp": "2026-11-20T12:00:03.000Z",
                "SignatureVersion": "1",
                "Signature": "EXAMPLE",
                "SigningCertURL": "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000.pem",
                "UnsubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe",
            }
        )
    return {
        "messageId": message_id,
        "receiptHandle": f"handle-{message_id}",
        "body": body,
        "attributes": {"ApproximateReceiveCount": "1"},
        "messageAttributes": {},
        "md5OfBody": "0",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:feedback",
        "awsRegion": "eu-west-1",
    }


def sqs_event(*records: dict[str, Any]) -> dict[str, Any]:
    return {"Records": list(records)}
