"""Versioned schema migrations, shared by both backends: numbered, frozen files.

A backend's migrations are the files `NNN_name.cypher` of its `migrations` package:
the first line is `// description`, then statements, each ending with `;` at the end
of a line. They are text, not code generated from the model, so that a change to the
model can never rewrite a migration a store has already applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

_FILE_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.cypher$")


@dataclass(frozen=True)
class Migration:
    """Statements that run once, in order, recorded under `version` when done."""

    version: int
    description: str
    statements: tuple[str, ...]


def parse_migration(version: int, text: str) -> Migration:
    first, _, body = text.partition("\n")
    if not first.startswith("// "):
        raise ValueError(f"migration {version:03d}: the first line must be '// description'")
    statements = tuple(s.strip() for s in re.split(r";\s*\n", body) if s.strip())
    return Migration(version, first[3:].strip(), statements)


def load_migrations(package: str) -> tuple[Migration, ...]:
    """Every migration file of `package`, in version order; numbers must run 1, 2, 3…"""
    found: list[Migration] = []
    for entry in resources.files(package).iterdir():
        match = _FILE_NAME.match(entry.name)
        if match:
            found.append(parse_migration(int(match.group(1)), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    versions = [migration.version for migration in found]
    if versions != list(range(1, len(found) + 1)):
        raise ValueError(f"{package}: migration numbers must run 1, 2, 3…, found {versions}")
    return tuple(found)
