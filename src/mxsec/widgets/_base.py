"""What every course widget shares: its static files and strict checks on the data passed in."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import anywidget
import traitlets

STATIC = Path(__file__).resolve().parent.parent / "static"


class CourseWidget(anywidget.AnyWidget):
    """Base class: a title, and a label for screen readers."""

    title = traitlets.Unicode("").tag(sync=True)


def need_text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{field}: expected non-empty text, got {value!r}")
    return value


def need_ids(values: Iterable[Any], field: str, known: Iterable[str] | None = None) -> list[str]:
    """A list of distinct string ids, all of them among `known` when that is given."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ValueError(f"{field}: expected a list of ids, got {values!r}")
    values = list(values)
    known = set(known) if known is not None else None
    for i, v in enumerate(values):
        need_text(v, f"{field}[{i}]")
        if known is not None and v not in known:
            raise ValueError(f"{field}[{i}]: unknown id {v!r}")
    if len(set(values)) != len(values):
        dupes = sorted({v for v in values if values.count(v) > 1})
        raise ValueError(f"{field}: ids appear more than once: {', '.join(dupes)}")
    return values


def need_records(records: Any, field: str, required: dict[str, type | tuple[type, ...]]) -> list[dict]:
    """A non-empty list of dicts, each with the required keys of the required types."""
    if not isinstance(records, (list, tuple)) or not records:
        raise ValueError(f"{field}: expected a non-empty list, got {records!r}")
    out = []
    for i, rec in enumerate(records):
        if not isinstance(rec, dict):
            raise ValueError(f"{field}[{i}]: expected a mapping, got {rec!r}")
        for key, kind in required.items():
            if key not in rec:
                raise ValueError(f"{field}[{i}].{key}: missing")
            val = rec[key]
            if isinstance(val, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
                raise ValueError(f"{field}[{i}].{key}: expected {kind}, got {val!r}")
            if not isinstance(val, kind):
                raise ValueError(f"{field}[{i}].{key}: expected {getattr(kind, '__name__', kind)}, got {val!r}")
            if kind is str:
                need_text(val, f"{field}[{i}].{key}")
        out.append(dict(rec))
    return out
