"""The AWS calls each ``ses-preflight`` subcommand makes, in one table: ``iam-policy`` prints the least-privilege
policy from it, and the tests run every subcommand with calls outside it refused (``SES_PREFLIGHT_STRICT_CALLS``).
No heavy imports."""

from __future__ import annotations

import json
from typing import Any

Call = tuple[str, str]
"""(boto3 service name, API operation name)."""

IAM_PREFIX = {"sesv2": "ses"}
"""Where the IAM service prefix differs from the boto3 service name."""

_CHECK: frozenset[Call] = frozenset({
    ("sesv2", "GetAccount"), ("sesv2", "GetEmailIdentity"), ("sesv2", "GetConfigurationSet"),
    ("sesv2", "GetConfigurationSetEventDestinations"), ("sesv2", "ListContactLists"), ("sesv2", "GetContactList"),
    ("sesv2", "GetTenant"), ("sns", "ListSubscriptionsByTopic"), ("sesv2", "GetDedicatedIps"),
    ("sesv2", "ListRecommendations"),
})  # fmt: skip
_PLAN: frozenset[Call] = frozenset({
    ("sesv2", "GetAccount"), ("sesv2", "GetEmailIdentity"), ("sesv2", "GetConfigurationSet"),
    ("sesv2", "ListContactLists"), ("route53", "ListResourceRecordSets"), ("cloudformation", "DescribeStacks"),
    ("cloudformation", "ListStackResources"), ("cloudformation", "DescribeStackResources"),
})  # fmt: skip
_DRILL: frozenset[Call] = frozenset({
    ("sesv2", "GetAccount"), ("sesv2", "GetEmailIdentity"), ("sesv2", "GetConfigurationSet"),
    ("sesv2", "SendEmail"), ("sesv2", "GetSuppressedDestination"), ("sesv2", "DeleteSuppressedDestination"),
    ("sesv2", "GetConfigurationSetEventDestinations"), ("sns", "ListSubscriptionsByTopic"),
    ("sqs", "GetQueueUrl"), ("sqs", "GetQueueAttributes"), ("lambda", "ListEventSourceMappings"),
    ("cloudwatch", "GetMetricStatistics"),
})  # fmt: skip

CALLS: dict[str, frozenset[Call]] = {
    "status": frozenset({("sesv2", "GetAccount"), ("sesv2", "GetMultiRegionEndpoint")}),
    "check": _CHECK,
    "plan": _PLAN,
    "records": frozenset({("sesv2", "GetEmailIdentity")}),
    "wait": frozenset({("sesv2", "GetEmailIdentity")}),
    "drill": _DRILL,
    "request-access": _CHECK | {("sesv2", "PutAccountDetails")},
    "validate-list": frozenset(
        {
            ("sesv2", "GetEmailAddressInsights"),
            ("sesv2", "GetSuppressedDestination"),
            ("sesv2", "PutSuppressedDestination"),
        }
    ),
}


def action(call: Call) -> str:
    """``("sesv2", "GetAccount")`` -> ``ses:GetAccount``."""
    service, operation = call
    return f"{IAM_PREFIX.get(service, service)}:{operation}"


def policy(command: str = "all") -> dict[str, Any]:
    """The IAM policy document ``command`` needs (``all``: every subcommand, one statement each). The read calls
    are account-level or name resources only known at run time, so ``Resource`` is ``*``; the actions are the
    whole of the privilege."""
    commands = list(CALLS) if command == "all" else [command]
    statements = [
        {
            "Sid": "SesPreflight" + "".join(part.title() for part in name.split("-")),
            "Effect": "Allow",
            "Action": sorted({action(call) for call in CALLS[name]}),
            "Resource": "*",
        }
        for name in commands
    ]
    return {"Version": "2012-10-17", "Statement": statements}


def policy_json(command: str = "all") -> str:
    return json.dumps(policy(command), indent=2) + "\n"


def calls_for(operation: str) -> list[str]:
    """The IAM actions named ``operation`` in the table (to name a denied call)."""
    return sorted({action(call) for calls in CALLS.values() for call in calls if call[1] == operation})
