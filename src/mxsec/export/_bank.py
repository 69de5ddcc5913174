"""The question bank in a neutral form for the exporters: display texts, right answers, points."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..data import Course, load
from ._markup import html_text, number_text, paragraph

COURSE_TITLE = "Mexico: A Reluctant Regional Security Provider"
TYPES = ("single", "multiple", "numeric", "ordering", "matching", "essay")
_LABEL_FIELD = {"threat": "label", "event": "title", "policy": "label", "category": "label"}


class ExportError(ValueError):
    """The export cannot be made as asked: an unknown chapter, or nothing to export."""


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class Level:
    label: str
    points: float
    descriptor: str


@dataclass(frozen=True)
class Criterion:
    name: str
    levels: tuple[Level, ...]

    @property
    def top(self) -> float:
        return max(level.points for level in self.levels)


@dataclass(frozen=True)
class Item:
    """One question ready to be written. Texts are plain; each exporter escapes them for its format."""

    id: str
    chapter: str
    type: str
    prompt: str
    explanation: str
    points: float
    shuffle: bool = True
    options: tuple[Option, ...] = ()  # single, multiple
    answer: float = 0.0  # numeric: the loader's answer, its absolute tolerance and unit
    tolerance: float = 0.0
    unit: str = ""
    order: tuple[str, ...] = ()  # ordering: the labels, first to last
    pairs: tuple[tuple[str, str], ...] = ()  # matching: (policy, category); ordering: (item, position)
    choices: tuple[str, ...] = ()  # the right-hand labels offered for `pairs`
    rubric: tuple[Criterion, ...] = ()  # essay


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    items: tuple[Item, ...]

    @property
    def category(self) -> str:
        """The chapter's question-bank category, under one for the course."""
        return f"{COURSE_TITLE}/{self.title}"


@dataclass(frozen=True)
class Export:
    """What an exporter wrote: the file, the questions in it, those it had to leave out, and why."""

    path: Path
    exported: tuple[Item, ...]
    skipped: tuple[Item, ...] = ()
    parts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def build(course: Course | None = None, chapters: Iterable[str] | None = None) -> list[Chapter]:
    """The bank's chapters in book order (all, or those named), each with its questions."""
    course = course or load()
    present = [c for c in _book_order(course) if course.questions_for(c)]
    wanted = present if chapters is None else list(dict.fromkeys(chapters))
    unknown = [c for c in wanted if c not in present]
    if unknown:
        have = ", ".join(present) or "none"
        raise ExportError(f"no questions for chapter {', '.join(map(repr, unknown))} (chapters with questions: {have})")
    if not wanted:
        raise ExportError(f"no questions in {course.directory / 'questions'}")
    return [Chapter(c, c.replace("-", " ").capitalize(), tuple(_item(course, q) for q in course.questions_for(c)))
            for c in present if c in wanted]


def _book_order(course: Course) -> list[str]:
    schema = json.loads((course.directory / "schema" / "questions.schema.json").read_text(encoding="utf-8"))
    return schema["$defs"]["chapter"]["enum"]


def _item(course: Course, q: dict) -> Item:
    common = dict(id=q["id"], chapter=q["chapter"], type=q["type"], prompt=q["prompt"],
                  explanation=q["explanation"], points=q["points"], shuffle=q.get("shuffle", True))
    return Item(**{**common, **_DETAILS[q["type"]](course, q)})


def _label(course: Course, record_id: str) -> str:
    return course.get(record_id)[_LABEL_FIELD[course.kind_of[record_id]]]


def _choice(course: Course, q: dict) -> dict:
    return {"options": tuple(Option(o["text"], o["correct"], o.get("feedback", "")) for o in q["options"])}


def _numeric(course: Course, q: dict) -> dict:
    return {"answer": q["answer"], "tolerance": q["tolerance"], "unit": q["unit"]}


def _ordering(course: Course, q: dict) -> dict:
    position = {item: i + 1 for i, item in enumerate(q["order"])}
    shown = _presented(q["items"], q["order"], q["id"])
    return {"order": tuple(_label(course, i) for i in q["order"]),
            "pairs": tuple((_label(course, i), ordinal(position[i])) for i in shown),
            "choices": tuple(ordinal(n) for n in range(1, len(shown) + 1))}


def _presented(items: list[str], order: list[str], seed: str) -> list[str]:
    # The author's order, unless it is the answer itself; then a fixed shuffle, the same on every export.
    shown, rng = list(items), random.Random(seed)
    while shown == order:
        rng.shuffle(shown)
    return shown


def _matching(course: Course, q: dict) -> dict:
    # Every category is offered, not only those the items belong to, as in the book's policy sorter.
    return {"pairs": tuple((_label(course, p), _label(course, c)) for p, c in q["pairs"]),
            "choices": tuple(c["label"] for c in course.categories)}


def _essay(course: Course, q: dict) -> dict:
    # The rubric's top marks are the question's worth (the loader rejects any other `points`).
    rubric = tuple(Criterion(c["criterion"], tuple(Level(**lv) for lv in c["levels"])) for c in q["rubric"])
    return {"rubric": rubric, "points": q["max_rubric_points"]}


_DETAILS = {"single": _choice, "multiple": _choice, "numeric": _numeric, "ordering": _ordering,
            "matching": _matching, "essay": _essay}


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def weights(item: Item) -> list[str]:
    """Each option's share of the mark in percent: the right ones share 100, the wrong ones -100."""
    if item.type == "single":
        return ["100" if o.correct else "0" for o in item.options]
    right = sum(o.correct for o in item.options)
    wrong = len(item.options) - right
    # Moodle takes only grades from its own list, where 100/n appears to five decimals (33.33333).
    return [f"{(100 / right if o.correct else -100 / wrong):.5f}".rstrip("0").rstrip(".") for o in item.options]


def type_counts(types: Iterable[str]) -> dict[str, int]:
    """How many questions of each type, in the order of TYPES."""
    counts = Counter(types)
    return {t: counts[t] for t in TYPES if counts[t]}


def prompt_html(item: Item) -> str:
    unit = paragraph(f"Unit: {item.unit}") if item.type == "numeric" else ""
    return paragraph(item.prompt) + unit


def feedback_html(item: Item, with_rubric: bool = False) -> str:
    """The explanation, and the rubric where the platform has no place of its own for it."""
    return paragraph(item.explanation) + (rubric_html(item.rubric) if with_rubric and item.rubric else "")


def rubric_html(rubric: tuple[Criterion, ...]) -> str:
    def points(x: float) -> str:
        return f"{number_text(x)} point{'' if x == 1 else 's'}"

    def levels(c: Criterion) -> str:
        return "".join(f"<li>{html_text(lv.label)} ({points(lv.points)}): {html_text(lv.descriptor)}</li>"
                       for lv in c.levels)

    criteria = "".join(f"<li><strong>{html_text(c.name)}</strong> (up to {points(c.top)})<ul>{levels(c)}</ul></li>"
                       for c in rubric)
    return f"<p><strong>Rubric</strong></p><ul>{criteria}</ul>"
