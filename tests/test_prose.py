"""The prose of the book: its numbers come from data/, its words are its own, each chapter is complete."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from common import ROOT, chapters, paper_chapters
from mxsec.data import numbers_held, numbers_in
from mxsec.prose import markdown_of, prose


def _shared_tool(name: str, env: str) -> Path | None:
    """One of the paper's checks, from $<env> or a shared/tools/ folder beside the checkout (or above it).

    The checks need the paper's full text, which is not distributed with the course."""
    if os.environ.get(env):
        return Path(os.environ[env])
    for folder in ROOT.parents:
        candidate = folder / "shared" / "tools" / name
        if candidate.exists():
            return candidate
    return None


COPYCHECK = _shared_tool("copycheck.py", "MXSEC_COPYCHECK")
PARAPHRASE = _shared_tool("paraphrase.py", "MXSEC_PARAPHRASE")
CHAPTERS = paper_chapters()


def is_year(number: float) -> bool:
    return number.is_integer() and 1640 <= number <= 2030


@pytest.mark.parametrize("docname", chapters())
def test_every_number_in_the_prose_is_one_the_data_holds(docname):
    held = numbers_held()
    stray = sorted(n for n in numbers_in(prose(markdown_of(docname))) if n not in held and not is_year(n))
    assert not stray, (
        f"{docname}: numbers not found in data/: {stray} (add the fact to data/ or derive it with glue)"
    )


def test_prose_check_catches_a_number_the_data_does_not_hold():
    held = numbers_held()
    caught = [
        n
        for n in numbers_in(prose("Refugees fell to 3,228 by 2005 ({cite:p}`Echandi2007`)."))
        if n not in held and not is_year(n)
    ]
    assert caught == [3228]


@pytest.mark.parametrize("docname", CHAPTERS)
def test_chapter_has_every_part_a_student_needs(docname):
    text = markdown_of(docname)
    assert "Learning objectives" in text
    for heading in ("Check your understanding", "Discussion questions", "Summary", "Key terms", "Exercises"):
        assert re.search(rf"^##+ {heading}", text, re.M), f"{docname}: no '{heading}' section"
    assert "{term}`" in text and "{cite:" in text
    assert "```{exercise}" in text or ":::{exercise}" in text


@pytest.mark.parametrize("docname", CHAPTERS)
def test_chapter_teaches_at_length(docname):
    words = len(re.findall(r"[A-Za-zÀ-ÿ']+", prose(markdown_of(docname))))
    assert 800 <= words <= 3200, f"{docname}: {words} words of prose"


def _run_check(tool: Path | None, *args: str) -> subprocess.CompletedProcess:
    if tool is None:
        pytest.skip("shared/tools/ (and the paper its checks compare with) is not beside this checkout")
    return subprocess.run([sys.executable, str(tool), *args], cwd=ROOT, capture_output=True, text=True)


def test_no_run_of_words_is_copied_from_the_paper():
    paths = [
        p for p in ("book", "data", "src", "exercises", "instructor", "README.md") if (ROOT / p).exists()
    ]
    proc = _run_check(COPYCHECK, "--min-words", "10", *paths)
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_no_sentence_follows_a_sentence_of_the_paper_clause_by_clause():
    paths = [p for p in ("book", "data", "exercises", "instructor", "README.md") if (ROOT / p).exists()]
    proc = _run_check(PARAPHRASE, "--threshold", "0.7", "--min-shared", "8", *paths)
    assert proc.returncode == 0, proc.stdout[-6000:]


def test_paraphrase_check_catches_a_sentence_that_keeps_the_papers_construction(tmp_path):
    close = tmp_path / "close.md"
    close.write_text(
        "Drug trafficking organizations slowly climbed to the top of the government's security "
        "concerns and replaced the organized domestic political opposition as the internal threat "
        "to the Mexican state.\n",
        encoding="utf-8",
    )
    proc = _run_check(PARAPHRASE, "--threshold", "0.7", "--min-shared", "8", str(close))
    assert proc.returncode == 1 and "close.md" in proc.stdout, proc.stdout
