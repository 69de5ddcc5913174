"""Cold and warm times of the two tests that rebuild a student's environment and run every notebook in
it: Binder's (tests/test_binder.py) and the installed wheel's, as on Colab (tests/test_colab.py).

    .venv/bin/python benchmarks/notebook_envs.py [--runs 1] [--empty-pip-cache]

Cold: the test's cached venv under _build/venvs/ is removed first, as on CI, which starts from a clean
clone; with --empty-pip-cache pip's download cache is empty too, as on a new machine. Warm: the same
test run again at once, reusing the venv. Each time is the whole `pytest` run of that one file; the
table also gives pytest's own split (setup: reading repo2docker's plan, building the wheel and the
venv; call: running the notebooks). Results go to stdout as a table.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
VENVS = ROOT / "_build" / "venvs"
TESTS = {"binder": "tests/test_binder.py", "wheel": "tests/test_colab.py"}


def timed(test: str, env: dict[str, str]) -> tuple[float, str, float, float]:
    """Wall time of one pytest run of `test`, its outcome line, and its summed setup and call times."""
    start = time.perf_counter()
    proc = subprocess.run(
        [str(BIN / "python"), "-m", "pytest", "-q", "-p", "no:randomly", "--durations=0", test],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    outcome = next(
        (
            line.strip("= ")
            for line in reversed(proc.stdout.splitlines())
            if re.search(r"\d+ (passed|failed)", line)
        ),
        "no outcome",
    )
    phases = {"setup": 0.0, "call": 0.0}
    for seconds, phase in re.findall(r"^([\d.]+)s (setup|call) ", proc.stdout, re.M):
        phases[phase] += float(seconds)
    return wall, re.sub(r" in [\d.]+s.*", "", outcome), phases["setup"], phases["call"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--empty-pip-cache", action="store_true", help="cold runs start with an empty pip cache"
    )
    parser.add_argument("--only", choices=sorted(TESTS), help="time one of the two tests")
    args = parser.parse_args()

    rows = []
    for kind, test in TESTS.items():
        if args.only and kind != args.only:
            continue
        results = {"cold": [], "warm": []}
        for _ in range(args.runs):
            for old in VENVS.glob(f"{kind}-*"):
                shutil.rmtree(old)
            env = dict(os.environ)
            with tempfile.TemporaryDirectory() as cache:
                if args.empty_pip_cache:
                    env["PIP_CACHE_DIR"] = cache
                results["cold"].append(timed(test, env))
            results["warm"].append(timed(test, dict(os.environ)))
        for state, runs in results.items():
            walls = [r[0] for r in runs]
            rows.append(
                (
                    test,
                    state,
                    statistics.median(walls),
                    walls,
                    statistics.median(r[2] for r in runs),
                    statistics.median(r[3] for r in runs),
                    runs[-1][1],
                )
            )

    pip_cache = "empty" if args.empty_pip_cache else "as found"
    print(f"cores: {os.cpu_count()}; pip cache on cold runs: {pip_cache}\n")
    print(
        "| test | venv | median (s) | runs (s) | setup (s) | call (s) | outcome |\n| --- | --- | ---: | --- | ---: | ---: | --- |"
    )
    for test, state, median, walls, setup, call, outcome in rows:
        print(
            f"| {test} | {state} | {median:.1f} | {', '.join(f'{w:.1f}' for w in walls)} | {setup:.1f} | {call:.1f} | {outcome} |"
        )


if __name__ == "__main__":
    main()
