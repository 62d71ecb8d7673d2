"""The whole configuration file: the top-level model and its JSON Schema."""

from __future__ import annotations

import enum
from typing import Annotated, Any

from pydantic import Field

from ses_stack.config.deliverability import GlobalEndpointConfig, VdmConfig
from ses_stack.config.domains import DomainConfig
from ses_stack.config.fields import Region, Section, checked, pattern
from ses_stack.config.operations import OperationsConfig, ProductionAccessConfig, ReputationConfig
from ses_stack.config.sending import (
    AccountSuppressionConfig,
    ConfigurationSetConfig,
    ContactListConfig,
    FeedbackConfig,
)
from ses_stack.config.tenants import MAX_TENANTS, TenantConfig
from ses_stack.inbox.requirements import Provider
from ses_stack.validation import SES_REGIONS, account_id_problem

SCHEMA_FILE_NAME = "ses-stack.schema.json"


class RemovalChoice(enum.StrEnum):
    """What happens to state (identities, records, the contact list, the dead-letter queue, keys, logs) when it
    leaves the stack: stack deletion, or a replacement."""

    RETAIN = "retain"
    """Kept: real accounts. Existing resources of the same name can be adopted."""
    DESTROY = "destroy"
    """Deleted with the stack: throwaway test accounts."""


MAX_DOMAINS = 10_000  # SES's quota of identities per Region; how many fit in one stack is a rule of its own (rules.py)
MAX_DOMAIN_STACKS = 500  # 10,000 Route53 domains need about 300 (a stack holds about 55); CloudFormation allows 2,000


class SesStackConfig(Section):
    """The whole configuration file."""

    schema_: str | None = Field(None, alias="$schema", description="Path or URL of this file's JSON Schema.")
    account: Annotated[str, checked(account_id_problem)] | None = Field(
        None, description="AWS account id. Omit for environment-agnostic stacks."
    )
    regions: list[Region] = Field(
        min_length=1, max_length=len(SES_REGIONS), description="SES Regions to deploy to, one stack each."
    )
    stack_name_prefix: Annotated[
        str, pattern(r"^[A-Za-z][A-Za-z0-9-]{0,100}$", "must be a letter, then up to 100 letters, digits or hyphens")
    ] = Field("SesStack", description="Stacks are named <prefix>-<region>.")
    domains: list[DomainConfig] = Field(
        min_length=1, max_length=MAX_DOMAINS, description="Sending domains, deployed to every Region."
    )
    deterministic_easy_dkim: bool = Field(
        False,
        description="Deterministic Easy DKIM: identities in every Region after the first sign with the first "
        "Region's Easy DKIM keys, so one set of three DKIM CNAMEs serves every Region. Needs two Regions or more.",
    )
    domain_stacks: int | None = Field(
        None,
        ge=1,
        le=MAX_DOMAIN_STACKS,
        description="Spread the domains over this many domain stacks per Region (<prefix>-<region>-domains-<n>), "
        "beside a shared stack holding the rest; a domain's stack follows from its name alone (and "
        "domainStacksBase). Default: one stack per Region holding everything.",
    )
    domain_stacks_base: int | None = Field(
        None,
        ge=1,
        le=MAX_DOMAIN_STACKS,
        description="Domains keep the stack they have with this many domain stacks (their name's hash modulo it); "
        "the stacks past it take only the domains that jump consistent hashing sends them, so raising domainStacks "
        "from n to m moves about (m - n)/m of the domains, each to a new stack. Set 1 in a new config; when "
        "raising domainStacks in a deployed one, set the number it had. Default: domainStacks (its name's hash "
        "modulo domainStacks, as before: changing domainStacks then moves most domains).",
    )
    configuration_set: ConfigurationSetConfig = Field(
        default_factory=ConfigurationSetConfig, description="Configuration set settings."
    )
    feedback: FeedbackConfig = Field(default_factory=FeedbackConfig, description="Bounce and complaint routing.")
    account_suppression: AccountSuppressionConfig = Field(
        default_factory=AccountSuppressionConfig, description="Account-level suppression list."
    )
    contact_list: ContactListConfig | None = Field(
        None, description="Contact list for one-click unsubscribe (required for bulk mail)."
    )
    transactional_only: bool = Field(
        False, description="The account sends transactional mail only: no unsubscribe mechanism is needed."
    )
    reputation: ReputationConfig = Field(default_factory=ReputationConfig, description="Reputation guard.")
    operations: OperationsConfig = Field(default_factory=OperationsConfig, description="Alarm notifications.")
    tenants: list[TenantConfig] = Field(
        default_factory=list,
        max_length=MAX_TENANTS,
        description="SES tenants: each customer's domains and reputation kept apart. Default: none.",
    )
    global_endpoint: GlobalEndpointConfig | None = Field(
        None,
        description="Create a global endpoint sending from the first Region with failover to a secondary one "
        "(needs deterministicEasyDkim). Default: none.",
    )
    vdm: VdmConfig | None = Field(
        None,
        description="Turn on Virtual Deliverability Manager for the account in each Region (billed per message). "
        "Default: absent, the account's setting is left alone.",
    )
    removal_policy: RemovalChoice = Field(
        RemovalChoice.RETAIN,
        description="retain: identities, DNS records, the contact list, the dead-letter queue, keys and logs survive "
        "stack deletion and replacement; destroy: deleted with the stack (throwaway accounts).",
    )
    production_access: ProductionAccessConfig | None = Field(
        None, description="The production-access request (ses-preflight request-access)."
    )
    providers: list[Provider] = Field(
        default_factory=lambda: list(Provider),
        max_length=len(Provider),
        description="Mailbox providers whose sender requirements the synth-time report and ses-preflight check "
        "judge: gmail, yahoo, outlook, laposte, apple. [] for none. Default: all five.",
    )


def global_endpoint_secondary(config: SesStackConfig) -> str | None:
    """The global endpoint's secondary Region (configured, or the second Region); None without an endpoint."""
    endpoint = config.global_endpoint
    if endpoint is None or len(config.regions) < 2:
        return None
    return endpoint.secondary_region or config.regions[1]


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the configuration file (draft 2020-12), for editor completion and validation."""
    schema = SesStackConfig.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ses_stack configuration"
    return schema
