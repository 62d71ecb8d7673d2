"""The README's library example runs as written."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ses_stack.gate import checklist_of
from tests.conftest import ROOT


def library_example() -> str:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    (example,) = [b for b in blocks if "app = App()" in b]
    return str(example)


def run_example(code: str, folder: Path, monkeypatch: pytest.MonkeyPatch, namespace: dict[str, Any]) -> Path:
    """Run the README's code as a user would; the cloud assembly folder its App wrote to."""
    monkeypatch.chdir(folder)
    monkeypatch.delenv("CDK_OUTDIR", raising=False)
    try:
        exec(compile(code, "README.md", "exec"), namespace)
    finally:
        outdir = Path(namespace["app"].outdir) if "app" in namespace else folder
    return outdir


def test_library_example_in_readme_is_ready_and_cdk_nag_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    namespace: dict[str, Any] = {}
    outdir = run_example(library_example(), tmp_path, monkeypatch, namespace)
    report = json.loads((outdir / "validation-report.json").read_text())
    # CDK lists a plugin only when it has something to say: cdk-nag its acknowledgements, the gate nothing
    assert [(r["pluginName"], r["conclusion"], r["violations"]) for r in report["pluginReports"]] == [
        ("AwsSolutions", "success", [])
    ]
    checklist = checklist_of(namespace["stack"])
    assert checklist.ready
    assert {r.item.value for r in checklist.results if r.status.value == "pass"} >= {
        "domain_dkim", "spf", "dmarc", "bounce", "complaint", "suppression", "unsubscribe"
    }  # fmt: skip


def test_the_same_example_without_its_contact_list_fails_synth_naming_the_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gate's negative twin, from the README's own code: drop the contact list and synth fails."""
    code = library_example()
    without = re.sub(r"    contact_list=ContactListConfig\(.*?\n    \),\n", "", code, flags=re.S)
    assert without != code
    namespace: dict[str, Any] = {}
    with pytest.raises(RuntimeError, match="ERROR no contact list with a topic") as raised:
        run_example(without, tmp_path, monkeypatch, namespace)
    assert "Suggested fix: add a contact list with topics" in str(raised.value)
    report = json.loads((Path(namespace["app"].outdir) / "validation-report.json").read_text())
    (gate,) = [r for r in report["pluginReports"] if r["pluginName"] == "SesPreflightChecklist"]
    (violation,) = gate["violations"]
    assert (violation["ruleName"], violation["description"]) == ("unsubscribe", "no contact list with a topic")


def test_every_config_example_in_the_readme_is_valid() -> None:
    from ses_stack.config import parse_config  # noqa: PLC0415

    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```json\n(.*?)```", readme, flags=re.S)
    configs = [json.loads(b) for b in blocks if '"regions"' in b and '"domains"' in b]
    assert len(configs) >= 3  # the reference example, multi-Region with DEED, the platform with tenants
    for config in configs:
        parse_config(config, "README.md")
