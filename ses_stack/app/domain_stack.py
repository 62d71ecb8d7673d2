"""SesDomainStack: a share of a Region's domains, sending through the configuration set of the Region's shared
``SesStack``; and the domain wiring both stacks use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from aws_cdk import CfnWaitConditionHandle, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ses as ses
from constructs import Construct

from ses_stack.config import DomainConfig, RemovalChoice, TenantConfig
from ses_stack.identity.domain import SesDomain
from ses_stack.sending.tenant import SesTenant
from ses_stack.settings.provider import apply_removal_policies
from ses_stack.setup.wiring import add_domains, add_tenants, check_tenants, grant_send_as, removal_policy_of

if TYPE_CHECKING:
    from ses_stack.app.stack import SesStack


class SesDomainStack(Stack):
    """Some of a Region's domains, each with ``SesDomain``'s records, sending through the shared stack's
    configuration set by default. Deploys after ``shared_stack``.

    A named configuration set is referenced by its name; a generated one through an output of the shared stack
    (``Fn::GetStackOutput`` with CDK's weak cross-stack references, as this project's ``cdk.json`` sets them;
    ``Fn::ImportValue`` with the default strong ones, which keep the shared stack from changing the name while a
    domain stack imports it).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domains: Sequence[DomainConfig],
        shared_stack: SesStack,
        tenants: Sequence[TenantConfig] = (),
        dkim_origin_region: str | None = None,
        removal_policy: RemovalChoice = RemovalChoice.RETAIN,
        **stack_props: Any,
    ) -> None:
        """
        :param domains: The sending domains this stack holds (validated settings from the config file); none is
            allowed (the stack then holds one no-op ``AWS::CloudFormation::WaitConditionHandle``, and a deployment
            removes what it held).
        :param shared_stack: The Region's ``SesStack`` with the configuration set, feedback pipeline and
            reputation guard; it must be in the same account and Region.
        :param tenants: Tenants whose domains are all in ``domains`` (each becomes a ``SesTenant`` here). Default:
            none.
        :param dkim_origin_region: Deterministic Easy DKIM: the domains sign with that Region's Easy DKIM keys (see
            ``SesDomain``). Default: none.
        :param removal_policy: RETAIN keeps each identity, its records and each tenant when it leaves the stack;
            DESTROY deletes them. Default: RETAIN.
        :param stack_props: Passed to ``Stack`` (``env``, ``description``, ``tags``...).
        """
        check_tenants(construct_id, tenants, domains)
        super().__init__(scope, construct_id, **stack_props)
        self.shared_stack: SesStack = shared_stack
        """The Region's shared stack this one sends through."""
        shared_set = shared_stack.configuration_set
        configuration_set: ses.IConfigurationSet = (
            ses.ConfigurationSet.from_configuration_set_name(self, "SharedConfigurationSet", shared_set.configured_name)
            if shared_set.configured_name
            else shared_set.configuration_set
        )
        self.add_stack_dependency(shared_stack, "the configuration set the domains send through")
        keep = removal_policy_of(removal_policy)
        self.domains: list[SesDomain] = add_domains(
            self,
            domains,
            configuration_set=configuration_set,
            removal_policy=keep,
            dkim_origin_region=dkim_origin_region,
        )
        """The domain constructs, in configuration order."""
        self.tenants: list[SesTenant] = add_tenants(
            self, tenants, self.domains, configuration_set=configuration_set, removal_policy=keep
        )
        """The tenants, in configuration order."""
        if not self.domains:
            # CloudFormation refuses a template without resources; this no-op one keeps a stack that no domain
            # hashes to (yet, or any more) deployable, so removing its last domain removes it like any other.
            CfnWaitConditionHandle(self, "NoDomainYet")
        apply_removal_policies(self, keep)  # the providers present: record takeover, DKIM replica

    def grant_send(self, grantee: iam.IGrantable, *, from_addresses: Sequence[str] = ()) -> iam.Grant:
        """Allow ``grantee`` to send as every domain of this stack (see ``SesStack.grant_send``)."""
        return grant_send_as("SesDomainStack", self.domains, grantee, from_addresses)
