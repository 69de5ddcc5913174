"""A class on the hub, end to end over HTTP: the instructor releases a chapter's assignment through
nbgrader's exchange (the formgrader's API); three students log in, fetch it (nbgrader's assignment
list), answer it (one right, one partly right, one blank) through the contents API and submit it; the
instructor collects and autogrades (the formgrader's API) and exports the gradebook for Canvas (in a
kernel of their server); the scores are those the notebook's points give for the answers; no student
reaches another's files, server or submission.

Each user is a real Unix user (LocalProcessSpawner), so the isolation tested is the machine's own."""

from __future__ import annotations

import csv
import io
import json
import re
import time

import nbformat
import pytest
from classrooms import start_classroom
from hubclient import HubUser

from common import ROOT
from mxsec.hub import Account

CHAPTER = "compellence"
COURSE = "mxsec"
INSTRUCTOR = Account("mxt-teacher", "instructor")
RIGHT, PARTLY, BLANK = (Account(f"mxt-{kind}", "student") for kind in ("right", "partly", "blank"))
STUDENTS = [RIGHT, PARTLY, BLANK]
SOLUTION_LINE = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION.*$\n?", re.M)

pytestmark = pytest.mark.timeout(1800)  # a cold run builds the venvs first


# --------------------------------------------------------------------------- what the scores must be
def source() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "exercises" / f"{CHAPTER}.ipynb", as_version=4)


def meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def code_answers() -> list[str]:
    """The grade_ids of the answer cells that tests grade (code cells with a solution, no points)."""
    return [meta(c)["grade_id"] for c in source().cells if meta(c).get("solution") and c.cell_type == "code"]


def grading_cell(answer_id: str) -> tuple[str, float]:
    """The test cell that grades an answer cell: the next cell with points and no solution."""
    cells = source().cells
    at = next(i for i, c in enumerate(cells) if meta(c).get("grade_id") == answer_id)
    cell = next(c for c in cells[at + 1 :] if meta(c).get("grade") and not meta(c).get("solution"))
    return meta(cell)["grade_id"], float(meta(cell)["points"])


PARTLY_ANSWERED = code_answers()[:2]  # the first two tasks that tests grade, right; the rest left blank


def expected_scores() -> dict[str, float]:
    """From the notebook's points: every autograded point for the right answers, the points of the two
    answered tasks' tests for the partly right ones, none for a blank notebook. Written answers and
    the essay wait for the instructor, so they add nothing yet."""
    every = sum(grading_cell(a)[1] for a in code_answers())
    return {RIGHT.name: every, PARTLY.name: sum(grading_cell(a)[1] for a in PARTLY_ANSWERED), BLANK.name: 0.0}


def total_points() -> float:
    return sum(
        float(meta(c)["points"]) for c in source().cells if meta(c).get("grade") or meta(c).get("task")
    )


def answered(released: dict, which: list[str] | None) -> dict:
    """The released notebook with the source's solutions typed into the answer cells `which` (None: all)."""
    solutions = {
        meta(c)["grade_id"]: SOLUTION_LINE.sub("", c.source)
        for c in source().cells
        if meta(c).get("solution")
    }
    nb = json.loads(json.dumps(released))
    for cell in nb["cells"]:
        grade_id = meta(cell).get("grade_id")
        if grade_id in solutions and (which is None or grade_id in which):
            cell["source"] = solutions[grade_id]
    return nb


# --------------------------------------------------------------------------- the class
@pytest.fixture(scope="module")
def classroom(venvs):
    classroom = start_classroom(venvs, "hub-test-class", [INSTRUCTOR, *STUDENTS], chapters=[CHAPTER])
    yield classroom
    classroom.teardown()


@pytest.fixture(scope="module")
def users(classroom):
    """Everyone logged in through the hub's form, with their server started."""
    logged = {}
    for account in [INSTRUCTOR, *STUDENTS]:
        user = HubUser(classroom.url, account.name)
        response = user.login(account.password)
        assert response.status_code == 302, f"{account.name} could not log in: {response.status_code}"
        assert user.whoami()["name"] == account.name
        logged[account.name] = user
    for user in logged.values():
        user.start_server()
    return logged


@pytest.fixture(scope="module")
def term(classroom, users):
    """The whole term, step by step; what each step answered, for the tests below."""
    teacher = users[INSTRUCTOR.name]
    record = {"started": time.monotonic()}
    record["release"] = teacher.server(
        "POST", f"formgrader/api/assignment/{CHAPTER}/release", "release"
    ).json()
    assert record["release"]["success"], record["release"].get("error") or record["release"]
    record["lists"], record["saved"] = {}, {}
    for account, which in ((RIGHT, None), (PARTLY, PARTLY_ANSWERED), (BLANK, [])):
        student = users[account.name]
        listed = student.server("GET", f"assignments?course_id={COURSE}", "the assignment list").json()
        fetched = student.server(
            "POST", "assignments/fetch", "fetch", data={"course_id": COURSE, "assignment_id": CHAPTER}
        ).json()
        path = f"{CHAPTER}/{CHAPTER}.ipynb"
        released = student.contents(path).json()["content"]
        notebook = answered(released, which)
        student.put_notebook(path, notebook)
        record["saved"][account.name] = notebook
        submitted = student.server(
            "POST", "assignments/submit", "submit", data={"course_id": COURSE, "assignment_id": CHAPTER}
        ).json()
        record["lists"][account.name] = (listed, fetched, submitted)
    record["collect"] = teacher.server(
        "POST", f"formgrader/api/assignment/{CHAPTER}/collect", "collect"
    ).json()
    assert record["collect"]["success"], record["collect"].get("error") or record["collect"]
    record["autograde"] = {
        s.name: teacher.server(
            "POST", f"formgrader/api/submission/{CHAPTER}/{s.name}/autograde", "autograde"
        ).json()
        for s in STUDENTS
    }
    record["submissions"] = teacher.server(
        "GET", f"formgrader/api/submissions/{CHAPTER}", "the submissions"
    ).json()
    # nbgrader has no HTTP handler for exporting: the instructor runs the course's command in a kernel.
    out, error = teacher.execute(
        "import subprocess, sys\n"
        "proc = subprocess.run([sys.executable, '-m', 'mxsec.assignments', 'gradebook', 'mxsec', "
        "'grades-canvas.csv', '--format', 'canvas', '--allow-ungraded'], capture_output=True, text=True)\n"
        "print(proc.returncode, proc.stdout, proc.stderr)\n"
    )
    assert error is None and out.startswith("0 "), f"the gradebook export failed: {out} {error}"
    record["csv"] = teacher.contents("grades-canvas.csv?type=file&format=text").json()["content"]
    record["seconds"] = time.monotonic() - record["started"]
    return record


