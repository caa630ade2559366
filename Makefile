# Two commands (see README): `make demo` solves the default scenario, `make test` runs the lint,
# the type check and the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup bench clean chromium lint typecheck typecheck-baseline

# the report's browser test needs Debian's chromium; installed here so that CI has it too
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/periodize solve scenarios/sprint-16wk.toml

chromium:
	@command -v chromium >/dev/null 2>&1 || { echo "installing chromium for the report's browser test"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy: strict on the modules pyproject.toml names, elsewhere no error beyond mypy-baseline.json
typecheck: $(STAMP)
	$(BIN)/python tools/typecheck.py

typecheck-baseline: $(STAMP)
	$(BIN)/python tools/typecheck.py --update

test: $(STAMP) chromium lint typecheck
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV)
