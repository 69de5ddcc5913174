"""Accessibility of the published student edition, checked with the newest engines (pinned in
package-lock.json): axe-core on every page in light and dark mode, after each widget is used, with
"Back to top" shown, with the search dialog and the phone menu open; hover and focus contrast; the
Nu HTML Checker on every page as built and as rendered; HTML_CodeSniffer in every page. Each must
find nothing (tests/browser/checkers.py lists the exceptions: none)."""

from __future__ import annotations

import json
import re

import pytest

from common import chapters

from .checkers import axe_version, axe_violations, htmlcs_errors, vnu_errors

PAGES = chapters()
THEMES = ["light", "dark"]
WIDGET_PAGES = ["book/threat-perceptions", "book/security-governance"]


def show(found) -> str:
    return json.dumps(found, indent=1, ensure_ascii=False)


def open_page(web, docname: str, theme: str = "light", width: int | None = None):
    """A page in `theme` with every widget rendered (optionally at a phone's width)."""
    if width:
        web.page.set_viewport_size({"width": width, "height": 740})
    web.page.add_init_script(
        f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');"
    )
    page = web.open(f"{docname}.html")
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if views:
        web.wait_for_widgets(views)
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.documentElement.dataset.theme") == theme
    return page


def test_the_pinned_axe_is_the_one_injected(web):
    page = open_page(web, PAGES[0])
    axe_violations(page, rules=["document-title"])
    assert page.evaluate("axe.version") == axe_version()


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("docname", PAGES)
def test_axe_finds_nothing_on_the_page(web, docname, theme):
    page = open_page(web, docname, theme)
    assert axe_violations(page) == [], show(axe_violations(page))
    assert web.errors == []


@pytest.mark.parametrize("width", [390, 1024])  # the book theme hides it from 1200 px
@pytest.mark.parametrize("theme", THEMES)
def test_axe_finds_nothing_once_back_to_top_shows(web, theme, width):
    page = open_page(web, "book/threat-perceptions", theme, width)
    page.mouse.move(width // 2, 400)
    page.mouse.wheel(0, 4000)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -300)
    button = page.locator("#pst-back-to-top")
    button.wait_for(state="visible")
    assert axe_violations(page) == [], show(axe_violations(page))
    button.hover()
    assert axe_violations(page, include="#pst-back-to-top", rules=["color-contrast"]) == []
    button.click()
    page.wait_for_function("window.scrollY === 0")


def use_ranking_quiz(page):
    quiz = page.locator(".mxsec-ranking-quiz")
    quiz.locator(".mxsec-rq-item").first.get_by_role("button", name=re.compile(r" down$")).click()
    yield quiz
    quiz.get_by_role("button", name="Check").click()
    yield quiz
    quiz.get_by_role("button", name="Reveal answer").click()
    yield quiz


def use_timeline(page):
    timeline = page.locator(".mxsec-timeline").first
    timeline.get_by_role("slider", name="Year").fill("2000")
    yield timeline
    timeline.get_by_role("button", name=re.compile("Next year")).click()
    timeline.locator("details summary").first.click()
    yield timeline
    timeline.get_by_role("checkbox").first.uncheck()
    yield timeline


def use_self_check(page):
    box = page.locator(".mxsec-self-check").first
    box.get_by_role("radio").first.check()
    box.get_by_role("button", name="Check").first.click()
    yield box


def use_policy_sorter(page):
    sorter = page.locator(".mxsec-policy-sorter")
    for select in sorter.get_by_role("combobox").all()[:4]:
        select.select_option(index=1)
    yield sorter
    sorter.get_by_role("button", name="Check").click()
    yield sorter


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("docname", WIDGET_PAGES)
def test_axe_finds_nothing_in_each_widget_after_each_step(web, docname, theme):
    page = open_page(web, docname, theme)
    uses = {
        "book/threat-perceptions": [use_ranking_quiz, use_timeline, use_self_check],
        "book/security-governance": [use_policy_sorter, use_self_check],
    }[docname]
    steps = 0
    for use in uses:
        for widget in use(page):
            steps += 1
            widget.scroll_into_view_if_needed()
            found = axe_violations(page)
            assert found == [], f"{use.__name__}, step {steps}: {show(found)}"
    assert steps >= 3
    assert web.errors == []


@pytest.mark.parametrize("theme", THEMES)
def test_axe_finds_nothing_with_the_search_dialog_open(web, theme):
    page = open_page(web, "book/introduction", theme)
    page.locator(".search-button__button").first.click()
    page.locator("#pst-search-dialog").wait_for(state="visible")
    assert axe_violations(page) == [], show(axe_violations(page))
    dialog_form = page.locator("#pst-search-dialog form")
    assert dialog_form.get_by_role("button", name="Search").count() == 1
    dialog_form.get_by_role("searchbox").fill("sovereignty")
    dialog_form.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search\.html\?q=sovereignty"))
    page.locator("#search-results li").first.wait_for()
    assert axe_violations(page) == [], show(axe_violations(page))


@pytest.mark.parametrize("theme", THEMES)
def test_axe_finds_nothing_with_the_phone_menu_open(web, theme):
    page = open_page(web, "book/assurance", theme, 390)
    page.locator(".bd-header-article .primary-toggle").click()
    page.locator("#pst-primary-sidebar-modal").wait_for(state="visible")
    assert axe_violations(page) == [], show(axe_violations(page))


