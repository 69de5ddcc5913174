"""How many of the texts the widgets show (prompts, options, labels, notes, explanations) a reader
finds on each page with JavaScript turned off.

    .venv/bin/python benchmarks/widget_text.py [--site _build/html]

For every page of the table of contents, the widgets' texts are read from the state the page embeds
(tests/editions/widget_texts.py lists them, from what the widgets' front ends show), and each is
looked for, whole, in the text of the page as Debian's Chromium lays it out with JavaScript
disabled (`document.body.innerText`, so hidden elements do not count). Prints one row per page and
the total.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "editions"))

from widget_texts import missing, site_widgets  # noqa: E402

from mxsec.build import chapters  # noqa: E402
from mxsec.publish import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    args = parser.parse_args()
    site = args.site.resolve()
    found = site_widgets(site, chapters())
    total = shown = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        print(f"{'page':28} {'widgets':>7} {'texts':>6} {'shown':>6}")
        for docname, widgets in found.items():
            if not widgets:
                continue
            page.goto((site / f"{docname}.html").as_uri())
            text = page.evaluate("document.body.innerText")
            texts = [t for w in widgets for t in w.texts()]
            lost = missing(texts, text)
            total += len(texts)
            shown += len(texts) - len(lost)
            print(f"{docname:28} {len(widgets):7} {len(texts):6} {len(texts) - len(lost):6}")
        browser.close()
    print(f"{'all pages':28} {'':7} {total:6} {shown:6}  ({shown / total:.0%} shown without JavaScript)")


if __name__ == "__main__":
    main()
