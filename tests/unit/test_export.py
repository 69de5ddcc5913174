"""Each export, read back with a parser of its own format, asks and marks what the loader says.

The fixtures and readers here serve the other export tests too (test_export_*.py): the bank under
test is a copy of data/ with one question of each type added to the self-checks and a summative
chapter whose groups are known (an odd group, a group of one, essays at two worths, ids with digits)."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import yaml

from mxsec.chapters import slugs as chapter_slugs
from mxsec.chapters import title as chapter_title
from mxsec.data import Course
from mxsec.export._bank import TYPE_LABELS
from mxsec.export._markup import html_text
from mxsec.export.gift import escape

ROOT = Path(__file__).resolve().parents[2]
# The course's title, read here from its one home, _config.yml (not through the package).
COURSE_TITLE = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
MANIFEST = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
# Every character GIFT, XML or HTML treat specially.
ODD = r"Odd {text} ~ with = signs, # and : colons, <b>& a \ backslash"


# --------------------------------------------------------------------------- the bank under test
def _questions(course: Course, chapter: str) -> list[dict]:
    """One question of each type, with ODD in the texts and labels the formats must keep intact."""
    facts = [f for f in course.facts if f["value"] != 0]
    threats = course.threats
    events = list({e["year"]: e for e in course.events}.values())  # one a year, so no two share a place
    by_category: dict[str, dict] = {}
    for policy in course.policies:
        by_category.setdefault(policy["category"], policy)
    common = {
        "chapter": chapter,
        "section": "Assessment",
        "facts": [facts[0]["id"]],
        "outcomes": [f"{chapter}-1"],
        "explanation": f"Because {ODD}.",
    }
    rubric = [
        {
            "criterion": f"Argument {ODD}",
            "levels": [
                {"label": "Strong", "points": 3, "descriptor": f"Clear {ODD}"},
                {"label": "Weak", "points": 0, "descriptor": "Unclear"},
            ],
        },
        {
            "criterion": "Evidence",
            "levels": [
                {"label": "Good", "points": 2, "descriptor": "Two sources"},
                {"label": "Poor", "points": 0, "descriptor": "None"},
            ],
        },
    ]
    return [
        {
            **common,
            "id": "xt-single",
            "type": "single",
            "prompt": f"{ODD}?",
            "options": [
                {"text": f"Right {ODD}", "correct": True},
                {"text": "Wrong", "correct": False, "feedback": f"No: {ODD}"},
                {"text": "Also wrong", "correct": False},
            ],
        },
        {
            **common,
            "id": "xt-multiple",
            "type": "multiple",
            "prompt": "Which three?",
            "points": 2,
            "shuffle": False,
            "options": [
                {"text": t, "correct": t.startswith("Yes")}
                for t in ("Yes a", "No b", "Yes c", "No d", "Yes e")
            ],
        },
        {
            **common,
            "id": "xt-ratio",
            "type": "numeric",
            "prompt": "What ratio?",
            "tolerance": 0.05,
            "unit": f"fold {ODD}",
            "answer_from": {"op": "ratio", "of": [facts[1]["id"], facts[2]["id"]]},
        },
        {
            **common,
            "id": "xt-value",
            "type": "numeric",
            "prompt": "What value?",
            "tolerance": 0.5,
            "unit": "units",
            "answer_from": {"op": "value", "of": [facts[3]["id"]]},
        },
        {
            **common,
            "id": "xt-threats",
            "type": "ordering",
            "prompt": "Rank them.",
            "items": [threats[-1]["id"], threats[0]["id"], threats[len(threats) // 2]["id"]],
        },
        # Written in the right order: the QTI export must not show it in that order.
        {
            **common,
            "id": "xt-events",
            "type": "ordering",
            "prompt": "Date them.",
            "items": [events[0]["id"], events[len(events) // 2]["id"], events[-1]["id"]],
        },
        {
            **common,
            "id": "xt-matching",
            "type": "matching",
            "prompt": "Match them.",
            "items": [by_category[c]["id"] for c in list(by_category)[:3]],
        },
        {
            **common,
            "id": "xt-essay",
            "type": "essay",
            "prompt": f"Discuss {ODD}.",
            "rubric": rubric,
            "explanation": f"A model answer, {ODD}.",
        },
    ]


# The summative chapter under test, and what its groups hold: (type, points) -> count.
SUMMATIVE = "compellence"
SUMMATIVE_GROUPS = {
    ("single", 1): 5,
    ("multiple", 2): 4,
    ("numeric", 1): 3,
    ("ordering", 1): 2,
    ("matching", 1): 2,
    ("essay", 5): 2,
    ("essay", 7): 1,
}


def _summative(course: Course, chapter: str) -> list[dict]:
    """Questions of every type in the counts of SUMMATIVE_GROUPS; ids with digits (Canvas reads them)."""
    templates = {q["type"]: q for q in _questions(course, chapter)}
    out = []
    for (kind, points), count in SUMMATIVE_GROUPS.items():
        for n in range(1, count + 1):
            q = {
                **templates["numeric" if kind == "numeric" else kind],
                "id": f"xt-s{2000 + len(out)}-{kind}-{n}",
                "prompt": f"Summative {kind} {n}: {ODD}?",
            }
            if kind == "essay":
                q["rubric"] = [
                    {
                        "criterion": "Argument",
                        "levels": [
                            {"label": "Strong", "points": points - 1, "descriptor": "Clear"},
                            {"label": "Weak", "points": 0, "descriptor": "No"},
                        ],
                    },
                    {
                        "criterion": "Evidence",
                        "levels": [
                            {"label": "Good", "points": 1, "descriptor": "Yes"},
                            {"label": "Poor", "points": 0, "descriptor": "No"},
                        ],
                    },
                ]
            elif kind == "multiple":
                q["points"] = points
            out.append(q)
    return out


def groups_of(questions: list[dict]) -> dict[tuple[str, float], list[str]]:
    """One chapter's questions by (type, points), types in the bank's order: the groups each format must
    write (a category each in Moodle, a question group each in Canvas)."""
    order = list(TYPE_LABELS)
    groups: dict[tuple[str, float], list[str]] = {}
    for q in sorted(questions, key=lambda q: (order.index(q["type"]), expected_points(q))):
        groups.setdefault((q["type"], expected_points(q)), []).append(q["id"])
    return groups


def group_name(groups: dict[tuple[str, float], list[str]], kind: str, points: float) -> str:
    """A group's name: the type's label, with the points where the chapter has the type at several worths."""
    several = len({p for k, p in groups if k == kind}) > 1
    return TYPE_LABELS[kind] + (f", {points:g} point{'' if points == 1 else 's'}" if several else "")


def category(bank: str, chapter: str, group: str | None = None) -> str:
    names = [
        COURSE_TITLE,
        {"practice": "Self-checks", "summative": "Summative"}[bank],
        chapter_title(chapter),
    ]
    return "$course$/top/" + "/".join(names + ([group] if group else []))


# --------------------------------------------------------------------------- expectations, from the loader
def label(course: Course, record_id: str) -> str:
    record = course.get(record_id)
    return record["title"] if course.kind_of[record_id] == "event" else record["label"]


def expected_points(q: dict) -> float:
    return q.get("max_rubric_points", q["points"])


def expected_answer(course: Course, q: dict):
    """What a platform must mark right, in the terms each parser below reports."""
    kind = q["type"]
    if kind in ("single", "multiple"):
        return {o["text"] for o in q["options"] if o["correct"]}
    if kind == "numeric":
        return pytest.approx(q["answer"], rel=1e-12), pytest.approx(q["tolerance"], abs=1e-12)
    if kind == "ordering":
        return [label(course, i) for i in q["order"]]
    if kind == "matching":
        return {(label(course, p), label(course, c)) for p, c in q["pairs"]}
    return [c["criterion"] for c in q["rubric"]]


def plain(raw: str) -> str:
    """Data text as a reader sees it once shown, spaces normalised (to compare with text(...))."""
    return " ".join(raw.split())


def in_book_order(chapters) -> list[str]:
    wanted = set(chapters)
    return [c for c in chapter_slugs() if c in wanted]


def text(markup: str | None) -> str:
    """HTML as the text a reader sees, spaces normalised."""
    markup = re.sub(r"<br\s*/?>|</p>|</li>", "\n", markup or "")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


# --------------------------------------------------------------------------- QTI, read with xml.etree
def read_qti(path: Path) -> dict[str, dict]:
    with zipfile.ZipFile(path) as archive:
        manifest = ET.fromstring(archive.read("imsmanifest.xml"))
        hrefs = [f.get("href") for f in manifest.iter(f"{MANIFEST}file")]
        assert hrefs and set(hrefs) <= set(archive.namelist())
        items = [item for href in hrefs for item in ET.fromstring(archive.read(href)).iter(f"{QTI}item")]
    return {item.get("ident"): _qti_item(item) for item in items}


def _qti_item(item: ET.Element) -> dict:
    meta = {
        f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry")
        for f in item.iter(f"{QTI}qtimetadatafield")
    }
    feedback = {
        fb.get("ident"): text(fb.findtext(f".//{QTI}mattext")) for fb in item.iter(f"{QTI}itemfeedback")
    }
    out = {
        "canvas_type": meta["question_type"],
        "type": meta["mxsec_question_type"],
        "points": float(meta["points_possible"]),
        "feedback": feedback,
        "prompt": text(item.find(f"{QTI}presentation/{QTI}material/{QTI}mattext").text),
    }
    scoring = [c for c in item.iter(f"{QTI}respcondition") if c.find(f"{QTI}setvar") is not None]
    labels = {
        lab.get("ident"): _mattext(lab.find(f".//{QTI}mattext"))
        for lab in item.iterfind(f".//{QTI}render_choice/{QTI}response_label")
    }
    kind = out["canvas_type"]
    if kind in ("multiple_choice_question", "multiple_answers_question"):
        (condition,) = scoring
        marked = [v.text for v in condition.iter(f"{QTI}varequal")]
        excluded = [v.text for n in condition.iter(f"{QTI}not") for v in n.iter(f"{QTI}varequal")]
        out["options"] = list(labels.values())
        out["answer"] = {labels[i] for i in marked if i not in excluded}
        out["option_feedback"] = {
            labels[k.removesuffix("_fb")]: v for k, v in feedback.items() if k != "general_fb"
        }
    elif kind == "numerical_question":
        (condition,) = scoring
        exact = float(condition.findtext(f".//{QTI}or/{QTI}varequal"))
        low, high = float(condition.findtext(f".//{QTI}vargte")), float(condition.findtext(f".//{QTI}varlte"))
        assert exact - low == pytest.approx(high - exact)
        out["answer"] = exact, high - exact
    elif kind == "matching_question":
        lefts = {
            lid.get("ident"): lid.findtext(f"{QTI}material/{QTI}mattext")
            for lid in item.iter(f"{QTI}response_lid")
        }
        chosen = {v.get("respident"): labels[v.text] for c in scoring for v in c.iter(f"{QTI}varequal")}
        out["pairs"] = [(lefts[r], chosen[r]) for r in lefts]
        out["answer"] = set(out["pairs"])
        out["choices"] = [_mattext(m) for m in item.find(f".//{QTI}render_choice").iter(f"{QTI}mattext")]
    return out


def _mattext(element: ET.Element) -> str:
    return text(element.text) if element.get("texttype") == "text/html" else element.text


def test_qti_counts_and_canvas_types(course, written):
    items = read_qti(written["qti"])
    assert Counter(i["type"] for i in items.values()) == Counter(q["type"] for q in course.questions)
    canvas = {
        "single": "multiple_choice_question",
        "multiple": "multiple_answers_question",
        "numeric": "numerical_question",
        "matching": "matching_question",
        "ordering": "matching_question",
        "essay": "essay_question",
    }
    for q in course.questions:
        assert items[q["id"]]["canvas_type"] == canvas[q["type"]], q["id"]
        assert items[q["id"]]["points"] == expected_points(q), q["id"]


def test_qti_marks_the_right_answers(course, written):
    items = read_qti(written["qti"])
    for q in course.questions:
        got, want = items[q["id"]], expected_answer(course, q)
        if q["type"] == "ordering":
            positions = dict(got["pairs"])
            assert (
                sorted(positions, key=lambda left: int(re.match(r"\d+", positions[left]).group())) == want
            ), q["id"]
        elif q["type"] != "essay":
            assert got["answer"] == want, q["id"]


def test_qti_keeps_feedback_choices_and_hides_the_order(course, written):
    items = read_qti(written["qti"])
    for q in course.questions:
        if q["type"] != "essay":
            assert text(f"<p>{html.escape(q['explanation'])}</p>") in items[q["id"]]["feedback"]["general_fb"]
    assert items["xt-single"]["option_feedback"] == {"Wrong": f"No: {ODD}"}
    assert set(items["xt-matching"]["choices"]) == {c["label"] for c in course.categories}
    events = items["xt-events"]
    assert [left for left, _ in events["pairs"]] != expected_answer(course, course.get("xt-events"))
    assert "1st comes first" in events["prompt"]


def test_qti_shows_no_essay_key_to_students_and_writes_it_for_graders(course, written):
    """Canvas quizzes have no text for graders only: model answer and rubric stay out of the package
    (students see an essay's feedback once graded) and go to the keys page beside it."""
    with zipfile.ZipFile(written["qti"]) as archive:
        shown = " ".join(
            text(m.text)
            for name in archive.namelist()
            if name.endswith(".xml")
            for m in ET.fromstring(archive.read(name)).iter(f"{QTI}mattext")
        )
    keys = (written["qti"].parent / "mxsec-essay-keys.html").read_text(encoding="utf-8")
    items = read_qti(written["qti"])
    essays = [q for q in course.questions if q["type"] == "essay"]
    assert essays
    for q in essays:
        assert items[q["id"]]["feedback"] == {}, q["id"]
        assert text(q["explanation"]) not in shown, q["id"]
        assert html_text(q["explanation"]) in keys and all(
            html_text(c["criterion"]) in keys for c in q["rubric"]
        ), q["id"]
    assert "<b>" not in keys


# --------------------------------------------------------------------------- Moodle XML, read with xml.etree
def read_moodle(path: Path) -> tuple[dict[str, str], dict[str, dict]]:
    """The categories (path: description, in file order) and the questions, each with its category."""
    quiz = ET.parse(path).getroot()
    assert quiz.tag == "quiz"
    categories, questions = {}, {}
    for question in quiz.findall("question"):
        if question.get("type") == "category":
            categories[question.findtext("category/text")] = text(question.findtext("info/text"))
            continue
        out = {
            "type": question.get("type"),
            "category": list(categories)[-1],
            "points": float(question.findtext("defaultgrade")),
            "prompt": text(question.findtext("questiontext/text")),
            "feedback": text(question.findtext("generalfeedback/text")),
        }
        out.update(_MOODLE_READERS[out["type"]](question))
        questions[question.findtext("name/text")] = out
    return categories, questions


def _moodle_multichoice(question: ET.Element) -> dict:
    answers = [
        (text(a.findtext("text")), float(a.get("fraction")), text(a.findtext("feedback/text")))
        for a in question.findall("answer")
    ]
    return {
        "single": question.findtext("single"),
        "fractions": [f for _, f, _ in answers],
        "answer": {t for t, f, _ in answers if f > 0},
        "option_feedback": {t: fb for t, _, fb in answers if fb},
    }


def _moodle_numerical(question: ET.Element) -> dict:
    (answer,) = question.findall("answer")
    assert answer.get("fraction") == "100"
    return {
        "answer": (float(answer.findtext("text")), float(answer.findtext("tolerance"))),
        "unit": question.findtext("units/unit/unit_name"),
    }


def _moodle_ordering(question: ET.Element) -> dict:
    answers = sorted(question.findall("answer"), key=lambda a: float(a.get("fraction")))
    settings = {
        tag: question.findtext(tag) for tag in ("layouttype", "selecttype", "selectcount", "gradingtype")
    }
    return {"answer": [text(a.findtext("text")) for a in answers], **settings}


def _moodle_matching(question: ET.Element) -> dict:
    rows = [(text(s.findtext("text")), s.findtext("answer/text")) for s in question.findall("subquestion")]
    return {"answer": {row for row in rows if row[0]}, "choices": {right for _, right in rows}}


def _moodle_essay(question: ET.Element) -> dict:
    return {"answer": text(question.findtext("graderinfo/text"))}


_MOODLE_READERS = {
    "multichoice": _moodle_multichoice,
    "numerical": _moodle_numerical,
    "ordering": _moodle_ordering,
    "matching": _moodle_matching,
    "essay": _moodle_essay,
}


def test_moodle_counts_types_and_categories(course, written):
    categories, questions = read_moodle(written["moodle"])
    moodle = {
        "single": "multichoice",
        "multiple": "multichoice",
        "numeric": "numerical",
        "ordering": "ordering",
        "matching": "matching",
        "essay": "essay",
    }
    assert len(questions) == len(course.questions)
    assert Counter(q["type"] for q in questions.values()) == Counter(
        moodle[q["type"]] for q in course.questions
    )
    # A category per chapter (its description names it), and one under it per type (and worth) it has.
    chapters = {
        c: groups_of(course.questions_for(c)) for c in in_book_order(q["chapter"] for q in course.questions)
    }
    expected = [
        path
        for c, groups in chapters.items()
        for path in [category("practice", c)]
        + [category("practice", c, group_name(groups, *key)) for key in groups]
    ]
    assert list(categories) == expected
    assert all(chapter_title(c) in categories[category("practice", c)] for c in chapters)
    for c, groups in chapters.items():
        for key, ids in groups.items():
            assert {questions[i]["category"] for i in ids} == {
                category("practice", c, group_name(groups, *key))
            }
    for q in course.questions:
        got = questions[q["id"]]
        assert got["type"] == moodle[q["type"]] and got["points"] == expected_points(q), q["id"]
        if q["type"] in ("single", "multiple"):
            assert got["single"] == ("true" if q["type"] == "single" else "false"), q["id"]


def test_moodle_names_categories_from_the_chapters_titles(written):
    categories, _ = read_moodle(written["moodle"])
    assert category("practice", "threat-perceptions") == (
        f"$course$/top/{COURSE_TITLE}/Self-checks/Regional Perceptions of Threats and Security Policies"
    )
    assert category("practice", "threat-perceptions") in categories
    assert not any("Threat perceptions" in path for path in categories)


def test_moodle_marks_the_right_answers(course, written):
    _, questions = read_moodle(written["moodle"])
    for q in course.questions:
        got, want = questions[q["id"]], expected_answer(course, q)
        if q["type"] == "essay":
            # Model answer and rubric in the grader information, which students never see; no general feedback.
            assert all(c in got["answer"] for c in want) and plain(q["explanation"]) in got["answer"], q["id"]
            assert got["feedback"] == "", q["id"]
        else:
            assert got["answer"] == want, q["id"]
        if q["type"] == "multiple":
            positive = [f for f in got["fractions"] if f > 0]
            assert sum(positive) == pytest.approx(100, abs=1e-3) and len(set(positive)) == 1, q["id"]
            assert sum(f for f in got["fractions"] if f < 0) == pytest.approx(-100, abs=1e-3), q["id"]


def test_moodle_ordering_shows_all_items_in_a_vertical_list(course, written):
    _, questions = read_moodle(written["moodle"])
    orderings = [questions[q["id"]] for q in course.questions if q["type"] == "ordering"]
    assert orderings
    for got in orderings:
        assert got["selecttype"] in ("ALL", "0") and got["selecttype"] != "2"
        assert (got["layouttype"], got["selectcount"], got["gradingtype"]) == (
            "VERTICAL",
            "0",
            "RELATIVE_TO_CORRECT",
        )


def test_moodle_keeps_odd_characters_feedback_units_and_every_category(course, written):
    _, questions = read_moodle(written["moodle"])
    single = questions["xt-single"]
    assert single["prompt"] == f"{ODD}?" and single["feedback"] == f"Because {ODD}."
    assert single["answer"] == {f"Right {ODD}"} and single["option_feedback"] == {"Wrong": f"No: {ODD}"}
    assert questions["xt-ratio"]["unit"] == f"fold {ODD}"
    assert questions["xt-matching"]["choices"] == {c["label"] for c in course.categories}
    assert ODD in questions["xt-essay"]["answer"]


# --------------------------------------------------------------------------- GIFT, read with a parser written from its spec
def _find(s: str, token: str, start: int = 0) -> list[int]:
    """Where `token` starts in s, outside backslash escapes."""
    found, i = [], start
    while i < len(s):
        if s[i] == "\\":
            i += 2
        elif s.startswith(token, i):
            found.append(i)
            i += len(token)
        else:
            i += 1
    return found


def _unescape(s: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), s, flags=re.S).strip()


