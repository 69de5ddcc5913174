"""The texts each course widget shows a reader, read from the widget state embedded in a built page.

Written from what the widgets' front ends put on screen (src/mxsec/static/*.js): titles, prompts,
labels, options, notes, feedback and explanations, including what appears only after a check or a
reveal. The static forms of the widgets are checked against this list, and
benchmarks/widget_text.py counts how many of these texts a reader sees without JavaScript.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

STATE = "application/vnd.jupyter.widget-state+json"
VIEW = "application/vnd.jupyter.widget-view+json"

# Where each widget keeps the texts it shows: a list of dotted paths, `[]` stepping into a list.
FIELDS = {
    "RankingQuiz": ["title", "prompt", "source_note", "items[].label", "items[].note"],
    "Timeline": [
        "title",
        "periods[].name",
        "periods[].summary",
        "periods[].boundary_note",
        "periods[].start_stated",
        "periods[].end_stated",
        "administrations[].president",
        "administrations[].party",
        "administrations[].note",
        "events[].title",
        "events[].description",
        "events[].facts[]",
        "events[].note",
        "events[].when_stated",
        "category_labels{}",
    ],
    "PolicySorter": [
        "title",
        "prompt",
        "categories[].label",
        "categories[].definition",
        "items[].label",
        "items[].feedback",
    ],
    "SelfCheck": [
        "title",
        "questions[].prompt",
        "questions[].options[].text",
        "questions[].options[].feedback",
        "questions[].unit",
        "questions[].explanation",
    ],
}
# Of these, what the live widget shows only once the reader has answered, checked or revealed:
# the static form keeps it out of the widget and gives it with the chapter's answers.
AFTER_ANSWERING = {
    "RankingQuiz": ["items[].note"],
    "Timeline": [],
    "PolicySorter": ["items[].feedback"],
    "SelfCheck": ["questions[].options[].feedback", "questions[].explanation"],
}


@dataclass
class Widget:
    model_id: str
    kind: str  # RankingQuiz, Timeline, PolicySorter, SelfCheck
    state: dict

    def texts(self, answers: bool | None = None) -> list[str]:
        """The widget's texts; with answers=False only those shown before answering, with True
        only those shown after."""
        paths = FIELDS[self.kind]
        if answers is not None:
            paths = [p for p in paths if (p in AFTER_ANSWERING[self.kind]) == answers]
        found = []
        for path in paths:
            found += [t for t in _walk(self.state, path.split(".")) if isinstance(t, str) and t.strip()]
        return found


def _walk(value, steps):
    if not steps:
        yield value
        return
    step, rest = steps[0], steps[1:]
    name = step.rstrip("[]{}")
    inner = value.get(name) if isinstance(value, dict) else None
    if inner is None:
        return
    if step.endswith("[]"):
        for item in inner:
            yield from _walk(item, rest)
    elif step.endswith("{}"):
        for item in inner.values():
            yield from _walk(item, rest)
    else:
        yield from _walk(inner, rest)


def widgets(html: str) -> list[Widget]:
    """The course widgets a built page embeds, in the order of their views on the page."""
    soup = BeautifulSoup(html, "html.parser")
    states = {}
    for script in soup.select(f'script[type="{STATE}"]'):
        states.update(json.loads(script.string or "{}").get("state", {}))
    found = []
    for script in soup.select(f'script[type="{VIEW}"]'):
        model_id = json.loads(script.string)["model_id"]
        state = states[model_id]["state"]
        kind = str(state.get("_anywidget_id", "")).rsplit(".", 1)[-1]
        if kind in FIELDS:
            found.append(Widget(model_id, kind, state))
    return found


def normalize(text: str) -> str:
    """Text compared as a reader sees it: runs of white space as one space."""
    return re.sub(r"\s+", " ", text).strip()


def missing(texts: list[str], page_text: str) -> list[str]:
    """The texts not found, whole, in the page's text."""
    shown = normalize(page_text)
    return [t for t in texts if normalize(t) not in shown]


def site_widgets(site: Path, docnames: list[str]) -> dict[str, list[Widget]]:
    return {d: widgets((site / f"{d}.html").read_text(encoding="utf-8")) for d in docnames}
