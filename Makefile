# `make demo` narrates articles/ into output/; `make test` runs the whole suite.
# Both set up what they need first, on a fresh clone, installing exactly what uv.lock pins.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# uv installs the lock; it comes from PyPI into a folder of its own (never into .venv, which
# `uv sync` keeps exactly as the lock says), at a version pinned here.
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
# What the quick tier leaves out: the browser, the cluster, the outside checkers, the slowest.
QUICK := not (browser or cluster or validator or slow)

.PHONY: demo test check repeat lint docs messages lock test-latest bench bench-alignment bench-extraction bench-scaling fuzz system-packages clean

demo: $(INSTALLED)
	$(BIN)/audiogen build articles -o output

test: lint $(INSTALLED) node_modules/.installed system-packages
	$(BIN)/python -m pytest --durations=20

# The quick tier: no browser, no cluster, no outside checker, on every core (README: how long it
# takes). CI runs the whole suite one test at a time instead.
check: lint
	$(BIN)/python -m pytest -m "$(QUICK)" -n auto

# The tests that depend on synthesis, loudness and recognition, REPEAT times each on every core:
# a flaky one shows here (REPEAT=50 is the proof docs/development.md reports).
REPEAT ?= 50
repeat: $(INSTALLED)
	$(BIN)/python -m pytest -q -n auto --count $(REPEAT) \
		tests/test_audio.py tests/narration/test_engines.py tests/narration/test_verify.py

# Style and mistakes a reader should never meet (pyproject.toml [tool.ruff]); under a second.
lint: $(INSTALLED)
	$(BIN)/ruff check audiogen tests benchmarks

# The documentation site, from docs/ and the code (commands and settings are written from their
# own definitions), into site/; `make test` builds it with --strict too.
docs: $(INSTALLED)
	$(BIN)/mkdocs build --strict --site-dir site

# The player's words: extract them from the templates into the template catalogue, and merge new
# ones into each language's (audiogen/web/interface.py); then translate what is new or fuzzy.
LOCALES := audiogen/web/locales
messages: $(INSTALLED)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --omit-header \
		-o $(LOCALES)/audiogen.pot audiogen/web
	$(BIN)/pybabel update -D audiogen -i $(LOCALES)/audiogen.pot -d $(LOCALES) --ignore-obsolete

# Refresh uv.lock to the newest releases the bounds in pyproject.toml allow; commit the result.
lock: $(UV)
	$(UV) lock --upgrade

# The quick tier in a throwaway environment of the newest releases, ignoring uv.lock: drift in
# what a fresh `pip install audiogen` would get shows here before a user meets it.
test-latest: $(UV)
	rm -rf $(VENV)-latest
	$(UV) venv --quiet $(VENV)-latest
	$(UV) pip install --quiet --python $(VENV)-latest --resolution highest -e '.[verify,cluster]' --group dev
	$(VENV)-latest/bin/python -m pytest -m "$(QUICK)" -n auto

# Whole builds of arbitrary Unicode and markup, every output parsed: CI runs 12, this many more.
FUZZ_EXAMPLES ?= 1000
fuzz: $(INSTALLED)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/test_characters.py -k any_characters --hypothesis-show-statistics

# Speed against the floor the voice sets; 50 to 105 minutes with the 50,000-word article.
bench: $(INSTALLED)
	$(BIN)/python benchmarks/bench.py

# Word timings against PocketSphinx's forced alignment of the sample, and what they cost; a minute.
bench-alignment: $(INSTALLED)
	$(BIN)/python benchmarks/alignment.py

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

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet uv==$(UV_VERSION)

# Everything, as the lock pins it: audiogen (editable), its extras and the test tools.
$(INSTALLED): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --all-extras --all-groups --quiet
	touch $@

clean:
	rm -rf $(VENV) $(VENV)-latest $(TOOLS) output node_modules site
