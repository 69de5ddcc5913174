"""Text from data/ is text on every page, and pages are reproducible.

A fixture book is built from a copy of data/ in which every free-text field (every field the schemas
type as text) ends with markup meant to break out: `</SCRIPT>`, an `<img onerror>`, an attribute
breakout with `<svg onload>`, an entity and Markdown syntax. Its pages are all four widgets (a
self-check for every chapter), a table and Markdown output of data strings, and three of the course's
own notebooks: the data page, a chapter with tables and the rubrics. In Chromium no dialog opens, no
injected element exists, every widget renders and the text shows exactly as written. Built twice
from clean, the book's HTML is byte for byte the same, and no two widgets or tables share an id.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from .fixture_book import REPO, build, copy_notebook, write_notebook

PAYLOAD = (
    '</SCRIPT></script ><img src=x onerror=alert(1)>"><svg class="mxsec-injected" onload=alert(2)> '
    "&amp; *not emphasis* [not a link](x) $not math$ {not-a-role}`x`"
)
INJECTED = 'img[src="x"], .mxsec-injected, [onerror], [onload]'
COURSE_PAGES = ["book/data-sources", "book/security-governance", "instructor/rubrics"]

WIDGET_CELLS = [
    """from IPython.display import Markdown, display
import pandas as pd
from mxsec import load, md
from mxsec.widgets import PolicySorter, RankingQuiz, SelfCheck, Timeline
course = load()
chapters = [c for c in dict.fromkeys(q["chapter"] for q in course.questions)
            if any(q["type"] in ("single", "multiple", "numeric") for q in course.questions_for(c))]""",
    "RankingQuiz.from_survey()",
    "Timeline.from_data()",
    "PolicySorter.from_data()",
    "for chapter in chapters:\n    display(SelfCheck.for_chapter(chapter, title=f'Check: {chapter}'))",
    # Two widgets with the same content: they must still get different ids.
    "SelfCheck.for_chapter(chapters[0], title='Twin')",
    "SelfCheck.for_chapter(chapters[0], title='Twin')",
    """(pd.DataFrame([{"Fact": f["what"], "Note": f.get("note", "")} for f in course.facts[:5]])
   .style.set_caption(f"Facts, from {course.survey['name']}").hide(axis="index"))""",
    "display(Markdown(f\"**Survey.** {md(course.survey['name'])}\"))",
]


# Free text, as the schemas refer to it: the shared definitions' text (data/schema/defs.schema.json),
# or a schema's own.
TEXT_REFS = ("defs.schema.json#/$defs/text", "#/$defs/text")


def text_fields(schema: dict) -> set[str]:
    """The names of the properties a schema types as free text ($defs/text, or a list of it)."""
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                target = sub.get("items", sub) if sub.get("type") == "array" else sub
                if target.get("$ref") in TEXT_REFS:
                    found.add(name)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return found


def poison(data: Path) -> int:
    """Append PAYLOAD to every free-text value in data/; return how many values were changed."""
    changed = 0
    for path in sorted(data.rglob("*.yaml")):
        schema_name = "questions" if path.parent.name in ("questions", "summative") else path.stem
        names = text_fields(
            json.loads((data / "schema" / f"{schema_name}.schema.json").read_text(encoding="utf-8"))
        )

        def walk(node, names=names):
            nonlocal changed
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in names and isinstance(value, str):
                        node[key] = f"{value} {PAYLOAD}"
                        changed += 1
                    elif key in names and isinstance(value, list) and all(isinstance(v, str) for v in value):
                        node[key] = [f"{v} {PAYLOAD}" for v in value]
                        changed += len(value)
                    else:
                        walk(value, names)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        walk(doc)
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return changed


def make_book(dest: Path, data: Path) -> Path:
    write_notebook(dest / "widgets.ipynb", "Widgets and tables from data", WIDGET_CELLS)
    for page in COURSE_PAGES:
        copy_notebook(f"{page}.ipynb", dest)
    # The course's pages link to chapters and glossary terms this book does not have.
    return build(
        dest, "Payload fixture", "widgets", COURSE_PAGES, strict=False, env={"MXSEC_DATA_DIR": str(data)}
    )


@pytest.fixture(scope="module")
def payload_data(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("payload-data")
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "references.bib", root / "references.bib")
    assert poison(root / "data") > 500
    return root / "data"


@pytest.fixture(scope="module")
def book_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("payload-book")


@pytest.fixture(scope="module")
def site_root(book_dir, payload_data) -> Path:
    return make_book(book_dir, payload_data)


def pages(html: Path) -> dict[str, str]:
    return {str(p.relative_to(html)): p.read_text(encoding="utf-8") for p in sorted(html.rglob("*.html"))}


def strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    values = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    return [text for value in values for text in strings(value)]


def widget_hosts(page: str) -> int:
    return len(re.findall(r'<script type="application/vnd.jupyter.widget-view\+json">', page))


# ------------------------------------------------------------------ in the HTML as written
def test_the_widget_state_cannot_close_its_script_element(site_root):
    for name, text in pages(site_root).items():
        soup = BeautifulSoup(text, "html.parser")
        states = soup.find_all("script", type="application/vnd.jupyter.widget-state+json")
        if not widget_hosts(text):
            continue
        assert len(states) == 1, name
        body = states[0].string or ""
        assert not re.search(r"</script|<!--", body, re.I), f"{name}: the state's text can end its element"
        state = json.loads(body)["state"]
        assert any(PAYLOAD in text for text in strings(state)), (
            f"{name}: the payload is not in the widgets' state"
        )
        # Every widget the page shows has its model in the state.
        views = [
            json.loads(s.string)["model_id"]
            for s in soup.find_all("script", type="application/vnd.jupyter.widget-view+json")
        ]
        assert views and set(views) <= set(state), name


def test_no_markup_from_data_reaches_a_page(site_root):
    for name, text in pages(site_root).items():
        soup = BeautifulSoup(text, "html.parser")
        assert not soup.select(INJECTED), f"{name}: {soup.select(INJECTED)[:3]}"
    for page in ["widgets.html", *(f"{p}.html" for p in COURSE_PAGES)]:
        main = BeautifulSoup((site_root / page).read_text(encoding="utf-8"), "html.parser").find("main")
        assert PAYLOAD in " ".join(main.get_text(" ").split()), (
            f"{page} does not show the data's text as written"
        )


# ------------------------------------------------------------------ in Chromium
@pytest.mark.parametrize("page", ["widgets", *COURSE_PAGES])
def test_in_the_browser_text_stays_text_and_every_widget_renders(web, site_root, page):
    hosts = widget_hosts((site_root / f"{page}.html").read_text(encoding="utf-8"))
    view = web.open(f"{page}.html")
    if hosts:
        web.wait_for_widgets(hosts)
    view.wait_for_timeout(300)  # any onerror or onload would have fired by now
    assert web.dialogs == []
    assert view.locator(INJECTED).count() == 0
    assert view.locator(".mxsec-widget-host[data-mxsec-error]").count() == 0
    assert view.locator(".mxsec-widget-host[data-mxsec-ready]").count() == hosts
    shown = " ".join(view.locator("main").inner_text().split())
    assert PAYLOAD in shown
    for i in range(hosts):  # each widget shows the data's text as written
        assert PAYLOAD in " ".join(view.locator(".mxsec-widget-host").nth(i).inner_text().split()), i
    assert web.errors == [] and web.blocked == []


def typography(text: str) -> str:
    """Text with Sphinx's smartquotes undone: it curls the quotes of all of a book's prose, Markdown
    output included (tables and widgets are raw HTML, which it leaves alone)."""
    return " ".join(text.translate(str.maketrans("“”‘’", "\"\"''")).split())


def test_markdown_output_and_tables_show_the_text_literally(web, site_root):
    view = web.open("widgets.html")
    web.wait_for_widgets(1)
    # The tables a notebook cell wrote (not the widgets' static forms, which have tests of their own).
    written = "main .cell_output table:not(.mxsec-static table):not(.mxsec-answers table)"
    assert view.locator(written).count() >= 1
    assert " ".join(view.locator(f"{written} caption").first.inner_text().split()).endswith(PAYLOAD)
    cells = view.locator(f"{written} td").all_inner_texts()
    assert cells and all(PAYLOAD in " ".join(c.split()) for c in cells if c.strip())
    survey = view.locator("main p:not(.mxsec-static p):not(.mxsec-answers p)").filter(has_text="Survey.")
    assert survey.locator("strong").inner_text() == "Survey."
    assert typography(survey.inner_text()).endswith(PAYLOAD)
    assert survey.locator("em, a, code, .math, span").count() == 0
    # The rubrics' Markdown: each essay's prompt, as written.
    view = web.open("instructor/rubrics.html")
    prompts = view.locator("main p").filter(has_text="Prompt.")
    assert prompts.count() >= 1
    for i in range(prompts.count()):
        assert typography(prompts.nth(i).inner_text()).endswith(PAYLOAD)
        assert prompts.nth(i).locator("em, a, code, .math, span").count() == 0


# ------------------------------------------------------------------ reproducible pages
def test_two_clean_builds_give_byte_identical_pages(site_root, book_dir, payload_data, tmp_path):
    first = tmp_path / "first"
    shutil.copytree(site_root, first)
    html = pages(first)
    widgets = html["widgets.html"]
    ids = [
        json.loads(s.string)["model_id"]
        for s in BeautifulSoup(widgets, "html.parser").find_all(
            "script", type="application/vnd.jupyter.widget-view+json"
        )
    ]
    assert len(ids) == widget_hosts(widgets) >= 6 and len(set(ids)) == len(ids), (
        "two widgets share a model id"
    )
    tables = re.findall(r'<table id="(T_[^"]+)"', "".join(html.values()))
    assert len(tables) >= 5 and len(set(tables)) == len(tables), "two tables share an id"

    shutil.rmtree(book_dir / "_build")  # a clean build, in the same place
    second = make_book(book_dir, payload_data)
    files = sorted(str(p.relative_to(first)) for p in first.rglob("*") if p.is_file())
    assert files == sorted(str(p.relative_to(second)) for p in second.rglob("*") if p.is_file())
    differ = [f for f in files if (first / f).read_bytes() != (second / f).read_bytes()]
    assert differ == [], f"differ between two clean builds: {differ}"
