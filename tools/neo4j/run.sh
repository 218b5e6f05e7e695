#!/usr/bin/env bash
# Runs a local Neo4j Community server in the foreground: `tools/neo4j/run.sh [--fresh] [DATA_DIR]`
# (`--fetch-only`: resolve it into the cache and exit).
#
# Neo4j is fetched from Maven Central by Maven into a git-ignored cache (.cache/m2), never
# vendored. Bolt listens on 127.0.0.1:${NEO4J_PORT:-7687}, without authentication (loopback,
# development and tests only). One line "Neo4j ready on bolt://…" is printed when it answers;
# Ctrl-C stops it. NEO4J_VERSION picks another release (calendar releases need Java 21+,
# JAVA_HOME picks the JDK; NEO4J_VERSION=latest takes the newest calendar release); NEO4J_PLUGINS=1 adds the APOC core plugin (APOC_VERSION).
# NEO4J_WATCH_STDIN=1 also stops it when its standard input closes (used by the tests, so
# that a server never outlives the test session that started it).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="$root/.cache"
version="${NEO4J_VERSION:-5.26.30}"
port="${NEO4J_PORT:-7687}"
fresh=0
fetch_only=0
if [[ "${1:-}" == "--fetch-only" ]]; then fetch_only=1; shift; fi
if [[ "${1:-}" == "--fresh" ]]; then fresh=1; shift; fi
home="${1:-$root/data/neo4j-$version}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
classpath="$cache/neo4j-$version.classpath"
repo="$cache/m2"

if [[ "$version" == "latest" ]]; then
  # Maven resolves a range to the highest release it finds; the cache is refreshed daily.
  classpath="$cache/neo4j-latest-$(date +%F).classpath"
  version="[2025.01.0,)"
fi
if [[ ! -s "$classpath" ]]; then
  echo "Fetching Neo4j $version from Maven Central (once; cached in .cache/)…" >&2
  mvn -q -B -f "$root/tools/neo4j/pom.xml" -Dmaven.repo.local="$repo" \
    -Dneo4j.version="$version" dependency:build-classpath -Dmdep.outputFile="$classpath.tmp" >&2
  mv "$classpath.tmp" "$classpath"
fi
resolved="$(tr ':' '\n' < "$classpath" | sed -n 's#.*/neo4j-harness-\(.*\)\.jar$#\1#p' | head -1)"
if [[ "$fetch_only" == 1 ]]; then
  echo "Neo4j $resolved is in .cache/" >&2
  exit 0
fi
echo "Starting Neo4j $resolved with $("$java" -version 2>&1 | head -1)" >&2

plugins=()
if [[ -n "${NEO4J_PLUGINS:-}" ]]; then
  apoc="${APOC_VERSION:-5.26.19}"
  plugin_dir="$cache/plugins-$apoc"
  if [[ ! -s "$plugin_dir/apoc.jar" ]]; then
    mkdir -p "$plugin_dir"
    mvn -q -B -Dmaven.repo.local="$repo" dependency:copy \
      -Dartifact="org.neo4j.procedure:apoc-core:$apoc" -DoutputDirectory="$plugin_dir" >&2
    mv "$plugin_dir"/apoc-core-*.jar "$plugin_dir/apoc.jar"
  fi
  plugins=("$plugin_dir")
fi

if [[ "$fresh" == 1 ]]; then rm -rf "$home"; fi
mkdir -p "$home"
exec "$java" -Xms512m -Xmx${NEO4J_HEAP:-2g} -XX:+UseG1GC -cp "$(cat "$classpath")" \
  "$root/tools/neo4j/Neo4jServer.java" "$home" "$port" "${plugins[@]}"
