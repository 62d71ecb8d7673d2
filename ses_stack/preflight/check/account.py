"""Live checks of the account-wide items: bounce, complaint, suppression and unsubscribe (SESv2 and SNS)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ses_stack.checklist.items import ItemId, ItemResult, Status
from ses_stack.checklist.rules import TRANSACTIONAL_ONLY_EVIDENCE, suppression_verdict, validation_threshold
from ses_stack.config import SesStackConfig
from ses_stack.preflight.check.common import Clients, if_exists

_BOTH = frozenset({"BOUNCE", "COMPLAINT"})


_MAX_PAGES = 100  # 10,000 subscriptions: a topic with more is not one this stack made


def _subscribed_consumers(sns: Any, topic_arn: str) -> list[str]:
    confirmed = []
    params: dict[str, str] = {"TopicArn": topic_arn}
    for _ in range(_MAX_PAGES):
        page = sns.list_subscriptions_by_topic(**params)
        for subscription in page.get("Subscriptions", []):
            arn = str(subscription.get("SubscriptionArn", ""))
            if subscription.get("Protocol") in ("sqs", "lambda") and arn.startswith("arn:"):
                confirmed.append(f"{subscription['Protocol']}:{subscription.get('Endpoint')}")
        if not page.get("NextToken"):
            break
        params["NextToken"] = page["NextToken"]
    return confirmed


def check_pipeline(item: ItemId, sets: list[str], clients: Clients) -> ItemResult:
    event = item.value.upper()
    fix = (
        f"deploy the stack: an enabled {event} event destination to an SNS topic with a confirmed queue "
        "subscription whose handler suppresses the addresses"
    )
    if not sets:
        return ItemResult(item, Status.FAIL, "no configuration set to check (identities have no default set)", fix=fix)
    evidence = []
    for name in sets:
        response = if_exists(clients.sesv2.get_configuration_set_event_destinations, ConfigurationSetName=name)
        if response is None:
            return ItemResult(item, Status.FAIL, f"configuration set {name} does not exist in this Region", fix=fix)
        destinations = response.get("EventDestinations", [])
        topics = [
            d["SnsDestination"]["TopicArn"]
            for d in destinations
            if d.get("Enabled") and event in (d.get("MatchingEventTypes") or []) and d.get("SnsDestination")
        ]
        if not topics:
            return ItemResult(
                item, Status.FAIL, f"configuration set {name}: no enabled {event} SNS destination", fix=fix
            )
        consumers = [c for topic in topics for c in _subscribed_consumers(clients.sns, topic)]
        if not consumers:
            return ItemResult(
                item,
                Status.FAIL,
                f"configuration set {name}: {event} events go to {', '.join(topics)}, which has no confirmed queue "
                "or function subscription",
                fix=fix,
            )
        evidence.append(f"{name}: {event} -> {', '.join(topics)} -> {', '.join(consumers)}")
    return ItemResult(item, Status.PASS, "; ".join(evidence))


def check_suppression(
    sets: list[str],
    account: Mapping[str, Any],
    details: Mapping[str, Mapping[str, Any] | None],
    marketing: bool = False,
) -> ItemResult:
    """Both reasons suppressed at account level and on every set (FAIL otherwise); Auto Validation is read live
    and reported beside them, its absence a WARN for marketing mail. ``details``: each set's
    ``GetConfigurationSet`` answer (None: it does not exist)."""
    item = ItemId.SUPPRESSION
    problems = []
    attributes = account.get("SuppressionAttributes") or {}
    account_reasons = set(attributes.get("SuppressedReasons") or [])
    if not account_reasons >= _BOTH:
        problems.append(f"account level suppresses {', '.join(sorted(account_reasons)) or 'nothing'}")
    if not sets:
        problems.append("no configuration set to check")
    validation: dict[str, str | None] = {}
    for name in sets:
        configuration_set = details.get(name)
        if configuration_set is None:
            problems.append(f"configuration set {name} does not exist")
            continue
        options = configuration_set.get("SuppressionOptions") or {}
        reasons = set(options.get("SuppressedReasons") or [])
        validation[name] = validation_threshold(options.get("ValidationOptions"))
        if not reasons >= _BOTH:
            problems.append(f"configuration set {name} suppresses {', '.join(sorted(reasons)) or 'nothing'}")
    if problems:
        return ItemResult(
            item,
            Status.FAIL,
            "; ".join(problems),
            fix="suppress BOUNCE and COMPLAINT at account level and on the configuration set (deploy the stack)",
        )
    account_validation = validation_threshold(attributes.get("ValidationAttributes"))
    summary = f"account and configuration set {', '.join(sets)} suppress BOUNCE, COMPLAINT"
    verdict = suppression_verdict(summary, validation, account_validation, marketing=marketing)
    return ItemResult(item, verdict.status, verdict.evidence, fix=verdict.fix)


def check_unsubscribe(config: SesStackConfig, clients: Clients) -> ItemResult:
    item = ItemId.UNSUBSCRIBE
    if config.transactional_only:
        return ItemResult(item, Status.NOT_APPLICABLE, TRANSACTIONAL_ONLY_EVIDENCE)
    names = [c["ContactListName"] for c in clients.sesv2.list_contact_lists().get("ContactLists", [])]
    for name in names:
        topics = clients.sesv2.get_contact_list(ContactListName=name).get("Topics") or []
        if topics:
            topic_names = ", ".join(str(t.get("TopicName")) for t in topics)
            return ItemResult(item, Status.PASS, f"contact list {name} with topics {topic_names}")
    return ItemResult(
        item,
        Status.FAIL,
        "no contact list with a topic" if not names else f"contact lists without topics: {', '.join(names)}",
        fix="configure contactList (or declare transactionalOnly) and deploy; send bulk mail with "
        "ListManagementOptions",
    )
