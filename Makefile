# Regie — developer entry points. A fresh machine needs only Python 3.11, make and git.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
export DATABASE_URL ?= sqlite:///$(CURDIR)/var/regie.sqlite3

.PHONY: run test test-fast lint bench bench-full demo messages assets load-test clean

$(BIN)/regie: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $(BIN)/regie

var:
	mkdir -p var

## make run: install, migrate, load the demo municipality (once), serve on http://127.0.0.1:8000 with one job worker
run: $(BIN)/regie var
	$(BIN)/regie migrate
	$(BIN)/regie demo
	$(BIN)/regie serve --host 127.0.0.1 --port 8000

## make test: install with test dependencies and run the whole suite (PYTEST_ARGS adds pytest options), on
##   TEST_WORKERS processes (pytest-xdist; default one per core, a test module's tests together; 0: one process)
TEST_WORKERS ?= auto
test: $(BIN)/regie
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

## make test-fast: the suite without the browser tests and without tests marked slow
test-fast: $(BIN)/regie
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not browser and not slow"

## make lint: ruff (lint and format check), the layer contracts (import-linter), mypy on the core, no missing migration
lint: $(BIN)/regie
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/django-admin makemigrations --check --dry-run --settings regie.platform.settings

## make bench: every benchmark (synthetic generation and import at 50,000 clients, plus benchmarks/bench_*.py:
##   monitoring at 400,000 clients (first run ~11 min to build the set), equity, policy engine, policy lab vs Mesa)
bench: $(BIN)/regie var
	$(BIN)/pip install -q -e '.[test,bench]'
	$(BIN)/python benchmarks/run.py --sizes $${BENCH_SIZES:-50000} --all

## make bench-full: the national-size figures recorded in docs/performance.md (SQLite and PostgreSQL)
bench-full: $(BIN)/regie var
	$(BIN)/pip install -q -e '.[test,bench]'
	$(BIN)/python benchmarks/run.py --sizes 50000,400000 --all

## make assets: rebuild the bundled CSS (NL Design System / Utrecht components) from frontend/ with npm
assets:
	cd frontend && npm ci --no-audit --no-fund && node build.mjs

## make messages: refresh the translation catalogue from the templates and code, then compile it
messages: $(BIN)/regie
	cd src/regie && ../../$(BIN)/django-admin makemessages --locale en --ignore 'core/*' --settings regie.platform.settings
	$(BIN)/python scripts/keep_messages.py
	$(BIN)/python scripts/compilemessages.py

## make load-test [DB=postgres]: 50 caseworkers for LOAD_TIME against `regie serve` on the 50,000-client demo, on
##   SQLite (default) or on a throw-away PostgreSQL (scripts/with-postgres); figures: docs/performance.md
DB ?= sqlite
LOAD_DIR := $(CURDIR)/var/load/$(DB)
load-test: $(BIN)/regie
	mkdir -p $(LOAD_DIR)
ifeq ($(DB),postgres)
	BIN=$(BIN) LOAD_DIR=$(LOAD_DIR) scripts/with-postgres loadtests/run.sh
else
	DATABASE_URL=sqlite:///$(LOAD_DIR)/regie.sqlite3 BIN=$(BIN) LOAD_DIR=$(LOAD_DIR) loadtests/run.sh
endif

clean:
	rm -rf $(VENV) var build src/*.egg-info
