"""Reading one data file: strict YAML, values a schema cannot see, and the JSON Schema check.

The YAML is read as JSON (_StrictLoader), checked for values no schema sees (_check_values) and
validated against its schema in data/schema/ (draft 2020-12; the definitions the schemas share are
in data/schema/defs.schema.json). Anything wrong raises `DataError` naming the file, the record and
the field; the cross-file rules are in mxsec.rules and mxsec.questions.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import reprlib
import sys
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
import referencing  # noqa: E402 - jsonschema's own dependency: the shared definitions, its errors
import referencing.exceptions  # noqa: E402
import referencing.jsonschema  # noqa: E402


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


# The definitions the schemas share (an id, a section of the paper, a year, ...), referred to from each
# schema as "defs.schema.json#/$defs/<name>".
DEFS = "defs.schema.json"


def _parse_schema(text: str) -> dict:
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
    return schema


@functools.lru_cache(maxsize=32)
def _compiled_schema(text: str, defs_text: str):
    """A schema's validator, with the shared definitions as DEFS, checked once per pair of texts (an
    edited schema is read afresh). A fault in the shared definitions is raised as _DefsProblem."""
    try:
        defs = _parse_schema(defs_text)
    except _Problem as exc:
        raise _DefsProblem(exc.record, exc.field, exc.problem, True) from None
    schema = _parse_schema(text)
    resource = referencing.Resource.from_contents(
        defs, default_specification=referencing.jsonschema.DRAFT202012
    )
    return _Validator(schema, registry=referencing.Registry().with_resource(DEFS, resource))


class _DefsProblem(_Problem):
    """A fault in the shared definitions (DEFS), reported against that file."""


def sections(directory: Path) -> list[str]:
    """The paper's section headings in the paper's order, as the shared definitions (DEFS) list them."""
    path = directory / "schema" / DEFS
    try:
        return list(_parse_schema(_read_text(path, "schema file"))["$defs"]["section"]["enum"])
    except _Problem as exc:
        raise DataError(path, exc.record, exc.field, exc.problem) from None
    except (KeyError, TypeError):
        raise DataError(
            path, "-", "$defs.section.enum", "missing: the list of the paper's sections"
        ) from None


def _schema_path(directory: Path, name: str) -> Path:
    return directory / "schema" / f"{name}.schema.json"


def _validator(directory: Path, name: str):
    """The validator of schema `name`, or DataError naming the schema file (or DEFS) at fault."""
    path, defs_path = _schema_path(directory, name), directory / "schema" / DEFS
    texts = _read_text(path, "schema file"), _read_text(defs_path, "schema file")
    try:
        return texts, _compiled_schema(*texts)
    except _Problem as exc:
        at = defs_path if isinstance(exc, _DefsProblem) else path
        raise DataError(at, exc.record, exc.field, exc.problem) from None


def _schema(directory: Path, name: str) -> dict:
    return _validator(directory, name)[1].schema


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
def _checked(text: str, schema_text: str, defs_text: str) -> str:
    """A data file's text parsed, checked and validated against its schema, as JSON: loading the
    same text against the same schema again (a test's copy of data/) costs a JSON parse."""
    validator = _compiled_schema(schema_text, defs_text)
    doc = _parse_yaml(text)
    _check_values(doc)
    _validate(validator, doc)
    return json.dumps(doc, ensure_ascii=False)


def _read_data(directory: Path, name: str, path: Path) -> Any:
    """One data file, read as the schema `name` requires, or DataError naming the file (the data
    file, or its schema where the fault lies there), the record and the field."""
    schema_path = _schema_path(directory, name)
    texts, _ = _validator(directory, name)
    text = _read_text(path)
    try:
        return json.loads(_checked(text, *texts))
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


def _fail(path: Path, record: dict | str, field_: str, problem: str) -> None:
    """Raise DataError for a record (its id named where it has one) breaking a cross-file rule."""
    rid = record.get("id", "-") if isinstance(record, dict) else record
    raise DataError(path, rid, field_, problem)
