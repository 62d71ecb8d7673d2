"""``ses-preflight``: status, check, plan, records, wait, drill, request-access, validate-list, iam-policy and
completion. Exit 0
ready/ok, 1 not ready, 2 usage, config or AWS error, on every subcommand.

Imports stay inside the commands: ``ses-preflight --help`` must not pay for boto3, pydantic or checkdmarc.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from ses_stack.preflight import common
from ses_stack.preflight.arguments import build_parser, merge_globals
from ses_stack.preflight.common import EXIT_OK, EXIT_USAGE
from ses_stack.preflight.errors import UsageError
from ses_stack.preflight.hints import describe

if TYPE_CHECKING:
    from ses_stack.preflight.aws.clients import Aws

COMMANDS = {
    "status": ("commands", "cmd_status"),
    "check": ("commands", "cmd_check"),
    "plan": ("commands", "cmd_plan"),
    "records": ("commands", "cmd_records"),
    "wait": ("commands_live", "cmd_wait"),
    "drill": ("commands_live", "cmd_drill"),
    "request-access": ("commands_live", "cmd_request_access"),
    "validate-list": ("commands_list", "cmd_validate_list"),
}


def main(
    argv: Sequence[str] | None = None,
    out: TextIO | None = None,
    aws: Callable[[str | None, float], Aws] | None = None,
) -> int:
    """Run one command. ``aws(profile, timeout)`` builds the client source (tests pass stubbed clients).

    Whatever happens, the outcome is an exit status and one error (a line on stderr, or with ``--output json`` an
    object on stdout): never a traceback, unless ``--debug`` asks for it.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    out = out or sys.stdout
    built = build_parser()
    if "_ARGCOMPLETE" in os.environ:  # the shell asking for completions (see `completion`)
        import argcomplete  # noqa: PLC0415

        argcomplete.autocomplete(built, exit_method=sys.exit)
    json_wanted = "--json" in argv or any(a in ("--output=json",) for a in argv) or _after(argv, "--output") == "json"
    args: argparse.Namespace | None = None
    try:
        args = merge_globals(built.parse_args(argv))
        common.set_progress(args.progress and args.output == "text" and not args.query and _terminal(out))
        return _run(args, out, aws)
    except BaseException as error:  # every outcome is an exit status and one error report
        if isinstance(error, SystemExit):  # --help, --version
            return int(error.code or 0)
        if isinstance(error, KeyboardInterrupt):
            raise
        debug = bool(os.environ.get("SES_PREFLIGHT_DEBUG")) or bool(args is not None and args.debug)
        if debug:
            traceback.print_exc(file=sys.stderr)
        _report(describe(error, args), out, json_wanted or (args is not None and args.output == "json"))
        return EXIT_USAGE


def _after(argv: Sequence[str], option: str) -> str | None:
    return next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == option), None)


def _terminal(out: TextIO) -> bool:
    return out.isatty() and sys.stderr.isatty()


def _needs_cli_extra() -> None:
    """The tool's dependencies come with the ``cli`` extra; without them, say how to get them."""
    from importlib.util import find_spec  # noqa: PLC0415

    missing = [name for name in ("boto3", "dns", "checkdmarc", "jmespath", "argcomplete") if find_spec(name) is None]
    if missing:
        raise UsageError(
            f"ses-preflight needs the packages of its extra ({', '.join(missing)} missing)",
            code="MissingExtra",
            hint="pip install 'ses-stack[cli]'",
        )


def _run(args: argparse.Namespace, out: TextIO, aws: Callable[[str | None, float], Aws] | None) -> int:
    if args.command != "iam-policy":
        _needs_cli_extra()
    if args.command == "completion":
        return _completion(args.shell, out)
    if args.command == "iam-policy":
        from ses_stack.preflight.aws.iam import policy_json  # noqa: PLC0415

        def print_policy(sink: TextIO) -> int:
            sink.write(policy_json(args.subcommand))
            return EXIT_OK

        return _emit(args, out, print_policy)
    from ses_stack.preflight.aws.clients import Aws  # noqa: PLC0415
    from ses_stack.preflight.aws.iam import CALLS  # noqa: PLC0415

    module, name = COMMANDS[args.command]
    command = getattr(importlib.import_module(f"ses_stack.preflight.{module}"), name)
    source = (aws or Aws)(args.profile, args.timeout)
    source.rate = args.api_rate
    source.endpoint_url = args.endpoint_url
    source.allowed = CALLS[args.command]
    if args.debug:
        source.debug = lambda line: print(f"debug: {line}", file=sys.stderr, flush=True)
    return _emit(args, out, lambda sink: int(command(args, source, sink)))


def _emit(args: argparse.Namespace, out: TextIO, run: Callable[[TextIO], int]) -> int:
    """Run a command and write its output, through ``--query`` when given."""
    if not args.query:
        return run(out)
    import jmespath  # noqa: PLC0415
    from jmespath.exceptions import JMESPathError  # noqa: PLC0415

    try:
        expression = jmespath.compile(args.query)
    except JMESPathError as error:
        raise UsageError(f"--query: {' '.join(str(error).split())}", code="InvalidQuery") from None
    wanted, args.output = args.output, "json"
    buffer = io.StringIO()
    status = run(buffer)
    result = expression.search(json.loads(buffer.getvalue()))
    if wanted == "json":
        out.write(json.dumps(result, indent=2) + "\n")
    else:  # as the AWS CLI: a list of values on one line, tab-separated; a list of lists or objects, a line each
        rows = result if isinstance(result, list) and any(isinstance(v, dict | list) for v in result) else [result]
        out.write("".join(f"{_text(row)}\n" for row in rows))
    return status


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return "\t".join(_text(v) for v in value)
    return json.dumps(value)


def _completion(shell: str, out: TextIO) -> int:
    from argcomplete import shell_integration  # noqa: PLC0415

    out.write(shell_integration.shellcode(["ses-preflight"], shell=shell))
    return EXIT_OK


def _report(report: dict[str, str], out: TextIO, as_json: bool) -> None:
    if as_json:
        out.write(json.dumps({"error": report}, indent=2) + "\n")
        return
    print(f"error: {report['message']}", file=sys.stderr)
    if report["hint"]:
        print(f"hint: {report['hint']}", file=sys.stderr)
