"""Policy sorter: place the paper's policies into assurance, prevention, protection or compellence."""

from __future__ import annotations

import traitlets

from ..data import Course, load
from ._base import CourseWidget, css, esm, need_ids, need_records, need_text


class PolicySorter(CourseWidget):
    """Sort items into categories by drag and drop or keyboard; check; feedback on each misplaced item.

    Synced back: `placements` ({item id: category id}), `checked`, `score` (items placed right,
    once checked).
    """

    _esm = esm("policy-sorter")
    _css = css("policy-sorter")

    prompt = traitlets.Unicode("").tag(sync=True)
    categories = traitlets.List(traitlets.Dict()).tag(sync=True)
    items = traitlets.List(traitlets.Dict()).tag(sync=True)
    placements = traitlets.Dict().tag(sync=True)
    checked = traitlets.Bool(False).tag(sync=True)
    score = traitlets.Int(None, allow_none=True).tag(sync=True)

    def __init__(self, categories, items, *, prompt: str, title: str = "Sort the policies", **kwargs):
        categories = need_records(categories, "categories", {"id": str, "label": str, "definition": str})
        if len(categories) < 2:
            raise ValueError("categories: sorting needs at least two categories")
        category_ids = need_ids([c["id"] for c in categories], "categories.id")
        items = need_records(items, "items", {"id": str, "label": str, "category": str, "feedback": str})
        need_ids([it["id"] for it in items], "items.id")
        for i, it in enumerate(items):
            if it["category"] not in category_ids:
                raise ValueError(
                    f"items[{i}].category: {it['category']!r} is not one of {', '.join(category_ids)}"
                )
        super().__init__(
            categories=categories,
            items=items,
            prompt=need_text(prompt, "prompt"),
            title=need_text(title, "title"),
            **kwargs,
        )

    @classmethod
    def from_data(cls, course: Course | None = None, policy_ids=None, **kwargs) -> PolicySorter:
        """Policies from data/policies.yaml (all, or those named), each pointing to its chapter."""
        course = course or load()
        chapters = {c["id"]: c["chapter"] for c in course.categories}
        policies = course.policies
        if policy_ids is not None:
            wanted = need_ids(policy_ids, "policy_ids", [p["id"] for p in policies])
            policies = [p for p in policies if p["id"] in wanted]
        items = [
            {
                "id": p["id"],
                "label": p["label"],
                "category": p["category"],
                "feedback": p["feedback"],
                "chapter": chapters[p["category"]],
            }
            for p in policies
        ]
        categories = [
            {"id": c["id"], "label": c["label"], "definition": c["definition"], "chapter": c["chapter"]}
            for c in course.categories
        ]
        kwargs.setdefault(
            "prompt",
            "Place each policy or action in the category of security governance the paper files it under.",
        )
        return cls(categories, items, **kwargs)
