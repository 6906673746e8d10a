"""`make bench` at the smallest size, as CI runs it: every figure present (no timing asserts)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT


def test_bench_runs_at_the_smallest_size(tmp_path):
    results = tmp_path / "RESULTS.md"
    env = {**os.environ, "ACTORGRAPH_CACHE_DIR": str(tmp_path / "cache"), "BENCH_SIZE": "1k"}
    proc = subprocess.run([sys.executable, "-m", "benchmarks.run", "--repeat", "1", "--no-map", "--output", str(results)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    table = proc.stdout
    for figure in ("reference: PyYAML CSafeLoader", "cold load", "cold / reference", "peak memory",
                   "same process: `graph.load` again", "same process / cold",
                   "with the daemon running", "new process with the daemon / cold", "s after the edit",
                   "`actorgraph stats`",
                   "new process, no daemon, disk cache", "load, nothing edited",
                   "path queries", "stances", "alignment", "Neo4j path on FalkorDB", "embedded load",
                   "Cypher script / neo4j-admin CSV", "map: time to interactive"):
        assert figure in table, figure
    doc = results.read_text(encoding="utf-8")
    assert "machine:" in doc and "Python" in doc and table.strip() in doc
    assert "1k (1,000 rel" in doc
