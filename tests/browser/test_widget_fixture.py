"""The four widgets in a small fixture book built with the project's widget settings: they render
from the embedded state with no kernel and no network, work by keyboard, grade as they should and
show untrusted text as text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mxsec.data import load, value

from .checkers import axe_violations
from .fixture_book import build, write_notebook
from .helpers import minus, press, solve_ranking_by_keyboard, tab_to

XSS = "<img src=x onerror=alert(1)>"
# Five anywidgets and one standard ipywidgets control, which gets the "needs a kernel" notice.
HOSTS = 6

CELLS = [
    "from mxsec import value\nfrom mxsec.widgets import PolicySorter, RankingQuiz, SelfCheck, Timeline",
    "RankingQuiz.from_survey()",
    "Timeline.from_data()",
    "PolicySorter.from_data()",
    """SelfCheck([
    {"id": "armed-forces", "type": "numeric", "prompt": "How many active personnel did Mexico's armed forces have in 2009?",
     "answer": value("armed-forces-2009"), "tolerance": 5000, "unit": "people",
     "explanation": f"The paper gives almost {value('armed-forces-2009'):,.0f}."},
    {"id": "categories", "type": "multiple", "prompt": "Which of these are categories of security governance?",
     "options": [{"text": "Assurance", "correct": True}, {"text": "Prevention", "correct": True},
                 {"text": "Deterrence", "correct": False, "feedback": "Not one of the paper's four."}],
     "explanation": "Assurance, prevention, protection and compellence."},
], title="Numbers from the paper")""",
    f"""SelfCheck([{{"id": "xss", "type": "single", "prompt": {XSS!r}, "explanation": {XSS!r},
    "options": [{{"text": {XSS!r}, "correct": True}}, {{"text": "plain", "correct": False, "feedback": {XSS!r}}}]}}],
    title="Untrusted text")""",
    'import ipywidgets\nipywidgets.IntSlider(description="Kernel only")',
]


def build_fixture_book(dest: Path) -> Path:
    """A one-page book with the project's widget settings; returns its built HTML folder."""
    write_notebook(dest / "widgets.ipynb", "Widgets", CELLS)
    return build(dest, "Widget fixture", "widgets")


def loader_cases_page() -> str:
    """A bare page that tries the loader's edges: state split over two scripts, a widget module
    whose default export is a function, one model shown twice, a widget that throws, a view whose
    model is missing."""

    def model(esm: str, **state) -> dict:
        return {
            "model_name": "AnyModel",
            "model_module": "anywidget",
            "model_module_version": "~0.11.*",
            "state": {
                "_esm": esm,
                "_css": ".mxsec-test { color: inherit; }",
                "_anywidget_id": "test.Widget",
                **state,
            },
        }

    factory = model(
        "export default () => ({ initialize({ model }) { model.set('count', model.get('count') + 1); },"
        " render({ model, el }) { el.textContent = `factory ${model.get('count')}`; } });",
        count=0,
    )
    broken = model("export default { render() { throw new Error('boom'); } };")
    states = [
        {"version_major": 2, "version_minor": 0, "state": {"factory": factory}},
        {"version_major": 2, "version_minor": 0, "state": {"broken": broken}},
    ]
    head = "".join(
        f'<script type="application/vnd.jupyter.widget-state+json">{json.dumps(s)}</script>' for s in states
    )
    views = "".join(
        f'<script type="application/vnd.jupyter.widget-view+json">{json.dumps({"model_id": m})}</script>'
        for m in ("factory", "factory", "broken", "missing")
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Loader cases</title>{head}'
        f'<script defer src="_static/mxsec-embed.js"></script></head><body><main>{views}</main></body></html>'
    )


@pytest.fixture(scope="module")
def site_root(tmp_path_factory) -> Path:
    html = build_fixture_book(tmp_path_factory.mktemp("widget-book"))
    (html / "loader-cases.html").write_text(loader_cases_page(), encoding="utf-8")
    return html


# ------------------------------------------------------------------ helpers
def open_widgets(web):
    page = web.open("widgets.html")
    web.wait_for_widgets(HOSTS)
    return page


def self_check(page, title: str):
    return page.locator(".mxsec-self-check").filter(has=page.get_by_text(title, exact=True))


