"""Facts as a reader writes them ("about 130,000 people", "17-fold", "3rd"), and the numbers the
data holds (for the prose checks)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .data import Course


_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])\d+(?:\.\d+)?")


def numbers_in(text: str) -> set[float]:
    """Every number written in a piece of text ("17,658", "0.54", "3x1" -> 3 and 1)."""
    out = set()
    for match in _NUMBER.finditer(text.replace("x", " ")):
        out.add(float(match.group().replace(",", "")))
    return out


def numbers_held(course: Course | None = None) -> set[float]:
    """Every number the data holds: values, ranks, years and any number written in its text fields."""
    if course is None:
        from .data import load

        course = load()
    held: set[float] = set()

    def walk(node: Any) -> None:
        if isinstance(node, bool):
            return
        if isinstance(node, (int, float)):
            held.add(float(node))
        elif isinstance(node, str):
            held.update(numbers_in(node))
        elif isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, (list, tuple)):
            for v in node:
                walk(v)

    for part in (
        course.facts,
        course.survey,
        course.threats,
        course.periods,
        course.administrations,
        course.events,
        course.categories,
        course.policies,
    ):
        walk(part)
    return held


_QUALIFIER_WORDS = {
    "exact": "",
    "approximately": "about ",
    "more-than": "more than ",
    "almost": "almost ",
    "up-to": "up to ",
}


def _number(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 12 -> "12th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_value(rec: dict) -> str:
    """A fact's value as a reader would write it: "about 130,000 people", "$1.2 billion", "17-fold"."""
    if rec["unit"] in ("year", "page", "resolution number"):
        return (
            rec["unit"].replace("year", "").strip()
            + (" " if rec["unit"] != "year" else "")
            + str(int(rec["value"]))
        )
    amount = _number(rec["value"]) + (f"–{_number(rec['value_max'])}" if "value_max" in rec else "")
    unit = rec["unit"]
    if unit.startswith("USD"):
        scale = unit.removeprefix("USD").strip()
        per_year = scale.endswith("per year")
        scale = scale.removesuffix("per year").strip()
        if scale == "per migrant dollar":
            text, per_year = f"${amount} per migrant dollar", False
        else:
            text = f"${amount}" + (f" {scale}" if scale else "")
        text += " a year" if per_year else ""
    elif unit == "percent":
        text = f"{amount}%"
    elif unit == "percent of GDP":
        text = f"{amount}% of GDP"
    elif unit == "fold":
        text = f"{amount}-fold"
    elif unit == "rank":
        text = ordinal(int(rec["value"]))
    else:
        text = f"{amount} {unit}"
    return _QUALIFIER_WORDS[rec.get("qualifier", "exact")] + text


def describe_fact(rec: dict) -> str:
    """One line for a fact: what it is, its value and its year, e.g. for a timeline or a table."""
    when = ""
    if "year" in rec and not rec.get("approximate_year"):
        when = f" ({rec['year']}" + (f"–{rec['year_end']}" if "year_end" in rec else "") + ")"
    return f"{rec['what']}{when}: {format_value(rec)}"
