"""Reading a JSON config file defensively: a regular file of bounded size, no duplicate keys, bounded nesting and
numbers. Every refusal is a ``JsonFileError`` with one sentence (and, where known, the JSON path)."""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 8 * 1024 * 1024
"""A config is kilobytes (a thousand domains is about 150 KB, SES's quota of 10,000 about 1.5 MB); anything larger
is refused before it is parsed."""
MAX_NESTING = 32
"""The config's own shape is 5 levels deep."""
MAX_NUMBER_CHARACTERS = 32
"""Rates and seconds need a handful of digits; longer literals are refused before Python converts them."""

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]")


class JsonFileError(Exception):
    """Why a config file cannot be read as JSON: ``problems`` are ``(json_path, message)`` pairs."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [("", message)]


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys the file gave more than once."""

    duplicates: tuple[str, ...] = ()


def read_text(path: str | Path) -> str:
    """The file's text. Refuses anything but a regular file (a FIFO would block, ``/dev/zero`` never ends) and
    files over ``MAX_FILE_BYTES``."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise JsonFileError("file not found") from None
    except OSError as error:
        raise JsonFileError(f"cannot open the file: {error.strerror or error}") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file (a pipe, device or socket)"
        raise JsonFileError(f"is {kind}; give the path of a JSON file")
    with os.fdopen(descriptor, "rb") as file:
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise JsonFileError(
            f"is larger than {MAX_FILE_BYTES // 1024 // 1024} MiB; a config file is kilobytes (10,000 domains are "
            "about 1.5 MB)"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JsonFileError(f"is not UTF-8 text (byte {error.start})") from None


def _nesting_depth(text: str) -> int:
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(1 if char in "[{" else -1 for char in brackets), default=0)


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object(pairs)
    if len(result) != len(pairs):
        keys = [key for key, _ in pairs]
        result.duplicates = tuple(sorted({key for key in keys if keys.count(key) > 1}))
    return result


def _number(literal: str, kind: type[int] | type[float]) -> int | float:
    if len(literal) > MAX_NUMBER_CHARACTERS:
        raise JsonFileError(
            f"a number has {len(literal)} characters ({literal[:20]}...); numbers in a config file have at most "
            f"{MAX_NUMBER_CHARACTERS}"
        )
    value = kind(literal)
    if value in (float("inf"), float("-inf")):
        raise JsonFileError(f"the number {literal} is too large")
    return value


def _not_json(constant: str) -> None:
    raise JsonFileError(f"{constant} is not a JSON number")


def _duplicate_paths(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, _Object):
        for key in value.duplicates:
            yield f"{path}.{key}" if path else key
        for key, child in value.items():
            yield from _duplicate_paths(child, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _duplicate_paths(child, f"{path}[{index}]")


def parse_json(text: str) -> Any:
    """Parse ``text`` strictly: standard JSON only (no NaN or Infinity), each key once per object, at most
    ``MAX_NESTING`` levels, numbers of at most ``MAX_NUMBER_CHARACTERS`` characters."""
    depth = _nesting_depth(text)
    if depth > MAX_NESTING:
        raise JsonFileError(f"is nested {depth} levels deep; a config file needs at most {MAX_NESTING}")
    try:
        data = json.loads(
            text,
            object_pairs_hook=_object,
            parse_int=lambda literal: _number(literal, int),
            parse_float=lambda literal: _number(literal, float),
            parse_constant=_not_json,
        )
    except json.JSONDecodeError as error:
        raise JsonFileError(f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}") from None
    duplicates = [
        (path, "the key is given more than once in the same object (JSON readers disagree on which one wins)")
        for path in _duplicate_paths(data)
    ]
    if duplicates:
        raise JsonFileError("duplicate keys", duplicates)
    return data
