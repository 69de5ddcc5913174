"""The widget classes: strict validation naming the field, constructors from the course data,
synced traits, their static files, and the statistics shared with the front end."""

from __future__ import annotations

import itertools
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from mxsec.data import load
from mxsec.widgets import PolicySorter, RankingQuiz, SelfCheck, Timeline, _base, kendall_tau
from mxsec.widgets._base import STATIC
from mxsec.widgets.ranking_quiz import start_order

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"
XSS = "<img src=x onerror=alert(1)>"
# The stems of the widgets' static files (<stem>.js, <stem>.css); each CSS is scoped under .mxsec-<stem>
# (and widget-base.css, which every widget's CSS starts with, under .mxsec-widget).
STEMS = ["ranking-quiz", "timeline", "policy-sorter", "self-check"]


def vectors(name: str) -> dict:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def raises(field: str):
    """ValueError whose message starts with the field's name."""
    return pytest.raises(ValueError, match=rf"^{re.escape(field)}:")


# ------------------------------------------------------------------ shared data for the checks
ITEMS = [
    {"id": "a", "label": "A", "rank": 1},
    {"id": "b", "label": "B", "rank": 2},
    {"id": "c", "label": "C", "rank": 3},
]
CATEGORIES = [{"id": "x", "label": "X", "definition": "Ex."}, {"id": "y", "label": "Y", "definition": "Why."}]
POLICIES = [{"id": "p", "label": "P", "category": "x", "feedback": "Because."}]
EVENTS = [{"id": "e", "year": 1950, "title": "E", "category": "domestic"}]
PERIODS = [{"id": "p1", "number": 1, "name": "One", "start": 1945, "end": 2013}]
ADMINS = [{"id": "a1", "president": "Someone", "start": 1940, "end": 2018, "in_paper": True}]


def single(**changes) -> dict:
    q = {
        "id": "q",
        "type": "single",
        "prompt": "Which?",
        "explanation": "Because.",
        "options": [{"text": "Yes", "correct": True}, {"text": "No", "correct": False}],
    }
    return {**q, **changes}


def numeric(**changes) -> dict:
    q = {
        "id": "n",
        "type": "numeric",
        "prompt": "How many?",
        "explanation": "Count.",
        "answer": 1200,
        "tolerance": 10,
        "unit": "people",
    }
    return {**q, **changes}


# ------------------------------------------------------------------ validation
@pytest.mark.parametrize(
    "build, field",
    [
        (lambda: RankingQuiz([], prompt="P"), "items"),
        (lambda: RankingQuiz(ITEMS[:1], prompt="P"), "items"),
        (lambda: RankingQuiz(ITEMS + [dict(ITEMS[0], rank=9)], prompt="P"), "items.id"),
        (lambda: RankingQuiz([ITEMS[0], dict(ITEMS[1], rank=1)], prompt="P"), "items.rank"),
        (lambda: RankingQuiz([dict(ITEMS[0], rank=0), ITEMS[1]], prompt="P"), "items[0].rank"),
        (lambda: RankingQuiz([dict(ITEMS[0], rank="1"), ITEMS[1]], prompt="P"), "items[0].rank"),
        (lambda: RankingQuiz([dict(ITEMS[0], label=""), ITEMS[1]], prompt="P"), "items[0].label"),
        (lambda: RankingQuiz([dict(ITEMS[0], note="  "), ITEMS[1]], prompt="P"), "items[0].note"),
        (lambda: RankingQuiz(ITEMS, prompt=""), "prompt"),
        (lambda: RankingQuiz(ITEMS, prompt="P", order=["a", "b"]), "order"),
        (lambda: RankingQuiz(ITEMS, prompt="P", order=["a", "b", "z"]), "order[2]"),
        (lambda: RankingQuiz(ITEMS, prompt="P", order=["a", "a", "b"]), "order"),
        (lambda: RankingQuiz(ITEMS, prompt="P", order="abc"), "order"),
    ],
)
def test_ranking_quiz_rejects_nonsense(build, field):
    with raises(field):
        build()


