"""ses-preflight speaks the AWS CLI's language: global options before or after the subcommand, one output contract
(--output json|text, --query, JSON errors), errors that say what to do, the IAM permissions per subcommand, shell
completion and progress for terminals only."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from ses_stack.preflight import cli
from ses_stack.preflight.arguments import CALLING_COMMANDS, build_parser, merge_globals
from ses_stack.preflight.aws import iam
from tests.preflight.conftest import FakeAccount, Run, good_account
from tests.preflight.http_endpoint import Endpoint, Reply, running_endpoint

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = {**good_account()["get_account"], "ProductionAccessEnabled": True}


def parse(*argv: str) -> Any:
    return merge_globals(build_parser().parse_args(list(argv)))


# --- options where users type them ----------------------------------------------------------------------------------


def test_global_options_work_before_and_after_the_subcommand() -> None:
    before = parse("--profile", "prod", "--region", "eu-west-1", "--output", "json", "status")
    after = parse("status", "--profile", "prod", "--region", "eu-west-1", "--output", "json")
    for args in (before, after):
        assert (args.profile, args.regions, args.output, args.command) == ("prod", ["eu-west-1"], "json", "status")


def test_after_the_subcommand_wins_and_regions_add_up() -> None:
    args = parse("--timeout", "3", "--region", "eu-west-1", "check", "--config", "c.json", "--timeout", "9",
                 "--regions", "us-east-1,eu-west-1", "--region", "ap-southeast-2")  # fmt: skip
    assert args.timeout == 9
    assert args.regions == ["eu-west-1", "us-east-1", "ap-southeast-2"]


def test_unset_options_after_the_subcommand_never_hide_those_before() -> None:
    args = parse("--profile", "prod", "--debug", "--endpoint-url", "http://127.0.0.1:1", "plan", "--config", "c")
    assert (args.profile, args.debug, args.endpoint_url) == ("prod", True, "http://127.0.0.1:1")


@pytest.mark.parametrize("command", CALLING_COMMANDS)
def test_every_subcommand_takes_region_output_and_query(command: str) -> None:
    extra = {"status": [], "validate-list": ["list.csv"]}.get(command, ["--config", "c.json"])
    args = parse(command, *extra, "--region", "eu-west-1", "--output", "json", "--query", "[0]")
    assert (args.regions, args.output, args.query) == (["eu-west-1"], "json", "[0]")
    assert parse(command, *extra, "--json").output == "json"  # the old spelling still works


def test_waiting_time_has_its_own_name_and_timeout_means_one_thing(capsys: pytest.CaptureFixture[str]) -> None:
    assert parse("wait", "--config", "c", "--max-wait", "3600").max_wait == 3600
    assert parse("drill", "--config", "c", "--max-wait", "60").max_wait == 60
    assert cli.main(["wait", "--config", "c", "--timeout", "1800"]) == 2  # the old meaning is refused, not misread
    assert "--max-wait" in capsys.readouterr().err


def test_records_format_json_is_the_json_output() -> None:
    assert parse("records", "--config", "c", "--format", "json").output == "json"
    assert parse("records", "--config", "c").output == "text"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("ses-preflight ")


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Endpoint]:
    for name in ("AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with running_endpoint(lambda method, path, body: Reply.json(ACCOUNT)) as server:
        yield server


def test_endpoint_url_and_debug_show_each_call(endpoint: Endpoint, capsys: pytest.CaptureFixture[str]) -> None:
    status = cli.main(["status", "--region", "eu-west-1", "--endpoint-url", endpoint.url, "--debug"], out=io.StringIO())
    assert status == 0 and endpoint.requests == [("GET", "/v2/email/account")]
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("debug: sesv2 GetAccount {}: ok in ")


# --- one output contract ----------------------------------------------------------------------------------------------


def test_query_selects_from_the_json_output(endpoint: Endpoint) -> None:
    out = io.StringIO()
    base = ["status", "--region", "eu-west-1,us-east-1", "--endpoint-url", endpoint.url]
    assert cli.main([*base, "--query", "[].region", "--output", "text"], out=out) == 0
    assert out.getvalue() == "eu-west-1\tus-east-1\n"
    out = io.StringIO()
    cli.main([*base, "--query", "[?region=='us-east-1'].region", "--output", "json"], out=out)
    assert json.loads(out.getvalue()) == ["us-east-1"]


def test_a_query_that_is_not_jmespath_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    assert cli.main(["status", "--region", "eu-west-1", "--query", "[?", "--output", "json"], out=out) == 2
    assert json.loads(out.getvalue())["error"]["code"] == "InvalidQuery"


@pytest.mark.parametrize("command", CALLING_COMMANDS)
def test_every_subcommands_error_is_a_json_object_on_stdout(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A config that does not exist (status: a Region SES does not serve): exit 2, the error on stdout, nothing
    on stderr."""
    extra = ["--region", "xx-nowhere-1"] if command == "status" else ["--config", str(tmp_path / "missing.json")]
    out = io.StringIO()
    assert cli.main([command, *extra, "--output", "json"], out=out) == 2
    error = json.loads(out.getvalue())["error"]
    assert set(error) == {"code", "message", "hint"} and error["code"] == "UsageError" and error["message"]
    assert capsys.readouterr().err == ""


