"""Faults on the Neo4j path: a server that dies mid-export, and a re-run that
completes with no duplicate. Each test starts servers of its own."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from fakebolt import FakeBolt
from graph.cypher_runner import ConnectionLost
from graph.falkordb_engine import EmbeddedFalkorDB
from graph.neo4j_bolt import Neo4jRunner, Neo4jSettings
from graph.neo4j_push import push
from neo4j_support import assert_dataset_equals_core, snapshot


class DiesAfter:
    """Kills the server (SIGKILL) once ``n`` data batches are written."""

    def __init__(self, server: EmbeddedFalkorDB, runner, n: int) -> None:
        self.server, self.runner, self.n = server, runner, n
        self.target = runner.target
        self.data_writes = 0

    def read(self, text, params=None):
        return self.runner.read(text, params)

    def write(self, text, params=None):
        if "$rows" in text:
            if self.data_writes == self.n:
                self.server.process.kill()
                self.server.process.wait()
            self.data_writes += 1
        return self.runner.write(text, params)


@pytest.fixture
def folder():
    # a short path: a Unix socket path is limited to ~100 bytes
    path = Path(tempfile.mkdtemp(prefix="ag-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_falkordb_killed_mid_export_then_a_rerun_completes_without_duplicates(core, folder):
    server = EmbeddedFalkorDB(folder, persist=True)
    runner = server.start()
    try:
        with pytest.raises(ConnectionLost) as failure:
            push(core, DiesAfter(server, runner, 4), batch_size=10)
    finally:
        server.stop()
    message = str(failure.value)
    assert "after 4 of" in message and "run the same command again" in message

    server = EmbeddedFalkorDB(folder, persist=True)
    runner = server.start()
    try:
        nodes, _ = snapshot(runner)
        assert 0 < len(nodes) < core.number_of_nodes() + len(core.graph["sources"]), "a partial export survived"
        summary = push(core, runner, batch_size=10)
        assert summary.entities.created + summary.entities.unchanged == core.number_of_nodes()
        assert summary.relationships.created == core.number_of_edges()
        assert_dataset_equals_core(runner, core, "chicago-sanctuary")  # each id once, every value right
        nodes, rels = snapshot(runner)
        assert (len(nodes), len(rels)) == (core.number_of_nodes() + len(core.graph["sources"]), core.number_of_edges())
    finally:
        server.stop()


def test_neo4j_connection_cut_mid_export_is_a_sentence_without_the_password(core):
    # 3 schema writes, then sources and entities; the relationships' batch is cut
    with FakeBolt("ok", hangup_after=5) as server:
        settings = Neo4jSettings.resolve(uri=server.uri, user="neo4j", password="pw-7f3a9c", env={})
        with pytest.raises(ConnectionLost) as failure, Neo4jRunner(settings, max_retry_time=0.3) as runner:
            push(core, runner)
    message = str(failure.value)
    assert message.startswith(f"lost the connection to Neo4j at {server.uri}")
    assert "after 2 of 3 batches" in message and "run the same command again" in message
    assert "pw-7f3a9c" not in message
