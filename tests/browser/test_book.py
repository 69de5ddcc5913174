"""The published student edition in Chromium, served on 127.0.0.1 with every other address blocked:
every page's widgets render and work and nothing loads from outside (test_a11y.py checks accessibility)."""

from __future__ import annotations

import re

import pytest

from common import chapters, paper_chapters
from mxsec.data import load
from mxsec.widgets import RankingQuiz

from .helpers import press, solve_ranking_by_keyboard, tab_to_within

PAGES = chapters()


def open_page(web, docname: str):
    """Open a page and wait for every widget on it; return the page and its number of widgets."""
    page = web.open(f"{docname}.html")
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if views:
        web.wait_for_widgets(views)
    return page, views


@pytest.mark.parametrize("docname", PAGES)
def test_page_renders_its_widgets_with_no_error_and_no_outside_request(web, docname):
    page, views = open_page(web, docname)
    assert page.locator(".mxsec-widget-host[data-mxsec-error]").count() == 0
    assert page.locator(".mxsec-widget-host[data-mxsec-ready]").count() == views
    if docname in paper_chapters():
        assert page.locator(".mxsec-self-check").count() >= 1, f"{docname}: no self-check"
    assert web.blocked == [], f"{docname} asked for {web.blocked}"
    assert web.errors == [], web.errors


def test_ranking_quiz_in_the_chapter_is_completed_by_keyboard_and_scores_one(web):
    page, _ = open_page(web, "book/threat-perceptions")
    quiz = page.locator(".mxsec-ranking-quiz")
    assert quiz.count() == 1
    reference = RankingQuiz.from_survey()
    labels = {it["id"]: it["label"] for it in reference.items}
    shown = quiz.locator(".mxsec-rq-item").evaluate_all("els => els.map(e => e.dataset.id)")
    assert sorted(shown) == sorted(reference.correct_order) and shown != reference.correct_order
    solve_ranking_by_keyboard(page, quiz, reference.correct_order, labels)
    assert web.errors == []


@pytest.mark.parametrize(
    ("docname", "year"),
    [("book/threat-perceptions", 1968), ("book/threat-perceptions", 1988), ("book/assessment", 2008)],
)
def test_timeline_in_the_chapter_shows_period_president_and_events_of_a_year(web, docname, year):
    course = load()
    page, _ = open_page(web, docname)
    timeline = page.locator(".mxsec-timeline").first
    slider = timeline.get_by_role("slider", name="Year")
    tab_to_within(page, timeline, ".mxsec-tl-slider")
    start = int(slider.input_value())
    press(page, "ArrowRight" if year > start else "ArrowLeft", abs(year - start))
    assert slider.input_value() == str(year)
    panel = timeline.locator(".mxsec-tl-panel")
    period = course.period_of(year)
    assert (
        panel.locator(".mxsec-tl-period")
        .inner_text()
        .startswith(f"Period {period['number']} of 4: {period['name']}")
    )
    presidents = panel.locator(".mxsec-tl-admins > li").all_inner_texts()
    assert [p.split(" (")[0] for p in presidents] == [a["president"] for a in course.administrations_in(year)]
    expected = [e["title"] for e in course.events if e["year"] <= year <= e.get("year_end", e["year"])]
    assert panel.locator(".mxsec-tl-event-title").all_inner_texts() == expected
    assert expected, f"choose a year with events, not {year}"


def test_policy_sorter_in_the_chapter_explains_a_misplaced_policy(web):
    course = load()
    page, _ = open_page(web, "book/security-governance")
    sorter = page.locator(".mxsec-policy-sorter")
    labels = {c["id"]: c["label"] for c in course.categories}
    policy = next(p for p in course.policies if p["id"] == "merida-equipment")
    card = sorter.locator(f'[data-id="{policy["id"]}"]')
    card.get_by_role("combobox").select_option(value="compellence")
    sorter.get_by_role("button", name="Check").click()
    feedback = card.locator(".mxsec-ps-feedback").inner_text()
    assert "Not quite" in feedback and " ".join(policy["feedback"].split()) in feedback
    link = card.get_by_role("link", name=f"Read more: the {labels[policy['category']]} chapter")
    assert link.get_attribute("href") == "protection.html"
    link.click()
    page.wait_for_url(re.compile(r"/book/protection\.html$"))


def test_self_check_in_the_chapter_explains_its_answer(web):
    course = load()
    page, _ = open_page(web, "book/introduction")
    question = course.get("intro-main-argument")
    right = next(o["text"] for o in question["options"] if o["correct"])
    box = page.locator(".mxsec-self-check fieldset").filter(has_text=question["prompt"]).first
    box.get_by_role("radio", name=right).check()
    box.locator("xpath=..").get_by_role("button", name="Check").first.click()
    result = box.locator("xpath=..").locator(".mxsec-sc-result").first
    assert "Correct." in result.inner_text()
    assert " ".join(question["explanation"].split()) in " ".join(result.inner_text().split())


def test_a_copy_opened_from_disk_still_runs_its_widgets(browser, site_root):
    page = browser.new_page()
    outside = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(("file:", "blob:", "data:")) else None,
    )
    page.goto((site_root / "book" / "threat-perceptions.html").as_uri())
    page.wait_for_function(
        "document.querySelectorAll('.mxsec-widget-host[data-mxsec-ready]').length === "
        "document.querySelectorAll('script[type=\"application/vnd.jupyter.widget-view+json\"]').length"
    )
    assert page.locator(".mxsec-ranking-quiz").count() == 1
    assert outside == []
    page.close()
