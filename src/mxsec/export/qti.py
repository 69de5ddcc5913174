"""QTI 1.2 as Canvas writes and reads it: a zip of imsmanifest.xml and one assessment per chapter.

The summative bank's assessments hold one question group per type (a section with a selection):
Canvas draws half of each group, rounded up, for every attempt. Identifiers of answers and matches
are plain numbers, as Canvas writes them: its importer takes the first run of digits of a match's
identifier as the match's id, so an identifier holding the question's id (which may have digits)
would give every match of a question the same id."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from .. import chapters as registry
from . import _keys
from ._bank import Chapter, Export, Group, Item, feedback_html, prompt_html
from ._markup import decimal, html_text, number_text, paragraph, sub, xml_bytes

DESCRIPTION = "QTI 1.2 for Canvas; import with Settings > Import Course Content > QTI .zip file"
FILENAMES = {"practice": "mxsec-canvas-qti.zip", "summative": "mxsec-summative-canvas-qti.zip"}
FILENAME = FILENAMES["practice"]
QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
MANIFEST_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
IMSMD_NS = "http://www.imsglobal.org/xsd/imsmd_v1p2"
CANVAS_TYPES = {
    "single": "multiple_choice_question",
    "multiple": "multiple_answers_question",
    "numeric": "numerical_question",
    "matching": "matching_question",
    "ordering": "matching_question",
    "essay": "essay_question",
}
# A fixed date inside the zip, so the same bank always gives the same file.
_ZIP_DATE = (2014, 1, 1, 0, 0, 0)


def write(chapters: list[Chapter], outdir: Path, ordering_as_matching: bool = True) -> Export:
    bank = chapters[0].bank
    path = outdir / FILENAMES[bank]
    parts = [f"{_ident(c)}/{_ident(c)}.xml" for c in chapters]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [
            ("imsmanifest.xml", manifest_xml(chapters)),
            *zip(parts, (assessment_xml(c) for c in chapters)),
        ]:
            archive.writestr(zipfile.ZipInfo(name, _ZIP_DATE), data, zipfile.ZIP_DEFLATED)
    items = tuple(item for c in chapters for item in c.items)
    notes = []
    if any(i.type == "ordering" for i in items):
        notes.append(
            "ordering questions become matching_question items (each item paired with its position), "
            "as Canvas imports no ordering type"
        )
    keys = _keys.write(chapters, outdir)
    if keys:
        notes.append(
            f"Canvas quizzes have no text for graders only: the essays' model answers and rubrics are "
            f"in {keys.name}, for graders"
        )
    return Export(
        path,
        items,
        parts=tuple(parts),
        notes=tuple(notes),
        bank=bank,
        chapters=tuple(chapters),
        companions=(keys,) if keys else (),
    )


def _ident(chapter: Chapter) -> str:
    return f"mxsec-{chapter.id}" if chapter.bank == "practice" else f"mxsec-{chapter.bank}-{chapter.id}"


def _title(chapter: Chapter) -> str:
    quiz = "" if chapter.bank == "practice" else f": {chapter.bank} quiz"
    return f"{registry.course_title()} – {chapter.title}{quiz}"


def manifest_xml(chapters: list[Chapter]) -> bytes:
    bank = chapters[0].bank if chapters else "practice"
    ident = "mxsec-qti" if bank == "practice" else f"mxsec-{bank}-qti"
    root = ET.Element("manifest", {"identifier": ident, "xmlns": MANIFEST_NS, "xmlns:imsmd": IMSMD_NS})
    metadata = sub(root, "metadata")
    sub(metadata, "schema", "IMS Content")
    sub(metadata, "schemaversion", "1.1.3")
    title = sub(sub(sub(metadata, "imsmd:lom"), "imsmd:general"), "imsmd:title")
    bank = chapters[0].bank if chapters else "practice"
    sub(
        title,
        "imsmd:string",
        f"Question bank of {registry.course_title()}" + ("" if bank == "practice" else f" ({bank})"),
    )
    sub(root, "organizations")
    resources = sub(root, "resources")
    for chapter in chapters:
        ident = _ident(chapter)
        sub(
            sub(resources, "resource", identifier=ident, type="imsqti_xmlv1p2"),
            "file",
            href=f"{ident}/{ident}.xml",
        )
    return xml_bytes(root)


def assessment_xml(chapter: Chapter) -> bytes:
    root = ET.Element("questestinterop", {"xmlns": QTI_NS})
    assessment = sub(root, "assessment", ident=_ident(chapter), title=_title(chapter))
    section = sub(assessment, "section", ident="root_section")
    if chapter.bank == "practice":
        for item in chapter.items:
            _item(section, item)
    else:
        for n, group in enumerate(chapter.groups, start=1):
            _group(section, f"{_ident(chapter)}-g{n}", f"{chapter.title}: {group.name}", group)
    return xml_bytes(root)


def _group(parent: ET.Element, ident: str, title: str, group: Group) -> None:
    """A question group as Canvas writes one: a section whose selection draws `draw` of its items,
    each worth the group's points."""
    section = sub(parent, "section", ident=ident, title=title)
    selection = sub(sub(section, "selection_ordering"), "selection")
    sub(selection, "selection_number", str(group.draw))
    sub(sub(selection, "selection_extension"), "points_per_item", number_text(group.points))
    for item in group.items:
        _item(section, item)


