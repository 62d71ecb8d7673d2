"""`ses-preflight check` and the mailbox providers: dedicated IPs' reverse DNS and VDM's advice, read live (Stubber
and a DNS server on loopback), each with its negative twin; `--providers` chooses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.preflight.conftest import CONFIG, FakeAccount, Run, good_zone, responses_with

IP = "192.0.2.10"
PTR = ("10.2.0.192.in-addr.arpa", "PTR", "e1.mail.example.com.")
FORWARD = ("e1.mail.example.com", "A", IP)
IDENTITY_ARN = "arn:aws:ses:eu-west-1:123456789012:identity/example.com"
SET_ARN = "arn:aws:ses:eu-west-1:123456789012:configuration-set/ses-default-set"


def with_pool(responses: dict[str, Any]) -> None:
    responses["get_configuration_set"]["DeliveryOptions"]["SendingPoolName"] = "pool-1"


def with_vdm(responses: dict[str, Any]) -> None:
    responses["get_account"]["VdmAttributes"] = {"VdmEnabled": "ENABLED"}


def requirement(result: Run, name: str, provider: str = "gmail") -> dict[str, Any]:
    (found,) = [p for p in result.json()[0]["providers"] if p["requirement"] == name and p["provider"] == provider]
    return found


@pytest.mark.parametrize(
    ("records", "status", "said"),
    [
        ([PTR, FORWARD], "pass", f"pool pool-1: PTR and forward DNS agree for {IP}"),
        ([FORWARD], "fail", f"{IP}: no PTR record at 10.2.0.192.in-addr.arpa"),
        ([PTR], "fail", f"{IP}: PTR e1.mail.example.com does not resolve back to {IP}"),
    ],
    ids=["ptr-and-forward", "no-ptr", "ptr-without-forward"],
)
def test_a_dedicated_pools_ips_are_looked_up(
    account: FakeAccount,
    run_cli: Callable[..., Run],
    config_file: Callable[..., Any],
    serve_zone: Callable[..., str],
    records: list[tuple[str, str, str]],
    status: str,
    said: str,
) -> None:
    account.queue_check(responses_with(with_pool))
    account.ses_stub.add_response(
        "get_dedicated_ips",
        {"DedicatedIps": [{"Ip": IP, "WarmupStatus": "DONE", "WarmupPercentage": 100, "PoolName": "pool-1"}]},
        {"PoolName": "pool-1", "PageSize": 100},
    )
    result = run_cli("check", "--config", str(config_file()), "--nameserver", serve_zone([*good_zone(), *records]),
                     "--json")  # fmt: skip
    found = requirement(result, "reverse_dns")
    assert (found["status"], found["established"]) == (status, ["api", "dns"])
    assert said in found["evidence"]
    assert result.status == (0 if status == "pass" else 1)
    assert result.json()[0]["ready"] is True  # AWS's checklist is unaffected: only the providers' verdict fails


def test_without_vdm_no_advice_is_read(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Any], serve_zone: Callable[..., str]
) -> None:
    account.queue_check(responses_with(None))  # nothing else queued: ListRecommendations would fail the test
    result = run_cli("check", "--config", str(config_file()), "--nameserver", serve_zone(good_zone()), "--json")
    assert requirement(result, "ip_reputation")["status"] == "unknown"
    assert "Virtual Deliverability Manager is off" in requirement(result, "ip_reputation")["evidence"]


def recommendation(kind: str, impact: str, arn: str = IDENTITY_ARN) -> dict[str, Any]:
    return {"ResourceArn": arn, "Type": kind, "Description": f"{kind} advice", "Status": "OPEN", "Impact": impact}


@pytest.mark.parametrize(
    ("recommendations", "items", "reputation"),
    [
        ([], {"domain_dkim": "pass", "spf": "pass"}, "pass"),
        ([recommendation("DKIM", "HIGH")], {"domain_dkim": "fail", "spf": "pass"}, "pass"),
        ([recommendation("SPF", "LOW")], {"domain_dkim": "pass", "spf": "warn"}, "pass"),
        ([recommendation("COMPLAINT", "HIGH", SET_ARN)], {"complaint": "fail"}, "pass"),
        ([recommendation("IP_LISTING", "HIGH", SET_ARN)], {"domain_dkim": "pass"}, "fail"),
        ([recommendation("FEEDBACK_3P", "LOW", SET_ARN)], {"domain_dkim": "pass"}, "warn"),
        (
            [recommendation("DKIM", "HIGH", IDENTITY_ARN.replace("example.com", "other.example"))],
            {"domain_dkim": "pass"},
            "pass",
        ),
    ],
    ids=["none-open", "dkim-high", "spf-low", "complaint-high", "ip-listing-high", "feedback-low", "other-identity"],
)
def test_vdm_advice_lowers_its_item_or_provider_requirement(
    account: FakeAccount,
    run_cli: Callable[..., Run],
    config_file: Callable[..., Any],
    serve_zone: Callable[..., str],
    recommendations: list[dict[str, Any]],
    items: dict[str, str],
    reputation: str,
) -> None:
    account.queue_check(responses_with(with_vdm))
    account.ses_stub.add_response(
        "list_recommendations", {"Recommendations": recommendations}, {"Filter": {"STATUS": "OPEN"}, "PageSize": 100}
    )
    result = run_cli("check", "--config", str(config_file()), "--nameserver", serve_zone(good_zone()), "--json")
    statuses = {i["item"]: i["status"] for i in result.json()[0]["items"]}
    assert {item: statuses[item] for item in items} == items
    for item, status in items.items():
        if status != "pass":
            (lowered,) = [i for i in result.json()[0]["items"] if i["item"] == item]
            assert "VDM HIGH" in lowered["evidence"] or "VDM LOW" in lowered["evidence"]
    assert requirement(result, "ip_reputation", "outlook")["status"] == reputation


@pytest.mark.parametrize(
    ("option", "providers"),
    [("gmail", ["gmail"]), ("laposte,GMAIL, laposte", ["laposte", "gmail"]), ("none", [])],
)
def test_providers_chooses_which_are_judged(
    account: FakeAccount,
    run_cli: Callable[..., Run],
    config_file: Callable[..., Any],
    serve_zone: Callable[..., str],
    option: str,
    providers: list[str],
) -> None:
    account.queue_check(responses_with(None))
    result = run_cli("check", "--config", str(config_file()), "--nameserver", serve_zone(good_zone()), "--json",
                     "--providers", option)  # fmt: skip
    region = result.json()[0]
    assert list(dict.fromkeys(p["provider"] for p in region.get("providers", []))) == providers
    assert ("providers" in region) is bool(providers)


def test_the_configs_providers_apply_without_the_option(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Any], serve_zone: Callable[..., str]
) -> None:
    account.queue_check(responses_with(None))
    data = {**CONFIG, "providers": ["apple"]}
    result = run_cli("check", "--config", str(config_file(data)), "--nameserver", serve_zone(good_zone()), "--json")
    assert {p["provider"] for p in result.json()[0]["providers"]} == {"apple"}


def test_an_unknown_provider_is_a_usage_error(run_cli: Callable[..., Run], config_file: Callable[..., Any]) -> None:
    result = run_cli("check", "--config", str(config_file()), "--providers", "hotmail")
    assert result.status == 2
    assert "--providers: must be gmail, yahoo, outlook, laposte, apple (comma-separated) or none; got 'hotmail'" in (
        result.err
    )


REVERSE6 = "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"


@pytest.mark.parametrize(
    ("address", "records", "expected"),
    [
        ("2001:db8::10", [(REVERSE6, "PTR", "e6.mail.example.com."),
                          ("e6.mail.example.com", "AAAA", "2001:0db8:0:0::10")], None),
        ("2001:db8::10", [], f"no PTR record at {REVERSE6}"),
        ("not-an-ip", [], "not an IP address"),
    ],
    ids=["ipv6-written-otherwise", "ipv6-without-ptr", "garbage"],
)  # fmt: skip
def test_reverse_dns_of_any_ip_form(
    serve_zone: Callable[..., str], address: str, records: list[tuple[str, str, str]], expected: str | None
) -> None:
    from ses_stack.preflight.check.dns import make_resolver  # noqa: PLC0415
    from ses_stack.preflight.check.inbox import ip_problem  # noqa: PLC0415

    assert ip_problem(make_resolver(serve_zone(records)), address) == expected
