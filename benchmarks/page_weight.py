"""Bytes each page of the built book loads, and how soon its widgets are ready (medians of N loads).

    .venv/bin/python benchmarks/page_weight.py [--site _build/html] [--runs 5]

For every page of the table of contents: all bytes loaded (HTML, scripts, styles, fonts, images), the
bytes the widgets add (their embedded state and view tags in the HTML plus the loader script), the
number of widgets, and the time from navigation start to DOMContentLoaded and to every widget being
ready (the loader marks each host data-mxsec-ready). Pages without widgets (glossary, references) are
the baseline. Served on 127.0.0.1 by Python's http.server, in Debian's Chromium, cache disabled.
"""

from __future__ import annotations

import argparse
import functools
import re
import statistics
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]

from mxsec.build import chapters  # noqa: E402
from mxsec.publish import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

READY = """
new MutationObserver((_, obs) => {
  const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
  const ready = document.querySelectorAll('.mxsec-widget-host[data-mxsec-ready]').length;
  if (views && ready >= views) { window.__mxsecReady = performance.now(); obs.disconnect(); }
}).observe(document, { subtree: true, childList: true, attributes: true });
"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def widget_bytes(html: str, loader: int) -> int:
    scripts = re.findall(
        r'<script type="application/vnd\.jupyter\.widget-(?:state|view)\+json">.*?</script>', html, re.S
    )
    return sum(len(s.encode()) for s in scripts) + (loader if scripts else 0)


def measure(browser, url: str) -> dict:
    context = browser.new_context()
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort()
        ),
    )
    sizes: list[int] = []
    page.on("requestfinished", lambda req: sizes.append(req.sizes()["responseBodySize"]))
    page.add_init_script(READY)
    page.goto(url, wait_until="load")
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if views:
        page.wait_for_function("window.__mxsecReady !== undefined", timeout=30_000)
    page.wait_for_load_state("networkidle")
    timing = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
        return { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, ready: window.__mxsecReady ?? null }; }""")
    context.close()
    return {"bytes": sum(sizes), "widgets": views, **timing}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    site = args.site.resolve()
    loader = (site / "_static" / "mxsec-embed.js").stat().st_size
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"

    print(
        "| page | widgets | all bytes (KB) | widget bytes (KB) | DOMContentLoaded (ms) | widgets ready (ms) | ready after DCL (ms) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for docname in chapters():
            runs = [measure(browser, f"{base}{docname}.html") for _ in range(args.runs)]
            html = (site / f"{docname}.html").read_text(encoding="utf-8")
            total, dcl = (statistics.median(r[key] for r in runs) for key in ("bytes", "dcl"))
            ready = statistics.median(r["ready"] for r in runs) if runs[0]["widgets"] else None
            ready_cells = ("", "") if ready is None else (f"{ready:.0f}", f"{ready - dcl:.0f}")
            print(
                f"| {docname} | {runs[0]['widgets']} | {total / 1024:,.0f} | {widget_bytes(html, loader) / 1024:,.1f} "
                f"| {dcl:.0f} | {ready_cells[0]} | {ready_cells[1]} |"
            )
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
