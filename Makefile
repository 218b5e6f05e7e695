# The two commands of the README, and a few helpers.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint clean bench explorer chromium loadtest fuzz

run: $(STAMP) explorer  ## run the seeded service on the embedded store (GraphiQL on :8000)
	$(VENV)/bin/peacegraph serve

test: $(STAMP) node_modules/.installed explorer chromium  ## install everything needed, then ruff, mypy --strict, pytest -W error
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

explorer: node_modules/.installed  ## bundle the /explore page (Cytoscape.js from npm) into peacegraph/app/static/dist
	npm run build --silent

chromium:  ## the browser the explorer tests drive: Debian's package, installed when missing
	test -x /usr/bin/chromium || (apt-get update && apt-get install -y --no-install-recommends chromium)

bench: $(STAMP)  ## the benchmark of issue 8 (seed, 10k/100k, 100k/1M): writes bench/RESULTS.md and results.json
	$(PY) -m bench

loadtest: $(STAMP)  ## 60 s, 32 clients, reads and editor writes on a real server: figures into bench/RESULTS.md
	$(PY) -m bench.loadtest --duration 60 --concurrency 32 --results bench/RESULTS.md

fuzz: $(STAMP)  ## a long fuzz campaign (10,000 generated requests) in-process, with counts
	$(PY) -m bench.fuzz --count 10000

clean:
	rm -rf $(VENV) node_modules
