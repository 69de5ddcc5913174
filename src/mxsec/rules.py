"""Cross-file rules: what one file's schema cannot check, because it needs another file or the
records' order (citations in references.bib, ranks given once, periods contiguous, a president for
every year of the timeline, events inside it, policies in known categories, outcomes numbered)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from .schema import _fail

# The only Markdown an outcome's text may use: **bold** and *emphasis* (see outcome_markdown).
_OUTCOME_MARKUP = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*")


def _check_citations(path: Path, records: list[dict], bib_keys: frozenset[str]) -> None:
    for rec in records:
        key = rec.get("citation")
        if key is not None and key not in bib_keys:
            _fail(path, rec, "citation", f"{key!r} is not a key in references.bib")


def _check_outcomes(path: Path, outcomes: list[dict]) -> None:
    """Each chapter's outcomes numbered <chapter>-1, <chapter>-2, ... in the file's order, with
    Markdown no richer than **bold** and *emphasis*."""
    count: dict[str, int] = {}
    for rec in outcomes:
        n = count[rec["chapter"]] = count.get(rec["chapter"], 0) + 1
        if rec["id"] != f"{rec['chapter']}-{n}":
            _fail(
                path,
                rec,
                "id",
                f"must be {rec['chapter']}-{n}: outcome ids are the chapter and the "
                "objective's place in its list, numbered from 1 in the file's order",
            )
        if "*" in _OUTCOME_MARKUP.sub("", rec["text"]):
            _fail(
                path,
                rec,
                "text",
                "has a * outside a **bold** or *emphasis* pair; write the pair in full (or leave the * out)",
            )


def _date_problem(text: str) -> str | None:
    """Why a YYYY, YYYY-MM or YYYY-MM-DD date (the schema checks the form) is not a real one."""
    parts = [int(p) for p in text.split("-")]
    try:
        datetime.date(*parts, *[1] * (3 - len(parts)))
    except ValueError as exc:
        return f"{text!r} is not a real date ({exc})"
    return None


def check_facts(path: Path, facts: list[dict], bib_keys: frozenset[str]) -> None:
    for rec in facts:
        if "value_max" in rec and rec["value_max"] <= rec["value"]:
            _fail(path, rec, "value_max", "must be larger than value")
        if "year_end" in rec and "year" not in rec:
            _fail(path, rec, "year_end", "is given without a year")
        if "year_end" in rec and rec["year_end"] < rec["year"]:
            _fail(path, rec, "year_end", "is before year")
    _check_citations(path, facts, bib_keys)


def check_counted(path: Path, facts: list[dict], kind_of: dict[str, str]) -> None:
    """A fact's `counted` items are as many as its value, and each dating event is a timeline event."""
    for rec in facts:
        items = rec.get("counted")
        if items is None:
            continue
        if len(items) != rec["value"]:
            _fail(path, rec, "counted", f"lists {len(items)} items but the value is {rec['value']:g}")
        for n, item in enumerate(items):
            ref = item.get("event")
            if ref is not None and kind_of.get(ref) != "event":
                _fail(path, rec, f"counted[{n}].event", f"{ref!r} is not the id of an event in timeline.yaml")


def check_survey(path: Path, doc: dict, bib_keys: frozenset[str]) -> None:
    info = doc["survey"]
    _check_citations(path, [{"id": "survey", **info}], bib_keys)
    seen_ranks: dict[int, str] = {}
    for t in doc["threats"]:
        if t["rank"] in seen_ranks:
            _fail(
                path,
                t,
                "rank",
                f"rank {t['rank']} is given to more than one threat (also {seen_ranks[t['rank']]!r})",
            )
        seen_ranks[t["rank"]] = t["id"]
        if t["rank"] in info["ranks_not_given"]:
            _fail(path, t, "rank", f"rank {t['rank']} is listed in survey.ranks_not_given")
    if info["ranking_year"] not in info["edition_years"]:
        _fail(path, "survey", "ranking_year", "is not one of edition_years")


def check_periods(path: Path, records: list[dict], bib_keys: frozenset[str]) -> list[dict]:
    """The periods in order of start: numbered 1, 2, ... and contiguous. Together they are the
    timeline's span (the first period's start to the last one's end; see `span`)."""
    periods = sorted(records, key=lambda p: p["start"])
    if not periods:
        _fail(path, "-", "-", "no periods: the timeline's span is the years they cover")
    for i, p in enumerate(periods):
        if p["end"] < p["start"]:
            _fail(path, p, "end", "is before start")
        if p["number"] != i + 1:
            _fail(
                path, p, "number", f"periods must be numbered 1, 2, ... in order of start; expected {i + 1}"
            )
        if i and p["start"] != periods[i - 1]["end"] + 1:
            _fail(path, p, "start", f"does not follow the previous period's end ({periods[i - 1]['end']})")
    _check_citations(path, periods, bib_keys)
    return periods


