"""The build-time trimming of the theme's assets (mxsec.pageweight) and the page fixes of
mxsec.sphinxext, on small inputs written here."""

from __future__ import annotations

import json
import re
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


# ------------------------------------------------------------------ the render path
def test_matching_form_disregards_states_pseudo_elements_and_colour_modes():
    form = pageweight.matching_form
    assert form("a:hover") == "a"
    assert form(".btn:focus-visible::after") == ".btn"
    assert form("html[data-theme=dark] .note") == "html .note"
    assert form("button:not(:focus-visible)") == "button"
    assert form(".x:has(:focus-visible) .y") == ".x .y"
    assert form("li:first-child>a") == "li:first-child>a"  # a structural pseudo-class stays


BUNDLE_CSS = """.shown{color:var(--ink);--unused:1px;--ink:var(--base);--base:#111;transition:opacity 1s "0s"}
.absent{color:red}
a:hover,.absent a{color:blue}
html[data-theme=dark] .shown{color:white}
@media (min-width:960px){.shown{margin:0}.absent{margin:1px}}
@media print{.shown{display:none}}
@font-face{font-family:Icons;src:url(../fonts/i.woff)}
.shown:before{content:"\\f00c"}
"""


def test_critical_css_keeps_what_the_page_shows_in_order_with_the_variables_it_uses():
    page = '<html><body><p class="shown"><a href="#">x</a></p></body></html>'
    out = pageweight.critical_css(BUNDLE_CSS, pageweight.page_matcher(page))
    assert ".absent" not in out and "red" not in out
    assert "transition" not in out  # invalid (a time as a string): browsers drop it, and so does this
    assert ".shown{color:var(--ink);--ink:var(--base);--base:#111}" in out  # --unused dropped
    assert "a:hover{color:blue}" in out  # the hover state of a link the page has
    assert "html[data-theme=dark] .shown{color:white}" in out  # both colour modes
    assert "@media (min-width:960px){.shown{margin:0}}" in out
    assert "display:none" not in out  # print-only rules wait for the bundle
    assert "@font-face" in out and '.shown:before{content:"\uf00c"}' in out
    assert out.index(".shown{") < out.index("html[data-theme=dark]") < out.index("@media")


def test_the_first_screen_is_the_page_with_its_article_cut():
    filler = "<p>" + "word " * 400 + "</p>"
    page = (
        f'<html><body><nav class="n"></nav><article>{filler * 3}<p class="late">x</p></article></body></html>'
    )
    screen = pageweight.first_screen(page)
    assert 'class="n"' in screen and 'class="late"' not in screen
    matches = pageweight.page_matcher(page)
    assert matches(".n") and not matches(".late")


def test_rebase_urls_points_from_the_new_folder():
    css = "a{background:url(file.png)}b{background:url('../x/y.woff')}c{background:url(data:image/png;base64,AA)}"
    out = pageweight.rebase_urls(css, "_static/styles", "book")
    assert "url(../_static/styles/file.png)" in out and "url(../_static/x/y.woff)" in out
    assert "url(data:image/png;base64,AA)" in out


def test_render_path_inlines_the_critical_css_and_loads_the_rest_after_the_first_paint(tmp_path):
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "styles" / "theme.css").write_text(".shown{color:red}.absent{color:blue}", encoding="utf-8")
    (static / "own.css").write_text(".shown{background:url(bg.png)}", encoding="utf-8")
    (static / "print.css").write_text(".shown{color:black}", encoding="utf-8")
    (static / "documentation_options.js").write_text("const DOCUMENTATION_OPTIONS = {};", encoding="utf-8")
    (tmp_path / "book").mkdir()
    page = tmp_path / "book" / "page.html"
    text = (
        "<html><head>\n"
        '<link href="../_static/styles/theme.css" rel="stylesheet" />\n'
        '<link rel="stylesheet" type="text/css" href="../_static/own.css?v=1" />\n'
        '<link media="print" rel="stylesheet" type="text/css" href="../_static/print.css" />\n'
        '<script src="../_static/documentation_options.js?v=2"></script>\n'
        '<script defer="defer" src="../_static/doctools.js?v=3"></script>\n'
        '<script defer="defer" src="../_static/mxsec-embed.js"></script>\n'
        "</head><body><article>"
        + '<p class="shown">'
        + "text " * 800
        + "</p>"
        + '<img src="late.png" alt="a chart" /></article>'
        '<script defer src="../_static/scripts/bootstrap.js?digest=4"></script>\n'
        "</body></html>"
    )
    page.write_text(text, encoding="utf-8")
    pageweight.render_path(tmp_path)
    out = page.read_text(encoding="utf-8")
    assert "<link" not in out.split("<noscript>")[0]  # no stylesheet link before the fallback
    bundle = re.search(
        r'<noscript><link rel="stylesheet" href="(\.\./_static/styles/mxsec-[0-9a-f]+\.css)"', out
    )
    assert bundle
    css = (page.parent / bundle.group(1)).read_text(encoding="utf-8")
    assert (
        css.index(".shown{color:red}")
        < css.index("url(../bg.png)")
        < css.index("@media print{.shown{color:black}}")
    )
    critical = re.search(r'<style id="mxsec-critical">(.*?)</style>', out, re.S).group(1)
    assert ".shown{color:red}" in critical and ".absent" not in critical and "color:black" not in critical
    assert "url(../_static/bg.png)" in critical  # pointing from the page's folder
    assert "<script>const DOCUMENTATION_OPTIONS = {};</script>" in out
    scripts = json.loads(re.search(r"scripts = (\[.*?\]);", out).group(1))
    assert scripts == [
        "../_static/doctools.js?v=3",
        "../_static/mxsec-embed.js",
        "../_static/scripts/bootstrap.js?digest=4",
    ]
    assert 'src="../_static/doctools.js' not in out and 'src="../_static/mxsec-embed.js"' not in out
    assert '<img loading="lazy" src="late.png"' in out


def test_render_path_ships_only_the_bundles_a_page_names(tmp_path):
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "theme.css").write_text(".shown{color:red}", encoding="utf-8")
    stale = static / "styles" / "mxsec-000000000000.css"
    stale.write_text(".old{color:red}", encoding="utf-8")
    # A page an earlier build rewrote and this build left alone keeps its bundle.
    kept = static / "styles" / "mxsec-111111111111.css"
    kept.write_text(".kept{color:red}", encoding="utf-8")
    (tmp_path / "old.html").write_text(
        '<html><head><style id="mxsec-critical">.kept{color:red}</style>'
        '<noscript><link rel="stylesheet" href="_static/styles/mxsec-111111111111.css" /></noscript>'
        "</head><body></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "page.html").write_text(
        '<html><head>\n<link rel="stylesheet" href="_static/theme.css" />\n</head>'
        '<body><p class="shown">text</p></body></html>',
        encoding="utf-8",
    )
    pageweight.render_path(tmp_path)
    left = sorted(p.name for p in (static / "styles").glob("mxsec-*.css"))
    assert len(left) == 2 and kept.name in left and stale.name not in left
    # ... and is not rewritten again
    assert "_static/styles/mxsec-111111111111.css" in (tmp_path / "old.html").read_text(encoding="utf-8")
    (new,) = [name for name in left if name != kept.name]
    assert new in (tmp_path / "page.html").read_text(encoding="utf-8")