# ------------------------------------------------------------------ the page as a whole
def test_every_widget_renders_offline_with_no_errors(web):
    page = open_widgets(web)
    assert page.locator(".mxsec-widget-host[data-mxsec-ready]").count() == HOSTS
    assert page.locator(".mxsec-widget-host[data-mxsec-error]").count() == 0
    counts = {
        root: page.locator(root).count()
        for root in (".mxsec-ranking-quiz", ".mxsec-timeline", ".mxsec-policy-sorter", ".mxsec-self-check")
    }
    assert counts == {
        ".mxsec-ranking-quiz": 1,
        ".mxsec-timeline": 1,
        ".mxsec-policy-sorter": 1,
        ".mxsec-self-check": 2,
    }
    notice = page.locator(".mxsec-widget-notice")
    assert notice.count() == 1
    assert "needs a live Python kernel" in notice.inner_text()
    assert page.evaluate("document.documentElement.dataset.mxsecStatic") == "1"
    # One <style> per widget class, however many instances.
    assert page.locator("style[data-mxsec-css]").count() == 4
    assert web.blocked == []
    assert web.errors == []


def test_loader_merges_states_initializes_once_and_contains_failures(web):
    page = web.open("loader-cases.html")
    page.wait_for_function(
        "document.querySelectorAll('.mxsec-widget-host[data-mxsec-ready], "
        ".mxsec-widget-host[data-mxsec-error]').length === 4"
    )
    hosts = page.locator(".mxsec-widget-host")
    assert hosts.all_inner_texts() == [
        "factory 1",
        "factory 1",
        "This widget could not be shown (boom).",
        "This widget could not be shown (no saved state for widget missing).",
    ]
    assert page.locator("[data-mxsec-ready]").count() == 2
    assert page.locator("style[data-mxsec-css]").count() == 1
    assert len(web.console_errors) == 2
    assert all(e.startswith("mxsec: widget ") for e in web.console_errors), web.console_errors
    assert web.page_errors == [] and web.blocked == []


def test_controls_are_big_enough_to_hit_and_named(web):
    page = open_widgets(web)
    controls = page.locator(".mxsec-widget-host").locator(
        "button:visible, input:visible, select:visible, summary:visible"
    )
    assert controls.count() > 50
    for box in controls.evaluate_all("""els => els.map(e => {
        const r = e.getBoundingClientRect();
        return { what: e.outerHTML.slice(0, 80), w: r.width, h: r.height, name: e.labels?.[0]?.textContent
                 || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.textContent };
    })"""):
        assert box["w"] >= 24 and box["h"] >= 24, box
        assert box["name"].strip(), box


def test_markup_in_data_shows_as_text_and_runs_nothing(web):
    page = open_widgets(web)
    box = self_check(page, "Untrusted text")
    assert box.locator("legend").inner_text().endswith(XSS)
    assert box.locator("img").count() == 0
    box.get_by_role("radio", name="plain").check()
    box.get_by_role("button", name="Check").click()
    result = box.locator(".mxsec-sc-result")
    assert "Not quite." in result.inner_text()
    assert result.locator(".mxsec-sc-feedback").inner_text() == XSS
    assert result.locator(".mxsec-sc-explanation").inner_text() == f"Explanation: {XSS}"
    box.get_by_role("button", name="Try again").click()
    box.get_by_role("radio", name=XSS).check()
    box.get_by_role("button", name="Check").click()
    assert "Correct." in result.inner_text()
    page.wait_for_timeout(300)
    assert page.locator(".mxsec-widget-host img").count() == 0
    assert web.dialogs == []
    assert web.errors == []


# ------------------------------------------------------------------ ranking quiz
def test_ranking_quiz_can_be_solved_by_keyboard_alone(web):
    from mxsec.widgets import RankingQuiz

    page = open_widgets(web)
    quiz = page.locator(".mxsec-ranking-quiz")
    reference = RankingQuiz.from_survey()
    labels = {it["id"]: it["label"] for it in reference.items}
    correct = reference.correct_order

    solve_ranking_by_keyboard(page, quiz, correct, labels)
    assert web.errors == []