def statuses(listing: dict) -> list[str]:
    """The statuses of the chapter's entries in a reply of the assignment list ("released", ...)."""
    assert listing["success"], listing
    return sorted(
        a["status"] for a in listing["value"] if a["assignment_id"] == CHAPTER and a["course_id"] == COURSE
    )


def test_a_wrong_password_is_refused(classroom):
    user = HubUser(classroom.url, RIGHT.name)
    response = user.login(RIGHT.password + "x")
    assert response.status_code != 302 and "Invalid username or password" in response.text
    assert user.hub_api("GET", "/user", "whoami", expect=(403,)).status_code == 403


def test_each_student_fetches_and_submits_through_the_exchange(term):
    for account in STUDENTS:
        listed, fetched, submitted = term["lists"][account.name]
        assert statuses(listed) == ["released"] and statuses(fetched) == ["fetched"], account.name
        # after submitting, the list shows the fetched copy and the submission, by its student
        assert statuses(submitted) == ["fetched", "submitted"], account.name
        mine = [a for a in submitted["value"] if a["status"] == "submitted"]
        assert [a["student_id"] for a in mine] == [account.name]


def test_autograded_scores_are_those_the_points_give(term):
    assert all(result["success"] for result in term["autograde"].values()), term["autograde"]
    scores = {s["student"]: s for s in term["submissions"]}
    expected = expected_scores()
    assert expected[RIGHT.name] > expected[PARTLY.name] > expected[BLANK.name] == 0
    for name, points in expected.items():
        assert scores[name]["score"] == scores[name]["code_score"] == pytest.approx(points), (
            name,
            scores[name],
        )
        assert scores[name]["max_score"] == pytest.approx(total_points())


def test_the_exported_gradebook_has_the_same_scores(term):
    rows = list(csv.reader(io.StringIO(term["csv"])))
    header, possible, *students = rows
    column = header.index(next(h for h in header if h.lower().startswith(CHAPTER)))
    assert possible[0] == "Points Possible" and float(possible[column]) == total_points()
    got = {row[header.index("SIS Login ID")]: float(row[column]) for row in students}
    assert got == pytest.approx(expected_scores())


def test_each_student_sees_only_their_own_files(users, term):
    for account in STUDENTS:
        student = users[account.name]
        top = {item["name"] for item in student.contents("").json()["content"]}
        assert top == {CHAPTER}, f"{account.name} sees {top}"
        mine = student.contents(f"{CHAPTER}/{CHAPTER}.ipynb").json()["content"]
        assert [c["source"] for c in mine["cells"]] == [
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in term["saved"][account.name]["cells"]
        ]
        for other in STUDENTS:
            if other is not account:
                # their contents API stops at their home; the hub keeps them out of the other's server
                student.contents(f"../{other.name}/{CHAPTER}/{CHAPTER}.ipynb", expect=(404, 403))
                # as a browser would: the page, through the hub's OAuth, which asks whether this user
                # may use that server (their own page answered 200 when their server started)
                response = student.session.get(f"{student.hub_url}/user/{other.name}/lab", timeout=60)
                assert response.status_code == 403, (account.name, other.name, response.status_code)


def test_a_student_cannot_read_a_classmates_submission(classroom, users, term):
    inbound = classroom.exchange / COURSE / "inbound"
    submitted = [p for p in inbound.iterdir() if p.name.startswith(f"{RIGHT.name}+{CHAPTER}+")]
    assert len(submitted) == 1, sorted(p.name for p in inbound.iterdir())
    paths = {
        "their working copy": RIGHT.home / CHAPTER / f"{CHAPTER}.ipynb",
        "their submission": submitted[0] / f"{CHAPTER}.ipynb",
        "the inbound folder": inbound,
    }
    code = (
        "import os\n"
        f"for label, path in {[(k, str(v)) for k, v in paths.items()]!r}:\n"
        "    try:\n"
        "        os.listdir(path) if os.path.isdir(path) else open(path).read()\n"
        "        print(label, 'READ')\n"
        "    except PermissionError:\n"
        "        print(label, 'PermissionError')\n"
    )
    out, error = users[PARTLY.name].execute(code)
    assert error is None, error
    assert out.splitlines() == [f"{label} PermissionError" for label in paths], out
    # The instructor's group reads the submission (collect did), and the file is not readable by others.
    assert submitted[0].joinpath(f"{CHAPTER}.ipynb").stat().st_mode & 0o007 == 0


def test_students_have_no_formgrader(users, term):
    student = users[BLANK.name]
    student.server(
        "POST", f"formgrader/api/assignment/{CHAPTER}/collect", "collect as a student", expect=(404, 403)
    )
