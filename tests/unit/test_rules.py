"""mxsec.rules: the chapters the data names are the book's, as mxsec.chapters reads them from _toc.yml."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import yaml
from scratch_data import refused, scratch

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


def test_each_term_begins_the_day_after_the_last_one_ends(copy):
    """The terms' first and last days (context the paper does not give) hold together: in the years
    of start and end, with no gap and no overlap."""
    course = load()
    for before, after in zip(course.administrations, course.administrations[1:]):
        left = datetime.date.fromisoformat(before["left_office"])
        assert datetime.date.fromisoformat(after["took_office"]) - left == datetime.timedelta(days=1)
    second = course.administrations[1]["id"]
    directory = copy(
        "administrations.yaml", lambda doc: doc[1].update(took_office=f"{doc[1]['start']}-12-02")
    )
    err = refused(directory)
    assert (err.file, err.record, err.field) == ("data/administrations.yaml", second, "took_office")
    assert "the day after the previous term's last day" in err.problem


def test_a_term_s_last_day_falls_in_its_end_year(copy):
    first = load().administrations[0]["id"]
    directory = copy("administrations.yaml", lambda doc: doc[0].update(left_office="1950-02-30"))
    err = refused(directory)
    assert (err.record, err.field) == (first, "left_office") and "not a real date" in err.problem


def _counted(doc: list[dict]) -> list[dict]:
    return next(f for f in doc if f["id"] == "peacekeeping-operations-civilian")["counted"]


def test_a_fact_counts_as_many_items_as_its_value(copy):
    """The Compellence chapter's table of peacekeeping missions reads the list from facts.yaml."""
    fact = load().get("peacekeeping-operations-civilian", "fact")
    assert len(fact["counted"]) == fact["value"]
    assert {load().kind_of[m["event"]] for m in fact["counted"] if "event" in m} == {"event"}
    err = refused(copy("facts.yaml", lambda doc: _counted(doc).pop()))
    assert (err.file, err.record, err.field) == (
        "data/facts.yaml",
        "peacekeeping-operations-civilian",
        "counted",
    )
    assert "lists 3 items but the value is 4" in err.problem


def test_a_counted_item_dated_by_no_event_names_the_item(copy):
    err = refused(copy("facts.yaml", lambda doc: _counted(doc)[0].update(event="armed-forces-1985")))
    assert err.field == "counted[0].event" and "'armed-forces-1985' is not the id of an event" in err.problem
