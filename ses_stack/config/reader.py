"""Reading a configuration file: JSON in, a validated ``SesStackConfig`` or a ``ConfigError`` out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ses_stack.config.domains import DomainConfig
from ses_stack.config.errors import ConfigError, got, json_path, message
from ses_stack.config.jsonfile import JsonFileError, parse_json, read_text
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
    problems = cross_field_problems(config)
    if problems:
        raise ConfigError(source, problems)
    return config


def parse_domain(data: Any, source: str = "<domain>") -> DomainConfig:
    """Validate one ``domains[]`` entry given as a dict (a library user's), as the config file's are."""
    if not isinstance(data, dict):
        raise ConfigError(source, [("", f"a domain must be an object; {got(data)}")])
    try:
        text = json.dumps(data)
    except (TypeError, ValueError) as error:
        raise ConfigError(
            source, [("", f"a domain's values must be JSON values (strings, numbers...): {error}")]
        ) from None
    try:
        return DomainConfig.model_validate_json(text, strict=True)
    except ValidationError as error:
        raise ConfigError(
            source, [(json_path(e["loc"]), message(e)) for e in error.errors(include_url=False)]
        ) from None


def load_config(path: str | Path) -> SesStackConfig:
    """Read and validate a configuration file. Raises ConfigError for anything wrong with it (see ``jsonfile`` for
    the limits on the file itself)."""
    source = str(path)
    try:
        text = read_text(path)
        if not text.strip():
            raise ConfigError(source, [("", "the file is empty; it must hold a JSON object")])
        data = parse_json(text)
    except JsonFileError as error:
        raise ConfigError(source, error.problems) from None
    return parse_config(data, source)
