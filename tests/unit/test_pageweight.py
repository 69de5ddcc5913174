"""The build-time trimming of the theme's assets (mxsec.pageweight) and the page fixes of
mxsec.sphinxext, on small inputs written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from mxsec import pageweight, sphinxext

CSS = """@charset "UTF-8";
.used{color:red}
.unused{color:blue}
.used .unused-child{color:green}
.used,.unused{margin:0}
.used:not(.never-on-a-page){padding:0}
#used-id{top:0}
#unused-id{top:1px}
a:hover,p{color:black}
@media (min-width:40em){.used{color:pink}.unused{color:gray}}
@media print{.unused{display:none}}
@font-face{font-family:Some Font;src:url(x.woff2)}
:root{--icon:"\\f185"}
.used:before{content:"\uf058"}
"""


def test_purge_keeps_rules_whose_classes_and_ids_occur_and_drops_the_rest():
    out = pageweight.purge_css(CSS, {"used", "used-id"})
    assert ".used{color:red}" in out
    assert ".unused{color:blue}" not in out and ".unused-child" not in out
    assert ".used{margin:0}" in out  # the used selector of a list stays
    assert ".used:not(.never-on-a-page){padding:0}" in out  # a class under :not() is not required
    assert "#used-id{top:0}" in out and "#unused-id" not in out
    assert "a:hover,p{color:black}" in out  # no class, no id: always kept
    assert "@media (min-width:40em){.used{color:pink}}" in out
    assert "@media print" not in out  # an @media left empty goes
    assert out.startswith('@charset "UTF-8";') and "@font-face" in out


def test_purge_hands_each_font_face_to_the_callback():
    faces = []
    out = pageweight.purge_css(CSS, {"used"}, font_face=lambda rule: faces.append(rule) or "/*face*/")
    assert len(faces) == 1 and pageweight._font_family(faces[0]) == "Some Font"
    assert "/*face*/" in out and "x.woff2" not in out


def test_glyphs_reads_private_use_characters_and_escapes():
    assert pageweight.glyphs(CSS) == {0xF185, 0xF058}


def test_subset_font_keeps_only_the_glyphs_asked_for():
    import matplotlib

    source = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    data = pageweight.subset_font(source, {ord("A"), ord("B")})
    assert data[:4] == b"wOFF" and len(data) < source.stat().st_size / 20
    import io

    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    assert set(cmap) == {ord("A"), ord("B")}


def test_subset_font_gives_the_same_bytes_at_any_time(monkeypatch):
    """fontTools stamps the current time into head.modified unless told not to, so two builds
    a second apart would publish different font files."""
    import time

    import matplotlib

    source = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    first = pageweight.subset_font(source, {ord("A")})
    later = time.time() + 86400 * 365
    monkeypatch.setattr(time, "time", lambda: later)
    assert pageweight.subset_font(source, {ord("A")}) == first


def test_only_the_models_a_page_shows_stay_in_its_widget_state():
    state = {
        "version_major": 2,
        "version_minor": 0,
        "state": {
            "shown": {"model_name": "AnyModel", "state": {"layout": "IPY_MODEL_lay1"}},
            "lay1": {"model_name": "LayoutModel", "state": {}},
            "hidden": {"model_name": "AnyModel", "state": {"layout": "IPY_MODEL_lay2"}},
            "lay2": {"model_name": "LayoutModel", "state": {}},
        },
    }
    body = '<p>x</p><script type="application/vnd.jupyter.widget-view+json">{"model_id": "shown"}</script>'
    kept = json.loads(sphinxext.shown_models(json.dumps(state), body))
    assert set(kept["state"]) == {"shown", "lay1"}
    assert kept["version_major"] == 2
    # Text that is not JSON is left as it is.
    assert sphinxext.shown_models("not json", body) == "not json"


def test_code_toggles_lose_their_paragraphs_and_their_hiding_label():
    body = (
        '<details class="hide above-input">\n<summary aria-label="Toggle hidden content">\n'
        '<p class="collapsed admonition-title">Show code cell source</p>\n'
        '<p class="expanded admonition-title">Hide code cell source</p>\n</summary>'
    )
    out = sphinxext._SUMMARY.sub(sphinxext._summary, body)
    assert "<p" not in out and "aria-label" not in out
    assert '<span class="collapsed admonition-title">Show code cell source</span>' in out


def test_exercise_sections_get_ids_of_their_own():
    body = '<section id="exercise-content">a</section><section id="exercise-content">b</section>' * 2
    out = sphinxext._unique_exercise_ids(body)
    ids = [part.split('"')[1] for part in out.split("id=")[1:]]
    assert ids == ["exercise-content", "exercise-content-2", "exercise-content-3", "exercise-content-4"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Short.", "Fallback"),
        (
            "A first paragraph long enough to describe the page, with more words after it.",
            "A first paragraph long enough to describe the page, with more words after it.",
        ),
        ("word " * 60, ("word " * 31).strip() + "\u2026"),
    ],
)
def test_description_is_the_first_paragraph_cut_at_a_word(text, expected):
    from docutils import nodes

    doc = nodes.document(None, None)
    doc += nodes.paragraph(text=text)
    assert sphinxext.description(doc, "Fallback") == expected
    assert len(sphinxext.description(doc, "Fallback")) <= 160
