"""Where things are, for every test: the repository, the venv's scripts, the build folder, the browser,
and the lists of notebooks and chapters."""

from __future__ import annotations

import fcntl
import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from mxsec import publish
from mxsec.build import chapters as toc_chapters

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BUILD_ROOT = ROOT / "_build"
# Playwright cannot download a browser here; it drives Debian's, with nothing fetched in the background
# (mxsec.publish, which prints the PDF with it, holds the flags).
CHROMIUM = Path(publish.CHROMIUM)
CHROMIUM_ARGS = publish.CHROMIUM_ARGS


def jupyter_book(path_output: Path, *extra: str) -> list[str]:
    """The command that builds the book with warnings as errors into `path_output`/_build."""
    build = [str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"]
    return [*build, "--path-output", str(path_output), *extra]


def notebooks() -> list[Path]:
    """Every notebook a student or instructor can open: chapters, exercises, instructor pages."""
    found = []
    for folder in ("book", "exercises", "instructor"):
        found += [p for p in sorted((ROOT / folder).rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts]
    return found


def chapters() -> list[str]:
    """Docnames of the book's pages, in table-of-contents order (e.g. "book/assurance")."""
    return toc_chapters()


def paper_chapters() -> list[str]:
    """The numbered chapters that mirror the paper's sections (no front or back matter)."""
    return toc_chapters(paper_only=True)


# Which notebooks nbval collected, stashed by conftest.py so that a test can check none was left out.
COLLECTED = pytest.StashKey[set]()
# The kernel name and venv nbval ran the notebooks with, stashed by conftest.py.
NBVAL_KERNEL = pytest.StashKey[tuple[str, Path]]()

# One test run: pytest-xdist gives its workers a shared id; a run without workers makes its own.
_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex


def run_id() -> str:
    return _RUN


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if need be): one test process at a time passes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
