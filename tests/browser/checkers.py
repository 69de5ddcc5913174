"""The third-party checkers the browser tests run, each the version package-lock.json pins (installed
by `make test` with npm ci): axe-core and HTML_CodeSniffer injected into the page under test, and the
Nu HTML Checker (vnu.jar) run on Debian's Java.

Every checker must report nothing. An exception would be listed here, next to the rule it allows,
with the argument for it; there is none.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
HTMLCS = NODE_MODULES / "html_codesniffer" / "build" / "HTMLCS.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

# axe rules whose findings a test accepts, with the reason. None: every rule of axe's default set
# (WCAG 2.0-2.2 A and AA, and axe's best practices) must pass.
AXE_ALLOWED: dict[str, str] = {}
# HTML_CodeSniffer (WCAG2AA) error codes accepted, with the reason. None.
HTMLCS_ALLOWED: dict[str, str] = {}


def _need(path: Path) -> Path:
    if not path.is_file():
        pytest.fail(
            f"{path.relative_to(ROOT)} is missing: `make test` installs the pinned npm tools (npm ci)"
        )
    return path


def axe_version() -> str:
    return json.loads((NODE_MODULES / "axe-core" / "package.json").read_text(encoding="utf-8"))["version"]


def axe_violations(page, include: str | None = None, rules: list[str] | None = None) -> list[dict]:
    """axe-core's violations on the page as it is now (of any impact), as short records."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=_need(AXE).read_text(encoding="utf-8"))
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    found = page.evaluate(
        """async ([include, options]) => {
             const context = include ? { include: [...document.querySelectorAll(include)] } : document;
             const result = await axe.run(context, options);
             return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.slice(0, 5).map(n => ({ target: n.target.join(' '), why: n.failureSummary })) }));
           }""",
        [include, options],
    )
    return [v for v in found if v["id"] not in AXE_ALLOWED]


def htmlcs_errors(page, standard: str = "WCAG2AA") -> list[dict]:
    """HTML_CodeSniffer's errors (not its warnings or notices) on the page as it is now."""
    if not page.evaluate("typeof window.HTMLCS !== 'undefined'"):
        page.add_script_tag(content=_need(HTMLCS).read_text(encoding="utf-8"))
    found = page.evaluate(
        """standard => new Promise(done => HTMLCS.process(standard, document, () => done(
             HTMLCS.getMessages().filter(m => m.type === HTMLCS.ERROR).map(m => ({
               code: m.code, message: m.msg, element: m.element.outerHTML.slice(0, 200) })))))""",
        standard,
    )
    return [e for e in found if e["code"] not in HTMLCS_ALLOWED]


def vnu_errors(files: list[Path]) -> list[str]:
    """The Nu HTML Checker's errors in `files`, as "file:line: message"."""
    _need(VNU)
    java = shutil.which("java")
    if not java:
        pytest.fail("java is missing: `make test` installs Debian's Java runtime for the Nu HTML Checker")
    proc = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    try:
        report = json.loads(proc.stderr)  # vnu writes its JSON report to stderr
    except ValueError:
        pytest.fail(f"the Nu HTML Checker did not report (exit {proc.returncode}): {proc.stderr[-2000:]}")
    return [
        f"{m.get('url', '?').rsplit('/', 2)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in report["messages"]
        if m["type"] in ("error", "non-document-error")
    ]
