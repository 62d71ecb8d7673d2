"""Template evaluation of the account-wide items: bounce, complaint, suppression and unsubscribe."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ses_stack.checklist.items import ItemId, ItemResult, Status
from ses_stack.checklist.rules import TRANSACTIONAL_ONLY_EVIDENCE, suppression_verdict, validation_threshold
from ses_stack.checklist.template_reading import ref_target, render, resources


def _topic(value: Any, template: Mapping[str, Any]) -> tuple[str | None, str]:
    """The topic an ARN value names, as a comparable key and as shown: a topic resource of the template (by logical
    id), or a topic outside it named by its ARN (``feedback.existingTopicName``: CDK writes the same ARN expression
    wherever the imported topic is used)."""
    target = ref_target(value)
    if target is not None:
        if ((template.get("Resources") or {}).get(target) or {}).get("Type") == "AWS::SNS::Topic":
            return target, target
        return None, ""
    arn = render(value) if value is not None else ""
    if ":sns:" in arn:
        return arn, f"{arn} (your own topic: its policies must let SES publish)"
    return None, ""


def pipeline_result(item: ItemId, template: Mapping[str, Any]) -> ItemResult:
    """Whether events of the item's type reach a topic -> queue -> function chain in this template."""
    event_type = item.value
    destinations = [
        (logical_id, (resource.get("Properties") or {}).get("EventDestination") or {})
        for logical_id, resource in resources(template, "AWS::SES::ConfigurationSetEventDestination")
    ]
    matching = [
        (logical_id, d)
        for logical_id, d in destinations
        if event_type in {str(t).lower() for t in d.get("MatchingEventTypes") or []} and d.get("Enabled") is True
    ]
    fix = f"add an enabled configuration-set event destination for {event_type.upper()} events to an SNS topic "
    fix += "subscribed by a queue whose handler suppresses the addresses"
    if not matching:
        return ItemResult(item, Status.FAIL, f"no enabled event destination for {event_type} events", fix=fix)
    topics = {
        topic: shown
        for _, d in matching
        for topic, shown in [_topic((d.get("SnsDestination") or {}).get("TopicARN"), template)]
        if topic is not None
    }
    if not topics:
        return ItemResult(
            item,
            Status.FAIL,
            f"the {event_type} event destination does not publish to an SNS topic",
            fix=fix,
        )
    queues = {
        queue
        for _, subscription in resources(template, "AWS::SNS::Subscription")
        for props in [subscription.get("Properties") or {}]
        if props.get("Protocol") == "sqs" and _topic(props.get("TopicArn"), template)[0] in topics
        for queue in [ref_target(props.get("Endpoint"))]
        if queue is not None
    }
    if not queues:
        return ItemResult(item, Status.FAIL, f"the {event_type} topic has no queue subscribed", fix=fix)
    handled = [
        logical_id
        for logical_id, mapping in resources(template, "AWS::Lambda::EventSourceMapping")
        if ref_target((mapping.get("Properties") or {}).get("EventSourceArn")) in queues
    ]
    if not handled:
        return ItemResult(item, Status.FAIL, f"no function consumes the {event_type} queue", fix=fix)
    return ItemResult(
        item,
        Status.PASS,
        f"{event_type} events -> topic {', '.join(sorted(topics.values()))} -> queue {', '.join(sorted(queues))}"
        f" -> handler ({', '.join(handled)})",
    )


ACCOUNT_SUPPRESSION_TYPE = "Custom::SesAccountSuppression"
_BOTH_REASONS = frozenset({"BOUNCE", "COMPLAINT"})


def _reasons(values: Any) -> frozenset[str]:
    return frozenset(str(r).upper() for r in values or [])


def suppression_result(template: Mapping[str, Any], marketing: bool = False) -> ItemResult:
    """Both reasons suppressed on a configuration set and at account level (FAIL otherwise); Auto Validation is
    reported beside them, and its absence is a WARN for marketing mail (``marketing``)."""
    item = ItemId.SUPPRESSION
    fix = (
        "suppress BOUNCE and COMPLAINT on the configuration set (SuppressionOptions.SuppressedReasons) and at "
        "account level (SesAccountSuppression)"
    )
    sets, validation = [], {}
    for logical_id, resource in resources(template, "AWS::SES::ConfigurationSet"):
        options = ((resource.get("Properties") or {}).get("SuppressionOptions")) or {}
        if _reasons(options.get("SuppressedReasons")) >= _BOTH_REASONS:
            sets.append(logical_id)
        validation[logical_id] = validation_threshold(options.get("ValidationOptions"))
    account, account_validation = [], None
    for logical_id, resource in resources(template, ACCOUNT_SUPPRESSION_TYPE):
        props = resource.get("Properties") or {}
        if _reasons(props.get("SuppressedReasons")) >= _BOTH_REASONS:
            account.append(logical_id)
        if props.get("ValidationThreshold"):
            account_validation = str(props["ValidationThreshold"])
    missing = []
    if not sets:
        missing.append("no configuration set suppresses both BOUNCE and COMPLAINT")
    if not account:
        missing.append("account-level suppression of BOUNCE and COMPLAINT is not set by the stack")
    if missing:
        return ItemResult(item, Status.FAIL, "; ".join(missing), fix=fix)
    summary = (
        f"configuration set {', '.join(sets)} and account level ({', '.join(account)}) suppress BOUNCE and COMPLAINT"
    )
    verdict = suppression_verdict(summary, validation, account_validation, marketing=marketing)
    return ItemResult(item, verdict.status, verdict.evidence, fix=verdict.fix)


def unsubscribe_result(template: Mapping[str, Any], transactional_only: bool) -> ItemResult:
    item = ItemId.UNSUBSCRIBE
    lists = [
        (logical_id, (resource.get("Properties") or {}).get("Topics") or [])
        for logical_id, resource in resources(template, "AWS::SES::ContactList")
    ]
    with_topics = [logical_id for logical_id, topics in lists if topics]
    if with_topics:
        return ItemResult(item, Status.PASS, f"contact list {', '.join(with_topics)} with topics")
    if transactional_only:
        return ItemResult(item, Status.NOT_APPLICABLE, TRANSACTIONAL_ONLY_EVIDENCE)
    return ItemResult(
        item,
        Status.FAIL,
        "no contact list with a topic" if not lists else "contact lists without topics",
        fix="add a contact list with topics and send bulk mail with ListManagementOptions "
        "(or declare the account transactional-only)",
    )
