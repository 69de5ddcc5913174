"""Sphinx extension for the course book: leaves out the Thebe scripts the book does not use.

Live code runs on Binder or Colab through the launch buttons, never in the page. sphinx-thebe 0.3.1
nonetheless adds its inline configuration to every page, twice in a Jupyter Book 1.x build, and the
second `const THEBE_JS_URL` is a SyntaxError on every page; its loader script is dead weight too.
"""

from __future__ import annotations

from typing import Any


def _is_thebe(script: Any) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    return str(script).endswith("sphinx-thebe.js") or "THEBE_JS_URL" in body


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not _is_thebe(s)]


def setup(app) -> dict:
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
