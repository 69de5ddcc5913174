"""references.bib: every entry parses and formats, so one bad entry cannot break the book's build."""

from __future__ import annotations

import re

import pybtex.database
from pybtex.plugin import find_plugin

from common import ROOT

BIB = ROOT / "references.bib"


def _unformattable(path) -> dict[str, str]:
    """Entries pybtex cannot format (as sphinxcontrib-bibtex will), keyed by citation key."""
    style = find_plugin("pybtex.style.formatting", "unsrt")()
    bad = {}
    for key, entry in pybtex.database.parse_file(str(path)).entries.items():
        try:
            list(style.format_entries([entry]))
        except Exception as exc:
            bad[key] = f"{type(exc).__name__}: {exc}"
    return bad


def test_every_entry_of_the_bibliography_formats():
    bad = _unformattable(BIB)
    assert not bad, f"{BIB.name}: entries that would break the build: {bad}"


def test_no_unescaped_percent_sign_in_the_bibliography():
    # In BibTeX a bare % starts a comment and leaves braces unbalanced (URLs with %C3%B3 etc.).
    lines = [
        (n, line)
        for n, line in enumerate(BIB.read_text(encoding="utf-8").splitlines(), 1)
        if not line.lstrip().startswith("%") and re.search(r"(?<!\\)%", line)
    ]
    assert not lines, f"{BIB.name}: escape % as \\% on lines {[n for n, _ in lines]}"


def test_the_check_names_an_entry_that_would_break_the_build(tmp_path):
    broken = tmp_path / "broken.bib"
    broken.write_text(
        "@misc{Broken2026,\n  title = {A page},\n  howpublished = {\\url{https://example.org/a%C3%B3}},\n"
        "  year = {2026},\n}\n",
        encoding="utf-8",
    )
    assert list(_unformattable(broken)) == ["Broken2026"]
