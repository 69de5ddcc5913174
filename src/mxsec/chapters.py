"""The course's chapters, in book order, with their titles, and the course's own title: the one place
the package learns them.

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
    >>> docnames()[0]  # every page of _toc.yml, front and back matter included
    'book/welcome'
    >>> course_title()  # _config.yml's title
    'Mexico: A Reluctant Regional Security Provider'
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

TOC = "_toc.yml"
CONFIG = "_config.yml"


class CourseFileError(ValueError):
    """A course file (_toc.yml, _config.yml, a chapter's notebook) cannot give what is asked of it:
    the message names the file and the field."""


class ChapterError(CourseFileError):
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


def docnames(root: Path | None = None) -> list[str]:
    """Every page of _toc.yml in book order, as Sphinx names them: the root page, then each part's
    pages and their sections, front and back matter included ("book/welcome", ..., "book/data-sources")."""
    path, toc = _toc(_root(root))
    root_doc = toc.get("root")
    if not isinstance(root_doc, str) or not root_doc:
        raise ChapterError(f"{path}: field 'root': missing")
    names = [root_doc]

    def walk(entries: list, where: str) -> None:
        for n, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise ChapterError(f"{path}: field '{where}[{n}]': not a mapping")
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("sections") or [], f"{where}[{n}].sections")

    for p, part in enumerate(toc["parts"]):
        entries = part.get("chapters") if isinstance(part, dict) else None
        if not isinstance(entries, list):
            raise ChapterError(f"{path}: field 'parts[{p}].chapters': missing or not a list")
        walk(entries, f"parts[{p}].chapters")
    return names


def course_title(root: Path | None = None) -> str:
    """The course's title, as the book shows it: _config.yml's `title` ("Mexico: A Reluctant ...")."""
    return _title(_root(root))


@functools.lru_cache(maxsize=8)
def _title(root: Path) -> str:
    path = root / CONFIG
    config = _yaml(path, CourseFileError)
    found = config.get("title") if isinstance(config, dict) else None
    if not isinstance(found, str) or not found.strip():
        raise CourseFileError(f"{path}: field 'title': missing or empty (the course's title)")
    return found.strip()


def _yaml(path: Path, error: type[CourseFileError]):
    """A course file's YAML, or `error` naming the file."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise error(f"{path}: cannot be read: {err.strerror or err}") from None
    except yaml.YAMLError as err:
        raise error(f"{path}: not valid YAML: {err}") from None


def _root(root: Path | None) -> Path:
    if root is not None:
        return Path(root).resolve()
    from .build import course_files  # here, so that build may use this module without a cycle

    return course_files().resolve()


@functools.lru_cache(maxsize=8)
def _toc(root: Path) -> tuple[Path, dict]:
    """The one reading of _toc.yml: its path and its contents, with a list of parts."""
    path = root / TOC
    toc = _yaml(path, ChapterError)
    parts = toc.get("parts") if isinstance(toc, dict) else None
    if not isinstance(parts, list):
        raise ChapterError(f"{path}: field 'parts': missing or not a list")
    return path, toc


@functools.lru_cache(maxsize=8)
def _read(root: Path) -> tuple[Chapter, ...]:
    path, toc = _toc(root)
    found: list[Chapter] = []
    for p, part in enumerate(toc["parts"]):
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