def test_ranking_quiz_scores_a_wrong_order_and_reveals_the_answer(web):
    from mxsec.widgets import RankingQuiz, kendall_tau

    page = open_widgets(web)
    quiz = page.locator(".mxsec-ranking-quiz")
    reference = RankingQuiz.from_survey()
    quiz.get_by_role("button", name="Check").click()
    tau = kendall_tau(reference.order, reference.correct_order)
    assert tau == pytest.approx(
        -1 / 21
    )  # the start: as near tau 0 as 21 pairs allow (tests/vectors/kendall_tau.json)
    assert (
        quiz.locator(".mxsec-rq-score").inner_text()
        == f"Kendall's tau: {minus(tau)}. 10 of 21 pairs in the right order."
    )
    assert "Kendall's tau compares every pair" in quiz.locator(".mxsec-rq-explain").inner_text()
    first = quiz.locator(f'[data-id="{reference.order[0]}"] .mxsec-rq-feedback').inner_text()
    assert "Not quite." in first and "1 place too high: it belongs at position 2." in first
    drugs = quiz.locator('[data-id="drug-trafficking"] .mxsec-rq-feedback').inner_text()
    assert "4 places too low" in drugs and "82% of respondents called it a grave threat" in drugs
    reveal = quiz.get_by_role("button", name="Reveal answer")
    reveal.click()
    assert reveal.get_attribute("aria-expanded") == "true"
    answer = quiz.locator(".mxsec-rq-answer li").all_inner_texts()
    assert [a.split(" (rank")[0] for a in answer] == [
        next(it["label"] for it in reference.items if it["id"] == i) for i in reference.correct_order
    ]
    # Moving after a check withdraws the stale feedback; "Try again" restores the start.
    quiz.get_by_role("button", name="Move Drug trafficking and organized crime up").click()
    assert quiz.locator(".mxsec-rq-score").count() == 0
    quiz.get_by_role("button", name="Try again").click()
    assert quiz.locator(".mxsec-rq-item").evaluate_all("els => els.map(e => e.dataset.id)") == reference.order
    assert quiz.locator(".mxsec-rq-answer").is_hidden()


def test_ranking_quiz_items_can_be_dragged(web):
    page = open_widgets(web)
    quiz = page.locator(".mxsec-ranking-quiz")
    quiz.locator(".mxsec-rq-list").scroll_into_view_if_needed()
    last = quiz.locator(".mxsec-rq-item").last
    moving = last.get_attribute("data-id")
    grip, top = (
        last.locator(".mxsec-rq-handle").bounding_box(),
        quiz.locator(".mxsec-rq-item").first.bounding_box(),
    )
    page.mouse.move(grip["x"] + 20, grip["y"] + grip["height"] / 2)
    page.mouse.down()
    page.mouse.move(top["x"] + 60, top["y"] + 4, steps=12)
    page.mouse.up()
    assert quiz.locator(".mxsec-rq-item").first.get_attribute("data-id") == moving
    assert "moved to position 1 of 7" in quiz.locator("[aria-live].mxsec-sr-only").inner_text()


# ------------------------------------------------------------------ timeline
def test_timeline_shows_the_year_chosen_on_the_slider_by_keyboard(web):
    page = open_widgets(web)
    tl = page.locator(".mxsec-timeline")
    tab_to(page, ".mxsec-tl-slider")
    page.keyboard.press("End")
    press(page, "ArrowLeft", 13)
    slider = tl.get_by_role("slider", name="Year")
    assert slider.get_attribute("aria-valuetext") == "2000, period 4"
    panel = tl.locator(".mxsec-tl-panel")
    assert panel.locator(".mxsec-tl-heading").inner_text() == "2000"
    course = load()
    assert (
        panel.locator(".mxsec-tl-period")
        .inner_text()
        .startswith(f"Period 4 of 4: {course.period_of(2000)['name']}")
    )
    outgoing, incoming = course.administrations_in(2000)
    admins = panel.locator(".mxsec-tl-admins > li").all_inner_texts()
    assert len(admins) == 2
    assert admins[0].startswith(outgoing["president"]) and "until 30 Nov" in admins[0]
    assert admins[1].startswith(incoming["president"]) and "from 1 Dec" in admins[1]
    for shown, admin in zip(admins, (outgoing, incoming)):
        assert ("(context \u2014 not in the paper)" in shown) == (not admin["in_paper"]), shown
    expected = [e["title"] for e in course.events if e["year"] <= 2000 <= e.get("year_end", e["year"])]
    shown = panel.locator(".mxsec-tl-event-title").all_inner_texts()
    assert shown == expected and len(shown) >= 5
    panel.get_by_text("How these years are set").click()
    note = " ".join(course.period_of(2000)["boundary_note"].split())
    assert note in panel.locator(".mxsec-tl-details").inner_text()


