# `make demo` narrates articles/ into output/; `make test` runs the whole suite.
# Both set up what they need first, on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test bench system-packages clean

demo: $(INSTALLED)
	$(BIN)/audiogen build articles -o output

test: $(INSTALLED) system-packages
	$(BIN)/python -m pytest

# Speed against the floor the voice sets; about 40 minutes with the 50,000-word article.
bench: $(INSTALLED)
	$(BIN)/python benchmarks/bench.py

# gPodder's command-line client `gpo`, the real podcast app the feed tests subscribe with.
system-packages:
	@command -v gpo >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends gpodder >/dev/null; } \
		|| echo "gpodder could not be installed; its test will be skipped (outside CI)"

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) output
