"""Cold-start cost of the feedback handler module: import time in a fresh interpreter (median of N).

Run by hand: .venv/bin/python bench/handler_import.py [runs]. Prints figures; asserts nothing.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANDLER_DIR = ROOT / "ses_stack" / "feedback" / "runtime"
CODE = "import time; t = time.perf_counter(); import handler; print(time.perf_counter() - t)"
BASELINE = "import time; t = time.perf_counter(); import boto3; print(time.perf_counter() - t)"


def median_seconds(code: str, runs: int) -> float:
    samples = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], cwd=HANDLER_DIR, capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return statistics.median(samples)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    handler = median_seconds(CODE, runs)
    boto = median_seconds(BASELINE, runs)
    print(f"import handler: median {handler * 1000:.0f} ms over {runs} runs (import boto3 alone: {boto * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
