"""SesIdentityVerification: a resource that completes only once SES can send with an identity, for others to depend
on (a Cognito user pool's SES e-mail configuration fails until then). The wait runs in one function per stack."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import cast

from aws_cdk import CustomResource, Duration, RemovalPolicy, Stack, Token
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_ses as ses
from constructs import Construct, IDependable

from ses_stack._cdk.function import python_function
from ses_stack._cdk.lazy import collected_list
from ses_stack._cdk.singleton import once_per_stack

RESOURCE_TYPE = "Custom::SesIdentityVerification"
RUNTIME_DIR = Path(__file__).resolve().parent.parent / "settings" / "runtime"  # the settings provider's code
MAX_WAIT = Duration.minutes(13)
FUNCTION_TIMEOUT = Duration.minutes(15)  # Lambda's longest
SERVICE_TIMEOUT = Duration.minutes(20)
_WAITER_ID = "SesVerificationWaiter"


class _Waiter(Construct):
    """The stack's one waiter function; each identity it waits for is added to its role's single statement."""

    @classmethod
    def of(cls, scope: Construct, removal_policy: RemovalPolicy) -> _Waiter:
        return once_per_stack(scope, _WAITER_ID, cls, lambda stack, id_: cls(stack, id_, removal_policy))

    def __init__(self, scope: Construct, construct_id: str, removal_policy: RemovalPolicy) -> None:
        super().__init__(scope, construct_id)
        self.identity_arns: list[str] = []
        self.function: lambda_.Function = python_function(
            self,
            "Handler",
            code_dir=RUNTIME_DIR,
            handler="verification.handler",
            description="ses_stack: completes once SES can send with an identity (deployments wait for it)",
            role_description="ses_stack verification waiter: read the stack's identities",
            timeout=FUNCTION_TIMEOUT,
            memory_size=128,
            removal_policy=removal_policy,
        )
        self.policy = iam.Policy(
            self,
            "Policy",
            roles=[cast(iam.IRole, self.function.role)],
            statements=[
                iam.PolicyStatement(actions=["ses:GetEmailIdentity"], resources=collected_list(self.identity_arns))
            ],
        )


class SesIdentityVerification(Construct):
    """Completes once ``identity`` is verified for sending with DKIM SUCCESS (and MAIL FROM SUCCESS when
    ``require_mail_from``), waiting at most ``max_wait``; else the deployment fails naming the records to fix.
    Make dependents depend on it: ``user_pool.node.add_dependency(verification)``."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        identity: ses.EmailIdentity,
        domain_name: str,
        mail_from_domain: str = "",
        require_mail_from: bool = True,
        after: Sequence[IDependable] = (),
        max_wait: Duration = MAX_WAIT,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        """
        :param identity: The identity to wait for.
        :param domain_name: Its name (the identity's ``EmailIdentity``).
        :param mail_from_domain: Its MAIL FROM domain, named in a failure. Default: none.
        :param require_mail_from: Also wait for MAIL FROM SUCCESS (an identity whose BehaviorOnMxFailure is
            REJECT_MESSAGE cannot send before). Default: True.
        :param after: What must exist before the wait starts (the DNS records). Default: nothing.
        :param max_wait: How long to wait, at most 13 minutes (the function answers within Lambda's 15).
            Default: 13 minutes.
        :param removal_policy: Of the waiter function's log group. Default: RETAIN.
        """
        seconds = max_wait.to_seconds()
        if not Token.is_unresolved(seconds) and not 0 < seconds <= MAX_WAIT.to_seconds():
            raise ValueError(
                f"SesIdentityVerification {construct_id!r} max_wait: must be from 1 s to 13 minutes; got {seconds:g} s"
            )
        super().__init__(scope, construct_id)
        waiter = _Waiter.of(self, removal_policy)
        stack = Stack.of(self)
        waiter.identity_arns.append(stack.format_arn(service="ses", resource="identity", resource_name=domain_name))
        self.resource: CustomResource = CustomResource(
            self,
            "Resource",
            service_token=waiter.function.function_arn,
            resource_type=RESOURCE_TYPE,
            properties={
                "EmailIdentity": domain_name,
                "MailFromDomain": mail_from_domain,
                "RequireMailFrom": "true" if require_mail_from else "false",
                "MaxWaitSeconds": str(int(seconds)),
                "Region": stack.region,
            },
            service_timeout=SERVICE_TIMEOUT,
        )
        """The custom resource; depend on it (or on this construct)."""
        self.resource.node.add_dependency(identity, waiter.policy, *after)
        self.node.default_child = self.resource
