"""Scratch copies of data/ for the loader's tests (`copy`), and the export tests' shared bank: a copy of
data/ with one question of each type added (see test_export)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from scratch_data import scratch
from test_export import ODD, ROOT, SUMMATIVE, _questions, _summative

from mxsec.data import Course, load
from mxsec.export import export


@pytest.fixture
def copy(tmp_path):
    """A scratch copy of data/ and references.bib; returns an editor for one YAML file (edits add up)."""
    scratch(tmp_path)

    def edit(name: str, change) -> Path:
        path = tmp_path / "data" / name
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(doc)
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return tmp_path / "data"

    return edit


@pytest.fixture
def raw(tmp_path):
    """A scratch copy of data/ and references.bib; returns an editor of one file's text or bytes."""
    scratch(tmp_path)

    def edit(name: str, change) -> Path:
        path = tmp_path / "data" / name
        before = path.read_bytes()
        after = change(before.decode("utf-8"))
        path.write_bytes(after if isinstance(after, bytes) else after.encode("utf-8"))
        assert path.read_bytes() != before, f"the edit left {name} as it was"
        return tmp_path / "data"

    return edit


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    """A copy of data/ (both banks included) plus one question of each type, odd labels, and the
    summative chapter SUMMATIVE made of the groups of SUMMATIVE_GROUPS."""
    root = tmp_path_factory.mktemp("bank")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copy(ROOT / "references.bib", root / "references.bib")
    data = root / "data"
    original = load(ROOT / "data")  # not load(data): the loader caches per folder, and data is edited below

    def edit(name: str, change) -> None:
        doc = yaml.safe_load((data / name).read_text(encoding="utf-8"))
        change(doc)
        (data / name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")

    edit("survey.yaml", lambda doc: doc["threats"][0].update(label=f"Threat {ODD}"))
    edit("policies.yaml", lambda doc: doc["policies"][0].update(label=f"Policy {ODD}"))
    edit("policies.yaml", lambda doc: doc["categories"][0].update(label=f"Category {ODD}"))
    bank = data / "questions" / "assessment.yaml"
    existing = yaml.safe_load(bank.read_text(encoding="utf-8")) if bank.exists() else []
    # Through JSON, so that lists the questions share are written out in full: the loader refuses
    # the anchors and aliases PyYAML would write for them.
    added = json.loads(json.dumps(_questions(original, "assessment")))
    bank.write_text(yaml.safe_dump(existing + added, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # The summative chapter under test holds the fixture's questions only, so its groups are known.
    summative = data / "summative" / f"{SUMMATIVE}.yaml"
    summative.parent.mkdir(exist_ok=True)
    added = json.loads(json.dumps(_summative(original, SUMMATIVE)))
    summative.write_text(yaml.safe_dump(added, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load(data)


@pytest.fixture(scope="module")
def written(course, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    return {fmt: export(fmt, out, course=course).path for fmt in ("qti", "moodle", "gift")}


@pytest.fixture(scope="module")
def summative(course, tmp_path_factory) -> dict[str, Path]:
    """The summative bank in each format, in a folder of its own beside the practice exports."""
    out = tmp_path_factory.mktemp("summative")
    return {fmt: export(fmt, out, course=course, bank="summative").path for fmt in ("qti", "moodle", "gift")}
