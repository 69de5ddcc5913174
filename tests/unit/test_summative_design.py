"""The summative bank as a test: its keys cannot be spotted without reading the options.

A graded pool in which the right option is usually the longest (the hedges and qualifications of
a careful key make it so) rewards test-wise guessing. In each chapter, at most a third of the
single-answer questions (rounded up) may have their correct option as the strictly longest one.
"""

from __future__ import annotations

import math

import pytest

from mxsec.chapters import slugs
from mxsec.data import load


def longest_is_key(question: dict) -> bool:
    lengths = [len(" ".join(o["text"].split())) for o in question["options"]]
    key = next(i for i, o in enumerate(question["options"]) if o["correct"])
    return all(lengths[key] > n for i, n in enumerate(lengths) if i != key)


def test_the_length_rule_sees_a_longest_key():
    long_key = {"options": [{"text": "a b c d e", "correct": True}, {"text": "a", "correct": False}]}
    tie = {"options": [{"text": "abc", "correct": True}, {"text": "xyz", "correct": False}]}
    assert longest_is_key(long_key) and not longest_is_key(tie)


@pytest.mark.parametrize("chapter", slugs())
def test_the_key_is_not_the_tell_tale_longest_option(chapter):
    singles = [q for q in load().summative_for(chapter) if q["type"] == "single"]
    assert singles, f"{chapter}: no single-answer question in the summative bank"
    flagged = [q["id"] for q in singles if longest_is_key(q)]
    allowed = math.ceil(len(singles) / 3)
    assert len(flagged) <= allowed, (
        f"{chapter}: the correct option is the longest in {len(flagged)} of {len(singles)} single-answer "
        f"questions (at most {allowed}): {', '.join(flagged)}"
    )


def test_the_exported_summative_options_carry_no_position_cue():
    """The bank's authors mostly list the key first; the summative export shuffles each question's
    options (the same way every time), so no position holds most of the keys."""
    from collections import Counter

    from mxsec.export._bank import build

    def positions():
        return [
            next(i for i, o in enumerate(item.options) if o.correct)
            for chapter in build(bank="summative")
            for item in chapter.items
            if item.type == "single"
        ]

    course = load()
    authored = [
        next(i for i, o in enumerate(q["options"]) if o["correct"])
        for c in slugs()
        for q in course.summative_for(c)
        if q["type"] == "single"
    ]
    exported = positions()
    assert len(exported) == len(authored) and exported != authored  # the export reorders
    assert max(Counter(exported).values()) <= len(exported) / 2
    assert positions() == exported  # the same file on every export
