"""Reading a configuration file: JSON in, a validated ``SesStackConfig`` or a ``ConfigError`` out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ses_stack.config.errors import ConfigError, got, json_path, message
from ses_stack.config.model import SesStackConfig
from ses_stack.config.rules import cross_field_problems


def parse_config(data: Any, source: str = "<config>") -> SesStackConfig:
    """Validate already-parsed JSON. Raises ConfigError naming ``source`` and the JSON path of every problem."""
    if not isinstance(data, dict):
        raise ConfigError(source, [("", f"the top level must be a JSON object; {got(data)}")])
    try:
        # Validate as JSON, strictly: "50" is not a number and "true" is not a boolean in a config file.
        config = SesStackConfig.model_validate_json(json.dumps(data), strict=True)
    except ValidationError as error:
        raise ConfigError(
            source, [(json_path(e["loc"]), message(e)) for e in error.errors(include_url=False)]
        ) from None
    problems = list(cross_field_problems(config))
    if problems:
        raise ConfigError(source, problems)
    return config


def load_config(path: str | Path) -> SesStackConfig:
    """Read and validate a configuration file. Raises ConfigError for anything wrong with it."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(source, [("", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(source, [("", f"cannot read the file: {error}")]) from None
    if not text.strip():
        raise ConfigError(source, [("", "the file is empty; it must hold a JSON object")])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(
            source, [("", f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}")]
        ) from None
    return parse_config(data, source)
