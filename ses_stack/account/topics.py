"""Contact list topics (pure settings, no aws_cdk import): what recipients can subscribe to or leave."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ses_stack.validation import is_ses_name

MAX_TOPICS = 20
MAX_DISPLAY_NAME = 128
MAX_DESCRIPTION = 500


class SubscriptionStatus(enum.StrEnum):
    """Whether a contact is subscribed to a topic until it says otherwise."""

    OPT_IN = "OPT_IN"
    """Contacts receive the topic unless they unsubscribe (use only for mail they asked for)."""
    OPT_OUT = "OPT_OUT"
    """Contacts receive the topic only after they subscribe to it."""


@dataclass(frozen=True, kw_only=True)
class ContactTopic:
    """One topic of a contact list."""

    name: str
    """Identifier used in ``ListManagementOptions.TopicName`` (letters, digits, ``_``, ``-``; at most 64)."""
    display_name: str
    """Shown to recipients on the unsubscribe page (at most 128 characters)."""
    default_subscription: SubscriptionStatus
    """Status of contacts that never chose."""
    description: str | None = None
    """Shown on the unsubscribe page (at most 500 characters). Default: none."""

    def problems(self) -> list[str]:
        found = []
        if not is_ses_name(self.name):
            found.append(f"name: must be 1-64 letters, digits, underscores or hyphens; got {self.name!r}")
        if not 1 <= len(self.display_name) <= MAX_DISPLAY_NAME:
            found.append(f"display_name: must be 1-{MAX_DISPLAY_NAME} characters; got {len(self.display_name)}")
        if self.description is not None and len(self.description) > MAX_DESCRIPTION:
            found.append(f"description: must be at most {MAX_DESCRIPTION} characters; got {len(self.description)}")
        if not isinstance(self.default_subscription, SubscriptionStatus):
            found.append(f"default_subscription: must be a SubscriptionStatus; got {self.default_subscription!r}")
        return found
