"""The Bolt exporter's own statements and parameters, run for real on FalkorDB
(through the dialect layer) and read back.

One FalkorDB server for the module; each test works in graphs of its own.
"""

from __future__ import annotations

import copy
import re
import itertools

import networkx as nx
import pytest

import graph
from graph.cypher_dialect import cypher_params
from graph.export_cypher import generate_cypher
from graph.falkordb_engine import EmbeddedFalkorDB
from graph.cypher_runner import Result, StatementFailed
from graph.neo4j_mapping import Neo4jMapping
from graph.neo4j_push import Existing, plan_push, push
from neo4j_support import (
    HOSTILE,
    LONG,
    RecordingRunner,
    assert_dataset_equals_core,
    dataset_of,
    readme_queries,
    snapshot,
    write_hostile_facts,
)

_names = itertools.count()


@pytest.fixture(scope="module")
def server():
    embedded = EmbeddedFalkorDB()
    embedded.start()
    yield embedded
    embedded.stop()


@pytest.fixture
def new_graph(server):
    return lambda: server.graph(f"g{next(_names)}")


@pytest.fixture
def db(new_graph):
    return new_graph()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return graph.load(write_hostile_facts(tmp_path_factory.mktemp("hostile")))


def _state(G):
    return (copy.deepcopy(dict(G.graph.get("sources", {}))),
            [(n, copy.deepcopy(dict(a))) for n, a in G.nodes(data=True)],
            [(u, v, k, copy.deepcopy(dict(a))) for u, v, k, a in G.edges(keys=True, data=True)])


def test_round_trip_equals_the_core_and_leaves_it_unchanged(core, db):
    before = _state(core)
    summary = push(core, db)
    assert _state(core) == before
    assert (summary.entities.created, summary.relationships.created, summary.sources.created) == \
        (core.number_of_nodes(), core.number_of_edges(), len(core.graph["sources"]))
    assert_dataset_equals_core(db, core, "chicago-sanctuary")
    nodes, rels = snapshot(db)
    assert len(nodes) == core.number_of_nodes() + len(core.graph["sources"])
    assert len(rels) == core.number_of_edges()


def test_a_second_run_changes_nothing_and_sends_no_data(core, db):
    push(core, db)
    first = snapshot(db)
    recorder = RecordingRunner(db)
    again = push(core, recorder)
    assert not again.changed
    assert again.entities.unchanged == core.number_of_nodes()
    assert again.relationships.unchanged == core.number_of_edges()
    assert [kind for kind, *_ in recorder.sent] == ["read"] * 4, "the schema and the data read, nothing written"
    assert snapshot(db) == first


def _schema(runner):
    """The indexes and constraints, as FalkorDB lists them."""
    indexes = runner.read("CALL db.indexes() YIELD label, properties RETURN label, properties").rows
    constraints = runner.read("CALL db.constraints() YIELD type, label, properties "
                              "RETURN type, label, properties").rows
    return sorted(map(repr, indexes)), sorted(map(repr, constraints))


def test_the_schema_is_sent_once_and_made_again_when_dropped(core, db):
    first = RecordingRunner(db)
    push(core, first)
    schema_writes = [text for kind, text, _ in first.sent if kind == "write" and text.startswith("CREATE ")
                     and not text.startswith("CREATE (")]
    assert schema_writes == Neo4jMapping.of(core).constraints()
    made = _schema(db)
    assert made[1], "the key constraints are in place"

    # someone drops the key constraint of the sources and its index
    db.graph.execute_command("GRAPH.CONSTRAINT", "DROP", db.graph.name, "UNIQUE", "NODE", "Source",
                             "PROPERTIES", "2", "dataset", "id")
    for prop in ("dataset", "id"):  # FalkorDB indexes each property on its own
        db.write(f"DROP INDEX FOR (n:Source) ON (n.{prop})")
    assert _schema(db) != made
    again = RecordingRunner(db)
    summary = push(core, again)
    assert not summary.changed
    resent = [text for kind, text, _ in again.sent if kind == "write"]
    assert resent == [text for text in Neo4jMapping.of(core).constraints() if "`Source`" in text]
    assert _schema(db) == made


