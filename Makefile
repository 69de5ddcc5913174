# The two commands a newcomer needs (see README):
#   make book   set up everything, then build the student edition into _build/html
#   make test   set up everything (Chromium included), then run every test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
JB_FLAGS := -W -n --keep-going

.PHONY: book instructor test setup browser clean

$(BIN)/.installed: requirements.txt pyproject.toml binder/requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

setup: $(BIN)/.installed

# Debian's Chromium drives the browser tests (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@chromium --version

book: setup
	$(BIN)/python -m mxsec.build fresh-cache _build
	$(BIN)/jupyter-book build . $(JB_FLAGS)

# The instructor edition (answer keys, rubrics, schedules) into _build/instructor/_build/html
instructor: setup
	$(BIN)/python -m mxsec.build instructor _build/instructor-edition
	$(BIN)/python -m mxsec.build fresh-cache _build/instructor/_build
	$(BIN)/jupyter-book build . $(JB_FLAGS) --config _build/instructor-edition/_config.yml \
	  --toc _build/instructor-edition/_toc.yml --path-output _build/instructor

test: setup browser
	$(BIN)/python -m pytest

clean:
	rm -rf _build
