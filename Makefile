# Every target sets itself up: a fresh clone needs only `make run` or `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
RUNTIME_STAMP := $(VENV)/.runtime-stamp
PORT ?= 8000
# `make run DEV=1` serves with Django's auto-reloading development server instead of gunicorn.
DEV ?= 0
# pip's own progress ("Collecting …", download bars), minus this machine's mirror warnings.
PIP_PROGRESS := 2>&1 | grep --line-buffered -v "is ignored: it is neither a file nor a directory"

.PHONY: run serve test lint typecheck bench load chaos demo clean

# What the app needs to run (make run, make serve): no development tools.
$(RUNTIME_STAMP): pyproject.toml
	@command -v python3 >/dev/null || { echo "python3 (3.11+) is required"; exit 1; }
	@test -x $(PY) || { echo "== creating $(VENV)"; python3 -m venv $(VENV); }
	@echo "== installing painwise and its runtime dependencies (development tools are left out)"
	@set -o pipefail; $(VENV)/bin/pip install --progress-bar on -e . $(PIP_PROGRESS)
	@touch $(RUNTIME_STAMP)

# Everything, development tools included (make test, lint, bench).
$(STAMP): $(RUNTIME_STAMP)
	@echo "== installing the development tools (pytest, ruff, mypy, playwright, schemathesis)"
	@set -o pipefail; $(VENV)/bin/pip install --progress-bar on -e '.[dev]' $(PIP_PROGRESS)
	@touch $(STAMP)

venv: $(STAMP)

run: $(RUNTIME_STAMP)
	@mkdir -p var
	$(PY) -m painwise.manage migrate --noinput
	PAINWISE_DEMO=1 $(VENV)/bin/painwise demo
	@echo "== serving http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	PAINWISE_DEMO=1 $(VENV)/bin/painwise serve --bind 127.0.0.1:$(PORT) $(if $(filter 1,$(DEV)),--dev,)

# The production server alone (no demo data): configure it with the environment (docs/operations.md).
serve: $(RUNTIME_STAMP)
	$(PY) -m painwise.manage migrate --noinput
	$(VENV)/bin/painwise serve

demo: $(RUNTIME_STAMP)
	@mkdir -p var
	$(PY) -m painwise.manage migrate --noinput
	PAINWISE_DEMO=1 $(VENV)/bin/painwise demo

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

test: $(STAMP)
	bash scripts/test.sh

bench: $(STAMP)
	$(PY) bench/run.py
	$(PY) bench/monitor.py
	$(PY) bench/research.py
	$(PY) bench/pv.py
	$(PY) bench/report.py
	$(PY) bench/fhir_exchange.py

# Load and crash tests against `painwise serve` on loopback (docs/operations.md); both append to
# bench/history.jsonl. The full run the issue asks for: make load CLIENTS=200 DURATION=60.
CLIENTS ?= 200
DURATION ?= 60
load: $(STAMP)
	$(PY) bench/load.py --clients $(CLIENTS) --seconds $(DURATION)

chaos: $(STAMP)
	$(PY) bench/chaos.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
