"""The book on paper and offline: the PDF (whole book and per chapter), the EPUB and the offline zip,
each built once for the module next to the session's student build (no notebook runs again)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from editions_helpers import build_edition, normalize, path_output, warnings
from pypdf import PdfReader
from widget_texts import site_widgets

from common import ROOT, paper_chapters
from mxsec import publish
from mxsec.chapters import docnames
from mxsec.chapters import title as chapter_title

PAPER_CHAPTERS = paper_chapters()


# ------------------------------------------------------------------ PDF


@pytest.fixture(scope="module")
def pdfs(student_site) -> dict[str, Path]:
    built = build_edition(student_site, "singlehtml")
    assert built.returncode == 0 and not warnings(built.stdout + built.stderr), (built.stdout + built.stderr)[
        -6000:
    ]
    written = publish.pdf(path_output(student_site) / "_build")
    return {p.stem: p for p in written}


@pytest.fixture(scope="module")
def book_pdf(pdfs) -> Path:
    return pdfs[publish.book_info().name]


def pages_text(pdf: Path) -> list[str]:
    """Each page's text (poppler's pdftotext, in the order it was drawn, so that a table's cells do
    not interleave), without the page number printed at its foot."""
    reader_pages = len(PdfReader(pdf).pages)
    out = []
    for n in range(1, reader_pages + 1):
        text = subprocess.run(
            ["pdftotext", "-raw", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        lines = [line for line in text.splitlines() if line.strip()]
        if lines and lines[-1].strip() == str(n):
            lines = lines[:-1]
        out.append("\n".join(lines))
    return out


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page number from 1) of every bookmark."""
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


def squeeze(text: str) -> str:
    """Text compared across line breaks, the spaces a PDF's layout adds or drops and the hyphens
    pdftotext drops where a word broke at one (inward-looking at a line's end reads inwardlooking)."""
    return re.sub(r"[\s\-\u00ad]+", "", text)


