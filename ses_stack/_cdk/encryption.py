"""Customer-managed keys that an AWS service may use on this account's behalf (never the AWS-managed SNS key,
whose policy cannot let another service in), and the fixed topic names that let a key policy name its topic."""

from __future__ import annotations

from aws_cdk import ArnFormat, Names, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from ses_stack._cdk.singleton import OncePerStack


def topic_name(scope: Construct, suffix: str) -> str:
    """A name for the topic ``scope`` creates, fixed by its construct path (``<Stack>-<Path>-<hash>-<suffix>``): its
    ARN is then known without referring to the topic, so the topic's key policy can name it without a cycle."""
    return f"{Names.unique_resource_name(scope, max_length=255 - len(suffix), separator='-')}-{suffix}"


def key_for_topic(
    scope: Construct, construct_id: str, *, description: str, service: str, sid: str, topic: str
) -> kms.Key:
    """A rotating key for the SNS topic named ``topic`` whose policy lets ``service`` (``ses.amazonaws.com``...)
    publish to that topic: ``kms:GenerateDataKey*``/``kms:Decrypt``, only for this account (``aws:SourceAccount``,
    against confused deputies) and only for that topic (SNS passes ``aws:sns:topicArn`` as encryption context).
    Without this the service's publishes to the encrypted topic fail silently."""
    stack = Stack.of(scope)
    key = kms.Key(scope, construct_id, enable_key_rotation=True, description=description)
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid=sid,
            principals=[iam.ServicePrincipal(service)],
            actions=["kms:GenerateDataKey*", "kms:Decrypt"],
            resources=["*"],
            conditions={
                "StringEquals": {
                    "aws:SourceAccount": stack.account,
                    "kms:EncryptionContext:aws:sns:topicArn": stack.format_arn(service="sns", resource=topic),
                }
            },
        )
    )
    return key


class LogsKey(OncePerStack):
    """The stack's one key for its functions' log groups (the feedback handler may log addresses in clear when
    configured to): CloudWatch Logs may use it only for log groups of this account and Region."""

    STACK_ID = "SesLogsKey"

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.key = kms.Key(self, "Key", enable_key_rotation=True, description="ses_stack: its functions' log groups")
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchLogsOfThisStack",
                principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
                actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                resources=["*"],
                conditions={
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": stack.format_arn(
                            service="logs", resource="log-group", resource_name="*",
                            arn_format=ArnFormat.COLON_RESOURCE_NAME,
                        )
                    }
                },
            )
        )  # fmt: skip

    def apply_removal_policy(self, policy: RemovalPolicy) -> None:
        self.key.apply_removal_policy(policy)


def apply_logs_key_removal_policy(stack: Construct, policy: RemovalPolicy) -> None:
    """The logs key follows the log groups: kept with them, or scheduled for deletion with them."""
    found = Stack.of(stack).node.try_find_child(LogsKey.STACK_ID)
    if isinstance(found, LogsKey):
        found.apply_removal_policy(policy)
