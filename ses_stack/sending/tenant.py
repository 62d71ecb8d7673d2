"""SesTenant: isolates one customer's sending (identities, configuration set) and reputation in SES."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Acknowledgment, Aws, RemovalPolicy, Token, Validations
from aws_cdk import aws_ses as ses
from constructs import Construct

from ses_stack.sending.tenant_options import TenantReputationPolicy, TenantSuppressionScope
from ses_stack.validation import is_ses_name

SUPPRESSED_REASONS = ("BOUNCE", "COMPLAINT")
_SCHEMA_LAG = "CloudFormation-Validate::F3002"  # "Additional properties are not allowed"


class SesTenant(Construct):
    """An SES tenant (``AWS::SES::Tenant``) with the identities and configuration sets it sends through, an
    SES-managed reputation policy and its suppression list.

    Send as the tenant by naming it (``TenantName`` in SendEmail): SES then keeps the tenant's reputation apart and,
    under its reputation policy, pauses only this tenant when it misbehaves.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        tenant_name: str,
        identities: Sequence[ses.IEmailIdentity] = (),
        configuration_sets: Sequence[ses.IConfigurationSet] = (),
        reputation_policy: TenantReputationPolicy = TenantReputationPolicy.STANDARD,
        suppression_scope: TenantSuppressionScope = TenantSuppressionScope.TENANT,
        suppressed_reasons: Sequence[str] = SUPPRESSED_REASONS,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        """
        :param tenant_name: 1-64 letters, digits, ``_`` or ``-``; unique in the account and Region.
        :param identities: The identities the tenant sends as. Default: none.
        :param configuration_sets: The configuration sets the tenant sends through. Default: none.
        :param reputation_policy: How SES acts on the tenant's reputation findings. Default: STANDARD (pause this
            tenant alone on high-impact findings).
        :param suppression_scope: Which suppression list applies to the tenant's mail. Default: TENANT.
        :param suppressed_reasons: Events that suppress an address for the tenant (``BOUNCE``, ``COMPLAINT``).
            Default: both.
        :param removal_policy: What happens to the tenant (and its reputation history) when it leaves the stack.
            Default: RETAIN.
        """
        _validate(construct_id, tenant_name, suppressed_reasons)
        super().__init__(scope, construct_id)
        self.tenant_name: str = tenant_name
        """The tenant's name (``TenantName`` when sending)."""
        associations = [identity.email_identity_arn for identity in identities]
        associations += [
            f"arn:{Aws.PARTITION}:ses:{Aws.REGION}:{Aws.ACCOUNT_ID}:configuration-set/{s.configuration_set_name}"
            for s in configuration_sets
        ]
        self.resource: ses.CfnTenant = ses.CfnTenant(
            self,
            "Resource",
            tenant_name=tenant_name,
            resource_associations=[ses.CfnTenant.ResourceAssociationProperty(resource_arn=arn) for arn in associations]
            or None,
            reputation_entity=ses.CfnTenant.ReputationEntityProperty(
                policy=ses.CfnTenant.ReputationPolicyProperty(
                    reputation_entity_policy=f"arn:{Aws.PARTITION}:ses:{Aws.REGION}:aws:reputation-policy/"
                    f"{reputation_policy.value}"
                )
            ),
            suppression_attributes=ses.CfnTenant.TenantSuppressionAttributesProperty(
                suppression_scope=suppression_scope.value, suppressed_reasons=list(suppressed_reasons)
            ),
        )
        """The ``AWS::SES::Tenant`` resource."""
        self.resource.apply_removal_policy(removal_policy)
        # CloudFormation takes both properties (aws-cdk-lib's CfnTenant and cfn-lint's registry schema have them),
        # but the schema inside CDK's own CloudFormation validator predates them: acknowledged here, on this
        # resource only.
        Validations.of(self.resource).acknowledge(
            Acknowledgment(
                id=_SCHEMA_LAG,
                reason="AWS::SES::Tenant ReputationEntity and SuppressionAttributes are in CloudFormation's registry "
                "schema but not in the schema of CDK's bundled validator",
            )
        )
        self.tenant_arn: str = self.resource.attr_arn
        """The tenant's ARN."""


def _validate(construct_id: str, tenant_name: str, reasons: Sequence[str]) -> None:
    def fail(setting: str, rule: str, value: object) -> ValueError:
        return ValueError(f"SesTenant {construct_id!r} {setting}: {rule}; got {value!r}")

    if not Token.is_unresolved(tenant_name) and not is_ses_name(tenant_name):
        raise fail("tenant_name", "must be 1-64 letters, digits, underscores or hyphens", tenant_name)
    unknown = [r for r in reasons if r not in SUPPRESSED_REASONS]
    if unknown or len(set(reasons)) != len(reasons):
        raise fail("suppressed_reasons", "must list BOUNCE and/or COMPLAINT, each at most once", list(reasons))
