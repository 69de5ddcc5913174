"""Where things are, for every test: the repository, the venv's scripts, the build folder, the browser,
and the lists of notebooks and chapters."""

from __future__ import annotations

import sys
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
