"""Against a real Neo4j 5: runs when NEO4J_URI is set, skipped otherwise.

    NEO4J_URI=neo4j://localhost:7687 NEO4J_USERNAME=neo4j NEO4J_PASSWORD=... \\
        .venv/bin/python -m pytest tests/test_neo4j_live.py

Every test writes datasets named ``actorgraph-test-<random>`` and deletes
them afterwards; other data in the database is never touched (a test checks
that too). The constraints and the index of the mapping are created (IF NOT
EXISTS) and left in place.
"""

from __future__ import annotations

import os
import uuid

import pytest

import graph
from graph.cypher_query import run_query
from graph.export_cypher import generate_cypher
from graph.neo4j_bolt import Neo4jRunner, Neo4jSettings
from graph.neo4j_push import push
from neo4j_support import assert_dataset_equals_core, dataset_of, snapshot, write_hostile_facts

pytestmark = pytest.mark.skipif(
    not os.environ.get("NEO4J_URI"),
    reason="no Neo4j server: set NEO4J_URI (and NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE) to run",
)


@pytest.fixture(scope="module")
def neo4j():
    with Neo4jRunner(Neo4jSettings.resolve()) as runner:
        yield runner


@pytest.fixture
def names(neo4j):
    made: list[str] = []

    def new() -> str:
        made.append(f"actorgraph-test-{uuid.uuid4().hex[:10]}")
        return made[-1]

    yield new
    for name in made:
        neo4j.write("MATCH (n {dataset: $dataset}) DETACH DELETE n", {"dataset": name})


def _ours(neo4j, *datasets):
    nodes, rels = snapshot(neo4j)
    return ([n for n in nodes if n["props"].get("dataset") in datasets],
            [r for r in rels if r["props"].get("dataset") in datasets])


def test_push_reads_back_equal_to_the_core_and_twice_changes_nothing(neo4j, names, core):
    name = names()
    first = push(core, neo4j, dataset=name)
    assert first.relationships.created == core.number_of_edges()
    assert_dataset_equals_core(neo4j, core, name)
    before = _ours(neo4j, name)
    assert not push(core, neo4j, dataset=name).changed
    assert _ours(neo4j, name) == before


def test_hostile_strings_round_trip_byte_for_byte(neo4j, names, tmp_path):
    G = graph.load(write_hostile_facts(tmp_path / "hostile"))
    name = names()
    push(G, neo4j, dataset=name, batch_size=2)
    assert_dataset_equals_core(neo4j, G, name)


def test_replace_leaves_other_datasets_and_foreign_data_alone(neo4j, names, core, tmp_path):
    G = graph.load(write_hostile_facts(tmp_path / "hostile"))
    a, b = names(), names()
    push(core, neo4j, dataset=a)
    push(G, neo4j, dataset=b)
    nodes, rels = snapshot(neo4j)
    others = ([n for n in nodes if n["props"].get("dataset") != a],
              [r for r in rels if r["props"].get("dataset") != a])
    summary = push(G, neo4j, dataset=a, replace=True)
    assert summary.entities.removed == core.number_of_nodes()
    nodes, rels = snapshot(neo4j)
    assert ([n for n in nodes if n["props"].get("dataset") != a],
            [r for r in rels if r["props"].get("dataset") != a]) == others
    assert set(dataset_of(neo4j, a)[0]) == set(G.nodes)


def test_the_cypher_script_runs_and_twice_leaves_the_same_graph(neo4j, names, tmp_path):
    G = graph.load(write_hostile_facts(tmp_path / "hostile"))
    name = names()
    statements = [s for s in generate_cypher(G, dataset=name, batch_size=3).split(";\n") if s.strip()]
    for statement in statements:
        neo4j.write(statement)
    assert_dataset_equals_core(neo4j, G, name)
    before = _ours(neo4j, name)
    for statement in statements:
        neo4j.write(statement)
    assert _ours(neo4j, name) == before


def test_query_runs_on_the_server_and_counts_every_relationship(neo4j, names, core):
    name = names()
    push(core, neo4j, dataset=name)
    result = run_query(core, "MATCH (a:Entity {dataset: $d, id: 'raymond-lopez'})-[r]->(b) RETURN count(*) AS n",
                       settings=Neo4jSettings.resolve(), params={"d": name})
    assert result.rows == [[core.out_degree("raymond-lopez")]]  # FalkorDB counts neighbours here
