"""Config errors: pydantic's findings turned into one line per problem, naming the JSON path, rule and value."""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

from pydantic import BaseModel

from ses_stack.config.fields import PATTERN_RULES
from ses_stack.config.model import SesStackConfig

MAX_PROBLEMS_SHOWN = 20
MAX_VALUE_SHOWN = 80  # characters of a value echoed in a message


class ConfigError(Exception):
    """An invalid configuration file. ``problems`` are ``(json_path, message)`` pairs; ``lines()`` prints at most
    ``MAX_PROBLEMS_SHOWN`` of them and counts the rest, so a hostile file cannot flood the terminal."""

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        shown = [
            f"{self.source}: {path}: {message}" if path else f"{self.source}: {message}"
            for path, message in self.problems[:MAX_PROBLEMS_SHOWN]
        ]
        hidden = len(self.problems) - len(shown)
        if hidden > 0:
            shown.append(f"{self.source}: ... and {hidden} more problem{'s' if hidden > 1 else ''} not shown")
        return shown


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_$-]{1,64}")


def json_path(loc: tuple[str | int, ...]) -> str:
    """``domains[0].dmarc.rua[1]``; a key that is not a plain name is shown quoted (and cut) in brackets."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            path += f".{part}" if path else part
        else:
            shown = part if len(part) <= MAX_VALUE_SHOWN // 2 else part[: MAX_VALUE_SHOWN // 2] + "..."
            path += f"[{json.dumps(shown, ensure_ascii=False)}]"
    return path


def got(value: Any) -> str:
    """``got <value>`` as JSON, cut to ``MAX_VALUE_SHOWN`` characters."""
    shown = json.dumps(value, ensure_ascii=False) if _is_json(value) else repr(value)
    if len(shown) > MAX_VALUE_SHOWN:
        shown = f"{shown[:MAX_VALUE_SHOWN]}... ({len(shown)} characters)"
    return f"got {shown}"


def _is_json(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


_JSON_TYPE_NAMES = {
    "string_type": "a string",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "model_type": "an object",
    "dict_type": "an object",
}


def _allowed_keys(model: type[BaseModel]) -> list[str]:
    return sorted(f.alias or name for name, f in model.model_fields.items())


def _model_at(loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that owns the object at ``loc`` (the parent of an unknown key)."""
    model: type[BaseModel] = SesStackConfig
    for part in loc:
        if isinstance(part, int):
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return None
        annotation = field.annotation
        inner = getattr(annotation, "__args__", (annotation,))
        found = next((t for t in inner if isinstance(t, type) and issubclass(t, BaseModel)), None)
        if found is None:
            return None
        model = found
    return model


def message(error: Any) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        key = error["loc"][-1]
        model = _model_at(error["loc"][:-1])
        allowed = _allowed_keys(model) if model else []
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        return f"unknown key{hint} (allowed: {', '.join(allowed)})"
    if kind == "missing":
        return "is required"
    if kind == "enum":
        # pydantic says "'a', 'b' or 'c'"; list the values plainly.
        choices = ", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        return f"must be one of {choices}; {got(value)}"
    if kind == "value_error":
        return f"{ctx['error']}; {got(value)}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"must be {_bounds(error['loc'])}; {got(value)}"
    if kind == "too_short":
        return f"must not be empty; {got(value)}"
    if kind == "too_long":
        return f"must list at most {ctx.get('max_length')} items; got {ctx.get('actual_length')}"
    if kind == "greater_than":
        return f"must be greater than {ctx.get('gt')}; {got(value)}"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters; got {len(str(value))}"
    if kind == "string_too_short":
        return f"must be at least {ctx.get('min_length')} character(s); {got(value)}"
    if kind == "string_pattern_mismatch":
        rule = PATTERN_RULES.get(ctx["pattern"], f"must match {ctx['pattern']}")
        return f"{rule}; {got(value)}"
    if kind in _JSON_TYPE_NAMES:
        return f"must be {_JSON_TYPE_NAMES[kind]}; {got(value)}"
    return f"{error['msg']}; {got(value)}"


def _field_at(loc: tuple[str | int, ...]) -> Any:
    """The pydantic field named by the last key of ``loc`` (list positions skipped)."""
    keys = tuple(p for p in loc if isinstance(p, str))
    parent = _model_at(keys[:-1]) if keys else None
    if parent is None:
        return None
    return next((f for n, f in parent.model_fields.items() if (f.alias or n) == keys[-1]), None)


def _bounds(loc: tuple[str | int, ...]) -> str:
    field = _field_at(loc)
    low = high = None
    for meta in getattr(field, "metadata", []):
        low = getattr(meta, "ge", low)
        high = getattr(meta, "le", high)
    if high is None:
        return f"at least {low}"
    if low is None:
        return f"at most {high}"
    return f"from {low} to {high}"
