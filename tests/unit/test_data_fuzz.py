"""A seeded fuzz of the loader: a few hundred random mutations of a copy of data/, each of which must
load or stop with a DataError that names the file and stays short; nothing else (no other exception,
no hang). Mutations known to break the data must not load."""

from __future__ import annotations

import copy
import json
import math
import os
import random
import re
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from mxsec.data import DataError, load

ROOT = Path(__file__).resolve().parents[2]
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
SEED = 20260
CASES = 300
MESSAGE_LIMIT = 700  # characters: file, record, field and problem, each bounded by the loader
# 313 characters that expand to 9^8 strings when aliases are followed.
ALIAS_BOMB = "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
ALIAS_BOMB = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + ALIAS_BOMB


def deep(levels: int) -> Any:
    node: Any = "bottom"
    for _ in range(levels):
        node = [node]
    return node


DEEP = deep(60)
# Values a careless edit might leave: wrong types, non-finite and absurd numbers, float years,
# control characters, trailing newlines, impossible dates, deep nesting, huge text.
NASTY = [
    None,
    "",
    " ",
    "x\n",
    "tab\there",
    "nul\x00",
    "bell\x07",
    "del\x7f",
    "bidi\u202eevil",
    "lone \ud800",
    0,
    -1,
    1947.0,
    2.5,
    10**400,
    10**16,
    float("nan"),
    float("inf"),
    float("-inf"),
    1e300,
    True,
    False,
    [],
    {},
    ["a", "a"],
    {"id": "x"},
    DEEP,
    "1990-13-45",
    "2001-02-29",
    "x" * 10_000,
    "</SCRIPT><img src=x onerror=alert(1)>",
]
# Snippets inserted into the raw text.
SNIPPETS = [
    "\xff",
    "\xe9",
    "\x00",
    "\x01",
    "\t",
    "\r",
    "\n",
    ": ",
    "- ",
    "&a ",
    "*a ",
    "!!python/object ",
    "{",
    "[",
    "'",
    '"',
    "#",
    "|",
    ">",
    "%",
    "@",
    "`",
    "<<: ",
    "\n  id: dup\n",
    "\ufeff",
    "? ",
]


@dataclass
class Mutation:
    what: str
    apply: Callable[[Path], None]
    must_fail: bool = False  # the result is bad data whatever else the file holds


def replace_file(path: Path, data: bytes | str) -> None:
    """Write a new file in place of `path` (the scratch copy's files are hard links to the pristine copy)."""
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)


