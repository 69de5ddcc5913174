"""Load the course data in data/, validate it against its schemas, and fail loudly on bad input.

Every fact, date and rank the book uses lives in one YAML file under data/; chapters, widgets,
exercises and exporters all read it through `load()`. Anything malformed raises `DataError`,
which names the file, the record and the field.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import os
import re
import reprlib
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
import referencing.exceptions  # noqa: E402 - jsonschema's own dependency, for its errors

__all__ = [
    "Course",
    "DataError",
    "data_dir",
    "fact",
    "facts_frame",
    "load",
    "numbers_held",
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
# The two question banks, one file per chapter in each, same schema: the self-checks the book shows
# (also exported as practice quizzes), and the summative bank, for learning platforms only and never
# rendered in the student edition. A missing summative folder is an empty bank.
BANKS = {"questions": "questions", "summative": "summative"}
# The only Markdown an outcome's text may use: **bold** and *emphasis* (see outcome_markdown).
_OUTCOME_MARKUP = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*")
# The course's timeline covers the paper's span: the end of the Second World War to 2013.
TIMELINE_START, TIMELINE_END = 1945, 2013


class DataError(ValueError):
    """A data file breaks its schema or a cross-file rule.

    The message names the file, the record and the field, and is never long, however long the
    offending value: each part is cut to a bounded length (see _clip).
    """

    def __init__(self, file: str | os.PathLike, record: str, field: str, problem: str):
        self.file = _clip(_display(file), 160)
        self.record, self.field, self.problem = (
            _clip(str(record), 80),
            _clip(str(field), 80),
            _clip(str(problem), 320),
        )
        super().__init__(f"{self.file}: record {self.record!r}, field {self.field!r}: {self.problem}")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Values quoted in messages are shortened: a few items of a list, the start of a long text.
_REPR = reprlib.Repr()
_REPR.maxstring, _REPR.maxother, _REPR.maxlong, _REPR.maxlist, _REPR.maxdict, _REPR.maxlevel = (
    60,
    60,
    30,
    4,
    4,
    2,
)


def _short(value: Any) -> str:
    return _REPR.repr(value)


def _display(path: str | os.PathLike) -> str:
    """A data file's path as a reader knows it (data/facts.yaml), wherever the checkout is."""
    parts = Path(path).parts
    if "data" in parts:
        return "/".join(parts[len(parts) - 1 - parts[::-1].index("data") :])
    if parts and parts[-1] == "references.bib":
        return "references.bib"
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

    def period_of(self, year: int) -> dict | None:
        """The paper's period a year falls in, or None outside them."""
        return next((p for p in self.periods if p["start"] <= year <= p["end"]), None)

    def administrations_in(self, year: int) -> list[dict]:
        """Administrations in office during some part of `year` (two in a year of transition)."""
        return [a for a in self.administrations if a["start"] <= year <= a["end"]]


# --------------------------------------------------------------------------- reading + schema
# What a data file may hold. The files are the paper's facts, written by hand; nothing in them comes
# near these limits, and anything past them is a mistake or not a data file at all.
MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 32  # levels of lists and mappings
MAX_MAGNITUDE = 10**15  # floats hold every whole number exactly up to about 9 * 10^15
_JSON_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")
)
_STR, _INT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int"
# Control characters (tab and newline aside), lone surrogates, non-characters, and the bidirectional
# controls that make text read differently from what it holds: none belongs in the course's text,
# and most make the quiz exports ill-formed XML.
_BAD_CHARACTER = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)


class _Problem(Exception):
    """What is wrong and where (record, field), before the file is known; `in_schema` when the fault
    lies in the schema rather than the data."""

    def __init__(self, record: str, field_: str, problem: str, in_schema: bool = False):
        super().__init__(record, field_, problem)
        self.record, self.field, self.problem, self.in_schema = record, field_, problem, in_schema


class _Refused(yaml.MarkedYAMLError):
    """YAML that parses but that a data file may not use, and the path to where it is."""

    def __init__(self, problem: str, node: yaml.Node, trail: list):
        super().__init__(problem=problem, problem_mark=node.start_mark)
        self.trail, self.root = trail, None


_YAML_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where present (it is in the wheels)


