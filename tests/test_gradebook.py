"""Releasing chosen chapters into a course folder, and the gradebook files for Canvas and Moodle, from a
gradebook made by a real nbgrader round trip: release, submit, autograde, grade by hand as the
formgrader does, then export."""

from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from mxsec import assignments, exercises, gradebook
from test_nbgrader import answered, read, submit

pytestmark = pytest.mark.filterwarnings(
    "ignore::sqlalchemy.exc.SAWarning"
)  # raised inside nbgrader's gradebook
CHAPTERS = ["compellence", "assessment"]
# Students as `nbgrader db student import` would add them: ana answers right, ben wrong, cai submits
# only the first assignment and has no email.
STUDENTS = {
    "ana": {"first_name": "Ana", "last_name": "Ruiz, Jr.", "email": "ana@example.edu", "lms_user_id": "5101"},
    "ben": {"first_name": "Ben", "last_name": "Ortega", "email": "ben@example.edu", "lms_user_id": "5102"},
    "cai": {"first_name": "Cai", "last_name": "Lee", "email": None, "lms_user_id": None},
}
SUBMITS = {"ana": CHAPTERS, "ben": CHAPTERS, "cai": CHAPTERS[:1]}
BIN = Path(sys.executable).parent


def manual_scores(chapter: str, student: str) -> dict[str, float]:
    """What a grader gives each written answer and essay criterion in the formgrader."""
    found = {}
    for task in exercises.tasks(assignments.EXERCISES / f"{chapter}.ipynb"):
        if task.kind == "autograded":
            continue
        for grade_id in task.grade_ids:
            full = task.cell_points[grade_id]
            found[grade_id] = full if student == "ana" else (full // 2 if task.kind == "essay" else 0.5)
    return found


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course folder released by the command line, one chapter at a time, then graded: autograded, and
    every written answer and essay criterion scored by hand through the gradebook, as the formgrader does."""
    root = tmp_path_factory.mktemp("course")
    for chapter in CHAPTERS:
        assignments.main(["release", str(root), "--chapter", chapter])
    grader = assignments.api(root)
    with Gradebook(grader.coursedir.db_url, grader.course_id) as gb:
        for student, fields in STUDENTS.items():
            gb.update_or_create_student(student, **fields)
    for chapter in CHAPTERS:
        source = read(assignments.EXERCISES / f"{chapter}.ipynb")
        release = read(root / "release" / chapter / f"{chapter}.ipynb")
        for student, chapters in SUBMITS.items():
            if chapter not in chapters:
                continue
            submit(root, chapter, student, answered(release, source, wrong=student != "ana"))
            result = grader.autograde(chapter, student)
            assert result["success"], result.get("error") or result.get("log")
    return root


def grade_by_hand(course: Path) -> dict[tuple[str, str], float]:
    """Score every written cell; return each submission's total as the grades add up."""
    grader = assignments.api(course)
    totals = {}
    with Gradebook(grader.coursedir.db_url, grader.course_id) as gb:
        for chapter in CHAPTERS:
            for student, chapters in SUBMITS.items():
                if chapter not in chapters:
                    continue
                for grade_id, score in manual_scores(chapter, student).items():
                    grade = gb.find_grade(grade_id, chapter, chapter, student)
                    grade.manual_score, grade.needs_manual_grade = score, False
                gb.db.commit()
                notebook = gb.find_submission_notebook(chapter, chapter, student)
                totals[(student, chapter)] = sum(
                    g.manual_score if g.manual_score is not None else (g.auto_score or 0)
                    for g in notebook.grades
                )
    return totals


@pytest.fixture(scope="module")
def graded(course):
    return grade_by_hand(course)


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


# --------------------------------------------------------------------------- release
def test_release_writes_only_the_chosen_chapters_and_an_nbgrader_config(course):
    assert sorted(p.name for p in (course / "release").iterdir()) == sorted(CHAPTERS)
    config = (course / "nbgrader_config.py").read_text(encoding="utf-8")
    assert config.startswith(assignments.CONFIG_MARK) and "c.CourseDirectory.course_id = 'mxsec'" in config
    # nbgrader's own command line, run in the folder, reads the file and finds the same gradebook.
    listed = subprocess.run(
        [str(BIN / "nbgrader"), "db", "assignment", "list"],
        cwd=course,
        capture_output=True,
        text=True,
        env={"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(course)},
        timeout=300,
    )
    assert listed.returncode == 0, listed.stderr
    assert all(re.search(rf"^{chapter} \(", listed.stdout, re.M) for chapter in CHAPTERS), listed.stdout


def test_release_keeps_an_instructors_own_config_and_edited_sources(course, tmp_path):
    own = course / "nbgrader_config.py"
    original = own.read_text(encoding="utf-8")
    try:
        own.write_text(original.replace(assignments.CONFIG_MARK + "\n", "# my settings\n"), encoding="utf-8")
        assert assignments.write_config(course) == (own, False) and own.read_text(
            encoding="utf-8"
        ).startswith("# my settings")
    finally:
        own.write_text(original, encoding="utf-8")
    source = course / "source" / "compellence" / "compellence.ipynb"
    kept = source.read_bytes()
    source.write_bytes(kept.replace(b"Exercises: Compellence", b"Exercises: Compellence (edited)"))
    try:
        with pytest.raises(assignments.AssignmentError, match=r"compellence\.ipynb.*--replace-source"):
            assignments.release(course, ["compellence"])
        assert b"(edited)" in source.read_bytes()
    finally:
        source.write_bytes(kept)


def test_release_refuses_an_unknown_chapter_naming_the_chapters(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        assignments.main(["release", str(tmp_path / "c"), "--chapter", "compellance"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "'compellance'" in err and "compellence" in err and not (tmp_path / "c").exists()


def test_the_default_course_folder_is_outside_the_build_and_ignored_by_git():
    assert assignments.DEFAULT_COURSE == Path("course")
    root = assignments.ROOT
    ignored = subprocess.run(["git", "check-ignore", "-q", "course/gradebook.db"], cwd=root)
    assert ignored.returncode == 0, "course/ is not ignored by git"
    clean = subprocess.run(
        ["make", "-n", "clean"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert clean.strip() and "course" not in clean, f"make clean would touch the course folder: {clean}"


# --------------------------------------------------------------------------- gradebook files
def test_ungraded_submissions_stop_the_export_naming_them(course, graded, tmp_path):
    grader = assignments.api(course)
    with Gradebook(grader.coursedir.db_url, grader.course_id) as gb:
        gb.find_grade("essay-position", "compellence", "compellence", "ben").needs_manual_grade = True
        gb.db.commit()
    try:
        with pytest.raises(
            gradebook.GradebookError,
            match=r"1 submission still needs grading by hand .*\(ben in compellence\)",
        ):
            gradebook.write(course, tmp_path / "x.csv", "canvas")
        assert not (tmp_path / "x.csv").exists()
        assert gradebook.write(course, tmp_path / "x.csv", "canvas", allow_ungraded=True) == len(STUDENTS)
    finally:
        with Gradebook(grader.coursedir.db_url, grader.course_id) as gb:
            gb.find_grade("essay-position", "compellence", "compellence", "ben").needs_manual_grade = False
            gb.db.commit()


def test_canvas_file_has_canvas_columns_and_the_gradebook_scores(course, graded, tmp_path):
    out = tmp_path / "canvas.csv"
    assignments.main(["gradebook", str(course), str(out), "--format", "canvas"])
    table = rows(out)
    header, points, *people = table
    # As Canvas's importer reads a header: Student, ID, SIS User ID, SIS Login ID, Section, assignments.
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *CHAPTERS]
    assert (
        re.match(r"Student", header[0])
        and re.match(r"ID", header[1])
        and re.match(r"SIS\s+User\s+ID", header[2])
    )
    assert re.match(r"SIS\s+Login\s+ID", header[3]) and re.match(r"Section", header[4])
    maxima = [sum(t.points for t in exercises.tasks(assignments.EXERCISES / f"{c}.ipynb")) for c in CHAPTERS]
    assert points == ["Points Possible", "", "", "", ""] + [f"{m:g}" for m in maxima] and maxima == [27, 25]
    by_login = {r[3]: r for r in people}
    assert sorted(by_login) == sorted(STUDENTS) and len(people) == len(STUDENTS)
    assert by_login["ana"][:5] == ["Ruiz, Jr., Ana", "5101", "", "ana", ""]
    assert by_login["cai"][:5] == ["Lee, Cai", "", "", "cai", ""]
    for student in STUDENTS:
        for i, chapter in enumerate(CHAPTERS):
            cell = by_login[student][5 + i]
            expected = graded.get((student, chapter))
            assert cell == ("" if expected is None else f"{round(expected, 2):g}"), (student, chapter, cell)
    assert float(by_login["ana"][5]) == 27 and float(by_login["ana"][6]) == 25, (
        "right answers, full marks by hand"
    )
    assert 0 < float(by_login["ben"][5]) < 27
    raw = out.read_bytes()
    assert b'"Ruiz, Jr., Ana"' in raw and raw.endswith(b"\r\n") and not raw.startswith(b"\xef\xbb\xbf")


def test_canvas_file_takes_student_columns_and_assignment_ids_from_a_canvas_export(course, graded, tmp_path):
    roster = tmp_path / "export.csv"
    roster.write_text(
        "Student,ID,SIS User ID,SIS Login ID,Section,compellence (5501),Current Score\n"
        "    Points Possible,,,,,20,(read only)\n"
        '"Ruiz, Ana",5101,S-001,ana.ruiz,POL 310 A,,\n'
        '"Ortega, Ben",6002,S-002,ben,POL 310 B,,\n'
        '"Lee, Cai",6003,cai,cai.lee,POL 310 A,,\n'
        '"Student, Test",9999,,,POL 310 A,,\n',
        encoding="utf-8",
    )
    out = tmp_path / "canvas.csv"
    gradebook.write(course, out, "canvas", roster=roster)
    header, points, *people = rows(out)
    assert header[5:] == ["compellence (5501)", "assessment"], (
        "the roster's id for an existing assignment is kept"
    )
    assert points[5:] == ["20", "25"], (
        "Canvas's own points for the assignment it has, the notebook's for a new one"
    )
    first = {r[1]: r[:5] for r in people}
    # ana by her lms_user_id (ID), ben by his nbgrader id (SIS Login ID), cai by his (SIS User ID).
    assert first == {
        "5101": ["Ruiz, Ana", "5101", "S-001", "ana.ruiz", "POL 310 A"],
        "6002": ["Ortega, Ben", "6002", "S-002", "ben", "POL 310 B"],
        "6003": ["Lee, Cai", "6003", "cai", "cai.lee", "POL 310 A"],
    }
    assert all(r[0] != "Student, Test" for r in people)
    roster.write_text(
        roster.read_text(encoding="utf-8").replace('"Lee, Cai",6003,cai,cai.lee', '"Lee, Cai",6003,,cai.lee'),
        encoding="utf-8",
    )
    with pytest.raises(gradebook.GradebookError, match=r"export\.csv: no row .* of cai"):
        gradebook.write(course, out, "canvas", roster=roster)
    (tmp_path / "bad.csv").write_text("Name,Email\n", encoding="utf-8")
    with pytest.raises(gradebook.GradebookError, match=r"bad\.csv: not a gradebook exported from Canvas"):
        gradebook.write(course, out, "canvas", roster=tmp_path / "bad.csv")


def test_moodle_file_has_an_identifier_column_and_a_grade_item_per_assignment(course, graded, tmp_path):
    out = tmp_path / "moodle.csv"
    assignments.main(["gradebook", str(course), str(out), "--format", "moodle"])
    header, *people = rows(out)
    assert header == ["Username", "First name", "Last name", *CHAPTERS]
    by_user = {r[0]: r for r in people}
    assert sorted(by_user) == sorted(STUDENTS)
    for student in STUDENTS:
        for i, chapter in enumerate(CHAPTERS):
            expected = graded.get((student, chapter))
            assert by_user[student][3 + i] == ("-" if expected is None else f"{round(expected, 2):g}")
    # What Moodle's importer accepts in a grade column: a number, or "-" (or nothing) for no grade.
    assert all(re.fullmatch(r"-|\d+(\.\d+)?", cell) for r in people for cell in r[3:])
    assert by_user["cai"][1:3] == ["Cai", "Lee"] and by_user["cai"][4] == "-"
    zero = tmp_path / "zero.csv"
    gradebook.write(course, zero, "moodle", missing="zero")
    assert {r[0]: r[4] for r in rows(zero)[1:]}["cai"] == "0"


def test_moodle_by_email_refuses_students_without_one(course, graded, tmp_path, capsys):
    with pytest.raises(SystemExit):
        assignments.main(
            [
                "gradebook",
                str(course),
                str(tmp_path / "m.csv"),
                "--format",
                "moodle",
                "--moodle-user",
                "email",
            ]
        )
    assert "no email address for cai" in capsys.readouterr().err
    only = tmp_path / "m.csv"
    gradebook.write(course, only, "moodle", assignments=["compellence"], moodle_user="username")
    assert rows(only)[0] == ["Username", "First name", "Last name", "compellence"]


def test_gradebook_errors_name_the_file_and_the_assignment(course, graded, tmp_path):
    with pytest.raises(
        gradebook.GradebookError, match=r"gradebook\.db: no assignment 'protection'.*compellence"
    ):
        gradebook.write(course, tmp_path / "x.csv", "canvas", assignments=["protection"])
    with pytest.raises(gradebook.GradebookError, match=r"nowhere.*gradebook\.db: no gradebook"):
        gradebook.write(tmp_path / "nowhere", tmp_path / "x.csv", "moodle")
    with pytest.raises(gradebook.GradebookError, match="--roster"):
        gradebook.write(course, tmp_path / "x.csv", "moodle", roster=tmp_path / "r.csv")


# --------------------------------------------------------------------------- the instructor's pages
def test_the_assignments_page_documents_every_option_of_the_command():
    page = (assignments.ROOT / "instructor" / "assignments.md").read_text(encoding="utf-8")
    parser = assignments.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    ours = {opt for sub in commands.values() for action in sub._actions for opt in action.option_strings} - {
        "-h",
        "--help",
    }
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", page)) - {
        "--force"
    }  # nbgrader's generate_assignment --force
    assert ours - named == set(), f"options the page does not explain: {sorted(ours - named)}"
    assert named - ours == set(), f"options the page names that the command lacks: {sorted(named - ours)}"
    for command in commands:
        assert f"mxsec {command}" in page


def test_the_guide_warns_about_feedback_and_checksum_warnings():
    guide = (assignments.ROOT / "instructor" / "guide.md").read_text(encoding="utf-8")
    warning = guide[guide.index(":::{warning}\nTwo things nbgrader does") :]
    warning = warning[: warning.index("\n:::\n")]
    assert "feedback shows the hidden tests" in warning and "issues/917" in warning
    assert "Checksum warnings on the hidden-test cells are expected" in warning and "issues/1961" in warning
    assert (
        "Attribute 'checksum' for cell" in warning
    )  # the words nbgrader logs (tests/test_nbgrader.py checks when)
