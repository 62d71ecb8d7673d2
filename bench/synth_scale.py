"""Synth at scale, run as the CDK CLI runs the app: wall time, peak memory, stacks, resources per stack and template
bytes for 1, 10 and 50 Route53 domains in one stack, then 1, 100 and 1,000 in 25 domain stacks (the marginal cost
per domain is taken there, the number of stacks fixed); then the example against the same resources written by
hand with aws-cdk-lib, alternated, with the ratio of the medians.

Run by hand: .venv/bin/python bench/synth_scale.py [runs], or ``--only DOMAINS:STACKS`` for one large config (the
10,000 domains of SES's quota: ``--only 10000:300``). Prints tables; asserts nothing.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTEXT = json.loads((ROOT / "cdk.json").read_text())["context"]
SIZES = (1, 10, 50)  # one stack
FIXED_STACKS, FIXED_SIZES = 25, (1, 100, 1000)  # 25 domain stacks whatever the number of domains
MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "sys.stderr.write(done.stderr[-2000:])\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(done.returncode)\n"
)


def synth(command: list[str], config: dict[str, object] | None = None) -> tuple[float, int, Path, int]:
    """(seconds, peak RSS in MB of the largest process, output folder, exit status)."""
    outdir = Path(tempfile.mkdtemp())
    context = dict(CONTEXT)
    if config is not None:
        path = outdir / "config.json"
        path.write_text(json.dumps(config))
        context["config"] = str(path)
    env = {**os.environ, "CDK_OUTDIR": str(outdir / "out"), "CDK_CONTEXT_JSON": json.dumps(context)}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    peak = int(done.stdout.strip().splitlines()[-1]) // 1024 if done.stdout.strip() else 0
    if done.returncode != 0:
        (outdir / "stderr.txt").write_text(done.stderr)
    return elapsed, peak, outdir, done.returncode


REPLAY_APP = """
import json, os
from ses_stack._cdk.node import use_bundled_node
use_bundled_node()
import aws_cdk as cdk

template = json.loads(open(os.environ["REPLAYED_TEMPLATE"]).read())
app = cdk.App()
stack = cdk.Stack(app, "Replayed", env=cdk.Environment(account="123456789012", region="eu-west-1"))
for logical_id, resource in template["Resources"].items():
    if resource["Type"] == "AWS::CDK::Metadata":
        continue
    element = cdk.CfnResource(stack, logical_id, type=resource["Type"], properties=resource.get("Properties"))
    element.override_logical_id(logical_id)
    for key in ("DependsOn", "DeletionPolicy", "UpdateReplacePolicy", "Condition", "Metadata"):
        if key in resource:
            element.add_override(key, resource[key])
for name, output in template.get("Outputs", {}).items():
    cdk.CfnOutput(stack, name, value=json.dumps(output["Value"])).override_logical_id(name)
