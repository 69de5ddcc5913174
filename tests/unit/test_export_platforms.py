"""The quiz files read the way the platforms' importers read them.

Moodle: the GIFT import as qformat_gift does it (question/format/gift/format.php: blocks split at
blank lines, escapes swapped for placeholders before parsing and back only in the texts it parses
itself, the answer block from the first brace to the first closing brace, `####` general feedback,
plugins first), with core qtype_ordering's import_from_gift (question/type/ordering/questiontype.php,
Moodle 4.4+): the text after `{>` is matched by its regular expression, its items are the raw lines
left. Canvas: QTI 1.2 identifiers as QTIMigrationTool rewrites them (lib/imsqtiv1.py ReadIdentifier:
characters outside an XML name to '-', a name that does not start with a letter or '_' gets the prefix
RESPONSE_, ':' and '.' to '_'); matching questions as the QTI importer's canvas_matching path reads
them (gems/plugins/qti_exporter/lib/qti/associate_interaction.rb: a match's id is the first run of
digits of its identifier); answers ids as get_or_generate_answer_id makes them; question groups as
AssessmentTestConverter#process_section makes them; and matching scored as
Quizzes::QuizQuestion::MatchingQuestion scores it (each pair right earns an equal share)."""

from __future__ import annotations

import itertools
import re
import string
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from test_export import (
    ODD,
    QTI,
    SUMMATIVE,
    category,
    expected_answer,
    expected_points,
    group_name,
    groups_of,
    plain,
    text,
)

from mxsec.export import export
from mxsec.export.gift import ordering_item

# --------------------------------------------------------------------------- Moodle's GIFT import
_ESCAPES = [
    ("\\:", "&&058;"),
    ("\\#", "&&035;"),
    ("\\=", "&&061;"),
    ("\\{", "&&123;"),
    ("\\}", "&&125;"),
    ("\\~", "&&126;"),
    ("\\n", "&&010"),
]
_ORDERING = re.compile(
    r"^\s*>\s*(\d+)\s*((?:ALL|EXACT|RANDOM|REL|CONTIGUOUS|CONTIG)?)\s*"
    r"((?:HORIZONTAL|HORI|H|1|VERTICAL|VERT|V|0)?)\s*"
    r"((?:ALL_OR_NOTHING|ABSOLUTE_POSITION|ABSOLUTE|ABS|RELATIVE_NEXT_EXCLUDE_LAST|RELATIVE_NEXT_INCLUDE_LAST|"
    r"RELATIVE_ONE_PREVIOUS_AND_NEXT|RELATIVE_ALL_PREVIOUS_AND_NEXT|RELATIVE_TO_CORRECT|RELATIVE|REL"
    r"LONGEST_ORDERED_SUBSET|LONGEST_CONTIGUOUS_SUBSET)?)\s*"
    r"((?:SHOW|TRUE|YES|1|HIDE|FALSE|NO|0)?)\s*((?:none|123|abc|ABCD|iii|IIII)?)\s*(.*?)\s*$",
    re.S,
)
_GRADING = {
    "ALL_OR_NOTHING": "ALL_OR_NOTHING",
    "ABS": "ABSOLUTE_POSITION",
    "ABSOLUTE": "ABSOLUTE_POSITION",
    "ABSOLUTE_POSITION": "ABSOLUTE_POSITION",
    "RELATIVE_TO_CORRECT": "RELATIVE_TO_CORRECT",
    "RELATIVE_NEXT_INCLUDE_LAST": "RELATIVE_NEXT_INCLUDE_LAST",
    "LONGEST_ORDERED_SUBSET": "LONGEST_ORDERED_SUBSET",
    "RELATIVE_ONE_PREVIOUS_AND_NEXT": "RELATIVE_ONE_PREVIOUS_AND_NEXT",
    "RELATIVE_ALL_PREVIOUS_AND_NEXT": "RELATIVE_ALL_PREVIOUS_AND_NEXT",
    "LONGEST_CONTIGUOUS_SUBSET": "LONGEST_CONTIGUOUS_SUBSET",
}
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")


