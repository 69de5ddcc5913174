"""The `mxsec` command: what it prints and writes, and how it fails on a bad question bank."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from mxsec.cli import main
from mxsec.data import load

ROOT = Path(__file__).resolve().parents[2]
FILES = {"qti": "mxsec-canvas-qti.zip", "moodle": "mxsec-moodle.xml", "gift": "mxsec-questions-gift.txt"}


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def counts(questions) -> str:
    order = ("single", "multiple", "numeric", "ordering", "matching", "essay")
    have = Counter(q["type"] for q in questions)
    return ", ".join(f"{kind} {have[kind]}" for kind in order if have[kind])


@pytest.mark.parametrize("fmt", FILES)
def test_export_writes_the_file_and_prints_counts_per_type(fmt, tmp_path, capsys):
    status, out, err = run(["export", "--format", fmt, str(tmp_path / "out")], capsys)
    assert status == 0, err
    assert (tmp_path / "out" / FILES[fmt]).is_file()
    exported = load().questions  # every type, ordering included, in each format
    assert f"Wrote {tmp_path / 'out' / FILES[fmt]}: {len(exported)} question" in out
    assert f"all chapters: {counts(exported)}" in out
    for chapter in {q["chapter"] for q in exported}:
        mine = [q for q in exported if q["chapter"] == chapter]
        assert f"  {chapter} ({len(mine)}): {counts(mine)}" in out
    assert "Skipped" not in out


def test_chapter_option_exports_only_that_chapter(tmp_path, capsys):
    chapter = load().questions[0]["chapter"]
    status, out, err = run(["export", "--format", "moodle", str(tmp_path), "--chapter", chapter], capsys)
    assert status == 0, err
    mine = load().questions_for(chapter)
    assert f": {len(mine)} question" in out and f"all chapters: {counts(mine)}" in out


def test_unknown_chapter_is_a_clear_error(tmp_path, capsys):
    status, out, err = run(
        ["export", "--format", "qti", str(tmp_path), "--chapter", "no-such-chapter"], capsys
    )
    assert status == 2 and "'no-such-chapter'" in err and not out
    assert not list(tmp_path.iterdir())


def test_check_prints_what_the_data_holds(capsys):
    status, out, _ = run(["check"], capsys)
    course = load()
    assert status == 0 and "valid" in out
    assert f"facts {len(course.facts)}" in out and f"policies {len(course.policies)}" in out
    assert f"{len(course.questions)} question" in out and counts(course.questions) in out


def test_check_lists_each_bank_by_chapter_in_the_order_of_the_book(capsys):
    from mxsec.chapters import slugs

    _, out, _ = run(["check"], capsys)
    book = slugs()
    for bank in out.split("bank, ")[1:]:
        listed = [line.split(" (")[0].strip() for line in bank.splitlines()[1:] if line.startswith("    ")]
        assert listed == [c for c in book if c in listed] and len(listed) == len(book)


# --------------------------------------------------------------------------- bad banks
BAD = {
    "no correct option": (
        lambda course: {
            "type": "single",
            "options": [{"text": "a", "correct": False}, {"text": "b", "correct": False}],
        },
        "options",
    ),
    "answer from a missing fact": (
        lambda course: {
            "type": "numeric",
            "answer_from": {"op": "value", "of": ["no-such-fact"]},
            "tolerance": 0,
            "unit": "people",
        },
        "answer_from.of",
    ),
    "matching item that is not a policy": (
        lambda course: {"type": "matching", "items": [course.threats[0]["id"], course.policies[0]["id"]]},
        "items",
    ),
}


@pytest.fixture
def bad_bank(tmp_path, monkeypatch):
    """Point the loader at a copy of data/ and return a function that adds one bad question to it."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    monkeypatch.setenv("MXSEC_DATA_DIR", str(tmp_path / "data"))
    course = load(ROOT / "data")
    chapter = course.questions[0]["chapter"]
    path = tmp_path / "data" / "questions" / f"{chapter}.yaml"

    def add(case: str) -> str:
        """Add the case's question to the chapter's file; return the file as the error should name it."""
        question = {
            "id": "xt-bad",
            "chapter": chapter,
            "section": "Introduction",
            "prompt": "Which?",
            "explanation": "Because.",
            "facts": [course.facts[0]["id"]],
            "outcomes": [f"{chapter}-1"],
            **BAD[case][0](course),
        }
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(doc + [question], sort_keys=False), encoding="utf-8")
        return f"data/questions/{chapter}.yaml"

    return add


@pytest.mark.parametrize("case", BAD)
def test_bad_question_fails_with_status_2_naming_file_question_and_field(case, bad_bank, tmp_path, capsys):
    file = bad_bank(case)
    status, out, err = run(["export", "--format", "moodle", str(tmp_path / "out")], capsys)
    assert status == 2 and not out
    assert file in err and "'xt-bad'" in err and f"field '{BAD[case][1]}'" in err, err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_python_m_mxsec_reports_a_bad_bank_without_a_traceback(bad_bank, tmp_path):
    file = bad_bank("no correct option")
    proc = subprocess.run(
        [sys.executable, "-m", "mxsec", "export", "--format", "gift", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert file in proc.stderr and "'xt-bad'" in proc.stderr and "'options'" in proc.stderr


def test_one_entry_point_lists_every_tool(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for command in ("check", "export", "release", "gradebook", "build", "publish"):
        assert f"\n    {command}" in out, f"mxsec --help does not list {command}"


@pytest.mark.parametrize(
    ("argv", "usage"),
    [
        (["release", "--help"], "usage: mxsec release"),
        (["gradebook", "--help"], "usage: mxsec gradebook"),
        (["build", "--help"], "usage: mxsec build"),
        (["publish", "--help"], "usage: mxsec publish"),
    ],
)
def test_each_tool_answers_under_its_mxsec_name(argv, usage, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith(usage)


def test_mxsec_release_writes_an_nbgrader_course(tmp_path, capsys):
    """The delegated command does the work, not only the help: one chapter released into a course."""
    assert main(["release", str(tmp_path / "course"), "--chapter", "compellence"]) == 0
    released = tmp_path / "course" / "release" / "compellence" / "compellence.ipynb"
    assert released.is_file(), capsys.readouterr().out
    assert "### BEGIN SOLUTION" not in released.read_text(encoding="utf-8")
    assert (tmp_path / "course" / "nbgrader_config.py").is_file()


def test_mxsec_build_writes_the_instructor_configuration(tmp_path):
    assert main(["build", "instructor", str(tmp_path / "edition")]) == 0
    config = yaml.safe_load((tmp_path / "edition" / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((tmp_path / "edition" / "_toc.yml").read_text(encoding="utf-8"))
    student_toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    assert config["title"] and len(toc["parts"]) > len(student_toc["parts"])


def test_a_bad_release_request_names_the_chapter(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["release", str(tmp_path / "course"), "--chapter", "nowhere"])
    assert exit_.value.code == 2
    assert "nowhere" in capsys.readouterr().err
