"""nbgrader's gradebook (gradebook.db, read through nbgrader's API) as a CSV file that a learning
platform's grade import accepts: one row per student, one column per assignment.

- **Canvas** (Grades, Import): the columns ``Student, ID, SIS User ID, SIS Login ID, Section``, then
  one per assignment, and a ``Points Possible`` row under the header. Canvas's gradebook importer
  (GradebookImporter in canvas-lms) finds the header by ``Student`` and ``ID`` in the first two
  columns, ``SIS User ID`` and ``SIS Login ID`` in the next two and ``Section`` in the fifth; it
  matches a row to a student by the Canvas user id (``ID``), then the SIS user id, then the login id,
  then the name (``Student``, as "Last, First" or the full name); it reads the ``Points Possible``
  row as the points of the assignments; and it matches an assignment column by the id in its name
  ("Compellence (1234)"), then by its exact name, creating the assignment otherwise. Without a roster,
  ``ID`` is the student's ``lms_user_id`` in nbgrader, ``SIS Login ID`` the nbgrader student id (a
  JupyterHub user name, often the login id), ``Student`` the name, and the other columns are empty.
  With ``roster`` (the course's gradebook exported from Canvas), each student's first five columns are
  copied from the roster row that has the nbgrader id (or lms_user_id, or email) among its ids, and an
  assignment column takes the roster's name for it ("Compellence (1234)") when there is one, with the
  roster's points (the importer sets an existing assignment's points from the row, too).
- **Moodle** (Grades, Import, CSV file): an identifier column that the import maps to a user field
  (``Username`` to username, or ``Email address`` to email address), ``First name`` and ``Last name``
  (left unmapped), then one column per assignment, each mapped to a grade item or to a new one.
  Moodle's importer (gradeimport_csv_load_data) stops the whole import at the first row whose user it
  cannot find, reads ``-`` or an empty cell as no grade, and rejects anything else that is not a number.

What this follows: Canvas's importer itself (app/models/gradebook_importer.rb in instructure/canvas-lms)
and its guide "How do I import grades in the Gradebook?"; Moodle's guide "Grade import"
(docs.moodle.org) and its importer (grade/import/csv/classes/load_data.php in moodle/moodle).

A student who did not submit an assignment gets no grade (an empty cell for Canvas, ``-`` for
Moodle), or 0 with ``missing="zero"``. A submission that still needs grading by hand stops the
export, naming it, unless ``allow_ungraded``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "CANVAS_COLUMNS",
    "GradebookError",
    "Grades",
    "Student",
    "canvas_rows",
    "moodle_rows",
    "read",
    "write",
]

CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS = "Points Possible"
MOODLE_USER = {"username": "Username", "email": "Email address"}
NO_GRADE = {"canvas": "", "moodle": "-"}
_ID_SUFFIX = re.compile(r"^(.*?)\s*\((\d+)\)\s*$")


class GradebookError(ValueError):
    """The gradebook cannot be written as asked; the message names the file, student or assignment."""


@dataclass
class Student:
    id: str
    first_name: str
    last_name: str
    email: str
    lms_user_id: str
    scores: dict[str, float | None] = field(default_factory=dict)  # None: no submission

    @property
    def name(self) -> str:
        """The name as Canvas sorts it ("Last, First"), or the id when nbgrader has no name."""
        if self.last_name and self.first_name:
            return f"{self.last_name}, {self.first_name}"
        return self.last_name or self.first_name or self.id


@dataclass
class Grades:
    assignments: list[str]
    points: dict[str, float]  # the most an assignment can earn
    students: list[Student]
    ungraded: list[tuple[str, str]]  # (student, assignment) still needing a grade by hand


def read(course: Path, assignments: list[str] | None = None) -> Grades:
    """The scores in `course`/gradebook.db (or the gradebook its nbgrader_config.py names), by nbgrader's API."""
    from nbgrader.api import Gradebook, MissingEntry

    from .assignments import config

    settings = config(course)
    db_url = settings.CourseDirectory.db_url
    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///") :]).exists():
        raise GradebookError(
            f"{db_url[len('sqlite:///') :]}: no gradebook (release and autograde an assignment first)"
        )
    with Gradebook(db_url, settings.CourseDirectory.course_id) as gb:
        known = _book_order([a.name for a in gb.assignments])
        chosen = assignments or known
        unknown = [a for a in chosen if a not in known]
        if unknown:
            raise GradebookError(
                f"{db_url}: no assignment {', '.join(map(repr, unknown))} in the gradebook "
                f"(it has {', '.join(known) or 'none'})"
            )
        points = {a: float(gb.find_assignment(a).max_score) for a in chosen}
        students, ungraded = [], []
        for s in sorted(
            gb.students, key=lambda s: ((s.last_name or "").lower(), (s.first_name or "").lower(), s.id)
        ):
            student = Student(s.id, s.first_name or "", s.last_name or "", s.email or "", s.lms_user_id or "")
            for a in chosen:
                try:
                    sub = gb.find_submission(a, s.id)
                except MissingEntry:
                    student.scores[a] = None
                    continue
                student.scores[a] = float(sub.score)
                if sub.needs_manual_grade:
                    ungraded.append((s.id, a))
            students.append(student)
    return Grades(list(chosen), points, students, ungraded)


def _book_order(names: list[str]) -> list[str]:
    """Assignments in the order of the book's chapters, any others after them by name."""
    from .chapters import slugs

    order = {slug: i for i, slug in enumerate(slugs())}
    return sorted(names, key=lambda name: (order.get(name, len(order)), name))


def _number(score: float) -> str:
    """A score as both platforms read it: a plain decimal with a point, at most two places (7.5, 8)."""
    return f"{round(score, 2):g}"


