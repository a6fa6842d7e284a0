# The README's two commands: `make run` (the main job on the bundled seed) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## build, validate, export every format into build/, print the accountability report
run: $(STAMP)
	$(BIN)/parlgraph run --out build

## ruff, then the whole pytest suite
test: $(STAMP)
	$(BIN)/ruff check src tests tools bench
	$(BIN)/ruff format --check src tests tools bench
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests tools bench

clean:
	rm -rf build .pytest_cache .ruff_cache