class _StrictLoader(_YAML_BASE):  # type: ignore[misc, valid-type]
    """YAML read as JSON: text, numbers, true/false, null, lists and mappings, nothing else.

    Before anything is built, the parsed nodes are checked (_check_nodes): aliases are refused (a
    few hundred bytes of them expand to gigabytes), as are other tags, keys that are not text or that
    appear twice in a mapping (YAML keeps the last, silently), and nesting past MAX_DEPTH. Dates stay
    text (the loader checks them itself).
    """

    def construct_document(self, node):
        try:
            _check_nodes(node)
        except _Refused as exc:
            exc.root = node
            raise
        return super().construct_document(node)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:
            raise _Refused(f"cannot be read as {node.tag.rsplit(':', 1)[-1]}: {exc}", node, []) from None


_StrictLoader.yaml_implicit_resolvers = {  # no timestamps, merge keys (<<) or value keys (=)
    first: [(tag, regexp) for tag, regexp in resolvers if tag in _JSON_TAGS]
    for first, resolvers in _YAML_BASE.yaml_implicit_resolvers.items()
}


def _check_nodes(root: yaml.Node) -> None:
    """Walk the parsed nodes (without recursion) and refuse what _StrictLoader does not build."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, list]] = [(root, [])]
    while stack:
        node, trail = stack.pop()
        if id(node) in seen:  # libyaml gives an alias the very node its anchor marks
            raise _Refused("uses a YAML alias (*name): write the value out in full instead", node, trail)
        seen.add(id(node))
        if node.tag not in _JSON_TAGS:
            raise _Refused(
                f"the tag {_short(node.tag)} is not allowed: a data file holds only text, numbers, "
                "true/false, null, lists and mappings",
                node,
                trail,
            )
        if len(trail) > MAX_DEPTH:
            raise _Refused(
                f"nests lists and mappings more than {MAX_DEPTH} levels deep", node, trail[:MAX_DEPTH]
            )
        if node.tag == _INT and len(node.value.lstrip("+-0")) > 16:
            raise _Refused(
                f"{_short(node.value)} is not a plausible number here (larger than 10^15 in size)",
                node,
                trail,
            )
        if isinstance(node, yaml.SequenceNode):
            stack += [(child, trail + [i]) for i, child in reversed(list(enumerate(node.value)))]
        elif isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            children = []
            for key_node, value_node in node.value:
                if key_node.tag != _STR or not isinstance(key_node, yaml.ScalarNode):
                    raise _Refused(
                        f"a key must be text, not {_short(getattr(key_node, 'value', key_node))}",
                        key_node,
                        trail,
                    )
                if key_node.value in keys:
                    raise _Refused(
                        "is given twice in one mapping (YAML would keep the last, silently)",
                        key_node,
                        trail + [key_node.value],
                    )
                keys.add(key_node.value)
                children.append((value_node, trail + [key_node.value]))
            stack += reversed(children)


def _node_step(node: yaml.Node, step: str | int) -> yaml.Node:
    if isinstance(step, int):
        return node.value[step]
    return next(v for k, v in node.value if k.value == step)


def _node_id(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.MappingNode):
        return next(
            (v.value for k, v in node.value if k.value == "id" and isinstance(v, yaml.ScalarNode)), None
        )
    return None


def _parse_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except _Refused as exc:
        if exc.trail and exc.root is not None:
            raise _Problem(
                *_locate(exc.root, exc.trail, step=_node_step, ident=_node_id), exc.problem
            ) from None
        raise _Problem(f"line {exc.problem_mark.line + 1}", "-", exc.problem) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise _Problem(f"line {line}", "-", f"not valid YAML: {str(exc).splitlines()[0]}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        said = "; ".join(
            p for p in (getattr(exc, "context", None), getattr(exc, "problem", None)) if p
        ) or str(exc)
        raise _Problem(
            f"line {mark.line + 1}" if mark else "-", "-", f"not valid YAML: {' '.join(said.split())}"
        ) from None
    except RecursionError:  # the pure-Python parser, where libyaml is missing
        raise _Problem("-", "-", f"nests lists and mappings more than {MAX_DEPTH} levels deep") from None


def _check_values(doc: Any) -> None:
    """What a schema does not see: nesting too deep, numbers that are not finite or not plausible,
    and characters that have no place in text (in values and in keys)."""

    def fail(trail: list, problem: str) -> None:
        raise _Problem(*_locate(doc, trail), problem)

    def text(value: str, trail: list) -> None:
        if bad := _BAD_CHARACTER.search(value):
            fail(
                trail,
                f"contains the control character U+{ord(bad.group()):04X} at position {bad.start() + 1}; "
                "write text without control characters",
            )

    def walk(node: Any, trail: list) -> None:
        if len(trail) > MAX_DEPTH:
            fail(trail[:MAX_DEPTH], f"nests lists and mappings more than {MAX_DEPTH} levels deep")
        if isinstance(node, bool) or node is None:
            return
        if isinstance(node, float) and not math.isfinite(node):
            fail(trail, f"{node} is not a finite number")
        if isinstance(node, (int, float)) and abs(node) > MAX_MAGNITUDE:
            fail(trail, f"{_short(node)} is not a plausible number here (larger than 10^15 in size)")
        elif isinstance(node, str):
            text(node, trail)
        elif isinstance(node, dict):
            for key, value in node.items():
                text(key, trail + [key])
                walk(value, trail + [key])
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, trail + [i])

    walk(doc, [])


def _ecma_regex(pattern: str) -> re.Pattern:
    """A schema's pattern compiled with ECMA-262's meaning of `$` (the end of the text), which JSON
    Schema prescribes, instead of Python's (the end, or before a newline that ends the text)."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        out.append(char)
        i += 1
    return re.compile("".join(out))


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not _ecma_regex(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


# Draft 2020-12, with `pattern` as above and an integer that is an int: JSON Schema counts 1947.0 as
# an integer, which the timeline (and every year and rank) cannot use.
_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    validators={"pattern": _pattern},
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, x: isinstance(x, int) and not isinstance(x, bool)
    ),
)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise _Problem("-", next(k for k in keys if keys.count(k) > 1), "is given twice in one object", True)
    return dict(pairs)