def _score(student: Student, assignment: str, platform: str, missing: str) -> str:
    score = student.scores[assignment]
    if score is None:
        return "0" if missing == "zero" else NO_GRADE[platform]
    return _number(score)


def _read_roster(path: Path) -> tuple[list[str], list[str], list[list[str]]]:
    """A Canvas gradebook export as (header, Points Possible row or [], student rows)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise GradebookError(f"{path}: cannot read the roster ({err.strerror})") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or rows[0][:5] != CANVAS_COLUMNS:
        got = ", ".join(rows[0][:5]) if rows else "an empty file"
        raise GradebookError(
            f"{path}: not a gradebook exported from Canvas: its first columns are {got}, "
            f"not {', '.join(CANVAS_COLUMNS)}"
        )
    points = next((r for r in rows[1:] if r and CANVAS_POINTS in r[0]), [])
    students = [
        r + [""] * (5 - len(r))
        for r in rows[1:]
        if r and r[0].strip() and CANVAS_POINTS not in r[0] and r[0].strip() != "Student, Test"
    ]
    return rows[0], points, students


def canvas_rows(grades: Grades, roster: Path | None = None, missing: str = "blank") -> list[list[str]]:
    """The CSV rows for Canvas's gradebook import: header, Points Possible, one row per student."""
    titles = {a: a for a in grades.assignments}
    points = {a: _number(grades.points[a]) for a in grades.assignments}
    matched: dict[str, list[str]] = {}
    if roster is not None:
        header, possible, people = _read_roster(roster)
        for at, name in enumerate(header[5:], 5):
            m = _ID_SUFFIX.match(name)
            if m and m.group(1) in titles:
                titles[m.group(1)] = name
                # An assignment Canvas has keeps its own points: the row would otherwise change them.
                if at < len(possible) and re.fullmatch(r"\d+(\.\d+)?", possible[at].strip()):
                    points[m.group(1)] = possible[at].strip()
        unmatched = []
        for s in grades.students:
            keys = {k for k in (s.id, s.lms_user_id, s.email) if k}
            rows = [r for r in people if keys & {r[1].strip(), r[2].strip(), r[3].strip()}]
            if len(rows) > 1:
                raise GradebookError(
                    f"{roster}: the nbgrader student {s.id!r} matches {len(rows)} rows "
                    f"({'; '.join(r[0] for r in rows)})"
                )
            if not rows:
                unmatched.append(s.id)
            else:
                matched[s.id] = rows[0][:5]
        if unmatched:
            raise GradebookError(
                f"{roster}: no row whose ID, SIS User ID or SIS Login ID is the nbgrader id, "
                f"lms_user_id or email of {', '.join(unmatched)}"
            )
    out = [
        CANVAS_COLUMNS + [titles[a] for a in grades.assignments],
        [CANVAS_POINTS, "", "", "", ""] + [points[a] for a in grades.assignments],
    ]
    for s in grades.students:
        first = matched.get(s.id) or [s.name, s.lms_user_id, "", s.id, ""]
        out.append(first + [_score(s, a, "canvas", missing) for a in grades.assignments])
    return out


def moodle_rows(grades: Grades, user: str = "username", missing: str = "blank") -> list[list[str]]:
    """The CSV rows for Moodle's CSV grade import: header, then one row per student."""
    if user not in MOODLE_USER:
        raise GradebookError(f"moodle_user: {user!r}; use one of {', '.join(MOODLE_USER)}")
    out = [[MOODLE_USER[user], "First name", "Last name"] + list(grades.assignments)]
    blank = [s.id for s in grades.students if not (s.id if user == "username" else s.email).strip()]
    if blank:
        raise GradebookError(
            f"no {MOODLE_USER[user].lower()} for {', '.join(blank)} in nbgrader's gradebook; "
            "Moodle would give such a row's grades to the row before it (add them with "
            "`nbgrader db student add`, or use --moodle-user username)"
        )
    for s in grades.students:
        ident = s.id if user == "username" else s.email
        out.append(
            [ident, s.first_name, s.last_name] + [_score(s, a, "moodle", missing) for a in grades.assignments]
        )
    return out


def write(
    course: Path,
    out: Path,
    platform: str,
    assignments: list[str] | None = None,
    roster: Path | None = None,
    moodle_user: str = "username",
    missing: str = "blank",
    allow_ungraded: bool = False,
) -> int:
    """Write the gradebook of `course` for `platform` ("canvas" or "moodle") to `out`; return the
    number of students."""
    if platform not in NO_GRADE:
        raise GradebookError(f"format: {platform!r}; use canvas or moodle")
    if missing not in ("blank", "zero"):
        raise GradebookError(f"missing: {missing!r}; use blank or zero")
    if roster is not None and platform != "canvas":
        raise GradebookError("--roster: a Canvas gradebook export, for --format canvas only")
    grades = read(course, assignments)
    if grades.ungraded and not allow_ungraded:
        shown = ", ".join(f"{student} in {assignment}" for student, assignment in grades.ungraded[:10])
        more = f" and {len(grades.ungraded) - 10} more" if len(grades.ungraded) > 10 else ""
        count = (
            f"{len(grades.ungraded)} submission still needs"
            if len(grades.ungraded) == 1
            else f"{len(grades.ungraded)} submissions still need"
        )
        raise GradebookError(
            f"{count} grading by hand in the formgrader ({shown}{more}); grade them, or pass "
            "--allow-ungraded to write the scores so far"
        )
    rows = (
        canvas_rows(grades, roster, missing)
        if platform == "canvas"
        else moodle_rows(grades, moodle_user, missing)
    )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    return len(grades.students)
