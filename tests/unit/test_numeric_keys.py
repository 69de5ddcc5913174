"""The keys of the numeric questions are the numbers a student who follows the prompt would give.

The loader derives each numeric key from facts (`answer_from`: an operation and the fact ids it takes,
in order). A key can be wrong without any error, for instance if the operands are listed in the wrong
order for the operation. These tests work each answer out as a student would, from the prompt and the
facts, independently of how the loader orders operands, and check the loader's key, the self-check
widget built from it and the tolerance against that answer.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from mxsec.data import Course, load
from mxsec.widgets import SelfCheck

ROOT = Path(__file__).resolve().parents[2]

# Question id -> (the student's working, from the prompt; how the prompt asks the answer to be given;
#                 the answer as worked out by hand from the paper's figures).
STUDENT = {
    # "Thomson's estimate ... 70,000 deaths [over six years]. What is the average per year? Round to the
    # nearest whole number."
    "sp-deaths-per-year": (
        lambda v: v["drug-war-deaths-2013"] / v["drug-war-deaths-2013-span"],
        lambda x: round(x),
        11_667,
    ),
    # "Counting the extremely poor among the poor, what percentage of Mexicans in 2010 were poor but not
    # in extreme poverty?" (46.2 percent poor, 10.4 percent extremely poor)
    "sp-poor-not-extreme": (
        lambda v: v["poverty-share-2010"] - v["extreme-poverty-share-2010"],
        lambda x: round(x, 1),
        35.8,
    ),
    # "... the first from an opposition party in how many decades?"
    "tp-pri-decades": (lambda v: v["pri-rule-decades"], lambda x: x, 7),
}


def _values(course: Course) -> dict[str, float]:
    return {f["id"]: f["value"] for f in course.facts}


def check_keys(course: Course) -> None:
    """Fail, naming the question, where a key differs from the student's answer."""
    questions = {q["id"]: q for q in course.questions if q["type"] == "numeric"}
    values = _values(course)
    for qid, (work, as_asked, by_hand) in STUDENT.items():
        q = questions[qid]
        exact = work(values)
        given = as_asked(exact)
        assert math.isclose(given, by_hand), f"{qid}: the facts give {given}, the paper's figures {by_hand}"
        assert math.isclose(q["answer"], exact, rel_tol=1e-9), f"{qid}: key {q['answer']}, student {exact}"
        # An answer given as the prompt asks (rounded) is accepted.
        assert abs(given - q["answer"]) <= q["tolerance"], f"{qid}: {given} falls outside the tolerance"


def test_every_numeric_question_of_these_chapters_is_listed():
    course = load()
    numeric = {
        q["id"]
        for q in course.questions
        if q["type"] == "numeric" and q["chapter"] in ("sources-of-power", "threat-perceptions")
    }
    assert numeric == set(STUDENT)


def test_numeric_keys_are_the_students_answers():
    check_keys(load())


@pytest.mark.parametrize("chapter", ["sources-of-power", "threat-perceptions"])
def test_the_self_check_marks_with_the_same_key(chapter):
    course = load()
    widget = SelfCheck.for_chapter(chapter, course)
    values = _values(course)
    shown = {q["id"]: q for q in widget.questions if q["type"] == "numeric"}
    assert shown, chapter
    for qid, q in shown.items():
        work, as_asked, _ = STUDENT[qid]
        assert math.isclose(q["answer"], work(values), rel_tol=1e-9), qid
        assert abs(as_asked(work(values)) - q["answer"]) <= q["tolerance"], qid


def test_a_key_with_its_operands_swapped_is_caught(tmp_path):
    """The failure these tests guard against, made for real: the two shares listed the other way round."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    bank = tmp_path / "data" / "questions" / "sources-of-power.yaml"
    text = bank.read_text(encoding="utf-8")
    right = "of: [extreme-poverty-share-2010, poverty-share-2010]"
    assert text.count(right) == 1
    bank.write_text(
        text.replace(right, "of: [poverty-share-2010, extreme-poverty-share-2010]"), encoding="utf-8"
    )
    with pytest.raises(AssertionError, match="sp-poor-not-extreme"):
        check_keys(load(tmp_path / "data"))
