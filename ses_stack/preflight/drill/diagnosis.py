"""When a drill's proof does not arrive: the first hop of the pipeline with no evidence, from what AWS exposes.

The hops, in the order feedback takes them:
1. SES -> SNS: an enabled event destination for the event type on the set, to an SNS topic;
2. SNS received it: the topic's ``NumberOfMessagesPublished`` since the send (SES cannot publish when the topic
   policy or its KMS key policy does not let it: nothing else tells);
3. SNS -> SQS: a confirmed queue subscription, and no ``NumberOfNotificationsFailed``;
4. SQS -> handler: the queue's event source mapping is enabled, no messages left waiting in the queue;
5. handler: no records in the dead-letter queue, no ``Errors``, and no ``Untrusted`` or ``Failed`` decisions.
CloudWatch metrics arrive a few minutes late: "no evidence" from a metric is said as such.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ses_stack.preflight.check.common import if_exists

_PERIOD_S = 60
_DEPLOY = "deploy the stack (cdk deploy), then run the drill again"


@dataclass(frozen=True)
class DrillClients:
    sesv2: Any
    sns: Any
    sqs: Any
    lambda_: Any
    cloudwatch: Any


Window = tuple[datetime, datetime]  # since the send, until now


def _sum(cloudwatch: Any, namespace: str, metric: str, dimensions: list[dict[str, str]], window: Window) -> float:
    response = cloudwatch.get_metric_statistics(
        Namespace=namespace,
        MetricName=metric,
        Dimensions=dimensions,
        StartTime=window[0],
        EndTime=window[1],
        Period=_PERIOD_S,
        Statistics=["Sum"],
    )
    return float(sum(point.get("Sum", 0.0) for point in response.get("Datapoints", [])))


def _topic(event: str, set_name: str, ses: Any) -> str | None:
    found = if_exists(ses.get_configuration_set_event_destinations, ConfigurationSetName=set_name) or {}
    for destination in found.get("EventDestinations", []):
        if destination.get("Enabled") and event in (destination.get("MatchingEventTypes") or []):
            arn = (destination.get("SnsDestination") or {}).get("TopicArn")
            if arn:
                return str(arn)
    return None


def _queue(sns: Any, topic: str) -> str | None:
    for subscription in sns.list_subscriptions_by_topic(TopicArn=topic).get("Subscriptions", []):
        if subscription.get("Protocol") == "sqs" and str(subscription.get("SubscriptionArn", "")).startswith("arn:"):
            return str(subscription.get("Endpoint"))
    return None


def _queue_depths(sqs: Any, queue_arn: str) -> tuple[int, int, str | None]:
    """(messages waiting, messages in flight, dead-letter queue ARN) of a queue."""
    _, _, _, _, account, name = queue_arn.split(":", 5)
    url = sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
    attributes = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "RedrivePolicy"],
    ).get("Attributes", {})
    try:
        redrive = json.loads(attributes.get("RedrivePolicy") or "{}")
    except ValueError:
        redrive = {}
    dlq = redrive.get("deadLetterTargetArn") if isinstance(redrive, dict) else None
    return (
        int(attributes.get("ApproximateNumberOfMessages", 0)),
        int(attributes.get("ApproximateNumberOfMessagesNotVisible", 0)),
        str(dlq) if dlq else None,
    )


def _mapping(lambda_: Any, queue_arn: str) -> Mapping[str, Any] | None:
    mappings = lambda_.list_event_source_mappings(EventSourceArn=queue_arn).get("EventSourceMappings", [])
    return mappings[0] if mappings else None


def diagnose(event: str, set_name: str, since: datetime, clients: DrillClients, now: datetime) -> tuple[str, str]:
    """(evidence, fix) for the first hop without evidence that ``event`` feedback went through."""
    topic = _topic(event, set_name, clients.sesv2)
    if topic is None:
        return (
            f"first hop without evidence: SES -> SNS: configuration set {set_name} has no enabled {event} event "
            "destination to an SNS topic",
            _DEPLOY,
        )
    topic_name = topic.rsplit(":", 1)[-1]
    window = (since, now)
    on_topic = [{"Name": "TopicName", "Value": topic_name}]
    published = _sum(clients.cloudwatch, "AWS/SNS", "NumberOfMessagesPublished", on_topic, window)
    if published == 0:
        return (
            f"first hop without evidence: SES -> SNS: topic {topic_name} received nothing since the send "
            "(NumberOfMessagesPublished 0; metrics can lag a few minutes)",
            "SES must be allowed to publish: the topic policy (ses.amazonaws.com, aws:SourceArn = the configuration "
            "set) and the topic key's policy (kms:GenerateDataKey*, kms:Decrypt for ses.amazonaws.com)",
        )
    queue = _queue(clients.sns, topic)
    failed = _sum(clients.cloudwatch, "AWS/SNS", "NumberOfNotificationsFailed", on_topic, window)
    if queue is None or failed > 0:
        why = "no confirmed queue subscription" if queue is None else f"{failed:.0f} deliveries failed"
        return (
            f"first hop without evidence: SNS -> SQS: topic {topic_name} got {published:.0f} messages, {why}",
            "the queue subscription must be confirmed, the queue policy must let sns.amazonaws.com send from this "
            "topic, and the queue key's policy must let SNS use it (deploy the stack)",
        )
    waiting, in_flight, dlq = _queue_depths(clients.sqs, queue)
    mapping = _mapping(clients.lambda_, queue)
    queue_name = queue.rsplit(":", 1)[-1]
    if mapping is None or mapping.get("State") != "Enabled":
        state = "no event source mapping" if mapping is None else f"its event source mapping is {mapping.get('State')}"
        return (
            f"first hop without evidence: SQS -> handler: queue {queue_name} holds {waiting} messages, {state}",
            f"enable the mapping: aws lambda list-event-source-mappings --event-source-arn {queue}",
        )
    function = str(mapping.get("FunctionArn", "")).rsplit(":", 1)[-1]
    dead = _queue_depths(clients.sqs, dlq)[0] if dlq else 0
    errors = _sum(clients.cloudwatch, "AWS/Lambda", "Errors", [{"Name": "FunctionName", "Value": function}], window)
    untrusted = _sum(clients.cloudwatch, "SesStack/Feedback", "Untrusted", [], window)
    failures = _sum(clients.cloudwatch, "SesStack/Feedback", "Failed", [], window)
    if dead or errors or untrusted or failures:
        found = [
            f"{dead} records in the dead-letter queue" if dead else "",
            f"{errors:.0f} errors" if errors else "",
            f"{untrusted:.0f} messages not acted on (Untrusted: another account or set)" if untrusted else "",
            f"{failures:.0f} failed records" if failures else "",
        ]
        return (
            f"first hop without evidence: handler {function}: {', '.join(f for f in found if f)}",
            f"read the handler's log group (/aws/lambda/... of {function}); records in the dead-letter queue are "
            "retried by redriving them once fixed",
        )
    return (
        f"no hop shows a fault yet: topic {topic_name} got {published:.0f} messages, queue {queue_name} holds "
        f"{waiting} waiting and {in_flight} in flight, handler {function} has no errors (metrics can lag)",
        "the feedback may still be on its way: run the drill again with a longer --timeout",
    )
