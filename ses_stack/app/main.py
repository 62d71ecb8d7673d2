"""``app.py``'s entry point: the config is read and checked before aws_cdk (and Node) start, so a broken config
fails in a fraction of a second, with the same one-line errors, and synthesis starts only for a good one."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from ses_stack.config import ConfigError, load_config

# aws-cdk-lib's cx-api names: the CDK CLI passes the output folder and the context (cdk.json's, and -c values)
# through the environment, or, when the context is too large for it, through a file.
OUTDIR_ENV, CONTEXT_ENV, CONTEXT_OVERFLOW_ENV = "CDK_OUTDIR", "CDK_CONTEXT_JSON", "CONTEXT_OVERFLOW_LOCATION_ENV"


def cdk_context(project_dir: Path) -> dict[str, Any]:
    """The context the app sees: the CDK CLI's when it runs the app, else cdk.json's."""
    if os.environ.get(OUTDIR_ENV):
        overflow = os.environ.get(CONTEXT_OVERFLOW_ENV)
        if overflow:
            return _object(json.loads(Path(overflow).read_text(encoding="utf-8")))
        return _object(json.loads(os.environ.get(CONTEXT_ENV) or "{}"))
    return _object(_object(json.loads((project_dir / "cdk.json").read_text(encoding="utf-8"))).get("context", {}))


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"expected a JSON object; got {json.dumps(value)[:60]}")
    return value


def main(project_dir: Path) -> int:
    """The config file comes from ``-c config=FILE`` or ``examples/ses-stack.json``."""
    try:
        context = cdk_context(project_dir)
    except (OSError, ValueError) as error:  # a missing overflow file, JSON that is not an object...
        print(f"error: cannot read the CDK context ({CONTEXT_ENV}, {CONTEXT_OVERFLOW_ENV} or cdk.json): {error}",
              file=sys.stderr)  # fmt: skip
        return 1
    config_path = context.get("config") or str(project_dir / "examples" / "ses-stack.json")
    try:
        config = load_config(str(config_path))
    except ConfigError as error:
        for line in error.lines():
            print(f"error: {line}", file=sys.stderr)
        return 1
    from ses_stack.app.synth import synthesize  # noqa: PLC0415 (aws_cdk starts Node: only for a good config)

    return synthesize(config, run_by_cli=bool(os.environ.get(OUTDIR_ENV)), context=context)
