"""Every notebook is collected by nbval, committed clean, and ready for Colab."""

from __future__ import annotations

import json

import pytest
import yaml

from common import COLLECTED, ROOT, notebooks

COLAB_LINE = '%pip install --quiet "mxsec @ git+{url}"'


def test_nbval_runs_every_notebook_in_book_and_exercises(request):
    expected = {p.resolve() for p in notebooks()}
    collected = request.config.stash.get(COLLECTED, set())
    assert expected, "no notebooks found under book/ or exercises/"
    missing = sorted(str(p.relative_to(ROOT)) for p in expected - collected)
    assert not missing, (
        f"nbval did not collect: {missing} (run the suite with --nbval-lax, as pyproject.toml does)"
    )


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_is_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    stale = [
        i
        for i, c in enumerate(nb["cells"])
        if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))
    ]
    assert not stale, f"cells {stale} carry outputs or execution counts; clear them before committing"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert "jupytext" not in nb["metadata"]


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_installs_the_course_package_on_colab_from_the_configured_repository(path):
    url = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    setup = next((src for src in code if "google.colab" in src), None)
    assert setup is not None, "no Colab set-up cell"
    assert COLAB_LINE.format(url=url) in setup, (
        "the Colab set-up cell must install from repository.url in _config.yml"
    )
