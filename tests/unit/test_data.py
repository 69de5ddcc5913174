"""The loader accepts the real data and rejects each kind of bad input with file, record and field."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from mxsec.data import DataError, describe_fact, facts_frame, format_value, load, numbers_in

ROOT = Path(__file__).resolve().parents[2]


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
    assert course.span == (min(p["start"] for p in course.periods), max(p["end"] for p in course.periods))
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
    first, last = course.periods[0]["start"], course.periods[-1]["end"]
    for year in range(first, last + 1):
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
    with pytest.raises(DataError, match=r"data/policies\.yaml.*missing"):
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
    frame = facts_frame()
    assert frame.loc["guatemalan-refugees-2005", "value"] == load().get("guatemalan-refugees-2005")["value"]
    assert frame["qualifier"].notna().all()


# ------------------------------------------------------------------ malformed files of every kind
def first_id(name: str) -> str:
    doc = yaml.safe_load((ROOT / "data" / name).read_text(encoding="utf-8"))
    return doc[0]["id"]


def in_first_record(name: str, key: str, new_line: str):
    """An edit that replaces the first record's `key: ...` line with `new_line` (text after the indent)."""

    def change(text: str) -> str:
        lines = text.split("\n")
        i = next(i for i, line in enumerate(lines) if line.startswith(f"  {key}: "))
        lines[i] = f"  {new_line}"
        return "\n".join(lines)

    return change


ALIAS_BOMB = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi")
)


@pytest.mark.timeout(60)
def test_an_alias_bomb_is_refused_at_once(raw):
    directory = raw("periods.yaml", lambda text: ALIAS_BOMB)
    reject(directory, "data/periods.yaml", "b[#0]", "-", "alias")


def test_an_alias_inside_a_record_is_refused_and_named(raw):
    def change(text: str) -> str:
        first, second, rest = text.split("\n  section: ", 2)
        return f"{first}\n  section: &s {second}\n  section: *s #{rest}"

    err = reject(raw("facts.yaml", change), "data/facts.yaml", doc_id(1), "section", "alias")
    assert "write the value out" in err.problem


def test_a_file_that_is_not_utf8_is_named_with_its_line(raw):
    text = (ROOT / "data" / "facts.yaml").read_text(encoding="utf-8")
    line = text[: text.index("  unit: ")].count("\n") + 1
    directory = raw(
        "facts.yaml",
        lambda text: text.encode("utf-8").replace(b"  unit: ", "  unit: \xe9".encode("latin-1"), 1),
    )
    err = reject(directory, "data/facts.yaml", f"line {line}", "-", "not UTF-8")
    assert "0xe9" in err.problem


def test_a_key_given_twice_is_refused_not_overwritten(raw):
    directory = raw("facts.yaml", in_first_record("facts.yaml", "unit", "unit: people\n  unit: countries"))
    reject(directory, "data/facts.yaml", first_id("facts.yaml"), "unit", "twice")


@pytest.mark.parametrize(
    "written", [".nan", ".inf", "-.inf", "1.0e+400", "1" + "0" * 400, "10000000000000000"]
)
def test_numbers_that_are_not_finite_or_absurd_are_refused(raw, written):
    directory = raw("facts.yaml", in_first_record("facts.yaml", "value", f"value: {written}"))
    err = reject(directory, "data/facts.yaml", first_id("facts.yaml"), "value", "")
    assert "not a finite number" in err.problem or "not a plausible number" in err.problem


def test_a_year_written_as_a_float_is_not_an_integer(raw):
    directory = raw("timeline.yaml", in_first_record("timeline.yaml", "year", "year: 1945.0"))
    reject(directory, "data/timeline.yaml", first_id("timeline.yaml"), "year", "is not of type 'integer'")


@pytest.mark.parametrize("char", ["\\x01", "\\x1b", "\\x7f", "\\x85", "\\u202e", "\\ufffe"])
def test_control_characters_in_text_are_refused(raw, char):
    directory = raw(
        "timeline.yaml", in_first_record("timeline.yaml", "title", f'title: "Before {char} after"')
    )
    reject(directory, "data/timeline.yaml", first_id("timeline.yaml"), "title", "control character U+")


def test_a_raw_control_character_is_refused_with_its_line(raw):
    directory = raw("timeline.yaml", in_first_record("timeline.yaml", "title", "title: Before \x01 after"))
    with pytest.raises(DataError, match=r"data/timeline.yaml: record 'line \d+'.*control characters"):
        load(directory)


@pytest.mark.parametrize("written", ['"{id}\\n"', '"{id} "', '" {id}"', '"{id}\\t"'])
def test_an_id_with_surrounding_whitespace_is_refused(raw, written):
    rid = first_id("facts.yaml")
    directory = raw(
        "facts.yaml", lambda text: text.replace(f"- id: {rid}\n", f"- id: {written.format(id=rid)}\n", 1)
    )
    with pytest.raises(DataError) as caught:
        load(directory)
    assert (caught.value.file, caught.value.field) == ("data/facts.yaml", "id")
    assert "does not match" in caught.value.problem


@pytest.mark.parametrize("date", ["1991-13-45", "1991-02-30", "1991-00", "0000"])
def test_an_impossible_date_is_refused(copy, date):
    def change(doc):
        event = next(e for e in doc if "date" in e)
        event["date"], event["year"] = date, int(date[:4]) if date != "0000" else event["year"]

    directory = copy("timeline.yaml", change)
    with pytest.raises(DataError) as caught:
        load(directory)
    assert (caught.value.file, caught.value.field) == ("data/timeline.yaml", "date"), str(caught.value)
    assert "not a real date" in caught.value.problem or "does not fall" in caught.value.problem


