"""The ``tenants[]`` section: customers whose sending and reputation SES keeps apart."""

from __future__ import annotations

from pydantic import Field

from ses_stack.config.fields import DomainName, Section, SesName
from ses_stack.config.sending import SuppressedReason
from ses_stack.sending.tenant_options import TenantReputationPolicy, TenantSuppressionScope

MAX_TENANTS = 1000  # like domains: how many fit a stack is a rule of its own (capacity.py)


class TenantSuppressionConfig(Section):
    """The tenant's suppression list."""

    scope: TenantSuppressionScope = Field(
        TenantSuppressionScope.TENANT,
        description="TENANT: the tenant's own list; ACCOUNT: the account-level list shared by every tenant.",
    )
    reasons: list[SuppressedReason] = Field(
        default_factory=lambda: [SuppressedReason.BOUNCE, SuppressedReason.COMPLAINT],
        max_length=2,
        description="Events that suppress an address for the tenant.",
    )


class TenantConfig(Section):
    """One tenant: an SES tenant holding some of the domains and the Region's configuration set."""

    name: SesName = Field(description="Tenant name (TenantName when sending), unique.")
    domains: list[DomainName] = Field(
        min_length=1, max_length=100, description="Configured domains the tenant sends as; each in one tenant."
    )
    reputation_policy: TenantReputationPolicy = Field(
        TenantReputationPolicy.STANDARD,
        description="standard: SES pauses this tenant alone on high-impact findings; strict: on any finding; none: "
        "never on the tenant's own findings.",
    )
    suppression: TenantSuppressionConfig = Field(
        default_factory=TenantSuppressionConfig, description="The tenant's suppression list."
    )
