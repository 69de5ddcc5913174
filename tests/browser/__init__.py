"""Browser tests (Playwright driving Debian's Chromium). A package, so that its conftest does not
shadow tests/conftest.py, which other test modules import as `conftest`."""
