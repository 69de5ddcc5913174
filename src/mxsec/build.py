"""Helpers for building the book: the instructor edition's configuration, and build caches that are
thrown away when the data or the package change (myst-nb's execution cache and Sphinx's saved
doctrees only notice changes to the notebooks themselves). Also the course's own files that the
package reads at run time (the table of contents, the chapters' notebooks, the course's title, the
exercise notebooks), found through the package wherever it is installed; mxsec.chapters reads them."""

from __future__ import annotations

import argparse
import copy
import hashlib
import importlib.resources
import shutil
from pathlib import Path

import yaml

# The source checkout, for the book-building helpers below (run from a checkout by the Makefile).
ROOT = Path(__file__).resolve().parents[2]
# Where a wheel carries its copy of _config.yml, _toc.yml, book/ and exercises/ (see pyproject.toml).
PACKAGED = "_course"
# What a chapter's outputs depend on besides its own cells.
INPUTS = ("data", "src/mxsec", "references.bib")
# What a build keeps between runs that would carry outputs of the old inputs.
CACHES = (".jupyter_cache", "jupyter_execute", ".doctrees")


def _merge(base: dict, override: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def instructor(outdir: Path, root: Path = ROOT) -> tuple[Path, Path]:
    """Write _config.yml and _toc.yml of the instructor edition into `outdir`; return their paths.
    Its title is the course's (_config.yml) with edition.yml's `title_suffix`."""
    from .chapters import course_title  # here: mxsec.chapters imports this module's course_files

    spec = yaml.safe_load((root / "instructor" / "edition.yml").read_text(encoding="utf-8"))
    config = _merge(yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")), spec["config"])
    config["title"] = course_title(root) + spec.get("title_suffix", "")
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    toc["parts"] = toc["parts"] + spec["toc_parts"]
    outdir.mkdir(parents=True, exist_ok=True)
    paths = outdir / "_config.yml", outdir / "_toc.yml"
    for path, doc in zip(paths, (config, toc)):
        path.write_text(
            "# Generated from _config.yml, _toc.yml and instructor/edition.yml; do not edit.\n"
            + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
    return paths


def course_files() -> Path:
    """The folder holding the course's _config.yml, _toc.yml, book/ and exercises/.

    An installed wheel (Colab, `pip install` from the repository) carries a copy inside the package,
    found through the package itself; an editable install from a source checkout has none and reads
    the checkout.
    """
    packaged = importlib.resources.files(__package__) / PACKAGED
    if packaged.joinpath("_toc.yml").is_file():
        return Path(str(packaged))
    if (ROOT / "_toc.yml").is_file():
        return ROOT
    raise FileNotFoundError(
        f"the course's _toc.yml is neither in the installed package ({packaged}) "
        f"nor in a source checkout ({ROOT}); reinstall the mxsec package"
    )


def chapters(root: Path | None = None, paper_only: bool = False) -> list[str]:
    """Docnames in table-of-contents order ("book/welcome", ...); with `paper_only`, just the
    numbered chapters that mirror the paper's sections. `root` defaults to `course_files()`.
    Both come from mxsec.chapters, the one reader of _toc.yml."""
    from . import chapters as registry  # here: mxsec.chapters imports this module's course_files

    if paper_only:
        return [c.docname for c in registry.chapters(root)]
    return registry.docnames(root)


def inputs_digest(root: Path = ROOT) -> str:
    """A digest of every file the executed notebooks read besides themselves."""
    digest = hashlib.sha256()
    for name in INPUTS:
        base = root / name
        files = (
            [base]
            if base.is_file()
            else sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        )
        for path in files:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fresh_cache(build_dir: Path, root: Path = ROOT) -> bool:
    """Drop `build_dir`'s caches if the data or package changed since they were filled.

    Returns True when they were dropped. `build_dir` is the folder holding `.jupyter_cache`
    (`_build` for `jupyter-book build .`, `<path-output>/_build` with --path-output).
    """
    stamp = build_dir / ".inputs-digest"
    digest = inputs_digest(root)
    stale = stamp.exists() and stamp.read_text() != digest
    if stale or not stamp.exists():
        for name in CACHES:
            shutil.rmtree(build_dir / name, ignore_errors=True)
    build_dir.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)
    return stale


def main(argv: list[str] | None = None, prog: str = "python -m mxsec.build") -> None:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    edition = commands.add_parser(
        "instructor", help="write the instructor edition's _config.yml and _toc.yml"
    )
    edition.add_argument("outdir", type=Path)
    cache = commands.add_parser("fresh-cache", help="drop the build caches if data/ or src/ changed")
    cache.add_argument("build_dir", type=Path, help="folder holding .jupyter_cache, e.g. _build")
    args = parser.parse_args(argv)
    if args.command == "instructor":
        for path in instructor(args.outdir):
            print(path)
    elif fresh_cache(args.build_dir):
        print(f"data or package changed: cleared the build caches in {args.build_dir}")


if __name__ == "__main__":
    main()
