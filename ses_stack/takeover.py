"""SesRecordTakeover: lets a stack create DNS records that already exist with exactly its values.

CloudFormation cannot import a Route53 record set and refuses to create one that exists; see
``ses_stack/settings/runtime/takeover.py`` for what the custom resource does, and when it refuses.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Aws, CustomResource, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_route53 as route53
from constructs import Construct

from ses_stack._lazy import collected_list
from ses_stack._singleton import OncePerStack
from ses_stack.settings.provider import SesSettingsProvider

RESOURCE_TYPE = "Custom::SesRecordTakeover"


class _Permissions(OncePerStack):
    """One policy per stack on the provider's role, whatever the number of domains: list and delete record sets in
    the domains' zones, and read this stack's own resources."""

    STACK_ID = "SesRecordTakeoverPermissions"

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.zone_arns: list[str] = []
        self.policy = iam.Policy(
            self,
            "Policy",
            roles=[SesSettingsProvider.of(self).role],
            statements=[
                iam.PolicyStatement(
                    actions=["route53:ListResourceRecordSets"], resources=collected_list(self.zone_arns)
                ),
                iam.PolicyStatement(
                    actions=["route53:ChangeResourceRecordSets"],
                    resources=collected_list(self.zone_arns),
                    # only deletions, only of the kinds of record the stack writes
                    conditions={
                        "ForAllValues:StringEquals": {
                            "route53:ChangeResourceRecordSetsActions": ["DELETE"],
                            "route53:ChangeResourceRecordSetsRecordTypes": ["CNAME", "MX", "TXT"],
                        }
                    },
                ),
                iam.PolicyStatement(actions=["cloudformation:DescribeStackResource"], resources=[Aws.STACK_ID]),
            ],
        )

    def add_zone(self, hosted_zone_id: str) -> None:
        self.zone_arns.append(
            Stack.of(self).format_arn(
                service="route53", region="", account="", resource="hostedzone", resource_name=hosted_zone_id
            )
        )


class SesRecordTakeover(Construct):
    """Runs before ``records`` are created: takes over those that exist in the zone with exactly their values, and
    fails the deployment, changing nothing, when one exists with other values. Records the stack already manages
    are left alone."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        hosted_zone: route53.IHostedZone,
        records: Sequence[route53.CfnRecordSet],
    ) -> None:
        """
        :param hosted_zone: The zone that holds ``records``.
        :param records: The record sets to guard (each then depends on this resource).
        """
        if not records:
            raise ValueError(f"SesRecordTakeover {construct_id!r} records: must not be empty; got []")
        super().__init__(scope, construct_id)
        permissions = _Permissions.of(self)
        permissions.add_zone(hosted_zone.hosted_zone_id)
        self.resource: CustomResource = SesSettingsProvider.of(self).add_resource(
            self,
            "Resource",
            resource_type=RESOURCE_TYPE,
            properties={
                "HostedZoneId": hosted_zone.hosted_zone_id,
                "Records": [
                    {
                        "Name": record.name,
                        "Type": record.type,
                        "Values": record.resource_records,
                        "LogicalId": record.logical_id,
                    }
                    for record in records
                ],
            },
            policy=permissions.policy,
        )
        """The custom resource."""
        for record in records:
            record.node.add_dependency(self.resource)
