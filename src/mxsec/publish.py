"""The book's other editions, from its built HTML (see README, "The book on paper and offline").

    python -m mxsec.publish pdf BUILD        BUILD/singlehtml and BUILD/html -> BUILD/pdf/
    python -m mxsec.publish epubcheck EPUB   check an EPUB with Debian's epubcheck
    python -m mxsec.publish offline BUILD    BUILD/html -> BUILD/offline/<name>-offline.zip

The PDF is Chromium's print of the single-page build, with the book's print stylesheet (the same one
a reader's browser uses to print a chapter, mxsec-print.css): a cover, a table of contents with page
numbers, one chapter per page run, the widgets' static forms with their answers at each chapter's
end, bookmarks, page numbers, working links, embedded fonts, and tags for assistive technology.
Chromium numbers the pages but cannot put page numbers into a table of contents, so the book is
printed twice: the first print says where each chapter starts, the second carries those numbers.
Each chapter is also printed on its own, from its web page, for instructors to hand out.
"""

from __future__ import annotations

import argparse
import html
import io
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from .build import ROOT, chapters
from .chapters import course_title

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EPUBCHECK = Path("/usr/share/java/epubcheck.jar")  # Debian's epubcheck
PRINT_NAME = "print.html"  # the single page, prepared for print, in the single-page build
HEADINGS = "h1, h2, h3, h4, h5, h6, [role=heading]"
# The text of the headings Chromium prints, in order, as the reader sees them (no "#" link).
HEADING_TEXTS = f"""() => [...document.querySelectorAll("{HEADINGS}")]
  .filter((h) => h.checkVisibility())
  .map((h) => {{ const c = h.cloneNode(true); c.querySelectorAll(".headerlink").forEach((a) => a.remove());
                 return c.textContent.replace(/\\s+/g, " ").trim(); }})"""


@dataclass
class Book:
    title: str
    author: str
    name: str  # the repository's name, for file names


def book_info(root: Path = ROOT) -> Book:
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    name = config["repository"]["url"].rstrip("/").rsplit("/", 1)[-1]
    return Book(course_title(root), config.get("author", ""), name)


def _parts(root: Path = ROOT) -> dict[str, str]:
    """Docname -> the caption of the part of the table of contents it is in."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return {ch["file"]: part.get("caption", "") for part in toc.get("parts", []) for ch in part["chapters"]}


# ------------------------------------------------------------------ the single page, made a book


def prepare_single_page(single: Path, book: Book, root: Path = ROOT) -> Path:
    """Turn the single-page build into the book to print: each chapter at the top level of the page
    (its headings one level up), a cover and a table of contents before them, and links to the
    page itself made links within it. Writes PRINT_NAME next to the page and returns its path."""
    from bs4 import BeautifulSoup

    root_doc = chapters(root)[0]
    page = single / f"{root_doc}.html"
    if not page.is_file():
        raise FileNotFoundError(f"{page}: no single-page build (run jupyter-book build --builder singlehtml)")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article")
    if article is None:
        raise ValueError(f"{page}: no article element")
    own = {f"{Path(root_doc).name}.html", f"{root_doc}.html", ""}
    for a in soup.select("a[href]"):
        path, sep, fragment = a["href"].partition("#")
        if sep and path in own:
            a["href"] = f"#{fragment}"
    welcome = article.find("section", recursive=False)
    chapters_found = [(welcome, root_doc)]
    for wrapper in article.select("div.toctree-wrapper"):
        for marker in wrapper.find_all("span", id=re.compile(r"^document-"), recursive=False):
            section = marker.find_next_sibling("section")
            docname = marker["id"][len("document-") :]
            _raise_headings(section)
            chapters_found.append((section, docname))
        wrapper_sections = [s for s, _ in chapters_found[1:] if s.parent is wrapper]
        for section in wrapper_sections:
            section.extract()
    for wrapper in article.select("div.toctree-wrapper"):
        wrapper.decompose()
    for section, docname in chapters_found[1:]:
        marker = soup.new_tag("span", id=f"document-{docname}")
        article.append(marker)
        article.append(section)
    _unique_ids(chapters_found)
    for section, _ in chapters_found:
        section["class"] = section.get("class", []) + ["mxsec-chapter"]
    article.insert(0, BeautifulSoup(_front_matter(book, chapters_found, _parts(root)), "html.parser"))
    style = soup.new_tag("style")
    style.string = BOOK_CSS
    soup.head.append(style)
    out = single / PRINT_NAME  # at the top of the build, where the page's relative links point from
    out.write_text(str(soup), encoding="utf-8")
    return out


def _unique_ids(found) -> None:
    """Chapters of one page can share section ids ("exercises"); a later chapter's copy becomes
    <chapter>--<id>, and the chapter's own links to it follow."""
    seen: set[str] = set()
    for section, docname in found:
        renamed = {}
        for el in [section, *section.find_all(id=True)]:
            if el.get("id") in seen:
                renamed[el["id"]] = f"{re.sub(r'[^a-z0-9]+', '-', docname.lower())}--{el['id']}"
                el["id"] = renamed[el["id"]]
        for a in section.select('a[href^="#"]'):
            if a["href"][1:] in renamed:
                a["href"] = f"#{renamed[a['href'][1:]]}"
        for el in section.select("[aria-labelledby]"):
            el["aria-labelledby"] = " ".join(renamed.get(i, i) for i in el["aria-labelledby"].split())
        seen |= {el["id"] for el in [section, *section.find_all(id=True)]}


