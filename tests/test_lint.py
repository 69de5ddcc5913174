"""The code reads one way everywhere: ruff lints and formats the Python (package, tests, benchmarks and
the notebooks' code cells), Biome the JavaScript and CSS of the widgets and their tests. Both are pinned
(requirements.txt, package-lock.json) and configured in pyproject.toml and biome.json."""

from __future__ import annotations

import subprocess

import pytest

from common import BIN, ROOT

BIOME = ROOT / "node_modules" / ".bin" / "biome"


@pytest.mark.parametrize(
    "command",
    [["check", "--output-format", "concise"], ["format", "--check", "--diff"]],
    ids=["ruff-check", "ruff-format"],
)
def test_python_is_clean_under_ruff(command):
    ruff = BIN / "ruff"
    assert ruff.is_file(), f"{ruff} not found: it is pinned in requirements.txt (make setup)"
    proc = subprocess.run([str(ruff), *command], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]


def test_ruff_sees_the_notebooks_and_the_package():
    """The lint covers what it claims to: the package, the tests and every notebook."""
    ruff = BIN / "ruff"
    proc = subprocess.run(
        [str(ruff), "check", "--show-files"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    seen = {line.strip() for line in proc.stdout.splitlines()}
    for must in (
        "src/mxsec/data.py",
        "tests/conftest.py",
        "book/introduction.ipynb",
        "exercises/compellence.ipynb",
    ):
        assert str(ROOT / must) in seen, f"ruff does not check {must}"


def test_javascript_and_css_are_clean_under_biome():
    assert BIOME.is_file(), f"{BIOME} not found: it is pinned in package-lock.json (npm ci, make test)"
    proc = subprocess.run(
        [str(BIOME), "ci", "--colors=off"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert "Checked 0 files" not in proc.stdout + proc.stderr, "Biome found no files to check"