def _split(s: str, markers: str) -> list[str]:
    """Answers in an answer block, each starting with one of the one-character markers."""
    starts = sorted(i for m in markers for i in _find(s, m))
    return [s[a:b].strip() for a, b in zip(starts, starts[1:] + [len(s)])]


def read_gift(source: str) -> tuple[list[str], list[str], dict[str, dict]]:
    comments, categories, questions = [], [], {}
    for block in re.split(r"\n[ \t]*\n", source):
        lines = block.strip().splitlines()
        comments += [line for line in lines if line.strip().startswith("//")]
        body = "\n".join(line for line in lines if not line.strip().startswith("//")).strip()
        if body.startswith("$CATEGORY:"):
            categories.append(body.removeprefix("$CATEGORY:").strip())
        elif body:
            name_end = _find(body, "::", 2)[0]
            opening = _find(body, "{")[0]
            closing = _find(body, "}", opening)[0]
            question_text, answers = body[name_end + 2 : opening].strip(), body[opening + 1 : closing].strip()
            assert question_text.startswith("[html]")
            general = _find(answers, "####")
            feedback = _unescape(answers[general[-1] + 4 :]) if general else ""
            answers = answers[: general[-1]].strip() if general else answers
            out = {
                "prompt": text(_unescape(question_text.removeprefix("[html]"))),
                "feedback": text(feedback),
                "category": categories[-1],
            }
            out.update(_gift_answers(answers))
            questions[_unescape(body[2:name_end])] = out
    return comments, categories, questions


