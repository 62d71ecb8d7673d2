"""Shared helpers: an App built with the project's cdk.json feature flags, and synthesis of config dicts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ses_stack._cdk.node import use_bundled_node

use_bundled_node()  # before the first aws_cdk import: jsii starts Node then

from aws_cdk import App  # noqa: E402

from ses_stack.config import parse_config  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_CONFIG = ROOT / "examples" / "ses-stack.json"
CDK_CONTEXT: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]


def new_app(outdir: Path | str) -> App:
    """An App with the same feature flags as `cdk synth`, so templates match what users deploy."""
    return App(context=dict(CDK_CONTEXT), outdir=str(outdir))


def example_config_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE_CONFIG.read_text())
    return data


def synth_config(data: dict[str, Any], outdir: Path) -> dict[str, dict[str, Any]]:
    """Synthesize a config dict through the app's own code path: stack name -> template (dict)."""
    from ses_stack.app.synth import build_stacks  # noqa: PLC0415

    app = new_app(outdir)
    stacks = build_stacks(app, parse_config(data, "test-config.json"))
    assembly = app.synth()
    return {s.stack_name: assembly.get_stack_by_name(s.stack_name).template for s in stacks}


@pytest.fixture(scope="session")
def example_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The example config's templates, synthesized once for the whole run."""
    return synth_config(example_config_data(), tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="session")
def example_template(example_templates: dict[str, dict[str, Any]]) -> dict[str, Any]:
    (template,) = example_templates.values()
    return template


@pytest.fixture
def tmp_outdir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "cdk.out"


def resources_of(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == resource_type}


Mutator = Callable[[dict[str, Any]], None]
