"""SesDkimReplica: Deterministic Easy DKIM, an identity signing with the Easy DKIM keys of the same domain in the
origin (primary) Region, so one set of DKIM CNAMEs serves every Region.

CloudFormation cannot express it (``AWS::SES::EmailIdentity`` has no signing-origin property); the settings
provider calls ``PutEmailIdentityDkimSigningAttributes`` (see ``settings/runtime/dkim_replica.py``).
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, Aws, Stack, Token, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ses as ses
from constructs import Construct

from ses_stack._cdk.lazy import collected_list
from ses_stack.settings.provider import SettingsFunction
from ses_stack.validation import region_problem

DKIM_REPLICA = "Custom::SesDkimReplica"  # the runtime's DKIM_REPLICA (a test keeps them equal; it needs botocore)


class SesDkimReplicaProvider(SettingsFunction):
    """The DKIM replica's own function and role: read identities in this Region and each origin Region, and point
    only this stack's identities (by name) at an origin's keys."""

    STACK_ID = "SesDkimReplicaProvider"
    RESOURCE_TYPES = (DKIM_REPLICA,)
    DESCRIPTION = "Deterministic Easy DKIM replica"

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        # read: every identity here and in each origin Region; change: only this stack's identities, by name
        self.origin_identities: list[str] = [f"arn:{Aws.PARTITION}:ses:{Aws.REGION}:{Aws.ACCOUNT_ID}:identity/*"]
        self.identities: list[str] = []
        self.policy = iam.Policy(
            self,
            "Policy",
            roles=[self.role],
            statements=[
                iam.PolicyStatement(actions=["ses:GetEmailIdentity"], resources=collected_list(self.origin_identities)),
                iam.PolicyStatement(
                    actions=["ses:PutEmailIdentityDkimSigningAttributes"], resources=collected_list(self.identities)
                ),
            ],
        )
        self._acknowledge("<AWS::Region>")

    def _acknowledge(self, region: str) -> None:
        Validations.of(self.policy).acknowledge(
            Acknowledgment(
                id=f"AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:{region}:<AWS::AccountId>"
                ":identity/*]",
                reason="Read-only (GetEmailIdentity): listing each identity in two Regions as well as the ones it "
                "may change would pass IAM's 10,240-character limit on a role's inline policies at about 60 domains.",
            )
        )

    def add_origin(self, region: str) -> None:
        arn = f"arn:{Aws.PARTITION}:ses:{region}:{Aws.ACCOUNT_ID}:identity/*"
        if arn not in self.origin_identities:
            self.origin_identities.append(arn)
            self._acknowledge(region)


class SesDkimReplica(Construct):
    """Makes ``identity`` sign with the Easy DKIM keys of the same domain's identity in ``origin_region``, once
    that one is verified (the deployment fails, with what to do, while it is not)."""

    def __init__(
        self, scope: Construct, construct_id: str, *, identity: ses.EmailIdentity, domain_name: str, origin_region: str
    ) -> None:
        """
        :param identity: The domain identity of this Region (created with Easy DKIM; it then signs with the
            origin's keys and needs no DKIM records of its own).
        :param domain_name: The identity's domain (the same in both Regions).
        :param origin_region: The Region whose identity holds the keys (the primary Region); not this one.
        """
        if not Token.is_unresolved(origin_region):
            problem = region_problem(origin_region)
            if problem is not None:
                raise ValueError(f"SesDkimReplica {construct_id!r} origin_region: {problem}; got {origin_region!r}")
            here = Stack.of(scope).region
            if not Token.is_unresolved(here) and here == origin_region:
                raise ValueError(
                    f"SesDkimReplica {construct_id!r} origin_region: must be another Region than the stack's; "
                    f"got {origin_region!r}"
                )
        super().__init__(scope, construct_id)
        permissions = SesDkimReplicaProvider.of(self)
        permissions.add_origin(origin_region)
        permissions.identities.append(Stack.of(self).format_arn(service="ses", resource="identity",
                                                                resource_name=domain_name))  # fmt: skip
        self.origin_region: str = origin_region
        """The Region whose Easy DKIM keys the identity signs with."""
        self.resource = permissions.add_resource(
            self,
            "Replica",  # its function changed: a ServiceToken cannot, so a new resource (Create is idempotent)
            resource_type=DKIM_REPLICA,
            properties={"EmailIdentity": domain_name, "OriginRegion": origin_region},
            policy=permissions.policy,
        )
        """The custom resource."""
        self.node.default_child = self.resource
        self.resource.node.add_dependency(identity)