def nodes(doc: Any, trail: tuple = ()) -> list[tuple[tuple, Any]]:
    """Every (path, value) in a document, the root included."""
    found = [(trail, doc)]
    if isinstance(doc, dict):
        for k, v in doc.items():
            found += nodes(v, trail + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            found += nodes(v, trail + (i,))
    return found


def put(doc: Any, trail: tuple, value: Any) -> Any:
    if not trail:
        return value
    node = doc
    for step in trail[:-1]:
        node = node[step]
    node[trail[-1]] = value
    return doc


def structured(rng: random.Random, rel: str, doc: Any) -> Mutation:
    """A change to the parsed document, written back as YAML."""
    all_nodes = nodes(doc)
    mappings = [(t, n) for t, n in all_nodes if isinstance(n, dict) and n]
    lists = [(t, n) for t, n in all_nodes if isinstance(n, list) and n]
    kind = rng.choice(
        ["leaf", "node", "drop-key", "add-key", "dup-item", "drop-item", "swap", "suffix", "copy"]
    )
    must_fail = False
    if kind in ("leaf", "node"):
        pool = [(t, n) for t, n in all_nodes if t and (kind == "node" or not isinstance(n, (dict, list)))]
        trail, old = rng.choice(pool)
        new = rng.choice(NASTY)
        # Non-finite or absurd numbers, control characters and deep nesting are wrong anywhere.
        must_fail = (
            new is DEEP
            or (
                isinstance(new, (int, float))
                and not isinstance(new, bool)
                and not (abs(new) <= 10**15 and math.isfinite(new))
            )
            or (  # abs first: isfinite(10**400) overflows
                isinstance(new, str) and any(c in new for c in "\x00\x07\x7f\u202e\ud800")
            )
        )
        what = f"{kind} {trail} = {new!r:.40}"
        change = lambda d: put(d, trail, new)  # noqa: E731
    elif kind == "drop-key":
        trail, mapping = rng.choice(mappings)
        key = rng.choice(list(mapping))
        what = f"drop {trail + (key,)}"
        change = lambda d: put(d, trail, {k: v for k, v in mapping.items() if k != key})  # noqa: E731
    elif kind == "add-key":
        trail, mapping = rng.choice(mappings)
        key = rng.choice(["color", "notes", "id", "value", "year", "label", "type", "\x01", "x\n"])
        new = rng.choice(NASTY)
        what = f"add {trail + (key,)} = {new!r:.40}"
        must_fail = key in ("color", "\x01", "x\n") and key not in mapping
        change = lambda d: put(d, trail, {**mapping, key: new})  # noqa: E731
    elif kind in ("dup-item", "drop-item", "swap") and lists:
        trail, items = rng.choice(lists)
        i, j = rng.randrange(len(items)), rng.randrange(len(items))
        if kind == "dup-item":
            new = items[:i] + [items[i]] + items[i:]
            must_fail = isinstance(items[i], dict) and "id" in items[i]  # ids are unique
        elif kind == "drop-item":
            new = items[:i] + items[i + 1 :]
        else:
            new = list(items)
            new[i], new[j] = new[j], new[i]
        what = f"{kind} {trail}[{i}]"
        change = lambda d: put(d, trail, new)  # noqa: E731
    else:
        strings = [(t, n) for t, n in all_nodes if isinstance(n, str)]
        trail, old = rng.choice(strings)
        if kind == "copy":
            new = rng.choice(all_nodes)[1]
            what = f"copy into {trail}"
        else:
            suffix = rng.choice(["\n", " ", "\t", "\x0b", "\x1b[31m", "\u2066", "&amp;", "<b>"])
            new = old + suffix
            must_fail = suffix in ("\x0b", "\x1b[31m", "\u2066")
            what = f"suffix {trail} += {suffix!r}"
        change = lambda d: put(d, trail, json.loads(json.dumps(new)) if not isinstance(new, float) else new)  # noqa: E731

    def apply(directory: Path) -> None:
        mutated = change(copy.deepcopy(doc))
        try:
            text = yaml.dump(mutated, Dumper=DUMPER, allow_unicode=True, sort_keys=False)
        except UnicodeEncodeError:  # libyaml cannot write a lone surrogate; PyYAML escapes it
            text = yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False)
        replace_file(directory / rel, text)

    return Mutation(f"{rel}: {what}", apply, must_fail)


def key_lines(rel: str, text: str) -> set[int]:
    """Lines (0-based) that hold a whole `key: value` of a mapping: written twice, a duplicate key."""
    if rel.endswith(".json"):
        return {i for i, line in enumerate(text.splitlines()) if re.match(r'\s*"[^"]*"\s*:', line)}
    if not rel.endswith(".yaml"):
        return set()
    lines, found = text.splitlines(), set()
    stack = [yaml.compose(text)]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                row = key.start_mark.line
                if (
                    isinstance(value, yaml.ScalarNode)
                    and value.end_mark.line == row
                    and not lines[row][: key.start_mark.column].strip()
                ):
                    found.add(row)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return found


def textual(rng: random.Random, rel: str, text: str) -> Mutation:
    """A change to the raw text or bytes of a file."""
    kind = rng.choice(["truncate", "insert", "dup-line", "drop-line", "indent", "bomb", "latin-1", "utf-16"])
    lines = text.splitlines(keepends=True)
    at = rng.randrange(len(text))
    n = rng.randrange(len(lines))
    must_fail = False
    if kind == "truncate":
        new: bytes | str = text[:at]
    elif kind == "insert":
        snippet = rng.choice(SNIPPETS)
        new = text[:at] + snippet + text[at:]
        must_fail = snippet in ("\x00", "\x01")
        if snippet in ("\xff", "\xe9"):  # as bytes that are not UTF-8
            new = text[:at].encode() + snippet.encode("latin-1") + text[at:].encode()
            must_fail = True
    elif kind == "dup-line":
        new = "".join(lines[: n + 1] + lines[n:])
        must_fail = n in key_lines(rel, text)
    elif kind == "drop-line":
        new = "".join(lines[:n] + lines[n + 1 :])
    elif kind == "indent":
        new = "".join(lines[:n] + ["   " + lines[n]] + lines[n + 1 :])
    elif kind == "bomb":
        new, must_fail = ALIAS_BOMB, True
    elif kind == "latin-1":
        new = text.encode("latin-1", "replace")
        must_fail = any(0x80 <= ord(c) <= 0xFF for c in text)  # written as bytes that are not UTF-8
    else:
        new, must_fail = text.encode("utf-16"), True
    return Mutation(
        f"{rel}: {kind} at {at if kind in ('truncate', 'insert') else n}",
        lambda d: replace_file(d / rel, new),
        must_fail,
    )


