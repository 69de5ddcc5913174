"""What the tests of the PDF, EPUB and offline editions share: building an edition beside the
session's student build (reusing its executed notebooks and doctrees), and Debian's Chromium."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from common import ROOT, jupyter_book


def path_output(student_site: Path) -> Path:
    """The --path-output folder of the session's student build (its site is <it>/_build/html)."""
    return student_site.parents[1]


def build_edition(student_site: Path, *builder: str) -> subprocess.CompletedProcess:
    """Build the student edition with another builder, warnings as errors, next to the student build:
    same sources, same execution cache and doctrees, so no notebook runs again."""
    args = jupyter_book(path_output(student_site), "--builder", *builder)
    return subprocess.run(
        args,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        capture_output=True,
        text=True,
        timeout=1800,
    )


def warnings(output: str) -> list[str]:
    return re.findall(r"WARNING: (?!.*Kernel is running over TCP).*", output)


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
