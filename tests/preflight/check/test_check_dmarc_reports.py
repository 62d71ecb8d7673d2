"""`check` and DMARC reports sent to another organization: its authorization record looked up in DNS (exact or
wildcard), a warning without it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.preflight.conftest import CONFIG, FakeAccount, Run, good_zone, responses_with

RUA = "dmarc@reports.example.org"
DMARC = ("_dmarc.example.com", "TXT", f'"v=DMARC1; p=quarantine; rua=mailto:{RUA}"')
INBOUND = ("reports.example.org", "MX", "10 in.example.org.")


@pytest.mark.parametrize(
    ("authorization", "status", "said"),
    [
        ([("example.com._report._dmarc.reports.example.org", "TXT", '"v=DMARC1"')], "pass", f"reports to {RUA}"),
        ([("*._report._dmarc.reports.example.org", "TXT", '"v=DMARC1"')], "pass", f"reports to {RUA}"),
        ([], "warn", "reports.example.org does not publish example.com._report._dmarc.reports.example.org"),
        ([("example.com._report._dmarc.reports.example.org", "TXT", '"v=spf1 -all"')], "warn", "does not publish"),
    ],
    ids=["exact", "wildcard", "missing", "not-dmarc"],
)
def test_an_external_report_destination_needs_its_authorization(
    account: FakeAccount,
    run_cli: Callable[..., Run],
    config_file: Callable[..., Any],
    serve_zone: Callable[..., str],
    authorization: list[tuple[str, str, str]],
    status: str,
    said: str,
) -> None:
    account.queue_check(responses_with(None))
    data = {**CONFIG, "domains": [{**CONFIG["domains"][0], "dmarc": {"policy": "quarantine", "rua": [RUA]}}]}
    zone = [r for r in good_zone() if r[0] != "_dmarc.example.com"] + [DMARC, INBOUND, *authorization]
    result = run_cli("check", "--config", str(config_file(data)), "--nameserver", serve_zone(zone), "--json")
    (dmarc,) = [i for i in result.json()[0]["items"] if i["item"] == "dmarc"]
    assert dmarc["status"] == status, dmarc
    assert said in dmarc["evidence"]
    assert "warnings:" not in dmarc["evidence"]  # checkdmarc's own warning on it is not repeated