def test_a_schema_that_cannot_be_listed_is_sent_whole(core, db):
    class NoShow(RecordingRunner):
        def read(self, text, params=None):
            if text.startswith("SHOW "):
                raise StatementFailed("not allowed to see the indexes")
            return super().read(text, params)

    push(core, db)
    runner = NoShow(db)
    assert not push(core, runner).changed
    writes = [text for kind, text, _ in runner.sent if kind == "write"]
    assert writes == Neo4jMapping.of(core).constraints()


def test_every_statement_is_idempotent_on_its_own(core, new_graph):
    """Sending every batch twice (as a driver retry would) gives the same graph as once."""
    once, twice = new_graph(), new_graph()
    plan = plan_push(core, batch_size=7)
    for batch in plan.batches:
        once.write(batch.text, batch.params)
        twice.write(batch.text, batch.params)
        twice.write(batch.text, batch.params)
    assert snapshot(once) == snapshot(twice)
    assert_dataset_equals_core(twice, core, "chicago-sanctuary")


def test_batch_size_does_not_change_the_graph(core, new_graph):
    small, large = new_graph(), new_graph()
    push(core, small, batch_size=1)
    push(core, large, batch_size=5000)
    assert snapshot(small) == snapshot(large)


def test_hostile_strings_round_trip_byte_for_byte(hostile, db):
    push(hostile, db, batch_size=2)
    assert_dataset_equals_core(db, hostile, hostile.graph["name"])
    entities, sources, rels = dataset_of(db, hostile.graph["name"])
    seen = set()
    for record in [*entities.values(), *sources.values(), *rels.values()]:
        for value in record["props"].values():
            seen.update(value if isinstance(value, list) else [value])
    missing = [h for h in [*HOSTILE, LONG] if h not in seen and h + " ordinance" not in seen]
    assert not missing
    assert entities["p-two"]["props"]["description"].encode() == LONG.encode()


def test_replace_removes_only_this_datasets_stale_data(core, hostile, db):
    push(core, db, dataset="a")
    push(hostile, db, dataset="b")
    # foreign data: no dataset, one node shares an id and a label with ours
    db.write("CREATE (:Entity {id: 'ice', name: 'not ours'})-[:KNOWS {since: 1}]->(:Thing {x: 1})")
    # someone else's note on a node that dataset a is about to drop
    db.write("MATCH (n:Entity {dataset: 'a', id: 'tom-homan'}) CREATE (n)-[:ANNOTATED]->(:Note {text: 'mine'})")
    nodes, rels = snapshot(db)
    others = ([n for n in nodes if n["props"].get("dataset") != "a"],
              [r for r in rels if r["props"].get("dataset") != "a"])

    kept = push(hostile, db, dataset="a")  # without --replace nothing goes
    assert kept.entities.stale == core.number_of_nodes() and kept.entities.removed == 0
    assert kept.relationships.stale == core.number_of_edges()

    summary = push(hostile, db, dataset="a", replace=True)
    assert summary.relationships.removed == core.number_of_edges()
    assert summary.entities.removed == core.number_of_nodes() - 1
    assert summary.entities.stale == 1, "tom-homan is kept: someone else's note links to it"
    assert summary.sources.removed == len(core.graph["sources"])

    nodes, rels = snapshot(db)
    assert ([n for n in nodes if n["props"].get("dataset") != "a"],
            [r for r in rels if r["props"].get("dataset") != "a"]) == others
    entities, _, relations = dataset_of(db, "a")
    assert set(entities) == set(hostile.nodes) | {"tom-homan"}
    assert set(relations) == {k for *_, k in hostile.edges(keys=True)}
    assert push(hostile, db, dataset="a", replace=True).changed is False