def _raise_headings(section) -> None:
    for h in section.find_all(re.compile(r"^h[2-6]$")):
        h.name = f"h{int(h.name[1]) - 1}"


def _heading_text(h) -> str:
    return re.sub(
        r"\s+", " ", "".join(t for t in h.find_all(string=True) if not t.find_parent(class_="headerlink"))
    ).strip()


def _front_matter(book: Book, found, parts: dict[str, str]) -> str:
    e = html.escape
    rows, part = [], None
    for section, docname in found:
        title = section.find("h1")
        if title is None:
            raise ValueError(f"{docname}: no chapter title in the single-page build")
        if parts.get(docname, "") != part and parts.get(docname):
            part = parts[docname]
            rows.append(f'<li class="mxsec-toc-part">{e(part)}</li>')
        rows.append(_toc_row(section["id"], _heading_text(title), "mxsec-toc-chapter"))
        for sub in section.find_all("section", recursive=False):
            h = sub.find("h2", recursive=False)
            if h is not None and sub.get("id"):
                rows.append(_toc_row(sub["id"], _heading_text(h), "mxsec-toc-section"))
    return (
        f'<section class="mxsec-cover"><p class="mxsec-cover-title">{e(book.title)}</p>'
        f'<p class="mxsec-cover-author">{e(book.author)}</p>'
        '<p class="mxsec-cover-note">The student edition, in print. The interactive exercises of the web '
        "edition appear here in print form, with their answers at the end of each chapter.</p></section>"
        '<nav class="mxsec-toc" aria-labelledby="mxsec-toc-title"><h1 id="mxsec-toc-title">Contents</h1>'
        f"<ul>{''.join(rows)}</ul></nav>"
    )


def _toc_row(target: str, text: str, kind: str) -> str:
    e = html.escape
    return (
        f'<li class="{kind}"><a href="#{e(target)}"><span class="mxsec-toc-text">{e(text)}</span>'
        f'<span class="mxsec-toc-page" data-target="{e(target)}">000</span></a></li>'
    )


