"""Sphinx extension for the book on paper, in e-readers and without JavaScript.

- Every course widget gets its static form (mxsec.widgets.static_form), rendered from the state the
  notebook saved for it, just before the widget's view in the page; what the widget shows only
  after an answer (the survey's order, the paper's categories, the self-checks' answers and
  explanations) is gathered at the end of the chapter.
- The web pages (builders in LIVE) keep the live widgets: with scripting on, the screen shows the
  live widget and hides the static form and the answers (mxsec-static.css), unless the widget could
  not be shown (mxsec-embed.js marks its form data-mxsec-failed). Print always shows the static forms
  (mxsec-print.css, also the stylesheet of the PDF edition).
- Every other builder (singlehtml for the PDF, epub) gets the static forms only: the widgets' views,
  their saved state and the loader are left out, so nothing in them needs a script.
"""

from __future__ import annotations

import json
import re
from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from .widgets.static_form import answers_section, is_course_widget, render, shift_headings

logger = logging.getLogger(__name__)

VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"
LIVE = {"html", "dirhtml"}  # builders whose pages run the live widgets
LOADER = "mxsec-embed.js"
CSS = ("mxsec-static.css",)
PRINT_CSS = "mxsec-print.css"
_VIEW_JSON = re.compile(r"<script[^>]*>(.*)</script>\s*$", re.S)


def _is_widget_bundle(node: Any) -> bool:
    return (isinstance(node, nodes.container) and node.get("nb_element") == "mime_bundle"
            and any(child.get("mime_type") == VIEW for child in node.children))


def _model_id(bundle: nodes.container) -> str | None:
    for child in bundle.children:
        if child.get("mime_type") == VIEW:
            match = _VIEW_JSON.match(child.astext().strip())
            if match:
                return json.loads(match.group(1).replace("<\\/", "</")).get("model_id")
    return None


def _saved_state(env, docname: str) -> dict:
    """The widget models myst-nb keeps for the page (from the notebook's metadata), by model id."""
    entry = getattr(env, "nb_metadata", {}).get(docname, {}).get("js_files", {}).get("ipywidgets_state")
    if not entry:
        return {}
    return json.loads(entry[1]["body"]).get("state", {})


def _slug(docname: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", docname.lower()).strip("-")


def _raw(html: str) -> nodes.raw:
    node = nodes.raw("", html, format="html")
    node["mxsec_static"] = html  # headings at h1; shifted to the section's depth when written
    return node


def add_static_forms(app, doctree: nodes.document) -> None:
    """doctree-read: a static form before each course widget, the answers at the chapter's end."""
    docname = app.env.docname
    bundles = list(doctree.findall(_is_widget_bundle))
    if not bundles:
        return
    states = _saved_state(app.env, docname)
    answers = []
    for n, bundle in enumerate(bundles, start=1):
        model_id = _model_id(bundle)
        where = f"{app.env.doc2path(docname, False)}, widget {n} (model {model_id})"
        entry = states.get(model_id or "")
        if entry is None:
            logger.warning(f"{where}: no saved state, so no static form (save the notebook's widget state)",
                           location=bundle, type="mxsec", subtype="static_form")
            continue
        if not is_course_widget(entry.get("state")):
            continue  # not one of the course's widgets: the loader explains it needs a kernel
        try:
            form = render(entry["state"], id=f"mxsec-{_slug(docname)}-{n}", where=where)
        except ValueError as err:
            logger.warning(str(err), location=bundle, type="mxsec", subtype="static_form")
            continue
        bundle.parent.insert(bundle.parent.index(bundle), _raw(form.form))
        if form.answers:
            answers.append(form.answers)
    if answers:
        chapter = next(iter(doctree.findall(nodes.section)), doctree)
        chapter.append(_raw(answers_section(answers, id=f"mxsec-{_slug(docname)}-answers")))


class WriteStaticForms(SphinxPostTransform):
    """Per builder: headings of the static forms at their section's depth; on pages without live
    widgets, the widgets' views left out (their text/plain fallback would show a Python repr)."""

    default_priority = 3  # before myst-nb picks one output of each mime bundle (SelectMimeType, 4)

    def run(self, **kwargs: Any) -> None:
        live = self.app.builder.name in LIVE
        for node in list(self.document.findall(nodes.raw)):
            html = node.get("mxsec_static")
            if html is None:
                continue
            depth = sum(isinstance(a, nodes.section) for a in _ancestors(node))
            html = shift_headings(html, max(depth, 1))
            if live:
                html = html.replace('class="mxsec-static ', 'class="mxsec-static mxsec-live ', 1).replace(
                    'class="mxsec-answers"', 'class="mxsec-answers mxsec-live"', 1)
            node.children = [nodes.Text(html)]
        if not live:
            for bundle in list(self.document.findall(_is_widget_bundle)):
                bundle.parent.remove(bundle)


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def _tidy_page(app, pagename, templatename, context, doctree) -> None:
    """Pages of builders without live widgets load neither the widgets' state nor their loader."""
    if app.builder.name in LIVE or "script_files" not in context:
        return
    context["script_files"] = [s for s in context["script_files"]
                               if getattr(s, "attributes", {}).get("type") != STATE
                               and not str(s).endswith(LOADER)]


def setup(app) -> dict:
    app.connect("doctree-read", add_static_forms)
    app.add_post_transform(WriteStaticForms)
    app.connect("html-page-context", _tidy_page, priority=950)
    for name in CSS:
        app.add_css_file(name)
    app.add_css_file(PRINT_CSS, media="print")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
