"""The exercise notebooks through the real nbgrader pipeline: release, autograde, validation, and the
student's own check on Binder or Colab without nbgrader."""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbgrader.api import Gradebook
from nbgrader.validator import Validator

from mxsec import assignments

CHAPTERS = assignments.CHAPTERS
pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # raised inside nbgrader's gradebook
SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION.*?^[ \t]*### END SOLUTION[^\n]*\n?", re.S | re.M)
HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[^\n]*\n?", re.S | re.M)
CODE_STUB, TEXT_STUB = "raise NotImplementedError()", "YOUR ANSWER HERE"

# A wrong answer is the right one followed by `name = _spoil(name)` for every name it assigns: a
# plausible wrong value of the same type and shape. This helper goes in front of it.
SPOIL = '''
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
'''


# --------------------------------------------------------------------------- helpers
def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def by_grade_id(nb) -> dict:
    return {nbgrader_meta(c)["grade_id"]: c for c in nb.cells if nbgrader_meta(c)}


def solution_text(source: str) -> str:
    """An answer cell's solution with the region's delimiter lines taken out."""
    return "\n".join(line for line in source.splitlines() if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line)


def autograded_points(nb) -> float:
    return sum(nbgrader_meta(c)["points"] for c in nb.cells
               if nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution"))


def answered(release, source, wrong: bool = False):
    """The release notebook with the source's solutions typed into its answer cells (or spoiled ones)."""
    nb = copy.deepcopy(release)
    solutions = by_grade_id(source)
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if not meta.get("solution"):
            continue
        answer = solution_text(solutions[meta["grade_id"]].source)
        if cell.cell_type == "markdown":
            if not wrong:
                cell.source = answer
            continue
        if wrong:
            names = [t.id for node in ast.parse(answer).body if isinstance(node, ast.Assign)
                     for t in node.targets if isinstance(t, ast.Name)]
            answer = SPOIL + "\n" + answer + "\n" + "\n".join(f"{n} = _spoil({n})" for n in names)
        cell.source = answer
    return nb


# --------------------------------------------------------------------------- the source notebooks
POINTS = re.compile(r"\*\*Points:\*\* (\d+) in total, (\d+) marked automatically and (\d+) by your instructor\.")
TIME = re.compile(r"\*\*Estimated time:\*\* about (\d+) minutes")
ROW = re.compile(r"^\| (\d+) \| ([^|]+) \| (automatically|by your instructor) \| (\d+) \| (\d+) min \|$", re.M)
TASK = re.compile(r"^## Task (\d+)(?: \((short answer|essay)\))?: (.+) \((\d+) points?, about (\d+) minutes\)$", re.M)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_source_notebook_is_an_assignable_nbgrader_notebook(chapter):
    nb = read(assignments.EXERCISES / f"{chapter}.ipynb")
    assert nb.metadata == {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    metas = [nbgrader_meta(c) for c in nb.cells]
    assert all(m.get("schema_version") == 3 and m.get("grade_id") for m in metas), "a cell without nbgrader metadata"
    assert len({m["grade_id"] for m in metas}) == len(metas), "grade_id values repeat"
    kinds = []
    for cell, meta in zip(nb.cells, metas):
        assert cell.cell_type == "markdown" or not (cell.outputs or cell.execution_count), f"{meta['grade_id']} has outputs"
        if meta["solution"]:
            assert not meta["locked"] and SOLUTION.search(cell.source), meta["grade_id"]
            kinds.append("written" if meta["grade"] else "answer")
        elif meta["grade"]:
            assert meta["locked"] and meta["points"] > 0 and cell.cell_type == "code" and HIDDEN.search(cell.source), meta["grade_id"]
            kinds.append("tests")
        else:
            assert meta["locked"], f"{meta['grade_id']}: a cell that is neither answer nor test must be read-only"
    assert 3 <= kinds.count("tests") <= 5 and kinds.count("answer") == kinds.count("tests")
    assert 2 <= kinds.count("written") <= 3, "one or two short answers and one essay"
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
    graded = [("by your instructor" if nbgrader_meta(c)["solution"] else "automatically", nbgrader_meta(c)["points"])
              for c in nb.cells if nbgrader_meta(c)["grade"]]
    rows = ROW.findall(header)
    assert [(kind, int(points)) for _, _, kind, points, _ in rows] == graded, "the task table does not match the graded cells"
    total, auto, manual = map(int, POINTS.search(header).groups())
    assert auto == sum(p for k, p in graded if k == "automatically") and manual == sum(p for k, p in graded if k != "automatically")
    assert total == auto + manual
    assert int(TIME.search(header).group(1)) == sum(int(m) for *_, m in rows)
    # Each task's heading repeats its line of the table: number, title, points and minutes.
    headings = [TASK.search(c.source).groups() for c in nb.cells if TASK.search(c.source)]
    as_rows = [(n, f"{kind.capitalize()}: {title}" if kind else title, p, m) for n, kind, title, p, m in headings]
    assert [(n, t.lower(), p, m) for n, t, p, m in as_rows] == [(n, t.strip().lower(), p, m) for n, t, _, p, m in rows]
    # The essay's rubric: the top level of each criterion adds up to the points of the essay cell.
    prompt = by_grade_id(nb)["essay-prompt"].source
    criteria = [line for line in prompt.splitlines() if line.startswith("| ") and "**" in line and "**Total**" not in line]
    top = sum(max(int(n) for n in re.findall(r"\*\*(\d+)\*\*", line)) for line in criteria)
    stated = int(re.search(r"\| \*\*Total\*\* \| \*\*(\d+)\*\*", prompt).group(1))
    assert len(criteria) >= 3 and top == stated == by_grade_id(nb)["essay-answer"].metadata["nbgrader"]["points"]


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
    {student: (score, maximum, {test cell: (score, maximum)}, {written answer: (score, needs manual grade)})}."""
    source = read(assignments.EXERCISES / f"{chapter}.ipynb")
    release = read(course / "release" / chapter / f"{chapter}.ipynb")
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
            written = {g.name: (g.auto_score, g.needs_manual_grade) for g in notebook.grades if g.cell_type == "markdown"}
            results[student] = (submission.code_score, submission.max_code_score, cells, written)
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
    outside_regions = "\n".join(HIDDEN.sub("", SOLUTION.sub("", c.source)) for c in source.cells)
    secret_lines = {line.strip() for c in source.cells for region in SOLUTION.findall(c.source) + HIDDEN.findall(c.source)
                    for line in region.splitlines() if line.strip() and line.strip() not in outside_regions}
    assert secret_lines, "the source notebook has no solution or hidden test regions"
    leaked = sorted(line for line in secret_lines if line in released_text)
    assert not leaked, f"solution or hidden-test text in the student version: {leaked[:5]}"

    released = by_grade_id(release)
    assert set(released) == set(by_grade_id(source)), "nbgrader cells differ between source and release"
    for grade_id, cell in by_grade_id(source).items():
        meta, student = nbgrader_meta(cell), released[grade_id]
        if meta["solution"]:
            stub = CODE_STUB if cell.cell_type == "code" else TEXT_STUB
            assert stub in student.source, f"{grade_id}: no {stub!r} in the student's answer cell"
        elif meta["grade"]:
            visible = HIDDEN.sub("", cell.source).strip()
            assert "assert" in visible, f"{grade_id}: no visible test"
            assert student.source.strip() == visible, f"{grade_id}: the visible tests changed in the release"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_right_answers_earn_every_autograded_point(grades, chapter):
    score, maximum, cells, written = grades(chapter)["right"]
    expected = autograded_points(read(assignments.EXERCISES / f"{chapter}.ipynb"))
    assert maximum == expected and expected > 0
    assert score == maximum, f"right answers lost points: {cells}"
    assert written and all(needs_manual for _, needs_manual in written.values()), "written answers go to manual grading"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_wrong_answers_lose_points_in_every_task(grades, chapter):
    score, maximum, cells, written = grades(chapter)["wrong"]
    assert score < maximum
    full = [name for name, (got, out_of) in cells.items() if got >= out_of]
    assert not full, f"a wrong answer still earned every point of {full}"
    # The wrong submission leaves its written answers empty: zero, with nothing left to grade by hand.
    assert written and all(auto == 0 and not needs_manual for auto, needs_manual in written.values())


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


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_visible_tests_pass_without_nbgrader_once_answered(course, chapter, tmp_path):
    """What a student on Binder or Colab does: run the notebook with answers in it, plain Jupyter only."""
    source = read(assignments.EXERCISES / f"{chapter}.ipynb")
    nb = answered(read(course / "release" / chapter / f"{chapter}.ipynb"), source)
    # Raises CellExecutionError, naming the cell, if any cell (a visible test above all) fails.
    NotebookClient(nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()
    tests = [c for c in nb.cells if nbgrader_meta(c).get("grade") and c.cell_type == "code"]
    assert tests and all(c.execution_count for c in tests)
