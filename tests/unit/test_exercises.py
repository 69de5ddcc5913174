"""The reader of the exercise notebooks (mxsec.exercises) and the course's rubric scale (mxsec.rubric):
what they accept, the errors they give (naming file, cell and field), and the keys' escaping."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from mxsec import exercises, rubric
from mxsec.assignments import assignment_names

ROOT = Path(__file__).resolve().parents[2]


def criterion(name: str, *levels: tuple[str, float]) -> dict:
    return {
        "criterion": name,
        "levels": [{"label": lab, "points": pts, "descriptor": f"{lab} work"} for lab, pts in levels],
    }


# --------------------------------------------------------------------------- the scale
def test_levels_follow_the_scale():
    assert rubric.levels_for(4) == [("Strong", 4), ("Adequate", 2), ("Weak", 0)]
    assert rubric.levels_for(3) == [("Strong", 3), ("Adequate", 1), ("Weak", 0)]
    assert rubric.levels_for(2) == [("Strong", 2), ("Weak", 0)]
    for bad in (1, 0, 2.5, True):
        with pytest.raises(ValueError):
            rubric.levels_for(bad)


def test_a_rubric_on_the_scale_gives_its_total():
    good = [
        criterion("Argument", ("Strong", 4), ("Adequate", 2), ("Weak", 0)),
        criterion("Comparison", ("Strong", 2.0), ("Weak", 0)),
    ]
    assert rubric.check(good, "here") == rubric.total(good) == 6


@pytest.mark.parametrize(
    "levels, message",
    [
        (
            (("Strong", 3), ("Adequate", 2), ("Weak", 0)),
            r"Strong 3, Adequate 2, Weak 0; the course's scale gives a 3-point criterion Strong 3, Adequate 1, Weak 0",
        ),
        (
            (("Excellent", 3), ("Good", 2), ("Developing", 1), ("Missing", 0)),
            r"Excellent 3, Good 2.*Strong 3, Adequate 1, Weak 0",
        ),
        (
            (("Strong", 2), ("Adequate", 1), ("Weak", 0)),
            r"Strong 2, Adequate 1, Weak 0; the course.s scale gives a 2-point criterion Strong 2, Weak 0",
        ),
        (
            (("Strong", 1), ("Weak", 0)),
            r"the first level must be Strong, worth a whole number of points, 2 or more",
        ),
    ],
)
def test_a_rubric_off_the_scale_is_refused_naming_rubric_and_criterion(levels, message):
    bad = [criterion("Evidence", *levels), criterion("Argument", ("Strong", 2), ("Weak", 0))]
    with pytest.raises(
        rubric.RubricError,
        match=r"^data/questions/x\.yaml: question q1, criterion 'Evidence', field 'levels': " + message,
    ):
        rubric.check(bad, "data/questions/x.yaml: question q1")


def test_a_rubric_needs_two_named_distinct_criteria_with_descriptors():
    one = [criterion("Argument", ("Strong", 2), ("Weak", 0))]
    with pytest.raises(rubric.RubricError, match="two criteria or more"):
        rubric.check(one, "r")
    with pytest.raises(rubric.RubricError, match="the criterion 'Argument' appears twice"):
        rubric.check(one * 2, "r")
    blank = copy.deepcopy(one + [criterion("Other", ("Strong", 2), ("Weak", 0))])
    blank[1]["levels"][1]["descriptor"] = " "
    with pytest.raises(rubric.RubricError, match=r"criterion 'Other'.*the level Weak has no descriptor"):
        rubric.check(blank, "r")


# --------------------------------------------------------------------------- the notebooks
def test_every_notebook_reads_as_tasks_whose_points_match_its_header():
    for chapter in assignment_names():
        found = exercises.tasks(chapter)
        kinds = [t.kind for t in found]
        assert kinds.count("essay") == 1 and kinds[-1] == "essay" and "short answer" in kinds
        essay = found[-1]
        assert essay.model_answer.startswith("**Model answer") and essay.marking.startswith("**Marking.**")
        assert [c.points for c in essay.criteria] == [3, 3, 3, 3] and essay.points == 12
        assert all(t.solution and t.hidden_tests and t.visible_tests for t in found if t.kind == "autograded")


def broken(tmp_path: Path, change) -> Path:
    nb = json.loads((ROOT / "exercises" / "compellence.ipynb").read_text(encoding="utf-8"))
    change(nb["cells"])
    path = tmp_path / "compellence.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def cell(cells, grade_id):
    return next(c for c in cells if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def _set_points(grade_id: str, points: float):
    def change(cells):
        cell(cells, grade_id)["metadata"]["nbgrader"]["points"] = points

    return change


def _edit_source(grade_id: str, edit):
    def change(cells):
        c = cell(cells, grade_id)
        c["source"] = [edit("".join(c["source"]))]

    return change


@pytest.mark.parametrize(
    "change, error, message",
    [
        (
            lambda cells: cell(cells, "task4-prompt")["metadata"].pop("mxsec"),
            exercises.ExerciseError,
            r"^exercises/compellence\.ipynb: cell \d+ \(task4-prompt\), field 'metadata\.mxsec\.outcomes': the cell that opens Task 4",
        ),
        (
            _set_points("task1-tests", 5),
            exercises.ExerciseError,
            r"compellence\.ipynb: Task 1: its heading gives 2 points, its graded cells task1-tests 5",
        ),
        (
            _edit_source(
                "essay-evidence", lambda t: t.replace("**Adequate** (1 point)", "**Adequate** (2 points)")
            ),
            rubric.RubricError,
            r"cell \d+ \(essay-evidence\), criterion 'Evidence', field 'levels'",
        ),
        (
            _set_points("essay-evidence", 4),
            exercises.ExerciseError,
            r"\(essay-evidence\), field 'metadata\.nbgrader\.points': 4, but the cell says",
        ),
        (
            _edit_source("essay-position", lambda t: t[: t.index("=== BEGIN MARK SCHEME")]),
            exercises.ExerciseError,
            r"Task 7: the first criterion's mark scheme holds the model answer",
        ),
    ],
    ids=[
        "no outcomes",
        "points off the heading",
        "criterion off the scale",
        "criterion points",
        "no mark scheme",
    ],
)
def test_a_notebook_out_of_shape_is_refused_naming_file_cell_and_field(tmp_path, change, error, message):
    with pytest.raises(error, match=message):
        exercises.tasks(broken(tmp_path, change))


# --------------------------------------------------------------------------- the keys
def test_notebook_markdown_reaches_the_page_without_html_or_math():
    text = "A <b>bold</b> claim & 5 $ and $x$, but `a < b & $c` stays code"
    out = exercises.markdown_text(text)
    assert out == "A &lt;b&gt;bold&lt;/b&gt; claim &amp; 5 \\$ and \\$x\\$, but `a < b & $c` stays code"
    assert exercises.code_block("x = '```'") == "````python\nx = '```'\n````"


def test_a_key_gives_the_points_outcomes_answers_tests_and_rubric():
    key = exercises.key_markdown("compellence")
    assert (
        key.startswith("## Compellence\n") and "**27 points**, 9 marked automatically and 18 by hand" in key
    )
    assert (
        "| Task 7 (essay): Reluctance or quiet change? | by your instructor | 12 | `essay-position` (3)"
        in key
    )
    assert "forces_growth_pct = (after - before) / before * 100" in key  # a model answer
    assert "assert math.isclose(forces_growth_pct" in key  # a hidden test
    assert "**Model answer (outline for markers).**" in key and "**Marking.**" in key
    assert "| Position (`essay-position`, 3) | 3: a clear thesis" in key
    assert "compellence-4, **interpret** the growth" in key
    with pytest.raises(exercises.ExerciseError, match="cannot read the notebook"):
        exercises.key_markdown("no-such-chapter")