def _facts(folder, police: str, org: str, sponsor: str):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "f.yaml").write_text(f"""
sources:
  - id: s1
entities:
  - {{id: a, kind: person, name: A}}
  - {{id: b, kind: {org}, name: B}}
  - {{id: c, kind: {police}, name: C}}
  - {{id: p, kind: ordinance, name: P}}
relations:
  - {{id: r1, type: sponsors, from: {sponsor}, to: p, cite: [{{source: s1}}]}}
""", encoding="utf-8")
    return graph.load(folder)


def test_changed_kinds_and_moved_relations_are_updated_in_place(tmp_path, db):
    v1 = _facts(tmp_path / "v1", police="police", org="organization", sponsor="a")
    v2 = _facts(tmp_path / "v2", police="organization", org="police", sponsor="b")
    push(v1, db, dataset="d")
    summary = push(v2, db, dataset="d")
    assert (summary.entities.updated, summary.relationships.updated) == (2, 1)
    assert_dataset_equals_core(db, v2, "d")


def test_the_cypher_script_builds_the_graph_the_push_builds(core, hostile, new_graph):
    for G in (core, hostile):
        scripted, pushed = new_graph(), new_graph()
        script = generate_cypher(G, batch_size=3)
        statements = [s for s in script.split(";\n") if s.strip()]
        for _ in range(2):  # running the script twice leaves the same graph
            for statement in statements:
                scripted.write(statement)
        push(G, pushed)
        assert snapshot(scripted) == snapshot(pushed)
        assert_dataset_equals_core(scripted, G, G.graph["name"])


def test_readme_queries_answer_from_the_citations(core, db):
    push(core, db)
    backed = db.read(
        "MATCH (a:Entity)-[r]->(b:Entity) WHERE 's-000' IN r.sources "
        "RETURN a.id AS from, type(r) AS type, b.id AS to, r.id AS id").records()
    want = {k for *_, k, attrs in core.edges(keys=True, data=True)
            if any(c["source"] == "s-000" for c in attrs["citations"])}
    assert {r["id"] for r in backed} == want and want
    rid = next(iter(sorted(want)))
    sources = db.read(
        "MATCH ()-[r {id: $id}]->() UNWIND range(0, size(r.sources) - 1) AS i "
        "MATCH (s:Source {dataset: r.dataset, id: r.sources[i]}) RETURN s.id AS source, r.quotes[i] AS quote",
        {"id": rid}).records()
    edge = next(attrs for *_, k, attrs in core.edges(keys=True, data=True) if k == rid)
    assert [(s["source"], s["quote"]) for s in sources] == \
        [(c["source"], c["quote"] or "") for c in edge["citations"]]


def test_readme_example_queries_run_on_the_embedded_engine(core, db):
    push(core, db)
    queries = readme_queries()
    assert len(queries) >= 4
    for query in queries:
        assert db.read(query).rows, query


def test_readme_falkordb_translations_hold(core, db):
    # `CALL (x) { ... }` and elementId() are written for FalkorDB (they fail there as they are)
    push(core, db)
    eid = db.read("MATCH (n:Entity {id: 'ice'}) RETURN elementId(n) AS e").rows[0][0]
    assert db.read("MATCH (n:Entity) WHERE elementId(n) = $e RETURN n.id", {"e": eid}).rows == [["ice"]]
    assert db.read("MATCH (n:Entity {id: 'ice'}) CALL (n) { RETURN n.name AS x } RETURN x").rows == \
        [[core.nodes["ice"]["name"]]]
    raw = db.graph.execute_command
    for text in ("MATCH (n:Entity) RETURN elementId(n)", "WITH 1 AS x CALL (x) { RETURN x AS y } RETURN y"):
        with pytest.raises(Exception):
            raw("GRAPH.RO_QUERY", db.graph.name, text)


# -- the README's list of FalkorDB differences stays true -------------------------------------

