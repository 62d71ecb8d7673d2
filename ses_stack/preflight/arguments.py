"""The ``ses-preflight`` command line: its arguments (no heavy imports: ``--help`` must stay fast).

Global options work as the AWS CLI's do, before or after the subcommand (``ses-preflight status --profile prod``
and ``ses-preflight --profile prod status`` are the same); after the subcommand they win, and Regions add up.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from ses_stack.preflight.defaults import (
    DEFAULT_API_RATE,
    DEFAULT_CONCURRENCY,
    DEFAULT_DRILL_SECONDS,
    DEFAULT_TIMEOUT,
    DEFAULT_WAIT_SECONDS,
    MAX_CONCURRENCY,
)
from ses_stack.preflight.errors import UsageError

AFTER = "after_command__"
"""Prefix of the destinations of global options given after the subcommand (merged by ``merge_globals``)."""
OUTPUTS = ("text", "json")


class Parser(argparse.ArgumentParser):
    """Usage errors raise ``UsageError`` (rather than exit), so that ``--output json`` reports them as JSON too."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}", hint=f"`{self.prog} --help` lists the options")


class VersionAction(argparse.Action):
    """``--version``: the installed package's version, read only when asked (importlib.metadata costs 20 ms)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: Any, namespace: Any, values: Any, option_string: str | None = None) -> None:
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

        try:
            found = version("ses-stack")
        except PackageNotFoundError:
            found = "unknown (not installed)"
        sys.stdout.write(f"ses-preflight {found}\n")
        parser.exit()


class RegionsAction(argparse.Action):
    """``--region eu-west-1 --region us-east-1`` or ``--region eu-west-1,us-east-1``: a list, in order, once each."""

    def __call__(self, parser: Any, namespace: Any, values: Any, option_string: str | None = None) -> None:
        found = list(getattr(namespace, self.dest, None) or [])
        # Spaces after a comma are a habit; anything else (a newline, a tab) stays, and the Region check refuses it.
        given = [region.strip(" ") for region in str(values).split(",")]
        if not any(given):
            raise argparse.ArgumentError(self, f"names no Region; got {str(values)!r}")
        found += [region for region in dict.fromkeys(given) if region and region not in found]
        setattr(namespace, self.dest, found)


def _global_options(parser: argparse.ArgumentParser, *, after: bool) -> None:
    """The global options; ``after``: on a subcommand, where an unset option must not hide one given before it."""

    group = parser.add_argument_group("global options (before or after the subcommand)")

    def add(*names: str, dest: str, default: Any = None, **options: Any) -> argparse.Action:
        return group.add_argument(
            *names, dest=(AFTER + dest) if after else dest, default=argparse.SUPPRESS if after else default, **options
        )

    region = add("--region", "--regions", dest="regions", action=RegionsAction, metavar="REGION[,REGION]",
                 help="Region(s) to work on, repeatable or comma-separated (default: the config's Regions, else "
                 "AWS_REGION, AWS_DEFAULT_REGION or the profile's)")  # fmt: skip
    region.completer = _region_names  # type: ignore[attr-defined]  # argcomplete reads it
    add("--profile", dest="profile", help="AWS profile (default: AWS_PROFILE, else the standard credential chain)")
    add("--endpoint-url", dest="endpoint_url", metavar="URL", help="send every AWS call to this URL (default: "
        "AWS_ENDPOINT_URL, else AWS's endpoints)")  # fmt: skip
    add("--output", dest="output", choices=OUTPUTS, default="text", help="text for people, json for programs "
        "(default: text)")  # fmt: skip
    add("--json", dest="output", action="store_const", const="json", help="the same as --output json")
    add("--query", dest="query", metavar="JMESPATH", help="a JMESPath expression applied to the JSON output, as the "
        "AWS CLI's --query (with --output text, as the AWS CLI: values tab-separated, a line per list)")  # fmt: skip
    add("--timeout", dest="timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
        help=f"seconds each AWS call, HTTP request or DNS look-up may take, last byte included (default: "
        f"{DEFAULT_TIMEOUT:g}); the total waiting time of wait and drill is --max-wait")  # fmt: skip
    add("--api-rate", dest="api_rate", type=_rate, default=DEFAULT_API_RATE, metavar="CALLS",
        help=f"most calls per second to each AWS API in each Region (default: {DEFAULT_API_RATE:g}); throttling "
        "beyond it is retried")  # fmt: skip
    add("--debug", dest="debug", action="store_true", default=False, help="print each AWS call made (to stderr) "
        "and the traceback of an unexpected error")  # fmt: skip
    add("--no-progress", dest="progress", action="store_false", default=True, help="no progress lines, even on a "
        "terminal")  # fmt: skip


def _region_names(**_: Any) -> Sequence[str]:
    from ses_stack.validation import SES_REGIONS  # noqa: PLC0415 (only when completing)

    return SES_REGIONS


def _subcommand(commands: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(name, help=help_text, description=help_text)
    _global_options(parser, after=True)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="ses-preflight",
        description="Check a live AWS account and its DNS against the SES pre-flight checklist, and prepare the "
        "production-access request. Honours AWS_PROFILE, AWS_REGION, AWS_DEFAULT_REGION and AWS_ENDPOINT_URL.",
        epilog="Exit status, every subcommand: 0 ready/ok, 1 something not ready, 2 usage, configuration or AWS "
        "error (validate-list: 130 when interrupted; run it again to go on). `ses-preflight iam-policy COMMAND` "
        "prints the IAM permissions a subcommand needs.",
    )
    parser.add_argument("--version", action=VersionAction, help="print the version and exit")
    _global_options(parser, after=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    status = _subcommand(commands, "status", "sandbox or production, quotas and enforcement, per Region")
    status.add_argument("--config", help="config file whose Regions to show")

    check = _subcommand(commands, "check", "every checklist item, live, per Region")
    check.add_argument("--config", required=True, help="the config file the stacks were deployed from")
    check.add_argument("--nameserver", help="query this DNS server (HOST[:PORT]) instead of the system resolver")
    check.add_argument(
        "--concurrency",
        type=_concurrency,
        default=DEFAULT_CONCURRENCY,
        help=f"domains checked at once (default: {DEFAULT_CONCURRENCY}; 1 to {MAX_CONCURRENCY})",
    )
    check.add_argument("--providers", type=_providers, metavar="NAME[,NAME]", help="mailbox providers whose "
                       f"requirements to judge too: {', '.join(PROVIDERS)}, or none (default: the config's "
                       "providers, all five unless it says otherwise)")  # fmt: skip

    plan = _subcommand(commands, "plan", "before a deploy: what each stack would create against what the account "
                       "already holds")  # fmt: skip
    plan.add_argument("--config", required=True, help="the config file you will deploy")
    plan.add_argument("--nameserver", help="for DNS outside Route53: ask this server (HOST[:PORT])")

    wait = _subcommand(commands, "wait", "poll until every configured identity can send (DKIM and MAIL FROM "
                       "verified)")  # fmt: skip
    wait.add_argument("--config", required=True, help="the config file the stacks were deployed from")
    wait.add_argument("--max-wait", type=_wait_seconds, default=DEFAULT_WAIT_SECONDS, metavar="SECONDS",
                      help=f"give up after this many seconds in all (default: {DEFAULT_WAIT_SECONDS:g}; DKIM may "
                      "take up to 72 hours outside Route53)")  # fmt: skip

    drill = _subcommand(commands, "drill", "prove the pipeline: send to the mailbox simulator, wait for the bounce "
                        "and complaint suppressions")  # fmt: skip
    drill.add_argument("--config", required=True, help="the config file the stacks were deployed from")
    drill.add_argument("--from", dest="from_address", help="a From address at a configured domain (default: "
                       "ses-preflight-drill@<the Region's first domain>)")  # fmt: skip
    drill.add_argument("--max-wait", type=_wait_seconds, default=DEFAULT_DRILL_SECONDS, metavar="SECONDS",
                       help=f"seconds to wait for the feedback (default: {DEFAULT_DRILL_SECONDS:g})")  # fmt: skip

    access = _subcommand(commands, "request-access", "build (and with --submit, send) the production-access "
                         "request")  # fmt: skip
    access.add_argument("--config", required=True, help="config file with a productionAccess section")
    access.add_argument("--submit", action="store_true", help="send it (PutAccountDetails) when the check passes")
    access.add_argument("--force", action="store_true", help="with --submit: send even if the check does not pass, "
                        "or after a DENIED or FAILED review")  # fmt: skip
    access.add_argument("--offline", action="store_true", help="do not check that websiteUrl answers")
    access.add_argument("--out-dir", default=".", help="where to write ses-production-access-<region>.txt, the "
                        "request as text (default: .)")  # fmt: skip
    access.add_argument("--nameserver", help="DNS server for the check (HOST[:PORT])")

    records = _subcommand(commands, "records", "every DNS record each domain needs, to publish by hand")
    records.add_argument("--config", required=True, help="the config file")
    records.add_argument("--format", choices=("bind", "json"), help="bind (the text output) or json (the same as "
                         "--output json)")  # fmt: skip

    listed = _subcommand(commands, "validate-list", "check an address list with SES's email validation before "
                         "the first send: verdicts to a CSV, the share that would bounce")  # fmt: skip
    listed.add_argument("file", metavar="FILE", help="a CSV with an e-mail column (a header such as email or "
                        "E-mail names it; else the first column), or one address per line")  # fmt: skip
    listed.add_argument("--out", metavar="CSV", help="the verdicts file (default: FILE.verdicts.csv); when it exists, "
                        "the addresses in it are not checked again (an interrupted run resumes)")  # fmt: skip
    listed.add_argument("--fresh", action="store_true", help="check every address again (overwrites --out)")
    listed.add_argument("--suppress", action="store_true", help="put the invalid addresses on the account "
                        "suppression list (reason BOUNCE); addresses already on it are left as they are")  # fmt: skip
    listed.add_argument("--max-bounce-share", type=_share, default=0.02, metavar="SHARE", help="safe to send "
                        "when less would bounce (default: 0.02; SES reviews an account at 0.05)")  # fmt: skip
    listed.add_argument("--concurrency", type=_list_concurrency, default=DEFAULT_CONCURRENCY, help="addresses at "
                        f"once (default: {DEFAULT_CONCURRENCY}; the pace is --api-rate)")  # fmt: skip

    iam = _subcommand(commands, "iam-policy", "the least-privilege IAM policy (JSON) a subcommand needs, or all")
    iam.add_argument("subcommand", nargs="?", choices=(*CALLING_COMMANDS, "all"), default="all",
                     help="the subcommand (default: all of them)")  # fmt: skip

    completion = _subcommand(commands, "completion", "print the shell completion script (bash, zsh or fish)")
    completion.add_argument("shell", choices=("bash", "zsh", "fish"), help="the shell")
    return parser


CALLING_COMMANDS = ("status", "check", "plan", "records", "wait", "drill", "request-access", "validate-list")
"""The subcommands that call AWS (``iam-policy`` prints their permissions)."""


def merge_globals(args: argparse.Namespace) -> argparse.Namespace:
    """Global options given after the subcommand win over those before it; Regions add up."""
    for name, value in list(vars(args).items()):
        if not name.startswith(AFTER):
            continue
        delattr(args, name)
        dest = name.removeprefix(AFTER)
        merged = list(dict.fromkeys([*(args.regions or []), *value])) if dest == "regions" else value
        setattr(args, dest, merged)
    if getattr(args, "format", None) == "json":
        args.output = "json"
    return args


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


_seconds = _bounded(float, "a number of seconds", 0.1, 300, " seconds per call (the total waiting time of wait and "
                    "drill is --max-wait)")  # fmt: skip
_wait_seconds = _bounded(float, "a number of seconds", 0, 86400, " seconds")
_rate = _bounded(float, "a number of calls per second", 0.1, 1000, " calls per second")
_concurrency = _bounded(int, "a whole number of domains", 1, MAX_CONCURRENCY, "")
_list_concurrency = _bounded(int, "a whole number of addresses", 1, MAX_CONCURRENCY, "")
_share = _bounded(float, "a share such as 0.02", 0.001, 0.05, " (SES reviews an account at 0.05)")

PROVIDERS = ("gmail", "yahoo", "outlook", "laposte", "apple")  # ses_stack.inbox.Provider, without importing it


def _providers(value: str) -> list[str]:
    """``gmail,yahoo`` -> the providers, once each; ``none`` -> none."""
    names = [name.strip().lower() for name in value.split(",")]
    if names == ["none"]:
        return []
    unknown = [name for name in names if name not in PROVIDERS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"must be {', '.join(PROVIDERS)} (comma-separated) or none; got {value!r}")
    return list(dict.fromkeys(names))
