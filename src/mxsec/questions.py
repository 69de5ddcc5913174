"""The question banks: their files, and each question checked against the rest of the data and
given what it needs to be asked and marked (the answer of a numeric question, the order of an
ordering one, a matching question's pairs, an essay's top mark)."""

from __future__ import annotations

import math
from pathlib import Path

from .schema import DataError, _fail

# The two question banks, one file per chapter in each, same schema: the self-checks the book shows
# (also exported as practice quizzes), and the summative bank, for learning platforms only and never
# rendered in the student edition. A missing summative folder is an empty bank.
BANKS = {"questions": "questions", "summative": "summative"}


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


def read_banks(directory: Path, read) -> dict[str, list[tuple[Path, dict]]]:
    """Each bank's questions as (file, record), read with `read(directory, schema, path)`: one schema
    for both banks."""
    return {
        bank: [
            (path, q) for path in _question_files(directory, bank) for q in read(directory, "questions", path)
        ]
        for bank in BANKS
    }


def resolve_banks(
    directory: Path, raw: dict[str, list[tuple[Path, dict]]], by_id: dict, kind_of: dict, where: dict
) -> dict[str, list[dict]]:
    """Both banks checked and resolved once every other id is known; ids are unique across data/,
    both banks included. The questions join `by_id`, `kind_of` and `where`."""
    resolved: dict[str, list[dict]] = {}
    for bank, questions in raw.items():
        resolved[bank] = []
        for qpath, q in questions:
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
    return resolved
