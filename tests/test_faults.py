"""Faults on the way to a database, as a user meets them.

* FalkorDB (the real server) killed while a statement runs, at several
  moments: a sentence each time, and the re-run converges with each id once;
* a host that drops the connection attempt, and a server that accepts and
  never answers: a sentence once the connection timeout has passed (each
  run is a child process, so a hang would fail the test, not stall it);
* the password: never in any output, message or written file, whatever
  the command and whether it came from NEO4J_PASSWORD, --password or a URI.

The Neo4j engineers' own fault tests (tests/test_neo4j_faults.py) kill the
server between batches and cut a Bolt connection mid-export; these kill it
during a statement. (From the command line a cut connection is reported
after the driver's 30 s of retries, which is why it is tested there, with
a short retry time, and not here.)
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
from pathlib import Path

import pytest

import graph
from cli_process import run_cli
from conftest import DATASET, ROOT
from fakebolt import FakeBolt
from graph.cli import main
from graph.cypher_runner import ConnectionLost
from graph.falkordb_engine import EmbeddedFalkorDB
from graph.neo4j_push import push
from neo4j_support import assert_dataset_equals_core, snapshot

SECRET = "pw-Zq8!:@/%40 ü"  # characters that a URI, a shell or a regex would treat specially
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"


# -- the server killed while a statement runs ---------------------------------------

class KilledDuring:
    """Sends the statements on, and kills the server (SIGKILL) ``delay`` seconds
    after the ``n``-th data statement was sent, while it runs."""

    def __init__(self, server: EmbeddedFalkorDB, runner, n: int, delay: float) -> None:
        self.server, self.runner, self.n, self.delay = server, runner, n, delay
        self.target = runner.target
        self.sent = 0

    def read(self, text, params=None):
        return self.runner.read(text, params)

    def write(self, text, params=None):
        if "$rows" in text:
            if self.sent == self.n:
                threading.Timer(self.delay, self.server.process.kill).start()
            self.sent += 1
        return self.runner.write(text, params)


@pytest.fixture
def folder():
    path = Path(tempfile.mkdtemp(prefix="ag-", dir="/tmp"))  # a Unix socket path is short
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_falkordb_killed_while_writing_then_reruns_converge(core, folder):
    H = graph.load(HOSTILE)
    interrupted = []
    for n, delay in [(0, 0.0), (1, 0.002), (3, 0.0), (6, 0.005), (2, 0.001)]:
        server = EmbeddedFalkorDB(folder, persist=True)
        runner = server.start()
        try:
            for G in (core, H):
                push(G, KilledDuring(server, runner, n, delay), batch_size=7)
        except ConnectionLost as exc:
            interrupted.append(str(exc))
        finally:
            server.stop()
    assert interrupted, "no run was interrupted: the test proved nothing"
    for message in interrupted:
        assert "run the same command again" in message and "Traceback" not in message
    server = EmbeddedFalkorDB(folder, persist=True)
    runner = server.start()
    try:
        for G in (core, H):
            push(G, runner, batch_size=7)
            assert_dataset_equals_core(runner, G, G.graph["name"])  # each id once, every value right
        nodes, rels = snapshot(runner)
        assert len(nodes) == sum(G.number_of_nodes() + len(G.graph["sources"]) for G in (core, H))
        assert len(rels) == core.number_of_edges() + H.number_of_edges()
    finally:
        server.stop()


# -- hosts that never answer ---------------------------------------------------------------

class BlackHole:
    """A local address where a connection attempt is never answered.

    ``mode="drop"``: the listen queue is full, so the kernel drops the
    handshake (as a firewall or a dead host does). ``mode="silent"``: the
    connection is accepted and then nothing is ever said (a hung server, or
    another service on the port).
    """

    def __init__(self, mode: str) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(0)
        self.uri = f"bolt://127.0.0.1:{self.server.getsockname()[1]}"
        self.held: list[socket.socket] = []
        if mode == "drop":
            for _ in range(3):
                client = socket.socket()
                client.setblocking(False)
                try:
                    client.connect(self.server.getsockname())
                except BlockingIOError:
                    pass
                self.held.append(client)
        else:
            threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                self.held.append(self.server.accept()[0])
            except OSError:
                return

    def close(self) -> None:
        for s in [*self.held, self.server]:
            s.close()


@pytest.mark.parametrize("mode, command", [("drop", "export"), ("silent", "export"), ("silent", "query")])
def test_a_host_that_never_answers_is_a_sentence_after_the_timeout(tmp_path, mode, command):
    hole = BlackHole(mode)
    try:
        args = (["export", "neo4j", str(DATASET)] if command == "export" else ["query", str(DATASET), "RETURN 1"])
        run = run_cli([*args, "--uri", hole.uri, "--timeout", "1"], cwd=tmp_path, env={"NEO4J_PASSWORD": SECRET},
                      timeout=120)
    finally:
        hole.close()
    assert run.returncode == 1
    assert run.stderr.startswith(f"Error: cannot connect to Neo4j at {hole.uri}: no answer within 1 s")
    assert run.stderr.rstrip().endswith("(--timeout waits longer)")
    assert SECRET not in run.stdout + run.stderr and "Traceback" not in run.stderr


# -- the password -----------------------------------------------------------------------

def _everything_written(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_the_password_never_reaches_output_messages_or_files(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    monkeypatch.setenv("NEO4J_USERNAME", "alice")
    facts = str(HOSTILE)
    runs = [
        ["validate", facts], ["stats", facts, "--json"], ["export", "json", facts, "-o", "g.json"],
        ["export", "cypher", facts, "-o", "g.cypher"], ["export", "csv", facts, "-o", "csv"],
        ["export", "graphml", facts, "-o", "g.graphml"], ["export", "gexf", facts, "-o", "g.gexf"],
        ["view", facts, "-o", "map.html"], ["query", facts, "MATCH (n) RETURN count(n) AS n", "--json"],
        ["export", "neo4j", facts, "--dry-run"], ["export", "neo4j", facts, "--dry-run", "--json"],
    ]
    with FakeBolt("unauthorized") as refuses, FakeBolt("no-database") as lacks:
        runs += [["export", "neo4j", facts, "--uri", refuses.uri], ["query", facts, "RETURN 1", "--uri", refuses.uri],
                 ["export", "neo4j", facts, "--uri", lacks.uri, "--database", "nope"],
                 ["export", "neo4j", facts, "--uri", refuses.uri, "--password", SECRET + "-option"],
                 ["export", "neo4j", facts, "--uri", refuses.uri.replace("//", f"//alice:{SECRET}@")]]
        outputs = []
        for args in runs:
            result = runner.invoke(main, args)
            assert "Traceback" not in result.stderr, args
            outputs.append(result.stdout + result.stderr)
        assert refuses.seen_passwords, "the password did reach the server"
    said = "\n".join(outputs)
    assert "refused the credentials of user 'alice'" in said  # the failing runs did run
    assert SECRET not in said
    assert SECRET.encode() not in _everything_written(tmp_path)