def _item(section: ET.Element, item: Item) -> None:
    element = sub(section, "item", ident=item.id, title=item.id)
    _metadata(element, item)
    presentation = sub(element, "presentation")
    _html(presentation, prompt_html(item, as_matching=True))
    processing = sub(element, "resprocessing")
    sub(
        sub(processing, "outcomes"),
        "decvar",
        maxvalue="100",
        minvalue="0",
        varname="SCORE",
        vartype="Decimal",
    )
    feedback = feedback_html(item)
    if feedback:
        _show_feedback(processing, "general_fb", ET.Element("other"))
    _WRITERS[item.type](presentation, processing, item)
    if feedback:
        _item_feedback(element, "general_fb", feedback)
    for i, option in enumerate(item.options):
        if option.feedback:
            _item_feedback(element, f"{_choice_id(i)}_fb", paragraph(option.feedback))


def _metadata(element: ET.Element, item: Item) -> None:
    answer_ids = [_choice_id(i) for i in range(len(item.options or item.pairs))]
    meta = sub(sub(element, "itemmetadata"), "qtimetadata")
    # Canvas passes over fields it does not know; mxsec_question_type keeps the bank's own type.
    for label, entry in (
        ("question_type", CANVAS_TYPES[item.type]),
        ("points_possible", number_text(item.points)),
        ("original_answer_ids", ",".join(answer_ids)),
        ("mxsec_question_type", item.type),
    ):
        field = sub(meta, "qtimetadatafield")
        sub(field, "fieldlabel", label)
        sub(field, "fieldentry", entry)


def _choice_id(index: int) -> str:
    """An answer's identifier, a match's too: a plain number, unique within its question."""
    return str(index + 1)


def _html(parent: ET.Element, html: str) -> None:
    sub(sub(parent, "material"), "mattext", html, texttype="text/html")


def _item_feedback(element: ET.Element, feedback_id: str, html: str) -> None:
    _html(sub(sub(element, "itemfeedback", ident=feedback_id), "flow_mat"), html)


def _respcondition(processing: ET.Element, continue_: str | None = None) -> tuple[ET.Element, ET.Element]:
    """A new response condition and its (empty) conditionvar."""
    respcondition = sub(processing, "respcondition", **({"continue": continue_} if continue_ else {}))
    return respcondition, sub(respcondition, "conditionvar")


def _show_feedback(processing: ET.Element, feedback_id: str, test: ET.Element) -> None:
    respcondition, conditionvar = _respcondition(processing, "Yes")
    conditionvar.append(test)
    sub(respcondition, "displayfeedback", feedbacktype="Response", linkrefid=feedback_id)


def _test(tag: str, respident: str, value: str) -> ET.Element:
    element = ET.Element(tag, respident=respident)
    element.text = value
    return element


def _score(respcondition: ET.Element, value: str, action: str = "Set") -> None:
    sub(respcondition, "setvar", value, action=action, varname="SCORE")


def _choices(presentation: ET.Element, processing: ET.Element, item: Item) -> None:
    cardinality = "Single" if item.type == "single" else "Multiple"
    render = sub(
        sub(presentation, "response_lid", ident="response1", rcardinality=cardinality), "render_choice"
    )
    for i, option in enumerate(item.options):
        _html(sub(render, "response_label", ident=_choice_id(i)), html_text(option.text))
        if option.feedback:
            _show_feedback(processing, f"{_choice_id(i)}_fb", _test("varequal", "response1", _choice_id(i)))
    correct, conditionvar = _respcondition(processing, "No")
    if item.type == "single":
        right = next(i for i, o in enumerate(item.options) if o.correct)
        conditionvar.append(_test("varequal", "response1", _choice_id(right)))
    else:
        every = sub(conditionvar, "and")
        for i, option in enumerate(item.options):
            (every if option.correct else sub(every, "not")).append(
                _test("varequal", "response1", _choice_id(i))
            )
    _score(correct, "100")


def _numeric(presentation: ET.Element, processing: ET.Element, item: Item) -> None:
    response = sub(presentation, "response_str", ident="response1", rcardinality="Single")
    sub(sub(response, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
    correct, conditionvar = _respcondition(processing, "No")
    either = sub(conditionvar, "or")
    exact, margin = decimal(item.answer), decimal(item.tolerance)
    either.append(_test("varequal", "response1", number_text(exact)))
    within = sub(either, "and")
    within.append(_test("vargte", "response1", number_text(exact - margin)))
    within.append(_test("varlte", "response1", number_text(exact + margin)))
    _score(correct, "100")


def _matching(presentation: ET.Element, processing: ET.Element, item: Item) -> None:
    choice_ids = {label: _choice_id(j) for j, label in enumerate(item.choices)}
    share = f"{100 / len(item.pairs):.2f}"
    for i, (left, right) in enumerate(item.pairs):
        respident = f"response_{_choice_id(i)}"
        response = sub(presentation, "response_lid", ident=respident)
        sub(sub(response, "material"), "mattext", left, texttype="text/plain")
        render = sub(response, "render_choice")
        for label, ident in choice_ids.items():
            sub(
                sub(sub(render, "response_label", ident=ident), "material"),
                "mattext",
                label,
                texttype="text/plain",
            )
        respcondition, conditionvar = _respcondition(processing)
        conditionvar.append(_test("varequal", respident, choice_ids[right]))
        _score(respcondition, share, action="Add")


def _essay(presentation: ET.Element, processing: ET.Element, item: Item) -> None:
    response = sub(presentation, "response_str", ident="response1", rcardinality="Single")
    sub(sub(response, "render_fib"), "response_label", ident="answer1", rshuffle="No")
    _respcondition(processing, "No")[1].append(ET.Element("other"))


_WRITERS = {
    "single": _choices,
    "multiple": _choices,
    "numeric": _numeric,
    "matching": _matching,
    "ordering": _matching,
    "essay": _essay,
}
