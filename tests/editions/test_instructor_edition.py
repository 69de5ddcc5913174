"""The instructor edition: built from the same sources, with answer keys, rubrics and schedules."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from solutions import answer_key_texts, leaks, nbgrader_texts, notebook_key_texts, public_runs, runs


def test_build_succeeds_with_warnings_as_errors(instructor_build):
    assert instructor_build.returncode == 0, instructor_build.output[-6000:]


def test_every_answer_key_is_shown(instructor_build):
    keys = answer_key_texts()
    shown = leaks(keys, instructor_build.html)
    missing = sorted(set(keys) - set(shown))
    assert not missing, f"answer keys not in the instructor edition: {missing}"


def test_solutions_appear_beside_their_exercises(instructor_build):
    soup = BeautifulSoup(
        (instructor_build.html / "book" / "assurance.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert soup.select(".solution"), "no solution in the chapter page"


def test_guide_gives_schedules_and_rubrics(instructor_build):
    guide = BeautifulSoup(
        (instructor_build.html / "instructor" / "guide.html").read_text(encoding="utf-8"), "html.parser"
    )
    text = guide.get_text(" ")
    assert re.search(r"one-week", text, re.I) and re.search(r"three-week", text, re.I)
    assert re.search(r"rubric", text, re.I)


def test_every_exercise_notebook_has_its_key_drawn_from_the_notebook(instructor_build):
    page = instructor_build.html / "instructor" / "notebook-keys.html"
    assert page.exists(), "no page of keys to the exercise notebooks"
    keys = notebook_key_texts()
    missing = sorted(set(keys) - set(leaks(keys, page.parent)))
    assert not missing, f"keys not shown: {missing}"
    # Every model answer, hidden test and mark scheme of the notebooks is on the page.
    public = public_runs()
    regions = {label: text for label, text in nbgrader_texts().items() if runs(text) - public}
    assert any(":markscheme" in label for label in regions) and any(":hidden" in label for label in regions)
    shown = leaks(regions, page.parent)
    assert sorted(set(regions) - set(shown)) == [], "solution regions missing from the keys"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select("main table")) >= 18, "a point table and an essay rubric per notebook"
