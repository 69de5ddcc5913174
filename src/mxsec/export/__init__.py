"""Export the question bank for learning platforms: QTI 1.2 for Canvas, Moodle XML and GIFT."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..data import Course
from . import gift, moodle, qti
from ._bank import TYPES, Chapter, Export, ExportError, Item, build, type_counts

__all__ = ["FORMATS", "TYPES", "Chapter", "Export", "ExportError", "Item", "build", "export", "type_counts"]

FORMATS = {"qti": qti, "moodle": moodle, "gift": gift}


def export(fmt: str, outdir: str | Path, chapters: Iterable[str] | None = None,
           course: Course | None = None) -> Export:
    """Write the bank (all chapters, or those named) in one format into `outdir`."""
    bank = build(course, chapters)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    return FORMATS[fmt].write(bank, outdir)
