"""SesAccountSuppression: the account-level suppression list reasons (no CloudFormation resource exists)."""

from __future__ import annotations

from aws_cdk import CustomResource, Names, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ses as ses
from constructs import Construct

from ses_stack.settings.provider import SesSettingsProvider

RESOURCE_TYPE = "Custom::SesAccountSuppression"
_REASONS = {
    ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS: ["BOUNCE", "COMPLAINT"],
    ses.SuppressionReasons.BOUNCES_ONLY: ["BOUNCE"],
    ses.SuppressionReasons.COMPLAINTS_ONLY: ["COMPLAINT"],
}


class SesAccountSuppression(Construct):
    """Sets the Region's account-level suppression reasons with ``PutAccountSuppressionAttributes``.

    The reasons in force before it was created are recorded and restored when it is deleted. Create one per
    account and Region: two would overwrite each other's setting.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        reasons: ses.SuppressionReasons = ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    ) -> None:
        """
        :param reasons: Which events put an address on the account suppression list.
            Default: BOUNCES_AND_COMPLAINTS.
        """
        if reasons not in _REASONS:
            raise ValueError(
                f"SesAccountSuppression {construct_id!r} reasons: must be a SuppressionReasons; got {reasons!r}"
            )
        super().__init__(scope, construct_id)
        self.suppressed_reasons: list[str] = _REASONS[reasons]
        """The reasons set, as the API spells them."""
        stack = Stack.of(self)
        self.prior_parameter_name: str = f"/ses-stack/{stack.stack_name}/{Names.unique_id(self)}/prior-reasons"
        """SSM parameter where Create records the reasons in force before it (so a retried Create is idempotent)."""
        prior_parameter_arn = stack.format_arn(
            service="ssm", resource="parameter", resource_name=self.prior_parameter_name.lstrip("/")
        )
        self.resource: CustomResource = SesSettingsProvider.of(self).add_resource(
            self,
            "Resource",
            resource_type=RESOURCE_TYPE,
            properties={"SuppressedReasons": self.suppressed_reasons, "PriorParameterName": self.prior_parameter_name},
            statements=[
                iam.PolicyStatement(actions=["ses:GetAccount", "ses:PutAccountSuppressionAttributes"], resources=["*"]),
                iam.PolicyStatement(
                    actions=["ssm:GetParameter", "ssm:PutParameter", "ssm:DeleteParameter"],
                    resources=[prior_parameter_arn],
                ),
            ],
            wildcard_reason="ses:GetAccount and ses:PutAccountSuppressionAttributes act on the account and support "
            "no resource-level permissions, so their Resource must be *.",
        )
        """The custom resource."""
