"""Lint the Neo4j backend's Cypher with Neo4j's own Cypher language support.

`tools/cypher-lint.mjs` runs `lintCypherQuery` of the npm package
`@neo4j-cypher/language-support` (pinned in package.json; install with `npm ci`)
on each statement, under every version in `CYPHER_VERSIONS`, against a schema
built from `graph.model`:

- labels, relationship types and property keys: the model's, plus the names a
  statements module declares in `EXTRA_LABELS`, `EXTRA_REL_TYPES` and
  `EXTRA_PROPERTIES` (never names collected from the statements themselves, which
  would hide typos);
- Neo4j's built-in functions and procedures (no APOC, no GDS), so a misspelt
  or plugin function is an error;
- each statement's parameters: those passed to `lint`, or else those its text
  uses (then "Parameter $x is not defined" cannot fire, by construction).

The linter reports syntax errors (per Cypher version: `LET` is Cypher 25 only),
semantic errors (undefined variables, type mismatches, misplaced aggregations...),
deprecations, unknown functions and procedures, and unknown labels, relationship
types and property keys in read clauses. The script adds checks for what that
leaves out: labels, relationship types and property keys written by CREATE /
MERGE / SET / REMOVE, named in schema commands or read in map projections;
statements for which Neo4j's semantic analysis silently did not run; several
statements in one string. It also drops one false positive of the linter (`key`
in `(n {id: row.key})` taken for a property of `n`). Still unchecked: keys of map
literals and map parameters (`SET n = $props`, `SET n += {key: 1}`), properties
of anonymous nodes in write patterns, and patterns joining labels that the model
never joins (see `db_schema(endpoints=True)`).

Every diagnostic counts, warnings included, except warnings matching
`ALLOWED_WARNINGS`.
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from peacegraph.graph.model import ENDPOINTS, NODE_PROP_NAMES, REL_PROP_NAMES, Label, RelType

#: The repository root: where package.json and node_modules live.
REPO_ROOT = Path(__file__).resolve().parents[3]
#: The node script that runs the linter.
TOOL = REPO_ROOT / "tools" / "cypher-lint.mjs"
#: The npm package the script needs.
PACKAGE = "@neo4j-cypher/language-support"
#: Statements must lint clean under each: Cypher 5 is what Neo4j 5 and 2025.x run
#: by default, Cypher 25 is where Neo4j is going (a `CYPHER 25` prefix on a
#: statement makes both passes use Cypher 25).
CYPHER_VERSIONS: tuple[str, ...] = ("CYPHER 5", "CYPHER 25")
#: How long one run of the script may take, in seconds.
TIMEOUT = 300
#: Statements per parallel run of the script, at least (each run starts in ~1 s).
STATEMENTS_PER_JOB = 20


@dataclass(frozen=True)
class AllowedWarning:
    """A kind of warning that does not fail the lint, and why."""

    pattern: str
    """Regular expression searched in the warning's message."""
    reason: str
    """Why the warning is acceptable; required, so every exception is justified."""


#: Warnings that do not fail the lint. Keep this minimal: each entry needs a reason.
ALLOWED_WARNINGS: tuple[AllowedWarning, ...] = ()


@dataclass(frozen=True)
class Diagnostic:
    """One finding of the linter on one statement."""

    severity: str
    """"error", "warning", "information" or "hint"."""
    message: str
    line: int
    """1-based line in the statement."""
    column: int
    """1-based column in the statement."""
    source: str = "neo4j"
    """"neo4j" for Neo4j's linter, "peacegraph" for the extra checks of the script."""
    versions: tuple[str, ...] = ()
    """The Cypher versions under which it was found."""

    def __str__(self) -> str:
        versions = ", ".join(self.versions)
        return (
            f"{self.line}:{self.column} {self.severity} [{self.source}; {versions}] {self.message}"
        )


class LintUnavailable(RuntimeError):
    """The linter cannot run: node or the npm package is missing, or the script failed."""


_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_COMMENTS = re.compile(r"\A(?:\s+|//[^\n]*(?:\n|\Z)|/\*.*?\*/)*", re.DOTALL)
_CYPHER_START = re.compile(
    r"(?:(?:CYPHER(?:\s+\d+)?|EXPLAIN|PROFILE)\s+)*"
    r"(?:MATCH|OPTIONAL\s+MATCH|MERGE|CREATE|UNWIND|WITH|CALL|RETURN|DROP|SHOW|FOREACH"
    r"|USE|LOAD\s+CSV|DETACH\s+DELETE|DELETE|SET|REMOVE|ALTER|FINISH|FILTER|LET|INSERT)\b"
)
_PARAMETER = re.compile(r"\$(?:`((?:[^`]|``)+)`|([A-Za-z_][A-Za-z0-9_]*)|([0-9]+))")


