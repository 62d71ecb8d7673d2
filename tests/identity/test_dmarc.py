"""The DMARC record builder and parser."""

from __future__ import annotations

from typing import Any

import pytest

from ses_stack.identity.dmarc import Dmarc, DmarcAlignment, DmarcPolicy, parse_dmarc_tags


def test_default_record_is_monitoring_only() -> None:
    assert Dmarc().record_value() == "v=DMARC1; p=none"


def test_unset_tags_are_left_out_and_set_ones_follow_rfc_order() -> None:
    record = Dmarc(
        policy=DmarcPolicy.REJECT,
        subdomain_policy=DmarcPolicy.QUARANTINE,
        rua=["a@example.com", "mailto:b@example.net"],
        pct=25,
        adkim=DmarcAlignment.STRICT,
    ).record_value()
    assert record == "v=DMARC1; p=reject; sp=quarantine; pct=25; rua=mailto:a@example.com,mailto:b@example.net; adkim=s"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"pct": 101}, "dmarc pct: must be a whole number from 0 to 100; got 101"),
        ({"pct": True}, "dmarc pct: must be a whole number from 0 to 100; got True"),
        ({"policy": "reject"}, "dmarc policy: must be a DmarcPolicy (none, quarantine, reject); got 'reject'"),
        ({"adkim": "s"}, "dmarc adkim: must be a DmarcAlignment (r or s); got 's'"),
        ({"rua": "a@example.com"}, "dmarc rua: must be a list of addresses, not a single string; got 'a@example.com'"),
        ({"ruf": ["nobody"]}, "dmarc ruf: must be an e-mail address such as reports@example.com; got 'nobody'"),
    ],
)
def test_invalid_settings_raise_naming_setting_and_value(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        Dmarc(**kwargs)
    assert str(raised.value) == message


def test_parse_round_trips_a_built_record() -> None:
    tags = parse_dmarc_tags(Dmarc(policy=DmarcPolicy.QUARANTINE, rua=["r@example.com"]).record_value())
    assert tags == {"v": "DMARC1", "p": "quarantine", "rua": "mailto:r@example.com"}


@pytest.mark.parametrize("value", ["p=none; v=DMARC1", "v=spf1 -all", "", "v=DMARC1; garbage", "v=DMARC2; p=none"])
def test_parse_rejects_records_that_are_not_dmarc(value: str) -> None:
    assert parse_dmarc_tags(value) is None


def test_parse_tolerates_spacing_case_of_names_and_a_trailing_semicolon() -> None:
    assert parse_dmarc_tags("v=DMARC1 ;P=reject; RUA = mailto:x@example.com;") == {
        "v": "DMARC1",
        "p": "reject",
        "rua": "mailto:x@example.com",
    }
