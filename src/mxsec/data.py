"""Load the course data in data/, validate it against its schemas, and fail loudly on bad input.

Every fact, date and rank the book uses lives in one YAML file under data/; chapters, widgets,
exercises and exporters all read it through `load()`. Anything malformed raises `DataError`,
which names the file, the record and the field.

The work is split by job: mxsec.schema reads one file and checks it against its schema, mxsec.rules
holds the cross-file rules, mxsec.questions the question banks, mxsec.formatting writes facts as a
reader would. This module puts them together, and keeps every name notebooks and tests import from
`mxsec.data` (`load`, `value`, `fact`, `format_value`, `DataError`, ...).
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import chapters, rules, schema
from .formatting import (
    _NUMBER,
    _QUALIFIER_WORDS,
    describe_fact,
    format_value,
    numbers_held,
    numbers_in,
    ordinal,
)
from .questions import BANKS, read_banks, resolve_banks
from .rules import _OUTCOME_MARKUP
from .schema import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_MAGNITUDE,
    DataError,
    _fail,
    _read_data,
    _read_text,
    _schema,
)

__all__ = [
    "BANKS",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_MAGNITUDE",
    "_NUMBER",
    "_OUTCOME_MARKUP",
    "_QUALIFIER_WORDS",
    "Course",
    "DataError",
    "_schema",
    "bib_path",
    "data_dir",
    "describe_fact",
    "fact",
    "facts_frame",
    "format_value",
    "load",
    "numbers_held",
    "numbers_in",
    "ordinal",
    "value",
]

_HERE = Path(__file__).resolve().parent
_FILES = {
    "facts": "facts.yaml",
    "survey": "survey.yaml",
    "periods": "periods.yaml",
    "administrations": "administrations.yaml",
    "timeline": "timeline.yaml",
    "policies": "policies.yaml",
    "outcomes": "outcomes.yaml",
}


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
    categories: list[dict]  # the paper's four policy categories (policies.yaml)
    event_categories: list[dict]  # the timeline's other categories for dated events (policies.yaml)
    policies: list[dict]
    questions: list[dict]
    outcomes: list[dict]
    summative: list[dict]
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
        """The chapter's self-check questions (data/questions/<chapter>.yaml), in order."""
        return [q for q in self.questions if q["chapter"] == chapter]

    def summative_for(self, chapter: str) -> list[dict]:
        """The chapter's summative questions (data/summative/<chapter>.yaml), in order."""
        return [q for q in self.summative if q["chapter"] == chapter]

    def bank(self, name: str) -> list[dict]:
        """One question bank by name: "questions" (the self-checks) or "summative"."""
        if name not in BANKS:
            raise KeyError(f"no question bank {name!r}: the banks are {', '.join(BANKS)}")
        return self.questions if name == "questions" else self.summative

    def outcomes_for(self, chapter: str) -> list[dict]:
        """The chapter's learning outcomes, in the order of its "Learning objectives" list."""
        return [o for o in self.outcomes if o["chapter"] == chapter]

    @property
    def timeline_categories(self) -> list[dict]:
        """The timeline's categories in its filter's order: the four policy categories, then the
        event categories; each with its id and label."""
        return self.categories + self.event_categories

    @property
    def sections(self) -> list[str]:
        """The paper's sections in its order: the one list, in the shared schema definitions."""
        return schema.sections(self.directory)

    @property
    def span(self) -> tuple[int, int]:
        """The timeline's first and last year: the first period's start and the last one's end."""
        return rules.span(self.periods)

    def period_of(self, year: int) -> dict | None:
        """The paper's period a year falls in, or None outside them."""
        return next((p for p in self.periods if p["start"] <= year <= p["end"]), None)

    def administrations_in(self, year: int) -> list[dict]:
        """Administrations in office during some part of `year` (two in a year of transition)."""
        return [a for a in self.administrations if a["start"] <= year <= a["end"]]


def _check_folder(directory: Path) -> None:
    """No data-like file in data/ goes unread: a misnamed copy (facts.yml) is an error, not ignored."""
    try:
        entries = sorted(directory.iterdir())
    except FileNotFoundError:
        raise DataError(directory, "-", "-", "the data folder is missing") from None
    except OSError as exc:
        raise DataError(
            directory, "-", "-", f"the data folder cannot be read: {exc.strerror or exc}"
        ) from None
    known = set(_FILES.values())
    for entry in entries:
        if entry.suffix.lower() in (".yaml", ".yml", ".json") and entry.name not in known:
            raise DataError(
                entry,
                "-",
                "-",
                f"is not a file the course reads (those are {', '.join(sorted(known))}); "
                "rename it or move it out of data/",
            )


