# Regie — developer entry points. A fresh machine needs only Python 3.11, make and git.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
export DATABASE_URL ?= sqlite:///$(CURDIR)/var/regie.sqlite3

.PHONY: run test bench bench-full demo messages assets clean

$(BIN)/regie: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $(BIN)/regie

var:
	mkdir -p var

## make run: install, migrate, load the demo municipality (once), serve on http://127.0.0.1:8000
run: $(BIN)/regie var
	$(BIN)/regie migrate
	$(BIN)/regie demo
	$(BIN)/regie serve --host 127.0.0.1 --port 8000

## make test: install with test dependencies and run the whole suite
test: $(BIN)/regie
	$(BIN)/python -m pytest

## make bench: every benchmark (synthetic generation and import at 50,000 clients, plus benchmarks/bench_*.py)
bench: $(BIN)/regie var
	$(BIN)/python benchmarks/run.py --sizes $${BENCH_SIZES:-50000} --all

## make bench-full: the national-size figures recorded in docs/performance.md (SQLite and PostgreSQL)
bench-full: $(BIN)/regie var
	$(BIN)/python benchmarks/run.py --sizes 50000,400000 --all

## make assets: rebuild the bundled CSS (NL Design System / Utrecht components) from frontend/ with npm
assets:
	cd frontend && npm ci --no-audit --no-fund && node build.mjs

## make messages: refresh the translation catalogue from the templates and code, then compile it
messages: $(BIN)/regie
	cd src/regie && ../../$(BIN)/python -m django makemessages --locale en --ignore 'core/*' --settings regie.settings
	$(BIN)/python scripts/compilemessages.py

clean:
	rm -rf $(VENV) var build src/*.egg-info
