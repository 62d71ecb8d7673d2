"""SesReputationGuard: reputation alarms, an operations topic, and auto-pause that survives redeploys."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from aws_cdk import CustomResource, Duration, Names, RemovalPolicy, Stack, Token
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

if TYPE_CHECKING:
    from ses_stack.sending.configuration_set import SesConfigurationSet

from ses_stack._cdk.encryption import key_for_topic, topic_name
from ses_stack._cdk.function import python_function
from ses_stack._cdk.lazy import collected_list
from ses_stack._cdk.props import configuration_set_of
from ses_stack.reputation.settings import RateThresholds, reputation_metric, validate_guard
from ses_stack.settings.provider import SesSettingsProvider
from ses_stack.validation import BOUNCE_REVIEW_RATE, COMPLAINT_REVIEW_RATE

RUNTIME_DIR = Path(__file__).resolve().parent / "runtime"
PAUSE_GUARD_TYPE = "Custom::SesSendingPauseGuard"
LAMBDA_ACTION_PERMISSION_FLAG = "@aws-cdk/aws-cloudwatch-actions:changeLambdaPermissionLogicalIdForLambdaAction"


DEFAULT_BOUNCE = RateThresholds(warning=0.02, critical=0.04)
DEFAULT_COMPLAINT = RateThresholds(warning=0.0005, critical=0.0008)


class SesReputationGuard(Construct):
    """Watches ``Reputation.BounceRate`` and ``Reputation.ComplaintRate`` and acts before AWS does.

    Alarms at a warning and a critical level, for the account and for the configuration set (SES publishes the
    set's rates when its reputation metrics are on), notify an operations topic. Critical alarms also invoke a
    function that pauses sending on the configuration set and records the pause in an SSM parameter; a deployment
    guard re-applies a recorded pause whenever the set changes, so a redeploy never silently resumes sending.
    Resuming is a deliberate step: delete the parameter, then enable sending (see ``resume_commands``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        configuration_set: SesConfigurationSet | ses.IConfigurationSet,
        configuration_set_fingerprint: str = "",
        bounce_rate: RateThresholds = DEFAULT_BOUNCE,
        complaint_rate: RateThresholds = DEFAULT_COMPLAINT,
        alarm_emails: Sequence[str] = (),
        auto_pause: bool = True,
        configuration_set_alarms: bool = True,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        """
        :param configuration_set: The set to watch and pause.
        :param configuration_set_fingerprint: Changes whenever the set's settings change, so the pause guard runs
            after every update of the set (``SesConfigurationSet.fingerprint``). Default: "" (the guard runs on
            create and when its own settings change).
        :param bounce_rate: Levels for ``Reputation.BounceRate``; critical must stay below AWS's 5% review rate.
            Default: warning 2%, critical 4%.
        :param complaint_rate: Levels for ``Reputation.ComplaintRate``; critical below AWS's 0.1%.
            Default: warning 0.05%, critical 0.08%.
        :param alarm_emails: Addresses subscribed to the operations topic (each must confirm). Default: none.
        :param auto_pause: Pause sending on the set when a critical alarm fires. Default: True.
        :param configuration_set_alarms: Also alarm on the set's own rates (needs its reputation metrics on,
            as ``SesConfigurationSet`` does). Default: True.
        :param removal_policy: What happens to the operations topic's key and the pause function's log group when
            they leave the stack. Default: RETAIN.
        """
        configuration_set = configuration_set_of(f"SesReputationGuard {construct_id!r}", "configuration_set",
                                                 configuration_set)  # fmt: skip
        validate_guard(construct_id, bounce_rate, complaint_rate, alarm_emails)
        super().__init__(scope, construct_id)
        # One pause function serves several alarms: give each alarm's invoke permission its own id, whatever the
        # app's feature flags say (without this flag the second alarm fails with a duplicate construct id).
        self.node.set_context(LAMBDA_ACTION_PERMISSION_FLAG, True)
        stack = Stack.of(self)
        set_name = configuration_set.configuration_set_name
        self._set_dimensions = {"ses:configuration-set": set_name}

        name = topic_name(self, "operations")
        key = key_for_topic(
            self,
            "TopicKey",
            description="Encrypts the SES operations topic",
            service="cloudwatch.amazonaws.com",
            sid="AllowCloudWatchAlarmsToPublish",
            topic=name,
        )
        key.apply_removal_policy(removal_policy)
        self._removal_policy = removal_policy
        self.operations_topic: sns.Topic = sns.Topic(
            self,
            "OperationsTopic",
            topic_name=name,
            display_name="SES reputation and pipeline alarms",
            master_key=key,
            enforce_ssl=True,
        )
        """Where every alarm (and its recovery) is sent; subscribe chat or paging tools here."""
        self._notifying_arns: list[str] = []
        # Exactly the alarms wired to the topic (this stack's; ``notify`` adds more), resolved at synth.
        self.operations_topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowThisStacksAlarms",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["sns:Publish"],
                resources=[self.operations_topic.topic_arn],
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnEquals": {"aws:SourceArn": collected_list(self._notifying_arns)},
                },
            )
        )
        for address in alarm_emails:
            self.operations_topic.add_subscription(subscriptions.EmailSubscription(address))

        self.marker_parameter_name: str = f"/ses-stack/{stack.stack_name}/{Names.unique_id(self)}/paused"
        """SSM parameter that records a pause (written by the pause function, read by the deployment guard)."""
        marker_arn = stack.format_arn(
            service="ssm", resource="parameter", resource_name=self.marker_parameter_name.lstrip("/")
        )
        set_arn = stack.format_arn(service="ses", resource="configuration-set", resource_name=set_name)

        self.pause_function: lambda_.Function | None = None
        """Pauses the set on a critical alarm; None without auto-pause."""
        if auto_pause:
            self.pause_function = self._pause_function(set_name, set_arn, marker_arn)

        self.alarms: dict[str, cloudwatch.Alarm] = {}
        """Alarms by name: ``account-bounce-warning``, ``configuration-set-complaint-critical``..."""
        scopes: list[tuple[str, dict[str, str] | None]] = [("account", None)]
        if configuration_set_alarms:
            scopes.append(("configuration-set", {"ses:configuration-set": set_name}))
        for scope_name, dimensions in scopes:
            for metric_name, label, thresholds in (
                ("Reputation.BounceRate", "bounce", bounce_rate),
                ("Reputation.ComplaintRate", "complaint", complaint_rate),
            ):
                for level, threshold in (("warning", thresholds.warning), ("critical", thresholds.critical)):
                    alarm = self._alarm(
                        scope_name=scope_name,
                        metric_name=metric_name,
                        label=label,
                        level=level,
                        threshold=threshold,
                        dimensions=dimensions,
                    )
                    if level == "critical" and self.pause_function is not None:
                        alarm.add_alarm_action(actions.LambdaAction(self.pause_function))
                    self.alarms[f"{scope_name}-{label}-{level}"] = alarm
        if self.pause_function is not None:
            self.alarms["pause-failed"] = self._pause_failed_alarm(self.pause_function)

        self.pause_guard: CustomResource = SesSettingsProvider.of(self).add_resource(
            self,
            "PauseGuard",
            resource_type=PAUSE_GUARD_TYPE,
            properties={
                "ConfigurationSetName": set_name,
                "MarkerParameterName": self.marker_parameter_name,
                "Fingerprint": configuration_set_fingerprint,
            },
            statements=[
                iam.PolicyStatement(actions=["ses:PutConfigurationSetSendingOptions"], resources=[set_arn]),
                iam.PolicyStatement(actions=["ssm:GetParameter", "ssm:DeleteParameter"], resources=[marker_arn]),
            ],
        )
        """Runs after every change of the set and pauses it again if a pause is recorded."""
        if not Token.is_unresolved(set_name):  # a Ref to the set already orders it after the set
            self.pause_guard.node.add_dependency(configuration_set)

    def metric_bounce_rate(self, *, configuration_set: bool = False) -> cloudwatch.Metric:
        """SES's ``Reputation.BounceRate`` (maximum over 15 minutes), of the account or (``configuration_set``) of
        the set, the one the alarms watch. Default: the account's."""
        return reputation_metric("Reputation.BounceRate", self._set_dimensions if configuration_set else None)

    def metric_complaint_rate(self, *, configuration_set: bool = False) -> cloudwatch.Metric:
        """SES's ``Reputation.ComplaintRate``, as ``metric_bounce_rate``. Default: the account's."""
        return reputation_metric("Reputation.ComplaintRate", self._set_dimensions if configuration_set else None)

    def notify(self, alarm: cloudwatch.Alarm) -> None:
        """Send ``alarm`` (and its recovery) to the operations topic; the topic lets exactly these alarms publish."""
        alarm.add_alarm_action(actions.SnsAction(self.operations_topic))
        alarm.add_ok_action(actions.SnsAction(self.operations_topic))
        self._notifying_arns.append(alarm.alarm_arn)

    def _alarm(
        self,
        *,
        scope_name: str,
        metric_name: str,
        label: str,
        level: str,
        threshold: float,
        dimensions: dict[str, str] | None,
    ) -> cloudwatch.Alarm:
        what = "the account" if dimensions is None else "the configuration set"
        pause = (
            " The auto-pause function now pauses sending on the configuration set (the pause-failed alarm follows if"
            " it cannot)."
            if level == "critical" and self.pause_function
            else ""
        )
        alarm = cloudwatch.Alarm(
            self,
            f"{scope_name.title().replace('-', '')}{label.title()}{level.title()}",
            alarm_description=f"SES {label} rate of {what} reached {threshold:.4%} ({level}). AWS reviews accounts "
            f"at {BOUNCE_REVIEW_RATE if label == 'bounce' else COMPLAINT_REVIEW_RATE:.1%}.{pause}",
            metric=reputation_metric(metric_name, dimensions),
            threshold=threshold,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluation_periods=1,
            # As AWS recommends for reputation alarms: no data (no sending) is not a verdict either way.
            treat_missing_data=cloudwatch.TreatMissingData.IGNORE,
        )
        self.notify(alarm)
        return alarm

    def _pause_failed_alarm(self, function: lambda_.Function) -> cloudwatch.Alarm:
        """Tells operators when a pause did not happen: any error of the pause function (after Lambda's retries
        of the alarm action, each counted), including a timeout."""
        alarm = cloudwatch.Alarm(
            self,
            "PauseFailed",
            alarm_description="The SES auto-pause function failed: sending on the configuration set may NOT be "
            "paused although a critical reputation alarm fired. Pause it by hand (aws sesv2 "
            "put-configuration-set-sending-options --no-sending-enabled) and read the function's log.",
            metric=function.metric_errors(period=Duration.minutes(1), statistic="Sum"),
            threshold=0,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        self.notify(alarm)
        return alarm

    def _pause_function(self, set_name: str, set_arn: str, marker_arn: str) -> lambda_.Function:
        function = python_function(
            self,
            "Pause",
            code_dir=RUNTIME_DIR,
            handler="pause.handler",
            description="Pauses sending on the SES configuration set when a critical reputation alarm fires",
            role_description="SES auto-pause: pause one configuration set and record why",
            timeout=Duration.seconds(30),
            memory_size=128,
            environment={"CONFIGURATION_SET_NAME": set_name, "MARKER_PARAMETER_NAME": self.marker_parameter_name},
            removal_policy=self._removal_policy,
        )
        function.add_to_role_policy(
            iam.PolicyStatement(actions=["ses:PutConfigurationSetSendingOptions"], resources=[set_arn])
        )
        function.add_to_role_policy(iam.PolicyStatement(actions=["ssm:PutParameter"], resources=[marker_arn]))
        return function

    def resume_commands(self, region: str = "<region>") -> list[str]:
        """The AWS CLI commands that resume sending after a pause (run them deliberately, once fixed)."""
        return [
            f"aws ssm delete-parameter --region {region} --name {self.marker_parameter_name}",
            f"aws sesv2 put-configuration-set-sending-options --region {region} "
            "--configuration-set-name <configuration set name> --sending-enabled",
        ]
