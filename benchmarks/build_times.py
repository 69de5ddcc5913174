"""Clean and cached build times of the book, and the total time of the test suite (medians of N runs).

    .venv/bin/python benchmarks/build_times.py [--runs 3] [--skip-tests]

A clean build starts from an empty output folder (every notebook executed); a cached build rebuilds
the same folder with nothing changed (myst-nb's execution cache). Timings go to stdout as a table.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OUT = ROOT / "_build" / "bench"


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def build() -> float:
    return timed(
        [str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going", "--path-output", str(OUT)]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-tests", action="store_true", help="time only the builds")
    args = parser.parse_args()

    clean, cached, tests = [], [], []
    for _ in range(args.runs):
        shutil.rmtree(OUT, ignore_errors=True)
        clean.append(build())
        cached.append(build())
    if not args.skip_tests:
        for _ in range(args.runs):
            tests.append(timed([str(BIN / "python"), "-m", "pytest", "-q"]))

    print("| measure | median (s) | runs (s) |\n| --- | ---: | --- |")
    for name, runs in (("clean build", clean), ("cached build", cached), ("whole test suite", tests)):
        if runs:
            print(f"| {name} | {statistics.median(runs):.1f} | {', '.join(f'{r:.1f}' for r in runs)} |")
    if clean and cached:
        print(f"\ncached / clean: {statistics.median(cached) / statistics.median(clean):.2f}")


if __name__ == "__main__":
    main()
