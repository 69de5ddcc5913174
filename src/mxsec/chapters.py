"""The course's chapters, in book order, with their titles: the one place the package learns them.

A chapter is a page of a numbered part of `_toc.yml` (the paper's sections, Introduction to
Assessment); its slug is the page's file name ("assurance") and its title the first level-1 heading
of its notebook, as the book shows it ("Regional Perceptions of Threats and Security Policies").
Both files are read from the course files the package finds wherever it is installed (the copy an
installed wheel carries, or the source checkout; see `mxsec.build.course_files`), once per folder.

    >>> from mxsec.chapters import chapters, title
    >>> [c.slug for c in chapters()][:2]
    ['introduction', 'threat-perceptions']
    >>> title("assurance")
    'Assurance'
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

TOC = "_toc.yml"


class ChapterError(ValueError):
    """The table of contents or a chapter's notebook cannot give the chapters: names file and field."""


@dataclass(frozen=True)
class Chapter:
    slug: str  # "assurance": the notebook's name, the data's `chapter` field, the exercise's name
    docname: str  # "book/assurance": the page as Sphinx and _toc.yml name it
    number: int  # 1 for the first chapter; numbered continuously across parts, as the book is
    title: str  # the notebook's first level-1 heading
    part: str  # the caption of the part the chapter is in

    @property
    def label(self) -> str:
        """The number and the title, as the book's contents show them: "5. Assurance"."""
        return f"{self.number}. {self.title}"


def chapters(root: Path | None = None) -> tuple[Chapter, ...]:
    """Every chapter in book order. `root` is the folder holding _toc.yml and book/ (default: the
    course files the package carries or the checkout it runs from)."""
    return _read(_root(root))


def slugs(root: Path | None = None) -> list[str]:
    """The chapters' slugs in book order: ["introduction", "threat-perceptions", ...]."""
    return [c.slug for c in chapters(root)]


def chapter(slug: str, root: Path | None = None) -> Chapter:
    """The chapter with this slug, or KeyError listing the chapters there are."""
    for found in chapters(root):
        if found.slug == slug:
            return found
    raise KeyError(f"no chapter {slug!r} in {TOC} (chapters: {', '.join(slugs(root))})")


def title(slug: str, root: Path | None = None) -> str:
    """A chapter's own title: the first heading of its notebook ("assurance" -> "Assurance")."""
    return chapter(slug, root).title


def _root(root: Path | None) -> Path:
    if root is not None:
        return Path(root).resolve()
    from .build import course_files  # here, so that build may use this module without a cycle

    return course_files().resolve()


@functools.lru_cache(maxsize=8)
def _read(root: Path) -> tuple[Chapter, ...]:
    path = root / TOC
    try:
        toc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ChapterError(f"{path}: cannot be read: {err.strerror or err}") from None
    except yaml.YAMLError as err:
        raise ChapterError(f"{path}: not valid YAML: {err}") from None
    parts = toc.get("parts") if isinstance(toc, dict) else None
    if not isinstance(parts, list):
        raise ChapterError(f"{path}: field 'parts': missing or not a list")
    found: list[Chapter] = []
    for p, part in enumerate(parts):
        if not isinstance(part, dict) or not part.get("numbered"):
            continue
        entries = part.get("chapters")
        if not isinstance(entries, list):
            raise ChapterError(f"{path}: field 'parts[{p}].chapters': missing or not a list")
        for c, entry in enumerate(entries):
            docname = entry.get("file") if isinstance(entry, dict) else None
            if not isinstance(docname, str) or not docname:
                raise ChapterError(f"{path}: field 'parts[{p}].chapters[{c}].file': missing")
            found.append(
                Chapter(
                    slug=Path(docname).name,
                    docname=docname,
                    number=len(found) + 1,
                    title=_heading(root, docname),
                    part=str(part.get("caption", "")),
                )
            )
    if not found:
        raise ChapterError(f"{path}: field 'parts': no numbered part lists a chapter")
    duplicates = sorted({c.slug for c in found if [d.slug for d in found].count(c.slug) > 1})
    if duplicates:
        raise ChapterError(f"{path}: field 'parts': chapter {', '.join(map(repr, duplicates))} listed twice")
    return tuple(found)


def _heading(root: Path, docname: str) -> str:
    """The first level-1 heading of the chapter's notebook (or Markdown page)."""
    candidates = [root / f"{docname}{suffix}" for suffix in (".ipynb", ".md")]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        raise ChapterError(
            f"{root / TOC}: chapter {docname!r} has no file {candidates[0].name} or {candidates[1].name} "
            f"in {candidates[0].parent}"
        )
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            cells = json.loads(text)["cells"]
            text = "\n".join("".join(cell["source"]) for cell in cells if cell.get("cell_type") == "markdown")
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ChapterError(f"{path}: cannot be read as a notebook: {err}") from None
    in_fence = False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence and line.startswith("# ") and line[2:].strip():
            return line[2:].strip()
    raise ChapterError(f"{path}: field 'title': no level-1 heading ('# ...') in any markdown cell")