def _pre(s: str) -> str:
    s = s.replace("\\\\", "&&092;")
    for escaped, placeholder in _ESCAPES:
        s = s.replace(escaped, placeholder)
    return s.replace("&&092;", "\\")


def _post(s: str) -> str:
    for escaped, placeholder in _ESCAPES:
        s = s.replace(placeholder, "\n" if escaped == "\\n" else escaped[1])
    return s


def _with_format(s: str) -> tuple[str, str]:
    fmt = "moodle"
    if s.startswith("[") and "]" in s and s[1 : s.index("]")] in ("moodle", "html", "plain", "markdown"):
        fmt, s = s[1 : s.index("]")], s[s.index("]") + 1 :]
    return _post(s).strip(), fmt


def moodle_gift_import(source: str) -> list[dict]:
    """What Moodle's GIFT import makes of a file: categories and questions, in order."""
    blocks, current = [], []
    for line in source.splitlines():
        line = line.strip()
        if line in ("", "0"):  # PHP's empty(): a line "0" ends a question too
            if current:
                blocks.append(current)
            current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return [q for q in (_readquestion(b) for b in blocks) if q]


def _readquestion(lines: list[str]) -> dict | None:
    lines = [" " if line.strip().startswith("//") else line for line in lines]
    raw = "\n".join(lines).strip()
    if not raw:
        return None
    t = _pre(raw)
    if t.startswith("$CATEGORY:"):
        return {"qtype": "category", "category": t[10:].strip()}
    name = None
    if t.startswith("::") and "::" in t[2:]:
        end = t.index("::", 2)
        name, t = _post(t[2:end]).strip(), t[end + 2 :].strip()
    start, finish = t.find("{"), t.find("}")
    assert start >= 0 and finish >= 0, f"brace error in {raw!r}"
    answertext = t[start + 1 : finish].strip()
    questiontext = t[:start] + t[finish + 1 :] if t.endswith("}") else t[:start] + "_____" + t[finish + 1 :]
    general = ""
    if "####" in answertext:
        cut = answertext.rindex("####")
        general, answertext = answertext[cut + 4 :], answertext[:cut].strip()
    q = {"name": name}
    q["questiontext"], q["questiontextformat"] = _with_format(questiontext)
    q["generalfeedback"], _ = _with_format(general)
    ordering = _ordering(answertext)  # plugins first
    if ordering:
        return {**q, **ordering}
    if answertext == "":
        return {**q, "qtype": "essay", "graderinfo": ""}
    if answertext.startswith("#"):
        value, tolerance = answertext[1:].split(":")
        return {**q, "qtype": "numerical", "answer": float(value), "tolerance": float(tolerance)}
    if "~" in answertext:
        answers = [a.strip() for a in answertext.replace("=", "~=").split("~")]
        answers = answers[1:] if not answers[0] else answers
        out = []
        for a in answers:
            if a.startswith("="):
                weight, a = 1.0, a[1:]
            elif _WEIGHT.match(a):
                a = a[1:]
                weight, a = float(a[: a.index("%")]) / 100, a[a.index("%") + 1 :]
            else:
                weight = 0.0
            text_, _, feedback = a.partition("#")
            out.append((_with_format(text_.strip())[0], weight, _with_format(feedback.strip())[0]))
        return {**q, "qtype": "multichoice", "single": "=" in answertext, "answers": out}
    if "=" in answertext and "->" in answertext:
        rows = [a.strip() for a in answertext.split("=")]
        rows = rows[1:] if not rows[0] else rows
        pairs = [(_with_format(a[: a.index("->")])[0], _post(a[a.index("->") + 2 :]).strip()) for a in rows]
        return {**q, "qtype": "match", "subquestions": pairs}
    return {**q, "qtype": "shortanswer", "answers": answertext}