@functools.lru_cache(maxsize=32)
def _compiled_schema(text: str):
    """A schema's validator, checked once per schema text (an edited schema is read afresh)."""
    try:
        schema = json.loads(text, object_pairs_hook=_no_duplicate_keys)
        _Validator.check_schema(schema)
    except json.JSONDecodeError as exc:
        raise _Problem(f"line {exc.lineno}", "-", f"not valid JSON: {exc.msg}", True) from None
    except jsonschema.SchemaError as exc:
        where = ".".join(map(str, exc.absolute_path)) or "-"
        raise _Problem("-", where, f"is not a valid JSON Schema: {exc.message}", True) from None
    except RecursionError:
        raise _Problem("-", "-", "nests too deeply to be a schema", True) from None
    return _Validator(schema)


def _schema_path(directory: Path, name: str) -> Path:
    return directory / "schema" / f"{name}.schema.json"


def _schema(directory: Path, name: str) -> dict:
    path = _schema_path(directory, name)
    try:
        return _compiled_schema(_read_text(path, "schema file")).schema
    except _Problem as exc:
        raise DataError(path, exc.record, exc.field, exc.problem) from None


def _locate(
    doc: Any,
    path: list,
    step=lambda node, key: node[key],
    ident=lambda item: item.get("id") if isinstance(item, dict) else None,
) -> tuple[str, str]:
    """Turn a path into the document (a jsonschema error's, _check_values' or, with `step` and
    `ident` for YAML nodes, _check_nodes') into (record, field): the record's id where it has one."""
    record, rest, node = "-", list(path), doc
    for i, key in enumerate(path):
        if isinstance(key, int):
            item = step(node, key)
            rid = ident(item)
            record = rid if isinstance(rid, str) else f"#{key}"
            prefix = [str(p) for p in path[:i] if not isinstance(p, int)]
            if prefix and prefix != ["threats"] and prefix != ["policies"] and prefix != ["categories"]:
                record = f"{'.'.join(prefix)}[{record}]"
            rest = path[i + 1 :]
            node = item
            break
        node = step(node, key)
    else:
        if path:
            record, rest = str(path[0]), path[1:]
    return record, ".".join(str(p) for p in rest) or "-"