app.synth()
"""


def config_of(count: int, domain_stacks: int | None = None) -> dict[str, object]:
    domains = [{"name": f"customer{n:04d}.example.net", "hostedZoneId": "Z0123456789ABCDEFGHIJ"} for n in range(count)]
    config: dict[str, object] = {"regions": ["eu-west-1"], "domains": domains}
    if domain_stacks is not None:
        config["domainStacks"], config["domainStacksBase"] = domain_stacks, 1
    return config


def templates(outdir: Path) -> list[dict[str, object]]:
    return [json.loads(p.read_text()) for p in sorted((outdir / "out").glob("*.template.json"))]


def scale_table(runs: int) -> None:
    print(f"synth of N Route53 domains (app.py as the CDK CLI runs it; median of {runs})")
    header = ("domains", "wall s", "peak MB", "stacks", "resources/stack", "max KB", "all KB")
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, (7, 7, 8, 6, 16, 7, 7), strict=True)))
    times: dict[int, float] = {}
    plan = [(count, None) for count in SIZES] + [(count, FIXED_STACKS) for count in FIXED_SIZES]
    for count, domain_stacks in plan:
        results = [synth([sys.executable, "app.py"], config_of(count, domain_stacks)) for _ in range(runs)]
        elapsed = statistics.median(r[0] for r in results)
        peak = max(r[1] for r in results)
        outdir, status = results[-1][2], results[-1][3]
        if status != 0:
            why = (outdir / "stderr.txt").read_text().strip().splitlines()
            line = next((w for w in why if "domains" in w), why[-1] if why else f"exit {status}")
            print(f"{count:>7} {elapsed:>7.2f} {peak:>8} refused: {line.strip()[:150]}")
            continue
        if domain_stacks is not None:
            times[count] = elapsed
        found = templates(outdir)
        counts = sorted(len(t["Resources"]) for t in found)  # type: ignore[arg-type]
        spread = f"{counts[0]}" if counts[0] == counts[-1] else f"{counts[0]}-{counts[-1]}"
        sizes = [len(json.dumps(t)) / 1024 for t in found]
        print(
            f"{count:>7} {elapsed:>7.2f} {peak:>8} {len(found):>6} {spread:>16} {max(sizes):>7.0f} {sum(sizes):>7.0f}"
        )
    fitted = sorted(times)
    if len(fitted) >= 2:
        low, high = fitted[0], fitted[-1]
        marginal = (times[high] - times[low]) / (high - low) * 1000
        print(
            f"marginal synth cost: {marginal:.1f} ms per domain ({low} to {high} domains, {FIXED_STACKS} domain stacks)"
        )


def baseline_table(runs: int) -> None:
    """The example against aws-cdk-lib writing the same resources by hand: each of the example template's resources
    as a ``CfnResource`` with its properties, dependencies and policies (no constructs of ours, no assets to stage,
    no cdk-nag, no checklist: the least any CDK app with these resources costs), alternated."""
    _, _, example_out, _ = synth([sys.executable, "app.py"])
    (replayed,) = (example_out / "out").glob("*.template.json")
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False, dir=ROOT) as handwritten:
        handwritten.write(REPLAY_APP)
    os.environ["REPLAYED_TEMPLATE"] = str(replayed)
    example, baseline = [], []
    try:
        for _ in range(runs):  # alternated, so drift in the machine's load hits both alike
            example.append(synth([sys.executable, "app.py"])[0])
            elapsed, _, outdir, status = synth([sys.executable, handwritten.name])
            if status != 0:
                print((outdir / "stderr.txt").read_text()[-1500:])
                return
            baseline.append(elapsed)
        resources = len(templates(outdir)[0]["Resources"])  # type: ignore[arg-type]
    finally:
        os.unlink(handwritten.name)
    ratio = statistics.median(example) / statistics.median(baseline)
    print(f"\nexample vs the same {resources} resources written by hand (CfnResource), alternated, median of {runs}")
    print(f"  example app:    {statistics.median(example):.2f} s (min {min(example):.2f})")
    print(f"  by hand:        {statistics.median(baseline):.2f} s (min {min(baseline):.2f})")
    print(f"  ratio:          {ratio:.2f}x")


def one(count: int, stacks: int) -> None:
    """One large config (``--only 10000:300``): wall time, peak memory, and each template against CloudFormation's
    limits (500 resources, 1 MB, 200 outputs)."""
    config = config_of(count)
    config["domainStacks"], config["domainStacksBase"] = stacks, 1
    elapsed, peak, outdir, status = synth([sys.executable, "app.py"], config)
    if status != 0:
        print(f"{count} domains in {stacks} domain stacks: exit {status} after {elapsed:.0f} s")
        print((outdir / "stderr.txt").read_text()[-1500:])
        return
    found = templates(outdir)
    resources = [len(t["Resources"]) for t in found]  # type: ignore[arg-type]
    outputs = [len(t.get("Outputs", {})) for t in found]  # type: ignore[arg-type]
    sizes = [len(json.dumps(t)) for t in found]
    print(f"{count:,} Route53 domains in {stacks} domain stacks (+1 shared): {elapsed:.0f} s, peak {peak:,} MB, "
          f"{len(found)} templates; per template at most {max(resources)} resources (limit 500), "
          f"{max(sizes) / 1024:.0f} KB (limit 1,024), {max(outputs)} outputs (limit 200); "
          f"{elapsed / count * 1000:.1f} ms per domain")  # fmt: skip


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--only":
        count, stacks = (int(n) for n in sys.argv[2].split(":"))
        one(count, stacks)
        return
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    scale_table(runs)
    baseline_table(runs)


if __name__ == "__main__":
    main()