@pytest.mark.parametrize(
    "build, field",
    [
        (lambda: Timeline([], PERIODS, ADMINS), "events"),
        (lambda: Timeline(EVENTS, PERIODS, ADMINS, year=1900), "year"),
        (lambda: Timeline(EVENTS, PERIODS, ADMINS, year=2014), "year"),
        (lambda: Timeline(EVENTS, PERIODS, ADMINS, year=1950.0), "year"),
        (lambda: Timeline(EVENTS, PERIODS, ADMINS, start=2000, end=1990), "end"),
        (lambda: Timeline(EVENTS, PERIODS, ADMINS, start="1945"), "start"),
        (lambda: Timeline(EVENTS, PERIODS, ADMINS, categories=["economy"]), "categories[0]"),
        (lambda: Timeline(EVENTS, PERIODS, ADMINS, categories=["domestic", "domestic"]), "categories"),
        (lambda: Timeline([dict(EVENTS[0], category="economy")], PERIODS, ADMINS), "events[0].category"),
        (lambda: Timeline([dict(EVENTS[0], year=1900)], PERIODS, ADMINS), "events[0].year"),
        (lambda: Timeline(EVENTS + EVENTS, PERIODS, ADMINS), "events.id"),
        (lambda: Timeline(EVENTS, [], ADMINS), "periods"),
        (lambda: Timeline(EVENTS, PERIODS, [dict(ADMINS[0], in_paper="yes")]), "administrations[0].in_paper"),
    ],
)
def test_timeline_rejects_nonsense(build, field):
    with raises(field):
        build()


@pytest.mark.parametrize(
    "build, field",
    [
        (lambda: PolicySorter([], POLICIES, prompt="P"), "categories"),
        (lambda: PolicySorter(CATEGORIES[:1], POLICIES, prompt="P"), "categories"),
        (lambda: PolicySorter(CATEGORIES + CATEGORIES[:1], POLICIES, prompt="P"), "categories.id"),
        (lambda: PolicySorter(CATEGORIES, [], prompt="P"), "items"),
        (
            lambda: PolicySorter(CATEGORIES, [dict(POLICIES[0], category="z")], prompt="P"),
            "items[0].category",
        ),
        (lambda: PolicySorter(CATEGORIES, POLICIES + POLICIES, prompt="P"), "items.id"),
        (lambda: PolicySorter(CATEGORIES, [dict(POLICIES[0], feedback="")], prompt="P"), "items[0].feedback"),
        (lambda: PolicySorter(CATEGORIES, POLICIES, prompt=" "), "prompt"),
    ],
)
def test_policy_sorter_rejects_nonsense(build, field):
    with raises(field):
        build()


@pytest.mark.parametrize(
    "build, field",
    [
        (lambda: SelfCheck([]), "questions"),
        (lambda: SelfCheck([single(), single()]), "questions.id"),
        (lambda: SelfCheck([single(type="essay")]), "questions[0].type"),
        (
            lambda: SelfCheck(
                [single(options=[{"text": "Yes", "correct": False}, {"text": "No", "correct": False}])]
            ),
            "questions[0].options",
        ),
        (
            lambda: SelfCheck(
                [single(options=[{"text": "Yes", "correct": True}, {"text": "No", "correct": True}])]
            ),
            "questions[0].options",
        ),
        (lambda: SelfCheck([single(options=[])]), "questions[0].options"),
        (
            lambda: SelfCheck([single(options=[{"text": "Yes", "correct": "yes"}])]),
            "questions[0].options[0].correct",
        ),
        (lambda: SelfCheck([numeric(tolerance="ten")]), "questions[0].tolerance"),
        (lambda: SelfCheck([numeric(tolerance=-1)]), "questions[0].tolerance"),
        (lambda: SelfCheck([numeric(answer=float("nan"))]), "questions[0].answer"),
        (lambda: SelfCheck([numeric(answer=True)]), "questions[0].answer"),
        (lambda: SelfCheck([numeric(unit="")]), "questions[0].unit"),
        (lambda: SelfCheck([single(prompt="")]), "questions[0].prompt"),
    ],
)
def test_self_check_rejects_nonsense(build, field):
    with raises(field):
        build()


