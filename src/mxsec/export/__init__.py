"""Export a question bank for learning platforms: QTI 1.2 for Canvas, Moodle XML and GIFT."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..data import Course
from . import gift, moodle, qti
from ._bank import BANKS, TYPES, Chapter, Export, ExportError, Group, Item, build, type_counts

__all__ = [
    "BANKS",
    "FORMATS",
    "TYPES",
    "Chapter",
    "Export",
    "ExportError",
    "Group",
    "Item",
    "build",
    "export",
    "type_counts",
]

FORMATS = {"qti": qti, "moodle": moodle, "gift": gift}


def export(
    fmt: str,
    outdir: str | Path,
    chapters: Iterable[str] | None = None,
    course: Course | None = None,
    bank: str = "practice",
    ordering_as_matching: bool = False,
) -> Export:
    """Write one bank (all chapters, or those named) in one format into `outdir`.

    `bank` is "practice" (the book's self-checks) or "summative"; `ordering_as_matching` writes
    ordering questions as matching questions in the Moodle formats too (Canvas always gets them so),
    for Moodle sites before 4.4 without the Ordering plugin."""
    if fmt not in FORMATS:
        raise ExportError(f"no export format {fmt!r}: the formats are {', '.join(FORMATS)}")
    found = build(course, chapters, bank)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    if fmt == "qti":
        return qti.write(found, outdir)
    return FORMATS[fmt].write(found, outdir, ordering_as_matching=ordering_as_matching)
