"""SesRecordTakeover: lets a stack create DNS records that already exist with exactly its values, and puts them
back when the stack's copies go (a failed deployment's rollback included).

CloudFormation cannot import a Route53 record set and refuses to create one that exists; see
``ses_stack/settings/runtime/takeover.py`` for what the custom resource does, and what it never touches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from aws_cdk import Acknowledgment, Aws, CustomResource, Fn, Stack, Token, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_route53 as route53
from constructs import Construct

from ses_stack._lazy import collected_list
from ses_stack.settings.provider import SettingsFunction

RESOURCE_TYPE = "Custom::SesRecordTakeover"
JOURNAL_PREFIX = "ses-stack/record-takeover"  # the runtime's JOURNAL_PREFIX, without the leading slash


class SesRecordTakeoverProvider(SettingsFunction):
    """The takeover's own function and role: nothing else runs with its Route53 permissions."""

    STACK_ID = "SesRecordTakeoverProvider"
    RESOURCE_TYPES = (RESOURCE_TYPE,)
    DESCRIPTION = "DNS record takeover"

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.zone_arns: list[str] = []
        self.record_names: list[str] = []
        stack_uuid = Fn.select(2, Fn.split("/", Aws.STACK_ID))
        journals = f"arn:{Aws.PARTITION}:ssm:{Aws.REGION}:{Aws.ACCOUNT_ID}:parameter/{JOURNAL_PREFIX}/{stack_uuid}"
        self.policy = iam.Policy(
            self,
            "Policy",
            roles=[self.role],
            statements=[
                iam.PolicyStatement(
                    actions=["route53:ListResourceRecordSets"], resources=collected_list(self.zone_arns)
                ),
                iam.PolicyStatement(
                    actions=["route53:ChangeResourceRecordSets"],
                    resources=collected_list(self.zone_arns),
                    # delete (take over) and create (put back) only, only the kinds and names the stack writes
                    conditions={
                        "ForAllValues:StringEquals": {
                            "route53:ChangeResourceRecordSetsActions": ["CREATE", "DELETE"],
                            "route53:ChangeResourceRecordSetsRecordTypes": ["CNAME", "MX", "TXT"],
                        },
                        "ForAllValues:StringLike": {
                            "route53:ChangeResourceRecordSetsNormalizedRecordNames": collected_list(self.record_names),
                        },
                    },
                ),
                # which stack holds a record is asked by its physical id: the stack is not known beforehand
                iam.PolicyStatement(actions=["cloudformation:DescribeStackResources"], resources=["*"]),
                iam.PolicyStatement(
                    actions=["ssm:GetParameter", "ssm:PutParameter", "ssm:DeleteParameter", "ssm:GetParametersByPath"],
                    resources=[journals, f"{journals}/*"],
                ),
            ],
        )
        Validations.of(self.policy).acknowledge(
            Acknowledgment(
                id="AwsSolutions::AwsSolutions-IAM5[Resource::*]",
                reason="DescribeStackResources by physical id (read-only) is how the takeover learns whether another "
                "stack holds a record; the stack it names is not known beforehand.",
            )
        )
        Validations.of(self.policy).acknowledge(
            Acknowledgment(
                id=f"AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:"
                f"<AWS::AccountId>:parameter/{JOURNAL_PREFIX}/"
                '{"Fn::Select":[2,{"Fn::Split":["/",{"Ref":"AWS::StackId"}]}]}/*]',
                reason="One journal parameter per takeover resource, below this stack's own path.",
            )
        )

    def add(self, hosted_zone_id: str, names: Sequence[str]) -> None:
        arn = Stack.of(self).format_arn(
            service="route53", region="", account="", resource="hostedzone", resource_name=hosted_zone_id
        )
        if arn not in self.zone_arns:
            self.zone_arns.append(arn)
        self.record_names.extend(n for n in names if n not in self.record_names)


def _normalized(name: str, domain_name: str) -> str:
    """The name as Route53's NormalizedRecordNames condition sees it; a DKIM name (a CloudFormation attribute)
    as the pattern every DKIM name of the domain matches."""
    if Token.is_unresolved(name):
        return f"*._domainkey.{domain_name}"
    return name.rstrip(".").lower()


class SesRecordTakeover(Construct):
    """Runs before ``records`` are created: takes over those that exist outside any stack with exactly their values,
    and fails the deployment, changing nothing, on any other record at their names. Records the stack holds are
    left alone; records taken over are put back when the stack's copies go.

    Its custom resource's logical id follows the list of records, so a record added by an update is guarded by a
    resource created in that update (and deleted, restoring the record, if that update rolls back)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        hosted_zone: route53.IHostedZone,
        records: Sequence[route53.CfnRecordSet],
        domain_name: str,
    ) -> None:
        """
        :param hosted_zone: The zone that holds ``records``.
        :param records: The record sets to guard (each then depends on this resource).
        :param domain_name: The domain the records are for; the takeover's permissions are bounded to its DKIM,
            MAIL FROM and ``_dmarc`` names.
        """
        if not records:
            raise ValueError(f"SesRecordTakeover {construct_id!r} records: must not be empty; got []")
        super().__init__(scope, construct_id)
        provider = SesRecordTakeoverProvider.of(self)
        provider.add(hosted_zone.hosted_zone_id, [_normalized(r.name, domain_name) for r in records])
        stack = Stack.of(self)
        guarded = ",".join(sorted(stack.get_logical_id(r) for r in records))
        self.resource: CustomResource = provider.add_resource(
            self,
            f"Resource{hashlib.sha256(guarded.encode()).hexdigest()[:8].upper()}",
            resource_type=RESOURCE_TYPE,
            properties={
                "HostedZoneId": hosted_zone.hosted_zone_id,
                "Records": [
                    {"Name": r.name, "Type": r.type, "Values": r.resource_records, "LogicalId": r.logical_id}
                    for r in records
                ],
            },
            policy=provider.policy,
        )
        """The custom resource."""
        for record in records:
            record.node.add_dependency(self.resource)
