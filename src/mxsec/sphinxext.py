"""Sphinx extension for the course book: author-year labels in the bibliography, accessible
bibliography markup, no Thebe scripts (the book runs code on Binder or Colab, never in the page),
embedded widget state that no text in it can break out of, and light, valid, accessible pages:

- the course's templates (src/mxsec/templates) drop the theme's Font Awesome script and load the
  search index on the search page only; `_trim_site` then purges the theme's stylesheets of rules
  no page can match and cuts its icon fonts to the glyphs still named (mxsec.pageweight), and
  `render_path` inlines each page's critical CSS and loads the rest, one bundle, and the theme's
  scripts after the first paint;
- every script file is deferred but the small one the inline configuration needs; the scripts and
  stylesheets of features a page does not use (tabs, toggles, copy buttons, Thebe) are left out;
- each page gets a meta description (its first paragraph);
- the page body is made valid HTML with accessible names that contain the visible text: code-cell
  toggles without paragraphs in `<summary>` or a label that hid their text, and the exercises'
  sections without the one id they all shared, and tables' empty corner cells not headers.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path
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
        who = (
            names[0] if len(names) == 1 else " and ".join(names) if len(names) == 2 else f"{names[0]} et al."
        )
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


_VIEW = re.compile(r'<script type="application/vnd\.jupyter\.widget-view\+json">(.*?)</script>', re.S)
_MODEL_REF = re.compile(r'"IPY_MODEL_([^"]+)"')


def shown_models(state_json: str, body: str) -> str:
    """The widget state with only the models the page shows (its views' models and the models they
    refer to): a kernel also holds widgets a notebook made but never displayed."""
    try:
        state = json.loads(state_json)
        wanted = [json.loads(v)["model_id"] for v in _VIEW.findall(body)]
    except (ValueError, KeyError, TypeError):
        return state_json
    models = state.get("state", {})
    keep: set[str] = set()
    while wanted:
        model_id = wanted.pop()
        if model_id in keep or model_id not in models:
            continue
        keep.add(model_id)
        wanted += _MODEL_REF.findall(json.dumps(models[model_id]))
    state["state"] = {k: v for k, v in models.items() if k in keep}
    return json.dumps(state, ensure_ascii=False)


def _safe_widget_state(script: Any, body: str | None = None) -> Any:
    attributes = getattr(script, "attributes", None)
    if not attributes or attributes.get("type") != WIDGET_STATE or not attributes.get("body"):
        return script
    text = attributes["body"] if body is None else shown_models(attributes["body"], body)
    safe = {**attributes, "body": script_safe_json(text)}
    return type(script)(script.filename, priority=script.priority, **safe)


TEMPLATES = Path(__file__).parent / "templates"
# The builders of web pages with the book theme, which the templates and the trimming are for.
WEB_BUILDERS = ("html", "dirhtml", "singlehtml")
# The logo for dark mode, looked for in html_static_path (the course has it in book/static).
DARK_LOGO = "logo-dark.svg"
# Defining DOCUMENTATION_OPTIONS, which the pages' inline scripts set fields of: it stays blocking.
BLOCKING = ("documentation_options.js",)
# Assets of a feature, and what in a page's body shows the feature is used there.
FEATURES = {
    "design-tabs.js": "sd-tab-set",
    "sphinx-design.min.css": "sd-",
    "togglebutton.js": ("toggle", "dropdown"),
    "togglebutton.css": ("toggle", "dropdown"),
    "copybutton.js": 'class="highlight',
    "clipboard.min.js": 'class="highlight',
    "copybutton.css": 'class="highlight',
    "pygments.css": 'class="highlight',
}


def _name(asset: Any) -> str:
    return str(getattr(asset, "filename", asset) or "").rsplit("/", 1)[-1].split("?")[0]


# Inline settings of togglebutton.js, needless where it is not loaded.
_TOGGLE_SETTINGS = re.compile(r"^(let|var) (toggleHint\w+|toggleOpenOnPrint|togglebuttonSelector) = ")


def _used(asset: Any, body: str | None) -> bool:
    """Whether a page needs `asset`: Thebe's never, a feature's only where the body uses it."""
    inline = (getattr(asset, "attributes", None) or {}).get("body") or ""
    if _TOGGLE_SETTINGS.match(inline):
        asset = "togglebutton.js"
    name = _name(asset)
    if name.startswith("sphinx-thebe"):
        return False
    marks = FEATURES.get(name)
    if marks is None or body is None:
        return True
    return any(mark in body for mark in ((marks,) if isinstance(marks, str) else marks))


def _deferred(script: Any) -> Any:
    attributes = getattr(script, "attributes", None)
    if (
        attributes is None
        or not script.filename
        or _name(script) in BLOCKING
        or {"defer", "async"} & set(attributes)
        or attributes.get("type") == "module"
    ):
        return script
    return type(script)(script.filename, priority=script.priority, **{**attributes, "defer": "defer"})


_EMPTY_HEADER = re.compile(r'<th class="head">\s*(?:<p>\s*</p>)?\s*</th>')
_SUMMARY = re.compile(r'<summary aria-label="Toggle hidden content">(.*?)</summary>', re.S)


def _summary(match: re.Match) -> str:
    # myst-nb's code-cell toggle: paragraphs are not allowed in <summary>, and its label ("Toggle
    # hidden content") hid the visible text ("Show code cell source") from its accessible name.
    inner = re.sub(r"<p( [^>]*)?>", r"<span\1>", match.group(1)).replace("</p>", "</span>")
    return f"<summary>{inner}</summary>"


def _unique_exercise_ids(body: str) -> str:
    # sphinx-exercise gives every exercise's content section id="exercise-content".
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        count += 1
        return match.group(0) if count == 1 else f'id="exercise-content-{count}"'

    return re.sub(r'id="exercise-content"', number, body)


def description(doctree: Any, fallback: str) -> str:
    """A page's meta description: its first paragraph of prose (of 40 characters or more, else
    `fallback`), cut at a word near 160 characters."""
    from docutils import nodes

    text = fallback
    if doctree is not None:
        for para in doctree.findall(nodes.paragraph):
            if not any(
                isinstance(a, (nodes.admonition, nodes.citation, nodes.footnote)) for a in _ancestors(para)
            ):
                words = " ".join(para.astext().split())
                if len(words) >= 40:
                    text = words
                    break
    if len(text) > 160:
        text = text[:157].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
    return text


def _ancestors(node: Any):
    while node.parent is not None:
        node = node.parent
        yield node


def _tidy_page(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if "script_files" in context:
        # The search page runs Sphinx's search tools as blocking scripts that need doctools.js: it
        # keeps its scripts as they are.
        defer = _deferred if pagename != "search" else (lambda script: script)
        context["script_files"] = [
            defer(_safe_widget_state(s, body))
            for s in context["script_files"]
            if not _is_thebe(s) and _used(s, body)
        ]
    if "css_files" in context:
        context["css_files"] = [c for c in context["css_files"] if _used(c, body)]
    if body:
        if "doc-biblioentry" in body:
            # docutils marks a citation list role="list" and its entries with the deprecated
            # role "doc-biblioentry", which assistive technology does not take as list items.
            body = body.replace('role="doc-biblioentry"', 'role="listitem"')
        body = _unique_exercise_ids(_SUMMARY.sub(_summary, body))
        # A Markdown table's empty corner cell is a header of nothing: a plain cell says so.
        body = _EMPTY_HEADER.sub('<td class="head"></td>', body)
        context["body"] = body
    title = html.unescape(re.sub(r"<[^>]+>", "", context.get("title") or ""))
    fallback = f"{title} \u2014 {_book_title(app)}".strip(" \u2014")
    context["metatags"] = (context.get("metatags") or "") + (
        f'\n    <meta name="description" content="{html.escape(description(doctree, fallback))}" />'
    )


def _web_pages(app) -> None:
    """For the web builders only (the EPUB has a theme of its own, which these do not fit): the
    course's templates before the theme's; the theme's back-to-top button moved into the sticky
    article header (templates/mxsec-back-to-top.html); no top navbar; a dark-mode logo whose text is
    light. Runs when the builder is made, before the theme reads its options (priority 400 < 500)."""
    if app.builder.name not in WEB_BUILDERS or getattr(app.builder, "templates", None) is None:
        return
    from sphinx.jinja2glue import SphinxFileSystemLoader

    app.builder.templates.loaders.insert(0, SphinxFileSystemLoader(str(TEMPLATES)))
    options = app.builder.theme_options
    options["back_to_top_button"] = False
    start = options.get("article_header_start", ["toggle-primary-sidebar.html"])
    start = [start] if isinstance(start, str) else list(start)
    options["article_header_start"] = [*start, "mxsec-back-to-top.html"]
    # No top navbar: it held only a second search field, and its hidden sidebar toggles came first
    # in the page, so the themes' scripts wired those and the article header's visible toggles
    # (site navigation, contents) did nothing on a phone.
    options.setdefault("navbar_persistent", [])
    if any((Path(app.confdir) / d / DARK_LOGO).is_file() for d in app.config.html_static_path):
        options["logo"] = {**(options.get("logo") or {}), "image_dark": DARK_LOGO}


def _book_title(app) -> str:
    # Jupyter Book puts the book's title in html_title; `project` keeps Sphinx's placeholder.
    config = getattr(app, "config", None)
    return (getattr(config, "html_title", None) or getattr(config, "project", None) or "") if config else ""


def _index_page(app, exception) -> None:
    """The site's index.html, which sends the reader to the book's first page, as a valid HTML page
    with a title and a link (sphinx-external-toc writes a bare <meta> tag when there is none)."""
    if exception is not None or app.builder.name not in ("html", "dirhtml") or app.config.root_doc == "index":
        return
    target = html.escape(app.builder.get_target_uri(app.config.root_doc))
    title = html.escape(_book_title(app) or "Home")
    language = html.escape(app.config.language or "en")
    (Path(app.outdir) / "index.html").write_text(
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n<link rel="canonical" href="{target}">\n</head>\n'
        f'<body>\n<main>\n<p><a href="{target}">{title}</a></p>\n</main>\n</body>\n</html>\n',
        encoding="utf-8",
    )


def _note_read_notebooks(app, docname: str, source: list[str]) -> None:
    """A notebook page whose metadata lists `mxsec.reads` (patterns under the source folder, such as
    "exercises/*.ipynb") is read again when one of those files changes, as for an included file; its
    own metadata should also ask myst-nb to execute it afresh (`mystnb.execution_mode: force`)."""
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".ipynb":
        return
    try:
        reads = json.loads(source[0]).get("metadata", {}).get("mxsec", {}).get("reads", [])
    except (ValueError, AttributeError):
        return
    for pattern in reads:
        for found in sorted(Path(app.srcdir).glob(pattern)):
            app.env.note_dependency(str(found))


def _finish_site(app, exception) -> None:
    """The theme's stylesheets and icon fonts trimmed (every web build); then, for the site's pages
    (not the single page the PDF prints), no stylesheet or script in the way of the first paint:
    critical CSS inlined, the rest bundled and loaded after it (mxsec.pageweight.render_path)."""
    from .pageweight import render_path, trim_site

    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    trim_site(app)
    if app.builder.name in ("html", "dirhtml"):
        render_path(Path(app.outdir))


def _page_assets(app, config) -> None:
    """`mxsec_page_assets`: a digest of what the render path reads besides a page (the static files,
    the templates, this package's page code and the themes' versions). It is an HTML config value, so
    Sphinx rewrites every page when it changes: no page keeps a bundle or critical CSS made from
    stylesheets since changed."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    package = Path(__file__).parent
    folders = [Path(app.confdir) / d for d in config.html_static_path] + [package / "templates"]
    files = [f for d in folders if d.is_dir() for f in sorted(d.rglob("*")) if f.is_file()]
    for path in [*files, package / "pageweight.py", package / "sphinxext.py"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for theme in ("pydata-sphinx-theme", "sphinx-book-theme"):
        try:
            digest.update(f"{theme}={version(theme)}".encode())
        except PackageNotFoundError:
            pass
    config.mxsec_page_assets = digest.hexdigest()


def setup(app) -> dict:
    app.add_config_value("mxsec_page_assets", "", "html")
    app.connect("config-inited", _page_assets)
    app.connect("source-read", _note_read_notebooks)
    app.connect("builder-inited", _web_pages, priority=400)
    app.connect("html-page-context", _tidy_page, priority=900)
    # Before sphinx-external-toc's handler (priority 500), which then leaves index.html alone.
    app.connect("build-finished", _index_page, priority=400)
    # After the theme's own build-finished handlers (priority 500), which rewrite pygments.css with its
    # light and dark rules: the bundle is made of the files as they are served.
    app.connect("build-finished", _finish_site, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
