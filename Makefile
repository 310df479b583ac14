# `make run` starts the bot (the terminal console when no Slack credentials are set); `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint format typecheck pytest eval bench bench-slack migrate clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot run

migrate: $(STAMP)
	$(BIN)/python -m bot migrate

lint: $(STAMP)
	$(BIN)/ruff check bot tests migrations bench scripts
	$(BIN)/ruff format --check bot tests migrations bench scripts

format: $(STAMP)
	$(BIN)/ruff format bot tests migrations bench scripts
	$(BIN)/ruff check --fix bot tests migrations bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

# The fast tier: no spaCy pipeline, no servers, no PostgreSQL database, no `python -m bot` process.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

eval: $(STAMP)
	$(BIN)/python ../shared/eval/run_eval.py

bench: $(STAMP)
	$(BIN)/python -m bench lookups --out docs/bench-results.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

bench-slack: $(STAMP)
	$(BIN)/python -m bench slack --out docs/bench-slack-results.json

# Pin every runtime dependency for the Docker image: a fresh environment with only the bot installed, frozen.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet .
	{ echo "# Every package the bot runs on, pinned: what the Docker image installs (make lock regenerates it)."; \
	  .lock-venv/bin/python -m pip freeze --exclude company-news-bot; } > requirements.lock
	rm -rf .lock-venv