def _course_root(directory: Path) -> Path:
    """Where the chapters are listed for this data: the folder above data/ when it holds a _toc.yml
    (a checkout, or a test's copy of the course), else the course files the package finds."""
    if (directory.parent / chapters.TOC).is_file():
        return directory.parent
    from .build import course_files

    return course_files()


def load(directory: str | os.PathLike | None = None) -> Course:
    """Read and validate every data file; cached per directory."""
    return _load(Path(directory).resolve() if directory else data_dir().resolve())


@functools.lru_cache(maxsize=4)
def _load(directory: Path) -> Course:
    docs, paths = {}, {}
    for name, filename in _FILES.items():
        paths[name] = directory / filename
        docs[name] = _read_data(directory, name, paths[name])
    _check_folder(directory)
    banks_raw = read_banks(directory, _read_data)
    bib_keys = frozenset(re.findall(r"^@\w+\{([^,\s]+),", _read_text(_bib_path(directory)), re.M))

    # Chapters first: a schema enum checked them once, and the other rules name records by chapter.
    root = _course_root(directory)
    named = [(paths["policies"], docs["policies"]["categories"]), (paths["outcomes"], docs["outcomes"])]
    named += [(qpath, [q]) for raw in banks_raw.values() for qpath, q in raw]
    rules.check_chapters(named, chapters.slugs(root), root / chapters.TOC)

    by_id: dict[str, dict] = {}
    kind_of: dict[str, str] = {}
    where: dict[str, Path] = {}

    def register(kind: str, path: Path, records: list[dict]) -> None:
        for rec in records:
            rid = rec["id"]
            if rid in by_id:
                _fail(
                    path,
                    rec,
                    "id",
                    f"{rid!r} is already used in {where[rid].name}; ids must be unique across data/",
                )
            by_id[rid], kind_of[rid], where[rid] = rec, kind, path

    survey_doc = docs["survey"]
    register("fact", paths["facts"], docs["facts"])
    register("threat", paths["survey"], survey_doc["threats"])
    register("period", paths["periods"], docs["periods"])
    register("administration", paths["administrations"], docs["administrations"])
    register("event", paths["timeline"], docs["timeline"])
    register("category", paths["policies"], docs["policies"]["categories"])
    register("category", paths["policies"], docs["policies"]["event_categories"])
    register("policy", paths["policies"], docs["policies"]["policies"])
    register("outcome", paths["outcomes"], docs["outcomes"])

    rules.check_facts(paths["facts"], docs["facts"], bib_keys)
    rules.check_counted(paths["facts"], docs["facts"], kind_of)
    rules.check_survey(paths["survey"], survey_doc, bib_keys)
    periods = rules.check_periods(paths["periods"], docs["periods"], bib_keys)
    years = rules.span(periods)
    admins = rules.check_administrations(paths["administrations"], docs["administrations"], years)
    categories = docs["policies"]["categories"] + docs["policies"]["event_categories"]
    events = rules.check_timeline(paths["timeline"], docs["timeline"], years, by_id, bib_keys, categories)
    rules.check_policies(paths["policies"], docs["policies"])
    rules._check_outcomes(paths["outcomes"], docs["outcomes"])
    resolved = resolve_banks(directory, banks_raw, by_id, kind_of, where)

    return Course(
        directory=directory,
        facts=docs["facts"],
        survey=survey_doc["survey"],
        threats=sorted(survey_doc["threats"], key=lambda t: t["rank"]),
        periods=periods,
        administrations=admins,
        events=events,
        categories=docs["policies"]["categories"],
        event_categories=docs["policies"]["event_categories"],
        policies=docs["policies"]["policies"],
        questions=resolved["questions"],
        outcomes=docs["outcomes"],
        summative=resolved["summative"],
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

    columns = [
        "id",
        "what",
        "value",
        "value_max",
        "qualifier",
        "unit",
        "year",
        "year_end",
        "section",
        "footnote",
        "citation",
        "note",
    ]
    frame = pd.DataFrame(load().facts).reindex(columns=columns)
    frame["qualifier"] = frame["qualifier"].fillna("exact")
    return frame.set_index("id")
