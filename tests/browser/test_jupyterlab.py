"""A chapter notebook in a live JupyterLab, as a student on Binder meets it: run it, answer a
widget in the browser, and find the answer in the kernel."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from mxsec.data import load

REPO = Path(__file__).resolve().parents[2]
CHAPTER = "introduction"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 serving a copy of one chapter, with its own settings and no update checks."""
    home = tmp_path_factory.mktemp("lab")
    work = home / "work"
    work.mkdir()
    shutil.copy(REPO / "book" / f"{CHAPTER}.ipynb", work)
    # Render every cell (no windowing), so widgets far down the notebook exist in the page.
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}', encoding="utf-8")
    port = free_port()
    # A student's JupyterLab: not the test run's kernel registry (tests/conftest.py puts the Binder
    # kernel for nbval on JUPYTER_PATH), which would make JupyterLab ask which kernel to use.
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("JUPYTER_PATH", "MXSEC_NBVAL_KERNEL")},
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--ServerApp.root_dir={work}",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.news_url=None",
            "--allow-root",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/status", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited:\n{proc.stdout.read()[-3000:]}")
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail("JupyterLab did not start within 90 s")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def answer_dialog(page) -> None:
    """JupyterLab asks for a kernel when the notebook's took long to start (a loaded machine): take the
    one it proposes, the notebook's own. Any other dialog is a failure, shown with its text."""
    dialog = page.locator(".jp-Dialog")
    if not (dialog.count() and dialog.first.is_visible()):
        return
    text = dialog.first.inner_text()
    if "Select Kernel" in text:
        dialog.first.locator(".jp-Dialog-button.jp-mod-accept").click()
        dialog.first.wait_for(state="detached", timeout=30_000)
    else:
        pytest.fail(f"JupyterLab shows a dialog: {text[:800]}")


def menu(page, top: str, item: str) -> None:
    answer_dialog(page)
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def test_student_runs_a_chapter_and_the_kernel_sees_the_widget_answer(browser, lab):
    question = load().get("intro-main-argument")
    right = next(o["text"] for o in question["options"] if o["correct"])
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    outside: list[str] = []

    def only_local(route):
        if route.request.url.startswith(("http://127.0.0.1", "blob:", "data:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(f"{lab}/lab/tree/{CHAPTER}.ipynb", timeout=90_000)
    page.locator(".jp-Notebook").first.wait_for(timeout=90_000)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=90_000)

    # A run requested while the kernel is still connecting can be dropped: ask again until the
    # first code cell has been executed.
    started = page.locator(".jp-CodeCell .jp-InputPrompt", has_text="[1]:")
    for _ in range(5):
        menu(page, "Run", "Run All Cells")
        try:
            started.first.wait_for(state="attached", timeout=15_000)
            break
        except PlaywrightTimeout:
            continue
    widget = page.locator(".mxsec-self-check").first
    widget.wait_for(state="attached", timeout=300_000)  # every cell above it runs first; CI machines are slow
    widget.scroll_into_view_if_needed()

    box = widget.locator("fieldset").filter(has_text=question["prompt"]).first
    box.get_by_role("radio", name=right).check()
    box.locator("xpath=..").get_by_role("button", name="Check").first.click()
    assert "Correct." in box.locator("xpath=..").locator(".mxsec-sc-result").first.inner_text()

    # A new cell at the end asks the kernel what the widget recorded.
    page.locator(".jp-Notebook .jp-Cell").last.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    page.keyboard.press("Enter")
    page.keyboard.type(
        "import gc\nfrom mxsec.widgets import SelfCheck\n"
        "print('RESULTS', [w.results for w in gc.get_objects() if isinstance(w, SelfCheck)])"
    )
    page.keyboard.press("Shift+Enter")
    output = page.locator(".jp-OutputArea-output", has_text="RESULTS").last
    output.wait_for(timeout=60_000)
    assert f"'{question['id']}': True" in output.inner_text()
    assert outside == [], outside
    context.close()
