"""The summative bank exported so that each platform draws alternate forms: Moodle categories per
chapter and type with the draw in their descriptions, Canvas question groups drawing half of each
(tested with Canvas's reading in test_export_platforms.py), GIFT categories; and the command."""

from __future__ import annotations

import math
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from test_export import (
    ROOT,
    SUMMATIVE,
    SUMMATIVE_GROUPS,
    category,
    group_name,
    groups_of,
    in_book_order,
    read_gift,
    read_moodle,
    read_qti,
)

from mxsec.cli import main
from mxsec.data import load
from mxsec.export import ExportError, build, export


def chapters_of(questions: list[dict]) -> list[str]:
    return in_book_order(q["chapter"] for q in questions)


def test_a_group_draws_half_rounded_up():
    chapter = next(c for c in build(load(ROOT / "data"), bank="practice"))
    for group in chapter.groups:
        assert group.draw == math.ceil(len(group.items) / 2) >= 1
    # 20 questions in groups of even size give 10-question forms, two with no question in common.
    from mxsec.export._bank import Chapter, Group, Item

    items = tuple(
        Item(f"q{n}", "x", kind, "?", ".", 1) for n, kind in enumerate(["single"] * 12 + ["multiple"] * 8)
    )
    twenty = Chapter("x", "X", items, bank="summative")
    assert [(g.type, len(g.items), g.draw) for g in twenty.groups] == [("single", 12, 6), ("multiple", 8, 4)]
    assert (twenty.draw, twenty.disjoint, twenty.forms) == (10, 2, math.comb(12, 6) * math.comb(8, 4))
    assert Group("x", "essay", 5, items[:3]).disjoint == 1  # 3 questions, 2 drawn: any two forms overlap


def test_the_fixture_chapter_groups_by_type_and_worth(course):
    (chapter,) = build(course, [SUMMATIVE], bank="summative")
    assert {(g.type, g.points): len(g.items) for g in chapter.groups} == SUMMATIVE_GROUPS
    essays = [g for g in chapter.groups if g.type == "essay"]
    assert [g.name for g in essays] == ["Essay, 5 points", "Essay, 7 points"] and [
        g.draw for g in essays
    ] == [1, 1]


def test_moodle_has_a_category_per_chapter_and_type_with_the_draw_in_its_description(course, summative):
    categories, questions = read_moodle(summative["moodle"])
    assert set(questions) == {q["id"] for q in course.summative}
    expected = []
    for chapter in chapters_of(course.summative):
        groups = groups_of(course.summative_for(chapter))
        expected.append(category("summative", chapter))
        draw = sum(math.ceil(len(ids) / 2) for ids in groups.values())
        assert f"draws {draw} question" in categories[category("summative", chapter)], chapter
        for (kind, points), ids in groups.items():
            path = category("summative", chapter, group_name(groups, kind, points))
            expected.append(path)
            assert sorted(i for i, q in questions.items() if q["category"] == path) == sorted(ids), path
            note = categories[path]
            assert f"draws {math.ceil(len(ids) / 2)} of them" in note, path
            mark = "the mark of each" if len(ids) > 2 else "its mark"
            assert (
                f"add {math.ceil(len(ids) / 2)} random question" in note and f"{mark} to {points:g}." in note
            ), path
            assert all(questions[i]["points"] == points for i in ids), path
    assert list(categories) == expected


def test_gift_has_a_category_per_chapter_and_type(course, summative):
    _, categories, questions = read_gift(summative["gift"].read_text(encoding="utf-8"))
    assert set(questions) == {q["id"] for q in course.summative}
    expected = []
    for chapter in chapters_of(course.summative):
        groups = groups_of(course.summative_for(chapter))
        for (kind, points), ids in groups.items():
            path = category("summative", chapter, group_name(groups, kind, points))
            expected.append(path)
            assert sorted(i for i, q in questions.items() if q["category"] == path) == sorted(ids), path
    assert categories == expected


def test_qti_has_one_quiz_per_chapter_of_groups_only(course, summative):
    items = read_qti(summative["qti"])
    assert set(items) == {q["id"] for q in course.summative}
    with zipfile.ZipFile(summative["qti"]) as archive:
        names = archive.namelist()
    assert names[0] == "imsmanifest.xml"
    assert names[1:] == [
        f"mxsec-summative-{c}/mxsec-summative-{c}.xml" for c in chapters_of(course.summative)
    ]


def test_the_banks_are_apart_in_every_format(course, written, summative):
    practice = {q["id"] for q in course.questions}
    exam = {q["id"] for q in course.summative}
    assert practice and exam and not practice & exam
    assert set(read_qti(written["qti"])) == practice and set(read_qti(summative["qti"])) == exam
    assert (
        set(read_moodle(written["moodle"])[1]) == practice
        and set(read_moodle(summative["moodle"])[1]) == exam
    )
    assert {p.name for p in summative.values()}.isdisjoint({p.name for p in written.values()})
    # Imported into one course, the two banks land in different categories.
    assert all("/Summative/" in path for path in read_moodle(summative["moodle"])[0])
    assert not any("/Summative/" in path for path in read_moodle(written["moodle"])[0])


