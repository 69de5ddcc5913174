"""The course on JupyterHub: nbgrader's submission step with private submissions, and a class on one
machine (throwaway Unix accounts, the instructor's course folder, the hub process) for a trial and
for the tests.

- `PrivateSubmit` replaces nbgrader's submit step in the students' servers (deploy/jupyterhub_config.py
  sets ``c.ExchangeFactory.submit = "mxsec.hub.PrivateSubmit"``). nbgrader leaves a submission
  readable by every user of the machine, hidden only by a random folder name in an inbound folder that
  no student can list; this one leaves it readable by its student and the instructor's group only
  (the inbound folder is the instructor's, set-group-id, so each submission and every file in it
  takes its group).
- `Classroom` creates the accounts (real Unix users, each home readable by its owner only), the
  instructor's course folder ~/mxsec with chosen chapters released into it (mxsec.assignments), and
  runs the hub of deploy/jupyterhub_config.py with the hub's and the runtime's venvs it is given.
  It runs as root, on a machine where the accounts it creates are throwaway.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.exchange.default.submit import ExchangeSubmit
from nbgrader.utils import ignore_patterns

from .assignments import DEFAULT_COURSE_ID

__all__ = ["MARK", "Account", "Classroom", "HubError", "PrivateSubmit"]

# The GECOS field of every account a Classroom creates: it removes only accounts that carry it.
MARK = "mxsec throwaway account"
CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub_config.py"


class PrivateSubmit(ExchangeSubmit):
    """nbgrader's submit, with the copy in the inbound folder readable by its owner and group only."""

    def _submission(self) -> str:
        return os.path.join(self.inbound_path, self.assignment_filename)

    def do_copy(self, src, dest, log=None):
        """nbgrader's copy (its size limit and ignore rules), except that the folders it makes in the
        inbound folder keep that folder's group: copytree would give them the mode of the student's
        folder, without the set-group-id bit, and the files written after it the student's group."""
        if os.path.abspath(dest) != os.path.abspath(self._submission()):
            return super().do_copy(src, dest, log)
        size, limit = self.get_size(src), 1000 * self.coursedir.max_dir_size
        if size > limit:
            self.log.error("Directory size is too big")
            raise RuntimeError(f"Directory size is too big. Size is {size}, maximum size is {limit}")
        ignore = ignore_patterns(
            exclude=self.coursedir.ignore,
            include=self.coursedir.include,
            max_file_size=self.coursedir.max_file_size,
            log=self.log,
        )
        for folder, subfolders, files in os.walk(src):
            target = os.path.normpath(os.path.join(dest, os.path.relpath(folder, src)))
            os.makedirs(target, exist_ok=True)  # in the inbound folder's group, set-group-id
            skipped = ignore(folder, subfolders + files)
            subfolders[:] = [d for d in subfolders if d not in skipped]
            for name in files:
                if name not in skipped:
                    shutil.copyfile(os.path.join(folder, name), os.path.join(target, name))

    def set_perms(self, dest, fileperms, dirperms):
        if os.path.abspath(dest) == os.path.abspath(self._submission()):
            fileperms, dirperms = 0o640, 0o750
        super().set_perms(dest, fileperms, dirperms)

    def copy_files(self):
        previous = os.umask(0o027)  # nothing of the copy is readable by others, even while it is made
        try:
            super().copy_files()
        finally:
            os.umask(previous)
        # nbgrader makes the folder writable by all "so the instructor can delete later"; the group will do.
        os.chmod(self._submission(), 0o770)


class HubError(RuntimeError):
    """The class could not be set up or the hub did not start; the message says which step and why."""


@dataclass
class Account:
    name: str
    role: str  # "instructor" or "student"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12), repr=False)

    @property
    def home(self) -> Path:
        return Path(pwd.getpwnam(self.name).pw_dir)