def _ordering(extra: str) -> dict | None:
    """qtype_ordering's import_from_gift: None where the text is not an ordering question's."""
    found = _ORDERING.match(extra) if extra else None
    if not found:
        return None
    count, select, layout, grading, show, numbering, rest = (g.strip() for g in found.groups())
    answers = [a.strip() for a in re.split(r"[\r\n]+", rest) if a.strip() not in ("", "0")]
    count = int(count) if count.isdigit() and 2 <= int(count) <= len(answers) else min(6, len(answers))
    return {
        "qtype": "ordering",
        "answers": answers,
        "answerformat": "moodle",
        "selectcount": count,
        "layouttype": "HORIZONTAL" if layout.upper() in ("HORIZONTAL", "HORI", "H", "1") else "VERTICAL",
        "selecttype": {"ALL": "ALL", "EXACT": "ALL", "CONTIGUOUS": "CONTIGUOUS", "CONTIG": "CONTIGUOUS"}.get(
            select.upper(), "RANDOM"
        ),
        "gradingtype": _GRADING.get(grading.upper(), "RELATIVE_NEXT_EXCLUDE_LAST"),
        "showgrading": 0 if show.upper() in ("HIDE", "FALSE", "NO") else 1,
        "numberingstyle": numbering if numbering in ("none", "123", "abc", "ABCD", "iii", "IIII") else "abc",
    }


def shown(moodle_html: str) -> str:
    """An imported text as Moodle shows it: HTML (and FORMAT_MOODLE) rendered, spaces normalised."""
    return text(moodle_html)


def test_the_port_reads_moodles_own_ordering_fixture():
    """question/type/ordering/tests/fixtures/testexport.gift.txt, as qtype_ordering's tests import it."""
    fixture = (
        "// question: 123  name: Moodle\n// [id:myid]\n::Moodle::[html]Put these words in order.{>2     none\n"
        "Modular\nObject\nOriented\nDynamic\nLearning\nEnvironment\n}\n"
    )
    (q,) = moodle_gift_import(fixture)
    assert (
        q["qtype"] == "ordering"
        and q["name"] == "Moodle"
        and q["questiontext"] == "Put these words in order."
    )
    assert q["answers"] == ["Modular", "Object", "Oriented", "Dynamic", "Learning", "Environment"]
    assert (q["selectcount"], q["numberingstyle"], q["selecttype"]) == (2, "none", "RANDOM")


@pytest.mark.parametrize(
    "label", [ODD, "// not a comment", "a } b { c", "back\\slash \\n", "0", "  spaced   out  "]
)
def test_an_ordering_item_arrives_as_written(label):
    source = (
        f"::q::[html]Order.{{>2 ALL VERTICAL RELATIVE_TO_CORRECT SHOW none\n{ordering_item(label)}\nLast\n}}"
    )
    (q,) = moodle_gift_import(source)
    assert [shown(a) for a in q["answers"]] == [plain(label), "Last"]


def test_gift_escapes_are_not_undone_in_an_ordering_block():
    """Why the exporter writes braces and backslashes in ordering items as HTML character references."""
    (q,) = moodle_gift_import("::q::[html]Order.{>2 ALL\n\\{a\nb\\:c\n}")
    assert q["answers"] == ["&&123;a", "b&&058;c"]


