"""The student edition: built with no warnings, complete, self-contained, and free of solutions."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from solutions import answer_key_texts, leaks, nbgrader_texts, notebook_key_texts, runs

from common import chapters, paper_chapters

SECTION_WORDS = (
    "Introduction",
    "Regional Perceptions",
    "Sources of Power",
    "Assurance",
    "Prevention",
    "Protection",
    "Compellence",
    "Assessment",
    "section",
)
PAPER_CHAPTERS = paper_chapters()


def page(site, docname):
    path = site / f"{docname}.html"
    assert path.exists(), f"no page for {docname}"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_build_succeeds_with_warnings_as_errors(student_build):
    assert student_build.returncode == 0, student_build.output[-6000:]
    assert not re.search(r"WARNING: (?!.*Kernel is running over TCP)", student_build.output), (
        student_build.output[-6000:]
    )


@pytest.mark.parametrize("docname", chapters())
def test_every_page_of_the_table_of_contents_is_built(student_site, docname):
    soup = page(student_site, docname)
    assert soup.find("h1"), docname


@pytest.mark.parametrize("docname", PAPER_CHAPTERS)
def test_chapter_figures_have_alt_text_and_a_caption_naming_the_paper_section(student_site, docname):
    soup = page(student_site, docname)
    figures = soup.select("figure")
    # The tables of the paper's evidence; the widgets' static forms (tested in test_static_forms.py)
    # are exercises, not figures of a section.
    tables = [
        c for c in soup.select("table caption") if not c.find_parent(class_=["mxsec-static", "mxsec-answers"])
    ]
    assert figures or tables, f"{docname}: no figure or table"
    for fig in figures:
        for img in fig.select("img"):
            assert (img.get("alt") or "").strip(), f"{docname}: a figure image has no alt text"
        caption = fig.select_one("figcaption")
        assert caption and any(w in caption.get_text() for w in SECTION_WORDS), (
            f"{docname}: caption names no section"
        )
    for cap in tables:
        assert any(w in cap.get_text() for w in SECTION_WORDS), f"{docname}: table caption names no section"


@pytest.mark.parametrize("docname", PAPER_CHAPTERS)
def test_chapter_embeds_its_self_check_widget(student_site, docname):
    soup = page(student_site, docname)
    views = soup.select('script[type="application/vnd.jupyter.widget-view+json"]')
    state = soup.select_one('script[type="application/vnd.jupyter.widget-state+json"]')
    assert views and state, f"{docname}: no embedded widget"
    assert "mxsec.widgets.self_check.SelfCheck" in state.string


@pytest.mark.parametrize("docname", chapters())
def test_page_loads_nothing_from_outside_the_site(student_site, docname):
    soup = page(student_site, docname)
    external = [
        tag.get("src") or tag.get("href")
        for tag in soup.select("script[src], link[href], img[src], iframe[src]")
        if re.match(r"^(https?:)?//", tag.get("src") or tag.get("href") or "")
        and not (tag.name == "link" and set(tag.get("rel", [])) <= {"canonical", "author", "license"})
    ]
    assert not external, f"{docname} loads {external}"


def test_no_solution_element_in_any_page(student_site):
    for path in student_site.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert not soup.select(".solution"), f"{path.name} shows a solution"


def test_no_solution_text_anywhere_in_the_student_site(student_site):
    texts = {**answer_key_texts(), **nbgrader_texts()}
    assert answer_key_texts(), "no answer keys found in instructor/solutions/"
    found = leaks(texts, student_site)
    assert not found, f"solution text in the student edition: {found}"


def test_the_leak_check_would_see_a_leak(student_site, tmp_path):
    # A copy of one page with an answer key pasted in must be caught.
    label, text = next(iter(answer_key_texts().items()))
    (tmp_path / "page.html").write_text(f"<html><body><p>{text}</p></body></html>", encoding="utf-8")
    assert runs(text), label
    assert leaks({label: text}, tmp_path)


def test_no_key_to_an_exercise_notebook_anywhere_in_the_student_site(student_site, tmp_path):
    keys = notebook_key_texts()
    assert len(keys) == 9 and all(runs(text) for text in keys.values())
    assert not (student_site / "instructor" / "notebook-keys.html").exists()
    found = leaks(keys, student_site)
    assert not found, f"a notebook key in the student edition: {found}"
    # The check sees a key pasted into a page; the mark scheme (an essay's outline) counts as solution text.
    label, text = next(iter(keys.items()))
    (tmp_path / "page.html").write_text(f"<html><body><p>{text}</p></body></html>", encoding="utf-8")
    assert leaks({label: text}, tmp_path)
    assert any(label.endswith("markscheme0") for label in nbgrader_texts()), (
        "no mark scheme found in exercises/"
    )
