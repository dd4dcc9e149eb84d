# ExCon developer entry points. `make run` and `make test` are the two commands a newcomer needs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS_STAMP := node_modules/.installed
EXCON := $(BIN)/excon
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test test-fast lint format typecheck browser clean demo bench audit prod-local prod-local-stop load

install: $(STAMP) $(ASSETS_STAMP) ## create .venv, install locked Python and front-end dependencies

$(STAMP): requirements/dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(ASSETS_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) scripts/vendor_assets.py
	touch $@

run: install ## migrate, load reference and demo data, serve on http://$(HOST):$(PORT) (embedded SQLite)
	$(EXCON) setup
	$(EXCON) runserver $(HOST):$(PORT)

demo: install
	$(EXCON) setup

test: install browser ## the whole suite (SQLite unless DATABASE_URL says otherwise)
	$(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -n 2 --dist loadfile -m "not browser" $(PYTEST_ARGS)

browser: ## make sure Debian's chromium is there for the Playwright tests
	@bash scripts/ensure-chromium

lint: install ## ruff (lint + format check), mypy and the import contracts (lint-imports, see docs/architecture.md)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

audit: install ## pip-audit on the locks and npm audit --omit=dev (skipped with a message when offline)
	BIN=$(BIN) bash scripts/audit-deps

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

bench: install
	$(BIN)/python -m bench

prod-local: install ## production on this machine: gunicorn, Celery worker and beat, Redis, PostgreSQL (throwaway)
	$(BIN)/python -m bench.stack --port $(PORT)

prod-local-stop: ## stop a running `make prod-local` (same clean-up as Ctrl-C)
	@test -f var/prod-local.pid && kill -TERM $$(cat var/prod-local.pid) || echo "prod-local is not running"

load: install ## the load test and the fault runs against a stack of their own (bench/load.py; minutes)
	$(BIN)/python -m bench.load

clean:
	rm -rf $(VENV) node_modules src/excon/static/vendor var/staticfiles
