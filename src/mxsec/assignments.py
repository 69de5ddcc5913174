"""The exercise notebooks as nbgrader assignments: release the chapters you choose into an nbgrader
course folder (with its nbgrader_config.py), and write its gradebook as a CSV file that Canvas or
Moodle imports.

    mxsec release [COURSE] [--chapter compellence --chapter assurance ...]
    mxsec gradebook COURSE --format canvas|moodle OUT.csv

COURSE defaults to ./course, a folder outside the book's _build/ (which `make clean` deletes) and
ignored by git in a checkout: the gradebook in it is the only copy of the grades.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import sys
from pathlib import Path

from .build import course_files

DEFAULT_COURSE = Path("course")
DEFAULT_COURSE_ID = "mxsec"
CONFIG = "nbgrader_config.py"
# The first line of the nbgrader_config.py that `release` writes; a file without it is the
# instructor's own, which release leaves alone.
CONFIG_MARK = "# nbgrader settings for this course folder, written by python -m mxsec.assignments release."
CONFIG_TEXT = (
    CONFIG_MARK
    + """
# nbgrader reads this file when its commands run in this folder (`nbgrader autograde compellence`), and
# the formgrader reads it when JupyterLab is started here. Edit it freely: once you remove the first
# line, release never touches it again. Options: https://nbgrader.readthedocs.io/en/stable/configuration/
import os

c = get_config()  # noqa: F821 (nbgrader defines get_config)
here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = here
# Your course's id on JupyterHub if you hand out work through nbgrader's exchange
# (`nbgrader release_assignment`); change it before the first release_assignment.
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "gradebook.db")
c.ExecutePreprocessor.kernel_name = "python3"
c.ExecutePreprocessor.timeout = 120

# Students: `nbgrader db student import students.csv` (columns id, first_name, last_name, email and
# lms_user_id); the gradebook files for Canvas and Moodle take their names and ids from there.
"""
)


def assignment_names() -> list[str]:
    """One assignment per numbered chapter, in the order of the book ("introduction", ...)."""
    from .chapters import slugs

    return slugs()


def __getattr__(name: str):
    """ROOT, EXERCISES and CHAPTERS, looked up on first use (importing this module reads no file).

    ROOT is the folder holding the course's files: the copy inside an installed wheel, or the
    source checkout; EXERCISES its nbgrader source notebooks; CHAPTERS one assignment per chapter,
    in the order of the book.
    """
    if name == "ROOT":
        return course_files()
    if name == "EXERCISES":
        return course_files() / "exercises"
    if name == "CHAPTERS":
        return assignment_names()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class AssignmentError(ValueError):
    """A request the course folder cannot satisfy; the message says which file or option and why."""


def write_config(course: Path, course_id: str = DEFAULT_COURSE_ID) -> tuple[Path, bool]:
    """Write `course`/nbgrader_config.py unless the instructor has made it their own (see CONFIG_MARK);
    return its path and whether it was written."""
    path = Path(course) / CONFIG
    if path.exists() and not path.read_text(encoding="utf-8").startswith(CONFIG_MARK):
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CONFIG_TEXT.format(course_id=course_id), encoding="utf-8")
    return path, True


def config(course: Path):
    """nbgrader settings for the course folder `course`: its nbgrader_config.py if it has one, then
    what this module needs on top (the folder as root, its gradebook.db unless the file names
    another, a private exchange: this module only generates and grades)."""
    from traitlets.config import Config, PyFileConfigLoader

    course = Path(course).resolve()
    settings = Config()
    if (course / CONFIG).exists():
        try:
            settings.merge(PyFileConfigLoader(CONFIG, path=str(course)).load_config())
        except Exception as err:  # a SyntaxError or NameError in the instructor's file
            raise AssignmentError(
                f"{course / CONFIG}: nbgrader cannot read it ({type(err).__name__}: {err})"
            ) from None
    settings.CourseDirectory.root = str(course)
    if "db_url" not in settings.CourseDirectory:
        settings.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    if "course_id" not in settings.CourseDirectory:
        settings.CourseDirectory.course_id = DEFAULT_COURSE_ID
    settings.Exchange.root = str(course / "exchange")
    if "kernel_name" not in settings.ExecutePreprocessor:
        settings.ExecutePreprocessor.kernel_name = "python3"
    if "timeout" not in settings.ExecutePreprocessor:
        settings.ExecutePreprocessor.timeout = 120
    settings.NbGraderAPI.log_level = "WARN"
    return settings


def api(course: Path):
    """nbgrader's Python API bound to the course folder `course`."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    # A new gradebook is stamped by running the `alembic` command, which sits beside this Python in a
    # virtual environment that was not activated (`.venv/bin/python -m ...`).
    bindir = Path(sys.executable).parent
    if shutil.which("alembic") is None and (bindir / "alembic").exists():
        os.environ["PATH"] = str(bindir) + os.pathsep + os.environ.get("PATH", "")
    settings = config(course)
    return NbGraderAPI(coursedir=CourseDirectory(config=settings), config=settings)