@pytest.mark.parametrize("bank", ["practice", "summative"])
def test_moodle_imports_every_gift_question_as_its_type(bank, course, written, summative):
    path = (written if bank == "practice" else summative)["gift"]
    imported = moodle_gift_import(path.read_text(encoding="utf-8"))
    questions = {q["name"]: (q, category_) for q, category_ in _with_categories(imported)}
    bank_questions = course.questions if bank == "practice" else course.summative
    assert set(questions) == {q["id"] for q in bank_questions}
    moodle = {
        "single": "multichoice",
        "multiple": "multichoice",
        "numeric": "numerical",
        "ordering": "ordering",
        "matching": "match",
        "essay": "essay",
    }
    for q in bank_questions:
        got, category_ = questions[q["id"]]
        groups = groups_of([p for p in bank_questions if p["chapter"] == q["chapter"]])
        assert got["qtype"] == moodle[q["type"]], q["id"]
        assert category_ == category(bank, q["chapter"], group_name(groups, q["type"], expected_points(q))), (
            q["id"]
        )
        assert shown(got["questiontext"]).startswith(plain(q["prompt"])), q["id"]
        want = expected_answer(course, q)
        if q["type"] == "ordering":
            assert [shown(a) for a in got["answers"]] == want, q["id"]
            assert (
                got["selectcount"],
                got["selecttype"],
                got["layouttype"],
                got["gradingtype"],
                got["showgrading"],
                got["numberingstyle"],
            ) == (len(want), "ALL", "VERTICAL", "RELATIVE_TO_CORRECT", 1, "none"), q["id"]
        elif q["type"] in ("single", "multiple"):
            assert {shown(a) for a, w, _ in got["answers"] if w > 0} == want, q["id"]
            assert got["single"] == (q["type"] == "single"), q["id"]
        elif q["type"] == "matching":
            assert {(shown(left), right) for left, right in got["subquestions"] if left} == want, q["id"]
        elif q["type"] == "numeric":
            assert (got["answer"], got["tolerance"]) == want, q["id"]
        if q["type"] == "essay":
            assert got["generalfeedback"] == "" and got["graderinfo"] == "", q["id"]
        else:
            assert shown(got["generalfeedback"]) == plain(q["explanation"]), q["id"]


def _with_categories(imported: list[dict]):
    current = None
    for q in imported:
        if q["qtype"] == "category":
            current = q["category"]
        else:
            yield q, current


def test_ordering_items_with_every_special_character_arrive_intact(course, written):
    imported = {
        q["name"]: q
        for q in moodle_gift_import(written["gift"].read_text(encoding="utf-8"))
        if q["qtype"] != "category"
    }
    # The fixture's first threat is labelled with braces, a tilde, =, #, :, <b>, & and a backslash.
    assert shown(imported["xt-threats"]["answers"][0]) == f"Threat {ODD}"
    assert "&&" not in "".join(imported["xt-threats"]["answers"])


def test_gift_ordering_as_matching_imports_as_matching_questions(course, tmp_path):
    """The fallback for Moodle before 4.4 without the Ordering plugin."""
    path = export("gift", tmp_path, course=course, ordering_as_matching=True).path
    imported = {
        q["name"]: q for q in moodle_gift_import(path.read_text(encoding="utf-8")) if q["qtype"] != "category"
    }
    orderings = [q for q in course.questions if q["type"] == "ordering"]
    assert orderings
    for q in orderings:
        got = imported[q["id"]]
        assert got["qtype"] == "match" and "1st comes first" in shown(got["questiontext"]), q["id"]
        placed = {shown(left): right for left, right in got["subquestions"] if left}
        assert sorted(
            placed, key=lambda item: int(re.match(r"\d+", placed[item]).group())
        ) == expected_answer(course, q)


# --------------------------------------------------------------------------- Canvas's QTI import
_NAME_CHARS = string.ascii_letters + string.digits + "_-.:"
_NAME_START = string.ascii_letters + "_"


def qti_migration_identifier(value: str, prefix: str = "RESPONSE_") -> str:
    """An identifier as QTIMigrationTool writes it into the QTI 2.1 that Canvas reads."""
    value = re.sub(r"_(?:ans|str)$", "", value.strip(), flags=re.I)
    out = ""
    for c in value:
        if c not in _NAME_CHARS and ord(c) < 128:
            c = "-"
        if not out and c not in _NAME_START:
            out = prefix
        out += c
    return out.replace(":", "_").replace(".", "_")


