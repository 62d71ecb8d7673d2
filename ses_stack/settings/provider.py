"""SesSettingsProvider: the single Lambda function per stack that serves ses_stack's custom resources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from aws_cdk import Acknowledgment, CustomResource, Duration, RemovalPolicy, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from ses_stack._cdk.encryption import apply_logs_key_removal_policy
from ses_stack._cdk.function import python_function
from ses_stack._cdk.singleton import OncePerStack

RUNTIME_DIR = Path(__file__).resolve().parent / "runtime"
PROVIDER_ID = "SesSettingsProvider"
FUNCTION_TIMEOUT = Duration.minutes(2)
SERVICE_TIMEOUT = Duration.minutes(10)
"""How long CloudFormation waits for an answer: the function's 2 minutes, and Lambda's retries of a function that
could not send its answer."""


class SettingsFunction(OncePerStack):
    """A custom-resource provider function, once per stack and per kind of resource: each kind has its own
    function and role, so one kind's permissions never serve another's events (the function also refuses resource
    types not its own). Get one with ``<Kind>.of(scope)``."""

    RESOURCE_TYPES: ClassVar[tuple[str, ...]]
    DESCRIPTION: ClassVar[str]

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.function: lambda_.Function = python_function(
            self,
            "Handler",
            code_dir=RUNTIME_DIR,
            handler="handler.handler",
            description=f"ses_stack custom resources: {self.DESCRIPTION}",
            role_description=f"ses_stack {self.DESCRIPTION}: only the permissions its custom resources add",
            timeout=FUNCTION_TIMEOUT,
            memory_size=256,
            environment={"RESOURCE_TYPES": ",".join(self.RESOURCE_TYPES)},
        )
        """The provider function (code in ``ses_stack/settings/runtime/handler.py``)."""
        assert self.function.role is not None
        self.role: iam.IRole = self.function.role
        """The function's role; each custom resource attaches its own policy."""

    def apply_removal_policy(self, policy: RemovalPolicy) -> None:
        """What happens to the provider's log group when it leaves the stack (CDK's default: RETAIN)."""
        for child in self.node.find_all():
            if isinstance(child, logs.LogGroup):
                child.apply_removal_policy(policy)

    def _service_token(self) -> str:
        """The function's ARN (a token string), asked of jsii once."""
        if "_function_arn" not in self.__dict__:
            self.__dict__["_function_arn"] = self.function.function_arn
        arn: str = self.__dict__["_function_arn"]
        return arn

    def add_resource(
        self,
        scope: Construct,
        construct_id: str,
        *,
        resource_type: str,
        properties: Mapping[str, Any],
        statements: Sequence[iam.PolicyStatement] = (),
        wildcard_reason: str | None = None,
        policy: iam.Policy | None = None,
    ) -> CustomResource:
        """A custom resource served by this provider, with a policy on the provider's role that it depends on.

        :param statements: The permissions it needs, in a policy of its own.
        :param wildcard_reason: Why the statements need ``Resource: *`` (acknowledged for cdk-nag on this policy
            only). Default: none (a wildcard then fails synthesis).
        :param policy: A policy shared by several resources of one kind, instead of ``statements``. Default: none.
        """
        if policy is None:
            policy = iam.Policy(scope, f"{construct_id}Policy", statements=list(statements), roles=[self.role])
        if wildcard_reason:
            Validations.of(policy).acknowledge(
                Acknowledgment(id="AwsSolutions::AwsSolutions-IAM5[Resource::*]", reason=wildcard_reason)
            )
        resource = CustomResource(
            scope,
            construct_id,
            service_token=self._service_token(),
            resource_type=resource_type,
            properties=dict(properties),
            # CloudFormation's default is an hour; the function gives up after 2 minutes (and Lambda retries twice).
            service_timeout=SERVICE_TIMEOUT,
        )
        resource.node.add_dependency(policy)  # the permission must exist before the function acts
        return resource


class SesSettingsProvider(SettingsFunction):
    """The account-suppression and sending-pause-guard resources' function (its id predates the others': a custom
    resource's ServiceToken cannot change, so theirs stays)."""

    STACK_ID = PROVIDER_ID
    RESOURCE_TYPES = ("Custom::SesAccountSuppression", "Custom::SesSendingPauseGuard")
    DESCRIPTION = "account suppression and sending pause guard"


def apply_removal_policies(stack: Construct, policy: RemovalPolicy) -> None:
    """The removal policy of every provider function's log group in ``stack`` (those that exist)."""
    for child in stack.node.children:
        if isinstance(child, SettingsFunction):
            child.apply_removal_policy(policy)
    apply_logs_key_removal_policy(stack, policy)
