"""RFC 9989 (DMARCbis) in the record builder: test mode, np and psd, read alike by old and new receivers; and where
reports may go (the authorization record of another organizational domain)."""

from __future__ import annotations

from typing import Any

import pytest

from ses_stack.checklist.items import Status
from ses_stack.checklist.rules import dmarc_verdict
from ses_stack.identity.dmarc import Dmarc, DmarcPolicy, DmarcPsd, parse_dmarc_tags
from ses_stack.identity.dmarc_reports import (
    authorization_name,
    external_report_domains,
    organizational_domain,
    report_domain,
)


def test_test_mode_is_written_for_both_kinds_of_receivers() -> None:
    record = Dmarc(policy=DmarcPolicy.REJECT, test_mode=True, rua=["d@example.com"]).record_value()
    assert record == "v=DMARC1; p=reject; t=y; pct=0; rua=mailto:d@example.com"
    tags = parse_dmarc_tags(record)
    assert tags is not None and (tags["t"], tags["pct"]) == ("y", "0")


def test_np_and_psd_are_emitted_only_when_set() -> None:
    assert Dmarc(policy=DmarcPolicy.QUARANTINE).record_value() == "v=DMARC1; p=quarantine"
    record = Dmarc(
        policy=DmarcPolicy.QUARANTINE, nonexistent_subdomain_policy=DmarcPolicy.REJECT, psd=DmarcPsd.NO
    ).record_value()
    assert record == "v=DMARC1; p=quarantine; np=reject; psd=n"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"policy": DmarcPolicy.REJECT, "test_mode": True, "pct": 50},
            "dmarc test_mode: replaces pct (RFC 9989 removed pct); set one of them; got pct=50",
        ),
        (
            {"test_mode": True},
            "dmarc test_mode: lowers each policy one step, so it needs one stricter than none; got none",
        ),
        ({"test_mode": "yes"}, "dmarc test_mode: must be True or False; got 'yes'"),
        ({"psd": "n"}, "dmarc psd: must be a DmarcPsd (y, n or u); got 'n'"),
        (
            {"nonexistent_subdomain_policy": "reject"},
            "dmarc nonexistent_subdomain_policy: must be a DmarcPolicy (none, quarantine, reject); got 'reject'",
        ),
    ],
)
def test_invalid_rfc9989_settings_raise(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        Dmarc(**kwargs)
    assert str(raised.value) == message


def test_test_mode_with_only_a_strict_np_is_accepted() -> None:
    record = Dmarc(test_mode=True, nonexistent_subdomain_policy=DmarcPolicy.REJECT).record_value()
    assert record == "v=DMARC1; p=none; np=reject; t=y; pct=0"


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("example.com", "example.com"),
        ("news.mail.example.com", "example.com"),
        ("news.example.co.uk", "example.co.uk"),
        ("Example.COM.", "example.com"),
        ("co.uk", "co.uk"),
    ],
)
def test_organizational_domains_follow_the_public_suffix_list(domain: str, expected: str) -> None:
    assert organizational_domain(domain) == expected


def test_external_report_domains_are_those_of_another_organization_once_each() -> None:
    addresses = [
        "mailto:a@example.com",
        "b@reports.example.com",
        "mailto:c@dmarc.example.net!10m",
        "d@DMARC.example.net",
        "e@example.co.uk",
    ]
    assert external_report_domains("news.example.com", addresses) == ["dmarc.example.net", "example.co.uk"]
    assert external_report_domains("example.com", []) == []
    assert report_domain("mailto:x@Reports.Example.NET!50m") == "reports.example.net"
    assert authorization_name("Example.com.", "reports.example.net") == "example.com._report._dmarc.reports.example.net"


@pytest.mark.parametrize(
    ("record", "status", "said"),
    [
        ("v=DMARC1; p=reject; t=y; pct=0; rua=mailto:d@example.com", Status.PASS, "test mode (t=y)"),
        ("v=DMARC1; p=reject; pct=0; rua=mailto:d@example.com", Status.WARN, "pct was removed by RFC 9989"),
        ("v=DMARC1; p=reject; t=y; pct=50; rua=mailto:d@example.com", Status.WARN, "pct was removed by RFC 9989"),
        ("v=DMARC1; p=reject; t=maybe; rua=mailto:d@example.com", Status.WARN, "t=maybe is not one of y, n"),
        ("v=DMARC1; p=reject; np=block; rua=mailto:d@example.com", Status.WARN, "np=block is not one of none"),
        ("v=DMARC1; p=reject; psd=y; rua=mailto:d@example.com", Status.WARN, "psd=y declares a public suffix"),
        ("v=DMARC1; p=reject; np=reject; psd=n; rua=mailto:d@example.com", Status.PASS, "reports to d@example.com"),
    ],
)
def test_the_shared_rule_reads_rfc9989_tags(record: str, status: Status, said: str) -> None:
    found = dmarc_verdict("_dmarc.example.com", record, set())
    assert found.status is status, found
    assert said in found.evidence


@pytest.mark.parametrize(
    ("authorized", "status", "said"),
    [
        (True, Status.PASS, "reports to d@reports.example.net"),
        (False, Status.WARN, "reports.example.net does not publish example.com._report._dmarc.reports.example.net"),
        (None, Status.WARN, "reports.example.net must publish (outside this app: check it live)"),
    ],
)
def test_reports_to_another_organization_need_its_authorization(
    authorized: bool | None, status: Status, said: str
) -> None:
    asked: list[tuple[str, str]] = []

    def lookup(domain: str, destination: str) -> bool | None:
        asked.append((domain, destination))
        return authorized

    found = dmarc_verdict("_dmarc.example.com", "v=DMARC1; p=none; rua=mailto:d@reports.example.net", set(), lookup)
    assert (found.status, asked) == (status, [("example.com", "reports.example.net")])
    assert said in found.evidence
    if status is Status.WARN:
        assert 'publish example.com._report._dmarc.reports.example.net TXT "v=DMARC1"' in found.fix


def test_reports_within_the_organization_need_no_authorization() -> None:
    def never(domain: str, destination: str) -> bool | None:
        raise AssertionError("asked about an in-house destination")

    record = "v=DMARC1; p=none; rua=mailto:d@example.com,mailto:e@reports.example.com"
    assert dmarc_verdict("_dmarc.news.example.com", record, set(), never).status is Status.PASS
