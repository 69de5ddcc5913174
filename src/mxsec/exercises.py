"""The exercise notebooks (exercises/<chapter>.ipynb, nbgrader source notebooks) read as assignments:
their tasks, points, learning outcomes, model answers, marking notes, tests and essay rubrics.

This is the one reader of what the notebooks hold. The instructor edition's keys to the notebooks
(instructor/notebook-keys.ipynb) and the rubrics page render from it at build time, and the tests
check the notebooks with it, so a change to a notebook reaches its key with no second copy to edit.

A notebook is a sequence of tasks. A task opens with a read-only markdown cell whose heading reads
``## Task N: Title (P points, about M minutes)`` (``Task N (short answer): ...`` and ``Task N (essay):
...`` for the written ones) and whose metadata names the learning outcomes it assesses,
``{"mxsec": {"outcomes": ["<chapter>-<n>", ...]}}``. Its graded cells follow:

- an autograded task: an answer cell (code between ``### BEGIN SOLUTION`` and ``### END SOLUTION``)
  and a locked test cell (visible tests, then hidden ones between ``### BEGIN HIDDEN TESTS`` and
  ``### END HIDDEN TESTS``);
- a short answer: one manually graded markdown answer cell, whose solution region holds a
  ``**Model answer.**`` and a ``**Marking.**`` paragraph;
- an essay: one nbgrader *manually graded task* cell per rubric criterion, so that the formgrader
  scores each criterion on its own, then the cell the student writes the essay in. A criterion cell
  reads ``**Criterion 1 of 4: Position** (3 points)`` followed by one line per level
  (``- **Strong** (3 points): ...``, see mxsec.rubric); the first one's mark scheme (between
  ``=== BEGIN MARK SCHEME ===`` and ``=== END MARK SCHEME ===``, removed from the student version)
  holds the model answer (an outline for markers) and the marking notes.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import rubric as _rubric

__all__ = [
    "HIDDEN",
    "MARK_SCHEME",
    "SOLUTION",
    "Criterion",
    "ExerciseError",
    "Task",
    "code_block",
    "essay_rubric",
    "key_markdown",
    "markdown_text",
    "notebook_path",
    "read",
    "tasks",
]

SOLUTION = re.compile(
    r"^[ \t]*### BEGIN SOLUTION[^\n]*\n(.*?)^[ \t]*### END SOLUTION[^\n]*(?:\n|\Z)", re.S | re.M
)
HIDDEN = re.compile(
    r"^[ \t]*### BEGIN HIDDEN TESTS[^\n]*\n(.*?)^[ \t]*### END HIDDEN TESTS[^\n]*(?:\n|\Z)", re.S | re.M
)
MARK_SCHEME = re.compile(
    r"^[ \t]*=== BEGIN MARK SCHEME ===[^\n]*\n(.*?)^[ \t]*=== END MARK SCHEME ===[^\n]*(?:\n|\Z)", re.S | re.M
)
TASK_HEADING = re.compile(
    r"^## Task (\d+)(?: \((short answer|essay)\))?: (.+) \((\d+) points?, about (\d+) minutes\)$", re.M
)
CRITERION = re.compile(r"^\*\*Criterion (\d+) of (\d+): (.+?)\*\* \((\d+) points?\)$", re.M)
LEVEL = re.compile(r"^- \*\*(\w+)\*\* \((\d+) points?\): (.+)$", re.M)
MODEL, MARKING = "**Model answer", "**Marking.**"
# The cell an essay is written in carries this metadata (it is no nbgrader cell: see the module doc).
ESSAY_ANSWER = {"answer": "essay"}


class ExerciseError(ValueError):
    """An exercise notebook that does not have the shape this module reads; names file, cell and field."""


@dataclass
class Criterion:
    """One criterion of a notebook essay's rubric: its task cell and its levels (as in the banks)."""

    grade_id: str
    name: str
    points: int
    levels: list[dict]

    def as_rubric(self) -> dict:
        return {"criterion": self.name, "levels": self.levels}