# ------------------------------------------------------------------ constructors from the data
def test_ranking_quiz_from_survey_holds_only_the_ranks_the_paper_states():
    course = load()
    quiz = RankingQuiz.from_survey()
    ranks = [it["rank"] for it in quiz.items]
    assert ranks == sorted(t["rank"] for t in course.threats)
    assert not set(ranks) & set(course.survey["ranks_not_given"])
    assert quiz.order != quiz.correct_order, "the quiz must not start with the answer"
    assert sorted(quiz.order) == sorted(quiz.correct_order)
    assert all(it["note"] for it in quiz.items)
    top = next(it for it in quiz.items if it["rank"] == 1)
    assert "82% of respondents called it a grave threat" in top["note"]
    assert "2, 3, 4, 6, 9" in quiz.source_note
    assert (quiz.checked, quiz.revealed, quiz.score) == (False, False, None)


# How far from tau 0 a quiz may open. The bound is the least |tau| the number of pairs allows, so
# "near zero" means "as near as possible": with P = n(n-1)/2 pairs, concordant minus discordant has
# the parity of P, so |tau| can reach 0 when P is even and no less than 1/P when P is odd (1/21 for
# the survey's seven threats: 10 or 11 of the 21 pairs in the right order). Anything looser would
# let a start drift toward the answer or its reverse; 0.1 (for seven items, only 1/21 passes) is the
# absolute ceiling checked for the survey quiz, a third of the standard deviation of tau over
# random orders of seven items (sqrt(2(2n+5) / (9n(n-1))) = 0.32).
def least_tau(n: int) -> float:
    pairs = n * (n - 1) // 2
    return (pairs % 2) / pairs


SURVEY_START_CEILING = 0.1


def test_ranking_quiz_from_survey_opens_unrelated_to_the_answer():
    quiz = RankingQuiz.from_survey()
    start, answer = list(quiz.order), quiz.correct_order
    tau = kendall_tau(start, answer)
    assert start != answer, "the quiz must not open with the answer"
    assert start != answer[::-1], "the quiz must not open with the answer reversed"
    assert abs(tau) <= least_tau(len(answer)) + 1e-12, (
        f"tau {tau:.3f}: the start leans toward the answer or its reverse"
    )
    assert abs(tau) <= SURVEY_START_CEILING
    position = {item: i for i, item in enumerate(answer)}
    places = [position[item] for item in start]
    n = len(places)
    assert all(p not in (i, n - 1 - i) for i, p in enumerate(places)), (
        "no threat opens in its place or its reversed place"
    )
    assert all(abs(a - b) != 1 for a, b in itertools.pairwise(places)), (
        "no two neighbors of the answer open side by side"
    )
    # The start pinned in the shared vectors is the one the quiz opens with.
    pinned = vectors("kendall_tau.json")["cases"][-1]
    assert pinned["order"] == start and pinned["correct"] == answer


def test_ranking_quiz_start_is_fixed_and_ignores_the_order_items_come_in():
    course = load()
    first, again = RankingQuiz.from_survey(), RankingQuiz.from_survey()
    assert list(first.order) == list(again.order)
    shuffled = RankingQuiz.from_survey(course=course, threat_ids=[t["id"] for t in course.threats][::-1])
    assert list(shuffled.order) == list(first.order)
    flipped = RankingQuiz(ITEMS[::-1], prompt="P")
    assert list(flipped.order) == list(RankingQuiz(ITEMS, prompt="P").order)


@pytest.mark.parametrize("n", range(2, 13))
def test_start_order_is_never_the_answer_nor_its_reverse_and_has_the_least_tau(n):
    answer = [f"item-{i}" for i in range(n)]
    start = start_order(answer)
    assert sorted(start) == sorted(answer) and start != answer
    if n == 2:
        assert start == answer[::-1]  # the only other order
        return
    assert start != answer[::-1]
    assert abs(kendall_tau(start, answer)) <= least_tau(n) + 1e-12


