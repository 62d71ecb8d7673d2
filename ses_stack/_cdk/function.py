"""The one way ses_stack builds a Python Lambda function: own log group, own role with no managed policy."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from ses_stack._cdk.encryption import LogsKey

# The newest Python runtime (cdk-nag AwsSolutions-L1 checks it).
PYTHON_RUNTIME = lambda_.Runtime.PYTHON_3_14


def python_function(
    scope: Construct,
    construct_id: str,
    *,
    code_dir: Path,
    handler: str,
    description: str,
    role_description: str,
    timeout: Duration,
    memory_size: int,
    environment: Mapping[str, str] | None = None,
    log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
) -> lambda_.Function:
    """A function on arm64 with JSON logs to its own log group, encrypted with the stack's logs key; its role may
    write that log group and nothing else until the caller grants more (children ``<id>Logs``, ``<id>Role``)."""
    log_group = logs.LogGroup(
        scope,
        f"{construct_id}Logs",
        retention=log_retention,
        removal_policy=removal_policy,
        encryption_key=LogsKey.of(scope).key,
    )
    role = iam.Role(
        scope,
        f"{construct_id}Role",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=role_description,
    )
    log_group.grant_write(role)
    return lambda_.Function(
        scope,
        construct_id,
        runtime=PYTHON_RUNTIME,
        architecture=lambda_.Architecture.ARM_64,
        handler=handler,
        code=lambda_.Code.from_asset(str(code_dir), exclude=["__pycache__", "*.pyc", "__init__.py"]),
        role=role,
        log_group=log_group,
        logging_format=lambda_.LoggingFormat.JSON,
        timeout=timeout,
        memory_size=memory_size,
        description=description,
        environment=dict(environment) if environment else None,
    )
