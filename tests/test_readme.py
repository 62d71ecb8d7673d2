"""The README (a front page) and the docs: their examples run as written, their config examples are valid."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ses_stack.setup.gate import checklist_of
from tests.conftest import ROOT

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]


def blocks(language: str, documents: list[Path] = DOCUMENTS) -> list[str]:
    return [b for doc in documents for b in re.findall(rf"```{language}\n(.*?)```", doc.read_text(), flags=re.S)]


def library_example() -> str:
    (example,) = [b for b in blocks("python", [ROOT / "README.md"]) if "app = App()" in b]
    return example


def test_the_readme_is_a_front_page_whose_links_lead_somewhere() -> None:
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 300
    links = re.findall(r"\]\(([^)#]+)\)", readme)
    assert len(links) >= 10
    assert [link for link in links if not (ROOT / link).exists()] == []


def test_every_app_example_in_the_docs_is_the_tested_one_or_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Examples in docs/ that build an app: the README's (run above) or run here."""
    others = {b for b in blocks("python") if "app = App()" in b} - {library_example()}
    for code in sorted(others):
        run_example(code, tmp_path, monkeypatch, {})


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

    configs = [json.loads(b) for b in blocks("json") if '"regions"' in b and '"domains"' in b]
    assert len(configs) >= 4  # the front page's, the reference example, multi-Region with DEED, tenants
    for config in configs:
        parse_config(config, "docs")
