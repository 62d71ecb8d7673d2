"""The ``ses-preflight`` command line: its arguments (no heavy imports: ``--help`` must stay fast)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from ses_stack.preflight.defaults import (
    DEFAULT_API_RATE,
    DEFAULT_CONCURRENCY,
    DEFAULT_DRILL_SECONDS,
    DEFAULT_TIMEOUT,
    DEFAULT_WAIT_SECONDS,
    MAX_CONCURRENCY,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ses-preflight",
        description="Check a live AWS account and its DNS against the SES pre-flight checklist, and prepare the "
        "production-access request. Honours AWS_PROFILE, AWS_REGION, AWS_DEFAULT_REGION and AWS_ENDPOINT_URL.",
        epilog="Exit status: 0 ready/ok, 1 something not ready, 2 usage, configuration or AWS environment error.",
    )
    parser.add_argument("--profile", help="AWS profile to use (default: the standard credential chain)")
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        help=f"seconds to wait for each AWS or DNS answer (default: {DEFAULT_TIMEOUT:g}); raise it on slow links",
    )
    parser.add_argument(
        "--api-rate",
        type=_rate,
        default=DEFAULT_API_RATE,
        help=f"most calls per second to each AWS API in each Region (default: {DEFAULT_API_RATE:g}); throttling "
        "beyond it is retried",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    status = commands.add_parser("status", help="sandbox or production, quotas and enforcement, per Region")
    status.add_argument("--config", help="config file whose Regions to show")
    status.add_argument("--regions", help="comma-separated Regions (default: the config's, else AWS_REGION)")
    status.add_argument("--json", action="store_true", help="machine-readable output")

    check = commands.add_parser("check", help="every checklist item, live, per Region")
    check.add_argument("--config", required=True, help="the config file the stacks were deployed from")
    check.add_argument("--region", help="check one Region (default: every configured Region)")
    check.add_argument("--nameserver", help="query this DNS server (HOST[:PORT]) instead of the system resolver")
    check.add_argument(
        "--concurrency",
        type=_concurrency,
        default=DEFAULT_CONCURRENCY,
        help=f"domains checked at once (default: {DEFAULT_CONCURRENCY}; 1 to {MAX_CONCURRENCY})",
    )
    check.add_argument("--json", action="store_true", help="machine-readable output (a stable contract)")

    plan = commands.add_parser(
        "plan", help="before a deploy: what each stack would create against what the account already holds"
    )
    plan.add_argument("--config", required=True, help="the config file you will deploy")
    plan.add_argument("--region", help="one Region (default: every configured Region)")
    plan.add_argument("--nameserver", help="for DNS outside Route53: ask this server (HOST[:PORT])")
    plan.add_argument("--json", action="store_true", help="machine-readable output (a stable contract)")

    wait = commands.add_parser(
        "wait", help="poll until every configured identity can send (DKIM and MAIL FROM verified)"
    )
    wait.add_argument("--config", required=True, help="the config file the stacks were deployed from")
    wait.add_argument("--region", help="one Region (default: every configured Region)")
    wait.add_argument(
        "--timeout",
        dest="wait_seconds",
        type=_wait_seconds,
        default=DEFAULT_WAIT_SECONDS,
        help=f"give up after this many seconds (default: {DEFAULT_WAIT_SECONDS:g}; DKIM may take up to 72 hours "
        "outside Route53)",
    )

    drill = commands.add_parser(
        "drill",
        help="prove the pipeline: send to the mailbox simulator, wait for the bounce and complaint suppressions",
    )
    drill.add_argument("--config", required=True, help="the config file the stacks were deployed from")
    drill.add_argument("--region", help="one Region (default: every configured Region)")
    drill.add_argument(
        "--from",
        dest="from_address",
        help="a From address at a configured domain (default: ses-preflight-drill@<the Region's first domain>)",
    )
    drill.add_argument(
        "--timeout",
        dest="wait_seconds",
        type=_wait_seconds,
        default=DEFAULT_DRILL_SECONDS,
        help=f"seconds to wait for the feedback (default: {DEFAULT_DRILL_SECONDS:g})",
    )
    drill.add_argument("--json", action="store_true", help="machine-readable output (a stable contract)")

    access = commands.add_parser("request-access", help="build (and with --submit, send) the production-access request")
    access.add_argument("--config", required=True, help="config file with a productionAccess section")
    access.add_argument("--region", help="one Region (default: every configured Region)")
    access.add_argument("--submit", action="store_true", help="send it (PutAccountDetails) when the check passes")
    access.add_argument(
        "--force",
        action="store_true",
        help="with --submit: send even if the check does not pass, or after a DENIED or FAILED review",
    )
    access.add_argument("--offline", action="store_true", help="do not check that websiteUrl answers")
    access.add_argument(
        "--out-dir",
        default=".",
        help="where to write ses-production-access-<region>.txt, the request as text (default: .)",
    )
    access.add_argument("--nameserver", help="DNS server for the check (HOST[:PORT])")
    access.add_argument("--json", action="store_true", help="machine-readable output")

    records = commands.add_parser("records", help="every DNS record each domain needs, to publish by hand")
    records.add_argument("--config", required=True, help="the config file")
    records.add_argument("--region", help="one Region (default: every configured Region)")
    records.add_argument("--format", choices=("bind", "json"), default="bind", help="output format (default: bind)")
    return parser


def _bounded(kind: type[float] | type[int], what: str, low: float, high: float, unit: str) -> Callable[[str], float]:
    """An argparse type: a number of ``kind`` from ``low`` to ``high`` (NaN and infinity refused), or a usage error
    naming the rule and the value received."""

    def parse(value: str) -> float:
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {what}; got {value!r}") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be from {low:g} to {high:g}{unit}; got {value}")
        return number

    return parse


_seconds = _bounded(float, "a number of seconds", 0.1, 300, " seconds")
_wait_seconds = _bounded(float, "a number of seconds", 0, 86400, " seconds")
_rate = _bounded(float, "a number of calls per second", 0.1, 1000, " calls per second")
_concurrency = _bounded(int, "a whole number of domains", 1, MAX_CONCURRENCY, "")