def test_a_usage_error_with_json_output_is_json_too(capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    assert cli.main(["--output", "json", "check"], out=out) == 2  # --config missing
    error = json.loads(out.getvalue())["error"]
    assert "the following arguments are required: --config" in error["message"]
    assert error["hint"] == "`ses-preflight check --help` lists the options"


def test_the_text_error_is_one_line_and_its_hint(capsys: pytest.CaptureFixture[str]) -> None:
    """The twin of the JSON errors: without --output json, stdout stays empty and stderr has the two lines."""
    out = io.StringIO()
    assert cli.main(["check"], out=out) == 2
    assert out.getvalue() == ""
    assert capsys.readouterr().err.splitlines() == [
        "error: ses-preflight check: the following arguments are required: --config",
        "hint: `ses-preflight check --help` lists the options",
    ]


def test_wait_has_json_output(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Path]
) -> None:
    account.ses_stub.add_response("get_email_identity", good_account()["get_email_identity"],
                                  {"EmailIdentity": "example.com"})  # fmt: skip
    result = run_cli("wait", "--config", str(config_file()), "--output", "json")
    assert result.status == 0
    (state,) = result.json()
    assert (state["region"], state["domain"], state["state"], state["dkim"]) == (
        "eu-west-1", "example.com", "ready", "SUCCESS"
    )  # fmt: skip


# --- errors that say what to do -------------------------------------------------------------------------------------


