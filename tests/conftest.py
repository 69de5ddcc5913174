"""Shared fixtures: where things are, and the two editions of the book built once per test session."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from common import BIN, BUILD_ROOT, CHROMIUM, CHROMIUM_ARGS, COLLECTED, ROOT
from mxsec.build import fresh_cache, instructor


@dataclass
class Build:
    returncode: int
    output: str
    html: Path


def _build(edition: str) -> Build:
    """Build one edition with warnings as errors, into its own folder under _build/."""
    out = BUILD_ROOT / f"test-{edition}"
    fresh_cache(out / "_build")
    args = [str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going", "--path-output", str(out)]
    if edition == "instructor":
        config, toc = instructor(BUILD_ROOT / "test-instructor-edition")
        args += ["--config", str(config), "--toc", str(toc)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)
    return Build(proc.returncode, proc.stdout + proc.stderr, out / "_build" / "html")


@pytest.fixture(scope="session")
def student_build() -> Build:
    return _build("student")


@pytest.fixture(scope="session")
def instructor_build() -> Build:
    return _build("instructor")


@pytest.fixture(scope="session")
def student_site(student_build) -> Path:
    """The built student edition; fails (never skips) when the build failed."""
    assert student_build.returncode == 0, student_build.output[-6000:]
    return student_build.html


def pytest_collection_modifyitems(session, config, items):
    """Remember which notebooks nbval collected, so a test can check none was left out."""
    config.stash[COLLECTED] = {
        Path(str(item.fspath)).resolve() for item in items if str(item.fspath).endswith(".ipynb")
    }


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, one for the whole session: Playwright's synchronous API runs one instance per
    thread, so every test folder shares this one. Its absence fails the test: browser tests are never
    skipped."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: install it with `make browser` (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
