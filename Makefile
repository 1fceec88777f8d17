# ML Teams Playbook: `make serve` to read the site, `make test` to check everything.
# `make help` lists every target. Every target sets up what it needs, once.

SHELL := /bin/sh
export NO_MKDOCS_2_WARNING := 1
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
SHARED := ../shared
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help serve build test test-fast lint jstest bench venv browser vendor originality company clean distclean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml requirements/constraints.txt
	@python=$$(sh scripts/find-python.sh) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then \
	  echo "[setup] creating $(VENV) with $$python"; rm -rf $(VENV); "$$python" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check pip==26.3
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt --group dev
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

venv: $(STAMP) ## Create .venv with Python 3.12 and the pinned tools (once)

vendor: $(STAMP) ## Fetch and verify the pinned runtime (Pyodide, numpy, Vega) into build/
	$(PY) -m pipeline vendor > /dev/null

browser: $(STAMP) ## Make sure Chromium (and Firefox and WebKit, for the other-engine test) exist for the browser tests
	@sh scripts/ensure-browser.sh > /dev/null
	@sh scripts/ensure-engines.sh

build: $(STAMP) ## Build the static site into site/ (strict: any warning fails)
	$(VENV)/bin/mkdocs build --strict --quiet

serve: $(STAMP) ## Build and serve the site on http://127.0.0.1:8000 with live reload
	$(VENV)/bin/mkdocs serve --dev-addr $(HOST):$(PORT)

company: $(STAMP) ## Write a starter company/ (your fork's overlay) with a commented example of each kind of change
	$(PY) -m pipeline company --init
	$(PY) -m pipeline company --check

originality: ## Check the pages share no run of words with the source lecture
	@if [ -f $(SHARED)/tools/originality.py ]; then python3 $(SHARED)/tools/originality.py docs; \
	else echo "originality check SKIPPED: $(SHARED)/tools/originality.py is not here (it exists only beside the original project)"; fi

# Two workers (pytest-xdist): a test waiting on a browser leaves a core to the other. Tests
# that share a costly fixture, or build in this checkout, are kept on one worker
# (tests/conftest.py: worker_group). TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= 2
PYTEST_WORKERS = $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadgroup)

test: $(STAMP) lint jstest browser build originality ## Set up, build, and run every test (browser tests included)
	PLAYWRIGHT_CHROMIUM=$$(sh scripts/ensure-browser.sh) $(PY) -m pytest $(PYTEST_WORKERS)

# The JavaScript checkers (TypeScript's checkJs, ESLint), pinned in package-lock.json; npm caches the downloads.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

lint: $(STAMP) $(NODE_STAMP) ## ruff and mypy (strict on calculators/); tsc (checkJs, strict) and ESLint on the JavaScript
	$(VENV)/bin/ruff check calculators pipeline scripts tests overrides/hooks
	$(VENV)/bin/ruff format --check calculators pipeline scripts tests overrides/hooks
	$(VENV)/bin/mypy
	node_modules/.bin/tsc --project tsconfig.json
	node_modules/.bin/eslint --max-warnings 0 .

jstest: $(STAMP) ## JavaScript unit tests of the page's pure modules (node --test; twins checked against Python)
	PLAYBOOK_PYTHON=$(CURDIR)/$(PY) node --test tests/js/

test-fast: $(STAMP) lint jstest ## Lint, types, unit, property, contract and JavaScript tests (no site build, no browser)
	$(PY) -m pytest $(PYTEST_WORKERS) -m "not browser and not slow"

bench: $(STAMP) browser build ## Print load and compute timings of the built site (headless Chromium)
	PLAYWRIGHT_CHROMIUM=$$(sh scripts/ensure-browser.sh) $(PY) scripts/bench.py

clean: ## Remove build outputs (keeps .venv and the download cache)
	rm -rf site build .pytest_cache .hypothesis test-results

distclean: clean ## Remove .venv and node_modules too
	rm -rf $(VENV) node_modules
