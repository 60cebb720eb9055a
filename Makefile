# Two set-up-to-result commands (see README): `make demo` and `make test`.
# Each creates the virtual environment and installs what it needs first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_OUT ?= demo-output

.PHONY: demo test lint bench clean

# Re-install whenever the project's dependencies change. The demo needs only the
# core package; the tests also need the dev extra (browser, NLP, Spark, PostgreSQL).
$(VENV)/.installed-core: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-core
	# torch first, pinned: the CPU build; sentence-transformers alone may pull CUDA torch
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# The build time recorded in the report is the last commit's, so the same checkout
# gives byte-identical outputs (override SOURCE_DATE_EPOCH to change it).
demo: $(VENV)/.installed-core
	SOURCE_DATE_EPOCH=$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null)} \
		$(BIN)/jsna demo --out $(DEMO_OUT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

test: lint
	sh scripts/system-deps.sh
	# PostgreSQL and Java for tests/backends: started here, always stopped after pytest
	sh scripts/services.sh start
	$(BIN)/python -m pytest -n 2 -q; status=$$?; sh scripts/services.sh stop; exit $$status

# Speed and memory figures (see benchmarks/README.md); not part of the tests.
bench: $(VENV)/.installed-dev
	for script in methods life_expectancy inequality synth build sources_validate; do \
		$(BIN)/python benchmarks/$$script.py || exit 1; done

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .ruff_cache
