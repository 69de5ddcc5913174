"""`make hub`: a class on this machine for a trial, on http://127.0.0.1:8000 until Ctrl-C.

Builds (or reuses) the hub's and the students' venvs under _build/venvs/, creates throwaway Unix
accounts with random passwords (an instructor and three students by default), releases the chosen
chapters into the instructor's course folder ~/mxsec, starts the hub of deploy/jupyterhub_config.py,
prints the accounts, and on Ctrl-C stops the hub and removes the accounts and their files.

    .venv/bin/python deploy/trial.py [--port 8000] [--students 3] [--chapter compellence ...]
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "hub")]

import hub_venvs as envs  # noqa: E402 (tests/hub/hub_venvs.py: the cached venvs)

from mxsec.hub import Account, Classroom, HubError  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make hub", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--students", type=int, default=3, help="how many throwaway student accounts (default 3)"
    )
    parser.add_argument(
        "--chapter",
        action="append",
        dest="chapters",
        metavar="CHAPTER",
        help="a chapter to release into the instructor's course folder (repeat it; default: compellence)",
    )
    args = parser.parse_args(argv)
    try:
        hub, runtime = envs.hub_envs()
    except envs.EnvError as err:
        parser.exit(2, f"make hub: {err}\n")
    accounts = [Account("mxsec-instructor", "instructor")]
    accounts += [Account(f"mxsec-student{i}", "student") for i in range(1, args.students + 1)]
    classroom = Classroom(
        hub.path,
        runtime.path,
        ROOT / "_build" / "hub",
        accounts,
        port=args.port,
        chapters=args.chapters or ["compellence"],
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        classroom.create_accounts()
        classroom.prepare_course()
        classroom.start()
        print(f"The hub is up on {classroom.url} (started in {classroom.startup_seconds:.1f} s). Accounts:")
        for account in accounts:
            print(f"  {account.role:<10} {account.name:<18} password {account.password}")
        print(
            f"The instructor's course folder is ~{accounts[0].name}/mxsec (formgrader: Nbgrader > Formgrader); "
            f"the exchange is {classroom.exchange}; the hub's log is {classroom.log}.\n"
            "Ctrl-C stops the hub and removes these accounts and their files."
        )
        try:
            while not stop.wait(1):
                if classroom.process.poll() is not None:
                    print(f"the hub exited; its log:\n{classroom.tail()}", file=sys.stderr)
                    return 1
        except KeyboardInterrupt:
            pass
        return 0
    except HubError as err:
        print(f"make hub: {err}", file=sys.stderr)
        return 1
    finally:
        print("Stopping the hub and removing the trial accounts ...")
        classroom.teardown()


if __name__ == "__main__":
    sys.exit(main())
