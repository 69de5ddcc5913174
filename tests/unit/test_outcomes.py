"""Learning outcomes: the data and its checks, the two question banks that name them, the chapters'
objectives shown from the data, and every outcome assessed at least twice."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from mxsec import cli
from mxsec.data import BANKS, DataError, load
from mxsec.outcomes import (KINDS, MIN_ASSESSMENTS, OutcomeTagError, assessments, notebook_outcomes,
                            objectives_markdown, outcome_markdown, outcome_plain)

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = ["introduction", "threat-perceptions", "sources-of-power", "security-governance", "assurance",
            "prevention", "protection", "compellence", "assessment"]
# How many objectives each chapter lists (the ids other files use are fixed: <chapter>-1 ... -n).
COUNTS = {"introduction": 5, "threat-perceptions": 5, "sources-of-power": 5, "security-governance": 6,
          "assurance": 4, "prevention": 5, "protection": 5, "compellence": 5, "assessment": 5}


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
            (self.path / name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
            return self.path

    return Data()


def reject(directory: Path, file: str, record: str, field: str, words: str) -> DataError:
    with pytest.raises(DataError) as caught:
        load(directory)
    err = caught.value
    assert (err.file, err.record, err.field) == (file, record, field), str(err)
    assert words in err.problem, str(err)
    return err


def question(qid: str, chapter: str, **extra) -> dict:
    """A small valid single-answer question of `chapter`."""
    return {"id": qid, "chapter": chapter, "type": "single", "section": "Introduction", "prompt": f"Which? ({qid})",
            "options": [{"text": "Right", "correct": True}, {"text": "Wrong", "correct": False, "feedback": "No."}],
            "explanation": "Because.", "facts": ["governance-categories"], "outcomes": [f"{chapter}-1"], **extra}


# --------------------------------------------------------------------------- the outcomes
def test_outcomes_are_each_chapters_objectives_numbered_in_order():
    course = load()
    assert [o["chapter"] for o in course.outcomes] == [c for c in CHAPTERS for _ in range(COUNTS[c])]
    for chapter in CHAPTERS:
        assert [o["id"] for o in course.outcomes_for(chapter)] == [f"{chapter}-{n}" for n in range(1, COUNTS[chapter] + 1)]
    assert all(course.kind_of[o["id"]] == "outcome" for o in course.outcomes)
    assert course.get("assurance-4", "outcome")["text"].startswith("weigh the section's evidence")


def test_an_outcome_numbered_out_of_order_is_refused(data):
    directory = data.edit("outcomes.yaml", lambda doc: doc[1].update(id="introduction-7"))
    reject(directory, "data/outcomes.yaml", "introduction-7", "id", "must be introduction-2")


def test_an_outcome_of_an_unknown_chapter_or_without_text_is_refused(data):
    directory = data.edit("outcomes.yaml", lambda doc: doc[0].update(chapter="epilogue"))
    reject(directory, "data/outcomes.yaml", "introduction-1", "chapter", "is not one of")
    directory = data.edit("outcomes.yaml", lambda doc: (doc[0].update(chapter="introduction"), doc[0].pop("text")))
    reject(directory, "data/outcomes.yaml", "introduction-1", "text", "required")


@pytest.mark.parametrize("text", ["**state** the claim;", "state the claim ", "state * the claim", "**state the claim"])
def test_outcome_text_is_refused_with_list_punctuation_spaces_or_stray_markup(data, text):
    directory = data.edit("outcomes.yaml", lambda doc: doc[0].update(text=text))
    reject(directory, "data/outcomes.yaml", "introduction-1", "text", "")


def test_an_outcome_id_another_record_uses_is_refused(data):
    directory = data.edit("facts.yaml", lambda doc: doc[0].update(id="assurance-2"))
    reject(directory, "data/outcomes.yaml", "assurance-2", "id", "already used in facts.yaml")


def test_outcome_markdown_keeps_bold_and_emphasis_and_escapes_the_rest():
    text = 'avoid *both* <b>readings</b> [of](x) {term}`it` $1 and **state** it'
    assert outcome_markdown(text) == (r"avoid *both* \<b\>readings\<\/b\> \[of\]\(x\) \{term\}\`it\` \$1 and "
                                      r"**state** it")
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


@pytest.mark.parametrize("outcomes, words", [
    (["introduction-9"], "'introduction-9' is not the id of a learning outcome"),
    (["governance-categories"], "'governance-categories' is not the id of a learning outcome"),
    (["assurance-1"], "'assurance-1' is an outcome of the assurance chapter"),
    (["introduction-1", "introduction-1"], "non-unique"),
    ([], "should be non-empty"),
])
@pytest.mark.parametrize("bank", list(BANKS))
def test_a_bad_outcome_list_names_file_question_and_field(data, bank, outcomes, words):
    directory = data.write(f"{BANKS[bank]}/introduction.yaml",
                           (yaml.safe_load((data.path / "questions/introduction.yaml").read_text(encoding="utf-8"))
                            if bank == "questions" else []) + [question("xt-outcomes", "introduction", outcomes=outcomes)])
    reject(directory, f"data/{BANKS[bank]}/introduction.yaml", "xt-outcomes", "outcomes", words)


# --------------------------------------------------------------------------- the summative bank
def test_a_missing_summative_folder_is_an_empty_bank(data):
    shutil.rmtree(data.path / "summative", ignore_errors=True)
    course = load(data.path)
    assert course.summative == [] and course.summative_for("assurance") == []
    assert course.questions == load().questions


def test_summative_questions_load_apart_from_the_self_checks(data):
    shutil.rmtree(data.path / "summative", ignore_errors=True)
    data.write("summative/assurance.yaml", [question("sm-as-1", "assurance"), question("sm-as-2", "assurance")])
    data.write("summative/protection.yaml", [question("sm-prot-1", "protection", outcomes=["protection-3"])])
    course = load(data.path)
    assert [q["id"] for q in course.summative] == ["sm-as-1", "sm-as-2", "sm-prot-1"]
    assert [q["id"] for q in course.summative_for("assurance")] == ["sm-as-1", "sm-as-2"]
    assert course.bank("summative") is course.summative and course.bank("questions") is course.questions
    assert not {q["id"] for q in course.questions} & {q["id"] for q in course.summative}
    assert course.kind_of["sm-as-1"] == "summative" and course.get("sm-prot-1", "summative")["outcomes"] == ["protection-3"]
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
    reject(directory, "data/summative/assurance.yaml", taken, "id", "already used in questions/assurance.yaml")


def test_an_id_twice_in_the_summative_bank_is_refused(data):
    data.write("summative/assurance.yaml", [question("sm-as-1", "assurance")])
    directory = data.write("summative/prevention.yaml", [question("sm-as-1", "prevention")])
    reject(directory, "data/summative/prevention.yaml", "sm-as-1", "id", "already used in summative/assurance.yaml")


def test_the_summative_bank_gets_the_same_checks_and_messages_as_the_self_checks(data):
    bad = question("sm-bad", "assurance", options=[{"text": "a", "correct": False}, {"text": "b", "correct": False}])
    directory = data.write("summative/assurance.yaml", [bad])
    reject(directory, "data/summative/assurance.yaml", "sm-bad", "options", "no option is marked correct")
    directory = data.write("summative/assurance.yaml", [question("sm-bad", "assurance", answer="x")])
    reject(directory, "data/summative/assurance.yaml", "sm-bad", "answer", "not a field this file allows")
    directory = data.write("summative/assurance.yaml", [question("sm-bad", "prevention", outcomes=["prevention-1"])])
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
    data.write("summative/assurance.yaml", [question("sm-as-1", "assurance"), question("sm-as-2", "assurance")])
    monkeypatch.setenv("MXSEC_DATA_DIR", str(data.path))
    assert cli.main(["check"]) == 0
    out = capsys.readouterr().out
    course = load(data.path)
    assert f"learning outcomes {len(course.outcomes)}" in out
    assert f"self-check bank, {len(course.questions)} questions" in out
    assert f"summative bank, {len(course.summative)} questions: single {len(course.summative)}" in out
    assert re.search(rf"^    assurance \({len(course.summative_for('assurance'))}\): single", out, re.M)