def test_timeline_marks_loose_dates_and_filters_by_category(web):
    course = load()
    events, (first, last) = course.events, course.span
    labels = {c["id"]: c["label"] for c in course.timeline_categories}
    loose = next(e for e in events if e.get("approximate") and "year_end" in e)
    domestic = [e for e in events if e["category"] == "domestic"]
    empty = next(
        y
        for y in range(first, last + 1)
        if not any(e["year"] <= y <= e.get("year_end", e["year"]) for e in domestic)
    )
    following = min(e["year"] for e in domestic if e["year"] > empty)
    page = open_widgets(web)
    tl = page.locator(".mxsec-timeline")
    slider = tl.get_by_role("slider", name="Year")
    slider.focus()
    page.keyboard.press("Home")
    press(page, "ArrowRight", loose["year"] - first)
    shown = tl.locator(".mxsec-tl-event").filter(has_text=loose["title"]).inner_text()
    assert f"dated loosely: {loose['when_stated']}" in shown
    assert f"{loose['year']}\u2013{loose['year_end']}" in shown and labels[loose["category"]] in shown
    for box in tl.get_by_role("checkbox").all():
        if box.get_attribute("value") != "domestic":
            box.uncheck()
    assert tl.get_by_role("checkbox", name=labels["domestic"]).is_checked()
    slider.focus()
    page.keyboard.press("Home")
    press(page, "ArrowRight", empty - first)
    panel = tl.locator(".mxsec-tl-panel")
    assert f"No events recorded for {empty} in the selected categories." in panel.inner_text()
    panel.get_by_role("button", name=f"Next event: {following}").click()
    assert slider.input_value() == str(following)
    assert panel.locator(".mxsec-tl-event-title").all_inner_texts() == [
        e["title"] for e in domestic if e["year"] <= following <= e.get("year_end", e["year"])
    ]


def test_timeline_plays_and_pauses(web):
    page = open_widgets(web)
    tl = page.locator(".mxsec-timeline")
    play = tl.get_by_role("button", name="Play")
    assert play.get_attribute("aria-pressed") == "false"
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    page.wait_for_function("document.querySelector('.mxsec-tl-slider').value >= '1947'", timeout=5000)
    play.click()
    assert play.get_attribute("aria-pressed") == "false"
    year = tl.get_by_role("slider", name="Year").input_value()
    page.wait_for_timeout(1200)
    assert tl.get_by_role("slider", name="Year").input_value() == year


def test_timeline_respects_reduced_motion(web):
    page = web.page
    page.emulate_media(reduced_motion="reduce")
    open_widgets(web)
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.mxsec-tl-marker')).transitionDuration")
        == "0s"
    )
    page.emulate_media(reduced_motion="no-preference")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.mxsec-tl-marker')).transitionDuration")
        != "0s"
    )


# ------------------------------------------------------------------ policy sorter
def test_policy_sorter_gives_feedback_on_a_misplaced_item(web):
    page = open_widgets(web)
    sorter = page.locator(".mxsec-policy-sorter")
    course = load()
    policies, labels = course.policies, {c["id"]: c["label"] for c in course.categories}
    wrong, right = policies[0], policies[-1]
    elsewhere = next(c for c in labels if c != wrong["category"])
    wrong_card = sorter.locator(f'[data-id="{wrong["id"]}"]')
    wrong_card.get_by_role("combobox").select_option(label=labels[elsewhere])
    sorter.locator(f'[data-id="{right["id"]}"]').get_by_role("combobox").select_option(
        value=right["category"]
    )
    assert sorter.locator(f'[data-zone="{elsewhere}"]').locator(f'[data-id="{wrong["id"]}"]').count() == 1
    sorter.get_by_role("button", name="Check").click()
    total = len(policies)
    assert sorter.locator(".mxsec-ps-score").inner_text() == (
        f"1 of {total} placed as the paper does. {total - 2} cards are still unsorted."
    )
    text = wrong_card.locator(".mxsec-ps-feedback").inner_text()
    assert "Not quite" in text and " ".join(wrong["feedback"].split()) in text
    link = wrong_card.get_by_role("link", name=f"Read more: the {labels[wrong['category']]} chapter")
    chapter = next(c["chapter"] for c in course.categories if c["id"] == wrong["category"])
    assert link.get_attribute("href") == f"{chapter}.html"
    assert "Correct" in sorter.locator(f'[data-id="{right["id"]}"] .mxsec-ps-feedback').inner_text()
    # The menu is named by its card, and moving again withdraws the stale result.
    assert wrong_card.get_by_role("combobox", name=f"Category {wrong['label']}").count() == 1
    wrong_card.get_by_role("combobox").select_option(value=wrong["category"])
    assert sorter.locator(".mxsec-ps-score").count() == 0
    sorter.get_by_role("button", name="Reset").click()
    assert sorter.locator(".mxsec-ps-pool .mxsec-ps-card").count() == total


