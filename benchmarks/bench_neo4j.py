"""Throughput of the Neo4j path on a synthetic core, against the embedded FalkorDB.

    .venv/bin/python benchmarks/bench_neo4j.py [N]    # N people, N*(N-1) relations (default 100)

Prints rows/s of the push (batched UNWIND, and one statement per row on a
slice), of the re-run that sends nothing, and the writers' times.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from dense import dense_core  # noqa: E402
from graph.export_csv import write_csv  # noqa: E402
from graph.export_cypher import generate_cypher  # noqa: E402
from graph.falkordb_engine import EmbeddedFalkorDB  # noqa: E402
from graph.neo4j_push import push  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    G = dense_core(n)
    rows = G.number_of_nodes() + G.number_of_edges() + len(G.graph["sources"])
    print(f"core: {G.number_of_nodes()} entities, {G.number_of_edges()} relations ({rows} rows)")
    with EmbeddedFalkorDB() as db:
        t = time.perf_counter()
        push(G, db, batch_size=1000)
        s = time.perf_counter() - t
        print(f"push, batches of 1000:   {s:6.2f} s  {rows / s:8.0f} rows/s")
        t = time.perf_counter()
        summary = push(G, db)
        print(f"re-run (nothing sent):   {time.perf_counter() - t:6.2f} s  changed={summary.changed}")
    small = dense_core(30)
    small_rows = small.number_of_nodes() + small.number_of_edges() + 1
    with EmbeddedFalkorDB() as db:
        t = time.perf_counter()
        push(small, db, batch_size=1)
        s = time.perf_counter() - t
        print(f"push, one row each ({small_rows} rows): {s:6.2f} s  {small_rows / s:8.0f} rows/s")
    t = time.perf_counter()
    script = generate_cypher(G)
    print(f"cypher script:           {time.perf_counter() - t:6.2f} s  {len(script) / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        write_csv(G, Path(tmp) / "csv")
        print(f"neo4j-admin CSV:         {time.perf_counter() - t:6.2f} s")


if __name__ == "__main__":
    main()
