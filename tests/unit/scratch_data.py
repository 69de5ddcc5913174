"""Scratch copies of the course data for the loader's tests: a copy to break, and the error it gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mxsec.data import DataError, load

ROOT = Path(__file__).resolve().parents[2]


def scratch(tmp_path: Path) -> Path:
    """A scratch copy of data/ and references.bib under tmp_path; returns the data folder."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    return tmp_path / "data"


def refused(directory: Path) -> DataError:
    """The DataError loading `directory` raises (the test fails if it loads)."""
    with pytest.raises(DataError) as caught:
        load(directory)
    return caught.value