def _validate(validator, doc: Any) -> None:
    try:
        errors = sorted(
            validator.iter_errors(doc), key=lambda e: (list(map(str, e.absolute_path)), e.message)
        )
    except referencing.exceptions.Unresolvable as exc:
        raise _Problem("-", "-", f"refers to what it does not define: {exc}", True) from None
    except RecursionError:
        raise _Problem("-", "-", "refers to itself without end", True) from None
    if not errors:
        return
    error = errors[0]
    # `if/then` failures report on their innermost cause.
    while error.context:
        error = sorted(error.context, key=lambda e: len(e.absolute_path))[0]
    record, field_ = _locate(doc, list(error.absolute_path))
    message = error.message
    for quoted in (error.instance, error.validator_value):  # long values quoted in full, shortened
        if len(full := repr(quoted)) > 60:
            message = message.replace(full, _short(quoted))
    if error.validator == "required":
        missing = [p for p in error.validator_value if p not in (error.instance or {})]
        field_ = ".".join(f for f in [field_ if field_ != "-" else "", missing[0]] if f)
        message = "is required but missing"
    elif error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        field_ = ".".join(f for f in [field_ if field_ != "-" else "", extra[0]] if f)
        message = "is not a field this file allows"
    raise _Problem(record, field_, message)


@functools.lru_cache(maxsize=128)
def _checked(text: str, schema_text: str) -> str:
    """A data file's text parsed, checked and validated against its schema, as JSON: loading the
    same text against the same schema again (a test's copy of data/) costs a JSON parse."""
    validator = _compiled_schema(schema_text)
    doc = _parse_yaml(text)
    _check_values(doc)
    _validate(validator, doc)
    return json.dumps(doc, ensure_ascii=False)


def _read_data(directory: Path, name: str, path: Path) -> Any:
    """One data file, read as the schema `name` requires, or DataError naming the file (the data
    file, or its schema where the fault lies there), the record and the field."""
    schema_path = _schema_path(directory, name)
    schema_text = _read_text(schema_path, "schema file")
    text = _read_text(path)
    try:
        return json.loads(_checked(text, schema_text))
    except _Problem as exc:
        raise DataError(schema_path if exc.in_schema else path, exc.record, exc.field, exc.problem) from None


def _read_bytes(path: Path, what: str = "file") -> bytes:
    try:
        size = path.stat().st_size
        if path.is_file() and size > MAX_FILE_BYTES:
            raise DataError(
                path, "-", "-", f"is {size:,} bytes, more than a {what} may be ({MAX_FILE_BYTES:,})"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, "-", "-", f"{what} is missing") from None
    except IsADirectoryError:
        raise DataError(path, "-", "-", f"is a folder, not a {what}") from None
    except OSError as exc:
        raise DataError(path, "-", "-", f"{what} cannot be read: {exc.strerror or exc}") from None


def _read_text(path: Path, what: str = "file") -> str:
    raw = _read_bytes(path, what)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            path,
            f"line {line}",
            "-",
            f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
        ) from None


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
            _fail(
                path,
                q,
                "options",
                f"a single-answer question needs exactly one correct option, not {len(correct)}",
            )
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
            _fail(
                path,
                q,
                "items",
                "items must all be threat ids (survey.yaml) or all event ids (timeline.yaml)",
            )
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
            _fail(
                path,
                q,
                "points",
                f"is {q['points']} but the rubric's top levels add up to {q['max_rubric_points']}",
            )
    if kind not in ("single", "multiple") and "options" in q:
        _fail(path, q, "options", f"a {kind} question takes no options")
    q.setdefault("points", q.get("max_rubric_points", 1))
    return q


def _relative(directory: Path, path: Path) -> str:
    """A data file as named inside data/ (questions/introduction.yaml, facts.yaml)."""
    try:
        return path.relative_to(directory).as_posix()
    except ValueError:
        return path.name


def _check_outcomes(path: Path, outcomes: list[dict]) -> None:
    """Each chapter's outcomes numbered <chapter>-1, <chapter>-2, ... in the file's order, with
    Markdown no richer than **bold** and *emphasis*."""
    count: dict[str, int] = {}
    for rec in outcomes:
        n = count[rec["chapter"]] = count.get(rec["chapter"], 0) + 1
        if rec["id"] != f"{rec['chapter']}-{n}":
            _fail(
                path,
                rec,
                "id",
                f"must be {rec['chapter']}-{n}: outcome ids are the chapter and the "
                "objective's place in its list, numbered from 1 in the file's order",
            )
        if "*" in _OUTCOME_MARKUP.sub("", rec["text"]):
            _fail(
                path,
                rec,
                "text",
                "has a * outside a **bold** or *emphasis* pair; write the pair in full (or leave the * out)",
            )