@dataclass
class Task:
    number: int
    kind: str  # "autograded", "short answer" or "essay"
    title: str
    points: int  # from the heading; tasks() checks it against the graded cells
    minutes: int
    outcomes: list[str]
    prompt: str  # the opening cell's Markdown without its heading
    grade_ids: list[str] = field(default_factory=list)  # the graded cells (tests, answers, criteria)
    cell_points: dict[str, float] = field(default_factory=dict)
    solution: str = ""  # an autograded task's model code
    visible_tests: str = ""
    hidden_tests: str = ""
    model_answer: str = ""  # a written task's model answer (an essay's outline for markers)
    marking: str = ""  # a written task's marking notes
    criteria: list[Criterion] = field(default_factory=list)

    @property
    def marked(self) -> str:
        return "automatically" if self.kind == "autograded" else "by your instructor"

    @property
    def heading(self) -> str:
        kind = f" ({self.kind})" if self.kind != "autograded" else ""
        return f"Task {self.number}{kind}: {self.title}"


def notebook_path(chapter: str, root: Path | None = None) -> Path:
    from .build import course_files

    return (course_files() if root is None else Path(root)) / "exercises" / f"{chapter}.ipynb"


def read(chapter_or_path: str | Path, root: Path | None = None) -> tuple[dict, str]:
    """The notebook as JSON and the name errors use for it ("exercises/compellence.ipynb")."""
    path = (
        Path(chapter_or_path)
        if str(chapter_or_path).endswith(".ipynb")
        else notebook_path(str(chapter_or_path), root)
    )
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ExerciseError(f"{path}: cannot read the notebook ({err})") from None
    return nb, f"exercises/{path.name}"


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _nbgrader(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _split_written(text: str, where: str) -> tuple[str, str]:
    """A written answer's solution text as (model answer, marking notes), their labels kept."""
    text = text.strip()
    at = text.find(MARKING)
    if not text.startswith(MODEL) or at < 0:
        raise ExerciseError(
            f"{where}: the solution must open with {MODEL}...** and hold a {MARKING} paragraph"
        )
    return text[:at].strip(), text[at:].strip()


def _criterion(cell: dict, where: str) -> Criterion:
    meta = _nbgrader(cell)
    visible = MARK_SCHEME.sub("", _source(cell))
    head = CRITERION.search(visible)
    if not head:
        raise ExerciseError(f"{where}: a criterion cell opens with '**Criterion N of M: Name** (P points)'")
    levels = [
        {"label": label, "points": int(points), "descriptor": text.strip()}
        for label, points, text in LEVEL.findall(visible)
    ]
    points = int(head.group(4))
    if float(meta.get("points", -1)) != points:
        raise ExerciseError(
            f"{where}, field 'metadata.nbgrader.points': {meta.get('points')!r}, but the cell "
            f"says the criterion is worth {points}"
        )
    crit = Criterion(meta["grade_id"], head.group(3), points, levels)
    _rubric.check_criterion(crit.as_rubric(), where)
    return crit


def tasks(chapter_or_path: str | Path, root: Path | None = None) -> list[Task]:
    """The notebook's tasks, in order, checked: each opens with a heading and names its outcomes, its
    graded cells add up to the points its heading gives, and each kind has the cells it needs."""
    nb, name = read(chapter_or_path, root)
    found: list[Task] = []
    for index, cell in enumerate(nb.get("cells", [])):
        source, meta = _source(cell), _nbgrader(cell)
        where = f"{name}: cell {index} ({meta.get('grade_id') or cell.get('id') or 'no grade_id'})"
        heading = TASK_HEADING.search(source) if cell.get("cell_type") == "markdown" else None
        if heading:
            number, kind, title, points, minutes = heading.groups()
            outcomes = cell.get("metadata", {}).get("mxsec", {}).get("outcomes")
            if (
                not isinstance(outcomes, list)
                or not outcomes
                or not all(isinstance(o, str) for o in outcomes)
            ):
                raise ExerciseError(
                    f"{where}, field 'metadata.mxsec.outcomes': the cell that opens Task {number} "
                    "names the learning outcomes it assesses (a list of outcome ids)"
                )
            prompt = TASK_HEADING.sub("", source, count=1).strip()
            found.append(
                Task(
                    int(number),
                    kind or "autograded",
                    title,
                    int(points),
                    int(minutes),
                    list(outcomes),
                    prompt,
                )
            )
            continue
        if not found:
            continue
        task = found[-1]
        if meta.get("grade") or meta.get("task"):
            task.grade_ids.append(meta["grade_id"])
            task.cell_points[meta["grade_id"]] = float(meta["points"])
        if meta.get("task"):
            crit = _criterion(cell, where)
            task.criteria.append(crit)
            scheme = MARK_SCHEME.search(source)
            if scheme:
                if task.model_answer:
                    raise ExerciseError(
                        f"{where}: only the first criterion of an essay holds the mark scheme"
                    )
                task.model_answer, task.marking = _split_written(scheme.group(1), where)
        elif meta.get("solution"):
            solution = SOLUTION.search(source)
            if not solution:
                raise ExerciseError(
                    f"{where}: an answer cell holds its model answer between ### BEGIN SOLUTION "
                    "and ### END SOLUTION"
                )
            if cell.get("cell_type") == "code":
                task.solution = solution.group(1).strip("\n")
            else:
                task.model_answer, task.marking = _split_written(solution.group(1), where)
        elif meta.get("grade"):
            hidden = HIDDEN.search(source)
            task.visible_tests = HIDDEN.sub("", source).strip("\n")
            task.hidden_tests = hidden.group(1).strip("\n") if hidden else ""
    for task in found:
        where = f"{name}: Task {task.number}"
        total = sum(task.cell_points.values())
        if total != task.points:
            raise ExerciseError(
                f"{where}: its heading gives {task.points} points, its graded cells "
                f"{', '.join(task.grade_ids) or '(none)'} {total:g}"
            )
        if task.kind == "autograded" and not (task.solution and task.hidden_tests):
            raise ExerciseError(f"{where}: an autograded task has a model answer and hidden tests")
        if task.kind == "short answer" and not task.model_answer:
            raise ExerciseError(f"{where}: a short answer has a model answer and marking notes")
        if task.kind == "essay":
            if not task.criteria or len(task.criteria) != len(task.grade_ids):
                raise ExerciseError(
                    f"{where}: an essay is graded by one task cell per rubric criterion, and by nothing else"
                )
            numbers = [
                int(CRITERION.search(MARK_SCHEME.sub("", _source(c))).group(1))
                for c in _cells(nb, task.criteria)
            ]
            if numbers != list(range(1, len(numbers) + 1)):
                raise ExerciseError(f"{where}: criteria numbered {numbers}, not 1 to {len(numbers)} in order")
            _rubric.check([c.as_rubric() for c in task.criteria], where)
            if not task.model_answer:
                raise ExerciseError(
                    f"{where}: the first criterion's mark scheme holds the model answer and marking notes"
                )
    return found


def _cells(nb: dict, criteria: list[Criterion]) -> list[dict]:
    ids = {c.grade_id for c in criteria}
    return [c for c in nb["cells"] if _nbgrader(c).get("grade_id") in ids]


def essay_rubric(chapter_or_path: str | Path, root: Path | None = None) -> list[dict]:
    """The notebook essay's rubric, in the banks' form ([{"criterion", "levels"}])."""
    essays = [t for t in tasks(chapter_or_path, root) if t.kind == "essay"]
    if len(essays) != 1:
        raise ExerciseError(f"{read(chapter_or_path, root)[1]}: {len(essays)} essays, not one")
    return [c.as_rubric() for c in essays[0].criteria]


# --------------------------------------------------------------------------- the keys, as Markdown
_CODE = re.compile(r"(`+)(.+?)\1", re.S)
_SPECIAL = re.compile(r"[<>&$]")


def markdown_text(text: str) -> str:
    """Markdown written in a notebook, to render on a page: its emphasis, lists and code spans kept,
    but no HTML (``<``, ``>`` and ``&`` become entities) and no math (``$`` escaped), outside code."""
    out, at = [], 0
    for match in _CODE.finditer(text):
        out.append(_escape(text[at : match.start()]))
        out.append(match.group(0))
        at = match.end()
    out.append(_escape(text[at:]))
    return "".join(out)


def _escape(run: str) -> str:
    return _SPECIAL.sub(lambda m: "\\$" if m.group(0) == "$" else html.escape(m.group(0), quote=False), run)


def _cell(text: str) -> str:
    """Notebook Markdown for a table cell: as markdown_text, with its pipes escaped."""
    return markdown_text(text).replace("|", "\\|")


def code_block(code: str, language: str = "python") -> str:
    """A fenced code block that no backtick run in `code` can close."""
    longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code}\n{fence}"


