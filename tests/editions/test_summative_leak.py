"""The summative bank never reaches the student edition (no page, no search index entry, no download
holds its text), while the instructor edition shows it with its key and the outcome table; and the
chapters' objectives, drawn from data/outcomes.yaml, read as the data has them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from solutions import RUN, public_runs, runs, site_runs, words

from common import paper_chapters
from mxsec import load
from mxsec.outcomes import outcome_plain

# A piece of a question (its prompt, an option, a feedback, the explanation, a rubric line) has leaked
# when the site holds most of its runs of RUN words, or a long stretch of them: a copy holds all, while
# a fact stated in the same words as a chart's alt text or a table (built from the same data) shares a
# few. Runs found in the public sources (chapters, data) do not count either way.
LEAK_SHARE, LEAK_RUNS = 0.75, 12


def summative_pieces() -> dict[str, list[str]]:
    """Everything a summative question says, piece by piece, by question id: prompt, options and
    their feedback, unit, explanation, rubric criteria and descriptors."""
    found = {}
    for q in load().summative:
        parts = [q["prompt"], q["explanation"], q.get("unit", "")]
        parts += [text for o in q.get("options", []) for text in (o["text"], o.get("feedback", ""))]
        parts += [
            text
            for c in q.get("rubric", [])
            for text in (c["criterion"], *(lvl["descriptor"] for lvl in c["levels"]))
        ]
        found[q["id"]] = [p for p in parts if p]
    return found


def summative_leaks(site: Path) -> dict[str, list[str]]:
    """For each question with a leaked piece, the start of that piece."""
    in_site, public = site_runs(site), public_runs()
    out: dict[str, list[str]] = {}
    for qid, pieces in summative_pieces().items():
        for piece in pieces:
            own = runs(piece) - public
            found = own & in_site
            if found and (len(found) >= LEAK_SHARE * len(own) or len(found) >= LEAK_RUNS):
                out.setdefault(qid, []).append(" ".join(piece.split()[:12]))
    return out


def site_files(site: Path):
    return [
        p
        for p in site.rglob("*")
        if p.is_file() and p.suffix not in {".png", ".jpg", ".svg", ".woff", ".woff2", ".ttf", ".ico", ".gif"}
    ]


def text_of(path: Path) -> str:
    return " ".join(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" ").split())


def test_the_leak_check_finds_a_summative_question_in_a_site_but_not_a_shared_phrase(tmp_path):
    pieces = summative_pieces()
    assert pieces, "the summative bank (data/summative/) is empty"
    public = public_runs()
    qid, prompt = next((k, v[0]) for k, v in pieces.items() if len(runs(v[0]) - public) >= 2 * LEAK_RUNS)
    shared = " ".join(words(prompt)[: RUN + 3])  # eleven words in a row: four of the prompt's runs
    (tmp_path / "page.html").write_text(f"<html><body><p>{shared}</p></body></html>", encoding="utf-8")
    assert qid not in summative_leaks(tmp_path)
    (tmp_path / "searchindex.js").write_text(f'Search.setIndex({{"docs": "{prompt}"}})', encoding="utf-8")
    assert qid in summative_leaks(tmp_path)


def test_no_summative_question_text_in_the_student_site(student_site):
    assert summative_pieces(), "the summative bank (data/summative/) is empty"
    found = summative_leaks(student_site)
    assert not found, f"summative question text in the student edition: {found}"
    assert (student_site / "searchindex.js").exists()


def test_no_summative_question_id_or_instructor_page_in_the_student_site(student_site):
    ids = set(summative_pieces())
    named = {
        p.relative_to(student_site).as_posix(): sorted(
            i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", raw)
        )
        for p in site_files(student_site)
        if (raw := p.read_bytes().decode("utf-8", errors="ignore"))
    }
    assert not {k: v for k, v in named.items() if v}, "summative question ids in the student edition"
    assert not list(student_site.rglob("summative-bank*")) and not list(student_site.rglob("outcomes.html"))


def test_the_instructor_edition_shows_the_summative_bank_with_its_key(instructor_build):
    assert instructor_build.returncode == 0, instructor_build.output[-6000:]
    page = text_of(instructor_build.html / "instructor" / "summative-bank.html")
    said = " ".join(words(page))  # compared as words: Sphinx curls the quotes and joins the dashes
    course = load()
    assert course.summative, "the summative bank (data/summative/) is empty"
    for q in course.summative:
        assert q["id"] in page and " ".join(words(q["prompt"])) in said, q["id"]
        for o in q.get("options", []):
            mark = "right" if o["correct"] else "wrong"
            assert " ".join([mark, *words(o["text"])]) in said, (q["id"], o["text"])
        if q["type"] == "essay":
            assert f"Rubric for {q['id']}" in page, q["id"]


def test_the_instructor_edition_tables_every_outcome_with_what_assesses_it(instructor_build):
    assert instructor_build.returncode == 0, instructor_build.output[-6000:]
    soup = BeautifulSoup(
        (instructor_build.html / "instructor" / "outcomes.html").read_text(encoding="utf-8"), "html.parser"
    )
    course = load()
    tables = soup.select("table")
    assert len(tables) == len({o["chapter"] for o in course.outcomes})
    headers = [" ".join(th.get_text(" ").split()) for th in tables[0].select("thead th")]
    assert headers == [
        "Outcome",
        "Self-check questions",
        "Summative questions",
        "In-chapter exercises",
        "Notebook tasks",
        "Total",
    ]
    rows = {
        " ".join(tr.select("td")[0].get_text(" ").split()).split(":")[0]: tr
        for table in tables
        for tr in table.select("tbody tr")
    }
    assert list(rows) == [o["id"] for o in course.outcomes]
    intro = " ".join(rows["introduction-4"].get_text(" ").split())
    assert "intro-four-categories" in intro and "Exercise 2" in intro


@pytest.mark.parametrize("docname", paper_chapters())
def test_the_chapters_objectives_are_the_datas(student_site, docname):
    soup = BeautifulSoup((student_site / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    box = next(
        a
        for a in soup.select(".admonition")
        if "Learning objectives" in a.select_one(".admonition-title").get_text()
    )
    shown = [" ".join(li.get_text(" ").split()) for li in box.select("li")]
    outcomes = load().outcomes_for(docname.removeprefix("book/"))
    expected = [
        outcome_plain(o["text"]) + (";" if i < len(outcomes) - 1 else ".") for i, o in enumerate(outcomes)
    ]
    # Sphinx turns straight quotes into curly ones; compare the words and the punctuation that ends each.
    assert [words(s) for s in shown] == [words(e) for e in expected] and [s[-1] for s in shown] == [
        e[-1] for e in expected
    ]
    bold = [re.findall(r"\*\*(.+?)\*\*", o["text"]) for o in outcomes]
    assert [[" ".join(b.get_text().split()) for b in li.select("strong")] for li in box.select("li")] == bold