def _check_question_outcomes(path: Path, q: dict, course_ids: dict, kinds: dict) -> None:
    """A question names outcomes of its own chapter: the outcome table is kept per chapter, and a
    question on another chapter's objective belongs in that chapter's bank."""
    for ref in q.get("outcomes", []):
        if kinds.get(ref) != "outcome":
            _fail(path, q, "outcomes", f"{ref!r} is not the id of a learning outcome in outcomes.yaml")
        if course_ids[ref]["chapter"] != q["chapter"]:
            _fail(
                path,
                q,
                "outcomes",
                f"{ref!r} is an outcome of the {course_ids[ref]['chapter']} chapter; a "
                f"question names outcomes of its own chapter ({q['chapter']})",
            )


# --------------------------------------------------------------------------- loading
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


def _question_files(directory: Path, bank: str = "questions") -> list[Path]:
    """data/questions/*.yaml (or data/summative/*.yaml). Anything else there (a .yml file, a folder)
    is an error, since it would otherwise be skipped without a word; hidden files (.DS_Store, editors'
    swap files) are not content. The questions folder must be there; a missing summative folder is an
    empty bank."""
    folder = directory / BANKS[bank]
    try:
        entries = sorted(folder.iterdir())
    except FileNotFoundError:
        if bank == "summative":
            return []
        raise DataError(folder, "-", "-", f"the {BANKS[bank]} folder is missing") from None
    except NotADirectoryError:
        raise DataError(folder, "-", "-", f"is a file, not the {BANKS[bank]} folder") from None
    except OSError as exc:
        raise DataError(
            folder, "-", "-", f"the {BANKS[bank]} folder cannot be read: {exc.strerror or exc}"
        ) from None
    files = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.suffix != ".yaml" or not entry.is_file():
            raise DataError(
                entry,
                "-",
                "-",
                "is not a question file: the bank reads only files named "
                "<chapter>.yaml here; rename it or move it out",
            )
        files.append(entry)
    return files


