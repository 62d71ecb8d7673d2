"""SesStack: one Region's ``SesSendingSetup`` in a stack of its own (the deployable app's stack)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ses as ses
from constructs import Construct

from ses_stack.account.contact_list import SesContactList
from ses_stack.account.suppression import SesAccountSuppression
from ses_stack.config import (
    AccountSuppressionConfig,
    ConfigurationSetConfig,
    ContactListConfig,
    DomainConfig,
    FeedbackConfig,
    OperationsConfig,
    RemovalChoice,
    ReputationConfig,
    TenantConfig,
    VdmConfig,
)
from ses_stack.feedback.pipeline import SesFeedbackPipeline
from ses_stack.identity.domain import SesDomain
from ses_stack.reputation.guard import SesReputationGuard
from ses_stack.sending.configuration_set import SesConfigurationSet
from ses_stack.sending.global_endpoint import SesGlobalEndpoint
from ses_stack.sending.tenant import SesTenant
from ses_stack.settings.provider import apply_removal_policies
from ses_stack.setup.sending_setup import SesSendingSetup
from ses_stack.setup.settings import domain_settings
from ses_stack.setup.wiring import check_tenants, removal_policy_of

SETUP_ID = "Default"
"""The setup's id in the stack: CDK leaves ``Default`` out of logical ids, so the stack's resources keep the ids
they had before the setup was a construct of its own (no replacement on upgrade)."""


class SesStack(Stack):
    """One Region's SES setup (``SesSendingSetup``) as a stack: a configuration set with its feedback pipeline and
    reputation guard, account-level suppression, an optional contact list, and a ``SesDomain`` per domain. With
    many domains, give it none and put them in ``SesDomainStack``s that use its set."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domains: Sequence[DomainConfig | Mapping[str, Any]] = (),
        configuration_set: ConfigurationSetConfig | None = None,
        feedback: FeedbackConfig | None = None,
        account_suppression: AccountSuppressionConfig | None = None,
        contact_list: ContactListConfig | None = None,
        reputation: ReputationConfig | None = None,
        operations: OperationsConfig | None = None,
        vdm: VdmConfig | None = None,
        tenants: Sequence[TenantConfig] = (),
        dkim_origin_region: str | None = None,
        global_endpoint: tuple[str, str] | None = None,
        removal_policy: RemovalPolicy | RemovalChoice = RemovalPolicy.RETAIN,
        **stack_props: Any,
    ) -> None:
        """The settings are ``SesSendingSetup``'s (see there, each with its default).

        :param removal_policy: RETAIN or DESTROY (aws-cdk-lib's ``RemovalPolicy``, or the config's ``retain`` /
            ``destroy``). Default: RETAIN.
        :param stack_props: Passed to ``Stack`` (``env``, ``description``, ``tags``...).
        """
        domains = domain_settings(f"SesStack {construct_id!r}", domains)
        keep = removal_policy_of(removal_policy, f"SesStack {construct_id!r}")
        check_tenants(construct_id, tenants, domains)  # before the stack joins the app: a refusal leaves nothing
        super().__init__(scope, construct_id, **stack_props)
        self.setup: SesSendingSetup = SesSendingSetup(
            self,
            SETUP_ID,
            domains=domains,
            configuration_set=configuration_set,
            feedback=feedback,
            account_suppression=account_suppression,
            contact_list=contact_list,
            reputation=reputation,
            operations=operations,
            vdm=vdm,
            tenants=tenants,
            dkim_origin_region=dkim_origin_region,
            global_endpoint=global_endpoint,
            removal_policy=keep,
        )
        """The whole setup; its parts are also attributes of the stack."""
        self.configuration_set: SesConfigurationSet = self.setup.configuration_set
        self.contact_list: SesContactList | None = self.setup.contact_list
        self.feedback: SesFeedbackPipeline = self.setup.feedback
        self.vdm: ses.VdmAttributes | None = self.setup.vdm
        self.account_suppression: SesAccountSuppression | None = self.setup.account_suppression
        self.reputation: SesReputationGuard = self.setup.reputation
        self.global_endpoint: SesGlobalEndpoint | None = self.setup.global_endpoint
        self.domains: list[SesDomain] = self.setup.domains
        self.tenants: list[SesTenant] = self.setup.tenants
        apply_removal_policies(self, keep)  # every custom-resource provider's log group

    def grant_send(self, grantee: iam.IGrantable, *, from_addresses: Sequence[str] = ()) -> iam.Grant:
        """See ``SesSendingSetup.grant_send``."""
        return self.setup.grant_send(grantee, from_addresses=from_addresses)
