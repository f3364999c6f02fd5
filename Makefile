# `make demo` narrates articles/ into output/; `make test` runs the whole suite.
# Both set up what they need first, on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test bench bench-extraction bench-scaling fuzz system-packages clean

demo: $(INSTALLED)
	$(BIN)/audiogen build articles -o output

test: $(INSTALLED) node_modules/.installed system-packages
	$(BIN)/python -m pytest

# Whole builds of arbitrary Unicode and markup, every output parsed: CI runs 12, this many more.
FUZZ_EXAMPLES ?= 1000
fuzz: $(INSTALLED)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/test_characters.py -k any_characters --hypothesis-show-statistics

# Speed against the floor the voice sets; about 40 minutes with the 50,000-word article.
bench: $(INSTALLED)
	$(BIN)/python benchmarks/bench.py

# Narration on a 2-worker Dask LocalCluster against a local build, and a generated catalogue of
# 100 articles on it (docs/scaling.md); about 20 minutes.
bench-scaling: $(INSTALLED)
	$(BIN)/python benchmarks/scaling.py

# Article finding on real saved pages (from trafilatura's and newspaper4k's source distributions,
# fetched from PyPI into ~/.cache/audiogen-bench), before and now.
bench-extraction: $(INSTALLED)
	$(BIN)/python benchmarks/extraction.py

# The browser tests' driver, the accessibility checkers axe-core and Ace by DAISY (none of them
# downloads a browser: they drive Debian's Chromium).
node_modules/.installed: package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages the tests use for real: gPodder's command-line podcast client `gpo`, Chromium
# for the web player and Ace, and Java for EPUBCheck. Installed when missing and run as root; otherwise those tests
# are skipped with a reason (in CI, where CI=true, they fail instead).
SYSTEM_PACKAGES := gpodder:/usr/bin/gpo chromium:/usr/bin/chromium default-jre-headless:/usr/bin/java
system-packages:
	@missing=$$(for entry in $(SYSTEM_PACKAGES); do [ -x "$${entry#*:}" ] || printf '%s ' "$${entry%%:*}"; done); \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing $$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	elif [ -n "$$missing" ]; then echo "Not installed: $$missing(their tests will be skipped)"; fi

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) output node_modules
