"""Threat-ranking quiz: put the survey's threats in the order Mexicans ranked them."""

from __future__ import annotations

import random

import traitlets

from ..data import Course, load, ordinal
from ._base import CourseWidget, css, esm, need_ids, need_records, need_text


def kendall_tau(order: list[str], correct: list[str]) -> float:
    """Kendall's tau-a between two orderings of the same items: 1 same order, -1 reversed.

    The front end computes the same statistic (static/ranking-quiz.js); both are tested on the
    shared vectors in tests/vectors/kendall_tau.json.
    """
    if sorted(order) != sorted(correct) or len(set(order)) != len(order):
        raise ValueError("order: must be a permutation of the correct order's items")
    n = len(order)
    if n < 2:
        raise ValueError("order: needs at least two items")
    position = {item: i for i, item in enumerate(correct)}
    ranks = [position[item] for item in order]
    concordant = discordant = 0
    for i in range(n):
        for j in range(i + 1, n):
            if ranks[i] < ranks[j]:
                concordant += 1
            else:
                discordant += 1
    return (concordant - discordant) / (n * (n - 1) / 2)


class RankingQuiz(CourseWidget):
    """Order items (by drag and drop or keyboard), check, get feedback per item and a tau score.

    items: [{"id", "label", "rank", "note"?}], `rank` being the item's true rank (e.g. the 2012
    survey rank); items are correct in ascending rank. What the student does is synced back:
    `order` (ids, top first), `checked`, `score` (Kendall's tau once checked), `revealed`.
    """

    _esm = esm("ranking-quiz")
    _css = css("ranking-quiz")

    prompt = traitlets.Unicode("").tag(sync=True)
    items = traitlets.List(traitlets.Dict()).tag(sync=True)
    source_note = traitlets.Unicode("").tag(sync=True)
    order = traitlets.List(traitlets.Unicode()).tag(sync=True)
    checked = traitlets.Bool(False).tag(sync=True)
    revealed = traitlets.Bool(False).tag(sync=True)
    score = traitlets.Float(None, allow_none=True).tag(sync=True)

    def __init__(self, items, *, prompt: str, order=None, title: str = "Rank the threats",
                 source_note: str = "", seed: int = 2012, **kwargs):
        items = need_records(items, "items", {"id": str, "label": str, "rank": int})
        if len(items) < 2:
            raise ValueError("items: a ranking needs at least two items")
        ids = need_ids([it["id"] for it in items], "items.id")
        ranks = [it["rank"] for it in items]
        if len(set(ranks)) != len(ranks):
            raise ValueError("items.rank: two items share a rank, so no single order is right")
        for i, it in enumerate(items):
            if it["rank"] < 1:
                raise ValueError(f"items[{i}].rank: must be 1 or more, got {it['rank']}")
            if "note" in it:
                need_text(it["note"], f"items[{i}].note")
        if order is None:
            # A fixed shuffle, so the book and every re-run show the same starting order,
            # never the answer itself.
            order, rng = list(ids), random.Random(seed)
            while order == self._sorted_ids(items):
                rng.shuffle(order)
        else:
            order = need_ids(order, "order", ids)
            if len(order) != len(ids):
                raise ValueError("order: must list every item exactly once")
        super().__init__(items=items, prompt=need_text(prompt, "prompt"), order=order,
                         title=need_text(title, "title"), source_note=source_note, **kwargs)

    @staticmethod
    def _sorted_ids(items) -> list[str]:
        return [it["id"] for it in sorted(items, key=lambda it: it["rank"])]

    @property
    def correct_order(self) -> list[str]:
        return self._sorted_ids(self.items)

    def current_score(self) -> float:
        """Kendall's tau of the current order against the correct one (whether or not checked)."""
        return kendall_tau(list(self.order), self.correct_order)

    @classmethod
    def from_survey(cls, course: Course | None = None, threat_ids=None, **kwargs) -> "RankingQuiz":
        """The 2012 threat ranking, with only the ranks the paper states."""
        course = course or load()
        threats = course.threats
        if threat_ids is not None:
            wanted = need_ids(threat_ids, "threat_ids", [t["id"] for t in threats])
            threats = [t for t in threats if t["id"] in wanted]
        items = []
        for t in threats:
            note = f"Ranked {ordinal(t['rank'])} in the {course.survey['ranking_year']} survey."
            if "grave_share" in t:
                note += f" {t['grave_share']:g}% of respondents called it a grave threat."
            if "paper_note" in t:
                note += " " + t["paper_note"]
            items.append({"id": t["id"], "label": t["label"], "rank": t["rank"], "note": note})
        missing = ", ".join(str(r) for r in course.survey["ranks_not_given"])
        kwargs.setdefault("prompt", (
            f"Put these threats in the order respondents ranked them in the {course.survey['ranking_year']} "
            "survey, most serious first."))
        kwargs.setdefault("source_note", (
            f"Source: {course.survey['name']}, as reported by Domínguez (2014). The paper does not give "
            f"ranks {missing}, so those threats are not in the quiz; the positions you compare are "
            "the order of the ranks it does give."))
        return cls(items, **kwargs)