def test_the_start_check_rejects_the_answer_its_reverse_and_near_misses():
    """The bound in the tests above does fail for the starts the quiz must never open with."""
    answer = RankingQuiz.from_survey().correct_order
    near = answer[1:2] + answer[:1] + answer[2:]  # one swap from the answer: tau 19/21
    near_reverse = near[::-1]
    for bad in (answer, answer[::-1], near, near_reverse):
        assert abs(kendall_tau(bad, answer)) > least_tau(len(answer)) + 1e-12
        assert abs(kendall_tau(bad, answer)) > SURVEY_START_CEILING


def test_ranking_quiz_from_a_subset_of_threats():
    quiz = RankingQuiz.from_survey(threat_ids=["border-conflicts", "drug-trafficking", "nuclear-weapons"])
    assert quiz.correct_order == ["drug-trafficking", "nuclear-weapons", "border-conflicts"]
    with raises("threat_ids[0]"):
        RankingQuiz.from_survey(threat_ids=["alien-invasion"])


def test_timeline_from_data_carries_every_event_period_and_administration():
    course = load()
    tl = Timeline.from_data()
    assert [e["id"] for e in tl.events] == [e["id"] for e in course.events]
    assert [p["number"] for p in tl.periods] == [1, 2, 3, 4]
    assert [a["id"] for a in tl.administrations] == [a["id"] for a in course.administrations]
    first, last = course.periods[0]["start"], course.periods[-1]["end"]
    assert (tl.start, tl.end, tl.year, tl.playing) == (first, last, first, False)
    assert tl.title == f"Timeline, {first}\u2013{last}"
    # The filter: the four policy categories, then the event categories, labelled as policies.yaml labels them.
    policies = yaml.safe_load((REPO / "data" / "policies.yaml").read_text(encoding="utf-8"))
    listed = policies["categories"] + policies["event_categories"]
    assert tl.categories == list(tl.category_labels) == [c["id"] for c in listed]
    assert tl.category_labels == {c["id"]: c["label"] for c in listed}
    loose = next(e for e in tl.events if e["id"] == "contadora-group")
    assert loose["approximate"] and loose["when_stated"] == "the 1980s" and loose["year_end"] == 1989
    assert all(isinstance(f, str) for e in tl.events for f in e["facts"])
    assert next(a for a in tl.administrations if a["id"] == "pena-nieto")["note"]


def test_timeline_span_title_and_labels_follow_the_data(copy):
    """Change the periods' span and a category's label in a copy of data/: the widget follows."""
    course = load()
    first = course.periods[0]["start"]
    late = max(a["end"] for a in course.administrations)  # the last year that still has a president
    assert late > course.periods[-1]["end"]
    copy("periods.yaml", lambda doc: doc[-1].update(end=late))
    changed = load(copy("policies.yaml", lambda doc: doc["event_categories"][0].update(label="Home affairs")))
    tl = Timeline.from_data(changed)
    assert (tl.start, tl.end, tl.year) == (first, late, first)
    assert tl.title == f"Timeline, {first}\u2013{late}"
    assert tl.category_labels[changed.event_categories[0]["id"]] == "Home affairs"


def test_policy_sorter_from_data_points_each_item_to_its_chapter():
    course = load()
    sorter = PolicySorter.from_data()
    assert len(sorter.items) == len(course.policies)
    assert [c["id"] for c in sorter.categories] == ["assurance", "prevention", "protection", "compellence"]
    assert all(it["chapter"] == it["category"] for it in sorter.items)
    assert (sorter.placements, sorter.checked, sorter.score) == ({}, False, None)
    two = PolicySorter.from_data(policy_ids=[course.policies[0]["id"], course.policies[-1]["id"]])
    assert len(two.items) == 2


def test_self_check_for_chapter_reads_the_question_bank():
    check = SelfCheck.for_chapter("introduction")
    bank = [
        q["id"]
        for q in load().questions_for("introduction")
        if q["type"] in ("single", "multiple", "numeric")
    ]
    assert [q["id"] for q in check.questions] == bank
    assert (check.responses, check.results, check.score) == ({}, {}, 0)
    with raises("chapter"):
        SelfCheck.for_chapter("no-such-chapter")


