"""Shared fixtures: where things are, and the two editions of the book built once per test session."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from common import (
    BUILD_ROOT,
    CHROMIUM,
    CHROMIUM_ARGS,
    COLLECTED,
    NBVAL_KERNEL,
    ROOT,
    jupyter_book,
    locked,
    notebooks,
    run_id,
)
from mxsec.build import fresh_cache, instructor

# Set by the run's first process to [kernel name, venv] when nbval runs the notebooks in Binder's kernel.
NBVAL_KERNEL_ENV = "MXSEC_NBVAL_KERNEL"


@dataclass
class Build:
    returncode: int
    output: str
    html: Path


def _build(edition: str) -> Build:
    """Build one edition with warnings as errors, into its own folder under _build/, once per test run:
    the first test process that needs it builds it, under a lock; the others (pytest-xdist's workers)
    wait for it and read the result it left."""
    out = BUILD_ROOT / f"test-{edition}"
    html = out / "_build" / "html"
    result = out / ".build-result.json"
    with locked(BUILD_ROOT / f".test-{edition}.lock"):
        if result.is_file():
            done = json.loads(result.read_text(encoding="utf-8"))
            if done["run"] == run_id():
                return Build(done["returncode"], done["output"], html)
        result.unlink(missing_ok=True)
        fresh_cache(out / "_build")
        args = jupyter_book(out)
        if edition == "instructor":
            config, toc = instructor(BUILD_ROOT / "test-instructor-edition")
            args += ["--config", str(config), "--toc", str(toc)]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)
        output = proc.stdout + proc.stderr
        result.write_text(
            json.dumps({"run": run_id(), "returncode": proc.returncode, "output": output}), encoding="utf-8"
        )
    return Build(proc.returncode, output, html)


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


def _runs_notebooks(config) -> bool:
    """Whether this run's paths hold any of the course's notebooks (nbval then runs them)."""
    paths = [Path(str(arg).split("::")[0]).resolve() for arg in config.args]
    return any(nb == path or nb.is_relative_to(path) for nb in notebooks() for path in paths)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """Before any worker starts: when this run includes notebooks, build (or reuse) the environment
    Binder builds and register its Python as the kernel nbval runs every notebook in. Workers inherit
    the environment variables set here; tests/test_binder.py checks the notebooks ran there."""
    config = session.config
    if hasattr(config, "workerinput") or config.option.collectonly:
        return
    if config.option.nbval_kernel_name or config.option.nbval_current_env or not _runs_notebooks(config):
        return
    from notebook_envs import BINDER_KERNEL, binder_kernel, binder_plan, binder_venv

    venv = binder_venv(binder_plan())
    kernels = binder_kernel(venv)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(kernels), os.environ.get("JUPYTER_PATH")]))
    os.environ[NBVAL_KERNEL_ENV] = json.dumps([BINDER_KERNEL, str(venv.path)])


def pytest_collection_modifyitems(session, config, items):
    """Remember which notebooks nbval collected, so a test can check none was left out, and which
    kernel runs them."""
    config.stash[COLLECTED] = {
        Path(str(item.fspath)).resolve() for item in items if str(item.fspath).endswith(".ipynb")
    }
    chosen = os.environ.get(NBVAL_KERNEL_ENV)
    if chosen and not (config.option.nbval_kernel_name or config.option.nbval_current_env):
        name, venv = json.loads(chosen)
        config.option.nbval_kernel_name = name
        config.stash[NBVAL_KERNEL] = (name, Path(venv))


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