@pytest.mark.parametrize("cypher, refusal", [
    ("MATCH p = shortestPath((a:Entity)-[*..4]->(b:Entity)) RETURN p", "only supports shortestPaths in WITH or RETURN"),
    ("MATCH (a:Entity), (b:Entity) RETURN shortestPath((a)-[*..4]-(b))", "undirected shortestPath"),
    ("MATCH (n:$($label)) RETURN n", "expected a label"),
    ("MATCH (n:Entity) WHERE EXISTS { (n)-->() } RETURN n", "Invalid input"),
    ("MATCH (n:Entity) RETURN COUNT { (n)-->() } AS c", "Invalid input"),
])
def test_readme_falkordb_refusals_hold(core, db, cypher, refusal):
    from graph.cypher_runner import StatementFailed

    push(core, db)
    with pytest.raises(StatementFailed, match=re.escape(refusal)):
        db.read(cypher, {"label": "Person"})


def test_readme_falkordb_counts_neighbours_when_the_relationship_is_unused(core, db):
    push(core, db)
    q = "MATCH (a:Entity {id: 'raymond-lopez'})-[r]->(b) RETURN "
    assert db.read(q + "count(*)").rows == [[len(set(core.successors("raymond-lopez")))]]
    assert db.read(q + "count(r)").rows == [[core.out_degree("raymond-lopez")]]
    assert len(set(core.successors("raymond-lopez"))) < core.out_degree("raymond-lopez")


def test_our_parameter_header_gives_falkordb_the_clients_values(core, hostile, db):
    # the runner writes the CYPHER header itself (speed): each value as the client writes it, byte
    # for byte, except lists of plain values, written as JSON, from which FalkorDB must read the same
    from falkordb.helpers import stringify_param_value

    from graph.cypher_dialect import cypher_params, list_text, param_text

    odd = {"n": [1, 2.5, -0.0, True, False, None, 10**20, float("inf")], "t": ("a", ""), "m": {"k-1": {"x": [[]]}}}
    plans = [plan_push(G, batch_size=7, existing=Existing(), create=create) for G in (core, hostile) for create in (False, True)]
    params = [b.params for plan in plans for b in plan.batches if b.params]
    assert len(params) > 10
    for value in [*odd.values(), *(v for p in params for v in p.values())]:
        assert param_text(value) == stringify_param_value(value)
    as_json = 0
    for p in params:
        for name, value in p.items():
            as_json += type(value) is list and list_text(value) is not None
            ours = db.graph.execute_command("GRAPH.QUERY", db.graph.name, cypher_params({name: value}) + f"RETURN ${name}")
            theirs = db.graph.execute_command("GRAPH.QUERY", db.graph.name,
                                              db.graph._build_params_header({name: value}) + f"RETURN ${name}")
            assert ours[1] == theirs[1], name
    assert as_json > 10, "no list went as JSON: this test would not see it go wrong"


def test_our_reply_decoder_gives_the_clients_values(hostile, db):
    # read-backs are decoded here, anything else by the client: both give the same values
    from falkordb.query_result import QueryResult

    from graph.cypher_dialect import parse_compact_reply, plain

    push(hostile, db)
    queries = ["MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props",
               "MATCH ()-[r]->() RETURN r.id, type(r), properties(r), r.firstDate",
               "RETURN 1.5 AS f, null AS z, [true, false] AS b, {a: [1, {b: 'x'}]} AS m, date('2020-02-29') AS d"]
    for text in queries:
        reply = db.graph.execute_command("GRAPH.RO_QUERY", db.graph.name, text, "--compact")
        ours = parse_compact_reply(reply)
        theirs = QueryResult(db.graph, reply)
        assert ours is not None and ours.rows
        assert ours.rows == [[plain(v) for v in row] for row in theirs.result_set]
        assert [type(v) for row in ours.rows for v in row] == [type(plain(v)) for row in theirs.result_set for v in row]
    nodes = db.graph.execute_command("GRAPH.RO_QUERY", db.graph.name, "MATCH (n) RETURN n LIMIT 1", "--compact")
    assert parse_compact_reply(nodes) is None  # left to the client, which knows the labels
    assert db.read("MATCH (n) RETURN n LIMIT 1").rows[0][0].labels


