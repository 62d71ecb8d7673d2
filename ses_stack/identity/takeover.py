"""SesRecordTakeover: lets a stack create DNS records that already exist with exactly its values, and puts them
back when the stack's copies go (a failed deployment's rollback included).

CloudFormation cannot import a Route53 record set and refuses to create one that exists; see
``ses_stack/settings/runtime/takeover.py`` for what the custom resource does, and what it never touches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from aws_cdk import Acknowledgment, Aws, CfnResource, CustomResource, Fn, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_route53 as route53
from constructs import Construct

from ses_stack._cdk.lazy import collected_list
from ses_stack._cdk.tokens import has_token
from ses_stack.identity.records import WrittenRecord
from ses_stack.settings.provider import SettingsFunction
from ses_stack.settings.takeover_scope import PolicyChunks

RESOURCE_TYPE = "Custom::SesRecordTakeover"
MAX_MANAGED_POLICIES = 9  # IAM attaches at most 10 managed policies to a role by default; one is kept free
JOURNAL_PREFIX = "ses-stack/record-takeover"  # the runtime's JOURNAL_PREFIX, without the leading slash


class SesRecordTakeoverProvider(SettingsFunction):
    """The takeover's own function and role: nothing else runs with its Route53 permissions. Its Route53
    statements name only the stack's zones and records, in as many managed policies as their size needs."""

    STACK_ID = "SesRecordTakeoverProvider"
    RESOURCE_TYPES = (RESOURCE_TYPE,)
    DESCRIPTION = "DNS record takeover"

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self._chunks = PolicyChunks()
        self._route53: list[tuple[iam.ManagedPolicy, list[str], list[str]]] = []
        stack_uuid = Fn.select(2, Fn.split("/", Aws.STACK_ID))
        journals = f"arn:{Aws.PARTITION}:ssm:{Aws.REGION}:{Aws.ACCOUNT_ID}:parameter/{JOURNAL_PREFIX}/{stack_uuid}"
        self.policy = iam.Policy(
            self,
            "Policy",
            roles=[self.role],
            statements=[
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

    def add(self, hosted_zone_id: str, names: Sequence[str]) -> iam.ManagedPolicy:
        """Allow the takeover to list ``hosted_zone_id`` and to delete or create ``names`` there; the managed
        policy that does (a custom resource depends on it)."""
        index = self._chunks.add(hosted_zone_id, names)
        if index >= MAX_MANAGED_POLICIES:
            raise ValueError(
                f"SesRecordTakeover: the record takeover of {Stack.of(self).stack_name} needs more than "
                f"{MAX_MANAGED_POLICIES} managed policies for its domains' names (IAM attaches at most "
                f"{MAX_MANAGED_POLICIES} to a role): spread the domains over more stacks (domainStacks); got "
                f"{index + 1} at zone {hosted_zone_id}"
            )
        if index == len(self._route53):
            self._route53.append(self._new_policy(index))
        policy, zone_arns, record_names = self._route53[index]
        arn = Stack.of(self).format_arn(
            service="route53", region="", account="", resource="hostedzone", resource_name=hosted_zone_id
        )
        if arn not in zone_arns:
            zone_arns.append(arn)
        record_names.extend(n for n in names if n not in record_names)
        return policy

    def _new_policy(self, index: int) -> tuple[iam.ManagedPolicy, list[str], list[str]]:
        zone_arns: list[str] = []
        record_names: list[str] = []
        policy = iam.ManagedPolicy(
            self,
            f"Route53{index + 1}",
            description="ses_stack record takeover: list the stack's zones; delete (take over) and create (put "
            "back) only the stack's own CNAME, MX and TXT names there",
            roles=[self.role],
            statements=[
                iam.PolicyStatement(actions=["route53:ListResourceRecordSets"], resources=collected_list(zone_arns)),
                iam.PolicyStatement(
                    actions=["route53:ChangeResourceRecordSets"],
                    resources=collected_list(zone_arns),
                    conditions={
                        "ForAllValues:StringEquals": {
                            "route53:ChangeResourceRecordSetsActions": ["CREATE", "DELETE"],
                            "route53:ChangeResourceRecordSetsRecordTypes": ["CNAME", "MX", "TXT"],
                        },
                        "ForAllValues:StringLike": {
                            "route53:ChangeResourceRecordSetsNormalizedRecordNames": collected_list(record_names),
                        },
                    },
                ),
            ],
        )
        return policy, zone_arns, record_names


def _normalized(record: WrittenRecord, domain_name: str) -> str:
    """The name as Route53's NormalizedRecordNames condition sees it; a DKIM name (a CloudFormation attribute)
    as the pattern every DKIM name of the domain matches."""
    if record.dkim:
        return f"*._domainkey.{domain_name}"
    return record.name.rstrip(".").lower()


def _described(record: route53.CfnRecordSet | WrittenRecord) -> WrittenRecord:
    """A record set with its values: as written (``SesDomain``), or read back from the resource."""
    if isinstance(record, WrittenRecord):
        return record
    name = record.name
    return WrittenRecord(record, name, record.type, tuple(record.resource_records or ()), dkim=has_token(name))


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
        records: Sequence[route53.CfnRecordSet | WrittenRecord],
        domain_name: str,
    ) -> None:
        """
        :param hosted_zone: The zone that holds ``records``.
        :param records: The record sets to guard (each then depends on this resource), or ``WrittenRecord``s that
            carry their values (read from the resource otherwise: a name that is a token counts as a DKIM name).
        :param domain_name: The domain the records are for; the takeover's permissions are bounded to its DKIM,
            MAIL FROM and ``_dmarc`` names.
        """
        if not records:
            raise ValueError(f"SesRecordTakeover {construct_id!r} records: must not be empty; got []")
        super().__init__(scope, construct_id)
        provider = SesRecordTakeoverProvider.of(self)
        described = [_described(record) for record in records]
        names = list(dict.fromkeys(_normalized(record, domain_name) for record in described))
        zone_id = hosted_zone.hosted_zone_id
        route53_policy = provider.add(zone_id, names)
        stack = Stack.of(self)
        # The logical ids as allocated (a record's logical id overridden later makes the takeover refuse it as held
        # under another id: the deployment stops, nothing is deleted).
        logical_ids = [stack.get_logical_id(r.resource) for r in described]
        guarded = ",".join(sorted(logical_ids))
        self.resource: CustomResource = provider.add_resource(
            self,
            f"Resource{hashlib.sha256(guarded.encode()).hexdigest()[:8].upper()}",
            resource_type=RESOURCE_TYPE,
            properties={
                "HostedZoneId": zone_id,
                "Records": [
                    {"Name": r.name, "Type": r.type, "Values": list(r.values), "LogicalId": logical_id}
                    for r, logical_id in zip(described, logical_ids, strict=True)
                ],
            },
            policy=provider.policy,
        )
        """The custom resource."""
        self.node.default_child = self.resource
        self.resource.node.add_dependency(route53_policy)
        resource = self.resource.node.default_child
        assert isinstance(resource, CfnResource)
        for record in described:
            record.resource.add_resource_dependency(resource)
