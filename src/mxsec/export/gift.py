"""GIFT, Moodle's text format: one file with a $CATEGORY per chapter and type.

Ordering questions use the syntax of Moodle's Ordering question type (core from Moodle 4.4, the
qtype_ordering plugin before), `{>N ALL VERTICAL RELATIVE_TO_CORRECT SHOW none` then one item a line,
first to last; `ordering_as_matching` writes them as matching questions instead, for Moodle sites
that have neither. GIFT has no grader-only text, so an essay's model answer and rubric are left out."""

from __future__ import annotations

from pathlib import Path

from .. import chapters as registry
from . import _keys
from ._bank import Chapter, Export, Item, category_path, feedback_html, prompt_html, weights
from ._markup import html_text, number_text, paragraph

DESCRIPTION = "GIFT for Moodle; import with Question bank > Import > GIFT format"
# Moodle's import takes GIFT only from files it sees as text/plain, that is .txt.
FILENAMES = {"practice": "mxsec-questions-gift.txt", "summative": "mxsec-summative-questions-gift.txt"}
FILENAME = FILENAMES["practice"]
# What qtype_ordering's GIFT import reads after `{>`: how many items to show (all of them), shown
# all at once, in a vertical list, graded by each item's distance from its place, the grading
# details shown, items not numbered. The same settings as the Moodle XML export.
ORDERING_HEADER = "ALL VERTICAL RELATIVE_TO_CORRECT SHOW none"
_SPECIAL = str.maketrans({**{c: "\\" + c for c in "\\~=#{}:"}, "\n": "\\n"})
# Inside an ordering block GIFT's escapes are not undone (the Ordering type reads the raw lines), so
# the characters that would end the block or start an escape are written as HTML character references.
_ORDERING_ITEM = str.maketrans({"{": "&#123;", "}": "&#125;", "\\": "&#92;"})


def escape(text: str) -> str:
    """Text with GIFT's control characters (~ = # { } : and backslash) escaped, line breaks as \\n."""
    return text.translate(_SPECIAL)


def ordering_item(label: str) -> str:
    """An item of an ordering block: one line of HTML with no brace or backslash in it, not starting
    with // (Moodle would read a comment) and not "0" (which PHP takes for an empty line)."""
    line = html_text(" ".join(label.split())).translate(_ORDERING_ITEM)
    if line == "0":
        return "&#48;"
    return "&#47;" + line[1:] if line.startswith("//") else line


def write(chapters: list[Chapter], outdir: Path, ordering_as_matching: bool = False) -> Export:
    bank = chapters[0].bank
    path = outdir / FILENAMES[bank]
    path.write_text(gift_text(chapters, ordering_as_matching), encoding="utf-8")
    items = tuple(item for c in chapters for item in c.items)
    notes = []
    if any(i.type == "ordering" for i in items):
        notes.append(
            "ordering questions written as matching questions (each item paired with its position), "
            "for Moodle before 4.4 without the Ordering plugin"
            if ordering_as_matching
            else "ordering questions need Moodle 4.4 or later, or the Ordering plugin (qtype_ordering)"
        )
    keys = _keys.write(chapters, outdir)
    if keys:
        notes.append(
            f"GIFT has no text for graders only: the essays' model answers and rubrics are in {keys.name}, "
            "for graders (the Moodle XML file puts them in each essay's grader information)"
        )
    return Export(
        path,
        items,
        notes=tuple(notes),
        bank=bank,
        chapters=tuple(chapters),
        companions=(keys,) if keys else (),
    )


def gift_text(chapters: list[Chapter], ordering_as_matching: bool = False) -> str:
    header = (
        f"// Question bank of {registry.course_title()} in GIFT, for Moodle: Question bank > Import > GIFT format.\n"
        f"// Written by `mxsec export --format gift --bank {chapters[0].bank}`. GIFT carries no points: "
        "every question is worth 1.\n"
        + (
            "// Ordering questions are written as matching questions (each item with its place).\n"
            if ordering_as_matching
            else "// Ordering questions need Moodle 4.4 or later (or the Ordering plugin before).\n"
        )
        + f"// Essays carry no model answer or rubric here (GIFT has no text for graders only): "
        f"see {_keys.FILENAMES[chapters[0].bank]}."
    )
    blocks = [header]
    for chapter in chapters:
        for group in chapter.groups:
            blocks.append(f"$CATEGORY: {category_path(chapter, group)}")
            blocks += [_question(item, ordering_as_matching) for item in group.items]
    return "\n\n".join(blocks) + "\n"


def _question(item: Item, ordering_as_matching: bool) -> str:
    as_matching = ordering_as_matching and item.type == "ordering"
    feedback = feedback_html(item)
    general = f"\t####{escape(feedback)}\n" if feedback else ""
    head = (
        f"// {item.id}: {item.type}\n::{escape(item.id)}::[html]{escape(prompt_html(item, as_matching))} {{"
    )
    if item.type == "ordering" and not as_matching:
        # One item a line, first to last; the header's count is the number of items.
        lines = "".join(f"{ordering_item(label)}\n" for label in item.order)
        return f"{head}>{len(item.order)} {ORDERING_HEADER}\n{lines}{general}}}"
    answers = "".join(f"\t{line}\n" for line in (_matching if as_matching else _ANSWERS[item.type])(item))
    return f"{head}\n{answers}{general}}}"


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


_ANSWERS = {
    "single": _choices,
    "multiple": _choices,
    "numeric": _numeric,
    "matching": _matching,
    "essay": _essay,
}
