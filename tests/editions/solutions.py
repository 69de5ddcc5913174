"""Where solution text lives, and how to look for it in a built site."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
RUN = 8  # words in a row that count as a trace of a solution


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def runs(text: str, n: int = RUN) -> set[str]:
    w = words(text)
    return {" ".join(w[i : i + n]) for i in range(len(w) - n + 1)}


def answer_key_texts() -> dict[str, str]:
    """Each in-text exercise's answer key, from instructor/solutions/<chapter>.md."""
    found = {}
    for path in sorted((ROOT / "instructor" / "solutions").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for label, body in re.findall(r"<!-- (ex-[\w-]+) -->(.*?)<!-- /\1 -->", text, re.S):
            found[label] = body
    return found


def nbgrader_texts() -> dict[str, str]:
    """Solution regions, hidden tests and mark schemes of the nbgrader source notebooks in exercises/."""
    found = {}
    for path in sorted((ROOT / "exercises").rglob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            src = "".join(cell["source"])
            for kind, pattern in (
                ("solution", r"### BEGIN SOLUTION(.*?)### END SOLUTION"),
                ("hidden", r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS"),
                ("markscheme", r"=== BEGIN MARK SCHEME ===(.*?)=== END MARK SCHEME ==="),
            ):
                for j, body in enumerate(re.findall(pattern, src, re.S)):
                    found[f"{path.stem}:cell{i}:{kind}{j}"] = body
    return found


def notebook_key_texts() -> dict[str, str]:
    """The instructor edition's key to each exercise notebook, as instructor/notebook-keys renders it."""
    from mxsec import exercises
    from mxsec.assignments import assignment_names

    return {f"notebook-key:{chapter}": exercises.key_markdown(chapter) for chapter in assignment_names()}


# A MyST role as the reader sees it: {term}`text <target>` and {term}`text` show "text".
_ROLE = re.compile(r"\{[\w:.-]+\}`([^`<]*?)\s*(?:<[^>`]*>)?`")
# Elements whose text stands on its own: a run of words that spans two of them is a coincidence of
# layout (a label beside a feedback), not a copied sentence.
_BLOCKS = (
    "p",
    "li",
    "dt",
    "dd",
    "td",
    "th",
    "caption",
    "figcaption",
    "summary",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "label",
    "button",
    "legend",
    "option",
    "pre",
    "blockquote",
    "title",
)
_BREAK = " qqmxsecbreakqq "


def public_runs() -> set[str]:
    """Runs of words that the student may see anyway: the chapters' own sources and the data (all but
    the summative bank)."""
    seen: set[str] = set()
    for path in list((ROOT / "book").rglob("*.ipynb")) + list((ROOT / "book").rglob("*.md")):
        raw = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            raw = "\n".join("".join(c["source"]) for c in json.loads(raw)["cells"])
        seen |= runs(_ROLE.sub(r"\1", raw))
    for path in (ROOT / "data").rglob("*.yaml"):
        if path.relative_to(ROOT / "data").parts[0] != "summative":  # the summative bank is not public
            seen |= runs(path.read_text(encoding="utf-8"))
    return seen


def site_runs(site: Path) -> set[str]:
    """Every run of words in every file of a built site: pages, sources, downloads, search index."""
    seen: set[str] = set()
    for path in site.rglob("*"):
        if not path.is_file() or path.suffix in {
            ".png",
            ".jpg",
            ".svg",
            ".woff",
            ".woff2",
            ".ttf",
            ".ico",
            ".gif",
        }:
            continue
        raw = path.read_bytes().decode("utf-8", errors="ignore")
        if path.suffix == ".html":
            soup = BeautifulSoup(raw, "html.parser")
            for block in soup.find_all(_BLOCKS):
                block.append(_BREAK)
            raw = soup.get_text(" ")
        seen |= {r for r in runs(raw.replace("\\n", " ")) if _BREAK.strip() not in r}
    return seen


def leaks(texts: dict[str, str], site: Path) -> dict[str, list[str]]:
    """For each solution, the runs of its words that appear in the site but not in public sources."""
    in_site, public = site_runs(site), public_runs()
    out = {}
    for label, text in texts.items():
        found = sorted((runs(text) - public) & in_site)
        if found:
            out[label] = found[:3]
    return out
