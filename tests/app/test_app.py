"""app.py end to end, as the CDK CLI runs it: config from context, exit status, no traceback, checklist output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CDK_CONTEXT, ROOT


def run_app(config: Path | None, outdir: Path) -> subprocess.CompletedProcess[str]:
    # The CDK CLI passes cdk.json's context (plus -c values) and the output folder through these variables.
    context = {**CDK_CONTEXT, **({"config": str(config)} if config is not None else {})}
    env = {**os.environ, "CDK_OUTDIR": str(outdir), "CDK_CONTEXT_JSON": json.dumps(context)}
    return subprocess.run(
        [sys.executable, str(ROOT / "app.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '{"regions": ["eu-west-1"], "domains": [{"name": "example.com", "dmarc": {"policy": "block"}}]}',
            'domains[0].dmarc.policy: must be one of none, quarantine, reject; got "block"',
        ),
        ('{"regions": ["eu-west-1"], "domains": [', "invalid JSON at line 1 column 40: Expecting value"),
    ],
)
def test_bad_config_exits_non_zero_with_path_and_writes_no_template(
    tmp_path: Path, content: str, expected: str
) -> None:
    config = tmp_path / "bad.json"
    config.write_text(content)
    outdir = tmp_path / "cdk.out"
    result = run_app(config, outdir)
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: {config}: {expected}"
    assert "Traceback" not in result.stderr + result.stdout
    assert not outdir.exists() or not list(outdir.glob("*.template.json"))


def test_default_config_synthesizes_and_prints_the_checklist(tmp_path: Path) -> None:
    outdir = tmp_path / "cdk.out"
    result = run_app(None, outdir)
    assert result.returncode == 0, result.stderr
    assert "Pre-flight checklist for SesStack-eu-west-1 (eu-west-1)" in result.stderr
    assert "  PASS  domain_dkim  " in result.stderr
    assert (outdir / "SesStack-eu-west-1.template.json").is_file()
    written = json.loads((outdir / "SesStack-eu-west-1.checklist.json").read_text())
    assert [(i["item"], i["status"]) for i in written["items"][:3]] == [
        ("domain_dkim", "pass"),
        ("spf", "pass"),
        ("dmarc", "pass"),
    ]
    assert written["ready"] is True
    assert "=> READY (7 pass)" in result.stderr


def test_cli_modules_never_load_aws_cdk() -> None:
    code = (
        "import sys, ses_stack, ses_stack.config, ses_stack.checklist, ses_stack.identity.dmarc;"
        "assert not [m for m in sys.modules if m.startswith(('aws_cdk', 'jsii'))], 'aws_cdk loaded'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("through", ["environment", "overflow-file"])
def test_a_bad_config_fails_before_aws_cdk_starts(tmp_path: Path, through: str) -> None:
    # The CDK CLI passes a large context through a file named by CONTEXT_OVERFLOW_LOCATION_ENV instead.
    config = tmp_path / "bad.json"
    config.write_text('{"regions": ["eu-west-1"], "domains": []}')
    context = json.dumps({**CDK_CONTEXT, "config": str(config)})
    env = {**os.environ, "CDK_OUTDIR": str(tmp_path / "cdk.out")}
    if through == "environment":
        env["CDK_CONTEXT_JSON"] = context
    else:
        (tmp_path / "context.json").write_text(context)
        env["CONTEXT_OVERFLOW_LOCATION_ENV"] = str(tmp_path / "context.json")
        env.pop("CDK_CONTEXT_JSON", None)
    code = (
        "import sys; from pathlib import Path; from ses_stack.app.main import main;"
        f"status = main(Path({str(ROOT)!r}));"
        "assert not [m for m in sys.modules if m.startswith(('aws_cdk', 'jsii'))], 'aws_cdk loaded';"
        "sys.exit(status)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60, check=False)  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == f"error: {config}: domains: must not be empty; got []"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CDK_CONTEXT_JSON", "{not json"),
        ("CDK_CONTEXT_JSON", "[1, 2]"),
        ("CONTEXT_OVERFLOW_LOCATION_ENV", "/nonexistent"),
    ],
)
def test_an_unreadable_context_is_one_line_not_a_traceback(tmp_path: Path, variable: str, value: str) -> None:
    env = {**os.environ, "CDK_OUTDIR": str(tmp_path / "cdk.out"), variable: value}
    result = subprocess.run([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60, check=False)  # fmt: skip
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: cannot read the CDK context (CDK_CONTEXT_JSON, CONTEXT_OVERFLOW_LOCATION_ENV or ")
