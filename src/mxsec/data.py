"""Load the course data in data/, validate it against its schemas, and fail loudly on bad input.

Every fact, date and rank the book uses lives in one YAML file under data/; chapters, widgets,
exercises and exporters all read it through `load()`. Anything malformed raises `DataError`,
which names the file, the record and the field.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


def _import_jsonschema():
    """jsonschema, without the ~4 s its optional IRI format checker (rfc3987_syntax) costs to import.

    The course's schemas use no `format` keywords, so that checker is never needed here; the block
    is lifted afterwards so that other libraries can still import the module themselves.
    """
    blocked = "rfc3987_syntax" not in sys.modules
    if blocked:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
    try:
        import jsonschema
    finally:
        if blocked:
            del sys.modules["rfc3987_syntax"]
    return jsonschema


jsonschema = _import_jsonschema()

__all__ = [
    "DataError",
    "Course",
    "data_dir",
    "load",
    "fact",
    "value",
    "facts_frame",
    "numbers_held",
]

_HERE = Path(__file__).resolve().parent
_FILES = {
    "facts": "facts.yaml",
    "survey": "survey.yaml",
    "periods": "periods.yaml",
    "administrations": "administrations.yaml",
    "timeline": "timeline.yaml",
    "policies": "policies.yaml",
}
# The course's timeline covers the paper's span: the end of the Second World War to 2013.
TIMELINE_START, TIMELINE_END = 1945, 2013


class DataError(ValueError):
    """A data file breaks its schema or a cross-file rule."""

    def __init__(self, file: str | os.PathLike, record: str, field: str, problem: str):
        self.file, self.record, self.field, self.problem = _display(file), record, field, problem
        super().__init__(f"{self.file}: record {record!r}, field {field!r}: {problem}")


def _display(path: str | os.PathLike) -> str:
    """A data file's path as a reader knows it (data/facts.yaml), wherever the checkout is."""
    parts = Path(path).parts
    if "data" in parts:
        return "/".join(parts[len(parts) - 1 - parts[::-1].index("data") :])
    return str(path)


def data_dir() -> Path:
    """Where data/ is: $MXSEC_DATA_DIR; the copy inside an installed wheel (Colab, `pip install` from
    the repository), found through the package; or, for an editable install, the source checkout."""
    import importlib.resources

    env = os.environ.get("MXSEC_DATA_DIR")
    if env:
        return Path(env)
    packaged = importlib.resources.files(__package__) / "_data"
    if packaged.is_dir():
        return Path(str(packaged))
    return _HERE.parents[1] / "data"


def bib_path(directory: str | os.PathLike | None = None) -> Path:
    """references.bib for the data folder `directory` (default `data_dir()`), wherever installed."""
    return _bib_path(Path(directory) if directory else data_dir())


def _bib_path(directory: Path) -> Path:
    for candidate in (directory.parent / "references.bib", directory / "references.bib"):
        if candidate.exists():
            return candidate
    raise DataError(directory / "references.bib", "-", "-", "references.bib not found beside data/")


@dataclass(frozen=True)
class Course:
    """Everything in data/, validated. Records are plain dicts, as written in the YAML files."""

    directory: Path
    facts: list[dict]
    survey: dict
    threats: list[dict]
    periods: list[dict]
    administrations: list[dict]
    events: list[dict]
    categories: list[dict]
    policies: list[dict]
    questions: list[dict]
    bib_keys: frozenset[str]
    by_id: dict[str, dict] = field(repr=False)
    kind_of: dict[str, str] = field(repr=False)

    def get(self, record_id: str, kind: str | None = None) -> dict:
        """The record with this id (from any file, or only of `kind`), or KeyError naming it."""
        if record_id not in self.by_id or (kind and self.kind_of[record_id] != kind):
            what = f"{kind} " if kind else ""
            raise KeyError(f"no {what}record with id {record_id!r} in {self.directory}")
        return self.by_id[record_id]

    def questions_for(self, chapter: str) -> list[dict]:
        return [q for q in self.questions if q["chapter"] == chapter]

    def period_of(self, year: int) -> dict | None:
        """The paper's period a year falls in, or None outside them."""
        return next((p for p in self.periods if p["start"] <= year <= p["end"]), None)

    def administrations_in(self, year: int) -> list[dict]:
        """Administrations in office during some part of `year` (two in a year of transition)."""
        return [a for a in self.administrations if a["start"] <= year <= a["end"]]