BOOK_CSS = """
@media print {
  .mxsec-cover { break-after: page; padding-top: 30%; text-align: center; }
  .mxsec-cover-title { font-size: 2.2em; font-weight: 700; margin-bottom: 1em; }
  .mxsec-cover-author { font-size: 1.3em; }
  .mxsec-cover-note { margin-top: 3em; font-size: 0.95em; }
  .mxsec-toc { break-after: page; }
  .mxsec-toc ul { list-style: none; padding: 0; }
  .mxsec-toc li { margin: 0; }
  .mxsec-toc a { display: flex; text-decoration: none; color: #000; }
  .mxsec-toc-text { flex: 1; }
  .mxsec-toc-page { font-variant-numeric: tabular-nums; min-width: 2.5em; text-align: right; }
  .mxsec-toc-part { font-weight: 700; margin-top: 0.8em !important; }
  .mxsec-toc-chapter { font-weight: 600; margin-top: 0.3em !important; }
  .mxsec-toc-section { padding-left: 1.5em; font-size: 0.92em; }
  section.mxsec-chapter { break-before: page; }
}
"""


# ------------------------------------------------------------------ printing


def _browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def _open(browser, url: str):
    """A page with scripts off (the static forms, never the live widgets) and no network."""
    context = browser.new_context(java_script_enabled=False)
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort()
    )
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.emulate_media(media="print")
    # Chromium's bookmarks follow the page's headings, even those print hides (the theme's
    # navigation, its print-only title that needs a script): those go.
    page.evaluate(f"""() => document.querySelectorAll("{HEADINGS}").forEach((h) => {{
        if (!h.checkVisibility()) h.remove(); }})""")
    return page


def _print(page, path: Path) -> None:
    page.pdf(path=str(path), prefer_css_page_size=True, print_background=True, tagged=True, outline=True)


def _finish(pdf: Path, titles: list[str], book: Book, title: str) -> None:
    """Chromium's bookmarks with the headings' own text (its titles can repeat a heading's lines),
    the document's metadata, and the bookmarks shown when the PDF opens."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(pdf))
    items = []
    outlines = writer._root_object.get("/Outlines")

    def walk(item):
        while item is not None:
            item = item.get_object()
            items.append(item)
            if "/First" in item:
                walk(item["/First"])
            item = item.get("/Next")

    if outlines is not None and "/First" in outlines.get_object():
        walk(outlines.get_object()["/First"])
    if len(items) != len(titles):
        raise RuntimeError(f"{pdf}: Chromium made {len(items)} bookmarks for {len(titles)} headings")
    for item, text in zip(items, titles):
        item[NameObject("/Title")] = TextStringObject(text)
    writer.add_metadata({"/Title": title, "/Author": book.author, "/Subject": book.title})
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf.write_bytes(buffer.getvalue())


def _page_numbers(pdf: Path) -> dict[str, int]:
    """Where each named destination of the PDF is: element id -> page number (from 1)."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    return {
        name.lstrip("/"): reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }


def print_book(build: Path, out: Path, book: Book, root: Path = ROOT) -> Path:
    from playwright.sync_api import sync_playwright

    source = prepare_single_page(build / "singlehtml", book, root)
    target = out / f"{book.name}.pdf"
    with sync_playwright() as p:
        browser = _browser(p)
        page = _open(browser, source.as_uri())
        numbers: dict[str, int] = {}
        for _ in range(3):  # the numbers fill the same space as the placeholders, so one pass settles them
            _print(page, target)
            found = _page_numbers(target)
            wanted = page.evaluate(
                "() => [...document.querySelectorAll('.mxsec-toc-page')].map((s) => s.dataset.target)"
            )
            missing = [t for t in wanted if t not in found]
            if missing:
                raise RuntimeError(
                    f"{target}: no destination for {', '.join(missing[:5])} in the table of contents"
                )
            new = {t: found[t] for t in wanted}
            if new == numbers:
                break
            numbers = new
            page.evaluate(
                "(numbers) => document.querySelectorAll('.mxsec-toc-page').forEach("
                "(s) => { s.textContent = String(numbers[s.dataset.target]); })",
                numbers,
            )
        else:
            raise RuntimeError(f"{target}: the table of contents' page numbers did not settle")
        titles = page.evaluate(HEADING_TEXTS)
        browser.close()
    _finish(target, titles, book, book.title)
    return target