def _run(args: list[str], what: str, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        raise HubError(
            f"{what} failed (exit {proc.returncode}): {' '.join(args)}\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


def _ours(name: str) -> bool | None:
    """True if `name` is an account a Classroom made, False if another account, None if no such user."""
    try:
        return pwd.getpwnam(name).pw_gecos == MARK
    except KeyError:
        return None


def _user_processes(uid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    found.append(int(entry.name))
            except FileNotFoundError:
                pass
    return found


@dataclass
class Classroom:
    """A hub on 127.0.0.1:`port` for `accounts`, its files under `base` (state, exchange, settings)."""

    hub_venv: Path
    runtime_venv: Path
    base: Path
    accounts: list[Account]
    port: int = 8000
    chapters: list[str] = field(default_factory=list)
    auth: str = "pam"
    extra_env: dict[str, str] = field(default_factory=dict)
    api_token: str = field(default_factory=lambda: secrets.token_hex(32), repr=False)
    process: subprocess.Popen | None = None
    startup_seconds: float | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def exchange(self) -> Path:
        return self.base / "exchange"

    @property
    def log(self) -> Path:
        return self.base / "hub.log"

    def names(self, role: str) -> list[str]:
        return [a.name for a in self.accounts if a.role == role]

    # ------------------------------------------------------------------ accounts
    def create_accounts(self) -> None:
        if os.geteuid() != 0:
            raise HubError(
                "the class's Unix accounts are made with useradd, which needs root (run it as root)"
            )
        for account in self.accounts:
            owner = _ours(account.name)
            if owner is False:
                raise HubError(
                    f"a Unix user {account.name!r} already exists and is not a throwaway account "
                    f"(its GECOS field is not {MARK!r}); choose other names"
                )
            if owner:
                self._remove(account.name)
            _run(
                [
                    "useradd",
                    "--create-home",
                    "--shell",
                    "/bin/bash",
                    "--comment",
                    MARK,
                    "-K",
                    "HOME_MODE=0700",
                    account.name,
                ],
                f"creating the account {account.name}",
            )
            account.home.chmod(0o700)
            _run(
                ["chpasswd"],
                f"setting the password of {account.name}",
                input=f"{account.name}:{account.password}\n",
            )

    def _remove(self, name: str) -> None:
        uid = pwd.getpwnam(name).pw_uid
        for _ in range(20):
            pids = _user_processes(uid)
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.1)
        _run(["userdel", "--remove", name], f"removing the account {name}")

    def remove_accounts(self) -> None:
        for account in self.accounts:
            if _ours(account.name):
                self._remove(account.name)

    # ------------------------------------------------------------------ the course folder
    def as_user(self, account: Account, args: list[str], what: str) -> subprocess.CompletedProcess:
        """Run `args` as `account`, in its home, with the runtime's programs first on PATH."""
        entry = pwd.getpwnam(account.name)
        env = {
            "HOME": entry.pw_dir,
            "USER": account.name,
            "LOGNAME": account.name,
            "PATH": f"{self.runtime_venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
        }
        return _run(
            args, what, user=entry.pw_uid, group=entry.pw_gid, extra_groups=[], env=env, cwd=entry.pw_dir
        )

    def prepare_course(self) -> None:
        """Each instructor's ~/mxsec with the chosen chapters' student versions generated (the exchange
        is the hub's: the instructor releases to it from the formgrader, or with nbgrader release_assignment)."""
        chapters = [arg for chapter in self.chapters for arg in ("--chapter", chapter)]
        for account in self.accounts:
            if account.role == "instructor":
                self.as_user(
                    account,
                    [
                        str(self.runtime_venv / "bin" / "python"),
                        "-m",
                        "mxsec.assignments",
                        "release",
                        "mxsec",
                        *chapters,
                    ],
                    f"releasing {', '.join(self.chapters) or 'every chapter'} into ~{account.name}/mxsec",
                )

    # ------------------------------------------------------------------ the hub
    def environment(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "TZ", "TERM")}
        return {
            **keep,
            "PATH": f"{self.hub_venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.base / "state"),
            "VIRTUAL_ENV": str(self.hub_venv),
            "MXSEC_RUNTIME": str(self.runtime_venv),
            "MXSEC_HUB_PORT": str(self.port),
            "MXSEC_HUB_STATE": str(self.base / "state"),
            "MXSEC_JUPYTER_CONFIG": str(self.base / "jupyter"),
            "MXSEC_EXCHANGE": str(self.exchange),
            "MXSEC_COURSE_ID": DEFAULT_COURSE_ID,
            "MXSEC_AUTH": self.auth,
            "MXSEC_INSTRUCTORS": ",".join(self.names("instructor")),
            "MXSEC_STUDENTS": ",".join(self.names("student")),
            "MXSEC_HUB_API_TOKEN": self.api_token,
            **self.extra_env,
        }

    def start(self, timeout: float = 60) -> None:
        """Start the hub and wait until its REST API answers; `startup_seconds` is that wait."""
        self.base.mkdir(parents=True, exist_ok=True)
        self.base.chmod(0o755)  # the users' servers reach the exchange and their settings through it
        (self.base / "state").mkdir(exist_ok=True)
        (self.base / "state").chmod(0o700)
        log = self.log.open("w")
        started = time.monotonic()
        self.process = subprocess.Popen(
            [str(self.hub_venv / "bin" / "jupyterhub"), "-f", str(CONFIG)],
            env=self.environment(),
            cwd=self.base / "state",
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise HubError(
                    f"the hub exited ({self.process.returncode}); its log, {self.log}:\n{self.tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api/", timeout=2) as response:
                    if response.status == 200:
                        self.startup_seconds = time.monotonic() - started
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise HubError(f"the hub did not answer on {self.url} within {timeout} s; its log:\n{self.tail()}")

    def tail(self, chars: int = 6000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:] if self.log.exists() else ""

    def stop(self, timeout: float = 30) -> None:
        """Stop the hub (it stops the users' servers and its proxy first)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def teardown(self) -> None:
        """Stop the hub, remove the accounts and the class's files."""
        try:
            self.stop()
        finally:
            self.remove_accounts()
            shutil.rmtree(self.base, ignore_errors=True)
