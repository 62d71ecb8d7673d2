"""The README's library example runs as written."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def test_library_example_in_readme_synthesizes() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    (example,) = [b for b in blocks if "app = App()" in b]
    namespace: dict[str, object] = {}
    exec(compile(example, "README.md", "exec"), namespace)
    assert namespace["domain"].identity is not None  # type: ignore[attr-defined]
