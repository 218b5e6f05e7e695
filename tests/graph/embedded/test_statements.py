"""The embedded backend refuses a statement whose parameters do not match.

LadybugDB itself binds a missing `$parameter` to NULL and quietly matches nothing;
the backend checks every statement before it runs, so that mistake is an error.
"""

from __future__ import annotations

import re
from pathlib import Path

import ladybug
import pytest

from peacegraph.graph.embedded import queries as q
from peacegraph.graph.embedded.connection import StatementError, check_parameters
from peacegraph.graph.model import Label, RelType
from peacegraph.graph.store import Direction


def test_ladybug_alone_turns_a_missing_parameter_into_null(tmp_path: Path) -> None:
    database = ladybug.Database(str(tmp_path / "raw"), buffer_pool_size=64 * 1024 * 1024)
    connection = ladybug.Connection(database)
    try:
        connection.execute("CREATE NODE TABLE T(id STRING PRIMARY KEY)")
        connection.execute("CREATE (:T {id: 'a'})")
        result = connection.execute("MATCH (t:T) WHERE t.id = $id RETURN t.id")
        assert (
            not isinstance(result, list) and not result.has_next()
        )  # no error: this is what the check guards against
    finally:
        connection.close()
        database.close()


def test_a_missing_parameter_is_an_error() -> None:
    with pytest.raises(StatementError, match=r"missing \['id'\]"):
        check_parameters(q.nodes_by_id(Label.PLACE).replace("$ids", "$id"), {"ids": []})


def test_an_unexpected_parameter_is_an_error() -> None:
    with pytest.raises(StatementError, match=r"extra \['idz'\]"):
        check_parameters(q.nodes_by_id(Label.PLACE), {"ids": [], "idz": []})


def test_labels_and_types_in_statements_come_from_the_allow_list() -> None:
    statements = [
        *(q.upsert_nodes(label) for label in Label),
        *(q.nodes_by_id(label) for label in Label),
        *(q.neighbours(label, d.value) for label in Label for d in Direction),
        *(q.count_type(t) for t in RelType),
    ]
    allowed = {label.value for label in Label} | {t.value for t in RelType}
    for statement in statements:
        for name in re.findall(r"[(\[]\w*:(\w+)", statement):
            assert name in allowed, (name, statement)