def test_an_unquoted_date_stays_text_and_is_checked(raw):
    def change(text: str) -> str:
        return re.sub(r'date: "(\d{4}-\d{2}-\d{2})"', r"date: \1", text, count=1)

    load(raw("timeline.yaml", change))  # YAML would make it a date object; the loader keeps the text


def test_nesting_too_deep_is_refused_without_a_recursion_error(raw):
    for depth in (40, 5000):
        directory = raw(
            "facts.yaml", in_first_record("facts.yaml", "value", "value: " + "[" * depth + "]" * depth)
        )
        with pytest.raises(DataError, match=r"data/facts\.yaml.*(levels deep|nesting depth)"):
            load(directory)
        shutil.copy(ROOT / "data" / "facts.yaml", directory / "facts.yaml")


def test_a_missing_schema_is_named(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    (tmp_path / "data" / "schema" / "survey.schema.json").unlink()
    reject(tmp_path / "data", "data/schema/survey.schema.json", "-", "-", "missing")


def test_a_broken_schema_is_named(raw):
    directory = raw(
        "schema/facts.schema.json", lambda text: text.replace('"type": "number"', '"type": "numeral"', 1)
    )
    err = reject(
        directory,
        "data/schema/facts.schema.json",
        "-",
        "items.properties.value.type",
        "not a valid JSON Schema",
    )
    assert len(str(err)) < 400


def test_a_question_file_with_another_extension_is_an_error(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    questions = tmp_path / "data" / "questions"
    (questions / "introduction.yaml").rename(questions / "introduction.yml")
    reject(tmp_path / "data", "data/questions/introduction.yml", "-", "-", "not a question file")


def test_a_stray_data_file_is_an_error(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    shutil.copy(tmp_path / "data" / "facts.yaml", tmp_path / "data" / "facts.yml")
    reject(tmp_path / "data", "data/facts.yml", "-", "-", "not a file the course reads")


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['true']",
        "!!binary aGVsbG8=",
        "!!set {a: null}",
        "!!timestamp 2001-12-14",
    ],
)
def test_yaml_types_beyond_json_are_refused(raw, tag):
    directory = raw("facts.yaml", in_first_record("facts.yaml", "unit", f"unit: {tag}"))
    reject(directory, "data/facts.yaml", first_id("facts.yaml"), "unit", "is not allowed")


def test_messages_stay_short_however_long_the_value(copy):
    directory = copy("facts.yaml", lambda doc: doc[0].update(unit="bananas " * 1000))
    err = reject(directory, "data/facts.yaml", first_id("facts.yaml"), "unit", "is not one of")
    assert len(str(err)) < 400 and str(err).count("bananas") < 10


def test_the_periods_and_administrations_cover_the_timeline(copy):
    second = sorted(load().administrations, key=lambda a: a["start"])[1]["id"]
    directory = copy("administrations.yaml", lambda doc: doc.sort(key=lambda a: a["start"]) or doc.pop(0))
    reject(directory, "data/administrations.yaml", second, "start", "every year of the timeline")


def test_the_timeline_span_follows_the_periods(copy):
    """The span is the periods' years: a shorter last period leaves the last year's events outside
    it, a longer one needs a president for the added years."""
    course = load()
    last_year = max(ev["year"] for ev in course.events)
    in_file = yaml.safe_load((ROOT / "data" / "timeline.yaml").read_text(encoding="utf-8"))
    late = next(ev["id"] for ev in in_file if ev["year"] == last_year)  # the first the loader meets
    directory = copy("periods.yaml", lambda doc: doc[-1].update(end=last_year - 1))
    reject(directory, "data/timeline.yaml", late, "year", f"span {course.span[0]}-{last_year - 1}")
    later = max(a["end"] for a in course.administrations) + 1
    directory = copy("periods.yaml", lambda doc: doc[-1].update(end=later))
    last_term = max(course.administrations, key=lambda a: a["start"])["id"]
    reject(directory, "data/administrations.yaml", last_term, "end", f"must end in {later} or later")


def test_a_fact_listed_twice_in_a_question_is_refused(copy):
    def change(doc):
        q = next(q for q in doc if len(q["facts"]) >= 1)
        q["facts"].append(q["facts"][0])

    directory = copy("questions/introduction.yaml", change)
    with pytest.raises(DataError, match=r"data/questions/introduction.yaml: .*field 'facts'.*non-unique"):
        load(directory)


def test_an_event_category_must_be_one_policies_yaml_defines(copy):
    first = yaml.safe_load((ROOT / "data" / "timeline.yaml").read_text(encoding="utf-8"))[0]["id"]
    directory = copy("timeline.yaml", lambda doc: doc[0].update(category="gossip"))
    reject(directory, "data/timeline.yaml", first, "category", "is not a category in policies.yaml")


def test_the_timeline_categories_are_the_four_then_the_event_categories():
    course = load()
    doc = yaml.safe_load((ROOT / "data" / "policies.yaml").read_text(encoding="utf-8"))
    assert [c["id"] for c in course.timeline_categories] == [
        c["id"] for c in doc["categories"] + doc["event_categories"]
    ]
    assert {e["category"] for e in course.events} <= {c["id"] for c in course.timeline_categories}


def test_each_president_s_short_name_is_part_of_the_full_name():
    for a in load().administrations:
        assert a["short_name"] in a["president"], a["id"]
