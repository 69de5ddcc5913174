"""How many students fit on a server: the classroom hub of deploy/ (make hub) with N students
(N = 1, 5, 10 by default), each logged in with their server started and a chapter notebook run in a
kernel of it, as a student who opens the chapter and runs every cell.

    .venv/bin/python benchmarks/hub_sizing.py [--students 1 5 10] [--chapter book/introduction.ipynb]

Run as root (it creates throwaway Unix accounts, removed at the end). For each N it reports the hub's
start-up time (process start to its REST API answering), the median time to start a student's server,
and the memory of each active student: the RSS of all of that Unix user's processes (the server and
the chapter's kernel) summed, median and largest over the students, and the same as PSS (shared pages
divided among the processes sharing them, which is what adding one more student costs). A markdown
table goes to stdout. Not a timed test: the numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "hub")]

import hub_venvs  # noqa: E402 (tests/hub/hub_venvs.py: the cached venvs)
from hubclient import HubUser  # noqa: E402

from mxsec.hub import Account, Classroom, _user_processes  # noqa: E402


def memory_kib(uid: int) -> tuple[int, int]:
    """(RSS, PSS) in KiB of every process of `uid`, summed."""
    rss = pss = 0
    for pid in _user_processes(uid):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return rss, pss


def code_cells(chapter: Path) -> list[str]:
    nb = json.loads(chapter.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def measure(n: int, hub, runtime, chapter: Path, port: int) -> dict:
    accounts = [Account(f"mxb-student{i:02d}", "student") for i in range(1, n + 1)]
    classroom = Classroom(hub.path, runtime.path, ROOT / "_build" / "hub-sizing", accounts, port=port)
    kernels = []
    try:
        classroom.create_accounts()
        classroom.start()
        users, spawn = [], []
        for account in accounts:
            user = HubUser(classroom.url, account.name)
            assert user.login(account.password).status_code == 302, f"{account.name} could not log in"
            started = time.monotonic()
            user.start_server()
            spawn.append(time.monotonic() - started)
            users.append(user)
        cells = code_cells(chapter)
        for user in users:
            kernel = user.server("POST", "api/kernels", "starting a kernel", json={"name": "python3"}).json()
            ws = user.connect_kernel(kernel["id"])
            kernels.append(ws)
            for source in cells:
                _, error = user.run_in_kernel(kernel["id"], source, timeout=600, ws=ws)
                if error is not None:
                    raise RuntimeError(
                        f"{chapter.name} failed in {user.name}'s kernel: {error.get('evalue')}"
                    )
        time.sleep(2)  # let the kernels settle after their last cell
        memory = [memory_kib(pwd.getpwnam(a.name).pw_uid) for a in accounts]
        rss = [r / 1024 for r, _ in memory]
        pss = [p / 1024 for _, p in memory]
        return {
            "n": n,
            "hub_start": classroom.startup_seconds,
            "spawn": statistics.median(spawn),
            "rss_median": statistics.median(rss),
            "rss_max": max(rss),
            "pss_median": statistics.median(pss),
        }
    finally:
        for ws in kernels:
            ws.close()
        classroom.teardown()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, nargs="+", default=[1, 5, 10])
    parser.add_argument("--chapter", type=Path, default=ROOT / "book" / "introduction.ipynb")
    parser.add_argument("--port", type=int, default=18500)
    args = parser.parse_args()
    if os.geteuid() != 0:
        parser.exit(2, "hub_sizing.py creates Unix accounts: run it as root\n")
    hub, runtime = hub_venvs.hub_envs()
    rows = [measure(n, hub, runtime, args.chapter.resolve(), args.port) for n in args.students]
    print(f"Chapter run in each student's kernel: {args.chapter.name}; {os.cpu_count()} cores.\n")
    print(
        "| students | hub start-up (s) | server start, median (s) | memory per active student, "
        "median RSS (MiB) | largest RSS (MiB) | median PSS (MiB) |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['n']} | {r['hub_start']:.1f} | {r['spawn']:.1f} | {r['rss_median']:.0f} | "
            f"{r['rss_max']:.0f} | {r['pss_median']:.0f} |"
        )


if __name__ == "__main__":
    main()
