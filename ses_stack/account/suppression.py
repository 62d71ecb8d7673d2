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
        validation_threshold: ses.AutoValidationThreshold | None = None,
    ) -> None:
        """
        :param reasons: Which events put an address on the account suppression list.
            Default: BOUNCES_AND_COMPLAINTS.
        :param validation_threshold: Account-level Auto Validation (``ValidationAttributes``): SES refuses to send
            to addresses it judges invalid with at least this confidence. The value in force before is recorded
            and restored on deletion. Default: not set (the account's Auto Validation is left as it is).
        """
        if reasons not in _REASONS:
            raise ValueError(
                f"SesAccountSuppression {construct_id!r} reasons: must be a SuppressionReasons; got {reasons!r}"
            )
        if validation_threshold is not None and not isinstance(validation_threshold, ses.AutoValidationThreshold):
            raise ValueError(
                f"SesAccountSuppression {construct_id!r} validation_threshold: must be an AutoValidationThreshold "
                f"(MEDIUM, HIGH or MANAGED); got {validation_threshold!r}"
            )
        super().__init__(scope, construct_id)
        self.validation_threshold: ses.AutoValidationThreshold | None = validation_threshold
        """The account-level Auto Validation threshold set, or None when it is left alone."""
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
            properties={
                "SuppressedReasons": self.suppressed_reasons,
                "PriorParameterName": self.prior_parameter_name,
                # only when set: existing stacks see no change, and the account's own setting is left alone
                **({"ValidationThreshold": validation_threshold.value} if validation_threshold else {}),
            },
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