FOCUS_VISIBLE = """el => { const s = getComputedStyle(el);
  return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'; }"""


@pytest.mark.parametrize("theme", THEMES)
def test_contrast_holds_on_hover_and_on_keyboard_focus(web, theme):
    """Text keeps 4.5:1 when the pointer is on it and when it has focus, and focus shows."""
    page = open_page(web, "book/threat-perceptions", theme)
    selectors = [
        ".bd-sidebar-primary a.reference",
        ".bd-header-article button",
        ".bd-header-article .dropdown-toggle",
        ".bd-article p a.reference",
        ".bd-toc a.nav-link",
        ".prev-next-area a",
        ".search-button-field",
        ".mxsec-widget .mxsec-btn",
        ".mxsec-widget .mxsec-primary",
        ".mxsec-widget summary",
        "div.cell details.hide > summary",
        ".bd-article a.headerlink",
        "#pst-skip-link a",
    ]
    page.keyboard.press("Tab")  # from here on, focus is keyboard focus (:focus-visible)
    checked = 0
    for selector in selectors:
        for element in page.locator(selector).all()[:3]:
            if not element.is_visible():
                continue
            target = f"[data-mxsec-probe='{checked}']"
            element.evaluate(f"(el) => el.setAttribute('data-mxsec-probe', '{checked}')")
            element.focus()
            assert element.evaluate("el => el.matches(':focus-visible')"), selector
            assert axe_violations(page, include=target, rules=["color-contrast"]) == [], f"focus {selector}"
            assert element.evaluate(FOCUS_VISIBLE), f"no visible focus indicator on {selector}"
            element.hover()  # focused first: the skip link is on screen only while it has focus
            assert axe_violations(page, include=target, rules=["color-contrast"]) == [], f"hover {selector}"
            page.mouse.move(0, 0)
            checked += 1
    assert checked >= 20


def site_pages(site) -> list:
    """Every HTML page of the site (not the theme's template fragments under _static)."""
    return sorted(
        p for p in site.rglob("*.html") if not {"_static", "_sources"} & set(p.relative_to(site).parts)
    )


def test_nu_html_checker_finds_no_error_in_any_built_page(site_root):
    files = site_pages(site_root)
    assert len(files) >= len(PAGES)
    assert vnu_errors(files) == []


def test_nu_html_checker_finds_no_error_in_the_pages_as_rendered(web, tmp_path):
    """The same, on each page's document once its scripts ran (widgets, theme) and with widgets used."""
    files = []
    for docname in PAGES:
        page = open_page(web, docname)
        if docname == "book/threat-perceptions":
            for use in (use_ranking_quiz, use_timeline, use_self_check):
                list(use(page))
        files.append(tmp_path / f"{docname.replace('/', '-')}.html")
        files[-1].write_text(page.content(), encoding="utf-8")
    assert vnu_errors(files) == []


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("docname", [*PAGES, "search"])
def test_html_codesniffer_finds_no_error(web, docname, theme):
    page = open_page(web, docname, theme)
    if docname == "book/threat-perceptions":
        for use in (use_ranking_quiz, use_timeline, use_self_check):
            list(use(page))
    assert htmlcs_errors(page) == [], show(htmlcs_errors(page))


def test_widget_titles_are_headings_one_level_below_their_section(web):
    page = open_page(web, "book/threat-perceptions")
    titles = page.evaluate("""() => [...document.querySelectorAll('.mxsec-widget')].map(w => {
        const title = document.getElementById(w.getAttribute('aria-labelledby'));
        const before = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
          .filter(h => h.getClientRects().length && !w.contains(h)
                       && (h.compareDocumentPosition(w) & Node.DOCUMENT_POSITION_FOLLOWING));
        return [title.tagName, before.at(-1).tagName, title.textContent]; })""")
    assert len(titles) == 3
    for tag, section, text in titles:
        assert re.fullmatch(r"H[3-6]", tag) and int(tag[1]) == int(section[1]) + 1, (tag, section, text)
    assert page.get_by_role("heading", name="Rank the threats").count() == 1


def _luminance(hex_color: str) -> float:
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _ratio(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("theme", THEMES)
def test_the_logo_text_is_readable_in_each_mode(web, site_root, theme):
    page = open_page(web, "book/glossary", theme)
    logo = page.locator(".navbar-brand img:visible")
    assert logo.count() == 1
    src = logo.get_attribute("src")
    background = page.evaluate(
        """el => { for (let e = el; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor; if (c !== 'rgba(0, 0, 0, 0)') return c; }
        return getComputedStyle(document.body).backgroundColor; }""",
        logo.element_handle(),
    )
    rgb = [int(x) for x in re.findall(r"\d+", background)[:3]]
    svg = (site_root / "book" / src).resolve().read_text(encoding="utf-8")
    fills = re.findall(r'<text[^>]*fill="(#[0-9a-fA-F]{6})"', svg)
    assert fills, src
    for fill in fills:
        assert _ratio(fill, "#{:02x}{:02x}{:02x}".format(*tuple(rgb))) >= 4.5, (theme, src, fill, background)
