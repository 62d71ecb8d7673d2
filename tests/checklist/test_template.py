"""The template evaluator: each item passes on the example stack, and fails when its feature is removed."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ses_stack.checklist import ItemId, Status, evaluate_template, format_checklist
from ses_stack.checklist.template import render
from tests.conftest import resources_of, synth_config

DOMAIN = "example.com"
Template = dict[str, Any]


def evaluate(template: Template, **kwargs: Any) -> Any:
    return evaluate_template(template, region="eu-west-1", stack="Test", **kwargs)


def status(template: Template, item: ItemId, domain: str | None = DOMAIN, **kwargs: Any) -> Status:
    domain = domain if item in (ItemId.DOMAIN_DKIM, ItemId.SPF, ItemId.DMARC) else None
    return evaluate(template, **kwargs).result(item, domain).status


def changed(template: Template, change: Callable[[Template], None]) -> Template:
    copied = copy.deepcopy(template)
    change(copied)
    return copied


def only(template: Template, resource_type: str) -> tuple[str, dict[str, Any]]:
    """The one resource of ``resource_type`` (its logical id and body)."""
    ((logical_id, resource),) = resources_of(template, resource_type).items()
    return logical_id, resource


def queue_subscription(template: Template) -> tuple[str, dict[str, Any]]:
    ((logical_id, resource),) = [
        (k, v)
        for k, v in resources_of(template, "AWS::SNS::Subscription").items()
        if v["Properties"]["Protocol"] == "sqs"
    ]
    return logical_id, resource


def destination(template: Template) -> dict[str, Any]:
    body: dict[str, Any] = only(template, "AWS::SES::ConfigurationSetEventDestination")[1]["Properties"]
    return body["EventDestination"]  # type: ignore[no-any-return]


def record_id(template: Template, record_type: str, name: str | None = None) -> str:
    for logical_id, resource in resources_of(template, "AWS::Route53::RecordSet").items():
        props = resource["Properties"]
        if props["Type"] == record_type and (name is None or render(props["Name"]) == name):
            return logical_id
    raise KeyError((record_type, name))


def identity(template: Template) -> dict[str, Any]:
    (resource,) = resources_of(template, "AWS::SES::EmailIdentity").values()
    return resource


# --- the example stack -------------------------------------------------------------------------------------------


def test_example_stack_passes_every_item(example_template: Template) -> None:
    checklist = evaluate(example_template)
    assert [(r.item, r.domain, r.status) for r in checklist.results] == [
        (ItemId.DOMAIN_DKIM, DOMAIN, Status.PASS),
        (ItemId.SPF, DOMAIN, Status.PASS),
        (ItemId.DMARC, DOMAIN, Status.PASS),
        (ItemId.BOUNCE, None, Status.PASS),
        (ItemId.COMPLAINT, None, Status.PASS),
        (ItemId.SUPPRESSION, None, Status.PASS),
        (ItemId.UNSUBSCRIBE, None, Status.PASS),
    ]
    assert checklist.ready is True


def test_without_the_contact_list_only_unsubscribe_fails(example_template: Template) -> None:
    checklist = evaluate(changed(example_template, _drop("AWS::SES::ContactList")))
    assert [r.item for r in checklist.results if r.status is Status.FAIL] == [ItemId.UNSUBSCRIBE]
    assert checklist.result(ItemId.UNSUBSCRIBE).evidence == "no contact list with a topic"
    assert checklist.ready is False


# --- domain_dkim -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [1, 2, 3])
def test_dkim_fails_without_one_of_the_three_cnames(example_template: Template, token: int) -> None:
    def drop(t: Template) -> None:
        for logical_id, resource in list(resources_of(t, "AWS::Route53::RecordSet").items()):
            if resource["Properties"]["Name"] == {
                "Fn::GetAtt": [next(iter(resources_of(t, "AWS::SES::EmailIdentity"))), f"DkimDNSTokenName{token}"]
            }:
                del t["Resources"][logical_id]

    broken = changed(example_template, drop)
    result = evaluate(broken).result(ItemId.DOMAIN_DKIM, DOMAIN)
    assert result.status is Status.FAIL
    assert f"no DKIM CNAME for token(s) {token}" in result.evidence


def test_dkim_fails_when_cname_is_hand_built_instead_of_from_attributes(example_template: Template) -> None:
    def hand_built(t: Template) -> None:
        record = t["Resources"][record_id(t, "CNAME")]["Properties"]
        record["ResourceRecords"] = ["token1.dkim.amazonses.com"]

    assert status(changed(example_template, hand_built), ItemId.DOMAIN_DKIM) is Status.FAIL


def test_dkim_fails_with_a_1024_bit_key(example_template: Template) -> None:
    def weak(t: Template) -> None:
        identity(t)["Properties"]["DkimSigningAttributes"]["NextSigningKeyLength"] = "RSA_1024_BIT"

    assert status(changed(example_template, weak), ItemId.DOMAIN_DKIM) is Status.FAIL


def test_dkim_fails_when_signing_is_disabled(example_template: Template) -> None:
    def off(t: Template) -> None:
        identity(t)["Properties"]["DkimAttributes"] = {"SigningEnabled": False}

    assert status(changed(example_template, off), ItemId.DOMAIN_DKIM) is Status.FAIL


def test_dkim_warns_when_key_length_is_left_to_the_default(example_template: Template) -> None:
    def default(t: Template) -> None:
        del identity(t)["Properties"]["DkimSigningAttributes"]

    assert status(changed(example_template, default), ItemId.DOMAIN_DKIM) is Status.WARN


def test_domain_items_fail_without_a_domain_identity(example_template: Template) -> None:
    def address_only(t: Template) -> None:
        identity(t)["Properties"]["EmailIdentity"] = "noreply@example.com"

    checklist = evaluate(changed(example_template, address_only))
    for item in (ItemId.DOMAIN_DKIM, ItemId.SPF, ItemId.DMARC):
        result = checklist.result(item, None)
        assert (result.status, result.evidence) == (Status.FAIL, "no domain identity in the stack")


# --- spf ---------------------------------------------------------------------------------------------------------


def test_spf_fails_without_a_custom_mail_from_domain(example_template: Template) -> None:
    def no_mail_from(t: Template) -> None:
        del identity(t)["Properties"]["MailFromAttributes"]

    result = evaluate(changed(example_template, no_mail_from)).result(ItemId.SPF, DOMAIN)
    assert result.status is Status.FAIL
    assert "no custom MAIL FROM domain" in result.evidence


def test_spf_fails_without_the_mx(example_template: Template) -> None:
    broken = changed(example_template, lambda t: t["Resources"].pop(record_id(t, "MX")))
    result = evaluate(broken).result(ItemId.SPF, DOMAIN)
    assert (result.status, result.evidence) == (Status.FAIL, "0 MX records on mail.example.com (SES needs exactly one)")


def test_spf_fails_with_two_mx_values(example_template: Template) -> None:
    def two(t: Template) -> None:
        t["Resources"][record_id(t, "MX")]["Properties"]["ResourceRecords"].append("20 mx.example.com")

    assert status(changed(example_template, two), ItemId.SPF) is Status.FAIL


def test_spf_fails_with_the_mx_of_another_region(example_template: Template) -> None:
    def elsewhere(t: Template) -> None:
        t["Resources"][record_id(t, "MX")]["Properties"]["ResourceRecords"] = [
            "10 feedback-smtp.us-east-1.amazonses.com"
        ]

    result = evaluate(changed(example_template, elsewhere)).result(ItemId.SPF, DOMAIN)
    assert result.status is Status.FAIL
    assert "is not feedback-smtp.eu-west-1.amazonses.com (this Region's feedback host)" in result.evidence


def test_spf_fails_without_the_spf_record(example_template: Template) -> None:
    broken = changed(example_template, lambda t: t["Resources"].pop(record_id(t, "TXT", "mail.example.com.")))
    assert status(broken, ItemId.SPF) is Status.FAIL


def test_spf_fails_with_two_spf_records(example_template: Template) -> None:
    def second(t: Template) -> None:
        original = t["Resources"][record_id(t, "TXT", "mail.example.com.")]
        t["Resources"]["SecondSpf"] = copy.deepcopy(original)
        t["Resources"]["SecondSpf"]["Properties"]["ResourceRecords"] = ['"v=spf1 include:_spf.example.net ~all"']

    result = evaluate(changed(example_template, second)).result(ItemId.SPF, DOMAIN)
    assert result.status is Status.FAIL
    assert "2 SPF records on mail.example.com" in result.evidence


def test_spf_fails_when_spf_does_not_include_amazonses(example_template: Template) -> None:
    def other(t: Template) -> None:
        t["Resources"][record_id(t, "TXT", "mail.example.com.")]["Properties"]["ResourceRecords"] = ['"v=spf1 -all"']

    assert status(changed(example_template, other), ItemId.SPF) is Status.FAIL


def test_spf_warns_when_the_stack_writes_apex_records(example_template: Template) -> None:
    def apex(t: Template) -> None:
        t["Resources"]["ApexSpf"] = {
            "Type": "AWS::Route53::RecordSet",
            "Properties": {"Name": "example.com.", "Type": "TXT", "ResourceRecords": ['"v=spf1 -all"']},
        }

    assert status(changed(example_template, apex), ItemId.SPF) is Status.WARN


def test_spf_accepts_a_region_token_in_an_environment_agnostic_stack(example_template: Template) -> None:
    def agnostic(t: Template) -> None:
        t["Resources"][record_id(t, "MX")]["Properties"]["ResourceRecords"] = [
            {"Fn::Join": ["", ["10 feedback-smtp.", {"Ref": "AWS::Region"}, ".amazonses.com"]]}
        ]

    assert status(changed(example_template, agnostic), ItemId.SPF) is Status.PASS


# --- dmarc -------------------------------------------------------------------------------------------------------


def test_dmarc_fails_without_the_record(example_template: Template) -> None:
    broken = changed(example_template, lambda t: t["Resources"].pop(record_id(t, "TXT", "_dmarc.example.com.")))
    result = evaluate(broken).result(ItemId.DMARC, DOMAIN)
    assert (result.status, result.evidence) == (Status.FAIL, "no TXT record at _dmarc.example.com")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"v=DMARC1; rua=mailto:r@example.com"', Status.FAIL),  # no policy
        ('"v=DMARC1; p=block; rua=mailto:r@example.com"', Status.FAIL),  # invalid policy
        ('"p=none; v=DMARC1"', Status.FAIL),  # v= must come first
        ('"v=DMARC1; p=none; rua=mailto:r@mail.example.com"', Status.FAIL),  # reports to the MAIL FROM domain
        ('"v=DMARC1; p=reject"', Status.WARN),  # valid, but nobody sees reports
        ('"v=DMARC1; p=none; rua=mailto:r@example.com"', Status.PASS),
    ],
)
def test_dmarc_record_content(example_template: Template, value: str, expected: Status) -> None:
    def set_value(t: Template) -> None:
        t["Resources"][record_id(t, "TXT", "_dmarc.example.com.")]["Properties"]["ResourceRecords"] = [value]

    assert status(changed(example_template, set_value), ItemId.DMARC) is expected


def test_dmarc_fails_with_two_records(example_template: Template) -> None:
    def two(t: Template) -> None:
        t["Resources"][record_id(t, "TXT", "_dmarc.example.com.")]["Properties"]["ResourceRecords"].append(
            '"v=DMARC1; p=none"'
        )

    assert status(changed(example_template, two), ItemId.DMARC) is Status.FAIL


def test_dmarc_reads_a_record_split_into_255_byte_strings(example_template: Template) -> None:
    def split(t: Template) -> None:
        t["Resources"][record_id(t, "TXT", "_dmarc.example.com.")]["Properties"]["ResourceRecords"] = [
            '"v=DMARC1; p=quarantine; " "rua=mailto:r@example.com"'
        ]

    result = evaluate(changed(example_template, split)).result(ItemId.DMARC, DOMAIN)
    assert result.status is Status.PASS
    assert "p=quarantine; rua=mailto:r@example.com" in result.evidence


def test_dmarc_managed_elsewhere_is_a_warning_not_a_pass(example_template: Template) -> None:
    def elsewhere(t: Template) -> None:
        t["Resources"].pop(record_id(t, "TXT", "_dmarc.example.com."))
        identity(t)["Metadata"] = {"SesStackDmarcManagedElsewhere": True}

    assert status(changed(example_template, elsewhere), ItemId.DMARC) is Status.WARN


# --- bounce / complaint / suppression / unsubscribe ----------------------------------------------------------------


def _drop(resource_type: str) -> Callable[[Template], None]:
    return lambda t: t["Resources"].pop(only(t, resource_type)[0])


@pytest.mark.parametrize("item", [ItemId.BOUNCE, ItemId.COMPLAINT])
@pytest.mark.parametrize(
    ("breakage", "evidence"),
    [
        (_drop("AWS::SES::ConfigurationSetEventDestination"), "no enabled event destination for {} events"),
        (lambda t: destination(t).update(Enabled=False), "no enabled event destination for {} events"),
        (lambda t: destination(t).pop("Enabled"), "no enabled event destination for {} events"),  # CFN default
        (
            lambda t: destination(t).update(SnsDestination={"TopicARN": "arn:aws:sns:eu-west-1:123456789012:other"}),
            "the {} topic has no queue subscribed",
        ),
        (
            lambda t: destination(t).update(SnsDestination={"TopicARN": {"Ref": queue_subscription(t)[0]}}),
            "the {} event destination does not publish to an SNS topic",
        ),
        (lambda t: t["Resources"].pop(queue_subscription(t)[0]), "the {} topic has no queue subscribed"),
        (
            lambda t: queue_subscription(t)[1]["Properties"].update(Protocol="email"),
            "the {} topic has no queue subscribed",
        ),
        (_drop("AWS::Lambda::EventSourceMapping"), "no function consumes the {} queue"),
    ],
    ids=[
        "no-destination",
        "disabled",
        "enabled-absent",
        "foreign-topic",
        "not-a-topic",
        "no-subscription",
        "email-subscription",
        "no-handler",
    ],
)
def test_pipeline_items_fail_when_a_link_is_missing(
    example_template: Template, item: ItemId, breakage: Callable[[Template], None], evidence: str
) -> None:
    result = evaluate(changed(example_template, breakage)).result(item)
    assert (result.status, result.evidence) == (Status.FAIL, evidence.format(item.value))


def test_pipeline_item_fails_when_its_event_type_is_not_matched(example_template: Template) -> None:
    def bounce_only(t: Template) -> None:
        destination(t)["MatchingEventTypes"] = ["bounce"]

    checklist = evaluate(changed(example_template, bounce_only))
    assert checklist.result(ItemId.BOUNCE).status is Status.PASS
    assert checklist.result(ItemId.COMPLAINT).status is Status.FAIL


def test_suppression_fails_unless_the_set_suppresses_both_reasons(example_template: Template) -> None:
    def bounce_only(t: Template) -> None:
        only(t, "AWS::SES::ConfigurationSet")[1]["Properties"]["SuppressionOptions"]["SuppressedReasons"] = ["BOUNCE"]

    result = evaluate(changed(example_template, bounce_only)).result(ItemId.SUPPRESSION)
    assert (result.status, result.evidence) == (
        Status.FAIL,
        "no configuration set suppresses both BOUNCE and COMPLAINT",
    )
    assert status(changed(example_template, _drop("AWS::SES::ConfigurationSet")), ItemId.SUPPRESSION) is Status.FAIL


def test_suppression_fails_without_account_level_suppression_of_both_reasons(example_template: Template) -> None:
    def complaints_only(t: Template) -> None:
        only(t, "Custom::SesAccountSuppression")[1]["Properties"]["SuppressedReasons"] = ["COMPLAINT"]

    for broken in (
        changed(example_template, _drop("Custom::SesAccountSuppression")),
        changed(example_template, complaints_only),
    ):
        result = evaluate(broken).result(ItemId.SUPPRESSION)
        assert (result.status, result.evidence) == (
            Status.FAIL,
            "account-level suppression of BOUNCE and COMPLAINT is not set by the stack",
        )


def test_unsubscribe_fails_for_a_contact_list_without_topics(example_template: Template) -> None:
    def no_topics(t: Template) -> None:
        only(t, "AWS::SES::ContactList")[1]["Properties"]["Topics"] = []

    result = evaluate(changed(example_template, no_topics)).result(ItemId.UNSUBSCRIBE)
    assert (result.status, result.evidence) == (Status.FAIL, "contact lists without topics")


def test_unsubscribe_is_not_applicable_for_transactional_only_never_a_silent_pass(example_template: Template) -> None:
    without_list = changed(example_template, _drop("AWS::SES::ContactList"))
    result = evaluate(without_list, transactional_only=True).result(ItemId.UNSUBSCRIBE)
    assert result.status is Status.NOT_APPLICABLE
    assert "transactional" in result.evidence


# --- DNS managed elsewhere -----------------------------------------------------------------------------------------


def test_records_listed_as_outputs_are_warnings(tmp_path: Any) -> None:
    from tests.conftest import synth_config  # noqa: PLC0415

    (template,) = synth_config(
        {"regions": ["us-east-1"], "domains": [{"name": "example.org", "dmarc": {"rua": ["d@example.org"]}}]}, tmp_path
    ).values()
    checklist = evaluate_template(template, region="us-east-1")
    for item in (ItemId.DOMAIN_DKIM, ItemId.SPF, ItemId.DMARC):
        result = checklist.result(item, "example.org")
        assert result.status is Status.WARN, result
        assert "DNS is not in Route53" in result.evidence
    # Remove the outputs too, and nothing tells the user what to publish: the items fail.
    template.pop("Outputs")
    for item in (ItemId.DOMAIN_DKIM, ItemId.SPF, ItemId.DMARC):
        assert evaluate_template(template, region="us-east-1").result(item, "example.org").status is Status.FAIL


# --- output forms --------------------------------------------------------------------------------------------------


def test_json_form_is_the_shared_contract(example_template: Template) -> None:
    data = json.loads(json.dumps(evaluate(example_template).to_json()))
    assert set(data) == {"region", "stack", "ready", "items"}
    assert data["ready"] is True
    assert data["items"][0] == {
        "item": "domain_dkim",
        "status": "pass",
        "domain": DOMAIN,
        "evidence": data["items"][0]["evidence"],
        "fix": "",
    }
    assert {i["status"] for i in data["items"]} <= {"pass", "fail", "warn", "not_applicable"}
    assert "domain" not in data["items"][3]


def test_table_form_shows_each_verdict_and_fix(example_template: Template) -> None:
    text = format_checklist(evaluate(example_template))
    lines = text.splitlines()
    assert lines[0] == "Pre-flight checklist for Test (eu-west-1)"
    assert lines[1].startswith("  PASS  domain_dkim  Verified domain with Easy DKIM [example.com]: ")
    assert lines[-1] == "  => READY (7 pass)"
    failing = format_checklist(evaluate(changed(example_template, _drop("AWS::SES::ContactList")))).splitlines()
    assert "  FAIL  unsubscribe  Unsubscribe mechanism: no contact list with a topic" in failing
    assert failing[-1] == "  => NOT READY (6 pass, 1 fail)"


@pytest.mark.parametrize("item", [ItemId.BOUNCE, ItemId.COMPLAINT])
def test_your_own_topic_passes_when_the_queue_is_subscribed_to_it(tmp_path: Path, item: ItemId) -> None:
    data = {"regions": ["eu-west-1"], "domains": [{"name": "example.com"}], "feedback": {"existingTopicName": "ev"}}
    (template,) = synth_config(data, tmp_path).values()
    result = evaluate(template).result(item)
    assert result.status is Status.PASS
    assert "topic arn:aws:sns:eu-west-1:${AWS::AccountId}:ev (your own topic: its policies must let SES publish)" in (
        result.evidence
    )
    # negative twin: the queue subscribed to another topic of the same name elsewhere does not count
    queue_subscription(template)[1]["Properties"]["TopicArn"] = "arn:aws:sns:us-east-1:123456789012:ev"
    assert evaluate(template).result(item).status is Status.FAIL


@pytest.mark.parametrize("tag", ["pct=100", "pct=0", "rf=afrf", "ri=3600"])
def test_tags_removed_by_dmarcbis_warn_and_their_absence_passes(example_template: Template, tag: str) -> None:
    assert status(example_template, ItemId.DMARC) is Status.PASS  # the example has none of them

    def with_tag(t: Template) -> None:
        t["Resources"][record_id(t, "TXT", "_dmarc.example.com.")]["Properties"]["ResourceRecords"] = [
            f'"v=DMARC1; p=quarantine; {tag}; rua=mailto:r@example.com"'
        ]

    result = evaluate(changed(example_template, with_tag)).result(ItemId.DMARC, DOMAIN)
    name = tag.partition("=")[0]
    assert result.status is Status.WARN
    assert f"{name} was removed by RFC 9989 (DMARCbis)" in result.evidence
    assert result.fix.startswith(f"remove {name}")


def test_p_none_with_reports_passes(example_template: Template) -> None:
    def monitor(t: Template) -> None:
        t["Resources"][record_id(t, "TXT", "_dmarc.example.com.")]["Properties"]["ResourceRecords"] = [
            '"v=DMARC1; p=none; rua=mailto:r@example.com"'
        ]

    assert status(changed(example_template, monitor), ItemId.DMARC) is Status.PASS
