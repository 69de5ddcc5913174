"""The book on a phone, 320 and 390 CSS pixels wide with touch: nothing is wider than the screen or
cut off, no control is covered when it has focus or when "Back to top" shows, and every widget works
by touch (taps on its own buttons, no keyboard or mouse)."""

from __future__ import annotations

import json
import re

import pytest

from common import chapters

PAGES = chapters()
WIDTHS = [320, 390]


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def phone(browser, site_url, request):
    """A touch screen of the given width, blocking every request not to 127.0.0.1."""
    # Reduced motion: nothing is caught mid-transition (the skip link slides in otherwise).
    context = browser.new_context(
        viewport={"width": request.param, "height": 740},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        reduced_motion="reduce",
    )
    context.route(
        "**/*", lambda route: route.continue_() if "//127.0.0.1" in route.request.url else route.abort()
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def open_page(docname: str):
        page.goto(f"{site_url}{docname}.html")
        views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
        if views:
            page.wait_for_function(
                "n => document.querySelectorAll('.mxsec-widget-host[data-mxsec-ready]').length >= n",
                arg=views,
            )
        page.evaluate("document.fonts.ready")
        return page

    yield open_page
    assert errors == []
    context.close()


CUT_OFF = """() => {
  const out = [];
  for (const el of document.querySelectorAll('.bd-article *, .bd-header-article *, .prev-next-footer *')) {
    if (!el.checkVisibility() || el.getClientRects().length === 0) continue;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;   // visually hidden text for screen readers
    const clips = ['hidden', 'clip'].includes(s.overflowX) || s.textOverflow === 'ellipsis';
    if (clips && el.scrollWidth > el.clientWidth + 1 && el.textContent.trim())
      out.push(['clipped', el.className || el.tagName, el.textContent.trim().slice(0, 40)]);
    // Wide tables, code and figures scroll inside their own box; anything else must fit the screen.
    if (r.right > innerWidth + 1 && !el.closest('.pst-scrollable-table-container, pre, .highlight, .cell_output, .MathJax, mjx-container'))
      out.push(['past the right edge', el.className || el.tagName, Math.round(r.right)]);
  }
  return out;
}"""


@pytest.mark.parametrize("docname", PAGES)
def test_nothing_is_wider_than_the_screen_or_cut_off(phone, docname):
    page = phone(docname)
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    found = page.evaluate(CUT_OFF)
    assert found == [], json.dumps(found[:10])


COVERED = """() => {
  const focusable = [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex="0"]')]
    .filter(el => el.checkVisibility() && el.getClientRects().length && !el.closest('dialog:not([open])'));
  const out = [];
  for (const el of [...focusable, ...focusable.reverse()]) {
    el.focus();
    if (document.activeElement !== el) continue;
    // Points across the part on screen (of a wrapped link, its longest line): at least one must
    // reach the control itself (WCAG 2.4.11: a focused control is not hidden by other content).
    const r = [...el.getClientRects()].sort((a, b) => b.width * b.height - a.width * a.height)[0];
    const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, innerHeight);
    const left = Math.max(r.left, 0), right = Math.min(r.right, innerWidth);
    let hit = null, ok = false;
    for (let i = 1; i <= 5 && !ok && bottom > top; i++) {
      for (let j = 1; j <= 5 && !ok && right > left; j++) {
        hit = document.elementFromPoint(left + ((right - left) * j) / 6, top + ((bottom - top) * i) / 6);
        ok = hit && (hit === el || el.contains(hit) || (hit.tagName === 'LABEL' && hit.contains(el)));
      }
    }
    if (!ok) out.push([el.outerHTML.slice(0, 80), hit ? hit.outerHTML.slice(0, 80) : null]);
  }
  return out;
}"""


@pytest.mark.parametrize("docname", PAGES)
def test_no_control_is_covered_when_it_has_focus(phone, docname):
    """Every control, focused in page order and again in reverse (as Tab and Shift+Tab would), is
    on screen and not under the sticky header or any other element."""
    page = phone(docname)
    found = page.evaluate(COVERED)
    assert found == [], json.dumps(found[:10], indent=1)


FLOATING_OVER_CONTENT = """() => {
  const floating = [...document.querySelectorAll('body *')].filter(el => {
    const s = getComputedStyle(el);
    return s.position === 'fixed' && el.checkVisibility() && el.getClientRects().length && el.tagName !== 'DIALOG';
  });
  const content = [...document.querySelectorAll('.bd-article p, .bd-article li, .bd-article a, .bd-article button, '
                                               + '.bd-article input, .bd-article select, .bd-article summary, .bd-article h2, .bd-article h3')]
    .filter(el => el.checkVisibility());
  const out = [];
  for (const f of floating) {
    const r = f.getBoundingClientRect();  // its part on screen (the skip link waits above it)
    const a = { left: Math.max(r.left, 0), right: Math.min(r.right, innerWidth),
                top: Math.max(r.top, 0), bottom: Math.min(r.bottom, innerHeight) };
    if (a.right <= a.left || a.bottom <= a.top) continue;
    for (const el of content) {
      if (f.contains(el)) continue;
      const b = el.getBoundingClientRect();
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
        out.push([f.id || f.className, el.tagName, el.textContent.trim().slice(0, 40)]);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("docname", ["book/threat-perceptions", "book/security-governance", "book/glossary"])
def test_back_to_top_covers_nothing_when_it_shows(phone, docname):
    """The theme shows "Back to top" while the reader scrolls up: at each of several places down the
    page it sits in the sticky header, over no text or control, and a tap on it goes to the top."""
    page = phone(docname)
    page.mouse.move(100, 400)
    height = page.evaluate("document.documentElement.scrollHeight")
    for fraction in (0.25, 0.5, 0.75):
        page.evaluate("y => window.scrollTo(0, y)", int(height * fraction))
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(150)
        page.mouse.wheel(0, -250)
        button = page.locator("#pst-back-to-top")
        button.wait_for(state="visible")
        found = page.evaluate(FLOATING_OVER_CONTENT)
        assert found == [], json.dumps(found[:10])
        header = page.locator(".bd-header-article").bounding_box()
        box = button.bounding_box()
        assert header["y"] <= box["y"] and box["y"] + box["height"] <= header["y"] + header["height"]
        assert box["height"] >= 24 and box["width"] >= 24
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("window.scrollY === 0")


def test_the_widgets_work_by_touch(phone):
    page = phone("book/threat-perceptions")
    quiz = page.locator(".mxsec-ranking-quiz")
    before = quiz.locator(".mxsec-rq-item").evaluate_all("els => els.map(e => e.dataset.id)")
    quiz.locator(".mxsec-rq-item").first.get_by_role("button", name=re.compile(r" down$")).tap()
    after = quiz.locator(".mxsec-rq-item").evaluate_all("els => els.map(e => e.dataset.id)")
    assert after[:2] == [before[1], before[0]] and after[2:] == before[2:]
    quiz.get_by_role("button", name="Check").tap()
    assert "Kendall's tau" in quiz.locator(".mxsec-rq-score").inner_text()

    timeline = page.locator(".mxsec-timeline").first
    slider = timeline.get_by_role("slider", name="Year")
    year = int(slider.input_value())
    timeline.get_by_role("button", name=re.compile("Next year")).tap()
    assert int(slider.input_value()) == year + 1
    box = timeline.locator(".mxsec-tl-strip").bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] * 0.9, box["y"] + box["height"] * 0.3)
    assert int(slider.input_value()) > year + 1
    legend = timeline.locator(".mxsec-tl-legend-item[aria-current=true]")
    assert legend.count() == 1 and legend.is_visible()

    check = page.locator(".mxsec-self-check").first
    check.get_by_role("radio").first.tap()
    check.get_by_role("button", name="Check").first.tap()
    assert check.locator(".mxsec-sc-result").first.inner_text().strip()

    page = phone("book/security-governance")
    sorter = page.locator(".mxsec-policy-sorter")
    first = (
        sorter.locator("[data-id]").filter(has=page.get_by_role("combobox")).first.get_attribute("data-id")
    )
    card = sorter.locator(f'[data-id="{first}"]')  # the card moves into the chosen category's list
    card.get_by_role("combobox").tap()
    card.get_by_role("combobox").select_option(index=1)
    sorter.get_by_role("button", name="Check").tap()
    assert card.locator(".mxsec-ps-feedback").inner_text().strip()


def test_the_timeline_names_every_period_in_full_at_320_px(browser, site_url):
    context = browser.new_context(viewport={"width": 320, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{site_url}book/threat-perceptions.html")
    page.wait_for_selector(".mxsec-timeline")
    names = page.locator(".mxsec-timeline .mxsec-tl-legend-name")
    assert names.count() == 4
    for name in names.all():
        assert name.is_visible()
        assert name.evaluate(
            "el => el.scrollWidth <= el.clientWidth + 1 && getComputedStyle(el).textOverflow !== 'ellipsis'"
        )
    from mxsec.data import load

    assert names.all_inner_texts() == [p["name"] for p in load().periods]
    context.close()
