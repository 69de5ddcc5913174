"""Every widget has a static form in the page's HTML, rendered from its saved state: readable with
JavaScript off, replaced by the live widget when scripts run, kept in print, accessible, and
showing nothing that the live widget shows only after an answer (that goes to the chapter's end)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from editions_helpers import normalize
from widget_texts import VIEW, missing, widgets

from common import paper_chapters
from mxsec.widgets.static_form import render, shift_headings

PAPER_CHAPTERS = paper_chapters()


def soup_of(site, docname):
    return BeautifulSoup((site / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def form_of(view):
    """The element just before a widget's view: where the page must carry its static form."""
    form = view.find_previous_sibling()
    assert form is not None and "mxsec-static" in form.get("class", []), (
        "no static form before the widget's view"
    )
    return form


def answers_of(soup, form):
    block = soup.find(id=form.get("data-mxsec-answers")) if form.get("data-mxsec-answers") else None
    return block


@pytest.mark.parametrize("docname", PAPER_CHAPTERS)
def test_every_widget_has_a_static_form_with_its_texts_and_its_answers_at_the_chapter_end(
    student_site, docname
):
    soup = soup_of(student_site, docname)
    found = widgets(str(soup))
    views = soup.select(f'script[type="{VIEW}"]')
    assert found and len(found) == len(views), f"{docname}: widgets and views do not match"
    chapter = soup.select_one("article section")
    for widget, view in zip(found, views):
        form = form_of(view)
        shown = form.get_text(" ")
        assert not missing(widget.texts(answers=False), shown), f"{docname}: {widget.kind}'s form lacks texts"
        later = widget.texts(answers=True)
        if later:
            block = answers_of(soup, form)
            assert block is not None, f"{docname}: {widget.kind} has no answers block"
            assert block.find_parent(class_="mxsec-answers") is not None
            assert not missing(later, block.get_text(" ")), f"{docname}: {widget.kind}'s answers lack texts"
            # gathered at the end of the chapter, after everything else in it
            assert "mxsec-answers" in chapter.find_all(True, recursive=False)[-1].get("class", [])


@pytest.mark.parametrize("docname", PAPER_CHAPTERS)
def test_a_static_form_gives_away_nothing_the_widget_shows_only_after_an_answer(student_site, docname):
    soup = soup_of(student_site, docname)
    for widget, view in zip(widgets(str(soup)), soup.select(f'script[type="{VIEW}"]')):
        form = normalize(form_of(view).get_text(" "))
        early = set(widget.texts(answers=False))
        leaked = [t for t in widget.texts(answers=True) if t not in early and normalize(t) in form]
        assert not leaked, f"{docname}: {widget.kind}'s form shows {leaked[:2]}"
        if widget.kind == "RankingQuiz":
            labels = [normalize(li.get_text(" ")) for li in form_of(view).select("ul li")]
            by_id = {it["id"]: it["label"] for it in widget.state["items"]}
            assert labels == [by_id[i] for i in widget.state["order"]], (
                "the items must stand in the quiz's opening order"
            )
            answer = [it["label"] for it in sorted(widget.state["items"], key=lambda it: it["rank"])]
            assert labels != answer and labels != answer[::-1]


@pytest.mark.parametrize("docname", PAPER_CHAPTERS)
def test_static_forms_are_built_of_headings_lists_and_tables(student_site, docname):
    soup = soup_of(student_site, docname)
    for widget, view in zip(widgets(str(soup)), soup.select(f'script[type="{VIEW}"]')):
        form = form_of(view)
        title = form.find(re.compile(r"^h[1-6]$"))
        assert title is not None and normalize(title.get_text()) == widget.state["title"]
        assert form["aria-labelledby"] == title["id"]
        section_heading = form.find_parent("section").find(re.compile(r"^h[1-6]$"))
        assert int(title.name[1]) == int(section_heading.name[1]) + 1, (
            "the title must sit one level below its section"
        )
        if widget.kind == "SelfCheck":
            items = form.select("ol.mxsec-static-questions > li")
            assert len(items) == len(widget.state["questions"])
            for li, q in zip(items, widget.state["questions"]):
                if q["type"] != "numeric":
                    assert [normalize(o.get_text()) for o in li.select("ol > li")] == [
                        o["text"] for o in q["options"]
                    ]
        if widget.kind == "Timeline":
            tables = form.select("table")
            assert len(tables) == 3 and all(t.caption and t.select("thead th[scope=col]") for t in tables)
            events = tables[1].select("tbody tr")
            assert len(events) == len(widget.state["events"])
            years = [int(tr.th.get_text().split("\u2013")[0]) for tr in events]
            assert years == sorted(years)
        if widget.kind == "PolicySorter":
            assert [normalize(dt.get_text()) for dt in form.select("dl dt")] == [
                c["label"] for c in widget.state["categories"]
            ]
            assert len(form.select("ul li")) == len(widget.state["items"])