def _gift_answers(answers: str) -> dict:
    if not answers:
        return {"type": "essay"}
    if answers.startswith(">"):
        # qtype_ordering's syntax: a header (count and settings), then one item a line, first to last.
        header, *items = answers.splitlines()
        return {
            "type": "ordering",
            "header": header,
            "answer": [text(item) for item in items if item.strip()],
        }
    if answers.startswith("#"):
        value, tolerance = _unescape(answers[1:]).split(":")
        return {"type": "numeric", "answer": (float(value), float(tolerance))}
    if _find(answers, "~"):
        options = []
        for chunk in _split(answers, "=~"):
            weight = re.match(r"~%(-?[\d.]+)%", chunk)
            fraction = float(weight.group(1)) if weight else (100.0 if chunk[0] == "=" else 0.0)
            body = chunk[weight.end() :] if weight else chunk[1:]
            hashes = _find(body, "#")
            option = text(_unescape(body[: hashes[0]] if hashes else body))
            options.append((option, fraction, text(_unescape(body[hashes[0] + 1 :])) if hashes else ""))
        return {
            "type": "single" if any(c[0] == "=" for c in _split(answers, "=~")) else "multiple",
            "answer": {o for o, f, _ in options if f > 0},
            "fractions": [f for _, f, _ in options],
            "option_feedback": {o: fb for o, _, fb in options if fb},
        }
    rows = [chunk[1:].split("->", 1) for chunk in _split(answers, "=")]
    pairs = [(text(_unescape(left)), _unescape(right)) for left, right in rows]
    return {
        "type": "matching",
        "answer": {p for p in pairs if p[0]},
        "choices": {right for _, right in pairs},
    }