# -- another client writes between the read-back and the CREATEs ------------------------------

class _Meddler:
    """A runner that lets another client act once, just before the first statement matching ``when``."""

    def __init__(self, runner, when, act):
        self.runner, self.when, self.act = runner, when, act
        self.target = runner.target
        self.done = False
        self.sent = []

    def read(self, text, params=None):
        return self.runner.read(text, params)

    def write(self, text, params=None):
        if not self.done and self.when(text):
            self.done = True
            self.act(self.runner)
        self.sent.append(text)
        return self.runner.write(text, params)


def test_push_falls_back_to_keys_when_an_end_is_deleted_and_its_id_reused(core, db):
    # the relationships' statement finds its ends by element id: ice goes, an intruder of another dataset
    # takes its id (FalkorDB reuses them), ice comes back under a new one. Nothing may link the intruder.
    def act(runner):
        runner.write("MATCH (n:Entity {dataset: 'chicago-sanctuary', id: 'ice'}) DETACH DELETE n")
        runner.write("CREATE (:Entity {dataset: 'other', id: 'intruder'})")
        runner.write("CREATE (:Entity:Organization {dataset: 'chicago-sanctuary', id: 'ice'})")

    meddler = _Meddler(db, lambda text: "$ids" in text, act)
    summary = push(core, meddler)
    assert meddler.done and summary.relationships.created == core.number_of_edges()
    assert any("$ids" in t for t in meddler.sent) and any(t.startswith("UNWIND $rows AS row\nMATCH") for t in meddler.sent)
    assert db.read("MATCH (n {id: 'intruder'})-[r]-() RETURN count(r)").rows == [[0]]
    _, _, rels = dataset_of(db, "chicago-sanctuary")
    assert len(rels) == core.number_of_edges()
    assert db.read("MATCH (n:Entity {id: 'ice'})-[r]-() RETURN count(r)").rows == [[core.degree("ice")]]
    again = push(core, db)  # the bare ice is brought back to what the facts say
    assert again.entities.updated == 1 and again.relationships.unchanged == core.number_of_edges()
    assert_dataset_equals_core(db, core, "chicago-sanctuary")
    assert not push(core, db).changed


def test_push_falls_back_to_merge_when_a_node_appears_since_the_read_back(core, db):
    # the CREATE of the entities breaks the key constraint: the same rows are MERGEd, nothing is doubled
    def act(runner):
        runner.write("CREATE (:Entity {dataset: 'chicago-sanctuary', id: 'ice', name: 'stale'})")

    meddler = _Meddler(db, lambda text: "CREATE (n:`Entity`" in text, act)
    summary = push(core, meddler)
    assert meddler.done and summary.entities.created == core.number_of_nodes()
    assert any(t.startswith("UNWIND $rows AS row\nMERGE (n:`Entity`") for t in meddler.sent)
    assert_dataset_equals_core(db, core, "chicago-sanctuary")
    assert not push(core, db).changed


def test_push_one_row_a_statement_sends_the_merge_statements(core, db):
    # batch_size=1 is the plain per-row write (the benchmark's baseline): MERGE by key, no CREATE
    recorder = RecordingRunner(db)
    push(core, recorder, batch_size=1)
    writes = [text for kind, text, _ in recorder.sent if kind == "write" and not text.startswith("CREATE CONSTRAINT")
              and not text.startswith("CREATE INDEX")]
    assert len(writes) == core.number_of_nodes() + core.number_of_edges() + len(core.graph["sources"])
    assert all("MERGE" in text and "CREATE" not in text for text in writes)
    assert_dataset_equals_core(db, core, "chicago-sanctuary")