def looks_like_cypher(text: str) -> bool:
    """Whether `text` starts, after blanks and comments, with an upper-case Cypher clause."""
    start = _COMMENTS.match(text)
    rest = text[start.end() :] if start else text
    return _CYPHER_START.match(rest) is not None


def _key_text(key: object) -> str:
    if isinstance(key, enum.Enum):
        return str(key.value)
    if isinstance(key, tuple):
        return ",".join(_key_text(part) for part in key)
    return str(key)


def collect_statements(module: ModuleType) -> dict[str, str]:
    """The Cypher statements a module defines, by name.

    A statement is a public UPPER_CASE module attribute that is a `str` starting
    with an upper-case Cypher clause, or such a string among the values of a public
    UPPER_CASE dict (named `NAME[key]`, enum keys by value, tuple keys joined by
    commas). Private templates (`_UPSERT_NODES`) are left out: their instances are
    what runs. A text met twice is kept once, under its first name.
    """
    found: dict[str, str] = {}
    seen: set[str] = set()

    def add(name: str, value: object) -> None:
        if isinstance(value, str) and value not in seen and looks_like_cypher(value):
            seen.add(value)
            found[name] = value

    attributes = [(n, v) for n, v in vars(module).items() if _NAME.match(n)]
    for name, value in attributes:
        add(name, value)
    for name, value in attributes:
        if isinstance(value, Mapping):
            for key, item in value.items():
                add(f"{name}[{_key_text(key)}]", item)
    return found


def parameters_of(query: str) -> set[str]:
    """The parameter names (`$name`, `` $`odd name` ``, `$0`) a statement uses.

    Purely textual, so it may also pick up a `$word` inside a string literal or a
    comment; declaring one parameter too many is harmless to the lint.
    """
    names: set[str] = set()
    for quoted, plain, number in _PARAMETER.findall(query):
        names.add(quoted.replace("``", "`") if quoted else plain or number)
    return names


def _names(module: ModuleType | None, attribute: str) -> list[str]:
    values: object = getattr(module, attribute, ()) if module is not None else ()
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise TypeError(f"{attribute} must be a tuple of names, not {values!r}")
    return [_key_text(value) for value in values]


def db_schema(extras: ModuleType | None = None, *, endpoints: bool = False) -> dict[str, object]:
    """The linter's DbSchema: labels, relationship types and property keys.

    They are those of `graph.model`, plus those `extras` (the statements module)
    lists in `EXTRA_LABELS`, `EXTRA_REL_TYPES` and `EXTRA_PROPERTIES`, each a
    tuple of names (missing ones count as empty).

    With `endpoints`, the schema also gets `graphSchema` from `model.ENDPOINTS`, and
    the linter warns about read patterns that join labels no relationship type of
    the model joins, e.g. `(:Person)-[:WITHIN]->(:Place)` ("[:WITHIN] has no
    incoming (:Person)"). Extra labels may sit at either end of any relationship,
    and extra relationship types may join any labels. Off by default: it also
    flags patterns that are merely always false for some instances of a template.
    """
    model_labels = [label.value for label in Label]
    extra_labels = _names(extras, "EXTRA_LABELS")
    labels = sorted(set(model_labels + extra_labels))
    extra_types = _names(extras, "EXTRA_REL_TYPES")
    rel_types = sorted({rel_type.value for rel_type in RelType} | set(extra_types))
    properties = NODE_PROP_NAMES | REL_PROP_NAMES | set(_names(extras, "EXTRA_PROPERTIES"))
    schema: dict[str, object] = {
        "labels": labels,
        "relationshipTypes": rel_types,
        "propertyKeys": sorted(properties),
    }
    if endpoints:
        pairs = {(a.value, t.value, b.value) for t, ends in ENDPOINTS.items() for a, b in ends}
        # A (label, type, label) entry adds the label to both ends of the type only.
        pairs |= {(x, t, x) for x in extra_labels for t in rel_types}
        pairs |= {(x, t, x) for x in labels for t in extra_types}
        schema["graphSchema"] = [{"from": a, "relType": t, "to": b} for a, t, b in sorted(pairs)]
    return schema


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise LintUnavailable("node is not on PATH: install Node.js 20 or later, then run npm ci")
    if not (REPO_ROOT / "node_modules" / PACKAGE / "package.json").is_file():
        raise LintUnavailable(f"{PACKAGE} is not installed: run npm ci in {REPO_ROOT}")
    return node