def test_gift_counts_types_and_categories(course, written):
    _, categories, questions = read_gift(written["gift"].read_text(encoding="utf-8"))
    assert Counter(q["type"] for q in questions.values()) == Counter(q["type"] for q in course.questions)
    assert set(questions) == {q["id"] for q in course.questions}
    chapters = {
        c: groups_of(course.questions_for(c)) for c in in_book_order(q["chapter"] for q in course.questions)
    }
    assert categories == [
        category("practice", c, group_name(groups, *key)) for c, groups in chapters.items() for key in groups
    ]
    for c, groups in chapters.items():
        for key, ids in groups.items():
            assert {questions[i]["category"] for i in ids} == {
                category("practice", c, group_name(groups, *key))
            }


def test_gift_marks_the_right_answers(course, written):
    _, _, questions = read_gift(written["gift"].read_text(encoding="utf-8"))
    for q in course.questions:
        got, want = questions[q["id"]], expected_answer(course, q)
        if q["type"] == "essay":
            assert got["feedback"] == "", q["id"]
        else:
            assert got["answer"] == want, q["id"]
        if q["type"] == "ordering":
            assert got["header"] == f">{len(want)} ALL VERTICAL RELATIVE_TO_CORRECT SHOW none", q["id"]
        if q["type"] == "multiple":
            assert sum(f for f in got["fractions"] if f > 0) == pytest.approx(100, abs=1e-3), q["id"]
            assert sum(f for f in got["fractions"] if f < 0) == pytest.approx(-100, abs=1e-3), q["id"]


