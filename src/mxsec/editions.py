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

import importlib.metadata
import json
import re
from pathlib import Path
from typing import Any

import yaml
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
# What the EPUB leaves out of the site's static files: the live widgets' code and styles and the
# print stylesheet (page margin boxes, which EPUB's CSS profile does not have).
WIDGET_STATIC = Path(__file__).resolve().parent / "static"
EPUB_LEFT_OUT = tuple(sorted(p.name for p in WIDGET_STATIC.iterdir() if p.is_file() and p.name not in CSS))
_VIEW_JSON = re.compile(r"<script[^>]*>(.*)</script>\s*$", re.S)


def _is_widget_bundle(node: Any) -> bool:
    return (
        isinstance(node, nodes.container)
        and node.get("nb_element") == "mime_bundle"
        and any(child.get("mime_type") == VIEW for child in node.children)
    )


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
            logger.warning(
                f"{where}: no saved state, so no static form (save the notebook's widget state)",
                location=bundle,
                type="mxsec",
                subtype="static_form",
            )
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
                    'class="mxsec-answers"', 'class="mxsec-answers mxsec-live"', 1
                )
            node.children = [nodes.Text(html)]
        if self.app.builder.name == "epub":
            # EPUB's XHTML allows no <style> in the body (pandas writes one before each table).
            for node in list(self.document.findall(nodes.raw)):
                if "html" in node.get("format", "") and "<style" in node.astext():
                    node.children = [
                        nodes.Text(re.sub(r"<style\b.*?</style>", "", node.astext(), flags=re.S))
                    ]
        if not live:
            for bundle in list(self.document.findall(_is_widget_bundle)):
                bundle.parent.remove(bundle)
            # Code a web page folds away ("Show code cell source") is left out of paper and e-books.
            for cell in self.document.findall(nodes.container):
                if cell.get("nb_element") == "cell_code" and cell.get("hide_mode"):
                    if cell["hide_mode"] in ("input", "input+output", "all"):
                        cell.children = [
                            c for c in cell.children if c.get("nb_element") != "cell_code_source"
                        ]
                    cell["hide_mode"] = None


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def _tidy_page(app, pagename, templatename, context, doctree) -> None:
    """Pages of builders without live widgets load neither the widgets' state nor their loader.
    EPUB pages also link only stylesheets the EPUB lists (myst-nb and sphinx-exercise copy theirs
    after the EPUB's manifest is written) and repeat no id (sphinx-exercise gives every exercise
    id="exercise-content")."""
    if app.builder.name in LIVE:
        return
    if "script_files" in context:
        context["script_files"] = [
            s
            for s in context["script_files"]
            if getattr(s, "attributes", {}).get("type") != STATE and not str(s).endswith(LOADER)
        ]
    if app.builder.name == "epub":
        context["script_files"] = []  # an e-book page runs no script (the web's search, theme, Thebe)
        if "css_files" in context:
            shipped = _static_names(app) - set(EPUB_LEFT_OUT)
            context["css_files"] = [
                c for c in context["css_files"] if Path(str(c).split("?")[0]).name in shipped
            ]
        if "body" in context:
            count = iter(range(2, 10_000))
            context["body"] = re.sub(
                r'id="exercise-content"', lambda m: f'id="exercise-content-{next(count)}"', context["body"]
            ).replace('id="exercise-content-2"', 'id="exercise-content"', 1)


def _no_scripts(app, doctree, docname) -> None:
    """doctree-resolved: pages without live widgets carry no script that an extension put in the
    text (sphinx-thebe's configuration)."""
    if app.builder.name in LIVE:
        return
    for node in list(doctree.findall(nodes.raw)):
        if "html" in node.get("format", "") and "<script" in node.astext():
            text = re.sub(r"<script\b.*?</script>", "", node.astext(), flags=re.S)
            if text.strip():
                node.children = [nodes.Text(text)]
            else:
                node.parent.remove(node)


def _static_names(app) -> set[str]:
    """Names of the files Sphinx copies into _static from the theme and html_static_path."""
    folders = [Path(app.confdir, p) for p in app.config.html_static_path]
    theme = getattr(app.builder, "theme", None)
    if theme is not None:
        folders += [Path(d, "static") for d in theme.get_theme_dirs()]
    return {f.name.removesuffix("_t") for d in folders if d.is_dir() for f in d.rglob("*") if f.is_file()}


def _epub_metadata(app, config) -> None:
    """The EPUB's title, file name, identifier and version, from the book's own configuration."""
    title = config.html_title or config.project
    if config.epub_title in ("", config.project):
        config.epub_title = title
    book = Path(app.srcdir, "_config.yml")
    repository = ""
    if book.is_file():
        repository = (
            (yaml.safe_load(book.read_text(encoding="utf-8")) or {}).get("repository", {}).get("url", "")
        )
    if repository:
        config.epub_basename = repository.rstrip("/").rsplit("/", 1)[-1]
    config.epub_exclude_files = [*config.epub_exclude_files, *(f"_static/{name}" for name in EPUB_LEFT_OUT)]
    if not config.version:
        try:
            config.version = importlib.metadata.version("mxsec")
        except importlib.metadata.PackageNotFoundError:
            pass


def setup(app) -> dict:
    app.connect("doctree-read", add_static_forms)
    app.add_post_transform(WriteStaticForms)
    app.connect("html-page-context", _tidy_page, priority=950)
    app.connect("config-inited", _epub_metadata)
    app.connect("doctree-resolved", _no_scripts, priority=900)
    for name in CSS:
        app.add_css_file(name)
    app.add_css_file(PRINT_CSS, media="print")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
