"""mxsec.schema: the definitions the schemas share live in data/schema/defs.schema.json, once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from scratch_data import refused

from mxsec.data import load

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "data" / "schema"


def test_the_shared_definitions_are_defined_once_and_referred_to():
    defs = json.loads((SCHEMAS / "defs.schema.json").read_text(encoding="utf-8"))["$defs"]
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        if path.name == "defs.schema.json":
            continue
        text = path.read_text(encoding="utf-8")
        assert "$defs" not in json.loads(text), f"{path.name} defines its own $defs"
        assert "#/$defs/" not in text.replace("defs.schema.json#/$defs/", ""), path.name
        for name in re.findall(r"defs\.schema\.json#/\$defs/(\w+)", text):
            assert name in defs, f"{path.name} refers to {name}, which defs.schema.json does not define"
    # The paper's sections, as its headings give them, in its order (read from the headings the data
    # names, not from a second list): every section a record names is one of them.
    sections = defs["section"]["enum"]
    assert len(sections) == len(set(sections))
    course = load()
    named = {r["section"] for r in course.facts + course.events + course.periods + course.policies}
    assert named <= set(sections)


@pytest.fixture
def schema_copy(copy):
    directory = copy("facts.yaml", lambda doc: None)
    return directory / "schema" / "defs.schema.json"


def test_a_value_outside_a_shared_definition_names_the_data_file_and_field(copy):
    first = load().facts[0]["id"]
    directory = copy("facts.yaml", lambda doc: doc[0].update(section="Epilogue"))
    err = refused(directory)
    assert (err.file, err.record, err.field) == (
        "data/facts.yaml",
        first,
        "section",
    )


def test_a_broken_shared_definitions_file_is_named(schema_copy):
    schema_copy.write_text('{"$defs": {"id": ', encoding="utf-8")
    err = refused(schema_copy.parent.parent)
    assert err.file == "data/schema/defs.schema.json" and "not valid JSON" in err.problem


def test_a_missing_shared_definition_is_reported_against_the_schema(schema_copy):
    defs = json.loads(schema_copy.read_text(encoding="utf-8"))
    del defs["$defs"]["year"]
    schema_copy.write_text(json.dumps(defs), encoding="utf-8")
    err = refused(schema_copy.parent.parent)
    assert err.file.startswith("data/schema/") and "does not define" in err.problem


def test_the_paper_s_sections_are_listed_once_in_the_shared_definitions():
    """Course.sections is the shared definitions' list, in the paper's order: the first is the
    Abstract, the Introduction comes before the policies, the Assessment is last."""
    import json

    from mxsec.data import load

    course = load()
    defs = json.loads((course.directory / "schema" / "defs.schema.json").read_text(encoding="utf-8"))
    assert course.sections == defs["$defs"]["section"]["enum"]
    assert course.sections[0] == "Abstract" and course.sections[-1] == "Assessment"
    assert {f["section"] for f in course.facts} <= set(course.sections)
