"""Lighthouse on every page of the built book, mobile and desktop, beside a stock Jupyter Book page.

    make bench-tools                      # npm ci: Lighthouse (package.json's devDependencies)
    .venv/bin/python benchmarks/lighthouse.py [--site _build/html] [--runs 3] [--json out.json]

Lighthouse (npm, pinned in package.json) drives Debian's Chromium (CHROME_PATH=/usr/bin/chromium)
against the site served on 127.0.0.1 by Python's http.server, which sends no compression: the
transfer sizes are the bytes of the files themselves. Every page of the table of contents is run
`--runs` times with Lighthouse's mobile settings (its default: a mid-range phone, simulated slow 4G)
and as many times with its desktop preset; the table gives the median of each figure. The last row
is the same for a stock page: a minimal book (one Markdown page, no extensions, no widgets) built
with the same Jupyter Book and theme, so the course's own cost can be read beside the theme's.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from mxsec.build import chapters  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
    "--disable-component-update --disable-sync --disable-default-apps"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
STOCK_PAGE = """# A stock page

This book has the stock configuration of Jupyter Book and one page of plain text, so that a page of the
course can be measured beside what the theme alone costs.

## A section

Some text, a [link](https://jupyterbook.org) and a list:

- one item
- another item
"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def stock_site(folder: Path) -> Path:
    """A minimal book with Jupyter Book's defaults (same version and theme as the course), built."""
    html = folder / "_build" / "html"
    if (html / "intro.html").is_file():
        return html
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_config.yml").write_text(
        "title: A stock book\nauthor: Nobody\nexecute:\n  execute_notebooks: 'off'\n", encoding="utf-8"
    )
    (folder / "_toc.yml").write_text("format: jb-book\nroot: intro\n", encoding="utf-8")
    (folder / "intro.md").write_text(STOCK_PAGE, encoding="utf-8")
    subprocess.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", str(folder)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return html


def lighthouse(url: str, desktop: bool) -> dict:
    """One Lighthouse run; the figures this benchmark reports."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        args = [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            f"--chrome-flags={CHROME_FLAGS}",
            "--only-categories=" + ",".join(CATEGORIES),
        ]
        if desktop:
            args.append("--preset=desktop")
        subprocess.run(
            args,
            check=True,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            timeout=300,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    failed = sorted(
        a
        for c in ("accessibility", "best-practices", "seo")
        for a in (ref["id"] for ref in report["categories"][c]["auditRefs"])
        if audits[a]["score"] is not None
        and audits[a]["scoreDisplayMode"] == "binary"
        and audits[a]["score"] < 1
    )
    return {
        **scores,
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "requests": len(audits["network-requests"]["details"]["items"]),
        "failed": failed,
    }


def median_of(runs: list[dict]) -> dict:
    figures = {k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "failed"}
    figures["failed"] = sorted({a for r in runs for a in r["failed"]})
    return figures


def row(name: str, form: str, m: dict) -> str:
    return (
        f"| {name} | {form} | {m['performance']:.0f} | {m['fcp']:.1f} | {m['lcp']:.1f} | {m['tbt']:.0f} "
        f"| {m['accessibility']:.0f} | {m['best-practices']:.0f} | {m['seo']:.0f} | {m['bytes'] / 1024:,.0f} "
        f"| {m['requests']:.0f} | {', '.join(m['failed']) or '–'} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--pages", nargs="*", help="docnames to run (default: every page of the table of contents)"
    )
    parser.add_argument(
        "--stock",
        type=Path,
        default=ROOT / "_build" / "bench-stock",
        help="where the minimal stock book is built (reused when present)",
    )
    parser.add_argument(
        "--forms",
        nargs="*",
        choices=("mobile", "desktop"),
        default=["mobile", "desktop"],
        help="Lighthouse's settings to run (default: both)",
    )
    parser.add_argument("--json", type=Path, help="also write every median here")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} not found: run `make bench-tools` (npm ci) first")
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} not found: run `make browser` first")
    site = args.site.resolve()
    targets = [(docname, site, f"{docname}.html") for docname in (args.pages or chapters())]
    targets.append(("stock Jupyter Book page", stock_site(args.stock.resolve()), "intro.html"))

    print(
        "| page | form | performance | FCP (s) | LCP (s) | TBT (ms) | accessibility | best practices | SEO "
        "| transfer (KB) | requests | failed audits |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |", flush=True)
    results = {}
    for name, folder, path in targets:
        server, base = serve(folder)
        try:
            for form in args.forms:
                m = median_of([lighthouse(base + path, form == "desktop") for _ in range(args.runs)])
                results[f"{name} {form}"] = m
                print(row(name, form, m), flush=True)
        finally:
            server.shutdown()
            server.server_close()
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
