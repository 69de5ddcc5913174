"""Sphinx extension for the course book: author-year labels in the bibliography, accessible
bibliography markup, no Thebe scripts (the book runs code on Binder or Colab, never in the page),
and embedded widget state that no text in it can break out of.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle


def _surname(person) -> str:
    return re.sub(r"[{}]", "", " ".join(person.prelast_names + person.last_names))


class AuthorYearLabels(BaseLabelStyle):
    """Labels such as "Domínguez, 2014" or "Bow and Santa Cruz, 2013", matching the author-year
    citations in the text; works by one author in one year get a, b, ... as in the paper."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        bases = [self._base(e) for e in entries]
        counts, seen = Counter(bases), Counter()
        for base in bases:
            if counts[base] > 1:
                seen[base] += 1
                yield f"{base}{'abcdefghij'[seen[base] - 1]}"
            else:
                yield base

    @staticmethod
    def _base(entry) -> str:
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [_surname(p) for p in people]
        who = names[0] if len(names) == 1 else " and ".join(names) if len(names) == 2 else f"{names[0]} et al."
        return f"{who}, {entry.fields.get('year', 'n.d.')}"


class CourseStyle(PlainStyle):
    default_label_style = "author_year_course"


register_plugin("pybtex.style.labels", "author_year_course", AuthorYearLabels)
register_plugin("pybtex.style.formatting", "course", CourseStyle)


def _is_thebe(script: Any) -> bool:
    # sphinx-thebe 0.3.1 adds its inline configuration twice in a Jupyter Book 1.x build, and the
    # second `const THEBE_JS_URL` is a SyntaxError on every page; its loader script is dead weight.
    body = getattr(script, "attributes", {}).get("body", "") or ""
    return str(script).endswith("sphinx-thebe.js") or "THEBE_JS_URL" in body


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def script_safe_json(text: str) -> str:
    """JSON text that can sit inside <script> whatever its strings hold: `<`, `>` and `&` written as
    \\u escapes, which JSON reads back as the same characters. (myst-nb escapes only a lower-case
    `</script>`; HTML ends the element at `</SCRIPT>` too, and at `</script ` or `</script/`.)
    Outside strings JSON has none of the three, so the text stays valid JSON."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _safe_widget_state(script: Any) -> Any:
    attributes = getattr(script, "attributes", None)
    if not attributes or attributes.get("type") != WIDGET_STATE or not attributes.get("body"):
        return script
    safe = {**attributes, "body": script_safe_json(attributes["body"])}
    return type(script)(script.filename, priority=script.priority, **safe)


def _tidy_page(app, pagename, templatename, context, doctree) -> None:
    if "script_files" in context:
        context["script_files"] = [_safe_widget_state(s) for s in context["script_files"] if not _is_thebe(s)]
    if "body" in context and "doc-biblioentry" in context["body"]:
        # docutils marks a citation list role="list" and its entries with the deprecated
        # role "doc-biblioentry", which assistive technology does not take as list items.
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app) -> dict:
    app.connect("html-page-context", _tidy_page, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
