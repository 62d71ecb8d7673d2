"""Start-up time of the command-line tool: `ses-preflight --help` and `python -m ses_stack.preflight --help`.

Run by hand: .venv/bin/python bench/preflight_startup.py [runs]. Prints medians; asserts nothing.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def median_seconds(command: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    script = shutil.which("ses-preflight", path=str(Path(sys.executable).parent))
    commands = {"python -m ses_stack.preflight --help": [sys.executable, "-m", "ses_stack.preflight", "--help"]}
    if script:
        commands = {"ses-preflight --help": [script, "--help"], **commands}
    commands["python -c pass (interpreter alone)"] = [sys.executable, "-c", "pass"]
    for label, command in commands.items():
        print(f"{label}: median {median_seconds(command, runs) * 1000:.0f} ms over {runs} runs")


if __name__ == "__main__":
    main()
