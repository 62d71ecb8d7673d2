"""`ses-preflight check`: a scenario table of good and broken setups, each yielding exactly its failing item."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.preflight.conftest import (
    CONFIG,
    TOKENS,
    FakeAccount,
    Run,
    good_zone,
    responses_with,
)

Zone = list[tuple[str, str, str]]


def without(name: str, record_type: str) -> Callable[[Zone], Zone]:
    return lambda zone: [r for r in zone if not (r[0] == name and r[1] == record_type)]


def plus(*records: tuple[str, str, str]) -> Callable[[Zone], Zone]:
    return lambda zone: [*zone, *records]


def replaced(name: str, record_type: str, value: str) -> Callable[[Zone], Zone]:
    return lambda zone: [*without(name, record_type)(zone), (name, record_type, value)]


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    """Set the value at ``path`` (dict keys and list positions) in the account responses."""

    def change(responses: dict[str, Any]) -> None:
        target = responses
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


SCENARIOS: list[tuple[str, Callable[[Zone], Zone] | None, Callable[[dict[str, Any]], None] | None, set[str]]] = [
    ("good", None, None, set()),
    # broken DNS
    ("missing-dkim-cname", without(f"{TOKENS[1]}._domainkey.example.com", "CNAME"), None, {"domain_dkim"}),
    (
        "dkim-cname-elsewhere",
        replaced(f"{TOKENS[0]}._domainkey.example.com", "CNAME", "other.example.net."),
        None,
        {"domain_dkim"},
    ),
    ("two-spf-records", plus(("mail.example.com", "TXT", '"v=spf1 include:_spf.example.net ~all"')), None, {"spf"}),
    ("mx-other-region", replaced("mail.example.com", "MX", "10 feedback-smtp.us-east-1.amazonses.com."), None, {"spf"}),
    ("two-mx", plus(("mail.example.com", "MX", "20 backup.example.com.")), None, {"spf"}),
    ("no-spf", without("mail.example.com", "TXT"), None, {"spf"}),
    ("spf-syntax-error", replaced("mail.example.com", "TXT", '"v=spf1 include:amazonses.com ~al"'), None, {"spf"}),
    (
        "dmarc-without-policy",
        replaced("_dmarc.example.com", "TXT", '"v=DMARC1; rua=mailto:dmarc@example.com"'),
        None,
        {"dmarc"},
    ),
    ("no-dmarc", without("_dmarc.example.com", "TXT"), None, {"dmarc"}),
    (
        "dmarc-reports-to-mail-from",
        replaced("_dmarc.example.com", "TXT", '"v=DMARC1; p=none; rua=mailto:r@mail.example.com"'),
        None,
        {"dmarc"},
    ),
    # broken account
    ("dkim-pending", None, _set(["get_email_identity", "DkimAttributes", "Status"], "PENDING"), {"domain_dkim"}),
    ("not-verified", None, _set(["get_email_identity", "VerifiedForSendingStatus"], False), {"domain_dkim"}),
    (
        "mail-from-pending",
        None,
        _set(["get_email_identity", "MailFromAttributes", "MailFromDomainStatus"], "PENDING"),
        {"spf"},
    ),
    ("no-mail-from", None, lambda r: r["get_email_identity"].pop("MailFromAttributes"), {"spf"}),
    (
        "destination-disabled",
        None,
        _set(["get_configuration_set_event_destinations", "EventDestinations", 0, "Enabled"], False),
        {"bounce", "complaint"},
    ),
    (
        "complaints-not-routed",
        None,
        _set(["get_configuration_set_event_destinations", "EventDestinations", 0, "MatchingEventTypes"], ["BOUNCE"]),
        {"complaint"},
    ),
    (
        "subscription-pending",
        None,
        _set(["list_subscriptions_by_topic", "Subscriptions", 0, "SubscriptionArn"], "PendingConfirmation"),
        {"bounce", "complaint"},
    ),
    (
        "email-subscription-only",
        None,
        _set(["list_subscriptions_by_topic", "Subscriptions", 0, "Protocol"], "email"),
        {"bounce", "complaint"},
    ),
    (
        "account-suppresses-bounces-only",
        None,
        _set(["get_account", "SuppressionAttributes", "SuppressedReasons"], ["BOUNCE"]),
        {"suppression"},
    ),
    ("set-suppresses-nothing", None, _set(["get_configuration_set", "SuppressionOptions"], {}), {"suppression"}),
    ("no-contact-list", None, _set(["list_contact_lists", "ContactLists"], []), {"unsubscribe"}),
    ("contact-list-without-topics", None, _set(["get_contact_list", "Topics"], []), {"unsubscribe"}),
]


@pytest.mark.parametrize(
    ("zone_change", "aws_change", "failing"),
    [pytest.param(z, a, f, id=name) for name, z, a, f in SCENARIOS],
)
def test_scenario_fails_exactly_its_item(
    account: FakeAccount,
    run_cli: Callable[..., Run],
    config_file: Callable[..., Any],
    serve_zone: Callable[..., str],
    zone_change: Callable[[Zone], Zone] | None,
    aws_change: Callable[[dict[str, Any]], None] | None,
    failing: set[str],
) -> None:
    zone = good_zone() if zone_change is None else zone_change(good_zone())
    account.queue_check(responses_with(aws_change))
    nameserver = serve_zone(zone)
    result = run_cli("check", "--config", str(config_file()), "--nameserver", nameserver, "--json")
    (region,) = result.json()
    statuses = {i["item"]: i["status"] for i in region["items"]}
    assert {item for item, status in statuses.items() if status == "fail"} == failing, region["items"]
    assert region["ready"] is (not failing)
    assert result.status == (1 if failing else 0)
    assert set(statuses) == {"domain_dkim", "spf", "dmarc", "bounce", "complaint", "suppression", "unsubscribe"}
    if not failing:
        assert set(statuses.values()) == {"pass"}


def test_missing_identity_fails_the_domain_items_and_cannot_check_a_set(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Any], serve_zone: Callable[..., str]
) -> None:
    account.queue_check(responses_with(None), missing_identity=True)
    nameserver = serve_zone(good_zone())
    result = run_cli("check", "--config", str(config_file()), "--nameserver", nameserver, "--json")
    (region,) = result.json()
    failing = {i["item"] for i in region["items"] if i["status"] == "fail"}
    assert failing == {"domain_dkim", "spf", "bounce", "complaint", "suppression"}
    assert result.status == 1


def test_json_contract(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Any], serve_zone: Callable[..., str]
) -> None:
    account.queue_check(responses_with(None))
    nameserver = serve_zone(good_zone())
    result = run_cli("check", "--config", str(config_file()), "--nameserver", nameserver, "--json")
    (region,) = result.json()
    assert set(region) == {"region", "ready", "items", "inboxReady", "providers"}  # the last two added, nothing changed
    assert region["region"] == "eu-west-1"
    for item in region["items"]:
        assert set(item) - {"domain"} == {"item", "status", "evidence", "fix"}
        assert item["status"] in {"pass", "fail", "warn", "not_applicable"}
    for requirement in region["providers"]:
        assert set(requirement) == {
            "provider", "requirement", "title", "appliesTo", "status", "established", "evidence", "fix"
        }  # fmt: skip
        assert requirement["status"] in {"pass", "fail", "warn", "unknown", "not_applicable"}
    assert list(dict.fromkeys(p["provider"] for p in region["providers"])) == [
        "gmail", "yahoo", "outlook", "laposte", "apple"
    ]  # fmt: skip
    assert region["inboxReady"] is True
    assert [i.get("domain") for i in region["items"][:3]] == ["example.com"] * 3
    assert result.err == ""  # no progress in JSON output, nor when stdout is not a terminal


def test_human_output(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Any], serve_zone: Callable[..., str]
) -> None:
    account.queue_check(responses_with(_set(["list_contact_lists", "ContactLists"], [])))
    nameserver = serve_zone(good_zone())
    result = run_cli("check", "--config", str(config_file()), "--nameserver", nameserver)
    lines = result.out.splitlines()
    assert lines[0] == "Pre-flight checklist (eu-west-1)"
    assert any(line.startswith("  FAIL  unsubscribe") for line in lines)
    assert "  => NOT READY (6 pass, 1 fail)" in lines
    # then each provider's requirements: one-click unsubscribe fails with the contact list gone
    providers = lines[lines.index("  => NOT READY (6 pass, 1 fail)") + 1 :]
    assert providers[0].startswith("Mailbox providers")
    assert providers[1] == "  gmail (https://support.google.com/mail/answer/81126)"
    assert sum(line.startswith("    FAIL  one_click_unsubscribe") for line in providers) == 3  # gmail, yahoo, apple
    assert providers[-1] == "  => NOT INBOX-READY (23 pass, 3 fail, 10 unknown)"
    assert result.status == 1


def test_transactional_only_reports_unsubscribe_not_applicable(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Any], serve_zone: Callable[..., str]
) -> None:
    data = {k: v for k, v in CONFIG.items() if k not in ("contactList", "productionAccess")}
    data["transactionalOnly"] = True
    responses = responses_with(None)
    account.queue_check(responses)
    # no contact-list calls for a transactional-only account
    account.take_contact_list_calls()  # a transactional-only account has no contact list to look up
    nameserver = serve_zone(good_zone())
    result = run_cli("check", "--config", str(config_file(data)), "--nameserver", nameserver, "--json")
    (region,) = result.json()
    unsubscribe = next(i for i in region["items"] if i["item"] == "unsubscribe")
    assert unsubscribe["status"] == "not_applicable"
    assert result.status == 0


def test_a_configured_set_that_does_not_exist_fails_the_set_items(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Any], serve_zone: Callable[..., str]
) -> None:
    responses = responses_with(lambda r: r["get_email_identity"].pop("ConfigurationSetName"))
    account.queue_check(responses)
    stub = account.ses_stub
    # after get_account: the named set is looked up for bounce, complaint and suppression, and is missing
    contact_calls = account.take_contact_list_calls()
    for operation in (
        "get_configuration_set_event_destinations",
        "get_configuration_set_event_destinations",
        "get_configuration_set",
    ):
        stub.add_client_error(
            operation,
            "NotFoundException",
            http_status_code=404,
            expected_params={"ConfigurationSetName": "transactional"},
        )
    account.requeue(contact_calls)
    data = {**CONFIG, "configurationSet": {"name": "transactional"}}
    result = run_cli("check", "--config", str(config_file(data)), "--nameserver", serve_zone(good_zone()), "--json")
    (region,) = result.json()
    failing = {i["item"]: i["evidence"] for i in region["items"] if i["status"] == "fail"}
    assert failing == {
        "bounce": "configuration set transactional does not exist in this Region",
        "complaint": "configuration set transactional does not exist in this Region",
        "suppression": "configuration set transactional does not exist",
    }
    assert result.status == 1


def test_scale_flags_reach_the_check_and_keep_its_result(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Any], serve_zone: Callable[..., str]
) -> None:
    account.queue_check(responses_with(None))
    nameserver = serve_zone(good_zone())
    result = run_cli(
        "--api-rate", "5", "check", "--config", str(config_file()), "--nameserver", nameserver,
        "--concurrency", "1", "--json",
    )  # fmt: skip
    assert result.status == 0, result.err
    (region,) = result.json()
    assert region["ready"] is True
    assert "domains" not in result.err  # no per-domain progress when stderr is not a terminal


@pytest.mark.parametrize(
    ("mail_type", "validation", "status"),
    [("MARKETING", None, "warn"), ("TRANSACTIONAL", None, "pass"), ("MARKETING", "MEDIUM", "pass")],
    ids=["marketing-without", "transactional-without", "marketing-with-account-level"],
)
def test_auto_validation_is_read_live_and_recommended_for_marketing_mail(
    account: FakeAccount,
    run_cli: Callable[..., Run],
    config_file: Callable[..., Any],
    serve_zone: Callable[..., str],
    mail_type: str,
    validation: str | None,
    status: str,
) -> None:
    def change(responses: dict[str, Any]) -> None:
        del responses["get_configuration_set"]["SuppressionOptions"]["ValidationOptions"]
        if validation is not None:
            responses["get_account"]["SuppressionAttributes"]["ValidationAttributes"] = {
                "ConditionThreshold": {
                    "ConditionThresholdEnabled": "ENABLED",
                    "OverallConfidenceThreshold": {"ConfidenceVerdictThreshold": validation},
                }
            }

    account.queue_check(responses_with(change))
    data = {**CONFIG, "productionAccess": {**CONFIG["productionAccess"], "mailType": mail_type}}
    result = run_cli("check", "--config", str(config_file(data)), "--nameserver", serve_zone(good_zone()), "--json")
    (suppression,) = [i for i in result.json()[0]["items"] if i["item"] == "suppression"]
    assert suppression["status"] == status, suppression
    expected = f"Auto Validation: account {validation}" if validation else "Auto Validation: off"
    assert expected in suppression["evidence"]
