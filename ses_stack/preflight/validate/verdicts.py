"""The verdicts file: one CSV row per address checked, written as each answer arrives, so that an interrupted run
resumes where it stopped without paying twice for an address."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ses_stack.preflight.validate.reader import ListError

EVALUATIONS = {
    "has_valid_syntax": "HasValidSyntax",
    "has_valid_dns_records": "HasValidDnsRecords",
    "mailbox_exists": "MailboxExists",
    "is_role_address": "IsRoleAddress",
    "is_disposable": "IsDisposable",
    "is_random_input": "IsRandomInput",
}
"""CSV column -> SES's evaluation (each a confidence: LOW, MEDIUM or HIGH)."""
COLUMNS = ("email", "verdict", "is_valid", *EVALUATIONS)
VERDICTS = {"HIGH": "valid", "MEDIUM": "risky", "LOW": "invalid"}
"""SES's confidence that the address is valid (``IsValid``) -> the verdict: LOW confidence is an address that
would bounce."""


@dataclass(frozen=True)
class Insight:
    email: str
    verdict: str
    """valid, risky, invalid, or unknown (SES gave no overall confidence)."""
    confidences: Mapping[str, str]
    """``is_valid`` and each evaluation column -> LOW, MEDIUM, HIGH or empty."""

    def row(self) -> list[str]:
        return [inert(self.email), self.verdict, *(self.confidences.get(c, "") for c in COLUMNS[2:])]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (an address may start with ``=`` or ``-``): quoted with
    ``'``, as OWASP's CSV-injection advice has it; ``readable`` takes the quote off again."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def readable(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def insight_of(email: str, response: Mapping[str, Any]) -> Insight:
    validation = response.get("MailboxValidation") or {}
    overall = str((validation.get("IsValid") or {}).get("ConfidenceVerdict") or "")
    evaluations = validation.get("Evaluations") or {}
    confidences = {"is_valid": overall}
    for column, name in EVALUATIONS.items():
        confidences[column] = str((evaluations.get(name) or {}).get("ConfidenceVerdict") or "")
    return Insight(email, VERDICTS.get(overall, "unknown"), confidences)


def read_verdicts(path: Path) -> dict[str, Insight]:
    """The verdicts already in ``path`` (by lower-cased address); an interrupted last line is dropped from the file.
    A file that is not a verdicts file is refused, never overwritten."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8", errors="replace")
    if text and not text.endswith("\n"):  # cut off mid-row: that address is checked again
        text = text[: text.rfind("\n") + 1]
        path.write_text(text, encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    if rows and tuple(rows[0]) != COLUMNS:
        raise ListError(f"{path}: is not a validate-list verdicts file (its header differs); give another --out")
    found = {}
    for row in rows[1:]:
        if len(row) == len(COLUMNS):
            email = readable(row[0])
            found[email.lower()] = Insight(email, row[1], dict(zip(COLUMNS[2:], row[2:], strict=True)))
    return found


class VerdictWriter:
    """Appends rows, each flushed at once, from any thread."""

    def __init__(self, path: Path, *, fresh: bool) -> None:
        new = fresh or not path.exists() or path.stat().st_size == 0
        try:
            self._file: TextIO = path.open("w" if new else "a", encoding="utf-8", newline="")
        except OSError as error:
            raise ListError(f"{path}: cannot write it: {error.strerror or error}") from None
        self._csv = csv.writer(self._file, lineterminator="\n")
        self._lock = threading.Lock()
        if new:
            self.write(COLUMNS)

    def write(self, row: Any) -> None:
        with self._lock:
            self._csv.writerow(row)
            self._file.flush()

    def close(self) -> None:
        self._file.close()
