"""The errors ``ses-preflight`` reports in one line and exit status 2 (no heavy imports: ``--help`` stays fast)."""

from __future__ import annotations


class UsageError(Exception):
    """Bad arguments, a bad config file or an unusable AWS environment: exit 2 with this message.

    ``code`` names the kind of error in JSON output; ``hint`` says what to do, when there is one thing to do."""

    def __init__(self, message: str, *, code: str = "UsageError", hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.hint = hint
