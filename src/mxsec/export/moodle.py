"""Moodle XML: one <quiz> with a category per chapter and every question in a Moodle type of its own."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ._bank import Chapter, Export, Item, feedback_html, prompt_html, rubric_html, weights
from ._markup import html_text, number_text, paragraph, sub, xml_bytes

DESCRIPTION = "Moodle XML; import with Question bank > Import > Moodle XML format"
FILENAME = "mxsec-moodle.xml"
MOODLE_TYPES = {"single": "multichoice", "multiple": "multichoice", "numeric": "numerical",
                "ordering": "ordering", "matching": "matching", "essay": "essay"}
# qtype_ordering's importer reads words: selecttype ALL shows every item (a number there falls back
# to RANDOM, a subset); selectcount is then unused.
ORDERING_SETTINGS = {"layouttype": "VERTICAL", "selecttype": "ALL", "selectcount": "0",
                     "gradingtype": "RELATIVE_TO_CORRECT", "showgrading": "SHOW", "numberingstyle": "none"}
# Units optional: a student may type the unit or leave it out (Moodle's own default when units are given).
NUMERICAL_SETTINGS = {"unitgradingtype": "0", "unitpenalty": "0.1000000", "showunits": "0", "unitsleft": "0"}
ESSAY_SETTINGS = {"responseformat": "editor", "responserequired": "1", "responsefieldlines": "15",
                  "attachments": "0", "attachmentsrequired": "0"}


def write(chapters: list[Chapter], outdir: Path) -> Export:
    path = outdir / FILENAME
    path.write_bytes(quiz_xml(chapters))
    return Export(path, tuple(item for c in chapters for item in c.items))


def quiz_xml(chapters: list[Chapter]) -> bytes:
    quiz = ET.Element("quiz")
    for chapter in chapters:
        category = sub(quiz, "question", type="category")
        _text(sub(category, "category"), f"$course$/top/{chapter.category}")
        _text(sub(category, "info", format="html"), "")
        for item in chapter.items:
            _question(quiz, item)
    return xml_bytes(quiz)


def _text(parent: ET.Element, text: str) -> None:
    sub(parent, "text", text)


def _settings(question: ET.Element, settings: dict[str, str]) -> None:
    for tag, value in settings.items():
        sub(question, tag, value)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _question(quiz: ET.Element, item: Item) -> None:
    question = sub(quiz, "question", type=MOODLE_TYPES[item.type])
    _text(sub(question, "name"), item.id)
    _text(sub(question, "questiontext", format="html"), prompt_html(item))
    _text(sub(question, "generalfeedback", format="html"), feedback_html(item))
    _settings(question, {"defaultgrade": number_text(item.points), "penalty": "0.3333333", "hidden": "0",
                         "idnumber": item.id})
    _WRITERS[item.type](question, item)


def _multichoice(question: ET.Element, item: Item) -> None:
    _settings(question, {"single": _flag(item.type == "single"), "shuffleanswers": _flag(item.shuffle),
                         "answernumbering": "abc"})
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
    _text(sub(question, "graderinfo", format="html"), rubric_html(item.rubric))
    _text(sub(question, "responsetemplate", format="html"), "")


_WRITERS = {"single": _multichoice, "multiple": _multichoice, "numeric": _numerical, "ordering": _ordering,
            "matching": _matching, "essay": _essay}
