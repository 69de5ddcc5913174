"""What every course widget shares: its static files and strict checks on the data passed in."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

STATIC = Path(__file__).resolve().parent.parent / "static"
KIT = "widget-kit.js"  # helpers every widget's module imports
BASE_CSS = "widget-base.css"  # rules every widget's CSS starts with

# The line a widget's module imports the kit with: `import { h, save } from "./widget-kit.js";`.
_KIT_IMPORT = re.compile(r'^import \{[^}]*\} from "\./widget-kit\.js";\n', re.M)
# A module named by a relative path: `from "./x.js"`, `import "./x.js"`, `import("./x.js")`.
_RELATIVE = re.compile(r"""\b(?:from|import)\s*\(?\s*["'](\.\.?/[^"']*)["']""")
# Comments on lines of their own (JS or CSS), and `export ` before a declaration.
_COMMENT_LINES = re.compile(r"^[ \t]*(?://[^\n]*|/\*.*?\*/)[ \t]*\n", re.M | re.S)
_EXPORT = re.compile(r"^export (?=function |const |let |class )", re.M)


def esm(name: str) -> str:
    """The ES module anywidget ships for the widget static/<name>.js, as a string.

    anywidget (and mxsec-embed.js in the book) imports `_esm` from a blob URL, where a relative
    import cannot resolve; so the widget's `import { ... } from "./widget-kit.js";` line gives way
    to the kit's code, with its comments (read them in widget-kit.js) and its `export` keywords
    removed: the helpers become the module's own. The widget's own exports stay, for node's tests.
    Any other relative import raises ValueError, here rather than in a reader's browser.
    """
    source = (STATIC / f"{name}.js").read_text(encoding="utf-8")
    code = _COMMENT_LINES.sub("", _KIT_IMPORT.sub("", source, count=1))
    if others := _RELATIVE.findall(code):
        raise ValueError(
            f"static/{name}.js imports {', '.join(others)}: a widget's module may import only "
            f'./{KIT}, in one line `import {{ ... }} from "./{KIT}";` that esm() inlines '
            "(anywidget loads the module from a blob URL, where relative imports fail)"
        )
    kit, exports = _EXPORT.subn("", _COMMENT_LINES.sub("", (STATIC / KIT).read_text(encoding="utf-8")))
    if not exports or re.search(r"^(?:import|export)\b", kit, re.M):
        raise ValueError(
            f"static/{KIT}: esm() can inline only `export function|const|let|class` and no imports"
        )
    return _KIT_IMPORT.sub(lambda _: kit.lstrip("\n"), source, count=1)


def css(name: str) -> str:
    """The CSS anywidget ships for the widget static/<name>.css: the rules of widget-base.css (its
    comments stay there), then the widget's own."""
    base = _COMMENT_LINES.sub("", (STATIC / BASE_CSS).read_text(encoding="utf-8"))
    return base + (STATIC / f"{name}.css").read_text(encoding="utf-8")


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
                raise ValueError(
                    f"{field}[{i}].{key}: expected {getattr(kind, '__name__', kind)}, got {val!r}"
                )
            if kind is str:
                need_text(val, f"{field}[{i}].{key}")
        out.append(dict(rec))
    return out
