"""``ses-preflight check`` over many domains: domains checked concurrently give exactly the serial result, in config
order; the DNS server sees queries overlap; one domain's AWS failure ends the check; progress lines on a terminal."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ses_stack.checklist.items import Checklist, ItemId, Status
from ses_stack.checklist.template_reading import render, resources
from ses_stack.config import SesStackConfig, parse_config
from ses_stack.preflight import cli, common
from ses_stack.preflight.check.dns import make_resolver
from ses_stack.preflight.check.live import Clients, evaluate_region
from ses_stack.preflight.common import domain_progress
from tests.aws_double import AwsDouble
from tests.conftest import synth_config
from tests.deployed import REGION, answer_as_deployed, deployed_zone
from tests.preflight.dns_server import ZoneResolver, running_dns_server

DOMAINS = [f"customer{n:02d}.example.net" for n in range(12)]
BROKEN = "customer07.example.net"  # its DKIM records are missing from DNS


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SesStackConfig, AwsDouble, str, ZoneResolver]]:
    data = {
        "regions": [REGION],
        "domains": [{"name": name, "hostedZoneId": "Z0123456789ABCDEFGHIJ"} for name in DOMAINS],
    }
    (template,) = synth_config(data, tmp_path_factory.mktemp("scale")).values()
    identities = {
        logical_id: render(resource["Properties"]["EmailIdentity"])
        for logical_id, resource in resources(template, "AWS::SES::EmailIdentity")
    }
    records = [r for r in deployed_zone(template, identities) if not r[0].endswith(f"._domainkey.{BROKEN}")]
    aws = AwsDouble(REGION)
    answer_as_deployed(template, aws)
    with running_dns_server() as (address, zone):
        zone.serve(records)
        yield parse_config(data), aws, address, zone


def check(world: tuple[SesStackConfig, AwsDouble, str, ZoneResolver], concurrency: int, **kwargs: Any) -> Checklist:
    config, aws, address, zone = world
    zone.serve(zone.records)  # resets the counters, keeps the records
    clients = Clients(sesv2=aws.client("sesv2"), sns=aws.client("sns"))
    return evaluate_region(config, REGION, clients, make_resolver(address), concurrency=concurrency, **kwargs)


def test_concurrent_check_gives_the_serial_result_in_config_order(
    world: tuple[SesStackConfig, AwsDouble, str, ZoneResolver],
) -> None:
    zone = world[3]
    zone.delay = 0.02  # long enough for the threads' queries to overlap
    try:
        serial = check(world, concurrency=1)
        serial_peak = zone.peak_in_flight
        concurrent = check(world, concurrency=8)
        concurrent_peak = zone.peak_in_flight
    finally:
        zone.delay = 0.0

    assert concurrent.to_json() == serial.to_json()
    assert serial_peak == 1
    assert concurrent_peak > 1
    dkim = [r for r in concurrent.results if r.item is ItemId.DOMAIN_DKIM]
    assert [r.domain for r in dkim] == DOMAINS
    assert {r.domain for r in dkim if r.status is Status.FAIL} == {BROKEN}


def test_progress_is_told_once_per_domain(world: tuple[SesStackConfig, AwsDouble, str, ZoneResolver]) -> None:
    seen: list[tuple[int, int]] = []
    check(world, concurrency=4, on_domain_done=lambda done, total: seen.append((done, total)))
    assert seen == [(n, len(DOMAINS)) for n in range(1, len(DOMAINS) + 1)]


def test_an_aws_error_on_one_domain_ends_the_check(world: tuple[SesStackConfig, AwsDouble, str, ZoneResolver]) -> None:
    config, aws, address, _ = world
    failing = AwsDouble(REGION)
    failing.answers = {key: list(value) for key, value in aws.answers.items()}
    failing.answers[("sesv2", "GetEmailIdentity")].insert(0, ({"EmailIdentity": DOMAINS[3]}, (403, {
        "Error": {"Code": "AccessDeniedException", "Message": "not allowed"},
        "ResponseMetadata": {"HTTPStatusCode": 403},
    })))  # fmt: skip
    clients = Clients(sesv2=failing.client("sesv2"), sns=failing.client("sns"))
    with pytest.raises(ClientError, match="AccessDeniedException"):
        evaluate_region(config, REGION, clients, make_resolver(address), concurrency=4)
    assert not any(op == "GetAccount" for _, op, _ in failing.calls)  # account items never checked on half a result


def test_concurrency_below_one_is_refused(world: tuple[SesStackConfig, AwsDouble, str, ZoneResolver]) -> None:
    with pytest.raises(ValueError, match="concurrency must be at least 1; got 0"):
        check(world, concurrency=0)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_is_rewritten_on_a_terminal_and_absent_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "_progress", {"on": True})
    terminal = Terminal()
    show = domain_progress("[1/1] checking eu-west-1", terminal)
    assert show is not None
    for done in (1, 2, 3):
        show(done, 3)
    assert terminal.getvalue() == (
        "\r[1/1] checking eu-west-1: 1/3 domains\r[1/1] checking eu-west-1: 2/3 domains"
        "\r[1/1] checking eu-west-1: 3/3 domains\n"
    )
    assert domain_progress("label", io.StringIO()) is None


def test_validate_lists_progress_counts_addresses_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "_progress", {"on": True})
    terminal = Terminal()
    monkeypatch.setattr(common.sys, "stderr", terminal)
    show = common.count_progress("validate-list", 12_000)
    assert show is not None
    show(1_500)
    show(12_000)
    assert terminal.getvalue() == "\rvalidate-list: 1,500/12,000 addresses\rvalidate-list: 12,000/12,000 addresses\n"
    monkeypatch.setattr(common, "_progress", {"on": False})
    assert common.count_progress("validate-list", 3) is None  # JSON output, a pipe, --no-progress


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "--concurrency", "0"], "--concurrency: must be from 1 to 64; got 0"),
        (["check", "--concurrency", "many"], "--concurrency: must be a whole number of domains; got 'many'"),
        (["--api-rate", "0", "check"], "--api-rate: must be from 0.1 to 1000 calls per second; got 0"),
        (["--api-rate", "nan", "check"], "--api-rate: must be from 0.1 to 1000 calls per second; got nan"),
    ],
)
def test_bad_scale_arguments_are_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert cli.main([*argv, "--config", str(tmp_path / "unused.json")], out=io.StringIO()) == 2
    assert message in capsys.readouterr().err
