"""Tenant settings shared by the config file, the construct and the checklists (no aws_cdk import)."""

from __future__ import annotations

import enum


class TenantReputationPolicy(enum.StrEnum):
    """The SES-managed reputation policy of a tenant (``arn:<partition>:ses:<region>:aws:reputation-policy/<name>``):
    how SES acts on the tenant's own reputation findings."""

    STANDARD = "standard"
    """SES pauses the tenant (only it) on high-impact findings."""
    STRICT = "strict"
    """SES pauses the tenant on low- and high-impact findings."""
    NONE = "none"
    """SES never pauses the tenant on its own findings: a tenant that misbehaves is caught only at account level,
    where a pause stops every tenant."""


class TenantSuppressionScope(enum.StrEnum):
    """Which suppression list stops sending to the tenant's bounced and complaining addresses."""

    TENANT = "TENANT"
    """The tenant's own list: one tenant's bounces do not stop another tenant from mailing the address."""
    ACCOUNT = "ACCOUNT"
    """The account-level list, shared with every tenant."""
