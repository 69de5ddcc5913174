"""The prose of the book's pages: their Markdown, and that Markdown with what is not prose removed. The
prose checks (tests/test_prose.py) and the content benchmark (benchmarks/content_stats.py) read it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .build import ROOT


def markdown_of(docname: str, root: Path = ROOT) -> str:
    """The Markdown of a page (its markdown cells, for a notebook), by its docname (e.g. "book/assurance")."""
    path = root / f"{docname}.ipynb"
    if not path.exists():
        return (root / f"{docname}.md").read_text(encoding="utf-8")
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


CODE_FENCES = (
    "",
    "{code-cell}",
    "{code-block}",
    "{code}",
    "{include}",
    "python",
    "ipython3",
    "bash",
    "text",
    "yaml",
    "json",
)


def _drop_code_blocks(text: str) -> str:
    """Drop fenced code (and includes) but keep the prose inside directives such as exercises or notes."""
    out, fence, dropping = [], None, False
    for line in text.splitlines():
        stripped = line.strip()
        if fence is None:
            opened = re.match(r"^(`{3,}|:{3,}|~{3,})(.*)$", stripped)
            if opened:
                info = opened.group(2).strip().split(" ")[0]
                fence, dropping = opened.group(1), info in CODE_FENCES
                continue
        elif stripped == fence:
            fence, dropping = None, False
            continue
        elif re.match(r"^(`{3,}|:{3,})", stripped):
            continue  # a nested fence inside a kept directive
        if not dropping:
            out.append(line)
    return "\n".join(out)


def prose(text: str) -> str:
    """Markdown with what is not prose removed: code, roles' targets, directive options, links, comments."""
    text = _drop_code_blocks(text)
    text = re.sub(r"\{[\w:-]+\}`[^`\n]*`", "", text)  # {cite:p}`...`, {term}`...`, {glue:text}`...`
    text = re.sub(r"`[^`\n]*`", "", text)  # inline code
    text = re.sub(r"^\s*:[\w-]+:.*$", "", text, flags=re.M)  # directive options (:label: ex-...-1)
    text = re.sub(r"^\s*(?:[-*]|\d+\.)\s", " ", text, flags=re.M)  # list markers
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"\(\w[\w-]*\)=", "", text)  # (label)= targets
    text = re.sub(r"^>.*$", "", text, flags=re.M)  # block quotes: citations of the paper itself
    return text
