"""The one rubric scale of the course, shared by the essays of both question banks (data/questions/,
data/summative/, field `rubric`) and the essays of the exercise notebooks (one nbgrader task cell per
criterion, see mxsec.exercises).

A rubric is a list of criteria, each scored on its own, at one of three levels:

- **Strong** earns all of the criterion's points;
- **Adequate** earns half of them, rounded down; a criterion worth 2 points has no Adequate level;
- **Weak** earns nothing.

A criterion is worth 2 points or more, and the rubric's total is the sum of its criteria's points
(the points of their Strong levels). `check` enforces all of this and names the rubric, the criterion
and the field when a rubric departs from it.
"""

from __future__ import annotations

__all__ = ["LABELS", "SCALE_MARKDOWN", "RubricError", "check", "check_criterion", "levels_for", "total"]

LABELS = ("Strong", "Adequate", "Weak")

SCALE_MARKDOWN = (
    "Each criterion is scored on its own, at one of three levels: **Strong** earns all of its points, "
    "**Adequate** half of them rounded down (a criterion worth 2 points has no Adequate level), "
    "**Weak** none. The essay's total is the sum of its criteria's points."
)


class RubricError(ValueError):
    """A rubric that departs from the course's scale; the message names the rubric, criterion and field."""


def levels_for(points: int) -> list[tuple[str, int]]:
    """The levels of a criterion worth `points`, best first: [("Strong", 4), ("Adequate", 2), ("Weak", 0)]."""
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise ValueError(f"a criterion is worth a whole number of points, 2 or more (got {points!r})")
    adequate = [("Adequate", points // 2)] if points >= 3 else []
    return [("Strong", points), *adequate, ("Weak", 0)]


def _whole(value) -> int | None:
    """`value` as an int if it is a whole number (4 or 4.0), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        return None
    return int(value)


def check(rubric: list[dict], where: str) -> int:
    """Check that `rubric` (criteria as in the banks: {"criterion", "levels": [{"label", "points",
    "descriptor"}]}) follows the course's scale; return its total. `where` names the rubric in errors,
    e.g. "data/questions/compellence.yaml: question comp-essay-isolationism"."""
    if not isinstance(rubric, list) or len(rubric) < 2:
        raise RubricError(f"{where}, field 'rubric': an essay's rubric has two criteria or more")
    seen = set()
    for n, criterion in enumerate(rubric, 1):
        name = check_criterion(criterion, where, n)
        if name in seen:
            raise RubricError(f"{where}, field 'rubric': the criterion {name!r} appears twice")
        seen.add(name)
    return total(rubric)


def check_criterion(criterion: dict, where: str, n: int = 1) -> str:
    """Check one criterion ({"criterion", "levels"}) against the scale; return its name."""
    name = criterion.get("criterion") if isinstance(criterion, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise RubricError(f"{where}, field 'rubric', criterion {n}: no name (field 'criterion')")
    levels = criterion.get("levels")
    label = f"{where}, criterion {name!r}, field 'levels'"
    if not isinstance(levels, list) or not levels or not all(isinstance(lv, dict) for lv in levels):
        raise RubricError(f"{label}: a list of levels, each with a label, points and a descriptor")
    top = _whole(levels[0].get("points"))
    if top is None or top < 2:
        raise RubricError(
            f"{label}: the first level must be Strong, worth a whole number of points, 2 or more "
            f"(got {levels[0].get('points')!r})"
        )
    expected = levels_for(top)
    got = [(lv.get("label"), _whole(lv.get("points"))) for lv in levels]
    if got != expected:
        shown = ", ".join(f"{lab} {pts}" for lab, pts in expected)
        found = ", ".join(f"{lv.get('label')} {lv.get('points')}" for lv in levels)
        raise RubricError(f"{label}: {found}; the course's scale gives a {top}-point criterion {shown}")
    for lv in levels:
        if not isinstance(lv.get("descriptor"), str) or not lv["descriptor"].strip():
            raise RubricError(f"{label}: the level {lv['label']} has no descriptor")
    return name


def total(rubric: list[dict]) -> int:
    """The points a rubric gives in all: the sum of its criteria's top levels."""
    return sum(int(max(lv["points"] for lv in c["levels"])) for c in rubric)
