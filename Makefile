# The two commands a newcomer needs (see README):
#   make book   set up everything, then build the student edition into _build/html
#   make test   set up everything (Chromium included), then run every test
#   make test-fast  the quick tests of the edit loop (unit, front end, prose, lint)
# The book on paper and offline (student edition):
#   make pdf      the whole book as one PDF, and one PDF per chapter, into _build/pdf
#   make epub     an EPUB checked with epubcheck, into _build/epub
#   make offline  the built site as a zip that opens from disk, into _build/offline
# For instructors:
#   make instructor  the instructor edition, into _build/instructor/_build/html
#   make course      the nbgrader course folder ./course (CHAPTERS="compellence ..." for only some)
#   make hub         a class on this machine: JupyterHub with nbgrader's exchange and throwaway accounts
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
JB_FLAGS := -W -n --keep-going
# apt-get through sudo unless already root
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: book instructor course test test-fast setup browser java bench-tools editions-tools pdf epub offline clean

$(BIN)/.installed: requirements.txt pyproject.toml binder/requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  $(APT) update -qq && $(APT) install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

setup: $(BIN)/.installed

# Debian's Chromium drives the browser tests (Playwright cannot download its own browser here);
# node runs the widgets' front-end tests.
browser:
	@command -v chromium >/dev/null || { $(APT) update -qq && $(APT) install -y -qq chromium >/dev/null; }
	@command -v node >/dev/null || { $(APT) update -qq && $(APT) install -y -qq nodejs >/dev/null; }
	@chromium --version && node --version

# The browser tests' checkers, pinned in package-lock.json: axe-core, HTML_CodeSniffer and the Nu
# HTML Checker (vnu-jar, run on Debian's Java; its install script, which would fetch a Java of its
# own, is not run), and the Lighthouse of benchmarks/lighthouse.py.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { $(APT) update -qq && $(APT) install -y -qq npm >/dev/null; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

bench-tools: browser node_modules/.installed

# Debian's Java runtime for the Nu HTML Checker: bookworm's OpenJDK 17, pinned by its major version
# (an exact Debian revision leaves the archive at its next security update).
java:
	@command -v java >/dev/null || { $(APT) update -qq && $(APT) install -y -qq openjdk-17-jre-headless >/dev/null; }
	@java -version 2>&1 | head -1

# What the PDF and EPUB editions and their tests use besides Chromium: Debian's epubcheck (with
# its Java), poppler's pdftotext and pdffonts, and the fonts the PDF embeds.
editions-tools:
	@test -f /usr/share/java/epubcheck.jar && command -v pdftotext >/dev/null && test -d /usr/share/fonts/truetype/dejavu || { \
	  $(APT) update -qq && $(APT) install -y -qq epubcheck poppler-utils fonts-dejavu-core fonts-liberation >/dev/null; }

book: setup
	$(BIN)/mxsec build fresh-cache _build
	$(BIN)/jupyter-book build . $(JB_FLAGS)

# The instructor edition (answer keys, rubrics, schedules) into _build/instructor/_build/html
instructor: setup
	$(BIN)/mxsec build instructor _build/instructor-edition
	$(BIN)/mxsec build fresh-cache _build/instructor/_build
	$(BIN)/jupyter-book build . $(JB_FLAGS) --config _build/instructor-edition/_config.yml \
	  --toc _build/instructor-edition/_toc.yml --path-output _build/instructor

# The nbgrader course folder for instructors: ./course, with the student versions of the exercise
# notebooks, an nbgrader_config.py and the gradebook (kept by make clean, ignored by git).
# CHAPTERS="compellence assurance" releases only those chapters; the default is every chapter.
course: setup
	$(BIN)/mxsec release course $(foreach chapter,$(CHAPTERS),--chapter $(chapter))

pdf: setup browser editions-tools
	$(BIN)/mxsec build fresh-cache _build
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	$(BIN)/jupyter-book build . $(JB_FLAGS) --builder singlehtml
	$(BIN)/mxsec publish pdf _build

epub: setup editions-tools
	$(BIN)/mxsec build fresh-cache _build
	$(BIN)/jupyter-book build . $(JB_FLAGS) --builder custom --custom-builder epub
	$(BIN)/mxsec publish epubcheck _build/epub/*.epub

offline: book
	$(BIN)/mxsec publish offline _build

test: setup browser editions-tools java node_modules/.installed hub-tools
	$(BIN)/python -m pytest

# The edit loop's quick check (about a minute): the loader and exporters, the widgets' Python and
# front-end logic, the prose checks, lint and format. `make test` runs these and everything else.
test-fast: setup node_modules/.installed
	$(BIN)/python -m pytest tests/unit tests/test_js.py tests/test_prose.py tests/test_lint.py

clean:
	rm -rf _build

# The classroom hub: make hub, hub-tools, hub-image (deploy/README.md)
include deploy/hub.mk
