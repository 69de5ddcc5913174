"""Threat-ranking quiz: put the survey's threats in the order Mexicans ranked them."""

from __future__ import annotations

import itertools
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


# Up to this many items, start_order examines every permutation; beyond it, a fixed run of shuffles.
_EXHAUSTIVE_UP_TO = 7
_SHUFFLES = 20_000


def _start_flaws(positions: list[int]) -> tuple[int, int, int]:
    """How far an order (given as each item's position in the answer) is from the ideal start.

    (gap, placed, runs), smaller is better, all 0 when ideal:
    gap, how much |concordant - discordant| exceeds the least the number of pairs allows (0, or 1
    when the number of pairs is odd), so gap 0 is a Kendall's tau as close to 0 as it can be;
    placed, items standing where the answer puts them or where its reverse does;
    runs, neighbors in the answer (either way round) left side by side.
    """
    n = len(positions)
    pairs = n * (n - 1) // 2
    concordant = sum(positions[i] < positions[j] for i in range(n) for j in range(i + 1, n))
    gap = abs(2 * concordant - pairs) - pairs % 2
    placed = sum(p in (i, n - 1 - i) for i, p in enumerate(positions))
    runs = sum(abs(a - b) == 1 for a, b in itertools.pairwise(positions))
    return gap, placed, runs


def start_order(correct: list[str], seed: int = 2012) -> list[str]:
    """The fixed order a ranking quiz opens in: as unrelated to the answer as the items allow.

    A start in the answer's order gives the answer away, and one in the reverse order (or close to
    either) tells the student to flip the list. So the start is the order, among those that are
    neither the answer nor (with three or more items) its reverse, with the fewest flaws in this
    order of priority (see _start_flaws):
    1. Kendall's tau against the answer as close to 0 as possible: 0 when the number of pairs
       n(n-1)/2 is even, +-1/(n(n-1)/2) when it is odd (+-1/21 for seven items), so about as many
       pairs stand in the right order as in the wrong one;
    2. no item where the answer puts it, or where the reversed answer does;
    3. no two items that are neighbors in the answer standing next to each other, so no run of
       the answer or of its reverse survives.
    Orders with equally few flaws are told apart by a generator seeded with `seed`, so the start is
    the same in the book, in every notebook and on every run. Up to _EXHAUSTIVE_UP_TO items every
    permutation is examined; beyond that, the best of a fixed run of seeded shuffles is taken
    (ideal orders are common among them). The result depends only on the answer and the seed, not
    on the order the items were given in.
    """
    n = len(correct)
    rng = random.Random(seed)
    identity, reverse = list(range(n)), list(range(n - 1, -1, -1))
    banned = [identity] + ([reverse] if n >= 3 else [])
    if n <= _EXHAUSTIVE_UP_TO:
        scored = [
            (_start_flaws(list(p)), list(p))
            for p in itertools.permutations(range(n))
            if list(p) not in banned
        ]
        least = min(flaws for flaws, _ in scored)
        best = rng.choice([p for flaws, p in scored if flaws == least])
    else:
        best, least, order = None, None, list(identity)
        for _ in range(_SHUFFLES):
            rng.shuffle(order)
            if order in banned:
                continue
            flaws = _start_flaws(order)
            if least is None or flaws < least:
                best, least = list(order), flaws
                if flaws == (0, 0, 0):
                    break
    return [correct[p] for p in best]


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

    def __init__(
        self,
        items,
        *,
        prompt: str,
        order=None,
        title: str = "Rank the threats",
        source_note: str = "",
        seed: int = 2012,
        **kwargs,
    ):
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
            # Fixed, so the book and every re-run open the same way; chosen to be neither the answer,
            # nor its reverse, nor correlated with either (see start_order).
            order = start_order(self._sorted_ids(items), seed)
        else:
            order = need_ids(order, "order", ids)
            if len(order) != len(ids):
                raise ValueError("order: must list every item exactly once")
        super().__init__(
            items=items,
            prompt=need_text(prompt, "prompt"),
            order=order,
            title=need_text(title, "title"),
            source_note=source_note,
            **kwargs,
        )

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
    def from_survey(cls, course: Course | None = None, threat_ids=None, **kwargs) -> RankingQuiz:
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
        kwargs.setdefault(
            "prompt",
            (
                f"Put these threats in the order respondents ranked them in the {course.survey['ranking_year']} "
                "survey, most serious first."
            ),
        )
        kwargs.setdefault(
            "source_note",
            (
                f"Source: {course.survey['name']}, as reported by Domínguez (2014). The paper does not give "
                f"ranks {missing}, so those threats are not in the quiz; the positions you compare are "
                "the order of the ranks it does give."
            ),
        )
        return cls(items, **kwargs)
