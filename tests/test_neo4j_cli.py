"""The Neo4j-area commands as a user meets them: export neo4j|cypher|csv|graphml|gexf, query."""

from __future__ import annotations

import json
import socket

import networkx as nx
import pytest

from conftest import DATASET
from fakebolt import FakeBolt
from graph.cli import main

SECRET = "s3cr3t-Pa55-do-not-print"


@pytest.fixture
def env(monkeypatch):
    for name in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _no_secret(result) -> None:
    assert SECRET not in result.stdout and SECRET not in result.stderr
    assert "Traceback" not in result.stderr


def _oppositions(core) -> set[tuple[str, str]]:
    return {(core.nodes[u]["name"], core.nodes[v]["name"]) for u, v, a in core.edges(data=True)
            if a["type"] == "opposes" and "policy" in core.nodes[v]["kinds"]}


# -- export neo4j --------------------------------------------------------------------

def test_dry_run_prints_the_statements_and_never_connects_or_shows_the_password(runner, env, core):
    env.setenv("NEO4J_PASSWORD", SECRET)
    uri = f"bolt://127.0.0.1:{_closed_port()}"  # nothing listens: a connection would fail
    result = runner.invoke(main, ["export", "neo4j", str(DATASET), "--uri", uri, "--user", "me", "--dry-run"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"dry run: nothing sent to {uri} (database: server default, user: me)")
    assert "UNWIND $rows AS row" in result.stdout and "CREATE CONSTRAINT" in result.stdout
    _no_secret(result)
    doc = json.loads(runner.invoke(main, ["export", "neo4j", str(DATASET), "--dry-run", "--json"]).stdout)
    assert doc["would_write"] == {"entities": core.number_of_nodes(), "sources": len(core.graph["sources"]),
                                  "relationships": core.number_of_edges()}
    assert sum(s["rows"] for s in doc["statements"] if s["phase"] == "relationships") == core.number_of_edges()


def test_no_server_given_is_an_error_that_says_how_to_fix_it(runner, env):
    result = runner.invoke(main, ["export", "neo4j", str(DATASET)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no Neo4j server given: pass --uri")


@pytest.mark.parametrize("uri, expected", [
    ("http://localhost:7474", "is not a Neo4j Bolt URI"),
    ("localhost:7687", "is not a Neo4j Bolt URI"),
    (f"bolt://neo4j:{SECRET}@localhost:7687", "cannot use 'bolt://localhost:7687'"),
])
def test_a_wrong_uri_is_a_sentence(runner, env, uri, expected):
    result = runner.invoke(main, ["export", "neo4j", str(DATASET), "--uri", uri, "--password", SECRET])
    assert result.exit_code == 1
    assert expected in result.stderr
    _no_secret(result)


def test_a_refused_connection_is_a_sentence(runner, env):
    env.setenv("NEO4J_PASSWORD", SECRET)
    uri = f"bolt://127.0.0.1:{_closed_port()}"
    result = runner.invoke(main, ["export", "neo4j", str(DATASET), "--uri", uri])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot connect to Neo4j at {uri}:")
    assert "Is the server running" in result.stderr
    _no_secret(result)


def test_bad_credentials_are_a_sentence_without_the_password(runner, env):
    with FakeBolt("unauthorized") as server:
        env.setenv("NEO4J_URI", server.uri)
        env.setenv("NEO4J_USERNAME", "alice")
        env.setenv("NEO4J_PASSWORD", SECRET)
        result = runner.invoke(main, ["export", "neo4j", str(DATASET)])
        assert SECRET.encode() in b"".join(server.seen_passwords), "the password was sent to the server"
    assert result.exit_code == 1
    assert f"Error: Neo4j at {server.uri} refused the credentials of user 'alice'" in result.stderr
    _no_secret(result)


def test_the_password_can_be_prompted_and_is_not_echoed(runner, env):
    with FakeBolt("unauthorized") as server:
        result = runner.invoke(main, ["export", "neo4j", str(DATASET), "--uri", server.uri, "--ask-password"],
                               input=SECRET + "\n")
        assert SECRET.encode() in b"".join(server.seen_passwords)
    assert result.exit_code == 1
    assert "Neo4j password:" in result.stderr
    _no_secret(result)


def test_a_missing_database_is_a_sentence(runner, env):
    with FakeBolt("no-database") as server:
        result = runner.invoke(main, ["export", "neo4j", str(DATASET), "--uri", server.uri,
                                      "--database", "nope", "--password", SECRET])
    assert result.exit_code == 1
    assert f"Error: the database 'nope' does not exist at {server.uri}" in result.stderr
    _no_secret(result)


def test_export_over_bolt_prints_a_summary_and_a_progress_bar(runner, env, core):
    with FakeBolt("ok") as server:
        result = runner.invoke(main, ["export", "neo4j", str(DATASET), "--uri", server.uri, "--password", SECRET])
        quiet = runner.invoke(main, ["export", "neo4j", str(DATASET), "--uri", server.uri, "--silent", "--json"])
    assert result.exit_code == 0, result.stderr
    assert f"relationships: {core.number_of_edges():>6} created" in result.stdout
    assert "writing" in result.stderr
    _no_secret(result)
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert json.loads(quiet.stdout)["relationships"]["created"] == core.number_of_edges()


# -- files -------------------------------------------------------------------------

def test_export_cypher_to_stdout_and_file(runner, tmp_path):
    result = runner.invoke(main, ["export", "cypher", str(DATASET), "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout.startswith("// actorgraph: dataset 'chicago-sanctuary'")
    out = tmp_path / "g.cypher"
    assert runner.invoke(main, ["export", "cypher", str(DATASET), "-o", str(out), "--dataset", "x"]).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "chicago-sanctuary" not in text and "MERGE (n:`Entity` {dataset: 'x', id: row.id})" in text


def test_export_csv_writes_the_folder_and_the_command(runner, tmp_path):
    out = tmp_path / "import"
    result = runner.invoke(main, ["export", "csv", str(DATASET), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "neo4j-admin database import full" in (out / "import.txt").read_text()
    assert (out / "nodes-Entity-Person.csv").is_file() and (out / "relationships-OPPOSES.csv").is_file()


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_export_graphml_and_gexf(runner, tmp_path, core, fmt, reader):
    out = tmp_path / f"g.{fmt}"
    assert runner.invoke(main, ["export", fmt, str(DATASET), "-o", str(out)]).exit_code == 0
    back = reader(out)
    assert back.number_of_nodes() == core.number_of_nodes()
    assert back.number_of_edges() == core.number_of_edges()
    stdout = runner.invoke(main, ["export", fmt, str(DATASET), "-o", "-"])
    assert stdout.exit_code == 0 and stdout.stdout.startswith("<?xml")


# -- query ---------------------------------------------------------------------------

def test_query_answers_with_no_server(runner, env, core):
    result = runner.invoke(main, ["query", str(DATASET), "MATCH (a)-[:OPPOSES]->(p:Policy) RETURN a.name, p.name"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [c.strip() for c in lines[1].strip("|").split("|")] == ["a.name", "p.name"]
    rows = {tuple(cell.strip() for cell in line.strip("|").split("|")) for line in lines[3:-2]}
    assert rows == _oppositions(core)
    assert lines[-1] == f"{len(rows)} rows"


def test_query_json_and_parameters(runner, env, core):
    result = runner.invoke(main, ["query", str(DATASET), "--json", "-p", "who=raymond-lopez", "-p", "n=2",
                                  "MATCH (a {id: $who})-[r]->(b) RETURN b.id AS target, r.id AS id, $n AS n ORDER BY target, id"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["columns"] == ["target", "id", "n"]
    assert [r["target"] for r in doc["rows"]] == sorted(v for _, v in core.out_edges("raymond-lopez"))
    assert {r["n"] for r in doc["rows"]} == {2}


def test_query_returns_nodes_and_dates_as_json(runner, env):
    result = runner.invoke(main, ["query", str(DATASET), "--json",
                                  "MATCH (n:Police) RETURN n, n.firstDate AS first LIMIT 1"])
    assert result.exit_code == 0, result.stderr
    row = json.loads(result.stdout)["rows"][0]
    assert "Police" in row["n"]["labels"] and row["n"]["properties"]["kind"] == "police"


@pytest.mark.parametrize("cypher", ["CREATE (n:Entity {id: 'x'})", "MATCH (n RETURN n"])
def test_query_errors_are_sentences(runner, env, cypher):
    result = runner.invoke(main, ["query", str(DATASET), cypher])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the embedded engine (FalkorDB) rejected a statement")
    assert "Traceback" not in result.stderr


def test_query_with_a_uri_asks_that_server(runner, env):
    with FakeBolt("ok") as server:
        result = runner.invoke(main, ["query", str(DATASET), "--uri", server.uri, "--json",
                                      "MATCH (n) RETURN n"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"columns": [], "rows": []}