def _chosen(chapters: list[str] | None) -> list[str]:
    known = assignment_names()
    chosen = list(dict.fromkeys(chapters or known))
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise AssignmentError(
            f"no exercise notebook for {', '.join(map(repr, unknown))}; the chapters are {', '.join(known)}"
        )
    return chosen


def release(
    course: Path = DEFAULT_COURSE,
    chapters: list[str] | None = None,
    replace_source: bool = False,
    course_id: str = DEFAULT_COURSE_ID,
) -> list[Path]:
    """Copy each chosen chapter's source notebook (default: all, in book order) to
    source/<ch>/<ch>.ipynb and generate its student version, release/<ch>/<ch>.ipynb; write the
    folder's nbgrader_config.py first. A source notebook already in the folder that differs from the
    course's (edited by the instructor, or from an older version of the course) is kept, and the
    release stops, unless `replace_source`."""
    course = Path(course).resolve()
    chosen = _chosen(chapters)
    exercises = course_files() / "exercises"
    conflicts = [
        course / "source" / ch / f"{ch}.ipynb"
        for ch in chosen
        if (course / "source" / ch / f"{ch}.ipynb").exists()
        and not filecmp.cmp(exercises / f"{ch}.ipynb", course / "source" / ch / f"{ch}.ipynb", shallow=False)
    ]
    if conflicts and not replace_source:
        raise AssignmentError(
            "these source notebooks differ from the course's and were left as they are: "
            + ", ".join(map(str, conflicts))
            + " (pass --replace-source to overwrite them)"
        )
    write_config(course, course_id)
    grader = api(course)
    released = []
    for chapter in chosen:
        target = course / "source" / chapter / f"{chapter}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(exercises / f"{chapter}.ipynb", target)
        result = grader.generate_assignment(chapter)
        if not result["success"]:
            raise AssignmentError(
                f"nbgrader could not generate {chapter}:\n{result.get('error') or result.get('log')}"
            )
        released.append(course / "release" / chapter / f"{chapter}.ipynb")
    return released


def build_parser(prog: str = "python -m mxsec.assignments") -> argparse.ArgumentParser:
    """The command line: `release` and `gradebook`."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser(
        "release", help="generate the student versions of the chapters' exercise notebooks"
    )
    make.add_argument(
        "course",
        nargs="?",
        type=Path,
        default=DEFAULT_COURSE,
        help="the nbgrader course folder to create or update (default: ./course)",
    )
    make.add_argument(
        "--chapter",
        action="append",
        dest="chapters",
        metavar="CHAPTER",
        help="a chapter to release, e.g. compellence (repeat it for more; default: every chapter)",
    )
    make.add_argument(
        "--course-id",
        default=DEFAULT_COURSE_ID,
        help=f"the course id written into nbgrader_config.py (default: {DEFAULT_COURSE_ID})",
    )
    make.add_argument(
        "--replace-source",
        action="store_true",
        help="overwrite source notebooks in the folder that differ from the course's",
    )
    book = commands.add_parser("gradebook", help="write the gradebook as a CSV file for Canvas or Moodle")
    book.add_argument("course", type=Path, help="the nbgrader course folder (holding gradebook.db)")
    book.add_argument("out", type=Path, help="the CSV file to write")
    book.add_argument("--format", required=True, choices=("canvas", "moodle"))
    book.add_argument(
        "--assignment",
        action="append",
        dest="assignments",
        metavar="NAME",
        help="an assignment to include (repeat it; default: every assignment in the gradebook)",
    )
    book.add_argument(
        "--roster",
        type=Path,
        help="canvas: the course's gradebook exported from Canvas, to copy its student columns from",
    )
    book.add_argument(
        "--moodle-user",
        choices=("username", "email"),
        default="username",
        help="moodle: identify students by username (nbgrader's student id) or email (default: username)",
    )
    book.add_argument(
        "--missing",
        choices=("blank", "zero"),
        default="blank",
        help="an assignment not submitted: no grade (default) or zero",
    )
    book.add_argument(
        "--allow-ungraded",
        action="store_true",
        help="write submissions that still need grading by hand (their scores so far)",
    )
    return parser


def main(argv: list[str] | None = None, prog: str = "python -m mxsec.assignments") -> None:
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    try:
        if args.command == "release":
            for path in release(args.course, args.chapters, args.replace_source, args.course_id):
                print(path)
            course = args.course.resolve()
            print(
                f"Student versions are in {course / 'release'}; the gradebook is {course / 'gradebook.db'}; "
                f"run nbgrader's commands in {course} (settings: {course / CONFIG})."
            )
        else:
            from . import gradebook

            rows = gradebook.write(
                args.course,
                args.out,
                args.format,
                assignments=args.assignments,
                roster=args.roster,
                moodle_user=args.moodle_user,
                missing=args.missing,
                allow_ungraded=args.allow_ungraded,
            )
            print(f"{args.out}: {rows} students, for {args.format.capitalize()}'s grade import")
    except (AssignmentError, ValueError, FileNotFoundError) as err:
        parser.exit(2, f"{parser.prog} {args.command}: error: {err}\n")


if __name__ == "__main__":
    main()
