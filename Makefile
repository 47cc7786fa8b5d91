# storyloc: `make locales` builds every localized bundle, `make test` runs the tests.
# Both create the virtual environment in .venv on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORYLOC := $(BIN)/storyloc

.PHONY: locales extract update build status test clean

locales: $(STORYLOC)
	$(STORYLOC) extract
	$(STORYLOC) update
	$(STORYLOC) build

extract update build status: $(STORYLOC)
	$(STORYLOC) $@

test: $(STORYLOC)
	$(BIN)/python -m pytest

$(STORYLOC): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

clean:
	rm -rf build dist
