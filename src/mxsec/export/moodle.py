"""Moodle XML: one <quiz> with a category per chapter and type, and every question in a Moodle type of
its own. A quiz draws alternate forms from the categories with random questions; each category's
description says how many to draw."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ._bank import (
    BANK_LABELS,
    Chapter,
    Export,
    Item,
    category_path,
    chapter_note,
    feedback_html,
    grader_html,
    group_note,
    prompt_html,
    weights,
)
from ._markup import html_text, number_text, paragraph, sub, xml_bytes

DESCRIPTION = "Moodle XML; import with Question bank > Import > Moodle XML format"
FILENAMES = {"practice": "mxsec-moodle.xml", "summative": "mxsec-summative-moodle.xml"}
FILENAME = FILENAMES["practice"]
MOODLE_TYPES = {
    "single": "multichoice",
    "multiple": "multichoice",
    "numeric": "numerical",
    "ordering": "ordering",
    "matching": "matching",
    "essay": "essay",
}
# qtype_ordering's importer reads words: selecttype ALL shows every item (a number there falls back
# to RANDOM, a subset); selectcount is then unused.
ORDERING_SETTINGS = {
    "layouttype": "VERTICAL",
    "selecttype": "ALL",
    "selectcount": "0",
    "gradingtype": "RELATIVE_TO_CORRECT",
    "showgrading": "SHOW",
    "numberingstyle": "none",
}
# Units optional: a student may type the unit or leave it out (Moodle's own default when units are given).
NUMERICAL_SETTINGS = {"unitgradingtype": "0", "unitpenalty": "0.1000000", "showunits": "0", "unitsleft": "0"}
ESSAY_SETTINGS = {
    "responseformat": "editor",
    "responserequired": "1",
    "responsefieldlines": "15",
    "attachments": "0",
    "attachmentsrequired": "0",
}


def write(chapters: list[Chapter], outdir: Path, ordering_as_matching: bool = False) -> Export:
    bank = chapters[0].bank
    path = outdir / FILENAMES[bank]
    path.write_bytes(quiz_xml(chapters, ordering_as_matching))
    items = tuple(item for c in chapters for item in c.items)
    notes = (_MATCHING_NOTE,) if ordering_as_matching and any(i.type == "ordering" for i in items) else ()
    return Export(path, items, notes=notes, bank=bank, chapters=tuple(chapters))


_MATCHING_NOTE = (
    "ordering questions written as matching questions (each item paired with its position), "
    "for Moodle before 4.4 without the Ordering plugin"
)


def quiz_xml(chapters: list[Chapter], ordering_as_matching: bool = False) -> bytes:
    quiz = ET.Element("quiz")
    for chapter in chapters:
        _category(quiz, category_path(chapter), _chapter_info(chapter))
        for group in chapter.groups:
            info = group_note(chapter, group) if chapter.bank == "summative" else ""
            _category(quiz, category_path(chapter, group), info)
            for item in group.items:
                _question(quiz, item, ordering_as_matching)
    return xml_bytes(quiz)


def _chapter_info(chapter: Chapter) -> str:
    if chapter.bank == "summative":
        return chapter_note(chapter)
    return f"{BANK_LABELS[chapter.bank]} of chapter {chapter.number}, {chapter.title}: the questions the book shows."


def _category(quiz: ET.Element, path: str, info: str) -> None:
    category = sub(quiz, "question", type="category")
    _text(sub(category, "category"), path)
    _text(sub(category, "info", format="html"), paragraph(info) if info else "")


def _text(parent: ET.Element, text: str) -> None:
    sub(parent, "text", text)


def _settings(question: ET.Element, settings: dict[str, str]) -> None:
    for tag, value in settings.items():
        sub(question, tag, value)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _question(quiz: ET.Element, item: Item, ordering_as_matching: bool = False) -> None:
    as_matching = ordering_as_matching and item.type == "ordering"
    question = sub(quiz, "question", type="matching" if as_matching else MOODLE_TYPES[item.type])
    _text(sub(question, "name"), item.id)
    _text(sub(question, "questiontext", format="html"), prompt_html(item, as_matching))
    _text(sub(question, "generalfeedback", format="html"), feedback_html(item))
    _settings(
        question,
        {
            "defaultgrade": number_text(item.points),
            "penalty": "0.3333333",
            "hidden": "0",
            "idnumber": item.id,
        },
    )
    (_matching if as_matching else _WRITERS[item.type])(question, item)


def _multichoice(question: ET.Element, item: Item) -> None:
    _settings(
        question,
        {
            "single": _flag(item.type == "single"),
            "shuffleanswers": _flag(item.shuffle),
            "answernumbering": "abc",
        },
    )
    for option, weight in zip(item.options, weights(item)):
        answer = sub(question, "answer", fraction=weight, format="html")
        _text(answer, html_text(option.text))
        if option.feedback:
            _text(sub(answer, "feedback", format="html"), paragraph(option.feedback))


def _numerical(question: ET.Element, item: Item) -> None:
    answer = sub(question, "answer", fraction="100", format="moodle_auto_format")
    _text(answer, number_text(item.answer))
    sub(answer, "tolerance", number_text(item.tolerance))
    unit = sub(sub(question, "units"), "unit")
    sub(unit, "multiplier", "1")
    sub(unit, "unit_name", item.unit)
    _settings(question, NUMERICAL_SETTINGS)


def _ordering(question: ET.Element, item: Item) -> None:
    _settings(question, ORDERING_SETTINGS)
    for position, label in enumerate(item.order, start=1):
        _text(sub(question, "answer", fraction=str(position), format="html"), html_text(label))


def _matching(question: ET.Element, item: Item) -> None:
    sub(question, "shuffleanswers", _flag(item.shuffle))
    used = {right for _, right in item.pairs}
    # A choice no item matches is still offered, as Moodle does: a subquestion with no text.
    for left, right in [*item.pairs, *(("", c) for c in item.choices if c not in used)]:
        subquestion = sub(question, "subquestion", format="html")
        _text(subquestion, html_text(left))
        _text(sub(subquestion, "answer"), right)


def _essay(question: ET.Element, item: Item) -> None:
    _settings(question, ESSAY_SETTINGS)
    # The model answer and the rubric for graders only: students never see the grader information.
    _text(sub(question, "graderinfo", format="html"), grader_html(item))
    _text(sub(question, "responsetemplate", format="html"), "")


_WRITERS = {
    "single": _multichoice,
    "multiple": _multichoice,
    "numeric": _numerical,
    "ordering": _ordering,
    "matching": _matching,
    "essay": _essay,
}
