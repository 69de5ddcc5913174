"""The chapter registry (mxsec.chapters): book order from _toc.yml, titles from the notebooks, the
course files found through the package, and clear errors for a broken table of contents."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

import mxsec.build
from mxsec import chapters as registry
from mxsec.chapters import ChapterError, chapter, chapters, slugs, title
from mxsec.data import load

ROOT = Path(__file__).resolve().parents[2]


def _first_heading(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    first = next(c for c in cells if c["cell_type"] == "markdown")
    return "".join(first["source"]).splitlines()[0].removeprefix("# ")


def test_chapters_follow_the_numbered_parts_of_the_toc():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    numbered = [e["file"] for p in toc["parts"] if p.get("numbered") for e in p["chapters"]]
    found = chapters()
    assert [c.docname for c in found] == numbered and len(found) == 9
    assert [c.number for c in found] == list(range(1, 10))
    assert slugs()[0] == "introduction" and slugs()[-1] == "assessment"
    assert chapter("assurance").part == "Security governance policies"


def test_titles_are_the_notebooks_first_headings():
    for c in chapters():
        assert c.title == _first_heading(ROOT / f"{c.docname}.ipynb"), c.slug
    assert title("threat-perceptions") == "Regional Perceptions of Threats and Security Policies"
    assert chapter("assurance").label == "5. Assurance"


def test_every_chapter_the_data_names_is_in_the_registry():
    course = load(ROOT / "data")
    named = {q["chapter"] for q in course.questions + course.summative} | {
        o["chapter"] for o in course.outcomes
    }
    assert named <= set(slugs())


def test_an_unknown_chapter_lists_those_there_are():
    with pytest.raises(KeyError, match=r"no chapter 'nowhere'.*introduction"):
        chapter("nowhere")


def test_the_course_files_come_from_where_the_package_finds_them(tmp_path, monkeypatch):
    """An installed wheel carries _toc.yml and book/ inside the package (mxsec.build.course_files)."""
    shutil.copy(ROOT / "_toc.yml", tmp_path / "_toc.yml")
    (tmp_path / "book").mkdir()
    for c in chapters():
        nb = json.loads((ROOT / f"{c.docname}.ipynb").read_text(encoding="utf-8"))
        nb["cells"] = [
            {"cell_type": "markdown", "metadata": {}, "source": [f"# Packaged {c.slug}\n", "\n", "Text."]}
        ]
        (tmp_path / f"{c.docname}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    monkeypatch.setattr(mxsec.build, "course_files", lambda: tmp_path)
    assert title("assurance") == "Packaged assurance"
    assert title("assurance", ROOT) == "Assurance"


def _toc_copy(tmp_path: Path, change=None) -> Path:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    if change:
        change(toc)
    (tmp_path / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    shutil.copytree(
        ROOT / "book", tmp_path / "book", ignore=shutil.ignore_patterns("_build", ".ipynb_checkpoints")
    )
    return tmp_path


def test_a_missing_notebook_names_the_toc_and_the_chapter(tmp_path):
    root = _toc_copy(tmp_path)
    (root / "book" / "prevention.ipynb").unlink()
    with pytest.raises(
        ChapterError, match=r"_toc\.yml: chapter 'book/prevention' has no file prevention\.ipynb"
    ):
        chapters(root)


def test_a_notebook_without_a_heading_names_the_notebook(tmp_path):
    root = _toc_copy(tmp_path)
    path = root / "book" / "compellence.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"] = [c for c in nb["cells"] if c["cell_type"] == "code"] + [
        {
            "cell_type": "markdown",
            "metadata": {},
            "source": ["```\n", "# not a heading, in a fence\n", "```\n"],
        }
    ]
    path.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(ChapterError, match=r"compellence\.ipynb: field 'title': no level-1 heading"):
        chapters(root)


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda toc: toc.pop("parts"), "'parts'"),
        (lambda toc: toc["parts"][0]["chapters"][1].pop("file"), r"'parts\[0\]\.chapters\[1\]\.file'"),
        (
            lambda toc: toc["parts"][1]["chapters"].append({"file": "book/introduction"}),
            "'introduction' listed twice",
        ),
    ],
)
def test_a_broken_toc_names_the_field(change, field, tmp_path):
    with pytest.raises(ChapterError, match=rf"_toc\.yml: .*{field}"):
        chapters(_toc_copy(tmp_path, change))


def test_the_export_names_quizzes_after_the_titles(tmp_path):
    from mxsec.export import build

    found = build(load(ROOT / "data"))
    assert [(c.id, c.title, c.number) for c in found] == [
        (c.slug, c.title, c.number) for c in chapters() if c.slug in {f.id for f in found}
    ]
    assert registry.TOC == "_toc.yml"


# --------------------------------------------------------------------------- every page, and the course's title
def _walk(entries) -> list[str]:
    return [n for e in entries for n in ([e["file"]] if "file" in e else []) + _walk(e.get("sections", []))]


def test_docnames_are_every_page_of_the_toc_front_and_back_matter_included():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    every = [toc["root"]] + [n for p in toc["parts"] for n in _walk(p["chapters"])]
    assert registry.docnames() == every and every[0] == "book/welcome" and "book/glossary" in every
    # mxsec.build.chapters, which the tests' lists use, is the registry's reading, not a second one
    assert mxsec.build.chapters() == every
    assert mxsec.build.chapters(paper_only=True) == [c.docname for c in chapters()]
    assert not hasattr(mxsec.build, "chapter_title")


def test_the_course_title_is_the_configs_title():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert registry.course_title() == config["title"] == registry.course_title(ROOT)


def _course_copy(tmp_path: Path, title: str | None) -> Path:
    (tmp_path / "course").mkdir()
    root = _toc_copy(tmp_path / "course")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    if title is None:
        del config["title"]
    else:
        config["title"] = title
    (root / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root


def _exported_text(outdir: Path) -> str:
    texts = []
    for path in sorted(outdir.rglob("*")):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                texts += [zf.read(name).decode("utf-8") for name in zf.namelist()]
        elif path.is_file():
            texts.append(path.read_text(encoding="utf-8"))
    return "\n".join(texts)


@pytest.mark.parametrize("fmt", ["qti", "moodle", "gift"])
def test_the_exporters_take_the_course_title_from_the_course_files(fmt, tmp_path, monkeypatch):
    from mxsec.export import export

    old = registry.course_title()
    root = _course_copy(tmp_path, "A Renamed Course")
    monkeypatch.setattr(mxsec.build, "course_files", lambda: root)
    assert registry.course_title() == "A Renamed Course"
    export(fmt, tmp_path / "out", chapters=["assurance"], course=load(ROOT / "data"))
    text = _exported_text(tmp_path / "out")
    assert "A Renamed Course" in text and old not in text


def test_a_missing_course_title_names_the_file_and_the_field(tmp_path):
    root = _course_copy(tmp_path, None)
    with pytest.raises(registry.CourseFileError, match=r"_config\.yml: field 'title': missing"):
        registry.course_title(root)
