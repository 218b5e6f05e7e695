# The two commands of the README, and a few helpers.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint clean

run: $(STAMP)  ## run the seeded service on the embedded store (GraphiQL on :8000)
	$(VENV)/bin/peacegraph serve

test: $(STAMP) node_modules/.installed  ## install everything needed, then ruff, mypy --strict, pytest -W error
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy --strict
	$(PY) -m pytest -W error

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) node_modules/.installed

clean:
	rm -rf $(VENV) node_modules
