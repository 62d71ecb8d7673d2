"""The settings provider's answer to one request, as the tests read it."""

from __future__ import annotations

from typing import Any

from ses_stack.settings.runtime import handler as provider

Answer = tuple[str, str, dict[str, str], str]
"""(status, physical id, data, reason)."""


def answer_to(event: dict[str, Any], clients: dict[str, Any]) -> Answer:
    """Process ``event`` and return the one answer sent to CloudFormation (exactly one, or the test fails)."""
    answers: list[Answer] = []
    provider.process(
        event, clients, lambda _event, status, pid, data, reason: answers.append((status, pid, dict(data), reason))
    )
    (answer,) = answers
    return answer