def canvas_matching(item: ET.Element) -> dict:
    """A matching_question item as Canvas imports it: matches with their ids, answers with theirs."""
    ids = itertools.count(100_000)  # unique_local_id, made predictable
    choices = item.find(f".//{QTI}render_choice")
    matches = {}
    for label_ in choices.iter(f"{QTI}response_label"):
        ident = qti_migration_identifier(label_.get("ident"))
        digits = re.search(r"\d+", ident)
        matches[ident] = {
            "match_id": int(digits.group()) if digits else next(ids),
            "text": label_.findtext(f".//{QTI}mattext"),
        }
    answers = {}
    for lid in item.iter(f"{QTI}response_lid"):
        answers[qti_migration_identifier(lid.get("ident"))] = {
            "id": next(ids),
            "left": lid.findtext(f"{QTI}material/{QTI}mattext"),
        }
    for condition in item.iter(f"{QTI}respcondition"):
        test_ = condition.find(f".//{QTI}varequal")
        setvar = condition.find(f"{QTI}setvar")
        if test_ is not None and setvar is not None and setvar.get("action") == "Add":
            answer = answers[qti_migration_identifier(test_.get("respident"))]
            answer["match_id"] = matches[qti_migration_identifier(test_.text)]["match_id"]
    for answer in answers.values():
        answer["right"] = next(
            (m["text"] for m in matches.values() if m["match_id"] == answer.get("match_id")), None
        )
    return {"matches": list(matches.values()), "answers": list(answers.values())}


def canvas_matching_score(question: dict, response: dict[int, int]) -> float:
    """MatchingQuestion#correct_answer_parts over total_answer_parts: response maps answer id to match id."""
    right = 0
    for answer in question["answers"]:
        chosen = response.get(answer["id"])
        found = next((a for a in question["answers"] if a["match_id"] == chosen), None)
        if found is answer or (found and found["right"] == answer["right"]):
            right += 1
    return right / len(question["answers"])


def canvas_answer_ids(item: ET.Element, flavor: str | None) -> list[int]:
    """get_or_generate_answer_id for each choice: original_answer_ids in the Canvas flavor, else random."""
    meta = {
        f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry")
        for f in item.iter(f"{QTI}qtimetadatafield")
    }
    originals = meta["original_answer_ids"].split(",")
    ids = itertools.count(100_000)
    out = []
    for _ in item.iter(f"{QTI}response_label"):
        given = originals.pop(0) if flavor == "canvas" else ""
        number = int(given) if re.fullmatch(r"\d+", given or "") else 0
        out.append(next(ids) if number == 0 else number)
    return out


def canvas_quiz(assessment: ET.Element) -> list[dict]:
    """AssessmentTestConverter#process_section: the quiz's entries, a question group for each
    section with a selection (pick_count, question_points), questions elsewhere."""
    entries: list[dict] = []

    def walk(section: ET.Element, into: list[dict]) -> None:
        number = section.findtext(f"{QTI}selection_ordering/{QTI}selection/{QTI}selection_number")
        target = into
        if number is not None and number.strip().isdigit():
            points = section.findtext(f".//{QTI}selection_extension/{QTI}points_per_item")
            group = {
                "question_type": "question_group",
                "title": section.get("title"),
                "pick_count": int(number),
                "question_points": float(points) if points else None,
                "questions": [],
            }
            entries.append(group)
            target = group["questions"]
        for child in section:
            if child.tag == f"{QTI}section":
                walk(child, into)
            elif child.tag == f"{QTI}item":
                target.append({"migration_id": child.get("ident").replace(":", "-")})

    for section in assessment.findall(f"{QTI}section"):
        walk(section, entries)
    return entries


def _qti_items(path: Path) -> dict[str, ET.Element]:
    with zipfile.ZipFile(path) as archive:
        return {
            item.get("ident"): item
            for name in archive.namelist()
            if name != "imsmanifest.xml"
            for item in ET.fromstring(archive.read(name)).iter(f"{QTI}item")
        }


