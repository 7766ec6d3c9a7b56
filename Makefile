# The two commands of the README: `make run` and `make test`. Only Python 3.11+ and make needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test check lint bench learn clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@ $(STAMP)

run: $(STAMP)
	@mkdir -p sessions
	$(BIN)/bei

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

check: lint test

bench: $(TEST_STAMP)
	$(BIN)/bei bench
	$(BIN)/python benchmarks/bench_sessions.py
	$(BIN)/python benchmarks/bench_tui.py

# Re-learn the shipped learned indicators from the training answers (after editing written rules).
TRAIN ?= ../shared/eval/train.jsonl
learn: $(STAMP)
	rm -f coding_rules/learned.yaml
	$(BIN)/bei learn --gold $(TRAIN) -o coding_rules/learned.yaml

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
