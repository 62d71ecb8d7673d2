"""Feedback handler settings shared by the config file and the construct (no aws_cdk import)."""

from __future__ import annotations

import enum


class AddressLogging(enum.StrEnum):
    """How the feedback handler writes recipient addresses to its logs."""

    HASHED = "hashed"
    """``***@example.org`` and the first 16 hex digits of SHA-256 of the lower-cased address: stable, so an
    operator can find an address they know (``printf %s jane@example.org | sha256sum | cut -c1-16``), never
    readable."""
    CLEAR = "clear"
    """The address as is (personal data in logs: choose it only if your retention policy allows it)."""


LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
"""The retention periods CloudWatch Logs offers, in days."""
DEFAULT_LOG_RETENTION_DAYS = 90
"""Long enough to investigate anything the 14-day dead-letter queue still holds; no longer, as logs name people."""
