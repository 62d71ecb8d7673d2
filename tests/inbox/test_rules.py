"""Each provider requirement's rule, with its negative twin: the fact that makes it pass, removed or broken."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from ses_stack.checklist.items import Status
from ses_stack.inbox import (
    APPLIES,
    Advice,
    DomainFacts,
    Established,
    InboxStatus,
    Provider,
    SendingFacts,
    SendingIp,
    evaluate_providers,
)
from ses_stack.inbox.rules import RULES, complaint_alarms

P, F, W = Status.PASS, Status.FAIL, Status.WARN
GOOD_DOMAIN = DomainFacts("example.com", dkim=P, spf=P, dmarc=P, mail_from="mail.example.com", dmarc_tags={"p": "none"})
GOOD = SendingFacts(
    source=(Established.API, Established.DNS),
    domains=(GOOD_DOMAIN,),
    tls_policies={"set": "REQUIRE"},
    unsubscribe=P,
    complaint_levels=(0.0005, 0.0008),
    complaint_source=Established.CONFIG,
    advice=(),
)


def judge(requirement: str, facts: SendingFacts = GOOD) -> Any:
    return RULES[requirement](facts)


def domain(**changes: Any) -> SendingFacts:
    return replace(GOOD, domains=(replace(GOOD_DOMAIN, **changes),))


def test_every_rule_passes_on_a_good_setup_or_says_it_cannot_tell() -> None:
    cannot_tell = {"message_format", "spam_rate", "feedback_id", "opt_in"}
    for requirement, rule in RULES.items():
        judgement = rule(GOOD)
        expected = InboxStatus.UNKNOWN if requirement in cannot_tell else InboxStatus.PASS
        assert judgement.status is expected, (requirement, judgement)
    assert complaint_alarms(GOOD, Provider.GMAIL).status is InboxStatus.PASS


@pytest.mark.parametrize(
    ("requirement", "broken", "status"),
    [
        ("authentication", domain(dkim=F, spf=F), InboxStatus.FAIL),
        ("authentication", domain(dkim=F, spf=W), InboxStatus.WARN),
        ("authentication", domain(dkim=F), InboxStatus.PASS),  # SPF alone suffices for Gmail's all-senders rule
        ("spf", domain(spf=F), InboxStatus.FAIL),
        ("dkim", domain(dkim=W), InboxStatus.WARN),
        ("dmarc", domain(dmarc=F), InboxStatus.FAIL),
        ("dmarc", domain(dmarc=W), InboxStatus.PASS),  # a checklist warning (no rua) still meets p=none
        ("alignment", domain(dkim=F, spf=F), InboxStatus.FAIL),
        ("alignment", domain(dkim=W, spf=W), InboxStatus.WARN),  # records still to publish: not yet known
        ("alignment", domain(dkim=F), InboxStatus.PASS),  # SPF on mail.example.com aligns (relaxed)
        ("alignment", domain(dkim=F, dmarc_tags={"p": "none", "aspf": "s"}), InboxStatus.FAIL),
        ("alignment", domain(dkim=F, mail_from=None), InboxStatus.FAIL),
        ("alignment", domain(dkim=F, mail_from="bounce.example.net"), InboxStatus.FAIL),
        ("alignment", domain(spf=F, dmarc_tags={"p": "reject", "adkim": "s"}), InboxStatus.PASS),
        ("alignment", replace(GOOD, domains=()), InboxStatus.FAIL),
        ("reverse_dns", replace(GOOD, pool="pool-1", ips=None), InboxStatus.UNKNOWN),
        ("reverse_dns", replace(GOOD, pool="pool-1", ips=()), InboxStatus.WARN),
        ("reverse_dns", replace(GOOD, pool="p", ips=(SendingIp("192.0.2.1", "no PTR record"),)), InboxStatus.FAIL),
        ("reverse_dns", replace(GOOD, pool="p", ips=(SendingIp("192.0.2.1"),)), InboxStatus.PASS),
        ("tls", replace(GOOD, tls_policies={"set": "OPTIONAL"}), InboxStatus.WARN),
        ("tls", replace(GOOD, tls_policies={"set": None}), InboxStatus.WARN),
        ("tls", replace(GOOD, tls_policies={}), InboxStatus.UNKNOWN),
        ("one_click_unsubscribe", replace(GOOD, unsubscribe=F), InboxStatus.FAIL),
        ("one_click_unsubscribe", replace(GOOD, unsubscribe=Status.NOT_APPLICABLE), InboxStatus.NOT_APPLICABLE),
        ("ip_reputation", replace(GOOD, advice=None), InboxStatus.UNKNOWN),
        ("ip_reputation", replace(GOOD, advice=(Advice("IP_LISTING", "LOW", "listed"),)), InboxStatus.WARN),
        ("ip_reputation", replace(GOOD, advice=(Advice("IP_LISTING", "HIGH", "listed"),)), InboxStatus.FAIL),
    ],
)
def test_each_rule_follows_its_fact(requirement: str, broken: SendingFacts, status: InboxStatus) -> None:
    judgement = judge(requirement, broken)
    assert judgement.status is status, judgement
    if status in (InboxStatus.FAIL, InboxStatus.WARN):
        assert judgement.fix or requirement == "reverse_dns"


@pytest.mark.parametrize(
    ("levels", "gmail", "yahoo"),
    [
        ((0.0005, 0.0008), InboxStatus.PASS, InboxStatus.PASS),
        ((0.002, 0.0025), InboxStatus.WARN, InboxStatus.PASS),
        ((0.002, 0.004), InboxStatus.WARN, InboxStatus.WARN),
        (None, InboxStatus.FAIL, InboxStatus.FAIL),
    ],
)
def test_complaint_alarms_are_held_to_each_providers_limit(
    levels: tuple[float, float] | None, gmail: InboxStatus, yahoo: InboxStatus
) -> None:
    facts = replace(GOOD, complaint_levels=levels)
    assert complaint_alarms(facts, Provider.GMAIL).status is gmail
    assert complaint_alarms(facts, Provider.YAHOO).status is yahoo
    assert "never counts Gmail users" in complaint_alarms(facts, Provider.GMAIL).evidence


def test_unknown_verdicts_say_how_they_would_be_established() -> None:
    assert judge("spam_rate").established == (Established.OUTSIDE_DATA,)
    assert "Postmaster Tools" in judge("spam_rate").fix
    assert judge("message_format").established == (Established.SENT_MAIL,)
    assert judge("opt_in").established == (Established.NOT_CHECKABLE,)
    assert "feedback_id_tags" in judge("feedback_id").fix
    assert judge("one_click_unsubscribe").established == (Established.API, Established.DNS, Established.SENT_MAIL)


def test_the_report_covers_the_chosen_providers_in_order_each_once() -> None:
    report = evaluate_providers(GOOD, [Provider.LAPOSTE, Provider.OUTLOOK, Provider.LAPOSTE])
    assert report.providers == (Provider.LAPOSTE, Provider.OUTLOOK)
    assert [(r.provider.value, r.requirement) for r in report.results] == [
        ("laposte", "alignment"),
        *[("outlook", requirement) for requirement, _ in APPLIES[Provider.OUTLOOK]],
    ]
    assert report.ready
    broken = evaluate_providers(domain(dkim=F, spf=F), [Provider.LAPOSTE])
    assert not broken.ready  # the twin: La Poste counts nothing unaligned
    assert broken.to_json()[0]["status"] == "fail"


def test_gmail_bulk_senders_are_told_about_feedback_id() -> None:
    report = evaluate_providers(GOOD, [Provider.GMAIL])
    (feedback,) = [r for r in report.results if r.requirement == "feedback_id"]
    assert feedback.scope.value == "bulk"
    assert "ses:feedback-id-a/b" in feedback.judgement.fix
