# Every target creates .venv when it is missing and installs what it needs,
# so a fresh clone needs nothing but Python 3.11+, make and network access to
# the package registries.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
BIN     = $(VENV)/bin
DATA    = facts/chicago-sanctuary
SEEDS   = ../shared/seeds

.PHONY: demo test bench install test-deps quotes

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/actorgraph validate $(DATA)
	$(BIN)/actorgraph stats $(DATA)

# Test dependencies beyond Python packages (each a no-op when present).
test-deps: $(VENV)/.installed

# The dataset's quotes are checked against the articles when they are beside us.
quotes: $(VENV)/.installed
	@if [ -d $(SEEDS) ]; then $(BIN)/actorgraph validate $(DATA) --texts $(SEEDS); \
	else echo "$(SEEDS) not found: quote check skipped"; fi

test: test-deps quotes
	$(PY) -m pytest -q -p no:cacheprovider