# --------------------------------------------------------------------------- reading + schema
def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise DataError(path, "-", "-", "file is missing") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "-"
        raise DataError(path, where, "-", f"not valid YAML: {exc}") from None


@functools.lru_cache(maxsize=None)
def _schema(directory: Path, name: str) -> dict:
    with (directory / "schema" / f"{name}.schema.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def _locate(doc: Any, path: list) -> tuple[str, str]:
    """Turn a jsonschema error path into (record, field): the record's id where it has one."""
    record, rest, node = "-", list(path), doc
    for i, step in enumerate(path):
        if isinstance(step, int):
            item = node[step]
            record = item.get("id", f"#{step}") if isinstance(item, dict) else f"#{step}"
            prefix = [str(p) for p in path[:i] if not isinstance(p, int)]
            if prefix and prefix != ["threats"] and prefix != ["policies"] and prefix != ["categories"]:
                record = f"{'.'.join(prefix)}[{record}]"
            rest = path[i + 1 :]
            node = item
            break
        node = node[step]
    else:
        if path:
            record, rest = str(path[0]), path[1:]
    return record, ".".join(str(p) for p in rest) or "-"


def _validate(directory: Path, name: str, doc: Any, path: Path) -> None:
    validator = jsonschema.Draft202012Validator(_schema(directory, name))
    errors = sorted(validator.iter_errors(doc), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if not errors:
        return
    error = errors[0]
    # `if/then` failures report on their innermost cause.
    while error.context:
        error = sorted(error.context, key=lambda e: len(e.absolute_path))[0]
    record, field_ = _locate(doc, list(error.absolute_path))
    message = error.message
    if error.validator == "required":
        missing = [p for p in error.validator_value if p not in (error.instance or {})]
        field_ = ".".join(f for f in [field_ if field_ != "-" else "", missing[0]] if f)
        message = "is required but missing"
    elif error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        field_ = ".".join(f for f in [field_ if field_ != "-" else "", extra[0]] if f)
        message = "is not a field this file allows"
    raise DataError(path, record, field_, message)


# --------------------------------------------------------------------------- cross-file rules
def _fail(path: Path, record: dict | str, field_: str, problem: str) -> None:
    rid = record.get("id", "-") if isinstance(record, dict) else record
    raise DataError(path, rid, field_, problem)


def _check_citations(path: Path, records: list[dict], bib_keys: frozenset[str]) -> None:
    for rec in records:
        key = rec.get("citation")
        if key is not None and key not in bib_keys:
            _fail(path, rec, "citation", f"{key!r} is not a key in references.bib")


def _derive(op: str, values: list[float]) -> float:
    if op == "value":
        return values[0]
    if op == "sum":
        return sum(values)
    first, second = values
    if op == "difference":
        return second - first
    if op == "ratio":
        return second / first
    return (second - first) / first * 100  # pct_change


_ARITY = {"value": 1, "ratio": 2, "pct_change": 2, "difference": 2}


def _resolve_question(path: Path, q: dict, course_ids: dict, kinds: dict) -> dict:
    """Check a question against the rest of the data and add what it needs to be asked and marked."""
    q = dict(q)
    for ref in q["facts"]:
        if ref not in course_ids:
            _fail(path, q, "facts", f"{ref!r} is not the id of any record in data/")
    kind = q["type"]
    if kind in ("single", "multiple"):
        correct = [o for o in q["options"] if o["correct"]]
        if not correct:
            _fail(path, q, "options", "no option is marked correct")
        if kind == "single" and len(correct) != 1:
            _fail(path, q, "options", f"a single-answer question needs exactly one correct option, not {len(correct)}")
        if len(correct) == len(q["options"]):
            _fail(path, q, "options", "every option is marked correct, so the question tests nothing")
        texts = [o["text"] for o in q["options"]]
        if len(set(texts)) != len(texts):
            _fail(path, q, "options", "two options have the same text")
    elif kind == "numeric":
        spec = q["answer_from"]
        op, refs = spec["op"], spec["of"]
        if op in _ARITY and len(refs) != _ARITY[op]:
            _fail(path, q, "answer_from.of", f"{op!r} takes {_ARITY[op]} fact id(s), not {len(refs)}")
        values = []
        for ref in refs:
            if kinds.get(ref) != "fact":
                _fail(path, q, "answer_from.of", f"{ref!r} is not the id of a fact in facts.yaml")
            values.append(course_ids[ref]["value"])
        try:
            answer = _derive(op, values)
        except ZeroDivisionError:
            _fail(path, q, "answer_from", "divides by a fact whose value is zero")
        if not math.isfinite(answer):
            _fail(path, q, "answer_from", "does not give a finite number")
        q["answer"] = answer
    elif kind == "ordering":
        item_kinds = {kinds.get(i) for i in q["items"]}
        if item_kinds == {"threat"}:
            key = lambda i: course_ids[i]["rank"]  # noqa: E731
            q["order_by"] = "rank"
        elif item_kinds == {"event"}:
            key = lambda i: (course_ids[i]["year"], course_ids[i].get("date", ""))  # noqa: E731
            q["order_by"] = "year"
        else:
            _fail(path, q, "items", "items must all be threat ids (survey.yaml) or all event ids (timeline.yaml)")
        keys = [key(i) for i in q["items"]]
        if len(set(keys)) != len(keys):
            _fail(path, q, "items", "two items share a position, so there is no single right order")
        q["order"] = sorted(q["items"], key=key)
    elif kind == "matching":
        for item in q["items"]:
            if kinds.get(item) != "policy":
                _fail(path, q, "items", f"{item!r} is not the id of a policy in policies.yaml")
        q["pairs"] = [(i, course_ids[i]["category"]) for i in q["items"]]
    elif kind == "essay":
        for c in q["rubric"]:
            labels = [lvl["label"] for lvl in c["levels"]]
            if len(set(labels)) != len(labels):
                _fail(path, q, "rubric.levels", f"criterion {c['criterion']!r} repeats a level label")
        q["max_rubric_points"] = sum(max(lvl["points"] for lvl in c["levels"]) for c in q["rubric"])
        if "points" in q and q["points"] != q["max_rubric_points"]:
            _fail(path, q, "points", f"is {q['points']} but the rubric's top levels add up to {q['max_rubric_points']}")
    if kind not in ("single", "multiple") and "options" in q:
        _fail(path, q, "options", f"a {kind} question takes no options")
    q.setdefault("points", q.get("max_rubric_points", 1))
    return q


# --------------------------------------------------------------------------- loading
def load(directory: str | os.PathLike | None = None) -> Course:
    """Read and validate every data file; cached per directory."""
    return _load(Path(directory).resolve() if directory else data_dir().resolve())


@functools.lru_cache(maxsize=4)
def _load(directory: Path) -> Course:
    docs, paths = {}, {}
    for name, filename in _FILES.items():
        paths[name] = directory / filename
        docs[name] = _read_yaml(paths[name])
        _validate(directory, name, docs[name], paths[name])
    question_paths = sorted((directory / "questions").glob("*.yaml"))
    questions_raw = []
    for qpath in question_paths:
        doc = _read_yaml(qpath)
        _validate(directory, "questions", doc, qpath)
        questions_raw += [(qpath, q) for q in doc]

    bib = _bib_path(directory)
    bib_keys = frozenset(re.findall(r"^@\w+\{([^,\s]+),", bib.read_text(encoding="utf-8"), re.M))

    by_id: dict[str, dict] = {}
    kind_of: dict[str, str] = {}
    where: dict[str, Path] = {}

    def register(kind: str, path: Path, records: list[dict]) -> None:
        for rec in records:
            rid = rec["id"]
            if rid in by_id:
                _fail(path, rec, "id", f"{rid!r} is already used in {where[rid].name}; ids must be unique across data/")
            by_id[rid], kind_of[rid], where[rid] = rec, kind, path

    survey_doc = docs["survey"]
    register("fact", paths["facts"], docs["facts"])
    register("threat", paths["survey"], survey_doc["threats"])
    register("period", paths["periods"], docs["periods"])
    register("administration", paths["administrations"], docs["administrations"])
    register("event", paths["timeline"], docs["timeline"])
    register("category", paths["policies"], docs["policies"]["categories"])
    register("policy", paths["policies"], docs["policies"]["policies"])

    # facts
    for rec in docs["facts"]:
        if "value_max" in rec and rec["value_max"] <= rec["value"]:
            _fail(paths["facts"], rec, "value_max", "must be larger than value")
        if "year_end" in rec and "year" not in rec:
            _fail(paths["facts"], rec, "year_end", "is given without a year")
        if "year_end" in rec and rec["year_end"] < rec["year"]:
            _fail(paths["facts"], rec, "year_end", "is before year")
    _check_citations(paths["facts"], docs["facts"], bib_keys)

    # survey
    info = survey_doc["survey"]
    _check_citations(paths["survey"], [{"id": "survey", **info}], bib_keys)
    seen_ranks: dict[int, str] = {}
    for t in survey_doc["threats"]:
        if t["rank"] in seen_ranks:
            _fail(paths["survey"], t, "rank", f"rank {t['rank']} is given to more than one threat (also {seen_ranks[t['rank']]!r})")
        seen_ranks[t["rank"]] = t["id"]
        if t["rank"] in info["ranks_not_given"]:
            _fail(paths["survey"], t, "rank", f"rank {t['rank']} is listed in survey.ranks_not_given")
    if info["ranking_year"] not in info["edition_years"]:
        _fail(paths["survey"], "survey", "ranking_year", "is not one of edition_years")

    # periods: numbered in order, contiguous, inside the timeline
    periods = sorted(docs["periods"], key=lambda p: p["start"])
    for i, p in enumerate(periods):
        if p["end"] < p["start"]:
            _fail(paths["periods"], p, "end", "is before start")
        if p["number"] != i + 1:
            _fail(paths["periods"], p, "number", f"periods must be numbered 1, 2, ... in order of start; expected {i + 1}")
        if i and p["start"] != periods[i - 1]["end"] + 1:
            _fail(paths["periods"], p, "start", f"does not follow the previous period's end ({periods[i - 1]['end']})")
    _check_citations(paths["periods"], periods, bib_keys)

    # administrations: consecutive terms
    admins = sorted(docs["administrations"], key=lambda a: a["start"])
    for i, a in enumerate(admins):
        if a["end"] <= a["start"]:
            _fail(paths["administrations"], a, "end", "must be after start")
        if i and a["start"] != admins[i - 1]["end"]:
            _fail(paths["administrations"], a, "start", f"does not begin where the previous term ends ({admins[i - 1]['end']})")

    # timeline
    for ev in docs["timeline"]:
        if not TIMELINE_START <= ev["year"] <= TIMELINE_END:
            _fail(paths["timeline"], ev, "year", f"is outside the timeline's span {TIMELINE_START}-{TIMELINE_END}")
        if "year_end" in ev and ev["year_end"] < ev["year"]:
            _fail(paths["timeline"], ev, "year_end", "is before year")
        if "date" in ev and not ev["date"].startswith(str(ev["year"])):
            _fail(paths["timeline"], ev, "date", "does not fall in the event's year")
        if ev.get("context") and "note" not in ev:
            _fail(paths["timeline"], ev, "note", "a context date needs a note saying where the paper is silent")
        for ref in ev.get("facts", []):
            if ref not in by_id:
                _fail(paths["timeline"], ev, "facts", f"{ref!r} is not the id of any record in data/")
    _check_citations(paths["timeline"], docs["timeline"], bib_keys)
    events = sorted(docs["timeline"], key=lambda e: (e["year"], e.get("date", ""), e["id"]))

    # policies
    category_ids = {c["id"] for c in docs["policies"]["categories"]}
    for pol in docs["policies"]["policies"]:
        if pol["category"] not in category_ids:
            _fail(paths["policies"], pol, "category", f"{pol['category']!r} is not one of {sorted(category_ids)}")

    # questions (after every other id is known)
    questions = []
    for qpath, q in questions_raw:
        if q["id"] in by_id:
            _fail(qpath, q, "id", f"{q['id']!r} is already used in {where[q['id']].name}")
        if qpath.stem != q["chapter"]:
            _fail(qpath, q, "chapter", f"is {q['chapter']!r} but the question sits in {qpath.name}")
        questions.append(_resolve_question(qpath, q, by_id, kind_of))
        by_id[q["id"]], kind_of[q["id"]], where[q["id"]] = questions[-1], "question", qpath

    return Course(
        directory=directory,
        facts=docs["facts"],
        survey=info,
        threats=sorted(survey_doc["threats"], key=lambda t: t["rank"]),
        periods=periods,
        administrations=admins,
        events=events,
        categories=docs["policies"]["categories"],
        policies=docs["policies"]["policies"],
        questions=questions,
        bib_keys=bib_keys,
        by_id=by_id,
        kind_of=kind_of,
    )


# --------------------------------------------------------------------------- conveniences
def fact(fact_id: str) -> dict:
    """One fact record from facts.yaml."""
    return load().get(fact_id, "fact")


def value(fact_id: str) -> float:
    """The value of one fact, e.g. value("armed-forces-2009") -> 240000."""
    return fact(fact_id)["value"]


def facts_frame():
    """All facts as a pandas DataFrame indexed by id, for analysis in notebooks."""
    import pandas as pd

    columns = ["id", "what", "value", "value_max", "qualifier", "unit", "year", "year_end", "section", "footnote", "citation", "note"]
    frame = pd.DataFrame(load().facts).reindex(columns=columns)
    frame["qualifier"] = frame["qualifier"].fillna("exact")
    return frame.set_index("id")


_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])\d+(?:\.\d+)?")


