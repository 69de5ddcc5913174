"""The exercise notebooks through the real nbgrader pipeline: release, autograde, validation, the
formgrader's score boxes (one per essay criterion), feedback, and the student's own check on Binder or
Colab without nbgrader."""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbclient import NotebookClient
from nbgrader.api import Gradebook
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.validator import Validator

from mxsec import assignments, exercises, load, rubric

CHAPTERS = assignments.CHAPTERS
pytestmark = pytest.mark.filterwarnings(
    "ignore::sqlalchemy.exc.SAWarning"
)  # raised inside nbgrader's gradebook
SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION.*?^[ \t]*### END SOLUTION[^\n]*\n?", re.S | re.M)
HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[^\n]*\n?", re.S | re.M)
MARK_SCHEME = re.compile(
    r"^[ \t]*=== BEGIN MARK SCHEME ===.*?^[ \t]*=== END MARK SCHEME ===[^\n]*\n?", re.S | re.M
)
CODE_STUB, TEXT_STUB = "raise NotImplementedError()", "YOUR ANSWER HERE"

# A wrong answer is the right one followed by `name = _spoil(name)` for every name it assigns: a
# plausible wrong value of the same type and shape. This helper goes in front of it.
SPOIL = """
import numbers as _numbers

import pandas as _pd


def _spoil(x):
    if isinstance(x, bool):
        return not x
    if isinstance(x, _numbers.Number):
        return x * 2 + 1
    if isinstance(x, str):
        return x + " (not this)"
    if isinstance(x, list):
        return list(reversed(x))
    if isinstance(x, dict):  # each value moved on to the next distinct value
        distinct = sorted(set(map(str, x.values())))
        following = {v: distinct[(i + 1) % len(distinct)] for i, v in enumerate(distinct)}
        return {k: following[str(v)] if isinstance(v, str) else _spoil(v) for k, v in x.items()}
    if isinstance(x, _pd.Series):
        return x * 2 + 1 if _pd.api.types.is_numeric_dtype(x) else x.iloc[::-1].set_axis(x.index)
    if isinstance(x, _pd.DataFrame):
        return x.apply(lambda col: col * 2 + 1 if _pd.api.types.is_numeric_dtype(col) else col)
    raise TypeError(f"no wrong answer for a {type(x).__name__}")
"""


# --------------------------------------------------------------------------- helpers
def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_essay_answer(cell) -> bool:
    """The cell a student writes the essay in: no nbgrader cell (the criteria above it are graded)."""
    return cell.get("metadata", {}).get("mxsec") == exercises.ESSAY_ANSWER


def by_grade_id(nb) -> dict:
    return {nbgrader_meta(c)["grade_id"]: c for c in nb.cells if nbgrader_meta(c)}


def solution_text(source: str) -> str:
    """An answer cell's solution with the region's delimiter lines taken out."""
    return "\n".join(
        line for line in source.splitlines() if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line
    )


def autograded_points(nb) -> float:
    return sum(
        nbgrader_meta(c)["points"]
        for c in nb.cells
        if nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")
    )


def answered(release, source, wrong: bool = False):
    """The release notebook with the source's solutions typed into its answer cells (or spoiled ones)."""
    nb = copy.deepcopy(release)
    solutions = by_grade_id(source)
    # The right essay: the outline for markers, from the first criterion's mark scheme.
    essay = next(
        exercises.MARK_SCHEME.search(c.source).group(1)
        for c in source.cells
        if nbgrader_meta(c).get("task") and exercises.MARK_SCHEME.search(c.source)
    )
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if is_essay_answer(cell) and not wrong:
            cell.source = essay
        if not meta.get("solution"):
            continue
        answer = solution_text(solutions[meta["grade_id"]].source)
        if cell.cell_type == "markdown":
            if not wrong:
                cell.source = answer
            continue
        if wrong:
            names = [
                t.id
                for node in ast.parse(answer).body
                if isinstance(node, ast.Assign)
                for t in node.targets
                if isinstance(t, ast.Name)
            ]
            answer = SPOIL + "\n" + answer + "\n" + "\n".join(f"{n} = _spoil({n})" for n in names)
        cell.source = answer
    return nb


