"""GIFT, Moodle's text format: one file with a $CATEGORY per chapter; it has no ordering type."""

from __future__ import annotations

from pathlib import Path

from ._bank import COURSE_TITLE, Chapter, Export, Item, feedback_html, prompt_html, weights
from ._markup import html_text, number_text, paragraph

DESCRIPTION = "GIFT for Moodle; import with Question bank > Import > GIFT format"
# Moodle's import takes GIFT only from files it sees as text/plain, that is .txt.
FILENAME = "mxsec-questions-gift.txt"
LEFT_OUT = "ordering"  # the one type of the bank GIFT cannot express
_SPECIAL = str.maketrans({**{c: "\\" + c for c in "\\~=#{}:"}, "\n": "\\n"})


def escape(text: str) -> str:
    """Text with GIFT's control characters (~ = # { } : and backslash) escaped, line breaks as \\n."""
    return text.translate(_SPECIAL)


def write(chapters: list[Chapter], outdir: Path) -> Export:
    path = outdir / FILENAME
    path.write_text(gift_text(chapters), encoding="utf-8")
    items = [item for c in chapters for item in c.items]
    skipped = tuple(i for i in items if i.type == LEFT_OUT)
    notes = ("GIFT has no ordering type; the Moodle XML export has these questions",) if skipped else ()
    return Export(path, tuple(i for i in items if i.type != LEFT_OUT), skipped, notes=notes)


def gift_text(chapters: list[Chapter]) -> str:
    skipped = [i.id for c in chapters for i in c.items if i.type == LEFT_OUT]
    header = (f"// Question bank of {COURSE_TITLE} in GIFT, for Moodle: Question bank > Import > GIFT format.\n"
              "// Written by `mxsec export --format gift`. GIFT carries no points: every question is worth 1.\n"
              f"// Skipped, as GIFT has no ordering type: {', '.join(skipped) or 'none'}.")
    blocks = [header]
    for chapter in chapters:
        blocks.append(f"$CATEGORY: $course$/top/{chapter.category}")
        blocks += [_question(item) for item in chapter.items if item.type != LEFT_OUT]
    return "\n\n".join(blocks) + "\n"


def _question(item: Item) -> str:
    answers = "".join(f"\t{line}\n" for line in _ANSWERS[item.type](item))
    return (f"// {item.id}: {item.type}\n"
            f"::{escape(item.id)}::[html]{escape(prompt_html(item))} {{\n"
            f"{answers}\t####{escape(feedback_html(item, with_rubric=True))}\n}}")


def _choices(item: Item) -> list[str]:
    lines = []
    for option, weight in zip(item.options, weights(item)):
        mark = ("=" if option.correct else "~") if item.type == "single" else f"~%{weight}%"
        feedback = f"#{escape(paragraph(option.feedback))}" if option.feedback else ""
        lines.append(f"{mark}{escape(html_text(option.text))}{feedback}")
    return lines


def _numeric(item: Item) -> list[str]:
    return [f"#{number_text(item.answer)}:{number_text(item.tolerance)}"]


def _matching(item: Item) -> list[str]:
    used = {right for _, right in item.pairs}
    # A choice no item matches is written as Moodle itself does: a pair with nothing on the left.
    rows = [*item.pairs, *(("", c) for c in item.choices if c not in used)]
    return [f"={escape(html_text(left))} -> {escape(right)}" for left, right in rows]


def _essay(item: Item) -> list[str]:
    return []


_ANSWERS = {"single": _choices, "multiple": _choices, "numeric": _numeric, "matching": _matching, "essay": _essay}
