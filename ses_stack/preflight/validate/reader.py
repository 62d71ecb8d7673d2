"""The address list: a CSV with an e-mail column, or one address per line. Each line is read on its own, so a
malformed one is reported with its line number and skipped, and nothing else is lost."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from ses_stack.validation import email_address_problem

MAX_ADDRESSES = 1_000_000
"""Addresses in one list at most (about 2 hours at 150 calls a second; split larger lists)."""
MAX_FILE_BYTES = 256 * 1024 * 1024
"""A list file read at most (a million addresses with a few columns each fit with room to spare)."""
MAX_LINE = 4096
"""Characters in one line at most: longer is not an address list."""
EMAIL_HEADERS = ("email", "e-mail", "email address", "email_address", "emailaddress", "mail", "address")


@dataclass(frozen=True)
class Malformed:
    line: int
    text: str
    problem: str


@dataclass
class AddressList:
    addresses: list[str] = field(default_factory=list)
    """Each address once (the first spelling of addresses equal but for case), in file order."""
    malformed: list[Malformed] = field(default_factory=list)
    duplicates: int = 0
    column: str | None = None
    """The header of the column read, when the file has one."""


class ListError(ValueError):
    """The file cannot be read as an address list at all (missing, binary, too large)."""


def _cells(line: str) -> list[str]:
    try:
        return [cell.strip() for cell in next(csv.reader([line]), [])]
    except csv.Error:
        return [line.strip()]


def _header_column(cells: list[str]) -> int | None:
    for index, cell in enumerate(cells):
        if cell.lower().strip("\"' ") in EMAIL_HEADERS:
            return index
    return None


def read_list(path: str) -> AddressList:
    """Read ``path``: a header naming an e-mail column (``email``, ``E-mail``, ``email_address``...) selects it;
    without one, the first column. Blank lines and ``#`` comments are skipped."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise ListError(f"{path}: is {size:,} bytes; at most {MAX_FILE_BYTES:,} are read (split the list)")
        raw = Path(path).read_bytes()
    except OSError as error:
        raise ListError(f"{path}: cannot read it: {error.strerror or error}") from None
    if b"\0" in raw[:65536]:
        raise ListError(f"{path}: is not a text file (it holds NUL bytes)")
    text = raw.decode("utf-8-sig", errors="replace")
    found, seen = AddressList(), set()
    column = 0
    lines = text.split("\n")  # numbered as editors number them (not at form feeds or U+2028, as splitlines would)
    for number, line in enumerate((line.removesuffix("\r") for line in lines), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = _cells(line[:MAX_LINE])
        if found.column is None and not found.addresses and not found.malformed:
            header = _header_column(cells)
            if header is not None:
                column, found.column = header, cells[header]
                continue
        address = cells[column] if column < len(cells) else ""
        problem = "the line is too long" if len(line) > MAX_LINE else email_address_problem(address)
        if problem is not None:
            found.malformed.append(Malformed(number, line[:120], problem))
            continue
        key = address.lower()
        if key in seen:
            found.duplicates += 1
            continue
        seen.add(key)
        found.addresses.append(address)
        if len(found.addresses) > MAX_ADDRESSES:
            raise ListError(f"{path}: holds more than {MAX_ADDRESSES:,} addresses; split it")
    return found
