"""The config's DMARC settings for RFC 9989 and report authorization: what they produce and what they refuse."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ses_stack.checklist import ItemId, Status, evaluate_template
from ses_stack.config import ConfigError, parse_config, region_domains
from ses_stack.config.rules import cross_field_problems
from tests.conftest import synth_config

ZONE = "Z0123456789ABCDEFGHIJ"


def two_domains(**extra: Any) -> dict[str, Any]:
    return {
        "regions": ["eu-west-1", "us-east-1"],
        "domains": [
            {"name": "example.com", "hostedZoneId": ZONE, "dmarc": {"rua": ["dmarc@example.net"]}},
            {"name": "news.example.com", "dmarc": {"rua": ["mailto:dmarc@example.net", "x@example.com"]}},
            {"name": "example.net", "hostedZoneId": "Z0OTHER0ZONE", **extra},
        ],
    }


def errors(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        parse_config(data, source="cfg.json")
    return raised.value.lines()


def test_configured_senders_are_added_to_the_report_domain_in_the_primary_region_only() -> None:
    config = parse_config(two_domains(dmarc={"acceptReportsFor": ["partner.example.org", "example.com"]}))
    primary = {d.name: d for d in region_domains(config, "eu-west-1")}
    assert primary["example.net"].dmarc.accept_reports_for == ["partner.example.org", "example.com", "news.example.com"]
    assert primary["example.com"].dmarc.accept_reports_for == []
    secondary = {d.name: d for d in region_domains(config, "us-east-1")}
    assert secondary["example.net"].dmarc.accept_reports_for == []  # DNS is global: one Region publishes
    assert config.domains[2].dmarc.accept_reports_for == ["partner.example.org", "example.com"]  # config untouched


def test_reports_in_house_or_from_an_unpublished_record_add_nothing() -> None:
    data = two_domains()
    data["domains"][0]["dmarc"] = {"rua": ["dmarc@example.com"]}
    data["domains"][1]["dmarc"] = {"publish": False, "rua": ["dmarc@example.net"]}
    primary = {d.name: d for d in region_domains(parse_config(data), "eu-west-1")}
    assert primary["example.net"].dmarc.accept_reports_for == []


def test_the_stack_publishes_the_authorizations_and_the_checklist_sees_them(tmp_path: Path) -> None:
    data = {**two_domains(), "regions": ["eu-west-1"]}
    (template,) = synth_config(data, tmp_path).values()
    names = {
        str(r["Properties"]["Name"]) for r in template["Resources"].values() if r["Type"] == "AWS::Route53::RecordSet"
    }
    assert {"example.com._report._dmarc.example.net.", "news.example.com._report._dmarc.example.net."} <= names
    checklist = evaluate_template(template, region="eu-west-1")
    assert checklist.result(ItemId.DMARC, "example.com").status is Status.PASS
    # the twin: without example.net in the config nothing publishes its consent, and the checklist says so
    alone = {"regions": ["eu-west-1"], "domains": data["domains"][:1]}
    (template,) = synth_config(alone, tmp_path / "alone").values()
    result = evaluate_template(template, region="eu-west-1").result(ItemId.DMARC, "example.com")
    assert result.status is Status.WARN
    assert "example.com._report._dmarc.example.net" in result.evidence


@pytest.mark.parametrize(
    ("dmarc", "expected"),
    [
        (
            {"policy": "reject", "testMode": True, "pct": 25},
            "cfg.json: domains[2].dmarc.testMode: replaces pct (RFC 9989 removed pct): set one of them; got pct 25",
        ),
        (
            {"testMode": True},
            'cfg.json: domains[2].dmarc.testMode: lowers each policy one step, so it needs one stricter than "none"; '
            'got "none"',
        ),
        (
            {"acceptReportsFor": ["example.net"]},
            'cfg.json: domains[2].dmarc.acceptReportsFor: lists the domain itself ("example.net"): its own reports '
            "need no record",
        ),
        (
            {"acceptReportsFor": ["a.example.org", "A.example.org"]},
            "cfg.json: domains[2].dmarc.acceptReportsFor: lists domain a.example.org more than once",
        ),
        ({"psd": "yes"}, 'cfg.json: domains[2].dmarc.psd: must be one of y, n, u; got "yes"'),
        (
            {"nonexistentSubdomainPolicy": "block"},
            "cfg.json: domains[2].dmarc.nonexistentSubdomainPolicy: must be one of none, quarantine, reject; "
            'got "block"',
        ),
    ],
)
def test_invalid_rfc9989_settings_name_the_path(dmarc: dict[str, Any], expected: str) -> None:
    assert errors(two_domains(dmarc=dmarc)) == [expected]


def test_valid_rfc9989_settings_produce_a_record_both_kinds_of_receivers_read_alike() -> None:
    config = parse_config(
        two_domains(
            dmarc={"policy": "quarantine", "testMode": True, "nonexistentSubdomainPolicy": "reject", "psd": "n"}
        )
    )
    assert config.domains[2].dmarc.to_dmarc().record_value() == "v=DMARC1; p=quarantine; np=reject; psd=n; t=y; pct=0"
    assert cross_field_problems(config) == []
    assert json.dumps(config.model_dump(mode="json", by_alias=True)["domains"][2]["dmarc"]["testMode"]) == "true"


def reporting_to_one_domain(count: int, **report_domain: Any) -> dict[str, Any]:
    senders = [{"name": f"s{n}.example.net", "dmarc": {"rua": ["d@example.org"]}} for n in range(count)]
    return {
        "regions": ["eu-west-1"],
        "domainStacks": 2,
        "domainStacksBase": 1,
        "domains": [*senders, {"name": "example.org", "hostedZoneId": ZONE, **report_domain}],
    }


def test_a_domain_publishes_at_most_20_report_authorizations() -> None:
    assert (
        len(region_domains(parse_config(reporting_to_one_domain(20)), "eu-west-1")[-1].dmarc.accept_reports_for) == 20
    )
    assert errors(reporting_to_one_domain(21)) == [
        "cfg.json: domains[21].dmarc: example.org would publish 21 DMARC report authorizations (at most 20: 21 "
        'configured domains send it their reports); publish *._report._dmarc.example.org TXT "v=DMARC1" yourself and '
        "set authorizeSenders to false, or send their reports to their own organizational domains"
    ]


def test_authorize_senders_false_publishes_none() -> None:
    config = parse_config(reporting_to_one_domain(30, dmarc={"authorizeSenders": False}))
    assert region_domains(config, "eu-west-1")[-1].dmarc.accept_reports_for == []
    assert errors(reporting_to_one_domain(1, dmarc={"authorizeSenders": False, "acceptReportsFor": ["a.example.io"]}))[
        0
    ].endswith("dmarc.acceptReportsFor: needs authorizeSenders: true (false publishes no authorization)")
