"""Words of prose per chapter and records per data file: the size of what the course teaches."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from mxsec import load  # noqa: E402
from mxsec.build import chapters  # noqa: E402
from mxsec.prose import markdown_of, prose  # noqa: E402


def main() -> None:
    import re

    print("| page | words of prose |\n| --- | ---: |")
    total = 0
    for docname in chapters():
        words = len(re.findall(r"[A-Za-zÀ-ÿ']+", prose(markdown_of(docname))))
        total += words
        print(f"| {docname} | {words:,} |")
    print(f"| **all pages** | **{total:,}** |\n")
    course = load()
    counts = {
        "facts": len(course.facts),
        "survey threats": len(course.threats),
        "survey (metadata)": 1,
        "periods": len(course.periods),
        "administrations": len(course.administrations),
        "timeline events": len(course.events),
        "categories": len(course.categories),
        "policies": len(course.policies),
        "questions": len(course.questions),
    }
    print("| data | records |\n| --- | ---: |")
    for name, n in counts.items():
        print(f"| {name} | {n} |")
    facts = sum(n for k, n in counts.items() if k != "questions")
    print(f"| **records of fact (all but questions)** | **{facts}** |")


if __name__ == "__main__":
    main()
