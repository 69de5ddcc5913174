"""Notebook output is safe and reproducible: data text escaped in Styler tables and Markdown, the
embedded widget state unable to close its script element, and ids the same on every run."""

from __future__ import annotations

import html
import json
import subprocess
import sys

import pytest
from markdown_it import MarkdownIt

import mxsec  # noqa: F401 - importing the package sets up the output
from mxsec.output import html_text, md
from mxsec.sphinxext import WIDGET_STATE, _tidy_page, script_safe_json

PAYLOADS = [
    "</SCRIPT>",
    "</script >",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "&amp;",
    "&lt;b&gt;",
    "*em* _em_ **strong** `code` [link](http://x) ![img](x) <http://x>",
    "$x^2$ {role}`x` :::",
    "# heading",
    "1. list",
    "- item",
    "> quote",
    "\\*not\\*",
    "a\n\n    code",
    "line\n===",
    'Mexico\'s "war" -- 50% off ~~struck~~ | table |',
]


def shown(markdown: str) -> str:
    """The text CommonMark shows for `markdown` (tags dropped, entities decoded)."""
    rendered = MarkdownIt("commonmark").render(markdown)
    assert "<" not in rendered.replace("<p>", "").replace("</p>", ""), rendered
    return html.unescape(rendered.replace("<p>", "").replace("</p>", "")).strip()


@pytest.mark.parametrize("text", PAYLOADS)
def test_md_text_shows_exactly_as_written(text):
    assert shown(md(text)) == " ".join(text.split())
    assert shown(f"Prompt: {md(text)}") == "Prompt: " + " ".join(text.split())


def test_html_text_escapes_for_text_and_attributes():
    assert html_text('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"


# ------------------------------------------------------------------ pandas Styler
def frame():
    import pandas as pd

    return pd.DataFrame(
        {"<b>column</b>": ["X <img src=x onerror=alert(1)>", "&amp;"], "n": [1, 2]},
        index=["<i>row</i>", "plain"],
    )


def test_styler_escapes_cells_labels_and_caption():
    page = frame().style.set_caption("Caption <script>alert(1)</script>").to_html()
    for raw in ("<img", "<b>", "<i>", "<script>"):
        assert raw not in page
    for escaped in (
        "X &lt;img src=x onerror=alert(1)&gt;",
        "&amp;amp;",
        "&lt;b&gt;column&lt;/b&gt;",
        "&lt;i&gt;row&lt;/i&gt;",
        "<caption>Caption &lt;script&gt;",
    ):
        assert escaped in page, escaped
    assert "&lt;img" in frame().style.to_html(
        caption="<i>"
    ) and "<caption>&lt;i&gt;</caption>" in frame().style.to_html(caption="<i>")


def test_styler_keeps_escaping_after_format_unless_told_not_to():
    styled = frame().style.format("{}", subset=["<b>column</b>"]).format_index("[{}]", axis=1)
    page = styled.to_html()
    assert "<img" not in page and "[&lt;b&gt;column&lt;/b&gt;]" in page
    assert "<img src=x" in frame().style.format(escape=False).to_html()


def test_styler_ids_are_stable_and_distinct():
    first, again = frame().style, frame().style
    assert first.uuid != again.uuid  # the same table twice on a page
    assert first.uuid.startswith("mxsec") and f'id="T_{first.uuid}"' in first.to_html()
    assert frame().style.set_uuid("mine").uuid == "mine"


# ------------------------------------------------------------------ ids across runs
IDS = """
import sys
if sys.argv[1] == "pandas-first":
    import pandas, ipywidgets
import mxsec
import pandas as pd, ipywidgets as w
from mxsec.widgets import SelfCheck
q = [{"id": "q", "type": "single", "prompt": "P?", "explanation": "E.",
      "options": [{"text": "a", "correct": True}, {"text": "b", "correct": False}]}]
widgets = [w.IntSlider(), w.IntSlider(), SelfCheck(q), SelfCheck(q), w.IntSlider(value=3), w.Image(value=b"png")]
ids = [x.model_id for x in widgets] + [x.layout.model_id for x in widgets]
ids += [pd.DataFrame({"a": [1]}).style.uuid, pd.DataFrame({"a": [1]}).style.uuid, pd.DataFrame({"a": [2]}).style.uuid]
print(" ".join(ids))
"""


def run_ids(order: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", IDS, order], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout.split()


def test_widget_and_table_ids_are_the_same_in_every_run_and_never_shared():
    first = run_ids("mxsec-first")
    assert first == run_ids("mxsec-first") == run_ids("pandas-first")
    assert len(set(first)) == len(first)


# ------------------------------------------------------------------ the widget state in the page
def test_script_safe_json_reads_back_the_same_and_cannot_end_a_script():
    state = {"state": {"m": {"label": "</SCRIPT><!--<script>&amp;\u2028", "n": [1, 2.5, None, True]}}}
    text = json.dumps(state).replace("</script>", r"<\/script>")  # as myst-nb writes it
    safe = script_safe_json(text)
    assert json.loads(safe) == state
    assert not set("<>&") & set(safe)


def test_the_extension_rewrites_the_pages_widget_state():
    from sphinx.builders.html._assets import _JavaScript

    body = json.dumps({"state": {"m": {"label": "x </SCRIPT><img src=x onerror=alert(1)>"}}})
    context = {
        "script_files": [
            _JavaScript("_static/a.js"),
            _JavaScript(None, type=WIDGET_STATE, body=body, priority=400),
        ]
    }
    _tidy_page(None, "page", "page.html", context, None)
    plain, state = context["script_files"]
    assert plain.filename == "_static/a.js"
    assert state.priority == 400 and state.attributes["type"] == WIDGET_STATE
    assert "<" not in state.attributes["body"] and json.loads(state.attributes["body"]) == json.loads(body)