def key_markdown(chapter: str, heading_level: int = 2, root: Path | None = None) -> str:
    """The key to one exercise notebook as Markdown: the point breakdown, then each task with the
    outcomes it assesses, its model answer (code, or text), its marking notes or tests, and, for the
    essay, its rubric criterion by criterion."""
    from .chapters import title
    from .data import load
    from .outcomes import outcome_markdown

    course = load()
    found = tasks(chapter, root)
    h = "#" * heading_level
    auto = sum(t.points for t in found if t.kind == "autograded")
    manual = sum(t.points for t in found if t.kind != "autograded")
    lines = [
        f"{h} {markdown_text(title(chapter))}",
        "",
        f"Notebook `exercises/{chapter}.ipynb`: **{auto + manual} points**, {auto} marked automatically and "
        f"{manual} by hand; about {sum(t.minutes for t in found)} minutes.",
        "",
        "| Task | Marked | Points | Graded cells | Outcomes |",
        "| --- | --- | --- | --- | --- |",
    ]
    for t in found:
        cells = ", ".join(f"`{g}` ({t.cell_points[g]:g})" for g in t.grade_ids)
        lines.append(f"| {_cell(t.heading)} | {t.marked} | {t.points} | {cells} | {', '.join(t.outcomes)} |")
    lines.append("")
    for t in found:
        lines += [f"{h}# {markdown_text(t.heading)} ({t.points} points, {t.marked})", ""]
        outcomes = [course.by_id[o] for o in t.outcomes if o in course.by_id]
        lines += [
            "**Assesses:** " + "; ".join(f"{o['id']}, {outcome_markdown(o['text'])}" for o in outcomes) + ".",
            "",
        ]
        if t.kind == "autograded":
            lines += [
                "**Model answer.**",
                "",
                code_block(t.solution),
                "",
                "**Visible tests** (in the student's copy too):",
                "",
                code_block(t.visible_tests),
                "",
                "**Hidden tests** (added back when nbgrader grades; they decide the points):",
                "",
                code_block(t.hidden_tests),
                "",
            ]
            continue
        lines += [markdown_text(t.model_answer), "", markdown_text(t.marking), ""]
        if t.kind == "essay":
            lines += [
                "| Criterion (its own cell) | " + " | ".join(_rubric.LABELS) + " |",
                "| --- | " + " | ".join("---" for _ in _rubric.LABELS) + " |",
            ]
            for c in t.criteria:
                by_label = {lv["label"]: f"{lv['points']}: {_cell(lv['descriptor'])}" for lv in c.levels}
                lines.append(
                    f"| {_cell(c.name)} (`{c.grade_id}`, {c.points}) | "
                    + " | ".join(by_label.get(label, "(none)") for label in _rubric.LABELS)
                    + " |"
                )
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