def _run(node: str, payload: dict[str, object]) -> list[Any]:
    """One run of the script; its JSON answer."""
    try:
        run = subprocess.run(
            [node, str(TOOL)],
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=REPO_ROOT,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise LintUnavailable(f"{TOOL.name} took longer than {TIMEOUT}s") from error
    if run.returncode != 0:
        detail = run.stderr.strip() or run.stdout.strip()
        raise LintUnavailable(f"{TOOL.name} exited with {run.returncode}: {detail}")
    results = json.loads(run.stdout)
    if not isinstance(results, list):
        raise LintUnavailable(f"{TOOL.name} printed {type(results).__name__}, not a list")
    return results


def _diagnostic(raw: Mapping[str, Any]) -> Diagnostic:
    return Diagnostic(
        severity=str(raw["severity"]),
        message=str(raw["message"]),
        line=int(raw["line"]),
        column=int(raw["column"]),
        source=str(raw.get("source", "neo4j")),
        versions=tuple(str(v) for v in raw.get("versions", ())),
    )


def _cache_key(common: Mapping[str, object], item: Mapping[str, object]) -> str:
    """What a statement's diagnostics depend on: the script, the installed packages
    (through the lockfile), the options and schema, the statement and its parameters."""
    digest = hashlib.sha256()
    for path in (TOOL, REPO_ROOT / "package-lock.json"):
        digest.update(path.read_bytes() if path.is_file() else b"-")
    digest.update(json.dumps([common, item], sort_keys=True).encode())
    return digest.hexdigest()


def lint(
    statements: Mapping[str, str],
    *,
    parameters: Mapping[str, Iterable[str]] | None = None,
    schema: Mapping[str, object] | None = None,
    versions: Iterable[str] = CYPHER_VERSIONS,
    cache: Path | None = None,
) -> dict[str, list[Diagnostic]]:
    """Lint statements (name to text); their diagnostics, by name.

    `parameters` gives the parameters declared for some statements (by name);
    the others get those `parameters_of` finds in their text. `schema` defaults
    to `db_schema()`. Neo4j's semantic analysis takes about 0.1 s per statement
    and version, so statements are shared among a few runs of the script in
    parallel, and with a `cache` directory a statement is linted again only when
    it, its parameters, the schema, the script or package-lock.json changed.
    Raises `LintUnavailable` when the linter cannot run.
    """
    node = _node()
    declared = parameters or {}
    common: dict[str, object] = {
        "schema": dict(schema if schema is not None else db_schema()),
        "versions": list(versions),
        "catalog": "builtin",
        "extraChecks": True,
    }
    raw: dict[str, list[Any]] = {}
    keys: dict[str, str] = {}
    items: list[dict[str, object]] = []
    for name, query in statements.items():
        params = declared[name] if name in declared else parameters_of(query)
        item: dict[str, object] = {
            "name": name,
            "query": query,
            "parameters": dict.fromkeys(sorted(params)),
        }
        if cache is not None:
            keys[name] = _cache_key(common, {**item, "name": ""})
            cached = cache / f"{keys[name]}.json"
            if cached.is_file():
                raw[name] = json.loads(cached.read_text(encoding="utf-8"))
                continue
        items.append(item)
    if items:
        jobs = max(1, min(os.cpu_count() or 1, len(items) // STATEMENTS_PER_JOB))
        chunks = [items[i::jobs] for i in range(jobs)]
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            answers = pool.map(lambda chunk: _run(node, {**common, "statements": chunk}), chunks)
            fresh = {str(r["name"]): r["diagnostics"] for answer in answers for r in answer}
        if fresh.keys() != {item["name"] for item in items}:
            raise LintUnavailable(f"{TOOL.name} answered for other statements than it was given")
        raw.update(fresh)
        if cache is not None:
            cache.mkdir(parents=True, exist_ok=True)
            for name, diagnostics in fresh.items():
                temporary = cache / f"{keys[name]}.{os.getpid()}.tmp"
                temporary.write_text(json.dumps(diagnostics), encoding="utf-8")
                temporary.replace(cache / f"{keys[name]}.json")
    return {name: [_diagnostic(d) for d in raw[name]] for name in statements}


def lint_module(module: ModuleType, *, cache: Path | None = None) -> dict[str, list[Diagnostic]]:
    """Lint every statement of a statements module, with its `EXTRA_*` names declared."""
    return lint(collect_statements(module), schema=db_schema(module), cache=cache)


def blocking(
    diagnostics: Iterable[Diagnostic],
    allowed: Iterable[AllowedWarning] = ALLOWED_WARNINGS,
) -> list[Diagnostic]:
    """The diagnostics that fail the lint: all but warnings matching `allowed`."""
    patterns = [re.compile(entry.pattern) for entry in allowed]
    return [
        d
        for d in diagnostics
        if not (d.severity == "warning" and any(p.search(d.message) for p in patterns))
    ]
