"""The question banks in a neutral form for the exporters: display texts, right answers, points, and
the groups a platform draws alternate forms from."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import chapters as registry
from ..data import Course, load, ordinal
from ._markup import html_text, number_text, paragraph

TYPES = ("single", "multiple", "numeric", "ordering", "matching", "essay")
# How the platforms' question banks and the guide name each type.
TYPE_LABELS = {
    "single": "Single answer",
    "multiple": "Multiple answers",
    "numeric": "Numeric",
    "ordering": "Ordering",
    "matching": "Matching",
    "essay": "Essay",
}
# The bank to export (the command's --bank) and the loader's name for it: the self-checks the book
# shows, exported as practice quizzes, or the summative bank, which the book never shows.
BANKS = {"practice": "questions", "summative": "summative"}
BANK_LABELS = {"practice": "Self-checks", "summative": "Summative"}
_LABEL_FIELD = {"threat": "label", "event": "title", "policy": "label", "category": "label"}


class ExportError(ValueError):
    """The export cannot be made as asked: an unknown chapter or bank, or nothing to export."""


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
    explanation: str  # shown after an answer; for an essay, the model answer, which only graders see
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
class Group:
    """The questions of one type (and one worth) in a chapter: the pool a platform draws from.

    A form of the chapter's quiz takes `draw` of them, half rounded up, so two forms can share no
    question when the pool has an even number. Questions of one type but different points form
    separate groups, since Canvas gives every question of a group the same points and a Moodle
    random question has one mark."""

    chapter: str
    type: str
    points: float
    items: tuple[Item, ...]
    by_points: bool = False  # the chapter has questions of this type at other points too

    @property
    def draw(self) -> int:
        return math.ceil(len(self.items) / 2)

    @property
    def name(self) -> str:
        """ "Single answer", or "Essay, 14 points" where the type comes in more than one worth."""
        label = TYPE_LABELS[self.type]
        return f"{label}, {points_text(self.points)}" if self.by_points else label

    @property
    def forms(self) -> int:
        """How many different draws the platform can make from this group."""
        return math.comb(len(self.items), self.draw)

    @property
    def disjoint(self) -> int:
        """How many draws can be made that share no question."""
        return len(self.items) // self.draw


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    items: tuple[Item, ...]
    number: int = 0
    bank: str = "practice"

    @property
    def path(self) -> tuple[str, ...]:
        """The chapter's place in a platform's question bank: course (_config.yml's title), bank, chapter."""
        return (registry.course_title(), BANK_LABELS[self.bank], self.title)

    @property
    def groups(self) -> tuple[Group, ...]:
        """The chapter's questions by type, in the order of TYPES, and by points within a type."""
        groups = []
        for kind in TYPES:
            mine = [item for item in self.items if item.type == kind]
            worths = sorted({item.points for item in mine})
            groups += [
                Group(self.id, kind, p, tuple(i for i in mine if i.points == p), len(worths) > 1)
                for p in worths
            ]
        return tuple(groups)

    @property
    def draw(self) -> int:
        """The questions in one form of the chapter's quiz."""
        return sum(g.draw for g in self.groups)

    @property
    def form_points(self) -> float:
        return sum(g.draw * g.points for g in self.groups)

    @property
    def forms(self) -> int:
        return math.prod(g.forms for g in self.groups)

    @property
    def disjoint(self) -> int:
        """How many forms can be drawn that share no question: as many as the tightest group allows."""
        return min(g.disjoint for g in self.groups)


@dataclass(frozen=True)
class Export:
    """What an exporter wrote: the file, the questions in it, those it had to leave out, and why."""

    path: Path
    exported: tuple[Item, ...]
    skipped: tuple[Item, ...] = ()
    parts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    bank: str = "practice"
    chapters: tuple[Chapter, ...] = ()
    companions: tuple[
        Path, ...
    ] = ()  # files written beside it: the essay keys, where the format has no place


def build(
    course: Course | None = None, chapters: Iterable[str] | None = None, bank: str = "practice"
) -> list[Chapter]:
    """One bank's chapters in book order (all, or those named), each with its questions."""
    if bank not in BANKS:
        raise ExportError(f"no question bank {bank!r}: the banks are {', '.join(BANKS)}")
    course = course or load()
    questions = course.bank(BANKS[bank])
    book = registry.chapters()
    order = [c.slug for c in book]
    strays = sorted({q["chapter"] for q in questions} - set(order))
    if strays:
        raise ExportError(
            f"questions for chapter {', '.join(map(repr, strays))}, which _toc.yml does not list "
            f"(its chapters: {', '.join(order)})"
        )
    present = [c for c in book if any(q["chapter"] == c.slug for q in questions)]
    wanted = [c.slug for c in present] if chapters is None else list(dict.fromkeys(chapters))
    unknown = [c for c in wanted if c not in {p.slug for p in present}]
    if unknown:
        have = ", ".join(c.slug for c in present) or "none"
        raise ExportError(
            f"no questions in the {bank} bank for chapter {', '.join(map(repr, unknown))} "
            f"(chapters with questions: {have})"
        )
    if not wanted:
        raise ExportError(f"no questions in the {bank} bank ({course.directory / BANKS[bank]})")
    return [
        Chapter(
            c.slug,
            c.title,
            tuple(_item(course, q, bank) for q in questions if q["chapter"] == c.slug),
            number=c.number,
            bank=bank,
        )
        for c in present
        if c.slug in wanted
    ]


def _item(course: Course, q: dict, bank: str = "practice") -> Item:
    common = dict(
        id=q["id"],
        chapter=q["chapter"],
        type=q["type"],
        prompt=q["prompt"],
        explanation=q["explanation"],
        points=q["points"],
        shuffle=q.get("shuffle", True),
    )
    details = _DETAILS[q["type"]](course, q)
    if bank == "summative" and "options" in details:
        # A graded file carries no cue in the options' order (the author's lists often put the key
        # first), even where a platform's own shuffling is switched off: a fixed shuffle per question,
        # the same on every export.
        options = list(details["options"])
        random.Random(q["id"]).shuffle(options)
        details["options"] = tuple(options)
    return Item(**{**common, **details})


def _label(course: Course, record_id: str) -> str:
    return course.get(record_id)[_LABEL_FIELD[course.kind_of[record_id]]]


def _choice(course: Course, q: dict) -> dict:
    return {"options": tuple(Option(o["text"], o["correct"], o.get("feedback", "")) for o in q["options"])}


def _numeric(course: Course, q: dict) -> dict:
    return {"answer": q["answer"], "tolerance": q["tolerance"], "unit": q["unit"]}


def _ordering(course: Course, q: dict) -> dict:
    position = {item: i + 1 for i, item in enumerate(q["order"])}
    shown = _presented(q["items"], q["order"], q["id"])
    return {
        "order": tuple(_label(course, i) for i in q["order"]),
        "pairs": tuple((_label(course, i), ordinal(position[i])) for i in shown),
        "choices": tuple(ordinal(n) for n in range(1, len(shown) + 1)),
    }


def _presented(items: list[str], order: list[str], seed: str) -> list[str]:
    # The author's order, unless it is the answer itself; then a fixed shuffle, the same on every export.
    shown, rng = list(items), random.Random(seed)
    while shown == order:
        rng.shuffle(shown)
    return shown


def _matching(course: Course, q: dict) -> dict:
    # Every category is offered, not only those the items belong to, as in the book's policy sorter.
    return {
        "pairs": tuple((_label(course, p), _label(course, c)) for p, c in q["pairs"]),
        "choices": tuple(c["label"] for c in course.categories),
    }


def _essay(course: Course, q: dict) -> dict:
    # The rubric's top marks are the question's worth (the loader rejects any other `points`).
    rubric = tuple(Criterion(c["criterion"], tuple(Level(**lv) for lv in c["levels"])) for c in q["rubric"])
    return {"rubric": rubric, "points": q["max_rubric_points"]}


_DETAILS = {
    "single": _choice,
    "multiple": _choice,
    "numeric": _numeric,
    "ordering": _ordering,
    "matching": _matching,
    "essay": _essay,
}


def points_text(x: float) -> str:
    return f"{number_text(x)} point{'' if x == 1 else 's'}"


def weights(item: Item) -> list[str]:
    """Each option's share of the mark in percent: the right ones share 100, the wrong ones -100."""
    if item.type == "single":
        return ["100" if o.correct else "0" for o in item.options]
    right = sum(o.correct for o in item.options)
    wrong = len(item.options) - right
    # Moodle takes only grades from its own list, where 100/n appears to five decimals (33.33333).
    return [
        f"{(100 / right if o.correct else -100 / wrong):.5f}".rstrip("0").rstrip(".") for o in item.options
    ]


def type_counts(types: Iterable[str]) -> dict[str, int]:
    """How many questions of each type, in the order of TYPES."""
    counts = Counter(types)
    return {t: counts[t] for t in TYPES if counts[t]}


ORDERING_NOTE = "Match each item with its place in the order: 1st comes first."


def prompt_html(item: Item, as_matching: bool = False) -> str:
    """The question text; an ordering question written as matching says how to answer it."""
    unit = paragraph(f"Unit: {item.unit}") if item.type == "numeric" else ""
    note = paragraph(ORDERING_NOTE) if as_matching and item.type == "ordering" else ""
    return paragraph(item.prompt) + unit + note


def feedback_html(item: Item) -> str:
    """What students may see after answering: the explanation, except an essay's, which is its model
    answer and goes only where graders see it (grader_html)."""
    return "" if item.type == "essay" else paragraph(item.explanation)


def grader_html(item: Item) -> str:
    """An essay's model answer and rubric, for the graders' eyes only."""
    return "<p><strong>Model answer</strong></p>" + paragraph(item.explanation) + rubric_html(item.rubric)


def category_path(chapter: Chapter, group: Group | None = None) -> str:
    """A Moodle question-bank category: $course$/top/<course>/<bank>/<chapter>[/<type>].

    Moodle splits the path at each single slash and reads a doubled one as a slash in a name."""
    names = chapter.path + ((group.name,) if group else ())
    return "$course$/top/" + "/".join(" ".join(name.replace("/", "//").split()) for name in names)


def group_note(chapter: Chapter, group: Group) -> str:
    """How to draw this group's share of a form, for the category's description."""
    n, k, worth = len(group.items), group.draw, number_text(group.points)
    return (
        f"{group.name}: {n} question{'' if n == 1 else 's'} of {points_text(group.points)} each. "
        f"A form of the {chapter.title} quiz draws {k} of them: add {k} random question{'' if k == 1 else 's'} "
        f"from this category and set {'its mark' if k == 1 else 'the mark of each'} to {worth}."
    )


def chapter_note(chapter: Chapter) -> str:
    """How to build one form of the chapter's quiz from its categories."""
    parts = "; ".join(f"{g.draw} from {g.name}" for g in chapter.groups)
    return (
        f"{chapter.title}: a form of the quiz draws {chapter.draw} question{'' if chapter.draw == 1 else 's'} "
        f"worth {points_text(chapter.form_points)} from the categories below ({parts}). "
        f"Each attempt draws its own form: {chapter.forms:,} different forms, "
        f"{chapter.disjoint} of them with no question in common."
    )


def rubric_html(rubric: tuple[Criterion, ...]) -> str:
    points = points_text

    def levels(c: Criterion) -> str:
        return "".join(
            f"<li>{html_text(lv.label)} ({points(lv.points)}): {html_text(lv.descriptor)}</li>"
            for lv in c.levels
        )

    criteria = "".join(
        f"<li><strong>{html_text(c.name)}</strong> (up to {points(c.top)})<ul>{levels(c)}</ul></li>"
        for c in rubric
    )
    return f"<p><strong>Rubric</strong></p><ul>{criteria}</ul>"
