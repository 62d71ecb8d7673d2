"""``ses-preflight validate-list`` on 10,000 addresses (5% invalid, 5% risky) against the SES stand-in on loopback:
each call takes a latency (default 80 ms, an assumption: AWS publishes none) and the stand-in throttles past a rate
(default 50 calls a second, an assumption: AWS publishes no rate for GetEmailAddressInsights); the CLI's own guarded,
paced clients, threads and verdicts file. Then the run is interrupted part way and resumed, and ``--suppress``
puts the invalid ones on the suppression list.

Run by hand: .venv/bin/python bench/validate_list.py [addresses] [latency_ms] [standin_rate]. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import io
import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ses_stack.preflight import cli
from tests.preflight.validate.standin import StandIn, running_standin


def addresses(count: int) -> list[str]:
    found = []
    for n in range(count):
        kind = "bad" if n % 20 == 0 else "maybe" if n % 20 == 1 else "user"
        found.append(f"{kind}{n}@example{n % 50}.com")
    return found


def run(argv: list[str]) -> tuple[int, dict[str, object], float]:
    out = io.StringIO()
    started = time.monotonic()
    status = cli.main(["validate-list", *argv, "--json", "--region", "eu-west-1"], out=out)
    return status, json.loads(out.getvalue() or "{}"), time.monotonic() - started


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    latency = float(sys.argv[2]) / 1000 if len(sys.argv) > 2 else 0.08
    rate = float(sys.argv[3]) if len(sys.argv) > 3 else 50.0
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")
    work = Path(tempfile.mkdtemp())
    listed = work / "list.csv"
    listed.write_text("email\n" + "\n".join(addresses(count)) + "\n")
    print(f"{count:,} addresses, stand-in latency {latency * 1000:.0f} ms, stand-in limit {rate:g} calls/s")
    print("| --api-rate | --concurrency | elapsed | addresses/s | throttled by the stand-in | not checked |")
    print("|---|---|---|---|---|---|")
    for api_rate, concurrency in ((rate, 8), (rate, 32), (rate * 2, 32)):
        standin = StandIn(latency_s=latency, rate=rate)
        with running_standin(standin) as endpoint:
            argv = ["--fresh", "--endpoint-url", endpoint.url, "--api-rate", str(api_rate)]
            status, summary, elapsed = run([str(listed), *argv, "--concurrency", str(concurrency)])
        checked = int(summary["checked"])  # type: ignore[call-overload]
        not_checked = len(summary["notChecked"])  # type: ignore[arg-type]
        print(f"| {api_rate:g} | {concurrency} | {elapsed:.1f} s | {checked / elapsed:.1f} | {standin.throttled:,} "
              f"| {not_checked} |")  # fmt: skip
    print(f"summary of the last run: would bounce {summary['wouldBounce']:.1%}, safe {summary['safe']}, exit {status}")

    # interrupted at about half, then resumed: the second run pays only for what the first did not check
    standin = StandIn(latency_s=latency, rate=rate)
    with running_standin(standin) as endpoint:
        verdicts = Path(f"{listed}.verdicts.csv")
        verdicts.unlink(missing_ok=True)
        stopper = threading.Timer(count / rate / 2, lambda: os.kill(os.getpid(), 2))
        stopper.start()
        try:
            first = run([str(listed), "--endpoint-url", endpoint.url, "--api-rate", str(rate)])[0]
        except KeyboardInterrupt:
            first = 130
        stopper.cancel()
        paid_first = len(standin.insight_calls)
        status, summary, second_s = run([str(listed), "--endpoint-url", endpoint.url, "--api-rate", str(rate)])
        paid = len(standin.insight_calls)
        twice = len(standin.insight_calls) - len(set(standin.insight_calls))
    print(
        f"interrupted (exit {first}) after {paid_first:,} calls; resumed: {summary['resumed']:,} from the verdicts "
        f"file, {paid - paid_first:,} more calls in {second_s:.1f} s; {paid:,} calls in all for {count:,} addresses "
        f"({twice} sent twice)"
    )

    standin = StandIn(latency_s=latency, rate=rate)
    with running_standin(standin) as endpoint:
        _, summary, elapsed = run([str(listed), "--endpoint-url", endpoint.url, "--api-rate", str(rate), "--suppress"])
    print(f"--suppress (verdicts resumed, nothing checked again): {summary['suppressed']} in {elapsed:.1f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
