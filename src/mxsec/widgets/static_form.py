"""Static forms of the course widgets: the same exercise as plain, accessible HTML, rendered from the
state a widget embeds in the page (its synced traits), for readers without JavaScript, for print and
for the PDF and EPUB editions. mxsec.editions (the book's Sphinx extension) puts each form before
its widget's view, and the page's widget loader hides it once the live widget is on screen.

A form shows what the live widget shows before the reader does anything; what the widget shows only
after a check or a reveal (the survey's order, the paper's categories, the right options, feedback
and explanations) goes into a separate block that the book gathers at the end of the chapter.

Headings start at <h1> for the widget's title; the book shifts them to the depth of the section the
widget sits in. Every text from the state is escaped (Jinja's autoescape); a state that lacks what
a form needs raises ValueError naming the widget and the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)


def _number(x: int | float) -> str:
    """1200 -> "1,200", 0.5 -> "0.5", 3.0 -> "3"."""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return f"{x:,}"


def _years(span: dict) -> str:
    """As the timeline writes a span: "1991" or "1990–1999"."""
    start = span.get("year", span.get("start"))
    end = span.get("year_end", span.get("end", start))
    return str(start) if end in (None, start) else f"{start}\u2013{end}"


_env.filters["number"] = _number
_env.filters["years"] = _years
_env.filters["letter"] = lambda i: "abcdefghijklmnopqrstuvwxyz"[i] if i < 26 else str(i + 1)


@dataclass
class StaticForm:
    kind: str  # "RankingQuiz", "Timeline", "PolicySorter", "SelfCheck"
    title: str
    form: str  # HTML of the form, shown where the widget is
    answers: str | None  # HTML of what the widget shows only after answering, or None


class _State:
    """Typed access to a widget's state, with errors that name the widget and the field."""

    def __init__(self, state: dict, where: str):
        if not isinstance(state, dict):
            raise ValueError(f"{where}: the widget state is not a mapping")
        self.state, self.where = state, where

    def get(self, path: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        value: Any = self.state
        for step in path.split("."):
            if isinstance(value, dict) and step in value:
                value = value[step]
            elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
                value = value[int(step)]
            elif default is not ...:
                return default
            else:
                raise ValueError(f"{self.where}: the widget state has no {path}")
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            raise ValueError(f"{self.where}.{path}: expected {_names(kind)}, got {value!r}")
        return value

    def text(self, path: str, default: Any = ...) -> str:
        return self.get(path, str, default)

    def records(
        self,
        path: str,
        texts: tuple[str, ...] = (),
        optional: tuple[str, ...] = (),
        defaults: dict[str, Any] | None = None,
    ) -> list[dict]:
        """Copies of a list of mappings, each with the named text fields, the optional text fields
        checked when present and None when not, and `defaults` for other missing keys."""
        records = self.get(path, list)
        out = []
        for i, rec in enumerate(records):
            if not isinstance(rec, dict):
                raise ValueError(f"{self.where}.{path}[{i}]: expected a mapping, got {rec!r}")
            for field in texts:
                self.text(f"{path}.{i}.{field}")
            for field in optional:
                if rec.get(field) is not None:
                    self.text(f"{path}.{i}.{field}")
            out.append({**dict.fromkeys(optional), **(defaults or {}), **rec})
        return out


def _tuple(kind):
    return kind if isinstance(kind, tuple) else (kind,)


def _names(kind) -> str:
    return " or ".join(k.__name__ for k in _tuple(kind))


def _ranking_quiz(s: _State) -> dict:
    items = s.records("items", texts=("id", "label"), optional=("note",))
    for i in range(len(items)):
        s.get(f"items.{i}.rank", int)
    by_id = {it["id"]: it for it in items}
    order = s.get("order", list)
    if sorted(order) != sorted(by_id) or len(set(order)) != len(order):
        raise ValueError(f"{s.where}.order: must list every item's id once, got {order!r}")
    return {
        "prompt": s.text("prompt"),
        "source_note": s.text("source_note", ""),
        "start": [by_id[i] for i in order],
        "answer": sorted(items, key=lambda it: it["rank"]),
    }


_MONTHS = "January February March April May June July August September October November December".split()


def _day_month(day: str) -> str:
    """ "2000-11-30" -> "30 November"."""
    _, month, date = map(int, day.split("-"))
    return f"{date} {_MONTHS[month - 1]}"


def _terms(admins: list[dict]) -> str:
    """When terms run, from the administrations' first and last days, where all share them: "terms
    run from 1 December to 30 November"; nothing where the days differ or are not given."""
    firsts = {_day_month(a["took_office"]) for a in admins if a.get("took_office")}
    lasts = {_day_month(a["left_office"]) for a in admins if a.get("left_office")}
    if len(firsts) == len(lasts) == 1 and all(a.get("took_office") and a.get("left_office") for a in admins):
        return f"terms run from {firsts.pop()} to {lasts.pop()}"
    return ""


def _timeline(s: _State) -> dict:
    labels = s.get("category_labels", dict)
    events = s.records(
        "events",
        texts=("id", "title", "category"),
        optional=("description", "note", "when_stated"),
        defaults={"year_end": None, "approximate": False, "context": False, "facts": []},
    )
    for i, ev in enumerate(events):
        s.get(f"events.{i}.year", int)
        if ev["category"] not in labels:
            raise ValueError(
                f"{s.where}.events[{i}].category: {ev['category']!r} has no label in category_labels"
            )
        for j, _ in enumerate(s.get(f"events.{i}.facts", list, [])):
            s.text(f"events.{i}.facts.{j}")
    periods = s.records(
        "periods", texts=("name",), optional=("summary", "boundary_note", "start_stated", "end_stated")
    )
    admins = s.records(
        "administrations",
        texts=("president",),
        optional=("party", "note", "took_office", "left_office"),
        defaults={"in_paper": False},
    )
    for kind, records in (("periods", periods), ("administrations", admins)):
        for i in range(len(records)):
            s.get(f"{kind}.{i}.start", int)
            s.get(f"{kind}.{i}.end", int)
    return {
        "labels": labels,
        "terms": _terms(admins),
        "periods": periods,
        "administrations": admins,
        "events": sorted(events, key=lambda ev: ev["year"]),
    }


def _policy_sorter(s: _State) -> dict:
    categories = s.records("categories", texts=("id", "label", "definition"))
    labels = {c["id"]: c["label"] for c in categories}
    items = s.records("items", texts=("id", "label", "category", "feedback"))
    for i, it in enumerate(items):
        if it["category"] not in labels:
            raise ValueError(
                f"{s.where}.items[{i}].category: {it['category']!r} is not one of the categories"
            )
    return {"prompt": s.text("prompt"), "categories": categories, "items": items, "labels": labels}


def _self_check(s: _State) -> dict:
    questions = s.records("questions", texts=("id", "type", "prompt", "explanation"))
    for i, q in enumerate(questions):
        if q["type"] in ("single", "multiple"):
            q["options"] = s.records(f"questions.{i}.options", texts=("text",), optional=("feedback",))
            for j in range(len(q["options"])):
                s.get(f"questions.{i}.options.{j}.correct", bool)
            if not any(o["correct"] for o in q["options"]):
                raise ValueError(f"{s.where}.questions[{i}].options: no option is marked correct")
        elif q["type"] == "numeric":
            q.update(
                answer=s.get(f"questions.{i}.answer", (int, float)),
                tolerance=s.get(f"questions.{i}.tolerance", (int, float), 0),
                unit=s.text(f"questions.{i}.unit", ""),
            )
        else:
            raise ValueError(
                f"{s.where}.questions[{i}].type: {q['type']!r} is not single, multiple or numeric"
            )
    return {"questions": questions}


# The widget classes, by the `_anywidget_id` their state carries, and how to read each one's state.
KINDS: dict[str, tuple[str, Callable[[_State], dict]]] = {
    "mxsec.widgets.ranking_quiz.RankingQuiz": ("RankingQuiz", _ranking_quiz),
    "mxsec.widgets.timeline.Timeline": ("Timeline", _timeline),
    "mxsec.widgets.policy_sorter.PolicySorter": ("PolicySorter", _policy_sorter),
    "mxsec.widgets.self_check.SelfCheck": ("SelfCheck", _self_check),
}
_TEMPLATE = {
    "RankingQuiz": "ranking_quiz.html",
    "Timeline": "timeline.html",
    "PolicySorter": "policy_sorter.html",
    "SelfCheck": "self_check.html",
}


def is_course_widget(state: dict) -> bool:
    return isinstance(state, dict) and state.get("_anywidget_id") in KINDS


def render(state: dict, *, id: str, where: str = "widget") -> StaticForm:
    """The static form of one course widget from its state.

    `id` is the form's element id (unique in the book); its answers block gets `<id>-answers`.
    `where` names the widget in error messages (e.g. "book/assurance.ipynb, widget 2").
    """
    if not re.fullmatch(r"[A-Za-z][\w-]*", id):
        raise ValueError(f"{where}: {id!r} is not a usable element id")
    s = _State(state, where)
    anywidget_id = s.text("_anywidget_id")
    if anywidget_id not in KINDS:
        raise ValueError(f"{where}: {anywidget_id!r} is not a course widget with a static form")
    kind, read = KINDS[anywidget_id]
    context = {"id": id, "title": s.text("title"), **read(s)}
    template = _env.get_template(_TEMPLATE[kind])
    form = _macro(template, "form", context)
    answers = _macro(template, "answers", context)
    return StaticForm(kind, context["title"], form.strip(), answers.strip() or None)


def _macro(template: jinja2.Template, name: str, context: dict) -> str:
    return str(getattr(template.make_module(context), name)())


def answers_section(
    blocks: list[str], *, id: str, heading: str = "Answers to this chapter's exercises"
) -> str:
    """The chapter's closing section holding each widget's answers block (already HTML)."""
    blocks = [shift_headings(block, 1) for block in blocks]
    return _env.get_template("answers.html").render(id=id, heading=heading, blocks=blocks).strip()


_HEADING = re.compile(r"<(/?)h([1-6])\b")


def shift_headings(html: str, by: int) -> str:
    """The HTML with every heading `by` levels deeper (h1 -> h3 for 2), no deeper than h6.

    Only for HTML made here: text from data is escaped, so a `<h` in it is always a tag.
    """
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + by)}", html)
