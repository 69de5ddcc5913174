"""A question bank as an instructor's key: each question with its answer, its feedback, its explanation
and the outcomes it assesses, as Markdown in which every text from data/ shows exactly as written
(`mxsec.md`). The instructor edition's page on the summative bank is drawn with it; the student
edition has no such page."""

from __future__ import annotations

from .data import Course, load
from .output import md

__all__ = ["TYPE_NAMES", "question_key", "rubric_rows"]

TYPE_NAMES = {
    "single": "single answer",
    "multiple": "multiple answers",
    "numeric": "numeric",
    "ordering": "ordering",
    "matching": "matching",
    "essay": "essay",
}
# The field that names an ordering or matching item, by the kind of record it is.
_LABEL_FIELD = {"threat": "label", "event": "title", "policy": "label", "category": "label"}


def _label(course: Course, record_id: str) -> str:
    return course.get(record_id)[_LABEL_FIELD[course.kind_of[record_id]]]


def _points(x: float) -> str:
    return f"{x:g} point{'' if x == 1 else 's'}"


def question_key(q: dict, course: Course | None = None) -> str:
    """One question as Markdown: a line naming it (id, type, points, outcomes, the paper's section),
    the prompt, the answer (the options marked right or wrong with their feedback; the number and its
    tolerance; the order; the pairs; for an essay, see its rubric), and the explanation."""
    course = course or load()
    head = (
        f"**{md(q['id'])}** · {TYPE_NAMES[q['type']]} · {_points(q['points'])} · outcomes "
        f"{md(', '.join(q['outcomes']))} · {md(q['section'])}"
    )
    parts = [head, f"**Prompt.** {md(q['prompt'])}"]
    kind = q["type"]
    if kind in ("single", "multiple"):
        lines = []
        for o in q["options"]:
            mark = "**Right:**" if o["correct"] else "Wrong:"
            lines.append(
                f"- {mark} {md(o['text'])}"
                + (f" *Feedback:* {md(o['feedback'])}" if o.get("feedback") else "")
            )
        parts.append("\n".join(lines))
    elif kind == "numeric":
        answer, tolerance = f"{q['answer']:,.6g}", f"{q['tolerance']:g}"
        parts.append(f"**Answer.** {md(answer)} {md(q['unit'])}, accepted within ±{md(tolerance)}")
    elif kind == "ordering":
        parts.append(
            "**Order.**\n\n"
            + "\n".join(f"{i}. {md(_label(course, item))}" for i, item in enumerate(q["order"], 1))
        )
    elif kind == "matching":
        parts.append(
            "**Pairs.**\n\n"
            + "\n".join(
                f"- {md(_label(course, item))}: {md(_label(course, category))}"
                for item, category in q["pairs"]
            )
        )
    else:
        parts.append(f"**Rubric.** {_points(q['max_rubric_points'])} in all, in the table below.")
    parts.append(f"**Explanation.** {md(q['explanation'])}")
    return "\n\n".join(parts)


def rubric_rows(q: dict) -> list[dict]:
    """An essay's rubric as table rows: one per criterion, a column per level label (plain text)."""
    levels = list(dict.fromkeys(level["label"] for c in q["rubric"] for level in c["levels"]))
    rows = []
    for c in q["rubric"]:
        by_label = {lvl["label"]: f"{lvl['points']:g} pts: {lvl['descriptor']}" for lvl in c["levels"]}
        rows.append({"Criterion": c["criterion"], **{label: by_label.get(label, "") for label in levels}})
    return rows
