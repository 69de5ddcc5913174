"""The classroom hub's fixtures: its two venvs (built or reused from _build/venvs/), and a running hub
of deploy/jupyterhub_config.py with throwaway Unix accounts, created and removed here.

Nothing is skipped: a missing piece fails with the make target that installs it."""

from __future__ import annotations

import json
import os
import shutil
import stat
import time

import pytest
from hub_venvs import EnvError, hub_envs

from common import BUILD_ROOT, locked


@pytest.fixture(scope="session")
def traversable_checkout():
    """The students' servers run as their own Unix users and import this checkout's package. A
    checkout inside a folder others cannot enter (a clone under /root, mode 700) would keep them out:
    while any test process of the run uses the hub, such folders above the checkout let others pass
    through (o+x: enter, not list); the last process to finish gives them their modes back."""
    if os.geteuid() != 0:
        yield
        return
    state = BUILD_ROOT / ".hub-traverse.json"
    with locked(BUILD_ROOT / ".hub-traverse.lock"):
        held = json.loads(state.read_text()) if state.is_file() else {"users": 0, "modes": {}}
        for folder in reversed(BUILD_ROOT.parent.resolve().parents):
            mode = stat.S_IMODE(folder.stat().st_mode)
            if not mode & stat.S_IXOTH:
                os.chmod(folder, mode | stat.S_IXOTH)
                held["modes"][str(folder)] = mode
        held["users"] += 1
        state.write_text(json.dumps(held))
    try:
        yield
    finally:
        with locked(BUILD_ROOT / ".hub-traverse.lock"):
            held = json.loads(state.read_text())
            held["users"] -= 1
            if held["users"] <= 0:
                for folder, mode in held["modes"].items():
                    os.chmod(folder, mode)
                state.unlink()
            else:
                state.write_text(json.dumps(held))


@pytest.fixture(scope="session")
def venvs(traversable_checkout):
    """(hub venv, runtime venv, seconds it took to build or reuse them)."""
    if os.geteuid() != 0:
        pytest.fail("the classroom tests create Unix accounts with useradd: run them as root (as CI does)")
    for tool in ("useradd", "userdel", "chpasswd"):
        if shutil.which(tool) is None:
            pytest.fail(
                f"{tool} not found: the classroom tests need Debian's passwd package (apt-get install passwd)"
            )
    started = time.monotonic()
    try:
        hub, runtime = hub_envs()
    except EnvError as err:
        pytest.fail(str(err))
    return hub, runtime, time.monotonic() - started
