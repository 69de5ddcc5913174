"""The loader accepts the real data and rejects each kind of bad input with file, record and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from mxsec import data as D
from mxsec.data import DataError, describe_fact, format_value, load, numbers_in

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def copy(tmp_path):
    """A scratch copy of data/ and references.bib; returns an editor for one YAML file."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")

    def edit(name: str, change) -> Path:
        path = tmp_path / "data" / name
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(doc)
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return tmp_path / "data"

    return edit


def reject(directory: Path, file: str, record: str, field: str, words: str) -> DataError:
    with pytest.raises(DataError) as caught:
        load(directory)
    err = caught.value
    assert (err.file, err.record, err.field) == (file, record, field), str(err)
    assert words in err.problem, str(err)
    assert file in str(err) and record in str(err) and field in str(err)
    return err


def test_real_data_loads_with_every_kind_of_record():
    course = load()
    assert len(course.facts) >= 90
    assert len(course.events) >= 60
    assert [p["number"] for p in course.periods] == [1, 2, 3, 4]
    assert course.periods[0]["start"] == D.TIMELINE_START
    assert course.periods[-1]["end"] == D.TIMELINE_END
    assert sum(a["in_paper"] for a in course.administrations) == 5
    assert {c["id"] for c in course.categories} == {"assurance", "prevention", "protection", "compellence"}


def test_survey_keeps_only_the_ranks_the_paper_states():
    course = load()
    ranks = [t["rank"] for t in course.threats]
    assert ranks == sorted(ranks)
    assert not set(ranks) & set(course.survey["ranks_not_given"])
    assert set(ranks) | set(course.survey["ranks_not_given"]) == set(range(1, max(ranks) + 1))
    # The paper's own inconsistency is kept and explained, not silently fixed.
    assert course.survey["editions_stated"] != len(course.survey["edition_years"])
    assert any("four editions" in note for note in course.survey["notes"])


def test_every_record_cites_a_key_of_the_bibliography():
    course = load()
    cited = {r["citation"] for r in course.facts + course.events + course.periods if r.get("citation")}
    assert cited <= course.bib_keys
    assert "Dominguez2014mexico" in course.bib_keys


def test_year_falls_in_one_period_and_transition_years_show_both_presidents():
    course = load()
    for year in range(D.TIMELINE_START, D.TIMELINE_END + 1):
        assert course.period_of(year) is not None, year
        assert course.administrations_in(year), year
    assert course.period_of(1968)["number"] == 1
    assert course.period_of(2005)["number"] == 4
    assert [a["id"] for a in course.administrations_in(1988)] == ["de-la-madrid", "salinas"]
    assert course.period_of(1900) is None


def test_missing_required_field_names_file_record_and_field(copy):
    directory = copy("facts.yaml", lambda doc: doc[3].pop("unit"))
    reject(directory, "data/facts.yaml", "governance-categories", "unit", "required")


def test_wrong_type_names_the_field(copy):
    directory = copy("facts.yaml", lambda doc: doc[0].update(value="sixty thousand"))
    reject(directory, "data/facts.yaml", "drug-war-deaths-intro", "value", "not of type")


def test_unknown_field_is_rejected_not_ignored(copy):
    directory = copy("timeline.yaml", lambda doc: doc[0].update(color="red"))
    reject(directory, "data/timeline.yaml", "end-of-ww2", "color", "not a field")


def test_unknown_unit_is_rejected(copy):
    directory = copy("facts.yaml", lambda doc: doc[0].update(unit="bananas"))
    reject(directory, "data/facts.yaml", "drug-war-deaths-intro", "unit", "is not one of")


def test_survey_threat_errors_name_the_threat(copy):
    directory = copy("survey.yaml", lambda doc: doc["threats"][1].update(rank=1))
    reject(directory, "data/survey.yaml", "weapons-trafficking", "rank", "more than one threat")


def test_a_rank_the_paper_does_not_give_cannot_be_filled_in(copy):
    directory = copy("survey.yaml", lambda doc: doc["threats"][1].update(rank=2))
    reject(directory, "data/survey.yaml", "weapons-trafficking", "rank", "ranks_not_given")


def test_citation_must_exist_in_references_bib(copy):
    directory = copy("facts.yaml", lambda doc: doc[10].update(citation="Nobody1999"))
    reject(directory, "data/facts.yaml", doc_id(10), "citation", "references.bib")


def doc_id(index: int) -> str:
    return yaml.safe_load((ROOT / "data" / "facts.yaml").read_text(encoding="utf-8"))[index]["id"]


def test_ids_must_be_unique_across_files(copy):
    directory = copy("timeline.yaml", lambda doc: doc[0].update(id="armed-forces-1985"))
    reject(directory, "data/timeline.yaml", "armed-forces-1985", "id", "already used in facts.yaml")


def test_timeline_event_outside_the_span_is_rejected(copy):
    directory = copy("timeline.yaml", lambda doc: doc[0].update(year=1930))
    reject(directory, "data/timeline.yaml", "end-of-ww2", "year", "outside")


def test_overlapping_periods_are_rejected(copy):
    directory = copy("periods.yaml", lambda doc: doc[1].update(start=1975))
    reject(directory, "data/periods.yaml", "period-2", "start", "does not follow")


def test_policy_in_unknown_category_is_rejected(copy):
    directory = copy("policies.yaml", lambda doc: doc["policies"][0].update(category="deterrence"))
    reject(directory, "data/policies.yaml", "onusal-police-officers", "category", "not one of")


def test_malformed_yaml_names_the_file_and_line(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    (tmp_path / "data" / "periods.yaml").write_text("- id: period-1\n  number: [1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"data/periods.yaml: record 'line \d+'.*not valid YAML"):
        load(tmp_path / "data")


def test_missing_file_is_named(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    (tmp_path / "data" / "policies.yaml").unlink()
    with pytest.raises(DataError, match="data/policies.yaml.*missing"):
        load(tmp_path / "data")


@pytest.mark.parametrize(
    ("fact_id", "expected"),
    [
        ("armed-forces-1985", "about 130,000 people"),
        ("armed-forces-2009", "almost 240,000 people"),
        ("merida-funding", "$1.2 billion"),
        ("dod-support-increase", "17-fold"),
        ("military-spending-range", "0.4–0.5% of GDP"),
        ("cartel-profits-doj", "$18–39 billion a year"),
        ("marijuana-supplier-rank", "1st"),
        ("onusal-resolution", "resolution number 693"),
    ],
)
def test_values_are_written_as_a_reader_would(fact_id, expected):
    assert format_value(load().get(fact_id)) == expected


def test_describe_fact_gives_what_year_and_value():
    line = describe_fact(load().get("guatemalan-refugees-1996"))
    assert line == "Guatemalan refugees in Mexico (1996): 34,569 people"


def test_numbers_in_reads_thousands_decimals_and_names():
    assert numbers_in("from 34,569 in 1996 to 0.54 percent; the 3x1 program") == {34569, 1996, 0.54, 3, 1}


def test_facts_frame_indexes_by_id():
    frame = D.facts_frame()
    assert frame.loc["guatemalan-refugees-2005", "value"] == load().get("guatemalan-refugees-2005")["value"]
    assert frame["qualifier"].notna().all()
