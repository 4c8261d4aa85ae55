# Every target sets itself up: a fresh clone needs only `make run` or `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000

.PHONY: run test lint typecheck bench demo clean

$(STAMP): pyproject.toml
	@command -v python3 >/dev/null || { echo "python3 (3.11+) is required"; exit 1; }
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	@mkdir -p var
	$(PY) -m painwise.manage migrate --noinput
	PAINWISE_DEMO=1 $(VENV)/bin/painwise demo
	PAINWISE_DEMO=1 $(PY) -m painwise.manage runserver 127.0.0.1:$(PORT)

demo: $(STAMP)
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

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
