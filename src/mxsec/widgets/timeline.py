"""Timeline slider: a year, its period in the paper's scheme, the president in office, the events."""

from __future__ import annotations

import traitlets

from ..data import Course, describe_fact, load
from ._base import CourseWidget, css, esm, need_ids, need_records


class Timeline(CourseWidget):
    """Year slider with play/pause over the dated events, periods drawn as bands, a category filter.

    Synced back: `year` (the year shown), `categories` (the categories ticked), `playing`.
    """

    _esm = esm("timeline")
    _css = css("timeline")

    events = traitlets.List(traitlets.Dict()).tag(sync=True)
    periods = traitlets.List(traitlets.Dict()).tag(sync=True)
    administrations = traitlets.List(traitlets.Dict()).tag(sync=True)
    category_labels = traitlets.Dict().tag(sync=True)
    start = traitlets.Int().tag(sync=True)
    end = traitlets.Int().tag(sync=True)
    year = traitlets.Int().tag(sync=True)
    categories = traitlets.List(traitlets.Unicode()).tag(sync=True)
    playing = traitlets.Bool(False).tag(sync=True)

    def __init__(
        self,
        events,
        periods,
        administrations,
        *,
        start=None,
        end=None,
        year=None,
        category_labels=None,
        categories=None,
        title=None,
        **kwargs,
    ):
        """`start` and `end` default to the years the periods cover, `title` to "Timeline, <start>–<end>",
        `category_labels` ({id: label}, in the filter's order) to the course's timeline categories
        (data/policies.yaml), `categories` (those ticked) to all of them."""
        periods = need_records(
            periods, "periods", {"id": str, "number": int, "name": str, "start": int, "end": int}
        )
        if start is None:
            start = min((p["start"] for p in periods), default=None)
        if end is None:
            end = max((p["end"] for p in periods), default=None)
        if category_labels is None:
            category_labels = {c["id"]: c["label"] for c in load().timeline_categories}
        if not isinstance(category_labels, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v for k, v in category_labels.items()
        ):
            raise ValueError(f"category_labels: expected {{category id: label}}, got {category_labels!r}")
        known = tuple(category_labels)
        for name, val in (("start", start), ("end", end)):
            if not isinstance(val, int) or isinstance(val, bool):
                raise ValueError(f"{name}: expected a year as an integer, got {val!r}")
        if end <= start:
            raise ValueError(f"end: must be after start ({start}), got {end}")
        year = start if year is None else year
        if not isinstance(year, int) or isinstance(year, bool) or not start <= year <= end:
            raise ValueError(f"year: expected an integer from {start} to {end}, got {year!r}")
        categories = need_ids(known if categories is None else categories, "categories", known)
        events = need_records(events, "events", {"id": str, "year": int, "title": str, "category": str})
        for i, ev in enumerate(events):
            if ev["category"] not in known:
                raise ValueError(f"events[{i}].category: {ev['category']!r} is not one of {', '.join(known)}")
            if not start <= ev["year"] <= end:
                raise ValueError(f"events[{i}].year: {ev['year']} is outside {start}-{end}")
        need_ids([ev["id"] for ev in events], "events.id")
        administrations = need_records(
            administrations,
            "administrations",
            {"id": str, "president": str, "start": int, "end": int, "in_paper": bool},
        )
        super().__init__(
            events=events,
            periods=periods,
            administrations=administrations,
            start=start,
            end=end,
            year=year,
            categories=categories,
            category_labels=dict(category_labels),
            title=f"Timeline, {start}\u2013{end}" if title is None else title,
            **kwargs,
        )

    @classmethod
    def from_data(cls, course: Course | None = None, **kwargs) -> Timeline:
        """Every dated event in data/timeline.yaml, with the facts it refers to spelled out, over the
        years the periods cover, with the categories' labels from data/policies.yaml."""
        course = course or load()
        kwargs.setdefault("category_labels", {c["id"]: c["label"] for c in course.timeline_categories})
        events = []
        for ev in course.events:
            item = {
                k: ev[k] for k in ("id", "year", "title", "description", "category", "section") if k in ev
            }
            for key in ("year_end", "date", "when_stated", "note"):
                if key in ev:
                    item[key] = ev[key]
            item["approximate"] = bool(ev.get("approximate"))
            item["context"] = bool(ev.get("context"))
            item["facts"] = [
                describe_fact(course.get(f)) for f in ev.get("facts", []) if course.kind_of[f] == "fact"
            ]
            events.append(item)
        periods = [
            {
                k: p[k]
                for k in (
                    "id",
                    "number",
                    "name",
                    "start",
                    "end",
                    "start_stated",
                    "end_stated",
                    "boundary_note",
                    "summary",
                )
            }
            for p in course.periods
        ]
        admins = []
        for a in course.administrations:
            if a["end"] < kwargs.get("start", course.span[0]):
                continue
            keys = ("id", "president", "party", "start", "end", "took_office", "left_office", "in_paper")
            item = {k: a[k] for k in keys}
            if "note" in a:
                item["note"] = a["note"]
            admins.append(item)
        return cls(events, periods, admins, **kwargs)
