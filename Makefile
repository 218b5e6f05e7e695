# The two commands of the README, and a few helpers.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint clean bench explorer chromium redis-server jdk neo4j neo4j-cache test-neo4j-latest loadtest fuzz

run: $(STAMP) explorer  ## run the seeded service on the embedded store (GraphiQL on :8000)
	$(VENV)/bin/peacegraph serve

test: $(STAMP) node_modules/.installed explorer chromium redis-server neo4j-cache  ## install everything needed, then ruff, mypy --strict, pytest -W error (both stores)
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

redis-server:  ## the broker the change feed tests start (Debian's package, no service), installed when missing
	command -v redis-server >/dev/null || (apt-get update && apt-get install -y --no-install-recommends redis-server)

jdk:  ## Java and Maven for the local Neo4j: Debian's packages, installed when missing
	command -v java >/dev/null && command -v mvn >/dev/null || \
		(apt-get update && apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven)

neo4j-cache: jdk  ## fetch Neo4j Community 5.26 from Maven Central into .cache/ (once), for the tests
	tools/neo4j/run.sh --fetch-only

NEO4J_PORT ?= 7687
neo4j: jdk  ## a local Neo4j 5.26 in the foreground on bolt://127.0.0.1:$(NEO4J_PORT), data in data/neo4j; Ctrl-C stops it
	NEO4J_PORT=$(NEO4J_PORT) tools/neo4j/run.sh data/neo4j

# The newest calendar release Maven Central serves (calendar releases need Java 21+).
TEMURIN ?= /usr/lib/jvm/temurin-25-jdk-amd64
test-neo4j-latest: $(STAMP) node_modules/.installed explorer chromium redis-server jdk  ## the store-facing tests on the newest Neo4j release, on Temurin 25
	JAVA_HOME=$(TEMURIN) NEO4J_VERSION=latest $(PY) -m pytest -W error -k neo4j

bench: $(STAMP)  ## the benchmark of issue 8 (seed, 10k/100k, 100k/1M): writes bench/RESULTS.md and results.json
	$(PY) -m bench

loadtest: $(STAMP)  ## 60 s, 32 clients, reads and editor writes on a real server: figures into bench/RESULTS.md
	$(PY) -m bench.loadtest --duration 60 --concurrency 32 --results bench/RESULTS.md

fuzz: $(STAMP)  ## a long fuzz campaign (10,000 generated requests) in-process, with counts
	$(PY) -m bench.fuzz --count 10000

clean:
	rm -rf $(VENV) node_modules
