"""Customer-managed keys that an AWS service may use on this account's behalf (never the AWS-managed SNS key,
whose policy cannot let another service in)."""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct


def key_for_service(scope: Construct, construct_id: str, *, description: str, service: str, sid: str) -> kms.Key:
    """A rotating key whose policy lets ``service`` (``ses.amazonaws.com``...) encrypt and decrypt with it, only for
    this account (``aws:SourceAccount``, against confused deputies). Without this the service's publishes to an
    encrypted topic fail silently."""
    key = kms.Key(scope, construct_id, enable_key_rotation=True, description=description)
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid=sid,
            principals=[iam.ServicePrincipal(service)],
            actions=["kms:GenerateDataKey*", "kms:Decrypt"],
            resources=["*"],
            conditions={"StringEquals": {"aws:SourceAccount": Stack.of(scope).account}},
        )
    )
    return key