def _date_problem(text: str) -> str | None:
    """Why a YYYY, YYYY-MM or YYYY-MM-DD date (the schema checks the form) is not a real one."""
    parts = [int(p) for p in text.split("-")]
    try:
        datetime.date(*parts, *[1] * (3 - len(parts)))
    except ValueError as exc:
        return f"{text!r} is not a real date ({exc})"
    return None


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
    banks_raw: dict[str, list[tuple[Path, dict]]] = {}
    for bank in BANKS:
        banks_raw[bank] = []
        for qpath in _question_files(directory, bank):
            doc = _read_data(directory, "questions", qpath)  # one schema for both banks
            banks_raw[bank] += [(qpath, q) for q in doc]

    bib = _bib_path(directory)
    bib_keys = frozenset(re.findall(r"^@\w+\{([^,\s]+),", _read_text(bib), re.M))

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
    register("policy", paths["policies"], docs["policies"]["policies"])
    register("outcome", paths["outcomes"], docs["outcomes"])

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
            _fail(
                paths["survey"],
                t,
                "rank",
                f"rank {t['rank']} is given to more than one threat (also {seen_ranks[t['rank']]!r})",
            )
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
            _fail(
                paths["periods"],
                p,
                "number",
                f"periods must be numbered 1, 2, ... in order of start; expected {i + 1}",
            )
        if i and p["start"] != periods[i - 1]["end"] + 1:
            _fail(
                paths["periods"],
                p,
                "start",
                f"does not follow the previous period's end ({periods[i - 1]['end']})",
            )
    span = f"the timeline's span, {TIMELINE_START}-{TIMELINE_END}"
    if not periods:
        _fail(paths["periods"], "-", "-", f"no periods: they must cover {span}")
    if periods[0]["start"] != TIMELINE_START:
        _fail(
            paths["periods"],
            periods[0],
            "start",
            f"the first period must begin the timeline, in {TIMELINE_START}",
        )
    if periods[-1]["end"] != TIMELINE_END:
        _fail(
            paths["periods"], periods[-1], "end", f"the last period must end the timeline, in {TIMELINE_END}"
        )
    _check_citations(paths["periods"], periods, bib_keys)

    # administrations: consecutive terms
    admins = sorted(docs["administrations"], key=lambda a: a["start"])
    for i, a in enumerate(admins):
        if a["end"] <= a["start"]:
            _fail(paths["administrations"], a, "end", "must be after start")
        if i and a["start"] != admins[i - 1]["end"]:
            _fail(
                paths["administrations"],
                a,
                "start",
                f"does not begin where the previous term ends ({admins[i - 1]['end']})",
            )
    # ... and a president for every year of the timeline
    if not admins:
        _fail(paths["administrations"], "-", "-", f"no administrations: they must cover {span}")
    if admins[0]["start"] > TIMELINE_START:
        _fail(
            paths["administrations"],
            admins[0],
            "start",
            f"the first term must begin by {TIMELINE_START}, so that "
            "every year of the timeline has a president",
        )
    if admins[-1]["end"] < TIMELINE_END:
        _fail(
            paths["administrations"],
            admins[-1],
            "end",
            f"the last term must end in {TIMELINE_END} or later, so "
            "that every year of the timeline has a president",
        )

    # timeline
    for ev in docs["timeline"]:
        if not TIMELINE_START <= ev["year"] <= TIMELINE_END:
            _fail(
                paths["timeline"],
                ev,
                "year",
                f"is outside the timeline's span {TIMELINE_START}-{TIMELINE_END}",
            )
        if "year_end" in ev and ev["year_end"] < ev["year"]:
            _fail(paths["timeline"], ev, "year_end", "is before year")
        if "date" in ev and (problem := _date_problem(ev["date"])):
            _fail(paths["timeline"], ev, "date", problem)
        if "date" in ev and not ev["date"].startswith(str(ev["year"])):
            _fail(paths["timeline"], ev, "date", "does not fall in the event's year")
        if ev.get("context") and "note" not in ev:
            _fail(
                paths["timeline"], ev, "note", "a context date needs a note saying where the paper is silent"
            )
        for ref in ev.get("facts", []):
            if ref not in by_id:
                _fail(paths["timeline"], ev, "facts", f"{ref!r} is not the id of any record in data/")
    _check_citations(paths["timeline"], docs["timeline"], bib_keys)
    events = sorted(docs["timeline"], key=lambda e: (e["year"], e.get("date", ""), e["id"]))

    # policies
    category_ids = {c["id"] for c in docs["policies"]["categories"]}
    for pol in docs["policies"]["policies"]:
        if pol["category"] not in category_ids:
            _fail(
                paths["policies"],
                pol,
                "category",
                f"{pol['category']!r} is not one of {sorted(category_ids)}",
            )

    # learning outcomes
    outcomes = docs["outcomes"]
    _check_outcomes(paths["outcomes"], outcomes)

    # the two question banks (after every other id is known); ids are unique across both banks
    resolved: dict[str, list[dict]] = {}
    for bank, raw in banks_raw.items():
        resolved[bank] = []
        for qpath, q in raw:
            if q["id"] in by_id:
                _fail(
                    qpath,
                    q,
                    "id",
                    f"{q['id']!r} is already used in {_relative(directory, where[q['id']])}; "
                    "ids must be unique across data/, both question banks included",
                )
            if qpath.stem != q["chapter"]:
                _fail(qpath, q, "chapter", f"is {q['chapter']!r} but the question sits in {qpath.name}")
            _check_question_outcomes(qpath, q, by_id, kind_of)
            resolved[bank].append(_resolve_question(qpath, q, by_id, kind_of))
            kind = "question" if bank == "questions" else "summative"
            by_id[q["id"]], kind_of[q["id"]], where[q["id"]] = resolved[bank][-1], kind, qpath

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
        questions=resolved["questions"],
        outcomes=outcomes,
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

    for part in (
        course.facts,
        course.survey,
        course.threats,
        course.periods,
        course.administrations,
        course.events,
        course.categories,
        course.policies,
    ):
        walk(part)
    return held


_QUALIFIER_WORDS = {
    "exact": "",
    "approximately": "about ",
    "more-than": "more than ",
    "almost": "almost ",
    "up-to": "up to ",
}


def _number(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 12 -> "12th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_value(rec: dict) -> str:
    """A fact's value as a reader would write it: "about 130,000 people", "$1.2 billion", "17-fold"."""
    if rec["unit"] in ("year", "page", "resolution number"):
        return (
            rec["unit"].replace("year", "").strip()
            + (" " if rec["unit"] != "year" else "")
            + str(int(rec["value"]))
        )
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
