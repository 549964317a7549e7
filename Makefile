# Two entry points: `make demo` builds the seed graph, `make test` runs the whole suite.
# Both create the virtual environment and install everything from the package registries.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: install browser demo test clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: install
	$(BIN)/kg build seeds --out out

# Debian's chromium for tests/test_browser.py (installed only as root when missing; else those tests skip)
browser:
	sh scripts/install-chromium.sh

test: install browser
	$(BIN)/python -m pytest tests kg notebooks --nbmake

clean:
	rm -rf out .pytest_cache
