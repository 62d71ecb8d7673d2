"""SesFeedbackPipeline: SES events -> encrypted SNS topic -> encrypted SQS queue (+ DLQ) -> suppression handler."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from aws_cdk import Acknowledgment, Duration, RemovalPolicy, Stack, Validations
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_logs as logs
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

if TYPE_CHECKING:
    from ses_stack.sending.configuration_set import SesConfigurationSet

from ses_stack._cdk.encryption import key_for_topic, topic_name
from ses_stack._cdk.function import python_function
from ses_stack._cdk.props import configuration_set_of
from ses_stack.feedback.options import AddressLogging

RUNTIME_DIR = Path(__file__).resolve().parent / "runtime"
REQUIRED_EVENTS = (ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT)
# Other types worth routing to the topic; opens and clicks are left out on purpose (costly, noisy).
OPTIONAL_EVENTS = (
    ses.EmailSendingEvent.DELIVERY,
    ses.EmailSendingEvent.REJECT,
    ses.EmailSendingEvent.DELIVERY_DELAY,
    ses.EmailSendingEvent.SUBSCRIPTION,
)
HANDLER_TIMEOUT = Duration.seconds(30)
SQS_DECRYPTION_CONDITION_FLAG = "@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption"
MAX_RECEIVE_COUNT = 5
DEFAULT_PARALLEL_CALLS = 4  # the handler's own default (runtime/handler.py)


METRICS_NAMESPACE = "SesStack/Feedback"  # the handler's CloudWatch metrics (embedded metric format)


class SesFeedbackPipeline(Construct):
    """Routes a configuration set's BOUNCE and COMPLAINT events to a handler that suppresses the addresses.

    Resources: a standard SNS topic, SSL-only, encrypted with a customer-managed key (rotation on) whose policy lets
    SES use it from this account only, and whose topic policy lets SES publish from this configuration set only;
    an SSL-only queue with raw message delivery and a dead-letter queue (14 days, alarmed), both encrypted with a
    second key SNS may use for this topic only; and a Python Lambda with ``ReportBatchItemFailures`` whose role may
    only read the queue, write its log group and call ``ses:PutSuppressedDestination``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        configuration_set: SesConfigurationSet | ses.IConfigurationSet,
        additional_event_types: Sequence[ses.EmailSendingEvent] = (),
        topic: sns.ITopic | None = None,
        max_concurrency: int = 2,
        parallel_calls: int = DEFAULT_PARALLEL_CALLS,
        log_retention: logs.RetentionDays = logs.RetentionDays.THREE_MONTHS,
        address_logging: AddressLogging = AddressLogging.HASHED,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        """
        :param configuration_set: The set whose events are routed.
        :param additional_event_types: Event types published besides BOUNCE and COMPLAINT (DELIVERY, REJECT,
            DELIVERY_DELAY, SUBSCRIPTION); the handler logs and ignores them. Default: none.
        :param topic: Bring your own standard SNS topic in this Region. Its policy and encryption key policy must
            already let ``ses.amazonaws.com`` publish (a topic imported into CDK cannot be changed). Default: a new
            topic encrypted with ``topic_key``.
        :param max_concurrency: Most concurrent handler invocations, 2-1000. Default: 2.
        :param parallel_calls: Suppression calls each invocation makes at once, 1-16. With ``max_concurrency``
            it bounds the calls in flight (default 2 x 4 = 8). Default: 4.
        :param log_retention: Retention of the handler's log group (its lines name recipients). Default:
            THREE_MONTHS.
        :param address_logging: How addresses appear in the handler's logs. Default: HASHED (masked, with a
            stable hash; never readable).
        :param removal_policy: What happens to the state when it leaves the stack: the dead-letter queue (feedback
            not yet processed), the two keys (without them the queue cannot be read) and the handler's log group.
            The topic and the queue hold nothing worth keeping and are always deleted. Default: RETAIN.
        """
        configuration_set = configuration_set_of(
            f"SesFeedbackPipeline {construct_id!r}", "configuration_set", configuration_set
        )
        _validate(construct_id, additional_event_types, max_concurrency, parallel_calls, address_logging)
        super().__init__(scope, construct_id)
        # Scope SNS's use of the queue key to our topic (aws:SourceArn) whatever the app's feature flags say.
        self.node.set_context(SQS_DECRYPTION_CONDITION_FLAG, True)

        # Two keys: one shared key would make a cycle (the queue key's policy names the topic, the topic uses the key).
        self.topic_key: kms.Key | None = None
        """Customer-managed key of the new topic (the AWS-managed SNS key cannot be shared with SES); None with
        your own topic."""
        name = topic_name(self, "events")
        if topic is None:
            self.topic_key = key_for_topic(
                self,
                "TopicKey",
                description="Encrypts the SES feedback topic",
                service="ses.amazonaws.com",
                sid="AllowSesToPublishToEncryptedTopic",
                topic=name,
            )
        self.queue_key: kms.Key = kms.Key(
            self, "QueueKey", enable_key_rotation=True, description="Encrypts the SES feedback queues"
        )
        """Customer-managed key of the queue and the dead-letter queue (SNS may use it for this topic only)."""

        self.events_topic: sns.ITopic = topic or sns.Topic(
            self,
            "Topic",
            topic_name=name,
            display_name="SES bounce and complaint events",
            master_key=self.topic_key,
            enforce_ssl=True,
        )
        """The SNS topic SES publishes events to; subscribe more consumers here."""

        event_types = [*REQUIRED_EVENTS, *additional_event_types]
        self.event_destination: ses.ConfigurationSetEventDestination = ses.ConfigurationSetEventDestination(
            self,
            "EventDestination",
            configuration_set=configuration_set,
            destination=ses.EventDestination.sns_topic(self.events_topic),
            events=event_types,  # always explicit: the L2 default is every event type
            enabled=True,
        )
        """The configuration set event destination (its topic policy statement is added by aws-cdk-lib)."""

        self.dead_letter_queue: sqs.Queue = sqs.Queue(
            self,
            "DeadLetterQueue",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=self.queue_key,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        """Records the handler failed on MAX_RECEIVE_COUNT times."""
        self.queue: sqs.Queue = sqs.Queue(
            self,
            "Queue",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=self.queue_key,
            enforce_ssl=True,
            visibility_timeout=Duration.seconds(HANDLER_TIMEOUT.to_seconds() * 6),
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.dead_letter_queue, max_receive_count=MAX_RECEIVE_COUNT),
        )
        """Buffers events between the topic and the handler."""
        for stateful in (self.dead_letter_queue, self.queue_key, self.topic_key):
            if stateful is not None:
                stateful.apply_removal_policy(removal_policy)
        # Raw delivery: the SQS body is the SES JSON itself (the handler also accepts SNS envelopes).
        self.events_topic.add_subscription(subscriptions.SqsSubscription(self.queue, raw_message_delivery=True))

        self.handler: lambda_.Function = python_function(
            self,
            "Handler",
            code_dir=RUNTIME_DIR,
            handler="handler.handler",
            description="Suppresses permanently bounced and complaining recipients (SES account suppression list)",
            role_description="SES feedback handler: read the feedback queue, suppress addresses, write logs",
            timeout=HANDLER_TIMEOUT,
            memory_size=256,
            environment={
                "METRICS_NAMESPACE": METRICS_NAMESPACE,
                "LOG_LEVEL": "INFO",
                # Only feedback on mail this account sent through this set is acted on (forged messages are not).
                "EXPECTED_ACCOUNT_ID": Stack.of(self).account,
                "CONFIGURATION_SET_NAME": configuration_set.configuration_set_name,
                "MAX_PARALLEL_CALLS": str(parallel_calls),
                "ADDRESS_LOGGING": address_logging.value,
            },
            log_retention=log_retention,
            removal_policy=removal_policy,
        )
        """The suppression handler (code in ``ses_stack/feedback/runtime/handler.py``)."""
        assert self.handler.role is not None
        suppress_policy = iam.Policy(
            self,
            "SuppressPolicy",
            statements=[iam.PolicyStatement(actions=["ses:PutSuppressedDestination"], resources=["*"])],
            roles=[self.handler.role],
        )
        Validations.of(suppress_policy).acknowledge(
            Acknowledgment(
                id="AwsSolutions::AwsSolutions-IAM5[Resource::*]",
                reason="ses:PutSuppressedDestination acts on the account suppression list and supports no "
                "resource-level permissions, so its Resource must be *.",
            )
        )
        self.handler.node.add_dependency(suppress_policy)
        self.handler.add_event_source(
            event_sources.SqsEventSource(
                self.queue,
                batch_size=10,
                max_batching_window=Duration.seconds(5),
                report_batch_item_failures=True,
                max_concurrency=max_concurrency,
            )
        )

        self.dead_letter_alarm: cloudwatch.Alarm = cloudwatch.Alarm(
            self,
            "DeadLetterAlarm",
            alarm_description="SES feedback records the handler could not process are waiting in the dead-letter "
            "queue: bounced or complaining addresses may not be suppressed.",
            metric=self.metric_dead_letter_messages(),
            threshold=0,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        """In alarm while the dead-letter queue holds anything (add actions, or use the reputation guard's)."""

    def metric_dead_letter_messages(self, period: Duration | None = None) -> cloudwatch.Metric:
        """Records waiting in the dead-letter queue (maximum over ``period``). Default period: 1 minute."""
        return self.dead_letter_queue.metric_approximate_number_of_messages_visible(
            period=period or Duration.minutes(1), statistic="Maximum"
        )

    def metric_handler_errors(self, period: Duration | None = None) -> cloudwatch.Metric:
        """Invocations of the handler that failed (sum over ``period``). Default period: 5 minutes."""
        return self.handler.metric_errors(period=period or Duration.minutes(5), statistic="Sum")

    def metric_suppressed(self, period: Duration | None = None) -> cloudwatch.Metric:
        """Addresses the handler put on the suppression list (its ``Suppressed`` metric, sum over ``period``).
        Default period: 5 minutes."""
        return cloudwatch.Metric(
            namespace=METRICS_NAMESPACE, metric_name="Suppressed", statistic="Sum", period=period or Duration.minutes(5)
        )


def _validate(
    construct_id: str,
    additional_event_types: Sequence[ses.EmailSendingEvent],
    max_concurrency: int,
    parallel_calls: int,
    address_logging: AddressLogging,
) -> None:
    def fail(setting: str, rule: str, value: object) -> ValueError:
        return ValueError(f"SesFeedbackPipeline {construct_id!r} {setting}: {rule}; got {value!r}")

    for event in additional_event_types:
        if event not in OPTIONAL_EVENTS:
            allowed = ", ".join(e.name for e in OPTIONAL_EVENTS)
            raise fail("additional_event_types", f"each must be one of {allowed}", getattr(event, "name", event))
    if len(set(additional_event_types)) != len(additional_event_types):
        raise fail("additional_event_types", "must not repeat an event type", [e.name for e in additional_event_types])
    if not 2 <= max_concurrency <= 1000:
        raise fail("max_concurrency", "must be from 2 to 1000 (the SQS event source limits)", max_concurrency)
    if isinstance(parallel_calls, bool) or not isinstance(parallel_calls, int) or not 1 <= parallel_calls <= 16:
        raise fail("parallel_calls", "must be a whole number from 1 to 16", parallel_calls)
    if not isinstance(address_logging, AddressLogging):
        raise fail("address_logging", "must be an AddressLogging (HASHED or CLEAR)", address_logging)
