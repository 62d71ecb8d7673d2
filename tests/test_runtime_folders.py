"""Each Lambda code folder imports as Lambda imports it: the folder is the import root, its modules are top-level
(the ``from .x import`` branches the tests use elsewhere are not taken there)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ses_stack"
FOLDERS = sorted(path.parent for path in PACKAGE.glob("**/runtime/__init__.py"))


@pytest.mark.parametrize("folder", FOLDERS, ids=[str(f.relative_to(PACKAGE)) for f in FOLDERS])
def test_every_module_imports_from_the_folder_alone(folder: Path) -> None:
    modules = sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__")
    assert modules
    # Lambda has no ses_stack package: any import of it must fail, as it would there.
    code = "import sys; sys.modules['ses_stack'] = None\n" + "".join(
        f"import {name}; assert {name}.__package__ == '', {name}.__file__\n" for name in modules
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def test_shared_runtime_modules_are_identical_in_every_folder() -> None:
    """A Lambda folder ships alone, so a module two of them need is copied; the copies must not drift."""
    copies = sorted(PACKAGE.glob("**/runtime/deadline.py"))
    assert len(copies) == 2
    assert len({path.read_bytes() for path in copies}) == 1, [str(p.relative_to(PACKAGE)) for p in copies]


def test_the_constructs_and_the_gate_import_without_botocore() -> None:
    """A library install has no botocore (it comes with the cli extra): no construct module may need it."""
    code = (
        "import sys\nfor name in ('boto3', 'botocore', 'dns', 'checkdmarc'):\n    sys.modules[name] = None\n"
        "import ses_stack.setup.sending_setup, ses_stack.setup.gate\n"
        "import ses_stack.app.stack, ses_stack.app.domain_stack, ses_stack.app.synth\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=PACKAGE.parent, capture_output=True, text=True,
                          check=False, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_constructs_name_the_resource_types_their_runtime_serves() -> None:
    from ses_stack.identity import dkim_replica  # noqa: PLC0415
    from ses_stack.settings.runtime import dkim_replica as runtime  # noqa: PLC0415

    assert dkim_replica.DKIM_REPLICA == runtime.DKIM_REPLICA
