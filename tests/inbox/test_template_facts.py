"""The facts read from a synthesized template: each one from the resource that provides it, and gone when that
resource (or property) is removed."""

from __future__ import annotations

import copy
from typing import Any

from ses_stack.checklist import evaluate_template
from ses_stack.checklist.items import Status
from ses_stack.inbox import Established, InboxStatus, Provider, evaluate_providers
from ses_stack.inbox.template import template_facts
from tests.conftest import resources_of

Template = dict[str, Any]


def facts(template: Template) -> Any:
    return template_facts(template, [template], evaluate_template(template, region="eu-west-1"))


def status(template: Template, requirement: str, provider: Provider = Provider.GMAIL) -> InboxStatus:
    report = evaluate_providers(facts(template), [provider])
    (found,) = [r for r in report.results if r.requirement == requirement]
    return found.judgement.status


def test_the_example_templates_facts(example_template: Template) -> None:
    found = facts(example_template)
    assert found.source == (Established.TEMPLATE,)
    (domain,) = found.domains
    assert (domain.name, domain.dkim, domain.spf, domain.dmarc) == (
        "example.com",
        Status.PASS,
        Status.PASS,
        Status.PASS,
    )
    assert domain.mail_from == "mail.example.com" and not domain.falls_back
    assert domain.dmarc_tags is not None and domain.dmarc_tags["p"] == "quarantine"
    assert found.tls_policies == {"ConfigurationSet1910E153": "REQUIRE"}
    assert found.complaint_levels == (0.0005, 0.0008)
    assert (found.pool, found.ips, found.advice) == (None, None, None)


def test_without_a_tls_policy_tls_warns(example_template: Template) -> None:
    copied = copy.deepcopy(example_template)
    for resource in resources_of(copied, "AWS::SES::ConfigurationSet").values():
        del resource["Properties"]["DeliveryOptions"]["TlsPolicy"]
    assert (status(example_template, "tls"), status(copied, "tls")) == (InboxStatus.PASS, InboxStatus.WARN)


def test_without_complaint_alarms_the_alarm_requirement_fails(example_template: Template) -> None:
    copied = copy.deepcopy(example_template)
    for logical_id, alarm in resources_of(copied, "AWS::CloudWatch::Alarm").items():
        if alarm["Properties"].get("MetricName") == "Reputation.ComplaintRate":
            del copied["Resources"][logical_id]
    assert status(example_template, "complaint_alarms") is InboxStatus.PASS
    assert status(copied, "complaint_alarms", Provider.YAHOO) is InboxStatus.FAIL


def test_a_dedicated_pool_cannot_be_judged_at_synth(example_template: Template) -> None:
    copied = copy.deepcopy(example_template)
    for resource in resources_of(copied, "AWS::SES::ConfigurationSet").values():
        resource["Properties"]["DeliveryOptions"]["SendingPoolName"] = "pool-1"
    assert status(example_template, "reverse_dns") is InboxStatus.PASS  # SES's shared IPs
    assert status(copied, "reverse_dns") is InboxStatus.UNKNOWN


def test_alignment_fails_without_dkim_and_the_mail_from_domain(example_template: Template) -> None:
    copied = copy.deepcopy(example_template)
    for resource in resources_of(copied, "AWS::SES::EmailIdentity").values():
        resource["Properties"]["DkimSigningAttributes"]["NextSigningKeyLength"] = "RSA_1024_BIT"
        del resource["Properties"]["MailFromAttributes"]
    assert status(example_template, "alignment", Provider.LAPOSTE) is InboxStatus.PASS
    assert status(copied, "alignment", Provider.LAPOSTE) is InboxStatus.FAIL