def test_the_pdf_holds_every_chapter_title_figure_caption_and_widget_form(book_pdf, student_site):
    text = squeeze(" ".join(pages_text(book_pdf)))
    for docname in docnames()[1:]:
        soup = BeautifulSoup((student_site / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
        title = soup.find("h1").get_text().rstrip("#")
        assert squeeze(title) in text, f"no chapter title {title!r}"
        captions = soup.select("figure figcaption .caption-text, table caption .caption-text")
        assert captions or docname not in PAPER_CHAPTERS, f"{docname}: no caption found in the page"
        for caption in captions:
            assert squeeze(caption.get_text()) in text, f"{docname}: no caption {caption.get_text()[:60]!r}"
    for docname, found in site_widgets(student_site, PAPER_CHAPTERS).items():
        for widget in found:
            lost = [t for t in widget.texts() if squeeze(t) not in text]
            assert not lost, f"{docname}: {widget.kind}'s static form is not in the PDF: {lost[:2]}"
    assert (
        "Glossary" in text and squeeze("Domínguez, Roberto") in text
    )  # the glossary, and the bibliography's entries


def test_the_pdf_outline_lists_every_chapter_and_the_contents_give_their_pages(book_pdf):
    reader = PdfReader(book_pdf)
    marks = outline(reader)
    top = {title: page for depth, title, page in marks if depth == 0}
    for docname in docnames()[1:]:
        title = chapter_title(Path(docname).name) if docname in PAPER_CHAPTERS else None
        if title:
            assert any(t.endswith(title) and t.split(".")[0].isdigit() for t in top), (
                f"no bookmark for {title}"
            )
    assert {"Contents", "Glossary", "References"} <= set(top)
    texts = pages_text(book_pdf)
    for title, page in top.items():
        if title != "Contents":
            assert normalize(title) in normalize(texts[page - 1]), (
                f"bookmark {title!r} does not point at its page"
            )
    contents = normalize(texts[1])
    intro = next(t for t in top if t.endswith(chapter_title("introduction")))
    assert f"{intro} {top[intro]}" in contents, "the table of contents gives the Introduction's page"


def test_the_pdf_is_tagged_numbered_with_embedded_fonts_and_working_links(book_pdf):
    reader = PdfReader(book_pdf)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root and root.get("/Lang")
    assert reader.metadata.title == publish.book_info().title
    texts = pages_text(book_pdf)
    raw = subprocess.run(
        ["pdftotext", "-f", "12", "-l", "12", str(book_pdf), "-"], capture_output=True, text=True
    ).stdout
    assert raw.split()[-1] == "12" and len(texts) > 100, "page numbers at the foot of the pages"
    names = set(reader.named_destinations)
    internal = external = 0
    fonts = {}
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            if "/Dest" in annot:
                assert str(annot["/Dest"]) in names, f"a link to a missing destination {annot['/Dest']}"
                internal += 1
            elif annot.get("/A", {}).get("/S") == "/URI":
                assert str(annot["/A"]["/URI"]).startswith(("http://", "https://", "mailto:"))
                external += 1
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
            fonts[font["/BaseFont"]] = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert internal > 200 and external > 20, (internal, external)
    assert fonts and all(fonts.values()), f"fonts not embedded: {[f for f, e in fonts.items() if not e]}"


def test_each_chapter_has_its_own_pdf_with_its_widgets_and_answers(pdfs, student_site):
    found = site_widgets(student_site, PAPER_CHAPTERS)
    for n, docname in enumerate(PAPER_CHAPTERS, start=1):
        name = f"{n:02d}-{Path(docname).name}"
        assert name in pdfs, f"no handout for {docname}"
        texts = pages_text(pdfs[name])
        assert chapter_title(Path(docname).name) in normalize(texts[0])
        text = squeeze(" ".join(texts))
        for widget in found[docname]:
            assert not [t for t in widget.texts() if squeeze(t) not in text], (
                f"{name}: a widget's form is missing"
            )
        assert squeeze("Answers to this chapter's exercises") in text
        assert outline(PdfReader(pdfs[name]))[0][1].endswith(chapter_title(Path(docname).name))


# ------------------------------------------------------------------ EPUB


@pytest.fixture(scope="module")
def epub(student_site) -> Path:
    built = build_edition(student_site, "custom", "--custom-builder", "epub")
    assert built.returncode == 0 and not warnings(built.stdout + built.stderr), (built.stdout + built.stderr)[
        -6000:
    ]
    found = sorted((path_output(student_site) / "_build" / "epub").glob("*.epub"))
    assert len(found) == 1, found
    return found[0]


def test_epubcheck_passes(epub):
    result = publish.epubcheck(epub)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "No errors or warnings detected" in result.stdout + result.stderr


def test_the_epub_has_every_widget_as_its_static_form_and_no_script(epub, student_site):
    found = site_widgets(student_site, PAPER_CHAPTERS)
    with zipfile.ZipFile(epub) as z:
        for docname in PAPER_CHAPTERS:
            page = z.read(f"{docname}.xhtml").decode("utf-8")
            soup = BeautifulSoup(page, "html.parser")
            assert not soup.find("script"), f"{docname}: a script in the EPUB"
            assert len(soup.select("section.mxsec-static")) == len(found[docname])
            text = normalize(soup.get_text(" "))
            for widget in found[docname]:
                assert not [t for t in widget.texts() if normalize(t) not in text], (
                    f"{docname}: a form is missing"
                )


# ------------------------------------------------------------------ the offline copy


@pytest.fixture(scope="module")
def offline_zip(student_site) -> Path:
    return publish.offline(path_output(student_site) / "_build")


def test_the_offline_zip_opened_from_disk_runs_its_widgets(offline_zip, tmp_path, browser):
    name = publish.book_info().name
    with zipfile.ZipFile(offline_zip) as z:
        names = z.namelist()
        assert all(n.startswith(f"{name}/") for n in names) and f"{name}/index.html" in names
        assert not [n for n in names if n.endswith(".buildinfo")]
        z.extractall(tmp_path)
    context = browser.new_context()
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort()
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((tmp_path / name / "index.html").as_uri())
    page.wait_for_url("**/book/welcome.html")
    page.get_by_role("link", name="Regional Perceptions of Threats and Security Policies").first.click()
    page.wait_for_function("document.querySelectorAll('.mxsec-widget-host[data-mxsec-ready]').length >= 3")
    assert page.url.startswith("file:")
    assert page.locator(".mxsec-widget").count() == 3 and page.locator(".mxsec-static:visible").count() == 0
    page.locator(".mxsec-ranking-quiz button", has_text="Check").click()
    assert "Kendall's tau" in page.locator(".mxsec-rq-score").inner_text()
    assert not errors, errors
    context.close()


def test_the_offline_zip_is_the_same_for_the_same_site(offline_zip, student_site):
    first = offline_zip.read_bytes()
    assert publish.offline(path_output(student_site) / "_build").read_bytes() == first


def test_the_make_targets_exist_and_call_the_editions():
    for target, command in (
        ("pdf", "mxsec publish pdf"),
        ("epub", "mxsec publish epubcheck"),
        ("offline", "mxsec publish offline"),
    ):
        dry = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True)
        assert dry.returncode == 0 and command in dry.stdout, dry.stdout + dry.stderr
