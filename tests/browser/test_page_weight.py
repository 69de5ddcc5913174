"""What a page of the published book costs a reader on a capped data plan: every page loads at most
1 MB (the widgets' share under 150 KB) with no Font Awesome script and no icon font beyond a subset,
the search index only on the search page, no render-blocking script but the tiny one the inline
settings need, and a meta description. Sizes, never times: speed is benchmarks/lighthouse.py's."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont

from common import chapters

PAGES = chapters()
PAGE_LIMIT = 1024 * 1024
WIDGET_LIMIT = 150 * 1024
FONT_LIMIT = 10 * 1024
# The one script left blocking: it defines DOCUMENTATION_OPTIONS, which inline settings then set.
BLOCKING = {"documentation_options.js"}


def loaded(web, docname: str) -> dict[str, int]:
    """Every response the page loads (cache off), by URL path, with its body size in bytes."""
    sizes: dict[str, int] = {}
    web.page.on(
        "requestfinished",
        lambda req: sizes.__setitem__(
            req.url.split("/", 3)[3].split("?")[0], req.sizes()["responseBodySize"]
        ),
    )
    page = web.open(f"{docname}.html")
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if views:
        web.wait_for_widgets(views)
    page.wait_for_load_state("networkidle")
    return sizes


def widget_bytes(html: str, loader: int) -> int:
    scripts = re.findall(
        r'<script type="application/vnd\.jupyter\.widget-(?:state|view)\+json">.*?</script>', html, re.S
    )
    return sum(len(s.encode()) for s in scripts) + (loader if scripts else 0)


@pytest.mark.parametrize("docname", PAGES)
def test_page_loads_at_most_1_mb_with_no_icon_script_and_no_search_index(web, site_root, docname):
    sizes = loaded(web, docname)
    assert sum(sizes.values()) <= PAGE_LIMIT, sorted(sizes.items(), key=lambda kv: -kv[1])[:8]
    assert not [u for u in sizes if "fontawesome" in u and u.endswith(".js")]
    assert not [u for u in sizes if re.search(r"search(index|tools)\.js$", u)]
    fonts = {u: n for u, n in sizes.items() if re.search(r"\.(woff2?|ttf|otf)$", u)}
    assert all(n <= FONT_LIMIT for n in fonts.values()), fonts
    html = (site_root / f"{docname}.html").read_text(encoding="utf-8")
    loader = (site_root / "_static" / "mxsec-embed.js").stat().st_size
    assert widget_bytes(html, loader) <= WIDGET_LIMIT


def head_of(site_root, name: str) -> BeautifulSoup:
    return BeautifulSoup((site_root / name).read_text(encoding="utf-8"), "html.parser").head


@pytest.mark.parametrize("docname", PAGES)
def test_scripts_do_not_block_rendering_and_the_page_has_a_description(site_root, docname):
    head = head_of(site_root, f"{docname}.html")
    blocking = [
        s["src"]
        for s in head.find_all("script", src=True)
        if not (s.has_attr("defer") or s.has_attr("async") or s.get("type") == "module")
    ]
    assert {b.rsplit("/", 1)[-1].split("?")[0] for b in blocking} <= BLOCKING, blocking
    assert not head.find("link", rel="preload")
    description = head.find("meta", attrs={"name": "description"})
    assert description and len(description["content"]) >= 40, docname


def test_only_the_search_page_loads_the_search_index(site_root):
    search = head_of(site_root, "search.html").parent
    assert search.find("script", src=re.compile(r"searchindex\.js"))
    for docname in PAGES:
        assert "searchindex.js" not in (site_root / f"{docname}.html").read_text(encoding="utf-8"), docname


def test_every_icon_a_page_names_is_in_the_icon_font_subset(site_root):
    """The header's icons and the admonitions' icons come from a subset of the theme's Font Awesome
    fonts: each icon class used on a page, and each icon the kept rules name, has its glyph there."""
    static = site_root / "_static"
    assert not list(static.rglob("fontawesome.js")), "the icon script is shipped but loaded by no page"
    css = (static / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    used = set()
    for path in site_root.rglob("*.html"):
        # the markup's icon classes, not the words of a page's inline critical CSS
        markup = re.sub(r"<style\b.*?</style>", "", path.read_text(encoding="utf-8"), flags=re.S)
        used |= set(re.findall(r"\bfa-(?!solid\b|regular\b|brands\b|lg\b)[a-z0-9-]+", markup))
    assert {"fa-magnifying-glass", "fa-bars", "fa-arrow-up"} <= used
    fonts = {p.name: TTFont(str(p)) for p in static.rglob("*.woff")}
    assert fonts and all(p.stat().st_size <= FONT_LIMIT for p in static.rglob("*.woff"))
    assert not list(static.rglob("*.woff2")) and not list(static.rglob("fa-*.ttf"))
    solid = fonts["fa-solid-900.subset.woff"].getBestCmap()
    for icon in sorted(used):
        rule = re.search(r"\." + re.escape(icon) + r":before\{content:\"(.)\"", css)
        assert rule, f"{icon}: no rule for it in the theme's stylesheet"
        assert ord(rule.group(1)) in solid, f"{icon}: glyph U+{ord(rule.group(1)):04X} not in the subset"
    note_icon = re.search(r"--pst-icon-info-circle:\"(.)\"", css)
    assert note_icon and ord(note_icon.group(1)) in solid


def test_stylesheets_are_purged_but_keep_the_states_scripts_switch_on(site_root):
    css = (site_root / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    assert len(css.encode()) < 150 * 1024
    # Rules for classes no page or script names are gone ...
    assert ".accordion-button" not in css and ".carousel" not in css and ".fa-sun-plant-wilt" not in css
    # ... rules for the dark theme, for the search dialog's states and for dropdowns stay.
    assert "html[data-theme=dark]" in css and ".dropdown-menu.show" in css and ".bd-search" in css
