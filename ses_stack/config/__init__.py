"""The configuration file: typed settings, validation with JSON-path errors, the JSON Schema and the stack plan.

No aws_cdk import here: the command-line tool loads configs too and must start fast. One module per part:
``fields`` (shared value types), ``domains``, ``sending`` and ``operations`` (the sections), ``model`` (the whole
file and its schema), ``reader`` (file -> JSON -> model), ``errors`` (problem messages), ``rules`` (rules across
settings) and ``plan`` (domains -> stacks).
"""

from ses_stack.config.deliverability import GlobalEndpointConfig, VdmConfig
from ses_stack.config.domains import DmarcConfig, DomainConfig, MailFromMxFailure
from ses_stack.config.errors import ConfigError
from ses_stack.config.model import (
    SCHEMA_FILE_NAME,
    RemovalChoice,
    SesStackConfig,
    global_endpoint_secondary,
    json_schema,
)
from ses_stack.config.operations import (
    ContactLanguage,
    MailType,
    OperationsConfig,
    ProductionAccessConfig,
    RateConfig,
    ReputationConfig,
)
from ses_stack.config.plan import (
    StackPlan,
    dkim_origin_region,
    plan_stacks,
    region_domains,
    regional_mail_from_subdomain,
)
from ses_stack.config.reader import load_config, parse_config, parse_domain
from ses_stack.config.sending import (
    AccountSuppressionConfig,
    AutoValidation,
    ConfigurationSetConfig,
    ContactListConfig,
    ContactTopicConfig,
    FeedbackConfig,
    FeedbackEventType,
    SuppressedReason,
    TrackingHttpsPolicy,
)
from ses_stack.config.tenants import TenantConfig, TenantSuppressionConfig

__all__ = [
    "SCHEMA_FILE_NAME",
    "AccountSuppressionConfig",
    "AutoValidation",
    "ConfigError",
    "ConfigurationSetConfig",
    "ContactLanguage",
    "ContactListConfig",
    "ContactTopicConfig",
    "DmarcConfig",
    "DomainConfig",
    "FeedbackConfig",
    "FeedbackEventType",
    "GlobalEndpointConfig",
    "MailFromMxFailure",
    "MailType",
    "OperationsConfig",
    "ProductionAccessConfig",
    "RateConfig",
    "RemovalChoice",
    "ReputationConfig",
    "SesStackConfig",
    "StackPlan",
    "SuppressedReason",
    "TenantConfig",
    "TenantSuppressionConfig",
    "TrackingHttpsPolicy",
    "VdmConfig",
    "dkim_origin_region",
    "global_endpoint_secondary",
    "json_schema",
    "load_config",
    "parse_config",
    "parse_domain",
    "plan_stacks",
    "region_domains",
    "regional_mail_from_subdomain",
]