def test_the_port_collapses_matches_whose_identifiers_share_their_first_digits():
    """The failure the exporter avoids: identifiers that embed a question id with digits."""
    item = ET.fromstring(
        f'<item xmlns="{QTI[1:-1]}" ident="q2008"><presentation>'
        '<response_lid ident="response_q2008-1"><material><mattext>A</mattext></material><render_choice>'
        '<response_label ident="q2008-m1"><material><mattext>X</mattext></material></response_label>'
        '<response_label ident="q2008-m2"><material><mattext>Y</mattext></material></response_label>'
        "</render_choice></response_lid></presentation></item>"
    )
    question = canvas_matching(item)
    assert {m["match_id"] for m in question["matches"]} == {2008}


@pytest.mark.parametrize("bank", ["practice", "summative"])
def test_canvas_keeps_every_match_of_every_matching_question_apart(bank, course, written, summative):
    items = _qti_items((written if bank == "practice" else summative)["qti"])
    bank_questions = course.questions if bank == "practice" else course.summative
    matching = [q for q in bank_questions if q["type"] in ("matching", "ordering")]
    assert matching
    if bank == "summative":  # the fixture's summative chapter has ids with digits
        assert any(re.search(r"\d", q["id"]) for q in matching if q["chapter"] == SUMMATIVE)
    for q in matching:
        question = canvas_matching(items[q["id"]])
        match_ids = [m["match_id"] for m in question["matches"]]
        assert len(set(match_ids)) == len(match_ids), q["id"]
        # Every pair as the bank has it, and the full score for the right answer.
        got = {(a["left"], a["right"]) for a in question["answers"]}
        if q["type"] == "matching":
            assert got == expected_answer(course, q), q["id"]
        else:
            positions = dict(got)
            assert sorted(
                positions, key=lambda left: int(re.match(r"\d+", positions[left]).group())
            ) == expected_answer(course, q), q["id"]
        right = {a["id"]: a["match_id"] for a in question["answers"]}
        assert canvas_matching_score(question, right) == 1, q["id"]
        # One answer moved to another match loses exactly its share.
        first, second = question["answers"][:2]
        if first["right"] != second["right"]:
            wrong = {**right, first["id"]: second["match_id"]}
            assert canvas_matching_score(question, wrong) == pytest.approx(1 - 1 / len(right)), q["id"]


@pytest.mark.parametrize("flavor", ["canvas", None])
def test_canvas_gives_each_choice_its_own_answer_id(flavor, course, written, summative):
    for path, questions in ((written["qti"], course.questions), (summative["qti"], course.summative)):
        items = _qti_items(path)
        for q in (q for q in questions if q["type"] in ("single", "multiple")):
            ids = canvas_answer_ids(items[q["id"]], flavor)
            assert len(set(ids)) == len(ids) == len(q["options"]) and 0 not in ids, q["id"]


def test_canvas_makes_a_question_group_per_chapter_and_type_drawing_half(course, summative):
    with zipfile.ZipFile(summative["qti"]) as archive:
        quizzes = {
            ET.fromstring(archive.read(name)).find(f"{QTI}assessment").get("ident"): ET.fromstring(
                archive.read(name)
            ).find(f"{QTI}assessment")
            for name in archive.namelist()
            if name != "imsmanifest.xml"
        }
    chapters = list(dict.fromkeys(q["chapter"] for q in course.summative))
    assert set(quizzes) == {f"mxsec-summative-{c}" for c in chapters}
    for chapter in chapters:
        groups = groups_of(course.summative_for(chapter))
        entries = canvas_quiz(quizzes[f"mxsec-summative-{chapter}"])
        assert all(e["question_type"] == "question_group" for e in entries), chapter
        assert [
            (e["pick_count"], e["question_points"], [m["migration_id"] for m in e["questions"]])
            for e in entries
        ] == [(-(-len(ids) // 2), points, ids) for (_, points), ids in groups.items()]
        assert all(e["title"].endswith(group_name(groups, *key)) for e, key in zip(entries, groups))
