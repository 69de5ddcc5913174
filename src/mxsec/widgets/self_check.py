"""Self-check quiz: multiple choice, multiple answer and numeric questions from the question bank."""

from __future__ import annotations

import math

import traitlets

from ..data import Course, load
from ._base import CourseWidget, css, esm, need_ids, need_records, need_text

TYPES = ("single", "multiple", "numeric")


def _check_question(i: int, q: dict) -> dict:
    where = f"questions[{i}]"
    if q["type"] not in TYPES:
        raise ValueError(f"{where}.type: {q['type']!r} is not one of {', '.join(TYPES)}")
    out = {k: q[k] for k in ("id", "type", "prompt", "explanation")}
    if q["type"] in ("single", "multiple"):
        options = need_records(q.get("options"), f"{where}.options", {"text": str, "correct": bool})
        correct = sum(o["correct"] for o in options)
        if correct == 0:
            raise ValueError(f"{where}.options: no option is marked correct")
        if q["type"] == "single" and correct != 1:
            raise ValueError(f"{where}.options: a single-answer question needs exactly one correct option")
        out["options"] = [{k: o[k] for k in ("text", "correct", "feedback") if k in o} for o in options]
    else:
        answer, tolerance = q.get("answer"), q.get("tolerance", 0)
        for name, val in (("answer", answer), ("tolerance", tolerance)):
            if isinstance(val, bool) or not isinstance(val, (int, float)) or not math.isfinite(val):
                raise ValueError(f"{where}.{name}: expected a finite number, got {val!r}")
        if tolerance < 0:
            raise ValueError(f"{where}.tolerance: must not be negative")
        out.update(answer=answer, tolerance=tolerance, unit=need_text(q.get("unit", ""), f"{where}.unit"))
    return out


class SelfCheck(CourseWidget):
    """A short quiz with an explanation after each answer. Synced back: `responses`
    ({question id: the answer given}), `results` ({question id: right or not}), `score`."""

    _esm = esm("self-check")
    _css = css("self-check")

    questions = traitlets.List(traitlets.Dict()).tag(sync=True)
    responses = traitlets.Dict().tag(sync=True)
    results = traitlets.Dict().tag(sync=True)
    score = traitlets.Int(0).tag(sync=True)

    def __init__(self, questions, *, title: str = "Check your understanding", **kwargs):
        questions = need_records(
            questions, "questions", {"id": str, "type": str, "prompt": str, "explanation": str}
        )
        need_ids([q["id"] for q in questions], "questions.id")
        checked = [_check_question(i, q) for i, q in enumerate(questions)]
        super().__init__(questions=checked, title=need_text(title, "title"), **kwargs)

    @classmethod
    def for_chapter(cls, chapter: str, course: Course | None = None, ids=None, **kwargs) -> SelfCheck:
        """The chapter's self-check questions from data/questions/<chapter>.yaml (all, or those named)."""
        course = course or load()
        pool = [q for q in course.questions_for(chapter) if q["type"] in TYPES]
        if not pool:
            raise ValueError(f"chapter: no self-check questions for {chapter!r} in data/questions/")
        if ids is not None:
            wanted = need_ids(ids, "ids", [q["id"] for q in pool])
            pool = [q for q in pool if q["id"] in wanted]
        return cls(pool, **kwargs)
