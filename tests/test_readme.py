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


def test_every_config_example_in_the_readme_is_valid() -> None:
    import json  # noqa: PLC0415

    from ses_stack.config import parse_config  # noqa: PLC0415

    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```json\n(.*?)```", readme, flags=re.S)
    configs = [json.loads(b) for b in blocks if '"regions"' in b and '"domains"' in b]
    assert len(configs) >= 3  # the reference example, multi-Region with DEED, the platform with tenants
    for config in configs:
        parse_config(config, "README.md")
