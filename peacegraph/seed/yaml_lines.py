"""YAML with line numbers: the seed's files parsed so that every problem can name the
line it is on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from peacegraph.seed.problems import Problems


class LineMapping(dict[str, Any]):
    """A YAML mapping that remembers the line of itself and of each of its keys."""

    def __init__(self, items: dict[str, Any], line: int, key_lines: dict[str, int]) -> None:
        super().__init__(items)
        self.line = line
        self.key_lines = key_lines

    def line_of(self, key: str) -> int:
        """The line a key was written on, or the mapping's own line when it is absent."""
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text and records lines on every mapping."""


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineMapping:
    """Build a mapping, refusing duplicate and non-text keys (YAML would keep the last)."""
    loader.flatten_mapping(node)
    items: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is not text", key_node.start_mark
            )
        if key in items:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        items[key] = loader.construct_object(value_node, deep=True)
        key_lines[key] = key_node.start_mark.line + 1
    return LineMapping(items, node.start_mark.line + 1, key_lines)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def read_yaml(path: Path, problems: Problems) -> LineMapping | None:
    """Parse one file; a syntax error is reported with its line and the file skipped."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problems.add(path.name, line, None, f"malformed YAML: {error.problem or error}")
        return None
    except yaml.YAMLError as error:
        problems.add(path.name, None, None, f"malformed YAML: {error}")
        return None
    if not isinstance(data, LineMapping):
        problems.add(path.name, 1, None, "the file must be a mapping of lists")
        return None
    return data
