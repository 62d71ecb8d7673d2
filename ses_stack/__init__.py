"""ses_stack: AWS CDK constructs that take an account out of the Amazon SES sandbox.

The constructs are exported lazily, so ``import ses_stack.config`` or the command-line tool never pays for
loading aws-cdk-lib (about 0.4 s, and 2 s more once a construct starts Node).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ses_stack._cdk.node import use_bundled_node

__version__ = "0.1.0"
"""The package's version (also in its metadata, and ``ses-preflight --version``)."""

use_bundled_node()  # before aws_cdk is first imported through ses_stack (a .pth hook does it earlier still)

if TYPE_CHECKING:
    from ses_stack.account.contact_list import SesContactList
    from ses_stack.account.suppression import SesAccountSuppression
    from ses_stack.account.topics import ContactTopic, SubscriptionStatus
    from ses_stack.app.domain_stack import SesDomainStack
    from ses_stack.app.stack import SesStack
    from ses_stack.config import (
        AccountSuppressionConfig,
        AutoValidation,
        ConfigurationSetConfig,
        ContactListConfig,
        ContactTopicConfig,
        DmarcConfig,
        DomainConfig,
        FeedbackConfig,
        FeedbackEventType,
        GlobalEndpointConfig,
        MailFromMxFailure,
        OperationsConfig,
        RateConfig,
        RemovalChoice,
        ReputationConfig,
        SuppressedReason,
        TenantConfig,
        TenantSuppressionConfig,
        TrackingHttpsPolicy,
        VdmConfig,
    )
    from ses_stack.feedback.options import AddressLogging
    from ses_stack.feedback.pipeline import SesFeedbackPipeline
    from ses_stack.identity.dkim_replica import SesDkimReplica
    from ses_stack.identity.dmarc import Dmarc, DmarcAlignment, DmarcPolicy, DmarcPsd
    from ses_stack.identity.domain import SesDomain
    from ses_stack.identity.records import DnsRecord, WrittenRecord
    from ses_stack.identity.takeover import SesRecordTakeover
    from ses_stack.identity.verification import SesIdentityVerification
    from ses_stack.reputation.guard import SesReputationGuard
    from ses_stack.reputation.settings import RateThresholds
    from ses_stack.sending.configuration_set import SesConfigurationSet
    from ses_stack.sending.feedback_id import feedback_id_tags
    from ses_stack.sending.global_endpoint import SesGlobalEndpoint
    from ses_stack.sending.tenant import SesTenant
    from ses_stack.sending.tenant_options import TenantReputationPolicy, TenantSuppressionScope
    from ses_stack.setup.gate import SesChecklistGate, assert_ready, checklist_of
    from ses_stack.setup.sending_setup import SesSendingSetup

__all__ = [
    "AccountSuppressionConfig",
    "AddressLogging",
    "AutoValidation",
    "ConfigurationSetConfig",
    "ContactListConfig",
    "ContactTopic",
    "ContactTopicConfig",
    "Dmarc",
    "DmarcAlignment",
    "DmarcConfig",
    "DmarcPolicy",
    "DmarcPsd",
    "DnsRecord",
    "DomainConfig",
    "FeedbackConfig",
    "FeedbackEventType",
    "GlobalEndpointConfig",
    "MailFromMxFailure",
    "OperationsConfig",
    "RateConfig",
    "RateThresholds",
    "RemovalChoice",
    "ReputationConfig",
    "SesAccountSuppression",
    "SesChecklistGate",
    "SesConfigurationSet",
    "SesContactList",
    "SesDkimReplica",
    "SesDomain",
    "SesDomainStack",
    "SesFeedbackPipeline",
    "SesGlobalEndpoint",
    "SesIdentityVerification",
    "SesRecordTakeover",
    "SesReputationGuard",
    "SesSendingSetup",
    "SesStack",
    "SesTenant",
    "SubscriptionStatus",
    "SuppressedReason",
    "TenantConfig",
    "TenantReputationPolicy",
    "TenantSuppressionConfig",
    "TenantSuppressionScope",
    "TrackingHttpsPolicy",
    "VdmConfig",
    "WrittenRecord",
    "assert_ready",
    "checklist_of",
    "feedback_id_tags",
]

_LAZY = {
    "Dmarc": "ses_stack.identity.dmarc",
    "DmarcAlignment": "ses_stack.identity.dmarc",
    "DmarcPolicy": "ses_stack.identity.dmarc",
    "DmarcPsd": "ses_stack.identity.dmarc",
    "DnsRecord": "ses_stack.identity.records",
    "RateThresholds": "ses_stack.reputation.settings",
    "SesAccountSuppression": "ses_stack.account.suppression",
    "SesContactList": "ses_stack.account.contact_list",
    "SesReputationGuard": "ses_stack.reputation.guard",
    "SesConfigurationSet": "ses_stack.sending.configuration_set",
    "SesDomain": "ses_stack.identity.domain",
    "SesFeedbackPipeline": "ses_stack.feedback.pipeline",
    "SesIdentityVerification": "ses_stack.identity.verification",
    "SesRecordTakeover": "ses_stack.identity.takeover",
    "WrittenRecord": "ses_stack.identity.records",
    "SesStack": "ses_stack.app.stack",
    "SesDomainStack": "ses_stack.app.domain_stack",
    "SesTenant": "ses_stack.sending.tenant",
    "SesDkimReplica": "ses_stack.identity.dkim_replica",
    "SesGlobalEndpoint": "ses_stack.sending.global_endpoint",
    "TenantReputationPolicy": "ses_stack.sending.tenant_options",
    "TenantSuppressionScope": "ses_stack.sending.tenant_options",
    "feedback_id_tags": "ses_stack.sending.feedback_id",
    "SesSendingSetup": "ses_stack.setup.sending_setup",
    "SesChecklistGate": "ses_stack.setup.gate",
    "assert_ready": "ses_stack.setup.gate",
    "checklist_of": "ses_stack.setup.gate",
    "ContactTopic": "ses_stack.account.topics",
    "SubscriptionStatus": "ses_stack.account.topics",
    "AddressLogging": "ses_stack.feedback.options",
    "AccountSuppressionConfig": "ses_stack.config",
    "AutoValidation": "ses_stack.config",
    "ConfigurationSetConfig": "ses_stack.config",
    "ContactListConfig": "ses_stack.config",
    "ContactTopicConfig": "ses_stack.config",
    "DmarcConfig": "ses_stack.config",
    "DomainConfig": "ses_stack.config",
    "FeedbackConfig": "ses_stack.config",
    "FeedbackEventType": "ses_stack.config",
    "GlobalEndpointConfig": "ses_stack.config",
    "MailFromMxFailure": "ses_stack.config",
    "OperationsConfig": "ses_stack.config",
    "RateConfig": "ses_stack.config",
    "RemovalChoice": "ses_stack.config",
    "ReputationConfig": "ses_stack.config",
    "SuppressedReason": "ses_stack.config",
    "TenantConfig": "ses_stack.config",
    "TenantSuppressionConfig": "ses_stack.config",
    "TrackingHttpsPolicy": "ses_stack.config",
    "VdmConfig": "ses_stack.config",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ses_stack' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