def print_chapters(site: Path, out: Path, book: Book, root: Path = ROOT) -> list[Path]:
    """Each numbered chapter's web page printed as a handout: NN-<chapter>.pdf."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = _browser(p)
        for n, docname in enumerate(chapters(root, paper_only=True), start=1):
            source = site / f"{docname}.html"
            if not source.is_file():
                raise FileNotFoundError(f"{source}: no page for {docname} (run make book first)")
            page = _open(browser, source.as_uri())
            target = out / f"{n:02d}-{Path(docname).name}.pdf"
            _print(page, target)
            titles = page.evaluate(HEADING_TEXTS)
            page.context.close()
            _finish(target, titles, book, f"{titles[0]} — {book.title}")
            written.append(target)
        browser.close()
    return written


def pdf(build: Path, root: Path = ROOT) -> list[Path]:
    """The book's PDF and each chapter's, from BUILD/singlehtml and BUILD/html, into BUILD/pdf.

    Playwright's synchronous API refuses to start in a thread where an asyncio loop runs (a Jupyter
    kernel's, or another synchronous Playwright session's), so the printing runs in a thread of its own."""
    book = book_info(root)
    out = build / "pdf"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    return _in_own_thread(
        lambda: [
            print_book(build, out, book, root),
            *print_chapters(build / "html", out / "chapters", book, root),
        ]
    )


def _in_own_thread(work):
    """work() in a new thread, its result returned and its exception raised here."""
    import threading

    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as err:
            outcome["error"] = err

    thread = threading.Thread(target=run, name="mxsec-publish")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


# ------------------------------------------------------------------ EPUB and the offline copy


def epubcheck(epub: Path) -> subprocess.CompletedProcess:
    """Debian's epubcheck on the EPUB (called through java: the package's launcher relies on binfmt)."""
    if not EPUBCHECK.is_file():
        raise FileNotFoundError(f"{EPUBCHECK}: install Debian's epubcheck (make epub does)")
    return subprocess.run(["java", "-jar", str(EPUBCHECK), str(epub)], capture_output=True, text=True)


def offline(build: Path, root: Path = ROOT) -> Path:
    """The built site as one zip that opens from disk: <name>/index.html and everything it uses.

    Entries are sorted and dated 1980-01-01, so the same site gives the same zip. Left out: Sphinx's
    build record (.buildinfo) and the execution reports of a failed build."""
    site = build / "html"
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"{site}/index.html: build the book first (make book)")
    name = book_info(root).name
    target = build / "offline" / f"{name}-offline.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in site.rglob("*") if p.is_file() and not _left_out(p.relative_to(site)))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for path in files:
            info = zipfile.ZipInfo(
                f"{name}/{path.relative_to(site).as_posix()}", date_time=(1980, 1, 1, 0, 0, 0)
            )
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())
    return target


def _left_out(relative: Path) -> bool:
    return relative.name == ".buildinfo" or relative.parts[0] == "reports"


def main(argv: list[str] | None = None, prog: str = "python -m mxsec.publish") -> None:
    parser = argparse.ArgumentParser(
        prog=prog,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("pdf", "print the book and each chapter to PDF"), ("offline", "zip the built site")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("build", type=Path, help="the build folder, e.g. _build")
    check = commands.add_parser("epubcheck", help="validate an EPUB")
    check.add_argument("epub", type=Path)
    args = parser.parse_args(argv)
    if args.command == "pdf":
        for path in pdf(args.build.resolve()):
            print(path)
    elif args.command == "offline":
        print(offline(args.build.resolve()))
    else:
        result = epubcheck(args.epub)
        print(result.stdout + result.stderr, end="")
        sys.exit(result.returncode)


if __name__ == "__main__":
    main()
