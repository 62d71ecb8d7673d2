"""`ses-preflight validate-list` end to end: the real CLI and AWS layer against the SES stand-in on loopback
(botocore validates every request and answer against SES's model), each verdict with its negative twin."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ses_stack.preflight import cli
from ses_stack.preflight.aws import clients
from tests.preflight.conftest import Run
from tests.preflight.validate.standin import StandIn, running_standin

GOOD = ["a@example.com", "b@example.com", "info@example.com", "c@example.org"]


@pytest.fixture
def standin() -> Iterator[tuple[StandIn, str]]:
    fake = StandIn()
    with running_standin(fake) as endpoint:
        yield fake, endpoint.url


@pytest.fixture
def run(
    standin: tuple[StandIn, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> Callable[..., Run]:
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(clients.random, "random", lambda: 0.0)  # backoff without waiting: the retries still happen

    def invoke(*argv: str) -> Run:
        out = io.StringIO()
        argv = ("--api-rate", "1000", *argv, "--region", "eu-west-1", "--endpoint-url", standin[1])  # theirs win
        status = cli.main(["validate-list", *argv], out=out)
        return Run(status, out.getvalue(), capsys.readouterr().err)

    return invoke


def listed(tmp_path: Path, addresses: list[str]) -> str:
    path = tmp_path / "list.txt"
    path.write_text("\n".join(addresses) + "\n")
    return str(path)


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open()))


def test_a_clean_list_is_safe_and_every_verdict_is_written(
    run: Callable[..., Run], standin: tuple[StandIn, str], tmp_path: Path
) -> None:
    result = run(listed(tmp_path, [*GOOD, "A@Example.com"]), "--json")
    summary = result.json()
    assert result.status == 0, result.err
    assert (summary["checked"], summary["duplicates"], summary["safe"], summary["wouldBounce"]) == (4, 1, True, 0.0)
    assert summary["flagged"]["is_role_address"] == 1
    written = rows(tmp_path / "list.txt.verdicts.csv")
    assert sorted(r["email"] for r in written) == sorted(GOOD)
    assert {r["verdict"] for r in written} == {"valid"}
    assert list(written[0]) == ["email", "verdict", "is_valid", "has_valid_syntax", "has_valid_dns_records",
                                "mailbox_exists", "is_role_address", "is_disposable", "is_random_input"]  # fmt: skip
    assert sorted(standin[0].insight_calls) == sorted(GOOD)  # each address paid for once


def test_a_list_that_would_bounce_is_not_safe(run: Callable[..., Run], tmp_path: Path) -> None:
    addresses = [*GOOD, "bad1@example.com", "maybe@example.com"]
    result = run(listed(tmp_path, addresses))
    assert result.status == 1
    assert "valid 4 (66.7%), risky 1 (16.7%), invalid 1 (16.7%)" in result.out
    assert "would bounce: 16.7% (the invalid ones); SES reviews an account at 5%" in result.out
    assert result.out.rstrip().endswith("--suppress them) and send to the risky ones last")


def test_the_threshold_decides_safety(run: Callable[..., Run], tmp_path: Path) -> None:
    addresses = [f"u{n}@example.com" for n in range(49)] + ["bad@example.com"]  # 2.0% would bounce
    assert run(listed(tmp_path, addresses), "--json").json()["safe"] is False  # not under 2%
    assert run(listed(tmp_path, addresses), "--json", "--max-bounce-share", "0.03").json()["safe"] is True


def test_an_interrupted_run_resumes_without_paying_twice(
    run: Callable[..., Run], standin: tuple[StandIn, str], tmp_path: Path
) -> None:
    out = tmp_path / "verdicts.csv"
    first = run(listed(tmp_path, GOOD[:2]), "--out", str(out))
    assert first.status == 0
    with out.open("a") as verdicts:
        verdicts.write("info@example.com,valid,HI")  # a row cut off mid-write: checked again
    standin[0].insight_calls.clear()
    second = run(listed(tmp_path, GOOD), "--out", str(out), "--json")
    assert sorted(standin[0].insight_calls) == ["c@example.org", "info@example.com"]
    assert (second.json()["checked"], second.json()["resumed"]) == (4, 2)
    assert len(rows(out)) == 4
    standin[0].insight_calls.clear()
    run(listed(tmp_path, GOOD), "--out", str(out), "--fresh")  # the twin: --fresh checks everything again
    assert sorted(standin[0].insight_calls) == sorted(GOOD)


def test_a_file_that_is_not_a_verdicts_file_is_never_overwritten(run: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "customers.csv"
    out.write_text("name,email\nJane,jane@example.com\n")
    for fresh in ([], ["--fresh"]):
        result = run(listed(tmp_path, GOOD), "--out", str(out), *fresh)
        assert result.status == 2
        assert "is not a validate-list verdicts file (its header differs); give another --out" in result.err
        assert out.read_text() == "name,email\nJane,jane@example.com\n"


def test_an_address_ses_refuses_is_left_for_the_next_run(
    run: Callable[..., Run], standin: tuple[StandIn, str], tmp_path: Path
) -> None:
    standin[0].failing.add("c@example.org")
    result = run(listed(tmp_path, GOOD), "--json")
    assert result.status == 1
    assert result.json()["notChecked"] == [{"email": "c@example.org", "error": "BadRequestException: cannot evaluate "
                                            "c@example.org"}]  # fmt: skip
    assert "c@example.org" not in (tmp_path / "list.txt.verdicts.csv").read_text()
    standin[0].failing.clear()
    assert run(listed(tmp_path, GOOD), "--json").json()["safe"] is True


def test_malformed_lines_are_named_and_the_rest_checked(run: Callable[..., Run], tmp_path: Path) -> None:
    result = run(listed(tmp_path, ["a@example.com", "oops", "b@example.com"]))
    assert "line 2: 'oops': must be an e-mail address such as reports@example.com" in result.out
    assert "2 addresses (1 malformed lines skipped, 0 duplicates checked once)" in result.out


def test_suppress_adds_the_invalid_ones_and_leaves_existing_entries_alone(
    run: Callable[..., Run], standin: tuple[StandIn, str], tmp_path: Path
) -> None:
    standin[0].suppressed["bad2@example.com"] = "COMPLAINT"
    result = run(listed(tmp_path, [*GOOD, "bad1@example.com", "bad2@example.com", "maybe@example.com"]), "--suppress",
                 "--json")  # fmt: skip
    assert result.json()["suppressed"] == {"added": 1, "already": 1, "failed": []}
    assert standin[0].suppressed == {"bad1@example.com": "BOUNCE", "bad2@example.com": "COMPLAINT"}
    run(listed(tmp_path, GOOD), "--suppress")  # the twin: nothing invalid, nothing suppressed
    assert len(standin[0].suppressed) == 2


def test_throttling_is_paced_and_retried_and_concurrency_loses_nothing(
    run: Callable[..., Run], standin: tuple[StandIn, str], tmp_path: Path
) -> None:
    standin[0].rate = 200
    addresses = [f"u{n}@example.com" for n in range(120)] + ["bad@example.com"]
    result = run(listed(tmp_path, addresses), "--json", "--concurrency", "16", "--api-rate", "150")
    assert (result.json()["checked"], result.json()["notChecked"]) == (121, [])
    assert len(rows(tmp_path / "list.txt.verdicts.csv")) == 121


def test_the_iam_policy_names_its_calls(capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    assert cli.main(["iam-policy", "validate-list"], out=out) == 0
    (statement,) = json.loads(out.getvalue())["Statement"]
    assert statement["Action"] == ["ses:GetEmailAddressInsights", "ses:GetSuppressedDestination",
                                   "ses:PutSuppressedDestination"]  # fmt: skip


def test_more_than_one_region_is_a_usage_error(run: Callable[..., Run], tmp_path: Path) -> None:
    result = run(listed(tmp_path, GOOD), "--region", "us-east-1")
    assert result.status == 2
    assert "validate-list works in one Region; got --region us-east-1,eu-west-1" in result.err


@pytest.mark.parametrize(("throttled", "checked"), [(5, 4), (12, 3)], ids=["retried-later", "given-up"])
def test_addresses_still_throttled_are_tried_again_after_the_rest(
    run: Callable[..., Run], standin: tuple[StandIn, str], tmp_path: Path, throttled: int, checked: int
) -> None:
    # the client tries each call 4 times; the run tries a throttled address again twice more after the rest
    standin[0].throttle_first["c@example.org"] = throttled
    result = run(listed(tmp_path, GOOD), "--json", "--concurrency", "4").json()
    assert result["checked"] == checked
    assert [f["email"] for f in result["notChecked"]] == ([] if checked == 4 else ["c@example.org"])


def test_an_address_that_looks_like_a_formula_is_written_inert_and_read_back(
    run: Callable[..., Run], standin: tuple[StandIn, str], tmp_path: Path
) -> None:
    addresses = ["=cmd@example.com", "-x@example.com", "plain@example.com"]
    run(listed(tmp_path, addresses))
    written = [r["email"] for r in rows(tmp_path / "list.txt.verdicts.csv")]
    assert sorted(written) == ["'-x@example.com", "'=cmd@example.com", "plain@example.com"]
    standin[0].insight_calls.clear()
    assert run(listed(tmp_path, addresses), "--json").json()["resumed"] == 3  # read back as the addresses they are
    assert standin[0].insight_calls == []


def test_suppressing_an_address_still_throttled_is_tried_again_after_the_rest(
    run: Callable[..., Run], standin: tuple[StandIn, str], tmp_path: Path
) -> None:
    run(listed(tmp_path, [*GOOD, "bad1@example.com", "bad2@example.com"]))  # verdicts first, then suppress them
    standin[0].throttle_first["bad1@example.com"] = 5  # the client's 4 tries, then the second pass
    result = run(listed(tmp_path, [*GOOD, "bad1@example.com", "bad2@example.com"]), "--suppress", "--json")
    assert result.json()["suppressed"] == {"added": 2, "already": 0, "failed": []}


def test_ctrl_c_exits_130_and_says_how_to_go_on(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ses_stack.preflight.validate import runner  # noqa: PLC0415

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "validate_addresses", interrupted)
    result = run(listed(tmp_path, GOOD))
    assert result.status == 130
    assert "run the same command again to go on" in result.err
    assert (tmp_path / "list.txt.verdicts.csv").read_text().startswith("email,verdict,")  # closed, header kept
