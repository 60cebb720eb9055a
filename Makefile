# Two set-up-to-result commands (see README): `make demo` and `make test`.
# Each creates the virtual environment and installs what it needs first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_OUT ?= demo-output

.PHONY: demo test lint bench clean

# Re-install whenever the project's dependencies change.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/jsna demo --out $(DEMO_OUT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest -n 2 -q

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .ruff_cache