def test_text_from_data_stays_text_in_a_static_form():
    state = {
        "_anywidget_id": "mxsec.widgets.self_check.SelfCheck",
        "title": "<h1>T</h1>",
        "questions": [
            {
                "id": "q",
                "type": "single",
                "prompt": "<script>alert(1)</script>",
                "explanation": "a & b",
                "options": [{"text": "<b>x</b>", "correct": True}, {"text": "y", "correct": False}],
            }
        ],
    }
    form = render(state, id="f")
    assert "<script>alert" not in form.form and "&lt;script&gt;alert(1)&lt;/script&gt;" in form.form
    assert "&lt;b&gt;x&lt;/b&gt;" in form.answers and "a &amp; b" in form.answers
    soup = BeautifulSoup(form.form, "html.parser")
    assert soup.find("h1").get_text() == "<h1>T</h1>" and not soup.find("b")


def test_a_state_without_what_the_form_needs_names_the_widget_and_the_field():
    state = {
        "_anywidget_id": "mxsec.widgets.ranking_quiz.RankingQuiz",
        "title": "Rank",
        "prompt": "Order",
        "items": [{"id": "a", "label": "A", "rank": 1}, {"id": "b", "rank": 2}],
        "order": ["b", "a"],
    }
    with pytest.raises(ValueError, match=r"book/x.ipynb, widget 1: the widget state has no items.1.label"):
        render(state, id="f", where="book/x.ipynb, widget 1")
    state["items"][1]["label"] = "B"
    state["order"] = ["a"]
    with pytest.raises(ValueError, match=r"widget 1.order: must list every item"):
        render(state, id="f", where="book/x.ipynb, widget 1")


def test_headings_shift_to_the_section_depth_and_stop_at_h6():
    assert shift_headings('<h1 id="a">A</h1><h2>B</h2>', 2) == '<h3 id="a">A</h3><h4>B</h4>'
    assert shift_headings("<h5>x</h5>", 3) == "<h6>x</h6>"


# ------------------------------------------------------------------ in Chromium


def open_page(browser, url, js: bool):
    context = browser.new_context(java_script_enabled=js)
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort()
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    return page, errors


@pytest.mark.parametrize("docname", PAPER_CHAPTERS)
def test_with_javascript_off_every_static_form_is_shown_and_readable(student_site, browser, docname):
    found = widgets((student_site / f"{docname}.html").read_text(encoding="utf-8"))
    page, _ = open_page(browser, (student_site / f"{docname}.html").as_uri(), js=False)
    try:
        assert page.locator(".mxsec-static:visible").count() == len(found)
        text = page.evaluate("document.body.innerText")
        texts = [t for w in found for t in w.texts()]
        assert not missing(texts, text), (
            f"{docname}: not on screen without JavaScript: {missing(texts, text)[:3]}"
        )
        if any(w.texts(answers=True) for w in found):
            assert page.locator(".mxsec-answers").is_visible()
    finally:
        page.context.close()


@pytest.mark.parametrize("docname", ["book/threat-perceptions", "book/security-governance"])
def test_with_javascript_on_the_live_widgets_replace_the_static_forms_and_print_brings_them_back(
    student_site, browser, docname
):
    count = len(widgets((student_site / f"{docname}.html").read_text(encoding="utf-8")))
    page, errors = open_page(browser, (student_site / f"{docname}.html").as_uri(), js=True)
    try:
        page.wait_for_function(
            f"document.querySelectorAll('.mxsec-widget-host[data-mxsec-ready]').length >= {count}"
        )
        assert page.locator(".mxsec-widget").count() == count
        assert page.locator(".mxsec-static:visible").count() == 0
        assert not page.locator(".mxsec-answers").is_visible()
        page.emulate_media(media="print")
        assert page.locator(".mxsec-static:visible").count() == count
        assert page.locator(".mxsec-widget:visible").count() == 0
        assert page.locator(".mxsec-answers").is_visible()
        assert not page.locator(".bd-sidebar-primary").is_visible()
        assert not errors, errors
    finally:
        page.context.close()


def test_a_widget_that_cannot_be_shown_leaves_its_static_form_and_answers(student_site, browser, tmp_path):
    page_html = (student_site / "book" / "threat-perceptions.html").read_text(encoding="utf-8")
    broken = re.sub(
        r'<script type="application/vnd\.jupyter\.widget-state\+json">.*?</script>', "", page_html, flags=re.S
    )
    assert broken != page_html
    copy = student_site / "book" / "_test-broken-widgets.html"
    copy.write_text(broken, encoding="utf-8")
    try:
        page, _ = open_page(browser, copy.as_uri(), js=True)
        page.wait_for_function(
            "document.querySelectorAll('.mxsec-widget-host[data-mxsec-error]').length >= 3"
        )
        assert page.locator(".mxsec-static:visible").count() == 3
        assert page.locator(".mxsec-answers").is_visible()
        page.context.close()
    finally:
        copy.unlink()