def test_policy_sorter_cards_can_be_dragged_into_a_category(web):
    page = open_widgets(web)
    sorter = page.locator(".mxsec-policy-sorter")
    card = sorter.locator(".mxsec-ps-pool .mxsec-ps-card").first
    moving = card.get_attribute("data-id")
    card.evaluate("e => e.scrollIntoView({ block: 'start' })")
    zone = sorter.locator('[data-zone="prevention"]')
    start, end = card.locator(".mxsec-ps-label").bounding_box(), zone.bounding_box()
    assert end["y"] + end["height"] < page.viewport_size["height"], "the drop zone must be on screen"
    page.mouse.move(start["x"] + 10, start["y"] + 5)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 20, steps=15)
    page.mouse.up()
    assert zone.locator(f'[data-id="{moving}"]').count() == 1
    assert zone.locator(f'[data-id="{moving}"] select').input_value() == "prevention"


# ------------------------------------------------------------------ self-check
def test_self_check_grades_a_numeric_answer(web):
    page = open_widgets(web)
    box = self_check(page, "Numbers from the paper")
    answer = box.get_by_role("textbox", name="Your answer")
    result = box.locator(".mxsec-sc-result").first
    answer.fill("twelve")
    box.get_by_role("button", name="Check").first.click()
    assert result.inner_text() == "Enter a number, such as 1200 or 1,200."
    answer.fill(f"{value('armed-forces-2009') / 2:,.0f}")
    box.get_by_role("button", name="Check").first.click()
    assert "Not quite." in result.inner_text()
    assert f"Explanation: The paper gives almost {value('armed-forces-2009'):,.0f}." in result.inner_text()
    assert answer.is_disabled()
    box.get_by_role("button", name="Try again").first.click()
    assert page.evaluate("document.activeElement.classList.contains('mxsec-sc-number')")
    answer.fill(f"{value('armed-forces-2009') - 4000:,.0f}")  # within the tolerance of 5,000
    page.keyboard.press("Enter")
    assert "Correct." in result.inner_text()
    assert box.locator(".mxsec-sc-total").inner_text() == "Score: 1 of 2 correct."
    box.get_by_role("checkbox", name="Assurance").check()
    box.get_by_role("checkbox", name="Deterrence").check()
    box.get_by_role("button", name="Check").click()
    second = box.locator(".mxsec-sc-result").nth(1).inner_text()
    assert "Not quite." in second and "Not one of the paper's four." in second
    assert box.locator(".mxsec-sc-total").inner_text() == "Score: 1 of 2 correct."


# ------------------------------------------------------------------ accessibility and speed
def exercise_every_widget(page) -> None:
    """Put each widget in a state that shows its feedback, so axe sees that too."""
    page.locator(".mxsec-ranking-quiz").get_by_role("button", name="Check").click()
    page.locator(".mxsec-ranking-quiz").get_by_role("button", name="Reveal answer").click()
    tl = page.locator(".mxsec-timeline")
    tl.get_by_role("slider", name="Year").fill("2000")
    tl.get_by_text("How these years are set").click()
    sorter = page.locator(".mxsec-policy-sorter")
    sorter.locator(".mxsec-ps-card select").first.select_option(label="Compellence")
    sorter.get_by_role("button", name="Check").click()
    box = self_check(page, "Numbers from the paper")
    box.get_by_role("textbox", name="Your answer").fill("1")
    box.get_by_role("button", name="Check").first.click()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_no_violation_in_the_widgets(web, theme):
    page = open_widgets(web)
    page.evaluate("t => { document.documentElement.dataset.theme = t; }", theme)
    exercise_every_widget(page)
    found = axe_violations(page, include=".mxsec-widget-host")
    assert found == [], json.dumps(found, indent=1)
