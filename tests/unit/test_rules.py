"""mxsec.rules: the chapters the data names are the book's, as mxsec.chapters reads them from _toc.yml."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from conftest import refused, scratch
from mxsec import chapters
from mxsec.data import load

ROOT = Path(__file__).resolve().parents[2]


def test_the_data_names_exactly_the_book_s_chapters():
    course = load()
    book = chapters.slugs()
    named = [c["chapter"] for c in course.categories] + [o["chapter"] for o in course.outcomes]
    named += [q["chapter"] for q in course.questions + course.summative]
    assert set(named) <= set(book)
    # Every chapter has its outcomes (in the book's order) and its self-checks.
    assert list(dict.fromkeys(o["chapter"] for o in course.outcomes)) == book
    assert {q["chapter"] for q in course.questions} == set(book)


def test_a_chapter_the_table_of_contents_drops_is_refused(tmp_path):
    """The loader checks chapters against _toc.yml beside data/: drop one there and its records fail."""
    scratch(tmp_path)
    shutil.copytree(ROOT / "book", tmp_path / "book", ignore=shutil.ignore_patterns("_build", "*.png"))
    toc = yaml.safe_load((ROOT / chapters.TOC).read_text(encoding="utf-8"))
    dropped = "assessment"
    for part in toc["parts"]:
        if part.get("numbered"):
            part["chapters"] = [c for c in part["chapters"] if Path(c["file"]).name != dropped]
    (tmp_path / chapters.TOC).write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    assert dropped not in chapters.slugs(tmp_path)
    err = refused(tmp_path / "data")
    assert err.field == "chapter" and f"{dropped!r} is not a chapter in _toc.yml" in err.problem


def test_a_chapter_field_outside_the_book_names_file_record_and_field(copy):
    first = load().categories[0]["id"]
    directory = copy("policies.yaml", lambda doc: doc["categories"][0].update(chapter="epilogue"))
    err = refused(directory)
    assert (err.file, err.record, err.field) == (
        "data/policies.yaml",
        first,
        "chapter",
    )