def numbers_in(text: str) -> set[float]:
    """Every number written in a piece of text ("17,658", "0.54", "3x1" -> 3 and 1)."""
    out = set()
    for match in _NUMBER.finditer(text.replace("x", " ")):
        out.add(float(match.group().replace(",", "")))
    return out


def numbers_held(course: Course | None = None) -> set[float]:
    """Every number the data holds: values, ranks, years and any number written in its text fields."""
    course = course or load()
    held: set[float] = set()

    def walk(node: Any) -> None:
        if isinstance(node, bool):
            return
        if isinstance(node, (int, float)):
            held.add(float(node))
        elif isinstance(node, str):
            held.update(numbers_in(node))
        elif isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, (list, tuple)):
            for v in node:
                walk(v)

    for part in (course.facts, course.survey, course.threats, course.periods, course.administrations,
                 course.events, course.categories, course.policies):
        walk(part)
    return held


_QUALIFIER_WORDS = {"exact": "", "approximately": "about ", "more-than": "more than ", "almost": "almost ", "up-to": "up to "}


def _number(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 12 -> "12th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_value(rec: dict) -> str:
    """A fact's value as a reader would write it: "about 130,000 people", "$1.2 billion", "17-fold"."""
    if rec["unit"] in ("year", "page", "resolution number"):
        return rec["unit"].replace("year", "").strip() + (" " if rec["unit"] != "year" else "") + str(int(rec["value"]))
    amount = _number(rec["value"]) + (f"–{_number(rec['value_max'])}" if "value_max" in rec else "")
    unit = rec["unit"]
    if unit.startswith("USD"):
        scale = unit.removeprefix("USD").strip()
        per_year = scale.endswith("per year")
        scale = scale.removesuffix("per year").strip()
        if scale == "per migrant dollar":
            text, per_year = f"${amount} per migrant dollar", False
        else:
            text = f"${amount}" + (f" {scale}" if scale else "")
        text += " a year" if per_year else ""
    elif unit == "percent":
        text = f"{amount}%"
    elif unit == "percent of GDP":
        text = f"{amount}% of GDP"
    elif unit == "fold":
        text = f"{amount}-fold"
    elif unit == "rank":
        text = ordinal(int(rec["value"]))
    else:
        text = f"{amount} {unit}"
    return _QUALIFIER_WORDS[rec.get("qualifier", "exact")] + text


def describe_fact(rec: dict) -> str:
    """One line for a fact: what it is, its value and its year, e.g. for a timeline or a table."""
    when = ""
    if "year" in rec and not rec.get("approximate_year"):
        when = f" ({rec['year']}" + (f"–{rec['year_end']}" if "year_end" in rec else "") + ")"
    return f"{rec['what']}{when}: {format_value(rec)}"
