"""``ses-preflight``: status, check, request-access and records. Exit 0 ready/ok, 1 not ready, 2 usage or config.

Imports stay inside the commands: ``ses-preflight --help`` must not pay for boto3, pydantic or checkdmarc.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ses_stack.config import SesStackConfig
    from ses_stack.preflight.aws import Aws

from ses_stack.preflight.errors import UsageError

EXIT_OK, EXIT_NOT_READY, EXIT_USAGE = 0, 1, 2
DEFAULT_TIMEOUT = 5.0  # ses_stack.preflight.aws.DEFAULT_TIMEOUT, without importing boto3 for --help


def _parser() -> argparse.ArgumentParser:
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
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    status = commands.add_parser("status", help="sandbox or production, quotas and enforcement, per Region")
    status.add_argument("--config", help="config file whose Regions to show")
    status.add_argument("--regions", help="comma-separated Regions (default: the config's, else AWS_REGION)")
    status.add_argument("--json", action="store_true", help="machine-readable output")

    check = commands.add_parser("check", help="every checklist item, live, per Region")
    check.add_argument("--config", required=True, help="the config file the stacks were deployed from")
    check.add_argument("--region", help="check one Region (default: every configured Region)")
    check.add_argument("--nameserver", help="query this DNS server (HOST[:PORT]) instead of the system resolver")
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
        default=1800,
        help="give up after this many seconds (default: 1800; DKIM may take up to 72 hours outside Route53)",
    )

    access = commands.add_parser("request-access", help="build (and with --submit, send) the production-access request")
    access.add_argument("--config", required=True, help="config file with a productionAccess section")
    access.add_argument("--region", help="one Region (default: every configured Region)")
    access.add_argument("--submit", action="store_true", help="send it (PutAccountDetails) when the check passes")
    access.add_argument("--force", action="store_true", help="with --submit: send even if the check does not pass")
    access.add_argument("--nameserver", help="DNS server for the check (HOST[:PORT])")
    access.add_argument("--json", action="store_true", help="machine-readable output")

    records = commands.add_parser("records", help="every DNS record each domain needs, to publish by hand")
    records.add_argument("--config", required=True, help="the config file")
    records.add_argument("--region", help="one Region (default: every configured Region)")
    records.add_argument("--format", choices=("bind", "json"), default="bind", help="output format (default: bind)")
    return parser


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds; got {value!r}") from None
    if not 0.1 <= seconds <= 300:
        raise argparse.ArgumentTypeError(f"must be from 0.1 to 300 seconds; got {value}")
    return seconds


def _wait_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds; got {value!r}") from None
    if not 0 <= seconds <= 86400:
        raise argparse.ArgumentTypeError(f"must be from 0 to 86400 seconds; got {value}")
    return seconds


def _load(path: str) -> SesStackConfig:
    from ses_stack.config import ConfigError, load_config  # noqa: PLC0415

    try:
        return load_config(path)
    except ConfigError as error:
        raise UsageError("\n".join(error.lines())) from None


def _regions(config: SesStackConfig, region: str | None) -> list[str]:
    if region is None:
        return list(config.regions)
    if region not in config.regions:
        raise UsageError(f"--region {region} is not one of the config's Regions ({', '.join(config.regions)})")
    return [region]


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_status(args: argparse.Namespace, aws: Aws, out: TextIO) -> int:
    from ses_stack.preflight.aws import region_problem  # noqa: PLC0415

    if args.regions:
        regions = [r.strip() for r in args.regions.split(",") if r.strip()]
    elif args.config:
        regions = list(_load(args.config).regions)
    else:
        default = aws.default_region()
        if default is None:
            raise UsageError("no Region: pass --regions or --config, or set AWS_REGION (or a profile's region)")
        regions = [default]
    if not regions:
        raise UsageError(f"--regions names no Region; got {args.regions!r}")
    problems = [p for p in map(region_problem, regions) if p]
    if problems:
        raise UsageError(problems[0])
    rows = []
    for index, region in enumerate(regions, start=1):
        _progress(f"[{index}/{len(regions)}] {region}: GetAccount")
        account = aws.client("sesv2", region).get_account()
        quota = account.get("SendQuota") or {}
        review = ((account.get("Details") or {}).get("ReviewDetails")) or {}
        rows.append(
            {
                "region": region,
                "productionAccess": bool(account.get("ProductionAccessEnabled")),
                "max24HourSend": quota.get("Max24HourSend"),
                "maxSendRate": quota.get("MaxSendRate"),
                "sentLast24Hours": quota.get("SentLast24Hours"),
                "enforcementStatus": account.get("EnforcementStatus"),
                "sendingEnabled": bool(account.get("SendingEnabled")),
                "reviewStatus": review.get("Status"),
                "reviewCaseId": review.get("CaseId"),
                "suppressedReasons": (account.get("SuppressionAttributes") or {}).get("SuppressedReasons", []),
            }
        )
    if args.json:
        out.write(json.dumps(rows, indent=2) + "\n")
    else:
        header = (
            "Region",
            "Access",
            "24h quota",
            "Rate/s",
            "Sent 24h",
            "Enforcement",
            "Sending",
            "Review",
            "Suppression",
        )
        table = [header] + [
            (
                r["region"],
                "production" if r["productionAccess"] else "SANDBOX",
                _number(r["max24HourSend"]),
                _number(r["maxSendRate"]),
                _number(r["sentLast24Hours"]),
                str(r["enforcementStatus"]),
                "enabled" if r["sendingEnabled"] else "DISABLED",
                f"{r['reviewStatus']} ({r['reviewCaseId']})" if r["reviewStatus"] else "-",
                ",".join(r["suppressedReasons"]) or "-",
            )
            for r in rows
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        for row in table:
            out.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() + "\n")
    healthy = all(
        r["productionAccess"] and r["sendingEnabled"] and r["enforcementStatus"] in (None, "HEALTHY") for r in rows
    )
    return EXIT_OK if healthy else EXIT_NOT_READY


def _number(value: Any) -> str:
    if value is None:
        return "-"
    if value == -1:
        return "unlimited"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _check_regions(config: SesStackConfig, regions: list[str], aws: Aws, nameserver: str | None) -> list[Any]:
    from ses_stack.preflight.dns import make_resolver  # noqa: PLC0415
    from ses_stack.preflight.live import evaluate_region  # noqa: PLC0415

    try:
        resolver = make_resolver(nameserver, timeout=aws.timeout)
    except ValueError as error:
        raise UsageError(str(error)) from None
    checklists = []
    for index, region in enumerate(regions, start=1):
        _progress(f"[{index}/{len(regions)}] checking {region}")
        checklists.append(evaluate_region(config, region, aws.clients(region), resolver))
    return checklists


def cmd_check(args: argparse.Namespace, aws: Aws, out: TextIO) -> int:
    from ses_stack.checklist import format_checklist  # noqa: PLC0415

    config = _load(args.config)
    checklists = _check_regions(config, _regions(config, args.region), aws, args.nameserver)
    if args.json:
        out.write(json.dumps([c.to_json() for c in checklists], indent=2) + "\n")
    else:
        out.write("\n\n".join(format_checklist(c) for c in checklists) + "\n")
    return EXIT_OK if all(c.ready for c in checklists) else EXIT_NOT_READY


def cmd_plan(args: argparse.Namespace, aws: Aws, out: TextIO) -> int:
    from ses_stack.preflight.dns import make_resolver  # noqa: PLC0415
    from ses_stack.preflight.plan import PlanClients, format_plan, plan_region  # noqa: PLC0415

    config = _load(args.config)
    try:
        resolver = make_resolver(args.nameserver, timeout=aws.timeout)
    except ValueError as error:
        raise UsageError(str(error)) from None
    plans = []
    regions = _regions(config, args.region)
    for index, region in enumerate(regions, start=1):
        _progress(f"[{index}/{len(regions)}] planning {region}")
        clients = PlanClients(
            sesv2=aws.client("sesv2", region),
            route53=aws.client("route53", "us-east-1"),  # a global service
            cloudformation=aws.client("cloudformation", region),
        )
        plans.append(plan_region(config, region, clients, resolver))
    if args.json:
        out.write(json.dumps([p.to_json() for p in plans], indent=2) + "\n")
    else:
        out.write("\n\n".join(format_plan(p, args.config) for p in plans) + "\n")
    return EXIT_OK if all(p.deployable for p in plans) else EXIT_NOT_READY


def cmd_wait(args: argparse.Namespace, aws: Aws, out: TextIO) -> int:
    from ses_stack.preflight.wait import Waiter  # noqa: PLC0415

    config = _load(args.config)

    def report(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    waiter = Waiter(config, _regions(config, args.region), lambda r: aws.client("sesv2", r), args.wait_seconds, report)
    return EXIT_OK if waiter.run() else EXIT_NOT_READY


def cmd_request_access(args: argparse.Namespace, aws: Aws, out: TextIO) -> int:
    from ses_stack.preflight.access import build_request, submit  # noqa: PLC0415

    config = _load(args.config)
    if config.production_access is None:
        raise UsageError(f"{args.config}: productionAccess: is required for request-access")
    regions = _regions(config, args.region)
    requests = {region: build_request(config, region) for region in regions}
    if not args.submit:
        if args.json:
            out.write(json.dumps([{"region": r, "request": q} for r, q in requests.items()], indent=2) + "\n")
        else:
            for region, request in requests.items():
                out.write(f"Production-access request for {region} (not sent; add --submit to send it)\n")
                for key, value in request.items():
                    if key != "UseCaseDescription":
                        out.write(f"  {key}: {value}\n")
                out.write("  UseCaseDescription:\n")
                out.write("".join(f"    {line}\n" for line in request["UseCaseDescription"].splitlines()))
                out.write("\n")
        return EXIT_OK
    status = EXIT_OK
    results = []
    checklists = {} if args.force else {c.region: c for c in _check_regions(config, regions, aws, args.nameserver)}
    for region in regions:
        checklist = checklists.get(region)
        if checklist is not None and not checklist.ready:
            failing = ", ".join(sorted({r.item.value for r in checklist.results if r.status.value == "fail"}))
            results.append(
                {
                    "region": region,
                    "submitted": False,
                    "message": f"{region}: not sent: the check fails ({failing}); fix it or use --force",
                }
            )
            status = EXIT_NOT_READY
            continue
        outcome = submit(aws.client("sesv2", region), region, requests[region])
        results.append({"region": region, "submitted": outcome.submitted, "message": outcome.message})
    if args.json:
        out.write(json.dumps(results, indent=2) + "\n")
    else:
        out.write("".join(f"{r['message']}\n" for r in results))
    return status


def cmd_records(args: argparse.Namespace, aws: Aws, out: TextIO) -> int:
    from ses_stack.preflight.records import records_for, to_bind, to_json  # noqa: PLC0415

    config = _load(args.config)
    records, notes = [], []
    for region in _regions(config, args.region):
        found, missing = records_for(config, region, aws.client("sesv2", region))
        records += found
        notes += missing
    out.write(to_bind(records) if args.format == "bind" else to_json(records))
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    return EXIT_NOT_READY if notes else EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, Aws, TextIO], int]] = {
    "status": cmd_status,
    "check": cmd_check,
    "plan": cmd_plan,
    "wait": cmd_wait,
    "request-access": cmd_request_access,
    "records": cmd_records,
}


def main(
    argv: Sequence[str] | None = None,
    out: TextIO | None = None,
    aws: Callable[[str | None, float], Aws] | None = None,
) -> int:
    """Run one command. ``aws(profile, timeout)`` builds the client source (tests pass stubbed clients).

    Whatever happens, the outcome is an exit status and at most one line per problem on stderr: never a traceback
    (set SES_PREFLIGHT_DEBUG=1 to see one for an unexpected error).
    """
    args = _parser().parse_args(argv)  # exits 2 with usage on bad arguments
    out = out or sys.stdout
    try:
        from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415

        from ses_stack.preflight.aws import Aws, AwsCallError  # noqa: PLC0415

        return COMMANDS[args.command](args, (aws or Aws)(args.profile, args.timeout), out)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
    except AwsCallError as error:
        print(f"error: {error}", file=sys.stderr)
    except ClientError as error:
        print(f"error: AWS: {_one_line(str(error))}", file=sys.stderr)  # names the operation
    except BotoCoreError as error:
        print(f"error: AWS: {_one_line(str(error))}", file=sys.stderr)
    except Exception as error:
        if os.environ.get("SES_PREFLIGHT_DEBUG"):
            raise
        print(
            f"error: unexpected {type(error).__name__}: {_one_line(str(error))} (a bug: please report it; "
            "SES_PREFLIGHT_DEBUG=1 shows where)",
            file=sys.stderr,
        )
    return EXIT_USAGE


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."