def test_a_first_push_creates_everything_without_falling_back(core, hostile, db):
    # the entities' CREATE gives back each new node's element id, with which the relationships'
    # CREATE finds its ends; an id missing or wrong would send the MERGE statements instead
    for G, size in ((core, 1000), (hostile, 2)):
        recorder = RecordingRunner(db)
        summary = push(G, recorder, batch_size=size)
        writes = [text for kind, text, _ in recorder.sent if kind == "write"]
        assert any("$ids" in text for text in writes)
        assert not [text for text in writes if "MERGE" in text]
        assert summary.relationships.created == G.number_of_edges()
        assert_dataset_equals_core(db, G, G.graph["name"])


def test_a_relation_unlike_its_types_vocabulary_is_written_as_it_is(core, db):
    # what the vocabulary gives a type is sent once a type; a graph whose relation says otherwise
    # (not a core: a core's relations always agree) has that relation written row by row, as it is
    G = nx.MultiDiGraph(core)
    G.graph.update(core.graph)
    u, v, key, attrs = next(iter(G.edges(keys=True, data=True)))
    G.edges[u, v, key].update(label=attrs["label"] + " (edited)", polarity=bool(attrs["polarity"]))
    recorder = RecordingRunner(db)
    summary = push(G, recorder)
    assert summary.relationships.created == G.number_of_edges()
    assert_dataset_equals_core(db, G, "chicago-sanctuary")
    merged = [params for kind, text, params in recorder.sent if "MERGE (a)-[r:" in text]
    assert [[row["id"] for row in params["rows"]] for params in merged] == [[key]]


def test_writes_sent_at_once_answer_in_order_and_leave_the_connection_in_step(core, db):
    schema = [(text, {}) for text in Neo4jMapping.of(core).constraints()]
    assert db.send_writes(schema)() == [Result([])] * 3  # a constraint is two commands on FalkorDB
    assert db.send_writes(schema)() == [Result([])] * 3  # already there: not an error
    results = db.send_writes([("CREATE (n:T {v: $v}) RETURN n.v AS v", {"v": "first"}),
                              ("RETURN 1 +", {}),  # refused
                              ("CREATE (n:T {v: $v}) RETURN n.v AS v", {"v": "third"})])
    with pytest.raises(StatementFailed, match="rejected a statement"):
        results()
    # the refusal did not stop the others, and every reply was read: the next statement gets its own
    assert db.read("MATCH (n:T) RETURN n.v AS v ORDER BY v").rows == [["first"], ["third"]]
    assert db.send_writes([("RETURN $x AS x", {"x": 2}), ("RETURN 3 AS y", None)])() == \
        [Result(["x"], [[2]]), Result(["y"], [[3]])]
    node, = db.send_writes([("CREATE (n:T:U {v: 'node'}) RETURN n", None)])()  # the client's parser
    assert node.rows[0][0] == db.read("MATCH (n:U) RETURN n").rows[0][0]
    assert (node.rows[0][0].labels, node.rows[0][0].properties) == (("T", "U"), {"v": "node"})


def test_parameters_made_ready_ahead_are_those_of_the_same_lists_only(db):
    rows = [["a", 1, None], ["b", 2, ["x", "y"]]]
    other = [["c", 3, None]]
    text = "UNWIND $rows AS row RETURN row[0] AS k, row[1] AS n, row[2] AS x"
    db.prepare({"rows": rows, "other": other})
    assert db._written and all(value is rows or value is other for value, _ in db._written.values())
    assert db.write(text, {"rows": rows}).rows == [["a", 1, None], ["b", 2, ["x", "y"]]]
    assert not db._written, "used for one statement only"
    # a list that is not the one made ready (same content or not) is written out afresh
    db.prepare({"rows": rows})
    assert db.write(text, {"rows": [["z", 9, None]]}).rows == [["z", 9, None]]
    assert cypher_params({"rows": [1]}, {id(rows): (rows, "[666]")}) == "CYPHER `rows`=[1] "
    assert cypher_params({"rows": rows}, {id(rows): (rows, "[666]")}) == "CYPHER `rows`=[666] "
