"""Learning outcomes: the data and its checks, the two question banks that name them, the chapters'
objectives shown from the data, and every outcome assessed at least twice."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from test_data import reject  # the loader's error: file, record and field as given, and the problem's words

from mxsec import cli
from mxsec.build import chapters
from mxsec.data import BANKS, load
from mxsec.outcomes import (
    KINDS,
    MIN_ASSESSMENTS,
    OutcomeTagError,
    assessments,
    notebook_outcomes,
    objectives_markdown,
    outcome_markdown,
    outcome_plain,
)

ROOT = Path(__file__).resolve().parents[2]
# How many objectives each chapter lists (the ids other files use are fixed: <chapter>-1 ... -n).
COUNTS = {
    "introduction": 5,
    "threat-perceptions": 5,
    "sources-of-power": 5,
    "security-governance": 6,
    "assurance": 4,
    "prevention": 5,
    "protection": 5,
    "compellence": 5,
    "assessment": 5,
}
CHAPTERS = [name.removeprefix("book/") for name in chapters(paper_only=True)]


@pytest.fixture
def data(tmp_path):
    """A scratch copy of data/ and references.bib, and helpers to edit or add a YAML file in it."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")

    class Data:
        path = tmp_path / "data"

        def edit(self, name: str, change) -> Path:
            file = self.path / name
            doc = yaml.safe_load(file.read_text(encoding="utf-8"))
            change(doc)
            self.write(name, doc)
            return self.path

        def write(self, name: str, doc) -> Path:
            (self.path / name).parent.mkdir(parents=True, exist_ok=True)
            (self.path / name).write_text(
                yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
            return self.path

    return Data()


def question(qid: str, chapter: str, **extra) -> dict:
    """A small valid single-answer question of `chapter`."""
    return {
        "id": qid,
        "chapter": chapter,
        "type": "single",
        "section": "Introduction",
        "prompt": f"Which? ({qid})",
        "options": [
            {"text": "Right", "correct": True},
            {"text": "Wrong", "correct": False, "feedback": "No."},
        ],
        "explanation": "Because.",
        "facts": ["governance-categories"],
        "outcomes": [f"{chapter}-1"],
        **extra,
    }


# --------------------------------------------------------------------------- the outcomes
def test_outcomes_are_each_chapters_objectives_numbered_in_order():
    course = load()
    assert CHAPTERS == list(COUNTS)
    assert [o["chapter"] for o in course.outcomes] == [c for c in CHAPTERS for _ in range(COUNTS[c])]
    for chapter in CHAPTERS:
        assert [o["id"] for o in course.outcomes_for(chapter)] == [
            f"{chapter}-{n}" for n in range(1, COUNTS[chapter] + 1)
        ]
    assert all(course.kind_of[o["id"]] == "outcome" for o in course.outcomes)
    assert course.get("assurance-4", "outcome")["text"].startswith("weigh the section's evidence")


def test_an_outcome_numbered_out_of_order_is_refused(data):
    directory = data.edit("outcomes.yaml", lambda doc: doc[1].update(id="introduction-7"))
    reject(directory, "data/outcomes.yaml", "introduction-7", "id", "must be introduction-2")


def test_an_outcome_of_an_unknown_chapter_or_without_text_is_refused(data):
    directory = data.edit("outcomes.yaml", lambda doc: doc[0].update(chapter="epilogue"))
    reject(directory, "data/outcomes.yaml", "introduction-1", "chapter", "is not a chapter in _toc.yml")
    directory = data.edit(
        "outcomes.yaml", lambda doc: (doc[0].update(chapter="introduction"), doc[0].pop("text"))
    )
    reject(directory, "data/outcomes.yaml", "introduction-1", "text", "required")


@pytest.mark.parametrize(
    "text", ["**state** the claim;", "state the claim ", "state * the claim", "**state the claim"]
)
def test_outcome_text_is_refused_with_list_punctuation_spaces_or_stray_markup(data, text):
    directory = data.edit("outcomes.yaml", lambda doc: doc[0].update(text=text))
    reject(directory, "data/outcomes.yaml", "introduction-1", "text", "")


def test_an_outcome_id_another_record_uses_is_refused(data):
    directory = data.edit("facts.yaml", lambda doc: doc[0].update(id="assurance-2"))
    reject(directory, "data/outcomes.yaml", "assurance-2", "id", "already used in facts.yaml")


def test_outcome_markdown_keeps_bold_and_emphasis_and_escapes_the_rest():
    text = "avoid *both* <b>readings</b> [of](x) {term}`it` $1 and **state** it"
    assert outcome_markdown(text) == (
        r"avoid *both* \<b\>readings\<\/b\> \[of\]\(x\) \{term\}\`it\` \$1 and "
        r"**state** it"
    )
    assert outcome_plain(text) == "avoid both <b>readings</b> [of](x) {term}`it` $1 and state it"
    assert outcome_markdown("**state** the claim") == "**state** the claim"


def test_objectives_markdown_is_the_chapters_list_with_its_punctuation():
    course = load()
    lines = objectives_markdown("assurance", course).splitlines()
    assert len(lines) == COUNTS["assurance"] and all(line.startswith("- ") for line in lines)
    assert [line[-1] for line in lines] == [";", ";", ";", "."]
    assert lines[0] == "- " + outcome_markdown(course.outcomes_for("assurance")[0]["text"]) + ";"
    with pytest.raises(KeyError, match="epilogue"):
        objectives_markdown("epilogue", course)


# --------------------------------------------------------------------------- questions name outcomes
def test_every_question_names_outcomes_of_its_own_chapter():
    course = load()
    for q in course.questions + course.summative:
        assert q["outcomes"] and len(set(q["outcomes"])) == len(q["outcomes"]), q["id"]
        assert {course.by_id[o]["chapter"] for o in q["outcomes"]} == {q["chapter"]}, q["id"]


@pytest.mark.parametrize("bank", list(BANKS))
def test_a_question_without_outcomes_is_refused(data, bank):
    if bank == "questions":
        directory = data.edit("questions/introduction.yaml", lambda doc: doc[0].pop("outcomes"))
        qid = load().questions_for("introduction")[0]["id"]
    else:
        q = question("sm-intro-x", "introduction")
        q.pop("outcomes")
        directory, qid = data.write("summative/introduction.yaml", [q]), "sm-intro-x"
    reject(directory, f"data/{BANKS[bank]}/introduction.yaml", qid, "outcomes", "required but missing")


@pytest.mark.parametrize(
    "outcomes, words",
    [
        (["introduction-9"], "'introduction-9' is not the id of a learning outcome"),
        (["governance-categories"], "'governance-categories' is not the id of a learning outcome"),
        (["assurance-1"], "'assurance-1' is an outcome of the assurance chapter"),
        (["introduction-1", "introduction-1"], "non-unique"),
        ([], "should be non-empty"),
    ],
)
@pytest.mark.parametrize("bank", list(BANKS))
def test_a_bad_outcome_list_names_file_question_and_field(data, bank, outcomes, words):
    directory = data.write(
        f"{BANKS[bank]}/introduction.yaml",
        (
            yaml.safe_load((data.path / "questions/introduction.yaml").read_text(encoding="utf-8"))
            if bank == "questions"
            else []
        )
        + [question("xt-outcomes", "introduction", outcomes=outcomes)],
    )
    reject(directory, f"data/{BANKS[bank]}/introduction.yaml", "xt-outcomes", "outcomes", words)


# --------------------------------------------------------------------------- the summative bank
def test_a_missing_summative_folder_is_an_empty_bank(data):
    shutil.rmtree(data.path / "summative", ignore_errors=True)
    course = load(data.path)
    assert course.summative == [] and course.summative_for("assurance") == []
    assert course.questions == load().questions


def test_summative_questions_load_apart_from_the_self_checks(data):
    shutil.rmtree(data.path / "summative", ignore_errors=True)
    data.write(
        "summative/assurance.yaml", [question("sm-as-1", "assurance"), question("sm-as-2", "assurance")]
    )
    data.write("summative/protection.yaml", [question("sm-prot-1", "protection", outcomes=["protection-3"])])
    course = load(data.path)
    assert [q["id"] for q in course.summative] == ["sm-as-1", "sm-as-2", "sm-prot-1"]
    assert [q["id"] for q in course.summative_for("assurance")] == ["sm-as-1", "sm-as-2"]
    assert course.bank("summative") is course.summative and course.bank("questions") is course.questions
    assert not {q["id"] for q in course.questions} & {q["id"] for q in course.summative}
    assert course.kind_of["sm-as-1"] == "summative" and course.get("sm-prot-1", "summative")["outcomes"] == [
        "protection-3"
    ]
    with pytest.raises(KeyError):
        course.get("sm-as-1", "question")
    with pytest.raises(KeyError, match="practice"):
        course.bank("practice")
    table = assessments(course)
    assert table["protection-3"].by_kind["summative"] == ["sm-prot-1"]
    assert table["assurance-1"].by_kind["summative"] == ["sm-as-1", "sm-as-2"]


def test_an_id_in_both_banks_is_refused(data):
    taken = load().questions_for("assurance")[0]["id"]
    directory = data.write("summative/assurance.yaml", [question(taken, "assurance")])
    reject(
        directory, "data/summative/assurance.yaml", taken, "id", "already used in questions/assurance.yaml"
    )


def test_an_id_twice_in_the_summative_bank_is_refused(data):
    data.write("summative/assurance.yaml", [question("sm-as-1", "assurance")])
    directory = data.write("summative/prevention.yaml", [question("sm-as-1", "prevention")])
    reject(
        directory,
        "data/summative/prevention.yaml",
        "sm-as-1",
        "id",
        "already used in summative/assurance.yaml",
    )


def test_the_summative_bank_gets_the_same_checks_and_messages_as_the_self_checks(data):
    bad = question(
        "sm-bad", "assurance", options=[{"text": "a", "correct": False}, {"text": "b", "correct": False}]
    )
    directory = data.write("summative/assurance.yaml", [bad])
    reject(directory, "data/summative/assurance.yaml", "sm-bad", "options", "no option is marked correct")
    directory = data.write("summative/assurance.yaml", [question("sm-bad", "assurance", answer="x")])
    reject(directory, "data/summative/assurance.yaml", "sm-bad", "answer", "not a field this file allows")
    directory = data.write(
        "summative/assurance.yaml", [question("sm-bad", "prevention", outcomes=["prevention-1"])]
    )
    reject(directory, "data/summative/assurance.yaml", "sm-bad", "chapter", "sits in assurance.yaml")


@pytest.mark.parametrize("name", ["assurance.yml", "notes.txt"])
def test_a_summative_file_with_another_name_is_an_error(data, name):
    data.write("summative/assurance.yaml", [question("sm-as-1", "assurance")])
    (data.path / "summative" / "assurance.yaml").rename(data.path / "summative" / name)
    reject(data.path, f"data/summative/{name}", "-", "-", "not a question file")


def test_a_summative_file_instead_of_a_folder_is_an_error(data):
    shutil.rmtree(data.path / "summative", ignore_errors=True)
    (data.path / "summative").write_text("- id: x\n", encoding="utf-8")
    reject(data.path, "data/summative", "-", "-", "not the summative folder")


def test_check_prints_both_banks(data, monkeypatch, capsys):
    shutil.rmtree(data.path / "summative", ignore_errors=True)
    data.write(
        "summative/assurance.yaml", [question("sm-as-1", "assurance"), question("sm-as-2", "assurance")]
    )
    monkeypatch.setenv("MXSEC_DATA_DIR", str(data.path))
    assert cli.main(["check"]) == 0
    out = capsys.readouterr().out
    course = load(data.path)
    assert f"learning outcomes {len(course.outcomes)}" in out
    assert f"self-check bank, {len(course.questions)} questions" in out
    assert f"summative bank, {len(course.summative)} questions: single {len(course.summative)}" in out
    assert re.search(rf"^    assurance \({len(course.summative_for('assurance'))}\): single", out, re.M)


# --------------------------------------------------------------------------- the chapters show them from data
def cells(folder: str, chapter: str) -> list[dict]:
    return json.loads((ROOT / folder / f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]


BOX = re.compile(r"^:::\{admonition\} Learning objectives\n(?P<body>.*?)^:::$", re.S | re.M)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_chapters_objectives_box_pastes_the_list_from_data(chapter):
    nb = cells("book", chapter)
    markdown = [c for c in nb if c["cell_type"] == "markdown"]
    boxes = [m for c in markdown for m in BOX.finditer("".join(c["source"]))]
    assert len(boxes) == 1, f"{chapter}: one Learning objectives box"
    body = boxes[0].group("body")
    assert body.count("```{glue:md} learning-objectives\n```") == 1
    assert not re.search(r"^\s*(?:[-*+]|\d+\.)\s", body, re.M), f"{chapter}: a hand-written list in the box"
    code = ["".join(c["source"]) for c in nb if c["cell_type"] == "code"]
    gluing = [src for src in code if "glue_objectives(" in src]
    assert len(gluing) == 1 and f'glue_objectives("{chapter}")' in gluing[0]
    assert next(c for c in nb if "glue_objectives(" in "".join(c["source"]))["metadata"]["tags"] == [
        "remove-cell"
    ]


def test_glue_objectives_glues_the_list_or_shows_it_without_myst_nb(monkeypatch):
    import sys

    import IPython.display

    shown, glued = [], []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    fake = type(sys)("myst_nb")
    fake.glue = lambda name, value, display=True: glued.append((name, value.data, display))
    monkeypatch.setitem(sys.modules, "myst_nb", fake)
    from mxsec.outcomes import glue_objectives

    glue_objectives("compellence")
    assert glued == [("learning-objectives", objectives_markdown("compellence"), False)] and not shown
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # the lean runtime: import fails
    glue_objectives("compellence")
    assert len(shown) == 1 and shown[0].data.endswith(objectives_markdown("compellence"))


EXERCISE = re.compile(r"^```\{exercise\}\n:label: (\S+)$", re.M)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_in_chapter_exercise_names_its_outcomes(chapter):
    labels = []
    for cell in cells("book", chapter):
        found = EXERCISE.findall("".join(cell["source"]))
        if found:
            assert len(found) == 1, (
                f"{chapter}: exercises {found} share a cell; give each its own, with its outcomes"
            )
            assert cell["metadata"].get("mxsec", {}).get("outcomes"), (
                f"{chapter}: {found[0]} names no outcomes"
            )
            labels += found
    assert (
        labels
        and [name for name, _ in notebook_outcomes(ROOT / "book" / f"{chapter}.ipynb", root=ROOT)] == labels
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_notebook_task_names_its_outcomes(chapter):
    tasks = [c for c in cells("exercises", chapter) if re.match(r"#{1,6} Task\b", "".join(c["source"]))]
    assert tasks, f"exercises/{chapter}.ipynb: no '## Task' headings"
    untagged = [
        "".join(c["source"]).splitlines()[0]
        for c in tasks
        if not c["metadata"].get("mxsec", {}).get("outcomes")
    ]
    assert not untagged, f"exercises/{chapter}.ipynb: tasks without metadata mxsec.outcomes: {untagged}"


@pytest.mark.parametrize(
    "tag, words",
    [
        (["assurance-9"], "'assurance-9' is not the id of a learning outcome"),
        (["prevention-1"], "'prevention-1' is an outcome of the prevention chapter, not of assurance"),
        (["assurance-1", "assurance-1"], "lists an outcome twice"),
        ([], "non-empty list"),
        ("assurance-1", "non-empty list"),
    ],
)
def test_a_bad_outcome_tag_in_a_notebook_names_notebook_cell_and_field(tmp_path, tag, words):
    (tmp_path / "book").mkdir()
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Assurance"]},
            {
                "cell_type": "markdown",
                "metadata": {"mxsec": {"outcomes": tag}},
                "source": ["```{exercise}\n", ":label: ex-assurance-1\n", "\n", "Why?\n", "```"],
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "book" / "assurance.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(OutcomeTagError) as caught:
        notebook_outcomes(path, root=tmp_path)
    message = str(caught.value)
    assert message.startswith(
        "book/assurance.ipynb: cell 1 (ex-assurance-1), field 'metadata.mxsec.outcomes': "
    )
    assert words in message, message


def test_assessments_count_every_kind(tmp_path):
    for folder, source in (
        ("book", ["```{exercise}\n", ":label: ex-assurance-2\n", "```"]),
        ("exercises", ["## Task 3: Refugees (2 points, about 5 minutes)\n"]),
    ):
        (tmp_path / folder).mkdir()
        nb = {
            "cells": [
                {
                    "cell_type": "markdown",
                    "metadata": {"mxsec": {"outcomes": ["assurance-3", "assurance-1"]}},
                    "source": source,
                }
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        (tmp_path / folder / "assurance.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    course = load()
    table = assessments(course, root=tmp_path)
    assert list(table) == [o["id"] for o in course.outcomes] and set(table["assurance-3"].by_kind) == set(
        KINDS
    )
    row = table["assurance-3"].by_kind
    assert row["exercises"] == ["ex-assurance-2"] and row["tasks"] == ["Task 3: Refugees"]
    assert row["questions"] == [q["id"] for q in course.questions if "assurance-3" in q["outcomes"]]
    assert table["assurance-3"].count == len(row["questions"]) + len(row["summative"]) + 2


def test_every_outcome_is_assessed_at_least_twice():
    """Counting self-checks, summative questions, in-chapter exercises and notebook tasks together."""
    table = assessments(load(), root=ROOT)
    thin = {
        oid: {k: v for k, v in row.by_kind.items() if v}
        for oid, row in table.items()
        if row.count < MIN_ASSESSMENTS
    }
    assert not thin, f"outcomes assessed fewer than {MIN_ASSESSMENTS} times: {thin}"


# --------------------------------------------------------------------------- the instructor's pages
def test_the_outcome_table_has_a_row_per_outcome_naming_what_assesses_it():
    from mxsec.outcomes import table_rows

    course = load()
    table = assessments(course, root=ROOT)
    rows = table_rows("introduction", table, course)
    assert [r["Outcome"].split(":")[0] for r in rows] == [f"introduction-{n}" for n in range(1, 6)]
    assert list(rows[0]) == ["Outcome", *KINDS.values(), "Total"]
    assert rows[3]["Outcome"].startswith("introduction-4: distinguish the four kinds")  # markup dropped
    assert (
        "intro-four-categories" in rows[3]["Self-check questions"]
        and "Exercise 2" in rows[3]["In-chapter exercises"]
    )
    assert [r["Total"] for r in rows] == [table[f"introduction-{n}"].count for n in range(1, 6)]


XSS = "<script>alert(1)</script> *x* [a](b) {term}`t` $m$"


@pytest.mark.parametrize(
    "qid", ["as-katrina-aid", "as-unhcr-ratio", "tp-order-threats", "sg-matching", "as-essay"]
)
def test_the_bank_key_gives_each_type_its_answer_and_escapes_data(qid):
    from mxsec.bank_key import question_key, rubric_rows
    from mxsec.output import md

    course = load()
    q = dict(course.get(qid), prompt=XSS, explanation=XSS)
    key = question_key(q, course)
    assert f"**Prompt.** {md(XSS)}" in key and f"**Explanation.** {md(XSS)}" in key and "<script>" not in key
    assert key.startswith(f"**{md(qid)}** · ") and md(", ".join(q["outcomes"])) in key
    if q["type"] in ("single", "multiple"):
        assert key.count("- **Right:** ") == sum(o["correct"] for o in q["options"])
        assert key.count("- Wrong: ") == sum(not o["correct"] for o in q["options"])
    elif q["type"] == "numeric":
        answer = f"{q['answer']:,.6g}"
        assert f"**Answer.** {md(answer)} {md(q['unit'])}, accepted within" in key
    elif q["type"] == "ordering":
        first = course.get(q["order"][0])
        assert f"1. {md(first['label'])}" in key
    elif q["type"] == "matching":
        item, category = q["pairs"][0]
        assert f"- {md(course.get(item)['label'])}: {md(course.get(category)['label'])}" in key
    else:
        rows = rubric_rows(q)
        assert [r["Criterion"] for r in rows] == [c["criterion"] for c in q["rubric"]]
        assert "**Rubric.**" in key


def test_the_outcome_page_is_read_and_run_again_when_a_tagged_notebook_changes(tmp_path):
    """Its table comes from book/ and exercises/, which Sphinx and myst-nb's cache do not watch for it."""
    from types import SimpleNamespace

    from mxsec.sphinxext import _note_read_notebooks

    meta = json.loads((ROOT / "instructor" / "outcomes.ipynb").read_text(encoding="utf-8"))["metadata"]
    assert meta["mxsec"]["reads"] == ["book/*.ipynb", "exercises/*.ipynb"]
    assert meta["mystnb"]["execution_mode"] == "force"
    for folder in ("book", "exercises"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "assurance.ipynb").write_text("{}", encoding="utf-8")
    noted = []
    env = SimpleNamespace(
        doc2path=lambda docname: str(tmp_path / f"{docname}.ipynb"), note_dependency=noted.append
    )
    app = SimpleNamespace(env=env, srcdir=str(tmp_path))
    _note_read_notebooks(app, "instructor/outcomes", [json.dumps({"metadata": meta})])
    assert noted == [
        str(tmp_path / "book" / "assurance.ipynb"),
        str(tmp_path / "exercises" / "assurance.ipynb"),
    ]
    noted.clear()
    _note_read_notebooks(app, "book/assurance", [json.dumps({"metadata": {}})])
    assert noted == []
