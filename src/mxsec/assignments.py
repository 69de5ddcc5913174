"""Turn the nbgrader source notebooks in exercises/ into student versions inside an nbgrader course folder."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from .build import chapters, course_files


def assignment_names() -> list[str]:
    """One assignment per numbered chapter, in the order of the book ("introduction", ...)."""
    return [Path(docname).name for docname in chapters(paper_only=True)]


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


def config(course: Path):
    """nbgrader settings for the course folder `course`: its gradebook is `course`/gradebook.db."""
    from traitlets.config import Config

    course = Path(course).resolve()
    settings = Config()
    settings.CourseDirectory.root = str(course)
    settings.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    settings.Exchange.root = str(course / "exchange")  # never a shared one: this module only generates
    settings.ExecutePreprocessor.kernel_name = "python3"
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


def release(course: Path, chapters: list[str] | None = None) -> list[Path]:
    """Copy each chapter's source notebook to source/<ch>/<ch>.ipynb, generate release/<ch>/<ch>.ipynb."""
    course = Path(course).resolve()
    grader = api(course)
    released = []
    exercises = course_files() / "exercises"
    for chapter in chapters or assignment_names():
        target = course / "source" / chapter / f"{chapter}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(exercises / f"{chapter}.ipynb", target)
        result = grader.generate_assignment(chapter)
        if not result["success"]:
            raise RuntimeError(f"nbgrader could not generate {chapter}:\n{result.get('error') or result.get('log')}")
        released.append(course / "release" / chapter / f"{chapter}.ipynb")
    return released


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m mxsec.assignments", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("release", help="generate the student version of every exercise notebook")
    make.add_argument("outdir", type=Path, help="the nbgrader course folder to create or update")
    args = parser.parse_args(argv)
    for path in release(args.outdir):
        print(path)
    print(f"Student versions are in {args.outdir.resolve() / 'release'}; the gradebook is {args.outdir.resolve() / 'gradebook.db'}.")


if __name__ == "__main__":
    main()
