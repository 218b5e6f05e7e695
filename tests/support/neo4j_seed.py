"""The seed on a test Neo4j server: written through the seed loader once per session,
then copied record for record into the next emptied database that asks for it.

Writing the seed through the one write path takes 6 to 20 s on Neo4j on a busy machine
(a few hundred small writes, each validated and checked), and fifty `seeded_copy` tests
take a seeded store each. The copy is one statement: every node with its labels and
properties, and every relationship between them with its type and properties; the
migrations' own nodes are the target's, made by its `migrate()`. The copy is checked
node for node against what was read, so it cannot silently differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import neo4j

from tests.support.neo4j_server import Neo4jServer

#: Nodes that `migrate()` writes itself on an emptied database: never copied.
MIGRATION_LABEL = "_Migration"

READ_NODES = f"""
MATCH (n) WHERE NOT n:{MIGRATION_LABEL}
RETURN elementId(n) AS key, labels(n) AS labels, properties(n) AS props
"""
READ_RELATIONSHIPS = f"""
MATCH (a)-[r]->(b) WHERE NOT a:{MIGRATION_LABEL} AND NOT b:{MIGRATION_LABEL}
RETURN elementId(a) AS a, elementId(b) AS b, type(r) AS type, properties(r) AS props
"""
#: Nodes are created in the order read; relationships name their ends by position.
#: (Dynamic labels and types, `$(...)`, are Cypher of Neo4j 5.26 and later.)
WRITE = """
CALL () {
  UNWIND $nodes AS node
  CREATE (n:$(node.labels))
  SET n = node.props
  RETURN collect(n) AS created
}
UNWIND $relationships AS rel
WITH created[rel.a] AS a, created[rel.b] AS b, rel
CREATE (a)-[r:$(rel.type)]->(b)
SET r = rel.props
RETURN count(r) AS made
"""
SIGNATURE = f"""
MATCH (n) WHERE NOT n:{MIGRATION_LABEL}
OPTIONAL MATCH (n)-[r]->()
WITH n, count(r) AS out
RETURN labels(n) AS labels, properties(n) AS props, out
"""


@dataclass(frozen=True)
class SeedGraph:
    """Every node but the migrations' and every relationship of a seeded database."""

    nodes: list[dict[str, Any]]
    relationships: list[dict[str, Any]]
    signature: list[str]


def _driver(server: Neo4jServer) -> neo4j.Driver:
    return neo4j.GraphDatabase.driver(server.uri, auth=("neo4j", ""))


def _signature(session: neo4j.Session) -> list[str]:
    """Each node with its labels, properties and outgoing relationship count, in a
    canonical text, sorted: after `clear()` Neo4j reuses freed record ids in an order
    of its own, so neither a copy nor a fresh seeding keeps the first one's store order."""
    return sorted(
        json.dumps(dict(record), sort_keys=True, default=str) for record in session.run(SIGNATURE)
    )


def read(server: Neo4jServer) -> SeedGraph:
    """What the seed loader wrote to `server`'s database."""
    with _driver(server) as driver, driver.session() as session:
        nodes = [dict(record) for record in session.run(READ_NODES)]
        position = {node["key"]: index for index, node in enumerate(nodes)}
        relationships = [
            {"a": position[r["a"]], "b": position[r["b"]], "type": r["type"], "props": r["props"]}
            for r in session.run(READ_RELATIONSHIPS)
        ]
        signature = _signature(session)
    return SeedGraph(
        [{"labels": n["labels"], "props": n["props"]} for n in nodes], relationships, signature
    )


def write(server: Neo4jServer, graph: SeedGraph) -> None:
    """`graph` into `server`'s emptied, migrated database, in one transaction, checked."""
    with _driver(server) as driver, driver.session() as session:
        made = session.execute_write(
            lambda tx: tx.run(WRITE, nodes=graph.nodes, relationships=graph.relationships).single(
                strict=True
            )["made"]
        )
        assert made == len(graph.relationships), (made, len(graph.relationships))
        assert _signature(session) == graph.signature, "the seed's copy differs from the seed"