def test_an_sso_token_that_does_not_exist_says_to_log_in(
    endpoint: Endpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.write_text(
        "[profile corp]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n"
        "region = eu-west-1\n[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\n"
        "sso_region = eu-west-1\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("HOME", str(tmp_path))  # no SSO token cache
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    out = io.StringIO()
    assert cli.main(["status", "--profile", "corp", "--output", "json", "--endpoint-url", endpoint.url], out=out) == 2
    error = json.loads(out.getvalue())["error"]
    assert error["code"] == "SsoToken"
    assert "Token for corp does not exist" in error["message"]
    assert error["hint"] == "the SSO session is missing or expired: run `aws sso login --profile corp`"


def test_no_credentials_say_how_to_give_them(endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    out = io.StringIO()
    assert cli.main(["status", "--region", "eu-west-1", "--json", "--endpoint-url", endpoint.url], out=out) == 2
    error = json.loads(out.getvalue())["error"]
    assert error["code"] == "NoCredentials"
    assert "`aws configure`" in error["hint"] and "aws sso login --profile NAME" in error["hint"]
    assert "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" in error["hint"]


def test_an_unknown_profile_lists_the_profiles_that_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"
    config.write_text("[default]\nregion = eu-west-1\n[profile staging]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    out = io.StringIO()
    assert cli.main(["status", "--profile", "prod", "--output", "json"], out=out) == 2
    error = json.loads(out.getvalue())["error"]
    assert (error["code"], error["hint"]) == ("ProfileNotFound", "the profiles that exist: default, staging")


# --- the IAM permissions of each subcommand -------------------------------------------------------------------------


def test_iam_policy_prints_the_least_privilege_policy_of_a_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    assert cli.main(["iam-policy", "wait"], out=out) == 0
    assert json.loads(out.getvalue()) == {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "SesPreflightWait", "Effect": "Allow", "Action": ["ses:GetEmailIdentity"],
                       "Resource": "*"}],
    }  # fmt: skip
    out = io.StringIO()
    cli.main(["iam-policy"], out=out)
    statements = json.loads(out.getvalue())["Statement"]
    assert [s["Sid"] for s in statements] == [
        "SesPreflightStatus", "SesPreflightCheck", "SesPreflightPlan", "SesPreflightRecords", "SesPreflightWait",
        "SesPreflightDrill", "SesPreflightRequestAccess", "SesPreflightValidateList",
    ]  # fmt: skip
    drill = next(s for s in statements if s["Sid"] == "SesPreflightDrill")["Action"]
    assert "ses:SendEmail" in drill and "ses:PutAccountDetails" not in drill


@pytest.mark.parametrize(("service", "operation"), sorted({c for calls in iam.CALLS.values() for c in calls}))
def test_every_call_in_the_table_is_a_real_operation(service: str, operation: str) -> None:
    client = boto3.client(service, region_name="eu-west-1", aws_access_key_id="t", aws_secret_access_key="t")
    assert client.meta.service_model.operation_model(operation).name == operation


def test_a_call_the_table_does_not_list_fails_the_subcommand_in_strict_mode(
    account: FakeAccount, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The negative twin of every CLI test (run with SES_PREFLIGHT_STRICT_CALLS=1): a call missing from the table
    is caught, so `iam-policy` cannot silently lack a permission."""
    monkeypatch.setitem(iam.CALLS, "status", frozenset({("sesv2", "GetMultiRegionEndpoint")}))
    result = run_cli("status", "--region", "eu-west-1")
    assert result.status == 2
    assert "sesv2 GetAccount is not in iam.CALLS for this subcommand" in result.err


# --- completion and progress ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("shell", "marker"), [("bash", "complete "), ("zsh", "#compdef ses-preflight"),
                                               ("fish", "complete --command ses-preflight")])  # fmt: skip
def test_completion_scripts_are_generated_for_each_shell(shell: str, marker: str) -> None:
    out = io.StringIO()
    assert cli.main(["completion", shell], out=out) == 0
    assert marker in out.getvalue() and "_ARGCOMPLETE" in out.getvalue()


def test_completion_offers_subcommands_options_and_region_names(tmp_path: Path) -> None:
    """As the shell asks: the tool run with argcomplete's variables (in a process of its own, as argcomplete uses
    file descriptors 8 and 9)."""

    def complete(line: str) -> list[str]:
        answers = tmp_path / "answers"
        environment = {**os.environ, "_ARGCOMPLETE": "1", "_ARGCOMPLETE_IFS": "\n", "COMP_LINE": line,
                       "COMP_POINT": str(len(line)), "_ARGCOMPLETE_STDOUT_FILENAME": str(answers)}  # fmt: skip
        subprocess.run([sys.executable, "-m", "ses_stack.preflight"], env=environment, cwd=ROOT, check=False,
                       capture_output=True, timeout=60)  # fmt: skip
        return [answer.strip() for answer in answers.read_text().split("\n")]

    assert "status" in complete("ses-preflight st")
    assert complete("ses-preflight status --region eu-w") == ["eu-west-1", "eu-west-2", "eu-west-3"]
    assert "--max-wait" in complete("ses-preflight wait --m")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("output", "shown"), [("text", True), ("json", False)])
def test_progress_only_for_text_on_a_terminal(
    endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch, output: str, shown: bool
) -> None:
    err = Terminal()
    monkeypatch.setattr("sys.stderr", err)
    cli.main(["status", "--region", "eu-west-1", "--endpoint-url", endpoint.url, "--output", output], out=Terminal())
    assert ("[1/1] eu-west-1: GetAccount" in err.getvalue()) is shown


def test_no_progress_when_stdout_is_not_a_terminal(endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    err = Terminal()
    monkeypatch.setattr("sys.stderr", err)
    cli.main(["status", "--region", "eu-west-1", "--endpoint-url", endpoint.url], out=io.StringIO())
    assert err.getvalue() == ""


@pytest.mark.parametrize("value", ["", ",", " , "])
def test_a_region_option_naming_no_region_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    """It once fell back silently to the config's or the environment's Regions."""
    assert cli.main(["status", "--region", value]) == 2
    assert "--region/--regions: names no Region" in capsys.readouterr().err


def test_a_region_with_a_trailing_newline_is_refused_not_folded(capsys: pytest.CaptureFixture[str]) -> None:
    assert parse("status", "--region", "eu-west-1, us-east-1").regions == ["eu-west-1", "us-east-1"]
    assert cli.main(["status", "--region", "eu-west-1\n"]) == 2
    assert "is not a Region where Amazon SES is available" in capsys.readouterr().err
