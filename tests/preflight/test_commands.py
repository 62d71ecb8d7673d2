"""`ses-preflight status`, `request-access`, `records` and the usage errors, with exact AWS requests."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ses_stack.config import parse_config
from ses_stack.preflight.access import build_request
from tests.conftest import ROOT
from tests.preflight.conftest import CONFIG, TOKENS, FakeAccount, Run, good_account, good_zone, responses_with

ACCOUNT_SANDBOX = good_account()["get_account"]


# --- status ------------------------------------------------------------------------------------------------------


def test_status_shows_sandbox_quota_and_review(account: FakeAccount, run_cli: Callable[..., Run]) -> None:
    account.ses_stub.add_response("get_account", ACCOUNT_SANDBOX, {})
    production = {
        **ACCOUNT_SANDBOX,
        "ProductionAccessEnabled": True,
        "SendQuota": {"Max24HourSend": 50000.0, "MaxSendRate": 14.0, "SentLast24Hours": 1200.0},
        "Details": {
            "MailType": "MARKETING",
            "WebsiteURL": "https://example.com",
            "ReviewDetails": {"Status": "GRANTED", "CaseId": "1234567890"},
        },
    }
    account.ses_stub.add_response("get_account", production, {})
    result = run_cli("status", "--regions", "eu-west-1,us-east-1")
    lines = result.out.splitlines()
    assert lines[0].split() == [
        "Region",
        "Access",
        "24h",
        "quota",
        "Used",
        "Rate/s",
        "Sent",
        "24h",
        "Enforcement",
        "Sending",
        "Review",
        "Suppression",
    ]
    assert lines[1].split() == [
        "eu-west-1",
        "SANDBOX",
        "200",
        "1.5%",
        "1",
        "3",
        "HEALTHY",
        "enabled",
        "-",
        "BOUNCE,COMPLAINT",
    ]
    assert lines[2].split() == [
        "us-east-1",
        "production",
        "50000",
        "2.4%",
        "14",
        "1200",
        "HEALTHY",
        "enabled",
        "GRANTED",
        "(1234567890)",
        "BOUNCE,COMPLAINT",
    ]
    assert result.status == 1  # a Region is still in the sandbox
    assert "GetAccount" not in result.err  # progress is for terminals only


def test_status_json_and_all_production_is_ok(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Path]
) -> None:
    account.ses_stub.add_response(
        "get_account", {**ACCOUNT_SANDBOX, "ProductionAccessEnabled": True, "SendQuota": {"Max24HourSend": -1.0}}, {}
    )
    result = run_cli("status", "--config", str(config_file()), "--json")
    assert result.status == 0
    (row,) = result.json()
    assert row == {
        "region": "eu-west-1",
        "productionAccess": True,
        "max24HourSend": -1.0,
        "maxSendRate": None,
        "sentLast24Hours": None,
        "quotaUsed": None,  # unlimited
        "enforcementStatus": "HEALTHY",
        "sendingEnabled": True,
        "reviewStatus": None,
        "reviewCaseId": None,
        "suppressedReasons": ["BOUNCE", "COMPLAINT"],
        "warnings": [],
    }


@pytest.mark.parametrize(
    ("production", "quota", "warning"),
    [
        (
            False,
            {"Max24HourSend": 200.0, "MaxSendRate": 1.0, "SentLast24Hours": 170.0},
            "warning: eu-west-1: 85% of the 24-hour quota used (170 of 200; at most 1 a second): the sandbox allows "
            "200 a day; request production access (`ses-preflight request-access`)",
        ),
        (
            True,
            {"Max24HourSend": 50000.0, "MaxSendRate": 14.0, "SentLast24Hours": 45000.0},
            "warning: eu-west-1: 90% of the 24-hour quota used (45000 of 50000; at most 14 a second): ask AWS for more "
            "in the Service Quotas console (Amazon Simple Email Service: 'Sending quota' for the daily quota, 'Maximum "
            "send rate' for the rate), or through AWS Support, stating the daily quota and rate you need",
        ),
    ],
    ids=["sandbox", "production"],
)
def test_status_warns_above_80_percent_of_the_quota(
    account: FakeAccount, run_cli: Callable[..., Run], production: bool, quota: dict[str, float], warning: str
) -> None:
    account.ses_stub.add_response(
        "get_account", {**ACCOUNT_SANDBOX, "ProductionAccessEnabled": production, "SendQuota": quota}, {}
    )
    result = run_cli("status", "--regions", "eu-west-1")
    assert result.out.splitlines()[-1] == warning


def test_status_says_nothing_at_80_percent(account: FakeAccount, run_cli: Callable[..., Run]) -> None:
    quota = {"Max24HourSend": 200.0, "MaxSendRate": 1.0, "SentLast24Hours": 160.0}
    account.ses_stub.add_response("get_account", {**ACCOUNT_SANDBOX, "SendQuota": quota}, {})
    result = run_cli("status", "--regions", "eu-west-1")
    assert "warning" not in result.out and "80.0%" in result.out


# --- request-access ------------------------------------------------------------------------------------------------


def expected_request() -> dict[str, Any]:
    return build_request(parse_config(CONFIG), "eu-west-1")


def test_request_text_states_how_bounces_complaints_opt_in_and_unsubscribe_work() -> None:
    request = expected_request()
    assert request["MailType"] == "MARKETING"
    assert request["WebsiteURL"] == "https://example.com"
    assert request["ContactLanguage"] == "EN"
    assert request["AdditionalContactEmailAddresses"] == ["ops@example.com"]
    assert request["ProductionAccessEnabled"] is True
    text = request["UseCaseDescription"]
    assert text.startswith("A monthly newsletter and account notifications")
    assert "Recipients: Customers subscribe on example.com with double opt-in" in text
    assert "adds each permanently bounced address and each complainant to our account-level suppression list" in text
    assert "one-click List-Unsubscribe" in text and "contact list newsletter" in text
    assert "Easy DKIM (2048-bit)" in text and "example.com p=quarantine" in text
    assert "2.00% bounce rate" in text and "paused automatically at 4.00% / 0.08%" in text
    assert len(text) <= 5000


def test_request_access_prints_without_sending(run_cli: Callable[..., Run], config_file: Callable[..., Path]) -> None:
    result = run_cli("request-access", "--config", str(config_file()))  # no AWS call queued: any would fail
    assert result.status == 0
    assert result.out.startswith("Production-access request for eu-west-1 (not sent; add --submit to send it)\n")
    assert "  MailType: MARKETING\n" in result.out
    assert "    Recipients: Customers subscribe on example.com" in result.out


SUBMIT = ("request-access", "--submit", "--offline", "--config")


def queue_passing_check(account: FakeAccount) -> None:
    account.queue_check(responses_with(None))


def test_submit_sends_once_the_check_passes(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Path], serve_zone: Callable[..., str]
) -> None:
    queue_passing_check(account)
    account.ses_stub.add_response("get_account", ACCOUNT_SANDBOX, {})
    account.ses_stub.add_response("put_account_details", {}, expected_request())
    nameserver = serve_zone(good_zone())
    result = run_cli(
        "request-access", "--config", str(config_file()), "--submit", "--offline", "--nameserver", nameserver
    )
    assert result.status == 0
    assert result.out == (
        "eu-west-1: production access requested; AWS answers within about 24 hours; the request text is in "
        "ses-production-access-eu-west-1.txt\n"
    )


@pytest.mark.parametrize(
    ("account_state", "message"),
    [
        (
            {**ACCOUNT_SANDBOX, "Details": {"ReviewDetails": {"Status": "PENDING", "CaseId": "42"}}},
            "eu-west-1: nothing sent: a request is under review (case 42); it cannot be changed meanwhile; the "
            "request text is in ses-production-access-eu-west-1.txt\n",
        ),
        (
            {**ACCOUNT_SANDBOX, "ProductionAccessEnabled": True},
            "eu-west-1: nothing sent: production access is already granted; the request text is in "
            "ses-production-access-eu-west-1.txt\n",
        ),
    ],
)
def test_submit_is_idempotent(
    account: FakeAccount,
    run_cli: Callable[..., Run],
    config_file: Callable[..., Path],
    serve_zone: Callable[..., str],
    account_state: dict[str, Any],
    message: str,
) -> None:
    queue_passing_check(account)
    account.ses_stub.add_response("get_account", account_state, {})  # and no put_account_details
    result = run_cli(
        "request-access",
        "--config",
        str(config_file()),
        "--submit",
        "--offline",
        "--nameserver",
        serve_zone(good_zone()),
    )
    assert (result.status, result.out) == (0, message)


@pytest.mark.parametrize("ours", [True, False], ids=["this-request", "another-request"])
def test_a_conflict_is_read_back_and_reported_as_it_is(
    account: FakeAccount,
    run_cli: Callable[..., Run],
    config_file: Callable[..., Path],
    serve_zone: Callable[..., str],
    ours: bool,
) -> None:
    """An earlier attempt's answer was lost and the retry got ConflictException: the account says whether a
    request with these details is under review (it was sent) or another one is (nothing was)."""
    queue_passing_check(account)
    account.ses_stub.add_response("get_account", ACCOUNT_SANDBOX, {})
    account.ses_stub.add_client_error(
        "put_account_details", "ConflictException", http_status_code=409, expected_params=expected_request()
    )
    request = expected_request()
    details = {"MailType": request["MailType"], "WebsiteURL": request["WebsiteURL"] if ours else "https://other.example",
               "ReviewDetails": {"Status": "PENDING", "CaseId": "77"}}  # fmt: skip
    account.ses_stub.add_response("get_account", {**ACCOUNT_SANDBOX, "Details": details}, {})
    result = run_cli(
        "request-access", "--config", str(config_file()), "--submit", "--offline", "--nameserver",
        serve_zone(good_zone()), "--json",
    )  # fmt: skip
    (outcome,) = json.loads(result.out)
    assert (result.status, outcome["submitted"]) == (0, ours)
    if ours:
        assert outcome["message"].startswith(
            "eu-west-1: production access requested: AWS refused it as a conflict, but the account shows a request "
            "with these details under review (case 77)"
        )
    else:
        assert outcome["message"].startswith("eu-west-1: nothing sent: AWS refused it as a conflict; a request with "
                                             "other details is under review (case 77)")  # fmt: skip


def test_submit_treats_conflict_as_already_pending(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Path], serve_zone: Callable[..., str]
) -> None:
    queue_passing_check(account)
    account.ses_stub.add_response("get_account", ACCOUNT_SANDBOX, {})
    account.ses_stub.add_client_error(
        "put_account_details", "ConflictException", http_status_code=409, expected_params=expected_request()
    )
    account.ses_stub.add_response("get_account", ACCOUNT_SANDBOX, {})  # read back: nothing under review
    result = run_cli(
        "request-access",
        "--config",
        str(config_file()),
        "--submit",
        "--offline",
        "--nameserver",
        serve_zone(good_zone()),
    )
    assert (result.status, result.out) == (
        1,
        "eu-west-1: not sent: AWS refused it as a conflict, and no request is under review: run it again; the "
        "request text is in ses-production-access-eu-west-1.txt\n",
    )


def test_submit_refuses_when_the_check_fails_unless_forced(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Path], serve_zone: Callable[..., str]
) -> None:
    nameserver = serve_zone([r for r in good_zone() if not r[0].startswith("_dmarc")])
    queue_passing_check(account)
    result = run_cli(
        "request-access", "--config", str(config_file()), "--submit", "--offline", "--nameserver", nameserver
    )
    assert result.status == 1
    assert result.out == "eu-west-1: not sent: the check fails (dmarc); fix it or use --force\n"
    assert "submitted" not in result.err
    account.ses_stub.add_response("get_account", ACCOUNT_SANDBOX, {})
    account.ses_stub.add_response("put_account_details", {}, expected_request())
    forced = run_cli("request-access", "--config", str(config_file()), "--submit", "--force", "--offline", "--json")
    assert forced.status == 0
    assert forced.json() == [
        {
            "region": "eu-west-1",
            "submitted": True,
            "message": "eu-west-1: production access requested; AWS answers within about 24 hours; the request "
            "text is in ses-production-access-eu-west-1.txt",
            "file": "ses-production-access-eu-west-1.txt",
        }
    ]


@pytest.mark.parametrize("review", ["DENIED", "FAILED"])
def test_a_denied_or_failed_review_is_answered_on_its_case_not_resubmitted(
    account: FakeAccount,
    run_cli: Callable[..., Run],
    config_file: Callable[..., Path],
    serve_zone: Callable[..., str],
    review: str,
) -> None:
    state = {**ACCOUNT_SANDBOX, "Details": {"ReviewDetails": {"Status": review, "CaseId": "17"}}}
    queue_passing_check(account)
    account.ses_stub.add_response("get_account", state, {})  # and no put_account_details
    nameserver = serve_zone(good_zone())
    result = run_cli(
        "request-access", "--config", str(config_file()), "--submit", "--offline", "--nameserver", nameserver
    )
    assert result.status == 1
    assert result.out.startswith(
        f"eu-west-1: nothing sent: the last request was {review} (case 17): AWS usually waits for your answer on that "
        "case. Answer it in the AWS Support Center (case 17)"
    )
    account.ses_stub.add_response("get_account", state, {})
    account.ses_stub.add_response("put_account_details", {}, expected_request())
    forced = run_cli("request-access", "--config", str(config_file()), "--submit", "--force", "--offline")
    assert forced.status == 0 and "production access requested" in forced.out


def test_the_request_text_is_written_for_the_support_case(
    run_cli: Callable[..., Run], config_file: Callable[..., Path], tmp_path: Path
) -> None:
    out_dir = tmp_path / "requests"
    out_dir.mkdir()
    result = run_cli("request-access", "--config", str(config_file()), "--out-dir", str(out_dir))
    written = (out_dir / "ses-production-access-eu-west-1.txt").read_text()
    request = expected_request()
    assert written.startswith("MailType: MARKETING\nWebsiteURL: https://example.com\n")
    assert written.endswith(request["UseCaseDescription"] + "\n")
    assert f"(also written to {out_dir / 'ses-production-access-eu-west-1.txt'})" in result.out


def test_an_unwritable_out_dir_is_a_usage_error(run_cli: Callable[..., Run], config_file: Callable[..., Path]) -> None:
    result = run_cli("request-access", "--config", str(config_file()), "--out-dir", "/nonexistent/dir")
    assert result.status == 2
    assert result.err.splitlines()[-1].startswith("error: --out-dir: cannot write /nonexistent/dir/")


# --- records -------------------------------------------------------------------------------------------------------


def test_records_bind_lists_every_record_with_live_tokens(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Path]
) -> None:
    account.ses_stub.add_response(
        "get_email_identity", good_account()["get_email_identity"], {"EmailIdentity": "example.com"}
    )
    result = run_cli("records", "--config", str(config_file()))
    assert result.status == 0
    assert result.out.splitlines() == [
        "; example.com (eu-west-1)",
        *[f"{t}._domainkey.example.com.\t1800\tIN\tCNAME\t{t}.dkim.amazonses.com." for t in TOKENS],
        "mail.example.com.\t1800\tIN\tMX\t10 feedback-smtp.eu-west-1.amazonses.com.",
        'mail.example.com.\t1800\tIN\tTXT\t"v=spf1 include:amazonses.com ~all"',
        '_dmarc.example.com.\t1800\tIN\tTXT\t"v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com"',
    ]


def test_records_json_and_a_missing_identity(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Path]
) -> None:
    account.ses_stub.add_client_error("get_email_identity", "NotFoundException", http_status_code=404)
    result = run_cli("records", "--config", str(config_file()), "--format", "json")
    assert result.status == 1
    records = result.json()
    assert [r["purpose"] for r in records] == ["mail_from_mx", "mail_from_spf", "dmarc"]
    assert records[0] == {
        "domain": "example.com",
        "region": "eu-west-1",
        "purpose": "mail_from_mx",
        "name": "mail.example.com",
        "type": "MX",
        "value": "10 feedback-smtp.eu-west-1.amazonses.com",
        "ttl": 1800,
    }
    assert "warning: example.com: no identity in eu-west-1 yet (deploy the stack); DKIM records unknown" in result.err


def test_records_list_the_report_authorizations_each_zone_must_publish(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Path]
) -> None:
    account.ses_stub.add_client_error("get_email_identity", "NotFoundException", http_status_code=404)
    account.ses_stub.add_client_error("get_email_identity", "NotFoundException", http_status_code=404)
    data = {
        **CONFIG,
        "domains": [
            {"name": "example.com", "dmarc": {"rua": ["d@example.net", "mailto:d@reports.example.org"]}},
            {"name": "example.net", "dmarc": {"acceptReportsFor": ["partner.example.io"]}},
        ],
    }
    result = run_cli("records", "--config", str(config_file(data)))
    lines = result.out.splitlines()
    # the other organization's zone, not configured here: told as such, under the domain whose reports need it
    assert lines[lines.index("; example.com (eu-west-1)") + 4 :][:2] == [
        "; in reports.example.org's zone (another organization): accepts the DMARC reports of example.com",
        'example.com._report._dmarc.reports.example.org.\t1800\tIN\tTXT\t"v=DMARC1"',
    ]
    # a configured report domain publishes its own: the explicit sender, then the configured one
    assert lines[-2:] == [
        'partner.example.io._report._dmarc.example.net.\t1800\tIN\tTXT\t"v=DMARC1"',
        'example.com._report._dmarc.example.net.\t1800\tIN\tTXT\t"v=DMARC1"',
    ]
    assert sum("._report._dmarc." in line for line in lines) == 3  # example.net's is not listed twice


@pytest.mark.parametrize(
    ("dkim", "count"),
    [
        ({"SigningEnabled": True, "Status": "PENDING"}, 0),
        ({"SigningEnabled": True, "Status": "PENDING", "Tokens": []}, 0),
        ({"SigningEnabled": True, "Status": "SUCCESS", "Tokens": TOKENS[:2]}, 2),
    ],
    ids=["no-tokens", "empty-tokens", "two-tokens"],
)
def test_records_fail_when_ses_answers_without_every_dkim_token(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Path], dkim: Any, count: int
) -> None:
    identity = {**good_account()["get_email_identity"], "DkimAttributes": dkim}
    account.ses_stub.add_response("get_email_identity", identity, {"EmailIdentity": "example.com"})
    result = run_cli("records", "--config", str(config_file()))
    assert result.status == 1
    assert (
        f"warning: example.com: SES answered with {count} DKIM tokens in eu-west-1 (Easy DKIM has 3; DKIM status "
        f"{dkim['Status']}): the DKIM records are incomplete"
    ) in result.err
    # negative twin: the complete answer exits 0 (test_records_bind_lists_every_record_with_live_tokens)


# --- usage errors --------------------------------------------------------------------------------------------------


def test_bad_config_is_a_usage_error(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"regions": ["eu-west-1"], "domains": [{"name": "example.com", "dmarc": {"policy": "block"}}]}')
    result = run_cli("check", "--config", str(bad))
    assert result.status == 2
    assert (
        result.err == f'error: {bad}: domains[0].dmarc.policy: must be one of none, quarantine, reject; got "block"\n'
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["check", "--region", "us-west-2"],
            "error: --region us-west-2 is not one of the config's Regions (eu-west-1)",
        ),
        (
            ["check", "--nameserver", "127.0.0.1:99999"],
            "error: --nameserver must be HOST or HOST:PORT; got '127.0.0.1:99999'",
        ),
    ],
)
def test_bad_arguments_are_usage_errors(
    run_cli: Callable[..., Run], config_file: Callable[..., Path], argv: list[str], message: str
) -> None:
    result = run_cli(argv[0], "--config", str(config_file()), *argv[1:])
    assert (result.status, result.err.strip().splitlines()[-1]) == (2, message)


def test_request_access_needs_the_production_access_section(
    run_cli: Callable[..., Run], config_file: Callable[..., Path]
) -> None:
    path = config_file({k: v for k, v in CONFIG.items() if k != "productionAccess"})
    result = run_cli("request-access", "--config", str(path))
    assert (result.status, result.err) == (2, f"error: {path}: productionAccess: is required for request-access\n")


def test_aws_errors_are_reported_without_traceback(account: FakeAccount, run_cli: Callable[..., Run]) -> None:
    account.ses_stub.add_client_error("get_account", "AccessDeniedException", "not authorized", 403)
    result = run_cli("status", "--regions", "eu-west-1")
    assert result.status == 2
    error, hint = result.err.splitlines()
    assert error.startswith("error: AWS: An error occurred (AccessDeniedException)")
    assert hint == ("hint: ses:GetAccount was denied: grant it (`ses-preflight iam-policy status` prints every "
                    "permission `status` needs)")  # fmt: skip
    assert "Traceback" not in result.err


def test_module_entry_point_and_help_do_not_need_aws() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ses_stack.preflight", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert "status" in result.stdout and "request-access" in result.stdout and "records" in result.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "ses_stack.preflight", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert missing.returncode == 2
    assert "the following arguments are required: --config" in missing.stderr


def test_help_imports_neither_boto3_nor_pydantic() -> None:
    code = (
        "import sys; from ses_stack.preflight import cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('boto3', 'botocore', 'pydantic', 'checkdmarc', 'aws_cdk')\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in heavy]\n"
        "assert not loaded, loaded"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


def test_records_of_a_deed_secondary_region_list_no_dkim_of_its_own(
    account: FakeAccount, run_cli: Callable[..., Run], config_file: Callable[..., Path]
) -> None:
    data = {**CONFIG, "regions": ["eu-west-1", "us-east-1"], "deterministicEasyDkim": True}
    account.ses_stub.add_response(
        "get_email_identity", good_account()["get_email_identity"], {"EmailIdentity": "example.com"}
    )  # the primary only: the secondary's identity is not even read
    result = run_cli("records", "--config", str(config_file(data)))
    assert result.status == 0
    lines = result.out.splitlines()
    assert sum("._domainkey." in line for line in lines) == 3  # one DKIM set, the primary's
    assert "; example.com (us-east-1)" in lines
    assert "mail-us-east-1.example.com.\t1800\tIN\tMX\t10 feedback-smtp.us-east-1.amazonses.com." in lines
    assert "note: us-east-1 signs with eu-west-1's Easy DKIM keys" in result.err


@pytest.mark.parametrize(
    ("answer", "exit_status", "line", "warning"),
    [
        ({"EndpointName": "mail", "EndpointId": "abc123.xyz", "Status": "READY",
          "Routes": [{"Region": "eu-west-1"}, {"Region": "us-east-1"}]},
         0, "global endpoint mail (EndpointId abc123.xyz): READY, routes eu-west-1, us-east-1", None),
        ({"EndpointName": "mail", "EndpointId": "abc123.xyz", "Status": "FAILED", "Routes": []},
         1, "global endpoint mail (EndpointId abc123.xyz): FAILED, routes -",
         "warning: eu-west-1: global endpoint mail is FAILED, not READY"),
        (None, 1, "global endpoint mail (EndpointId -): MISSING, routes -",
         "warning: eu-west-1: no global endpoint mail (deploy the stack)"),
    ],
    ids=["ready", "failed", "missing"],
)  # fmt: skip
def test_status_shows_the_global_endpoint_of_the_config(
    account: FakeAccount,
    run_cli: Callable[..., Run],
    config_file: Callable[..., Path],
    answer: dict[str, Any] | None,
    exit_status: int,
    line: str,
    warning: str | None,
) -> None:
    data = {**CONFIG, "regions": ["eu-west-1", "us-east-1"], "deterministicEasyDkim": True,
            "globalEndpoint": {"name": "mail"}}  # fmt: skip
    production = {**ACCOUNT_SANDBOX, "ProductionAccessEnabled": True}
    account.ses_stub.add_response("get_account", production, {})
    if answer is None:
        account.ses_stub.add_client_error(
            "get_multi_region_endpoint",
            "NotFoundException",
            http_status_code=404,
            expected_params={"EndpointName": "mail"},
        )
    else:
        account.ses_stub.add_response("get_multi_region_endpoint", answer, {"EndpointName": "mail"})
    account.ses_stub.add_response("get_account", production, {})  # us-east-1: no endpoint call there
    result = run_cli("status", "--config", str(config_file(data)))
    assert result.status == exit_status
    lines = result.out.splitlines()
    assert line in lines
    if warning is not None:
        assert warning in lines
