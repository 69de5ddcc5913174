"""Ways of driving the widgets that several browser tests share."""

from __future__ import annotations


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the focused element matches `selector`."""
    tab_to_within(page, page.locator("body"), selector, limit)


def press(page, key: str, times: int) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def minus(x: float) -> str:
    """A score as the widgets write it: two decimals, a true minus sign."""
    return f"{abs(x):.2f}" if x >= 0 else f"\u2212{abs(x):.2f}"


def solve_ranking_by_keyboard(page, quiz, correct: list[str], labels: dict[str, str]) -> None:
    """Put a ranking quiz in the `correct` order and check it, with the keyboard alone.

    Tabs to the first item's handle, then for each position walks to the item that belongs there,
    picks it up with Space, moves it with the arrow keys, drops it with Space, and finally checks.
    """

    def order() -> list[str]:
        return quiz.locator(".mxsec-rq-item").evaluate_all("els => els.map(e => e.dataset.id)")

    def focused() -> str:
        return page.evaluate("document.activeElement.closest('.mxsec-rq-item')?.dataset.id")

    tab_to_within(page, quiz, ".mxsec-rq-handle")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid", (
        "keyboard focus must be visible"
    )
    for i, want in enumerate(correct):
        here, there = order().index(focused()), order().index(want)
        press(page, "ArrowDown" if there > here else "ArrowUp", abs(there - here))
        assert focused() == want
        if there == i:
            continue
        page.keyboard.press("Space")
        assert quiz.locator(f'[data-id="{want}"] .mxsec-rq-handle').get_attribute("aria-pressed") == "true"
        press(page, "ArrowUp", there - i)
        assert (
            quiz.locator("[aria-live].mxsec-sr-only").inner_text()
            == f"{labels[want]} moved to position {i + 1} of {len(correct)}"
        )
        page.keyboard.press("Space")
        assert order()[: i + 1] == correct[: i + 1]
    assert order() == correct
    tab_to_within(page, quiz, ".mxsec-primary")
    page.keyboard.press("Enter")
    pairs = len(correct) * (len(correct) - 1) // 2
    assert (
        quiz.locator(".mxsec-rq-score").inner_text()
        == f"Kendall's tau: 1.00. {pairs} of {pairs} pairs in the right order."
    )
    assert quiz.locator(".mxsec-rq-right").count() == len(correct)


def tab_to_within(page, root, selector: str, limit: int = 400) -> None:
    """Press Tab until focus reaches an element matching `selector` inside `root`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("([s]) => document.activeElement.matches(s)", [selector]) and root.evaluate(
            "r => r.contains(document.activeElement)"
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")
