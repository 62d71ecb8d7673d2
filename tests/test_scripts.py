"""Set-up traps: scripts/env.sh sourced from bash and zsh, and the app command in cdk.json run before scripts/setup."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_env_sh_sourced_from_another_folder_puts_the_venv_first(shell: str, tmp_path: Path) -> None:
    """zsh is installed by .ci/run; on a machine without it, the POSIX sh branch (dash) is exercised instead."""
    program = shutil.which(shell) or shutil.which("sh")
    assert program is not None
    result = subprocess.run(
        [program, "-c", f". {ROOT / 'scripts' / 'env.sh'} && command -v python && echo $JSII_NODE"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    if shell == "bash" or program.endswith("zsh"):
        assert result.returncode == 0, result.stderr
        python, node = result.stdout.split()
        assert python == str(ROOT / ".venv" / "bin" / "python")
        assert node.startswith(str(ROOT / ".venv")) and node.endswith("/node")
    else:  # sh cannot know the sourced file's path: it says so rather than pointing PATH at a wrong folder
        assert result.returncode != 0 or str(ROOT / ".venv") in result.stdout


def test_env_sh_before_setup_says_to_run_it(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "env.sh", tmp_path / "scripts" / "env.sh")
    result = subprocess.run(["bash", "-c", ". scripts/env.sh"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=60, check=False)  # fmt: skip
    assert result.returncode == 1
    assert "does not exist yet: run scripts/setup first" in result.stderr


def test_the_app_command_before_setup_says_to_run_it(tmp_path: Path) -> None:
    """cdk.json's app command in a checkout without .venv (it was `/bin/sh: 1: .venv/bin/python: not found`)."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "app", tmp_path / "scripts" / "app")
    command = json.loads((ROOT / "cdk.json").read_text())["app"]
    result = subprocess.run(["/bin/sh", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            check=False)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().endswith("does not exist yet: run scripts/setup first (it installs Python and the "
                                          "CDK CLI)")  # fmt: skip


def test_the_app_command_after_setup_runs_the_app_with_the_venvs_python(tmp_path: Path) -> None:
    """The twin: with a venv the same command runs its Python on app.py (a stand-in Python that echoes)."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "app", tmp_path / "scripts" / "app")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text('#!/bin/sh\necho "python $*"\n')
    python.chmod(0o755)
    command = json.loads((ROOT / "cdk.json").read_text())["app"]
    result = subprocess.run(["/bin/sh", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            check=False)  # fmt: skip
    assert (result.returncode, result.stdout) == (0, f"python {tmp_path / 'app.py'}\n")
