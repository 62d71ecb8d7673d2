"""``ses-preflight``: status, check, plan, records, wait, drill and request-access. Exit 0 ready/ok, 1 not ready,
2 usage, config or AWS environment error.

Imports stay inside the commands: ``ses-preflight --help`` must not pay for boto3, pydantic or checkdmarc.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from ses_stack.preflight.arguments import build_parser
from ses_stack.preflight.common import EXIT_USAGE
from ses_stack.preflight.errors import UsageError

if TYPE_CHECKING:
    from ses_stack.preflight.aws import Aws

COMMANDS = {
    "status": ("commands", "cmd_status"),
    "check": ("commands", "cmd_check"),
    "plan": ("commands", "cmd_plan"),
    "records": ("commands", "cmd_records"),
    "wait": ("commands_live", "cmd_wait"),
    "drill": ("commands_live", "cmd_drill"),
    "request-access": ("commands_live", "cmd_request_access"),
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
    args = build_parser().parse_args(argv)  # exits 2 with usage on bad arguments
    out = out or sys.stdout
    try:
        from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415

        from ses_stack.preflight.aws import Aws, AwsCallError  # noqa: PLC0415

        module, name = COMMANDS[args.command]
        command = getattr(importlib.import_module(f"ses_stack.preflight.{module}"), name)
        source = (aws or Aws)(args.profile, args.timeout)
        source.rate = args.api_rate
        status: int = command(args, source, out)
        return status
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
