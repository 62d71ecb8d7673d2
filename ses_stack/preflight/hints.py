"""What an error means and what to do about it, for one line of text or ``{"error": {...}}`` (no heavy imports)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from ses_stack.preflight.errors import UsageError

_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"}


def describe(error: BaseException, args: argparse.Namespace | None) -> dict[str, str]:
    """``{"code", "message", "hint"}`` for ``error``."""
    if isinstance(error, UsageError):  # ours, already worded (a config error has a line per problem)
        return {"code": error.code, "message": str(error), "hint": error.hint}
    from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415 (only on this error path)

    from ses_stack.preflight.aws.clients import AwsCallError  # noqa: PLC0415

    kind = type(error).__name__
    if isinstance(error, AwsCallError):
        return _report(error.code, str(error), _call_hint(error.code, args))
    if isinstance(error, ClientError):
        return _client_error(error, args)
    if isinstance(error, BotoCoreError):
        return _report(kind, f"AWS: {_one_line(str(error))}", _call_hint(kind, args))
    return _report(
        "InternalError",
        f"unexpected {kind}: {_one_line(str(error))} (a bug: please report it)",
        "--debug shows where it happened",
    )


def _report(code: str, message: str, hint: str = "") -> dict[str, str]:
    return {"code": code, "message": _one_line(message), "hint": hint}


def _profile(args: argparse.Namespace | None) -> str:
    return str((args.profile if args is not None else None) or os.environ.get("AWS_PROFILE") or "NAME")


def _call_hint(code: str, args: argparse.Namespace | None) -> str:
    if code == "NoCredentials":
        return (
            "give credentials as the AWS CLI takes them: `aws configure` (access keys), `aws sso login --profile "
            "NAME` then --profile NAME (IAM Identity Center), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
            "(AWS_SESSION_TOKEN too for temporary ones)"
        )
    if code == "SsoToken":
        return f"the SSO session is missing or expired: run `aws sso login --profile {_profile(args)}`"
    if code == "NoAnswer":
        return "check the network, --endpoint-url or AWS_ENDPOINT_URL, or raise --timeout"
    return ""


def _client_error(error: Any, args: argparse.Namespace | None) -> dict[str, str]:
    from ses_stack.preflight.aws.iam import calls_for  # noqa: PLC0415

    code = str(error.response.get("Error", {}).get("Code", "")) or "ClientError"
    message = f"AWS: {_one_line(str(error))}"
    if code not in _DENIED:
        return _report(code, message)
    operation = str(getattr(error, "operation_name", "") or "")
    denied = " or ".join(calls_for(operation)) or operation or "an action"
    command = getattr(args, "command", None) or "COMMAND"
    return _report(
        "AccessDenied",
        message,
        f"{denied} was denied: grant it (`ses-preflight iam-policy {command}` prints every permission `{command}` "
        "needs)",
    )


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."
