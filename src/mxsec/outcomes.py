"""The course's learning outcomes (data/outcomes.yaml) as the chapters show them, and what assesses each.

Each chapter's "Learning objectives" box lists its outcomes from the data: a hidden cell glues
`objectives_markdown(chapter)` and the box pastes it with ``{glue:md}``. An outcome's text may use
**bold** and *emphasis*; every other character is escaped (`mxsec.md`), so it shows as written.

What assesses an outcome, by kind (see `assessments`):

- self-check questions (data/questions/) and summative questions (data/summative/), by their
  `outcomes` field;
- the in-chapter exercises of book/<chapter>.ipynb and the graded tasks of exercises/<chapter>.ipynb,
  by the metadata ``{"mxsec": {"outcomes": [...]}}`` of the cell that opens each (an exercise's cell
  holds its ``{exercise}`` directive with its ``:label:``; a task's cell begins with its heading).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .data import _OUTCOME_MARKUP, Course, load
from .output import md

__all__ = [
    "KINDS",
    "MIN_ASSESSMENTS",
    "Assessed",
    "assessments",
    "glue_objectives",
    "notebook_outcomes",
    "objectives_markdown",
    "outcome_markdown",
    "outcome_plain",
]

# The kinds of assessment, in the order the instructor's table shows them.
KINDS = {
    "questions": "Self-check questions",
    "summative": "Summative questions",
    "exercises": "In-chapter exercises",
    "tasks": "Notebook tasks",
}
# Every outcome is assessed at least this many times, counting every kind (tests/unit/test_outcomes.py).
MIN_ASSESSMENTS = 2
GLUE_KEY = "learning-objectives"


def outcome_markdown(text: str) -> str:
    """An outcome's text as Markdown: its **bold** and *emphasis* kept, everything else escaped."""
    out, at = [], 0
    for match in _OUTCOME_MARKUP.finditer(text):
        out.append(_escaped(text[at : match.start()]))
        out.append(f"**{md(match.group(1))}**" if match.group(1) is not None else f"*{md(match.group(2))}*")
        at = match.end()
    out.append(_escaped(text[at:]))
    return "".join(out).strip()


def _escaped(run: str) -> str:
    """A plain run between marked-up ones, escaped, with one space kept at either end that had any
    (md() folds white space and trims the ends)."""
    if not run:
        return ""
    if not run.strip():
        return " "
    return (" " if run[0].isspace() else "") + md(run) + (" " if run[-1].isspace() else "")


def outcome_plain(text: str) -> str:
    """An outcome's text without its markup, as plain text (for tables and exports)."""
    return " ".join(_OUTCOME_MARKUP.sub(lambda m: m.group(1) or m.group(2), text).split())


def objectives_markdown(chapter: str, course: Course | None = None) -> str:
    """The chapter's outcomes as the Markdown list of its "Learning objectives" box: one item each, in
    order, a semicolon after each but the last and a full stop after that."""
    outcomes = (course or load()).outcomes_for(chapter)
    if not outcomes:
        raise KeyError(f"no learning outcomes for a chapter {chapter!r} in outcomes.yaml")
    last = len(outcomes) - 1
    return "\n".join(
        f"- {outcome_markdown(o['text'])}{'.' if i == last else ';'}" for i, o in enumerate(outcomes)
    )


def glue_objectives(chapter: str) -> None:
    """In a chapter's hidden cell: hand the chapter's objectives to its "Learning objectives" box,
    which pastes them with ``{glue:md} learning-objectives`` (``:format: myst``). Without myst-nb (the
    lean runtime of Binder and Colab, where the box cannot paste), show the list here instead."""
    from IPython.display import Markdown, display

    text = objectives_markdown(chapter)
    try:
        from myst_nb import glue
    except ImportError:
        display(Markdown(f"**Learning objectives.** By the end of this chapter you can:\n\n{text}"))
        return
    glue(GLUE_KEY, Markdown(text), display=False)


# --------------------------------------------------------------------------- what assesses each outcome
@dataclass
class Assessed:
    """One outcome and what assesses it, by kind (the keys of KINDS): question ids, exercise labels,
    task names."""

    outcome: dict
    by_kind: dict[str, list[str]] = field(default_factory=lambda: {kind: [] for kind in KINDS})

    @property
    def count(self) -> int:
        return sum(len(found) for found in self.by_kind.values())


