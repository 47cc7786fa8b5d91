# storyloc: `make locales` builds every localized bundle, `make test` runs the tests.
# Both create the virtual environment in .venv on first use, from the hash-checked lock
# requirements/lock.txt (`make lock` regenerates it from pyproject.toml; see the README).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORYLOC := $(BIN)/storyloc
AXE    := tests/node_modules/axe-core/axe.min.js
# .venv is installed from the lock once per change of the lock or of pyproject.toml.
INSTALLED := $(VENV)/.installed
PIP    := $(BIN)/python -m pip --disable-pip-version-check
UV     := $(BIN)/uv
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --quiet --custom-compile-command "make lock"

.PHONY: locales extract update draft build status check publish prune serve review test bench bench-readme clean \
        lock lock-upgrade debian-packages test-data

# Every stage for every story, in one process; stories whose inputs did not change are skipped.
locales: $(INSTALLED)
	$(STORYLOC) locales

extract update draft build status check prune: $(INSTALLED)
	$(STORYLOC) $@

# Versioned bundles and the feed in dist/, built from an up-to-date build/.
publish: locales
	$(STORYLOC) publish

serve: publish
	$(STORYLOC) serve

# The review page for one language: make review L=uk
review: $(INSTALLED)
	$(STORYLOC) review $(L)

# The Debian packages the suite runs (installed as root; otherwise the one command to run is printed),
# then every test: a skipped test is a failure (tests/conftest.py).
test: debian-packages $(INSTALLED) $(AXE)
	$(BIN)/python -m pytest

debian-packages:
	@sh scripts/debian-packages

# Deliberately: the live project (story, catalogs, glossaries, [tool.storyloc]) over the tests' frozen
# copy in tests/data/project/, then the golden files rewritten from it. Review `git diff -- tests/data`.
test-data: $(INSTALLED)
	$(BIN)/python scripts/refresh-test-project
	$(BIN)/python -m pytest -q --update-golden -k golden tests/test_update.py tests/build/test_bundle.py tests/test_publish.py

# axe-core, the accessibility tests' judge (tests/package.json, locked); Playwright runs it in Debian's Chromium.
$(AXE): tests/package.json tests/package-lock.json
	npm ci --prefix tests --no-audit --no-fund
	touch $@

# Speed and memory against GNU gettext and baselines, as ratios measured in the same run.
bench: $(INSTALLED)
	$(BIN)/python bench/bench.py $(BENCH)

# The README's bench table, rewritten from build/bench/results.json (each part with its date and load).
bench-readme: $(INSTALLED)
	$(BIN)/python bench/bench.py --readme

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { echo "no venv module: on Debian, apt-get install python3-venv" >&2; exit 1; }

# Exactly the locked versions, each checked against its hash; then storyloc itself, editable,
# built by the locked setuptools. `pip check` fails when pyproject.toml asks for what the lock lacks.
$(INSTALLED): requirements/lock.txt pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --require-hashes --no-deps -r requirements/lock.txt
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	@$(PIP) check >/dev/null || { $(PIP) check; echo "requirements/lock.txt does not satisfy pyproject.toml: run make lock" >&2; exit 1; }
	touch $@

$(UV): requirements/uv.txt | $(BIN)/python
	$(PIP) install --quiet --require-hashes --no-deps -r requirements/uv.txt
	touch $@

# Re-resolve after a change to pyproject.toml's dependencies; versions already locked stay where they are.
# UPGRADE=--upgrade moves everything to the newest versions the ranges allow (make lock-upgrade).
lock: $(UV)
	$(UV) pip compile pyproject.toml --extra test --group build $(LOCK_FLAGS) $(UPGRADE) -o requirements/lock.txt
	$(UV) pip compile --group lock $(LOCK_FLAGS) $(UPGRADE) -o requirements/uv.txt

# Monthly, and whenever a security advisory names a locked package: then make test, and commit the lock.
lock-upgrade:
	$(MAKE) lock UPGRADE=--upgrade

clean:
	rm -rf build dist