# --------------------------------------------------------------------------- the source notebooks
POINTS = re.compile(
    r"\*\*Points:\*\* (\d+) in total, (\d+) marked automatically and (\d+) by your instructor\."
)
TIME = re.compile(r"\*\*Estimated time:\*\* about (\d+) minutes")
ROW = re.compile(
    r"^\| (\d+) \| ([^|]+) \| (automatically|by your instructor) \| (\d+) \| (\d+) min \|$", re.M
)
TASK = re.compile(
    r"^## Task (\d+)(?: \((short answer|essay)\))?: (.+) \((\d+) points?, about (\d+) minutes\)$", re.M
)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_source_notebook_is_an_assignable_nbgrader_notebook(chapter):
    nb = read(assignments.EXERCISES / f"{chapter}.ipynb")
    assert nb.metadata == {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    }
    MetadataValidator().validate_nb(nb)  # what nbgrader itself checks before generating
    essays = [c for c in nb.cells if is_essay_answer(c)]
    assert len(essays) == 1 and not nbgrader_meta(essays[0]) and essays[0].cell_type == "markdown", (
        "one essay answer cell, outside nbgrader (its criteria are graded instead)"
    )
    graded_cells = [c for c in nb.cells if not is_essay_answer(c)]
    metas = [nbgrader_meta(c) for c in graded_cells]
    assert all(m.get("schema_version") == 3 and m.get("grade_id") for m in metas), (
        "a cell without nbgrader metadata"
    )
    assert len({m["grade_id"] for m in metas}) == len(metas), "grade_id values repeat"
    kinds = []
    for cell, meta in zip(graded_cells, metas):
        assert cell.cell_type == "markdown" or not (cell.outputs or cell.execution_count), (
            f"{meta['grade_id']} has outputs"
        )
        if meta["solution"]:
            assert not meta["locked"] and SOLUTION.search(cell.source), meta["grade_id"]
            kinds.append("written" if meta["grade"] else "answer")
        elif meta.get("task"):
            assert (
                meta["locked"] and not meta["grade"] and meta["points"] > 0 and cell.cell_type == "markdown"
            ), meta["grade_id"]
            kinds.append("criterion")
        elif meta["grade"]:
            assert (
                meta["locked"]
                and meta["points"] > 0
                and cell.cell_type == "code"
                and HIDDEN.search(cell.source)
            ), meta["grade_id"]
            kinds.append("tests")
        else:
            assert meta["locked"], (
                f"{meta['grade_id']}: a cell that is neither answer nor test must be read-only"
            )
    assert 3 <= kinds.count("tests") <= 5 and kinds.count("answer") == kinds.count("tests")
    assert 1 <= kinds.count("written") <= 2, "one or two short answers"
    assert kinds.count("criterion") >= 3, "an essay scored criterion by criterion"
    # The essay's answer cell comes right after its last criterion, and the mark scheme only in the first.
    at = nb.cells.index(essays[0])
    assert nbgrader_meta(nb.cells[at - 1]).get("task") and at == len(nb.cells) - 1
    schemes = [nbgrader_meta(c)["grade_id"] for c in nb.cells if MARK_SCHEME.search(c.source)]
    first = next(nbgrader_meta(c)["grade_id"] for c in nb.cells if nbgrader_meta(c).get("task"))
    assert schemes == [first], f"a mark scheme outside the first criterion: {schemes}"
    # The Colab set-up cell comes first among the code cells, exactly as in the book's chapters.
    book = read(assignments.ROOT / "book" / "introduction.ipynb")
    colab = next(c.source for c in book.cells if c.cell_type == "code" and "google.colab" in c.source)
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code.source == colab and nbgrader_meta(first_code)["locked"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_header_points_time_and_rubric_agree_with_the_cells(chapter):
    nb = read(assignments.EXERCISES / f"{chapter}.ipynb")
    header = nb.cells[0].source
    assert header.startswith("# Exercises: ") and "Learning objectives" in header
    # Each task's points are those of the graded cells that follow its heading (tests, an answer, or the
    # essay's criteria), counted here from the raw metadata.
    graded, kind = [], None
    for cell in nb.cells[1:]:
        heading = TASK.search(cell.source) if cell.cell_type == "markdown" else None
        if heading:
            kind = "by your instructor" if heading.group(2) else "automatically"
            graded.append([kind, 0])
        meta = nbgrader_meta(cell)
        if meta.get("grade") or meta.get("task"):
            assert graded, f"{meta['grade_id']}: a graded cell before the first task"
            graded[-1][1] += meta["points"]
    rows = ROW.findall(header)
    assert [(kind, int(points)) for _, _, kind, points, _ in rows] == [tuple(g) for g in graded], (
        "the task table does not match the graded cells"
    )
    total, auto, manual = map(int, POINTS.search(header).groups())
    assert auto == sum(p for k, p in graded if k == "automatically") and manual == sum(
        p for k, p in graded if k != "automatically"
    )
    assert total == auto + manual
    assert int(TIME.search(header).group(1)) == sum(int(m) for *_, m in rows)
    # Each task's heading repeats its line of the table: number, title, points and minutes.
    headings = [TASK.search(c.source).groups() for c in nb.cells if TASK.search(c.source)]
    as_rows = [
        (n, f"{kind.capitalize()}: {title}" if kind else title, p, m) for n, kind, title, p, m in headings
    ]
    assert [(n, t.lower(), p, m) for n, t, p, m in as_rows] == [
        (n, t.strip().lower(), p, m) for n, t, _, p, m in rows
    ]
    # The essay's rubric: one task cell per criterion, on the course's scale, adding up to the essay's points.
    essay = next(t for t in exercises.tasks(assignments.EXERCISES / f"{chapter}.ipynb") if t.kind == "essay")
    criteria = [c.as_rubric() for c in essay.criteria]
    assert len(criteria) >= 3 and rubric.check(criteria, chapter) == essay.points == 12
    assert [c.grade_id for c in essay.criteria] == essay.grade_ids


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_task_names_the_chapter_outcomes_it_assesses(chapter):
    nb = read(assignments.EXERCISES / f"{chapter}.ipynb")
    ids = {o["id"] for o in load().outcomes_for(chapter)}
    opening = [c for c in nb.cells if c.cell_type == "markdown" and TASK.search(c.source)]
    assert opening and len(opening) == len(exercises.tasks(assignments.EXERCISES / f"{chapter}.ipynb"))
    for cell in opening:
        named = cell.metadata.get("mxsec", {}).get("outcomes")
        assert named and set(named) <= ids and len(set(named)) == len(named), (
            f"{nbgrader_meta(cell)['grade_id']}: metadata mxsec.outcomes {named!r}, not outcomes of {chapter} ({sorted(ids)})"
        )
    # Only a task's first cell names outcomes (the tests and answers are parts of it).
    assert all("mxsec" not in c.metadata or c in opening or is_essay_answer(c) for c in nb.cells)


def test_notebook_essays_use_the_banks_rubric_scale():
    """The essays of both question banks and of the notebooks are scored on one scale (mxsec.rubric)."""
    course = load()
    bank = [q for q in list(course.questions) + list(course.summative) if q["type"] == "essay"]
    assert bank
    for q in bank:
        assert rubric.check(q["rubric"], f"question {q['id']}") == q["points"], q["id"]
    labels = set()
    for chapter in CHAPTERS:
        for criterion in exercises.essay_rubric(chapter):
            labels |= {lv["label"] for lv in criterion["levels"]}
    assert (
        labels == {lv["label"] for q in bank for c in q["rubric"] for lv in c["levels"]} == set(rubric.LABELS)
    )


INSTRUCTOR_ROW = re.compile(r"^\| `([\w-]+)` \|.*\| (\d+) \+ (\d+) = (\d+) \| about (\d+) min \|$", re.M)


def test_instructor_page_lists_every_assignment_with_its_points_and_time():
    page = (assignments.ROOT / "instructor" / "assignments.md").read_text(encoding="utf-8")
    rows = {chapter: tuple(map(int, numbers)) for chapter, *numbers in INSTRUCTOR_ROW.findall(page)}
    assert list(rows) == CHAPTERS
    for chapter in CHAPTERS:
        header = read(assignments.EXERCISES / f"{chapter}.ipynb").cells[0].source
        total, auto, manual = map(int, POINTS.search(header).groups())
        assert rows[chapter] == (auto, manual, total, int(TIME.search(header).group(1))), chapter


# --------------------------------------------------------------------------- the course folder
@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """An nbgrader course folder with every exercise notebook generated (gradebook included)."""
    root = tmp_path_factory.mktemp("course")
    assignments.release(root)
    return root


def submit(course: Path, chapter: str, student: str, nb) -> None:
    folder = course / "submitted" / student / chapter
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{chapter}.ipynb")


def autograde(course: Path, chapter: str) -> dict:
    """Autograde a right and a wrong submission, read back from the gradebook:
    {student: (score, maximum, {test cell: (score, maximum)}, {short answer: (score, needs manual grade)},
    {essay criterion: (score, needs manual grade)}, autograde's log)}."""
    source = read(assignments.EXERCISES / f"{chapter}.ipynb")
    release = read(course / "release" / chapter / f"{chapter}.ipynb")
    criteria = {nbgrader_meta(c)["grade_id"] for c in source.cells if nbgrader_meta(c).get("task")}
    grader = assignments.api(course)
    results = {}
    for student, wrong in (("right", False), ("wrong", True)):
        submit(course, chapter, student, answered(release, source, wrong=wrong))
        result = grader.autograde(chapter, student)
        assert result["success"], result.get("error") or result.get("log")
        with Gradebook(grader.coursedir.db_url, grader.course_id) as gb:
            submission = gb.find_submission(chapter, student)
            notebook = gb.find_submission_notebook(chapter, chapter, student)
            cells = {g.name: (g.auto_score, g.max_score) for g in notebook.grades if g.cell_type == "code"}
            written = {
                g.name: (g.auto_score, g.needs_manual_grade)
                for g in notebook.grades
                if g.cell_type == "markdown" and g.name not in criteria
            }
            scored = {
                g.name: (g.auto_score, g.needs_manual_grade) for g in notebook.grades if g.name in criteria
            }
            results[student] = (
                submission.code_score,
                submission.max_code_score,
                cells,
                written,
                scored,
                result["log"],
            )
    return results


@pytest.fixture(scope="module")
def grades(course):
    """Each chapter autograded once, when a test first asks for it."""
    done: dict[str, dict] = {}

    def grade(chapter: str) -> dict:
        if chapter not in done:
            done[chapter] = autograde(course, chapter)
        return done[chapter]

    return grade


# --------------------------------------------------------------------------- the tests
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_release_hides_solutions_and_hidden_tests_and_keeps_visible_tests(course, chapter):
    source = read(assignments.EXERCISES / f"{chapter}.ipynb")
    release = read(course / "release" / chapter / f"{chapter}.ipynb")
    released_text = "\n".join(c.source for c in release.cells)
    regions = (SOLUTION, HIDDEN, MARK_SCHEME)
    outside_regions = "\n".join(
        MARK_SCHEME.sub("", HIDDEN.sub("", SOLUTION.sub("", c.source))) for c in source.cells
    )
    secret_lines = {
        line.strip()
        for c in source.cells
        for pattern in regions
        for region in pattern.findall(c.source)
        for line in region.splitlines()
        if line.strip() and line.strip() not in outside_regions
    }
    assert secret_lines, "the source notebook has no solution, hidden test or mark scheme regions"
    assert any(MARK_SCHEME.search(c.source) for c in source.cells), "no mark scheme"
    leaked = sorted(line for line in secret_lines if line in released_text)
    assert not leaked, f"solution, hidden-test or mark-scheme text in the student version: {leaked[:5]}"

    released = by_grade_id(release)
    assert set(released) == set(by_grade_id(source)), "nbgrader cells differ between source and release"
    for grade_id, cell in by_grade_id(source).items():
        meta, student = nbgrader_meta(cell), released[grade_id]
        if meta["solution"]:
            stub = CODE_STUB if cell.cell_type == "code" else TEXT_STUB
            assert stub in student.source, f"{grade_id}: no {stub!r} in the student's answer cell"
        elif meta.get("task"):
            # A criterion: the student sees its levels, not the mark scheme; nbgrader still scores it.
            assert student.source.strip() == MARK_SCHEME.sub("", cell.source).strip(), grade_id
            assert nbgrader_meta(student)["task"] and nbgrader_meta(student)["points"] == meta["points"]
        elif meta["grade"]:
            visible = HIDDEN.sub("", cell.source).strip()
            assert "assert" in visible, f"{grade_id}: no visible test"
            assert student.source.strip() == visible, f"{grade_id}: the visible tests changed in the release"
    essay = [c for c in release.cells if is_essay_answer(c)]
    assert len(essay) == 1 and essay[0].source == TEXT_STUB


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_right_answers_earn_every_autograded_point(grades, chapter):
    score, maximum, cells, written, criteria, _ = grades(chapter)["right"]
    expected = autograded_points(read(assignments.EXERCISES / f"{chapter}.ipynb"))
    assert maximum == expected and expected > 0
    assert score == maximum, f"right answers lost points: {cells}"
    assert written and all(needs_manual for _, needs_manual in written.values()), (
        "written answers go to manual grading"
    )
    assert len(criteria) >= 3 and all(
        auto is None and needs_manual for auto, needs_manual in criteria.values()
    ), "each essay criterion waits for its own score from a grader"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_wrong_answers_lose_points_in_every_task(grades, chapter):
    score, maximum, cells, written, criteria, _ = grades(chapter)["wrong"]
    assert score < maximum
    full = [name for name, (got, out_of) in cells.items() if got >= out_of]
    assert not full, f"a wrong answer still earned every point of {full}"
    # The wrong submission leaves its short answers empty: zero, with nothing left to grade by hand.
    assert written and all(auto == 0 and not needs_manual for auto, needs_manual in written.values())
    # An essay criterion is a task cell: nbgrader cannot see that the essay is missing, a grader scores it 0.
    assert criteria and all(auto is None and needs_manual for auto, needs_manual in criteria.values())


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_checksum_warnings_come_only_from_hidden_tests_and_mark_schemes(grades, chapter):
    """What the guide tells instructors: autograding an untouched cell with hidden tests or a mark
    scheme logs "Attribute 'checksum' ... has changed", and no other cell does."""
    source = read(assignments.EXERCISES / f"{chapter}.ipynb")
    expected = {
        nbgrader_meta(c)["grade_id"]
        for c in source.cells
        if HIDDEN.search(c.source) or MARK_SCHEME.search(c.source)
    }
    for student in ("right", "wrong"):
        log = grades(chapter)[student][-1]
        warned = set(re.findall(r"Attribute 'checksum' for cell (\S+) has changed", log))
        assert warned == expected, f"{student}: checksum warnings for {sorted(warned ^ expected)}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_an_unanswered_release_fails_validation(course, chapter):
    path = course / "release" / chapter / f"{chapter}.ipynb"
    results = Validator(config=assignments.config(course)).validate(str(path))
    failed = [r["source"] for r in results.get("failed", [])]
    cells = [c for c in read(path).cells if nbgrader_meta(c).get("grade")]
    tests = [c.source.strip() for c in cells if not nbgrader_meta(c)["solution"]]
    written = [c for c in cells if nbgrader_meta(c)["solution"]]
    assert tests and all(t in failed for t in tests), "an autograder test passed with no answer given"
    assert failed.count(TEXT_STUB) == len(written), "a written answer left empty was not reported"


def formgrader_page(course: Path, chapter: str, student: str) -> BeautifulSoup:
    """The page the formgrader shows a grader for one submission, rendered as the formgrader renders it."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config

    settings = Config()
    settings.HTMLExporter.template_name = "formgrade"
    settings.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    html, _ = HTMLExporter(config=settings).from_filename(
        str(course / "autograded" / student / chapter / f"{chapter}.ipynb"),
        resources={
            "assignment_id": chapter,
            "notebook_id": chapter,
            "submission_id": "x",
            "index": 0,
            "total": 1,
            "base_url": "",
            "student": student,
            "last_name": "",
            "first_name": "",
            "notebook_path": "",
        },
    )
    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize("chapter", ["compellence", "introduction"])
def test_the_formgrader_scores_each_essay_criterion_on_its_own(course, grades, chapter):
    grades(chapter)
    soup = formgrader_page(course, chapter, "right")
    boxes = {box["id"]: float(box.parent.get_text(" ").split("/")[-1]) for box in soup.select("input.score")}
    source = read(assignments.EXERCISES / f"{chapter}.ipynb")
    graded = {
        nbgrader_meta(c)["grade_id"]: nbgrader_meta(c)["points"]
        for c in source.cells
        if nbgrader_meta(c).get("grade") or nbgrader_meta(c).get("task")
    }
    assert boxes == graded, "one score box per graded cell, out of its points"
    essay = next(t for t in exercises.tasks(assignments.EXERCISES / f"{chapter}.ipynb") if t.kind == "essay")
    assert (
        sum(boxes[c.grade_id] for c in essay.criteria)
        == essay.points
        == rubric.total([c.as_rubric() for c in essay.criteria])
    )
    # The grader sees each criterion's levels beside its box, and the outline for markers with the first
    # (looked for in a submission without an essay, so that the outline can only come from the mark scheme).
    text = " ".join(formgrader_page(course, chapter, "wrong").get_text(" ").split())
    outline = " ".join(essay.model_answer.split("**")[-1].split())[:60]
    assert all(c.name in text for c in essay.criteria) and outline in text


def test_feedback_shows_the_hidden_tests_and_the_mark_scheme(course, grades):
    """The guide's warning, checked: nbgrader's feedback page carries the hidden tests and mark schemes."""
    chapter = "compellence"
    grades(chapter)
    result = assignments.api(course).generate_feedback(chapter, "wrong")
    assert result["success"], result.get("log")
    page = BeautifulSoup(
        (course / "feedback" / "wrong" / chapter / f"{chapter}.html").read_text(encoding="utf-8"),
        "html.parser",
    ).get_text(" ")
    task = next(
        t for t in exercises.tasks(assignments.EXERCISES / f"{chapter}.ipynb") if t.kind == "autograded"
    )
    hidden_line = next(line for line in task.hidden_tests.splitlines() if line.strip())
    squeezed = "".join(page.split())  # the code is highlighted token by token
    assert "".join(hidden_line.split()) in squeezed and "BEGINHIDDENTESTS" in squeezed
    assert "BEGINMARKSCHEME" in squeezed


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_visible_tests_pass_without_nbgrader_once_answered(course, chapter, tmp_path):
    """What a student on Binder or Colab does: run the notebook with answers in it, plain Jupyter only."""
    source = read(assignments.EXERCISES / f"{chapter}.ipynb")
    nb = answered(read(course / "release" / chapter / f"{chapter}.ipynb"), source)
    # Raises CellExecutionError, naming the cell, if any cell (a visible test above all) fails.
    NotebookClient(
        nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    tests = [c for c in nb.cells if nbgrader_meta(c).get("grade") and c.cell_type == "code"]
    assert tests and all(c.execution_count for c in tests)
