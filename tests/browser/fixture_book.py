"""Small fixture books built with the project's own book settings, for the browser tests and the
reproducibility test: notebooks written the same way every time, then `jupyter-book build`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

REPO = Path(__file__).resolve().parents[2]


def write_notebook(path: Path, title: str, cells: list[str]) -> Path:
    """A notebook with a title and code cells, with fixed cell ids (nbformat's are random, and a
    fixture must be the same on every build)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}")] + [nbformat.v4.new_code_cell(c) for c in cells]
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def copy_notebook(name: str, dest: Path) -> Path:
    """A notebook of the course (e.g. "book/data-sources.ipynb") at the same place in the fixture."""
    (dest / name).parent.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(REPO / name, dest / name))


def build(
    dest: Path,
    title: str,
    root: str,
    chapters: list[str] = (),
    *,
    strict: bool = True,
    env: dict[str, str] | None = None,
) -> Path:
    """Build the book in `dest` (its notebooks already written) with the project's configuration;
    return its HTML folder. `strict` treats warnings as errors, as the project's builds do; a book of
    a few chapters taken out of the course cannot, since they link to chapters it lacks."""
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    sphinx = config["sphinx"]["config"]
    # Paths in the project's config are relative to the repository.
    sphinx["html_static_path"] = [str(REPO / p) for p in sphinx["html_static_path"]]
    config["bibtex_bibfiles"] = [str(REPO / p) for p in config["bibtex_bibfiles"]]
    config["logo"] = str(REPO / config["logo"])
    config["html"]["favicon"] = str(REPO / config["html"]["favicon"])
    config["title"] = title
    config["execute"]["execute_notebooks"] = "force"
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    toc = {"format": "jb-book", "root": root}
    if chapters:
        toc["chapters"] = [{"file": c} for c in chapters]
    (dest / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    flags = ["-W", "-n", "--keep-going"] if strict else ["--keep-going"]
    done = subprocess.run(
        [str(jupyter_book), "build", str(dest), *flags],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return dest / "_build" / "html"