def test_a_question_with_markup_is_accepted_and_passed_through_verbatim():
    check = SelfCheck(
        [
            single(
                prompt=XSS,
                explanation=XSS,
                options=[{"text": XSS, "correct": True, "feedback": XSS}, {"text": "No", "correct": False}],
            )
        ]
    )
    q = check.get_state()["questions"][0]
    assert q["prompt"] == q["explanation"] == q["options"][0]["text"] == q["options"][0]["feedback"] == XSS


# ------------------------------------------------------------------ synced traits
def test_ranking_quiz_order_syncs_and_scores():
    quiz = RankingQuiz(ITEMS, prompt="P", order=["c", "b", "a"])
    assert quiz.current_score() == -1.0
    quiz.order = ["a", "c", "b"]
    assert quiz.get_state()["order"] == ["a", "c", "b"]
    assert quiz.current_score() == pytest.approx(1 / 3)
    quiz.order = quiz.correct_order
    assert quiz.current_score() == 1.0


def test_front_end_state_is_synced_back():
    quiz = RankingQuiz.from_survey()
    quiz.set_state({"checked": True, "score": 0.5, "revealed": True})
    assert (quiz.checked, quiz.score, quiz.revealed) == (True, 0.5, True)
    tl = Timeline.from_data()
    tl.set_state({"year": 2000, "categories": ["domestic"], "playing": True})
    assert (tl.year, tl.categories, tl.playing) == (2000, ["domestic"], True)
    sorter = PolicySorter.from_data()
    sorter.set_state({"placements": {sorter.items[0]["id"]: "prevention"}, "checked": True, "score": 0})
    assert sorter.get_state()["placements"] == {sorter.items[0]["id"]: "prevention"}
    check = SelfCheck([numeric()])
    check.set_state({"responses": {"n": 1200}, "results": {"n": True}, "score": 1})
    assert (check.responses, check.results, check.score) == ({"n": 1200}, {"n": True}, 1)


# ------------------------------------------------------------------ static files
@pytest.mark.parametrize(
    "build, stem",
    [
        (lambda: RankingQuiz(ITEMS, prompt="P"), "ranking-quiz"),
        (lambda: Timeline(EVENTS, PERIODS, ADMINS), "timeline"),
        (lambda: PolicySorter(CATEGORIES, POLICIES, prompt="P"), "policy-sorter"),
        (lambda: SelfCheck([single()]), "self-check"),
    ],
)
def test_front_end_comes_from_the_static_files(build, stem):
    state = build().get_state()
    # The widget's module with the shared kit's helpers in place of its import of them.
    assert state["_esm"] == _base.esm(stem)
    before, _, after = re.split(
        r'^(import \{[^}]*\} from "\./widget-kit\.js";\n)',
        (STATIC / f"{stem}.js").read_text(encoding="utf-8"),
        flags=re.M,
    )
    assert state["_esm"].startswith(before) and state["_esm"].endswith(after)
    for helper in ("h", "save", "watch"):
        assert re.search(rf"^function {helper}\(", state["_esm"], re.M), helper
    # The shared rules, then the widget's own; its root carries the class of both.
    assert state["_css"] == _base.css(stem)
    assert state["_css"].endswith((STATIC / f"{stem}.css").read_text(encoding="utf-8"))
    base = style_rules((STATIC / "widget-base.css").read_text(encoding="utf-8"))
    assert style_rules(state["_css"])[: len(base)] == base
    assert f'class: "mxsec-widget mxsec-{stem}"' in state["_esm"]
    assert "export default" in state["_esm"]
    assert not re.search(r"^\s*import\b", state["_esm"], re.M), (
        "anywidget loads the module from a blob: no imports"
    )
    assert "innerHTML" not in state["_esm"]


