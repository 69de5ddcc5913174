"""Browser fixtures shared by every browser test: Debian's Chromium driven by Playwright, a local
server for a built site, and pages that block any request not to 127.0.0.1 and record console
errors, page errors and dialogs.

The folder served is the `site_root` fixture: by default the student edition built for the test
session (`student_site` in tests/conftest.py); a test module overrides it to serve something else,
as test_widget_fixture.py does with a small fixture book.
"""

from __future__ import annotations

import functools
import os
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def site_root(request) -> Path:
    """The built site to serve: the student edition (tests/conftest.py builds it once per session),
    or the folder $MXSEC_TEST_SITE names (a site already built, to rerun the browser tests on it).
    Override this fixture in a test module to serve another site."""
    if os.environ.get("MXSEC_TEST_SITE"):
        return Path(os.environ["MXSEC_TEST_SITE"])
    return request.getfixturevalue("student_site")


@pytest.fixture(scope="module")
def site_url(site_root: Path):
    """`site_root` served over HTTP on 127.0.0.1 (a free port), for the module's tests."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site_root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join()


@dataclass
class WatchedPage:
    """A page on the served site, with what went wrong on it recorded."""

    page: Page
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: str = "") -> Page:
        self.page.goto(self.base_url + path.lstrip("/"))
        return self.page

    def wait_for_widgets(self, count: int, timeout: float = 10_000) -> None:
        """Wait until `count` widget hosts have rendered (the loader marks them data-mxsec-ready)."""
        self.page.wait_for_function(
            "n => document.querySelectorAll('.mxsec-widget-host[data-mxsec-ready]').length >= n",
            arg=count,
            timeout=timeout,
        )

    @property
    def errors(self) -> list[str]:
        """Every console error and uncaught page error."""
        return self.console_errors + self.page_errors


@pytest.fixture
def web(browser, site_url: str):
    """A fresh page (own context) that blocks and records every request not to 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = WatchedPage(page=context.new_page(), base_url=site_url)

    def route(route):
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            watched.blocked.append(url)
            route.abort()

    context.route("**/*", route)
    watched.page.on("console", lambda msg: msg.type == "error" and watched.console_errors.append(msg.text))
    watched.page.on("pageerror", lambda exc: watched.page_errors.append(str(exc)))
    watched.page.on("dialog", lambda dialog: (watched.dialogs.append(dialog.message), dialog.dismiss()))
    yield watched
    context.close()