def span(periods: list[dict]) -> tuple[int, int]:
    """The timeline's span: from the first period's start to the last period's end (periods.yaml)."""
    return min(p["start"] for p in periods), max(p["end"] for p in periods)


def _day(text: str) -> datetime.date:
    return datetime.date(*map(int, text.split("-")))


def check_administrations(path: Path, records: list[dict], years: tuple[int, int]) -> list[dict]:
    """Consecutive terms, in order, with a president for every year of the timeline's span; each
    term's first and last day in the years of its `start` and `end`, the next term beginning the day
    after the last one ends."""
    start, end = years
    span_text = f"the timeline's span, {start}-{end} (the periods in periods.yaml)"
    admins = sorted(records, key=lambda a: a["start"])
    for i, a in enumerate(admins):
        if a["end"] <= a["start"]:
            _fail(path, a, "end", "must be after start")
        if i and a["start"] != admins[i - 1]["end"]:
            _fail(path, a, "start", f"does not begin where the previous term ends ({admins[i - 1]['end']})")
        for day, year in (("took_office", "start"), ("left_office", "end")):
            if problem := _date_problem(a[day]):
                _fail(path, a, day, problem)
            if _day(a[day]).year != a[year]:
                _fail(path, a, day, f"is not in the term's {year} year ({a[year]})")
        if (
            i
            and "took_office" in a
            and (_day(a["took_office"]) - _day(admins[i - 1]["left_office"])).days != 1
        ):
            _fail(
                path,
                a,
                "took_office",
                f"is not the day after the previous term's last day ({admins[i - 1]['left_office']})",
            )
    if not admins:
        _fail(path, "-", "-", f"no administrations: they must cover {span_text}")
    if admins[0]["start"] > start:
        _fail(
            path,
            admins[0],
            "start",
            f"the first term must begin by {start}, so that every year of {span_text} has a president",
        )
    if admins[-1]["end"] < end:
        _fail(
            path,
            admins[-1],
            "end",
            f"the last term must end in {end} or later, so that every year of {span_text} has a president",
        )
    return admins


def check_timeline(
    path: Path,
    records: list[dict],
    years: tuple[int, int],
    ids: dict,
    bib_keys: frozenset[str],
    categories: list[dict],
) -> list[dict]:
    """Events inside the timeline's span, with real dates in their year, each in one of the
    timeline's categories (policies.yaml); in order of date."""
    start, end = years
    known = [c["id"] for c in categories]
    for ev in records:
        if ev["category"] not in known:
            _fail(
                path,
                ev,
                "category",
                f"{ev['category']!r} is not a category in policies.yaml ({', '.join(known)})",
            )
        if not start <= ev["year"] <= end:
            _fail(
                path,
                ev,
                "year",
                f"is outside the timeline's span {start}-{end} (the periods in periods.yaml)",
            )
        if "year_end" in ev and ev["year_end"] < ev["year"]:
            _fail(path, ev, "year_end", "is before year")
        if "date" in ev and (problem := _date_problem(ev["date"])):
            _fail(path, ev, "date", problem)
        if "date" in ev and not ev["date"].startswith(str(ev["year"])):
            _fail(path, ev, "date", "does not fall in the event's year")
        if ev.get("context") and "note" not in ev:
            _fail(path, ev, "note", "a context date needs a note saying where the paper is silent")
        for ref in ev.get("facts", []):
            if ref not in ids:
                _fail(path, ev, "facts", f"{ref!r} is not the id of any record in data/")
    _check_citations(path, records, bib_keys)
    return sorted(records, key=lambda e: (e["year"], e.get("date", ""), e["id"]))


def check_policies(path: Path, doc: dict) -> None:
    category_ids = {c["id"] for c in doc["categories"]}
    for pol in doc["policies"]:
        if pol["category"] not in category_ids:
            _fail(path, pol, "category", f"{pol['category']!r} is not one of {sorted(category_ids)}")


def check_chapters(named: list[tuple[Path, list[dict]]], chapters: list[str], toc: Path) -> None:
    """Every record's `chapter` is a chapter of the book: a page of a numbered part of `toc`
    (mxsec.chapters, the one list of the chapters and their order)."""
    for path, records in named:
        for rec in records:
            if rec["chapter"] not in chapters:
                _fail(
                    path,
                    rec,
                    "chapter",
                    f"{rec['chapter']!r} is not a chapter in {toc.name} ({', '.join(chapters)})",
                )
