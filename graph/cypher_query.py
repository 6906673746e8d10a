"""Cypher over the fact base, with or without a database server.

Examples
--------
>>> from graph.core import load
>>> G = load("facts/chicago-sanctuary")
>>> r = run_query(G, "MATCH (p:Person {id: $id}) RETURN p.name AS name", params={"id": "raymond-lopez"})
>>> r.rows
[['Raymond Lopez']]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from graph.cypher_runner import Result, StatementFailed
from graph.neo4j_bolt import Neo4jRunner, Neo4jSettings


def run_query(
    G: nx.MultiDiGraph,
    cypher: str,
    *,
    settings: Neo4jSettings | None = None,
    params: Mapping[str, Any] | None = None,
    dataset: str | None = None,
) -> Result:
    """Run a read-only Cypher query.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The core graph. Without ``settings`` it is loaded, through the Neo4j
        mapping, into a private embedded FalkorDB that lives for this call.
    cypher : str
        The query, in Neo4j's Cypher (FalkorDB runs most of it; see the README).
    settings : Neo4jSettings, optional
        Run on this Neo4j server instead, against what it holds (push the
        facts there first with :func:`graph.neo4j_push.push`).
    params : mapping, optional
        Query parameters (``$name`` in the query).
    dataset : str, optional
        The dataset name the embedded load records (default: the fact base's name).

    Raises
    ------
    graph.cypher_runner.DatabaseError
        When the query is rejected (a write, a syntax error...) or the server fails.
    """
    if settings is not None:
        with Neo4jRunner(settings) as neo4j:
            return neo4j.read(cypher, params)

    from graph.falkordb_engine import EmbeddedFalkorDB
    from graph.neo4j_push import push

    with EmbeddedFalkorDB() as engine:
        push(G, engine, dataset=dataset)
        try:
            return engine.read(cypher, params)
        except StatementFailed as exc:
            raise StatementFailed(
                f"{exc}. The embedded engine is FalkorDB, whose Cypher differs from Neo4j's in places "
                "(see the README's Neo4j section); a query that only reads is required."
            ) from None