def test_moodle_ordering_as_matching_for_older_moodle(course, tmp_path):
    path = export("moodle", tmp_path, course=course, bank="summative", ordering_as_matching=True).path
    _, questions = read_moodle(path)
    orderings = [q for q in course.summative if q["type"] == "ordering"]
    assert orderings
    for q in orderings:
        got = questions[q["id"]]
        assert got["type"] == "matching" and "1st comes first" in got["prompt"], q["id"]
        assert len(got["answer"]) == len(q["order"]), q["id"]


# --------------------------------------------------------------------------- the command
def run(argv: list[str], capsys) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def data_dir(course, monkeypatch) -> Path:
    """Point the command at the fixture's data (which has the summative chapter under test)."""
    monkeypatch.setenv("MXSEC_DATA_DIR", str(course.directory))
    return course.directory


@pytest.mark.parametrize("fmt", ["qti", "moodle", "gift"])
def test_export_bank_summative_prints_the_forms_each_chapter_can_draw(
    fmt, data_dir, course, tmp_path, capsys
):
    status, out, err = run(["export", "--format", fmt, "--bank", "summative", str(tmp_path)], capsys)
    assert status == 0, err
    assert f": {len(course.summative)} questions from the summative bank" in out
    for chapter in chapters_of(course.summative):
        groups = groups_of(course.summative_for(chapter))
        draw = sum(math.ceil(len(ids) / 2) for ids in groups.values())
        forms = math.prod(math.comb(len(ids), math.ceil(len(ids) / 2)) for ids in groups.values())
        disjoint = min(len(ids) // math.ceil(len(ids) / 2) for ids in groups.values())
        line = next(line for line in out.splitlines() if line.startswith(f"  {chapter}: "))
        assert f"{draw} questions a form" in line and f"{forms:,} different forms" in line, line
        assert f"{disjoint} with no question in common" in line, line
    assert "Wrote" in out and ("essay-keys" in out) == (fmt != "moodle")


def test_export_defaults_to_the_practice_bank(data_dir, course, tmp_path, capsys):
    status, out, _ = run(["export", "--format", "moodle", str(tmp_path)], capsys)
    assert status == 0 and f"{len(course.questions)} questions from the practice bank" in out
    assert "Alternate forms" not in out and (tmp_path / "mxsec-moodle.xml").is_file()


def test_unknown_bank_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["export", "--format", "qti", "--bank", "exam", str(tmp_path)])
    assert stop.value.code == 2 and "invalid choice: 'exam'" in capsys.readouterr().err
    with pytest.raises(ExportError, match="no question bank 'exam'"):
        export("qti", tmp_path, bank="exam")


def test_a_chapter_without_summative_questions_is_a_clear_error(tmp_path, monkeypatch, capsys):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    (tmp_path / "data" / "summative" / "assessment.yaml").unlink(missing_ok=True)
    monkeypatch.setenv("MXSEC_DATA_DIR", str(tmp_path / "data"))
    argv = [
        "export",
        "--format",
        "qti",
        "--bank",
        "summative",
        "--chapter",
        "assessment",
        str(tmp_path / "out"),
    ]
    status, out, err = run(argv, capsys)
    assert status == 2 and not out and "no questions in the summative bank for chapter 'assessment'" in err
    assert not (tmp_path / "out").exists()


def test_an_empty_summative_bank_is_a_clear_error(tmp_path, monkeypatch, capsys):
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("summative"))
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    monkeypatch.setenv("MXSEC_DATA_DIR", str(tmp_path / "data"))
    status, out, err = run(
        ["export", "--format", "gift", "--bank", "summative", str(tmp_path / "out")], capsys
    )
    assert status == 2 and not out and "no questions in the summative bank" in err and "summative" in err
    assert not (tmp_path / "out").exists()


def test_a_bad_summative_question_names_its_file_and_field(tmp_path, monkeypatch, capsys):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    monkeypatch.setenv("MXSEC_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "data" / "summative" / "assessment.yaml"
    path.parent.mkdir(exist_ok=True)
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []
    bad = {
        "id": "xt-bad-summative",
        "chapter": "assessment",
        "section": "Assessment",
        "type": "single",
        "prompt": "Which?",
        "explanation": "Because.",
        "facts": [load(ROOT / "data").facts[0]["id"]],
        "outcomes": ["assessment-1"],
        "options": [{"text": "a", "correct": False}, {"text": "b", "correct": False}],
    }
    path.write_text(yaml.safe_dump((doc or []) + [bad], sort_keys=False), encoding="utf-8")
    status, out, err = run(
        ["export", "--format", "moodle", "--bank", "summative", str(tmp_path / "out")], capsys
    )
    assert status == 2 and not out
    assert "data/summative/assessment.yaml" in err and "'xt-bad-summative'" in err and "'options'" in err, err