def style_rules(css: str) -> list[str]:
    """The selectors of every style rule, inside @media/@supports blocks too."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    selectors, depth_stack, prelude = [], [], ""
    i = 0
    while i < len(css):
        ch = css[i]
        if ch == "{":
            head = prelude.strip()
            if head.startswith("@"):
                depth_stack.append("at")
            else:
                selectors.extend(s.strip() for s in head.split(","))
                i = css.index("}", i)  # declarations hold no braces
            prelude = ""
        elif ch == "}":
            depth_stack.pop()
            prelude = ""
        elif ch == ";" and not depth_stack:
            prelude = ""
        else:
            prelude += ch
        i += 1
    return selectors


@pytest.mark.parametrize(
    "stem, root", [(stem, f"mxsec-{stem}") for stem in STEMS] + [("widget-base", "mxsec-widget")]
)
def test_css_classes_are_prefixed_and_scoped_to_the_widget(stem, root):
    selectors = style_rules((STATIC / f"{stem}.css").read_text(encoding="utf-8"))
    assert selectors
    for selector in selectors:
        assert re.match(rf"\.{root}(?![-\w])", selector), f"{selector!r} is not under .{root}"
        for name in re.findall(r"\.(-?[_a-zA-Z][-\w]*)", selector):
            assert name.startswith("mxsec-"), f"class {name!r} in {selector!r} lacks the mxsec- prefix"


def test_esm_inlines_the_kit_and_refuses_any_other_relative_import(tmp_path, monkeypatch):
    monkeypatch.setattr(_base, "STATIC", tmp_path)
    (tmp_path / "widget-kit.js").write_text(
        "// The kit.\n\n/** Doc. */\nexport function h() {}\n", encoding="utf-8"
    )
    (tmp_path / "ok.js").write_text(
        '// A widget.\nimport { h } from "./widget-kit.js";\n/** @typedef {import("./widget-kit.js").X} X */\n'
        "export default { render() { h(); } };\n",
        encoding="utf-8",
    )
    assert _base.esm("ok") == (
        '// A widget.\nfunction h() {}\n/** @typedef {import("./widget-kit.js").X} X */\n'
        "export default { render() { h(); } };\n"
    )
    for line in [
        'import { x } from "./other.js";',
        "export { y } from '../y.js';",
        'import "./side.js";',
        'const lazy = () => import("./lazy.js");',
    ]:
        (tmp_path / "bad.js").write_text(
            f'import {{ h }} from "./widget-kit.js";\n{line}\nexport default {{}};\n', encoding="utf-8"
        )
        with pytest.raises(
            ValueError, match=r"^static/bad\.js imports \.\.?/\w+\.js: .* only \./widget-kit\.js"
        ):
            _base.esm("bad")
    (tmp_path / "widget-kit.js").write_text("export default function h() {}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"^static/widget-kit\.js: "):
        _base.esm("ok")


def test_css_parser_sees_nested_rules():
    css = ".a { x: 1; } @media (min-width: 1px) { .b .c, .d { y: 2; } } /* .e { } */"
    assert style_rules(css) == [".a", ".b .c", ".d"]


# ------------------------------------------------------------------ shared vectors
def test_kendall_tau_matches_the_hand_counted_vectors():
    data = vectors("kendall_tau.json")
    for case in data["cases"]:
        tau = kendall_tau(case["order"], case["correct"])
        assert tau == pytest.approx(case["tau"], abs=1e-12), case["name"]
        assert tau == pytest.approx(float(Fraction(case["tau_fraction"])), abs=1e-12), case["name"]
        assert case["concordant"] * 2 - case["pairs"] == pytest.approx(tau * case["pairs"]), case["name"]
    for case in data["invalid"]:
        with raises("order"):
            kendall_tau(case["order"], case["correct"])


def test_timeline_vectors_match_the_course_data():
    course = load()
    data = vectors("timeline_years.json")
    assert data["data"]["periods"] == [
        {k: p[k] for k in ("id", "number", "start", "end")} for p in course.periods
    ]
    assert data["data"]["administrations"] == [
        {k: a[k] for k in ("id", "start", "end", "took_office", "left_office")}
        for a in course.administrations
    ]
    tl = Timeline.from_data()
    assert [{k: p[k] for k in ("id", "number", "start", "end")} for p in tl.periods] == data["data"][
        "periods"
    ]
    assert [
        {k: a[k] for k in ("id", "start", "end", "took_office", "left_office")} for a in tl.administrations
    ] == data["data"]["administrations"]
    for case in data["cases"]:
        period = course.period_of(case["year"])
        assert (period["number"] if period else None) == case["period"], case["year"]
        assert [a["id"] for a in course.administrations_in(case["year"])] == case["administrations"], case[
            "year"
        ]