def test_gift_leaves_essay_keys_out_and_writes_them_for_graders(course, written):
    source = written["gift"].read_text(encoding="utf-8")
    keys = (written["gift"].parent / "mxsec-essay-keys.html").read_text(encoding="utf-8")
    essays = [q for q in course.questions if q["type"] == "essay"]
    assert essays
    for q in essays:
        assert (
            text(q["explanation"]) not in text(_unescape(source)) and html_text(q["explanation"]) in keys
        ), q["id"]


def test_gift_keeps_odd_characters_and_feedback(course, written):
    _, _, questions = read_gift(written["gift"].read_text(encoding="utf-8"))
    single = questions["xt-single"]
    assert single["prompt"] == f"{ODD}?" and single["feedback"] == f"Because {ODD}."
    assert single["answer"] == {f"Right {ODD}"} and single["option_feedback"] == {"Wrong": f"No: {ODD}"}
    assert f"Unit: fold {ODD}" in questions["xt-ratio"]["prompt"]
    assert questions["xt-matching"]["choices"] == {c["label"] for c in course.categories}
    assert questions["xt-threats"]["answer"][0] == f"Threat {ODD}"  # braces and backslash in an ordering item


@pytest.mark.parametrize("raw", [ODD, "a\\b", "::name::", "{=~#}", "line\nbreak", "####"])
def test_gift_escape_round_trips(raw):
    escaped = escape(raw)
    assert not [c for c in "~={}#:" for i in _find(escaped, c)]
    assert "\n" not in escaped and _unescape(escaped) == raw.strip()