class OutcomeTagError(ValueError):
    """A notebook cell names outcomes badly; the message names the notebook, the cell and the field."""


_EXERCISE_LABEL = re.compile(r"^:label:\s*(\S+)\s*$", re.M)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.M)
_POINTS = re.compile(r"\s*\([^()]*\bpoints?\b[^()]*\)$")  # a task heading's "(2 points, about 6 minutes)"
_TAGGED_KIND = {"book": "exercises", "exercises": "tasks"}


def notebook_outcomes(
    path: Path, course: Course | None = None, root: Path | None = None
) -> list[tuple[str, list[str]]]:
    """The cells of a notebook that carry ``{"mxsec": {"outcomes": [...]}}``, as (name, outcome ids):
    an in-chapter exercise by its label (ex-<chapter>-N), a notebook task by its heading without its
    points and time ("Task 1: Two death tolls"). Every id must be an outcome of the notebook's own
    chapter, listed once."""
    course = course or load()
    where = path.relative_to(root).as_posix() if root and path.is_relative_to(root) else str(path)
    chapter = path.stem
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for index, cell in enumerate(nb["cells"]):
        tag = cell.get("metadata", {}).get("mxsec", {})
        if "outcomes" not in tag:
            continue
        source = "".join(cell["source"])
        label, heading = _EXERCISE_LABEL.search(source), _HEADING.search(source)
        name = (
            label.group(1) if label else (_POINTS.sub("", heading.group(1)) if heading else f"cell {index}")
        )
        ids = tag["outcomes"]

        def fail(problem: str, index: int = index, name: str = name) -> None:
            raise OutcomeTagError(
                f"{where}: cell {index} ({name}), field 'metadata.mxsec.outcomes': {problem}"
            )

        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            fail("must be a non-empty list of outcome ids")
        if len(set(ids)) != len(ids):
            fail("lists an outcome twice")
        for ref in ids:
            if course.kind_of.get(ref) != "outcome":
                fail(f"{ref!r} is not the id of a learning outcome in data/outcomes.yaml")
            if course.by_id[ref]["chapter"] != chapter:
                fail(f"{ref!r} is an outcome of the {course.by_id[ref]['chapter']} chapter, not of {chapter}")
        found.append((name, list(ids)))
    return found


def assessments(course: Course | None = None, root: Path | None = None) -> dict[str, Assessed]:
    """Every outcome (by id, in the file's order) with what assesses it: both question banks and the
    tagged cells of book/<chapter>.ipynb and exercises/<chapter>.ipynb under `root` (default: the
    course's files, see mxsec.build.course_files)."""
    from .build import course_files

    course = course or load()
    root = course_files() if root is None else root
    table = {o["id"]: Assessed(o) for o in course.outcomes}
    for kind in ("questions", "summative"):
        for q in course.bank(kind):
            for ref in q["outcomes"]:
                table[ref].by_kind[kind].append(q["id"])
    chapters = list(dict.fromkeys(o["chapter"] for o in course.outcomes))
    for folder, kind in _TAGGED_KIND.items():
        for chapter in chapters:
            path = root / folder / f"{chapter}.ipynb"
            if path.exists():
                for name, refs in notebook_outcomes(path, course, root):
                    for ref in refs:
                        table[ref].by_kind[kind].append(name)
    return table


def _exercise_name(label: str, chapter: str) -> str:
    """ex-assurance-2 -> "Exercise 2", as the chapter and its answer key number it."""
    number = label.removeprefix(f"ex-{chapter}-")
    return f"Exercise {number}" if number.isdigit() else label


def table_rows(
    chapter: str, table: dict[str, Assessed] | None = None, course: Course | None = None
) -> list[dict]:
    """The chapter's rows of the outcome x assessment table, as plain text: the outcome (id and text),
    one column per kind of assessment (KINDS) naming what assesses it, and the total."""
    course = course or load()
    table = assessments(course) if table is None else table
    rows = []
    for outcome in course.outcomes_for(chapter):
        row = table[outcome["id"]]
        names = {kind: row.by_kind[kind] for kind in KINDS}
        names["exercises"] = [_exercise_name(label, chapter) for label in names["exercises"]]
        rows.append(
            {
                "Outcome": f"{outcome['id']}: {outcome_plain(outcome['text'])}",
                **{KINDS[kind]: "; ".join(found) or "none" for kind, found in names.items()},
                "Total": row.count,
            }
        )
    return rows