def whole_file(rng: random.Random, rels: list[str]) -> Mutation:
    """Files missing, misnamed, stray or replaced by a folder."""
    rel = rng.choice(rels)
    kind = rng.choice(["delete", "folder", "yml", "stray", "empty"])
    if kind == "delete":  # a chapter's file in either question bank may be absent; any other file may not
        return Mutation(
            f"{rel}: deleted", lambda d: (d / rel).unlink(), not rel.startswith(("questions/", "summative/"))
        )
    if kind == "folder":
        return Mutation(f"{rel}: a folder instead", lambda d: ((d / rel).unlink(), (d / rel).mkdir()), True)
    if kind == "empty":
        return Mutation(f"{rel}: emptied", lambda d: replace_file(d / rel, b""), True)
    if kind == "yml":
        chapter = rng.choice([r for r in rels if r.startswith("questions/")])
        return Mutation(
            f"{chapter}: renamed .yml",
            lambda d: (d / chapter).rename((d / chapter).with_suffix(".yml")),
            True,
        )
    where = rng.choice(["questions/extra.yml", "questions/notes.txt", "facts.yml", "timeline.json"])
    return Mutation(f"{where}: stray file", lambda d: replace_file(d / where, "- id: x\n"), True)


def mutations(rng: random.Random, pristine: Path, count: int) -> list[Mutation]:
    rels = sorted(str(p.relative_to(pristine)) for p in pristine.rglob("*") if p.is_file())
    data_files = [r for r in rels if r.endswith(".yaml")]
    texts = {r: (pristine / r).read_text(encoding="utf-8") for r in rels + ["../references.bib"]}
    docs = {r: yaml.safe_load(texts[r]) for r in data_files}
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.5:
            rel = rng.choice(data_files)
            out.append(structured(rng, rel, docs[rel]))
        elif roll < 0.9:
            rel = rng.choice(rels + ["../references.bib"])  # schemas and the bibliography too
            out.append(textual(rng, rel, texts[rel]))
        else:
            out.append(whole_file(rng, rels))
    return out


def link_copy(pristine: Path, dest: Path) -> Path:
    shutil.copytree(pristine, dest, copy_function=os.link)
    return dest


@pytest.mark.timeout(300)  # an alias bomb or a runaway loop fails here instead of hanging the suite
def test_every_mutation_of_the_data_loads_or_raises_a_short_data_error(tmp_path, capsys):
    pristine = tmp_path / "pristine" / "data"
    shutil.copytree(ROOT / "data", pristine)
    shutil.copy(ROOT / "references.bib", pristine.parent / "references.bib")
    load(pristine)  # the unmutated copy loads

    rng = random.Random(SEED)
    outcomes: Counter[str] = Counter()
    wrong = []
    for i, mutation in enumerate(mutations(rng, pristine, CASES)):
        base = tmp_path / f"case{i}"
        directory = link_copy(pristine, base / "data")
        os.link(pristine.parent / "references.bib", base / "references.bib")
        mutation.apply(directory)
        try:
            load(directory)
        except DataError as err:
            outcomes["DataError"] += 1
            message = str(err)
            if len(message) > MESSAGE_LIMIT or not (
                err.file.startswith("data/") or err.file == "references.bib"
            ):
                wrong.append(f"{mutation.what}: unhelpful DataError ({len(message)} chars): {message[:300]}")
        except Exception as exc:
            outcomes[type(exc).__name__] += 1
            wrong.append(f"{mutation.what}: {type(exc).__name__}: {str(exc)[:300]}")
        else:
            outcomes["loaded"] += 1
            if mutation.must_fail:
                wrong.append(f"{mutation.what}: loaded, but the data it leaves is bad")
        shutil.rmtree(base)
    with capsys.disabled():
        print(
            f"\nloader fuzz, seed {SEED}: {CASES} mutations: "
            + ", ".join(f"{k} {v}" for k, v in outcomes.most_common())
        )
    assert not wrong, "\n".join(wrong[:30])
    assert outcomes["DataError"] > CASES / 2  # the mutations do break the data, mostly
