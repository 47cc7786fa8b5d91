# storyloc: `make locales` builds every localized bundle, `make test` runs the tests.
# Both create the virtual environment in .venv on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORYLOC := $(BIN)/storyloc
AXE    := tests/node_modules/axe-core/axe.min.js

.PHONY: locales extract update draft build status check publish prune serve review test bench clean

# Every stage for every story, in one process; stories whose inputs did not change are skipped.
locales: $(STORYLOC)
	$(STORYLOC) locales

extract update draft build status check prune: $(STORYLOC)
	$(STORYLOC) $@

# Versioned bundles and the feed in dist/, built from an up-to-date build/.
publish: locales
	$(STORYLOC) publish

serve: publish
	$(STORYLOC) serve

# The review page for one language: make review L=uk
review: $(STORYLOC)
	$(STORYLOC) review $(L)

test: $(STORYLOC) $(AXE)
	$(BIN)/python -m pytest

# axe-core, the accessibility tests' judge (tests/package.json, locked); Playwright runs it in Debian's Chromium.
$(AXE): tests/package.json tests/package-lock.json
	npm ci --prefix tests --no-audit --no-fund
	touch $@

# Speed and memory against GNU gettext and baselines, as ratios measured in the same run.
bench: $(STORYLOC)
	$(BIN)/python bench/bench.py $(BENCH)

$(STORYLOC): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

clean:
	rm -rf build dist
