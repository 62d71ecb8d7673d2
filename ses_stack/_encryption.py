"""Customer-managed keys that an AWS service may use on this account's behalf (never the AWS-managed SNS key,
whose policy cannot let another service in), and the fixed topic names that let a key policy name its topic."""

from __future__ import annotations

from aws_cdk import Names, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct


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
