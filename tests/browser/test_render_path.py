"""Nothing stands between a page and its first paint (mxsec.pageweight.render_path): no stylesheet or
script blocks rendering; each page carries its critical CSS inline, and the first screen looks the
same with it alone as with every stylesheet (light and dark, phone and desktop); the rest of the CSS
is one bundle, loaded after the first paint by script and by a <noscript> link without JavaScript;
print still gets the print stylesheet. Accessibility with the new render path is test_a11y.py's."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from common import chapters

PAGES = chapters()
BUNDLE = re.compile(r"_static/styles/mxsec-[0-9a-f]{12}\.css$")
CRITICAL_LIMIT = 64 * 1024
# Lighthouse's phone and desktop screens.
SCREENS = {"phone": (412, 823), "desktop": (1350, 940)}

# Every element on the first screen: where it is, its size and its colours.
SNAPSHOT = """() => {
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("script, style, .mxsec-widget-host, .tooltip")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.bottom <= 0 || r.top >= innerHeight) continue;
    const s = getComputedStyle(el);
    if (s.visibility === "hidden") continue;
    // the part of the box on the first screen (what is below it may differ until the bundle comes)
    out.push([el.tagName + "#" + el.id + "." + el.getAttribute("class"), Math.round(r.x), Math.round(r.y),
      Math.round(r.width), Math.round(Math.min(r.bottom, innerHeight)), s.color, s.backgroundColor,
      s.fontSize, s.fontWeight, s.borderTopColor, s.display]);
  }
  return out;
}"""


def head_of(site_root, docname: str):
    return BeautifulSoup((site_root / f"{docname}.html").read_text(encoding="utf-8"), "html.parser").head


@pytest.mark.parametrize("docname", [*PAGES, "search", "genindex"])
def test_no_stylesheet_blocks_rendering_and_the_bundle_has_a_no_script_fallback(site_root, docname):
    head = head_of(site_root, docname)
    blocking = [
        link["href"]
        for link in head.find_all("link", rel="stylesheet")
        if not link.find_parent("noscript") and link.get("media", "all") != "print"
    ]
    assert blocking == [], blocking
    critical = head.find("style", id="mxsec-critical")
    assert critical and 1024 < len(critical.string.encode()) <= CRITICAL_LIMIT, docname
    fallback = [link["href"] for link in head.select("noscript link[rel=stylesheet]")]
    assert len(fallback) == 1 and BUNDLE.search(fallback[0]), fallback
    assert (site_root / docname).parent.joinpath(fallback[0]).resolve().is_file()
    # The late loader names the same bundle.
    assert f'const sheet = "{fallback[0]}"' in str(head)
    # documentation_options.js, which inline scripts need before the rest, is inlined.
    assert not head.find("script", src=re.compile(r"documentation_options")), docname
    assert "const DOCUMENTATION_OPTIONS" in str(head)


@pytest.mark.parametrize("docname", PAGES)
def test_the_theme_scripts_wait_for_the_first_paint_and_later_images_load_lazily(site_root, docname):
    text = (site_root / f"{docname}.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(text, "html.parser")
    assert not soup.find("script", src=re.compile(r"(bootstrap|pydata-sphinx-theme|sphinx-book-theme)\.js"))
    assert re.search(r"scripts = \[[^\]]*bootstrap\.js[^\]]*pydata-sphinx-theme\.js", text), docname
    if "widget-view+json" in text:
        assert re.search(r"scripts = \[[^\]]*mxsec-embed\.js", text), docname
    images = soup.select("article img")
    # The images past the first screen, if any, load when they come near.
    if len(images) > 1:
        assert images[-1].get("loading") == "lazy", docname


# Every page on the phone in both modes and on the desktop in light mode; the desktop's dark mode on
# the first three pages (the header, sidebar and article rules are the same on every page).
FIRST_SCREENS = [
    (docname, theme, screen)
    for docname in PAGES
    for theme in ("light", "dark")
    for screen in SCREENS
    if not (theme == "dark" and screen == "desktop" and docname not in PAGES[:3])
]


def test_the_bundle_is_made_of_the_stylesheets_as_served(site_root):
    """The theme rewrites pygments.css with its light and dark rules when the build finishes; the
    bundle is made after that, so every rule of the served pygments.css is in it."""
    import tinycss2

    served = (site_root / "_static" / "pygments.css").read_text(encoding="utf-8")
    selectors = [
        tinycss2.serialize(rule.prelude).strip()
        for rule in tinycss2.parse_stylesheet(served, skip_comments=True, skip_whitespace=True)
        if rule.type == "qualified-rule"
    ]
    assert any('data-theme="dark"' in s for s in selectors), "the theme's dark pygments rules"
    # (pages without highlighted code do not load pygments.css: their bundles leave it out)
    bundles = [
        b
        for b in sorted((site_root / "_static" / "styles").glob("mxsec-*.css"))
        if "/* _static/pygments.css */" in b.read_text(encoding="utf-8")
    ]
    assert bundles
    for bundle in bundles:
        text = bundle.read_text(encoding="utf-8")
        missing = [s for s in selectors if s not in text]
        assert missing == [], (bundle.name, missing[:5])


@pytest.mark.parametrize(("docname", "theme", "screen"), FIRST_SCREENS)
def test_the_first_screen_looks_the_same_with_the_critical_css_alone(
    browser, site_url, docname, theme, screen
):
    width, height = SCREENS[screen]
    shots = []
    for block_bundle in (False, True):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.add_init_script(
            f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');"
        )
        if block_bundle:
            context.route(re.compile(r"/_static/styles/mxsec-[0-9a-f]+\.css"), lambda route: route.abort())
        page = context.new_page()
        page.goto(f"{site_url}{docname}.html", wait_until="load")
        if not block_bundle:
            page.wait_for_function(
                "[...document.styleSheets].some(s => s.href && /mxsec-[0-9a-f]+[.]css$/.test(s.href))"
            )
        page.evaluate("document.fonts.ready")
        page.wait_for_timeout(200)
        assert page.evaluate("document.documentElement.dataset.theme") == theme
        shots.append(page.evaluate(SNAPSHOT))
        context.close()
    full, critical = shots
    assert len(full) > 10
    differ = [(a, b) for a, b in zip(full, critical, strict=False) if a != b]
    assert not differ and len(full) == len(critical), differ[:5]


@pytest.mark.parametrize("docname", ["book/welcome", "book/threat-perceptions"])
def test_without_javascript_the_bundle_applies_through_the_noscript_link(browser, site_url, docname):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 412, "height": 823})
    page = context.new_page()
    page.goto(f"{site_url}{docname}.html", wait_until="load")
    sheets = page.evaluate(
        "[...document.styleSheets].filter(s => s.href && /mxsec-[0-9a-f]+[.]css$/.test(s.href))"
        ".map(s => [s.media.mediaText, s.cssRules.length])"
    )
    assert len(sheets) == 1 and sheets[0][0] in ("", "all") and sheets[0][1] > 100, sheets
    # A rule only the bundle has (the dropdown menus' shown state) is there.
    assert page.evaluate(
        "[...document.styleSheets].some(s => [...s.cssRules].some(r => r.cssText.includes('.dropdown-menu.show')))"
    )
    context.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_print_still_gets_the_print_stylesheet(web, theme):
    web.page.add_init_script(
        f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');"
    )
    page = web.open("book/introduction.html")
    page.wait_for_load_state("load")
    page.wait_for_function(
        "[...document.styleSheets].some(s => s.href && /mxsec-[0-9a-f]+[.]css$/.test(s.href))"
    )
    page.emulate_media(media="print")
    shown = page.evaluate(
        "['.bd-header-article', '.bd-sidebar-primary', '.prev-next-area']"
        ".map(s => document.querySelector(s)).filter(Boolean).map(e => getComputedStyle(e).display)"
    )
    assert shown and set(shown) == {"none"}, shown
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    page.emulate_media(media="screen")
    assert page.evaluate("getComputedStyle(document.querySelector('.bd-header-article')).display") != "none"
    assert web.errors == []
