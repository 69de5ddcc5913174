"""Starting a classroom hub for a test: free ports per pytest-xdist worker, accounts, course, hub."""

from __future__ import annotations

import os
import socket

import pytest

from common import BUILD_ROOT
from mxsec.hub import Account, Classroom, HubError


def free_ports(count: int = 3) -> int:
    """The first of `count` consecutive free ports on 127.0.0.1 (the hub, its proxy's API, the hub itself)."""
    # pytest-xdist's workers (gw0, gw1, ...) look in ranges of their own, so that two never pick the same
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    first = 18000 + 100 * (worker % 10)
    for start in range(first, first + 100 - count, count):
        sockets = []
        try:
            for port in range(start, start + count):
                s = socket.socket()
                s.bind(("127.0.0.1", port))
                sockets.append(s)
            return start
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError(f"no {count} consecutive free ports from {first} on")


def start_classroom(venvs, name: str, accounts: list[Account], **kwargs) -> Classroom:
    hub, runtime, _ = venvs
    classroom = Classroom(hub.path, runtime.path, BUILD_ROOT / name, accounts, port=free_ports(), **kwargs)
    try:
        classroom.create_accounts()
        classroom.prepare_course()
        classroom.start()
    except HubError as err:
        classroom.teardown()
        pytest.fail(str(err))
    except BaseException:
        classroom.teardown()
        raise
    return classroom
