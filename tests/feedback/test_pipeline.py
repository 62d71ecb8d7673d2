"""SesFeedbackPipeline: every resource and policy, with the security properties asserted one by one."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Environment, Stack
from aws_cdk import aws_logs as logs
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template

from ses_stack import SesFeedbackPipeline
from ses_stack.feedback.options import AddressLogging
from tests.conftest import new_app, resources_of

ACCOUNT_REF = {"Ref": "AWS::AccountId"}


class Built:
    def __init__(self, outdir: Any) -> None:
        app = new_app(outdir)
        self.stack = Stack(app, "Pipeline", env=Environment(region="eu-west-1"))
        self.config_set = ses.ConfigurationSet(self.stack, "Set")
        self.pipeline = SesFeedbackPipeline(self.stack, "Feedback", configuration_set=self.config_set)
        self.extra = Stack(app, "Extra", env=Environment(region="us-east-1"))
        extra_set = ses.ConfigurationSet(self.extra, "Set")
        own_topic = sns.Topic.from_topic_arn(self.extra, "Own", "arn:aws:sns:us-east-1:123456789012:mine")
        self.byo = SesFeedbackPipeline(
            self.extra,
            "Feedback",
            configuration_set=extra_set,
            additional_event_types=[ses.EmailSendingEvent.DELIVERY, ses.EmailSendingEvent.REJECT],
            topic=own_topic,
            max_concurrency=5,
        )
        self.template = Template.from_stack(self.stack)
        self.raw = self.template.to_json()
        self.extra_template = Template.from_stack(self.extra)

    def only(self, resource_type: str) -> tuple[str, dict[str, Any]]:
        ((logical_id, resource),) = resources_of(self.raw, resource_type).items()
        return logical_id, resource

    def logical_id(self, construct: Any) -> str:
        return str(self.stack.get_logical_id(construct.node.default_child))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("pipeline"))


def test_event_destination_lists_bounce_and_complaint_explicitly(built: Built) -> None:
    topic = built.logical_id(built.pipeline.events_topic)
    built.template.has_resource_properties(
        "AWS::SES::ConfigurationSetEventDestination",
        {
            "ConfigurationSetName": {"Ref": built.logical_id(built.config_set)},
            "EventDestination": {
                "Enabled": True,
                "MatchingEventTypes": ["bounce", "complaint"],
                "SnsDestination": {"TopicARN": {"Ref": topic}},
            },
        },
    )


def test_additional_event_types_are_appended_never_all_events(built: Built) -> None:
    built.extra_template.has_resource_properties(
        "AWS::SES::ConfigurationSetEventDestination",
        {
            "EventDestination": {
                "MatchingEventTypes": ["bounce", "complaint", "delivery", "reject"],
                "SnsDestination": {"TopicARN": "arn:aws:sns:us-east-1:123456789012:mine"},
            }
        },
    )


def test_topic_is_standard_encrypted_with_a_customer_key(built: Built) -> None:
    topic_key = built.logical_id(built.pipeline.topic_key)
    built.template.has_resource_properties(
        "AWS::SNS::Topic", {"KmsMasterKeyId": {"Fn::GetAtt": [topic_key, "Arn"]}, "FifoTopic": Match.absent()}
    )


def test_keys_rotate(built: Built) -> None:
    keys = resources_of(built.raw, "AWS::KMS::Key")
    assert len(keys) == 3  # topic, queues, the handler's log group
    assert all(key["Properties"]["EnableKeyRotation"] is True for key in keys.values())


def test_topic_key_lets_ses_use_it_from_this_account_and_for_this_topic_only(built: Built) -> None:
    key = built.raw["Resources"][built.logical_id(built.pipeline.topic_key)]
    topic_name = built.raw["Resources"][built.logical_id(built.pipeline.events_topic)]["Properties"]["TopicName"]
    assert topic_name == "Pipeline-Feedback-1AF6EBB3-events"  # fixed by the construct path: no key <-> topic cycle
    ses_statements = [
        s for s in key["Properties"]["KeyPolicy"]["Statement"] if s["Principal"] == {"Service": "ses.amazonaws.com"}
    ]
    assert ses_statements == [
        {
            "Sid": "AllowSesToPublishToEncryptedTopic",
            "Effect": "Allow",
            "Principal": {"Service": "ses.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": {
                "StringEquals": {
                    "aws:SourceAccount": ACCOUNT_REF,
                    # this topic only: SNS names it in the encryption context of the data key SES asks for
                    "kms:EncryptionContext:aws:sns:topicArn": {
                        "Fn::Join": ["", ["arn:aws:sns:eu-west-1:", ACCOUNT_REF, f":{topic_name}"]]
                    },
                }
            },
        }
    ]


def test_queue_key_lets_sns_use_it_for_this_topic_only(built: Built) -> None:
    key = built.raw["Resources"][built.logical_id(built.pipeline.queue_key)]
    topic = built.logical_id(built.pipeline.events_topic)
    services = [s for s in key["Properties"]["KeyPolicy"]["Statement"] if "Service" in s["Principal"]]
    assert services == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": "*",
            "Condition": {"ArnEquals": {"aws:SourceArn": {"Ref": topic}}},
        }
    ]


def test_topic_policy_allows_ses_from_this_configuration_set_only_and_requires_ssl(built: Built) -> None:
    topic = built.logical_id(built.pipeline.events_topic)
    _, policy = built.only("AWS::SNS::TopicPolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert {
        "Sid": "AllowPublishThroughSSLOnly",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "sns:Publish",
        "Resource": {"Ref": topic},
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    } in statements
    (ses_statement,) = [s for s in statements if s.get("Principal") == {"Service": "ses.amazonaws.com"}]
    assert ses_statement["Action"] == "sns:Publish"
    assert ses_statement["Resource"] == {"Ref": topic}
    assert ses_statement["Condition"] == {
        "StringEquals": {
            "AWS:SourceAccount": ACCOUNT_REF,
            "AWS:SourceArn": {
                "Fn::Join": [
                    "",
                    [
                        "arn:",
                        {"Ref": "AWS::Partition"},
                        ":ses:eu-west-1:",
                        ACCOUNT_REF,
                        ":configuration-set/",
                        {"Ref": built.logical_id(built.config_set)},
                    ],
                ]
            },
        }
    }


def test_queues_are_encrypted_ssl_only_with_a_14_day_dead_letter_queue(built: Built) -> None:
    queue_key = {"Fn::GetAtt": [built.logical_id(built.pipeline.queue_key), "Arn"]}
    dlq = built.logical_id(built.pipeline.dead_letter_queue)
    queue = built.logical_id(built.pipeline.queue)
    assert built.raw["Resources"][dlq]["Properties"] == {"KmsMasterKeyId": queue_key, "MessageRetentionPeriod": 1209600}
    built.template.has_resource_properties(
        "AWS::SQS::Queue",
        {
            "KmsMasterKeyId": queue_key,
            "VisibilityTimeout": 180,  # six times the handler timeout
            "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": [dlq, "Arn"]}, "maxReceiveCount": 5},
        },
    )
    for logical_id in (dlq, queue):
        built.template.has_resource_properties(
            "AWS::SQS::QueuePolicy",
            {
                "Queues": [{"Ref": logical_id}],
                "PolicyDocument": {
                    "Statement": Match.array_with(
                        [
                            {
                                "Action": "sqs:*",
                                "Effect": "Deny",
                                "Principal": {"AWS": "*"},
                                "Resource": {"Fn::GetAtt": [logical_id, "Arn"]},
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        ]
                    )
                },
            },
        )


def test_queue_accepts_messages_from_this_topic_only_with_raw_delivery(built: Built) -> None:
    topic = {"Ref": built.logical_id(built.pipeline.events_topic)}
    queue_arn = {"Fn::GetAtt": [built.logical_id(built.pipeline.queue), "Arn"]}
    built.template.has_resource_properties(
        "AWS::SNS::Subscription",
        {"Protocol": "sqs", "TopicArn": topic, "Endpoint": queue_arn, "RawMessageDelivery": True},
    )
    built.template.has_resource_properties(
        "AWS::SQS::QueuePolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        {
                            "Action": "sqs:SendMessage",
                            "Effect": "Allow",
                            "Principal": {"Service": "sns.amazonaws.com"},
                            "Resource": queue_arn,
                            "Condition": {"ArnEquals": {"aws:SourceArn": topic}},
                        }
                    ]
                )
            }
        },
    )


def test_handler_function_runtime_and_event_source(built: Built) -> None:
    function = built.logical_id(built.pipeline.handler)
    built.template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Runtime": "python3.14",
            "Architectures": ["arm64"],
            "Handler": "handler.handler",
            "Timeout": 30,
            "LoggingConfig": {"LogFormat": "JSON", "LogGroup": {"Ref": Match.any_value()}},
            "Environment": {
                "Variables": {
                    "METRICS_NAMESPACE": "SesStack/Feedback",
                    "LOG_LEVEL": "INFO",
                    # the handler acts only on feedback about this account's mail through this set
                    "EXPECTED_ACCOUNT_ID": ACCOUNT_REF,
                    "CONFIGURATION_SET_NAME": {"Ref": built.logical_id(built.config_set)},
                    "MAX_PARALLEL_CALLS": "4",
                    "ADDRESS_LOGGING": "hashed",
                }
            },
            "Layers": Match.absent(),
        },
    )
    built.template.has_resource_properties(
        "AWS::Lambda::EventSourceMapping",
        {
            "FunctionName": {"Ref": function},
            "EventSourceArn": {"Fn::GetAtt": [built.logical_id(built.pipeline.queue), "Arn"]},
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "BatchSize": 10,
            "ScalingConfig": {"MaximumConcurrency": 2},
        },
    )
    built.extra_template.has_resource_properties(
        "AWS::Lambda::EventSourceMapping", {"ScalingConfig": {"MaximumConcurrency": 5}}
    )


def test_handler_role_is_least_privilege(built: Built) -> None:
    role_id, role = built.only("AWS::IAM::Role")
    assert "ManagedPolicyArns" not in role["Properties"]
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}
    ]
    statements = [
        statement
        for policy in resources_of(built.raw, "AWS::IAM::Policy").values()
        if policy["Properties"]["Roles"] == [{"Ref": role_id}]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    log_group = {"Fn::GetAtt": [built.only("AWS::Logs::LogGroup")[0], "Arn"]}
    queue = {"Fn::GetAtt": [built.logical_id(built.pipeline.queue), "Arn"]}
    queue_key = {"Fn::GetAtt": [built.logical_id(built.pipeline.queue_key), "Arn"]}
    assert sorted(statements, key=str) == sorted(
        [
            {"Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Effect": "Allow", "Resource": log_group},
            {
                "Action": [
                    "sqs:ChangeMessageVisibility",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:GetQueueUrl",
                    "sqs:ReceiveMessage",
                ],
                "Effect": "Allow",
                "Resource": queue,
            },
            {"Action": "kms:Decrypt", "Effect": "Allow", "Resource": queue_key},
            # no resource-level permissions exist for this action (acknowledged for cdk-nag on this policy only)
            {"Action": "ses:PutSuppressedDestination", "Effect": "Allow", "Resource": "*"},
        ],
        key=str,
    )


def test_dead_letter_queue_alarms_when_it_holds_anything(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "AWS/SQS",
            "MetricName": "ApproximateNumberOfMessagesVisible",
            "Dimensions": [
                {
                    "Name": "QueueName",
                    "Value": {"Fn::GetAtt": [built.logical_id(built.pipeline.dead_letter_queue), "QueueName"]},
                }
            ],
            "Statistic": "Maximum",
            "Period": 60,
            "Threshold": 0,
            "ComparisonOperator": "GreaterThanThreshold",
            "EvaluationPeriods": 1,
            "TreatMissingData": "notBreaching",
        },
    )


def test_bring_your_own_topic_creates_no_topic_and_no_topic_key(built: Built) -> None:
    built.extra_template.resource_count_is("AWS::SNS::Topic", 0)
    built.extra_template.resource_count_is("AWS::KMS::Key", 2)  # the queue key and the logs key only
    assert built.byo.topic_key is None
    built.extra_template.has_resource_properties(
        "AWS::SNS::Subscription", {"TopicArn": "arn:aws:sns:us-east-1:123456789012:mine", "Protocol": "sqs"}
    )


def test_children_are_exposed(built: Built) -> None:
    pipeline = built.pipeline
    for name in (
        "events_topic",
        "event_destination",
        "queue",
        "dead_letter_queue",
        "handler",
        "dead_letter_alarm",
        "queue_key",
        "topic_key",
    ):
        assert getattr(pipeline, name) is not None, name


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"additional_event_types": [ses.EmailSendingEvent.OPEN]},
            "SesFeedbackPipeline 'Bad' additional_event_types: each must be one of DELIVERY, REJECT, DELIVERY_DELAY, "
            "SUBSCRIPTION; got 'OPEN'",
        ),
        (
            {"additional_event_types": [ses.EmailSendingEvent.BOUNCE]},
            "SesFeedbackPipeline 'Bad' additional_event_types: each must be one of DELIVERY, REJECT, DELIVERY_DELAY, "
            "SUBSCRIPTION; got 'BOUNCE'",
        ),
        (
            {"additional_event_types": [ses.EmailSendingEvent.REJECT, ses.EmailSendingEvent.REJECT]},
            "SesFeedbackPipeline 'Bad' additional_event_types: must not repeat an event type; got ['REJECT', 'REJECT']",
        ),
        (
            {"max_concurrency": 1},
            "SesFeedbackPipeline 'Bad' max_concurrency: must be from 2 to 1000 (the SQS event source limits); got 1",
        ),
        ({"parallel_calls": 0}, "SesFeedbackPipeline 'Bad' parallel_calls: must be a whole number from 1 to 16; got 0"),
        (
            {"parallel_calls": True},
            "SesFeedbackPipeline 'Bad' parallel_calls: must be a whole number from 1 to 16; got True",
        ),
        (
            {"address_logging": "clear"},
            "SesFeedbackPipeline 'Bad' address_logging: must be an AddressLogging (HASHED or CLEAR); got 'clear'",
        ),
    ],
)
def test_invalid_props_fail_before_any_resource(kwargs: dict[str, Any], message: str) -> None:
    stack = Stack()
    config_set = ses.ConfigurationSet(stack, "Set")
    with pytest.raises(ValueError) as raised:
        SesFeedbackPipeline(stack, "Bad", configuration_set=config_set, **kwargs)
    assert str(raised.value) == message
    assert stack.node.try_find_child("Bad") is None


def test_handler_logs_are_kept_90_days_by_default(built: Built) -> None:
    built.template.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 90})


def test_log_retention_and_address_logging_are_settings(tmp_path: Any) -> None:
    stack = Stack(new_app(tmp_path), "S", env=Environment(region="eu-west-1"))
    SesFeedbackPipeline(
        stack,
        "Feedback",
        configuration_set=ses.ConfigurationSet(stack, "Set"),
        log_retention=logs.RetentionDays.TWO_WEEKS,
        address_logging=AddressLogging.CLEAR,
        parallel_calls=8,
    )
    template = Template.from_stack(stack)
    template.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 14})
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {"Environment": {"Variables": Match.object_like({"ADDRESS_LOGGING": "clear", "MAX_PARALLEL_CALLS": "8"})}},
    )
