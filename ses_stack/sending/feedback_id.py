"""Gmail's Feedback-ID: the message tags a sender sets per campaign so that Postmaster Tools groups spam
complaints by campaign. Pure Python (no aws_cdk): it runs in the application that sends.

SES writes the ``Feedback-ID`` header from two reserved message tags, ``ses:feedback-id-a`` and
``ses:feedback-id-b`` (AWS Messaging blog, July 2024), and adds its own sender identifier. Gmail's Feedback Loop
reports spam rates per identifier in Postmaster Tools, for bulk senders only; identifiers must not be unique per
message (Gmail ignores those), so use a campaign or a kind of mail, never a recipient or message id.
"""

from __future__ import annotations

import re

FEEDBACK_ID_A = "ses:feedback-id-a"
FEEDBACK_ID_B = "ses:feedback-id-b"
MAX_TAG_VALUE = 256
_TAG_VALUE = re.compile(r"[A-Za-z0-9_-]+")  # SES's rule for a message tag value


def _checked(setting: str, value: str) -> str:
    if not isinstance(value, str) or not _TAG_VALUE.fullmatch(value) or len(value) > MAX_TAG_VALUE:
        raise ValueError(
            f"feedback_id_tags {setting}: must be 1-{MAX_TAG_VALUE} ASCII letters, digits, underscores or hyphens (a "
            f"message tag value); got {value!r}"
        )
    return value


def feedback_id_tags(campaign: str, category: str | None = None) -> list[dict[str, str]]:
    """The ``EmailTags`` that give a message Gmail's Feedback-ID, for ``SendEmail`` (or ``SendBulkEmail``).

    :param campaign: The campaign (``ses:feedback-id-a``), for example ``spring-sale-2026``: Postmaster Tools shows
        the spam rate of each.
    :param category: A second grouping (``ses:feedback-id-b``), for example ``newsletter`` or a customer id on a
        platform that sends for several. Default: none.
    :raises ValueError: a value SES would refuse (empty, over 256 characters, or other than ASCII letters,
        digits, ``_`` and ``-``), named with the value received.

    Example::

        ses.send_email(
            FromEmailAddress="news@example.com",
            Destination={"ToAddresses": ["reader@example.net"]},
            Content={"Simple": {...}},
            ConfigurationSetName="ses-default-set",
            EmailTags=feedback_id_tags("spring-sale-2026", "newsletter"),
        )
    """
    tags = [{"Name": FEEDBACK_ID_A, "Value": _checked("campaign", campaign)}]
    if category is not None:
        tags.append({"Name": FEEDBACK_ID_B, "Value": _checked("category", category)})
    return tags
