"""Time the query library on the Chicago dataset and on a dense synthetic core.

    .venv/bin/python benchmarks/bench_queries.py [--dense N]

Prints the median of several runs per query. The dense core joins every
ordered pair of N people (N(N-1) relations); between two of its nodes there
are about N^3 simple paths of 4 hops, which the bounded search never
enumerates.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import graph  # noqa: E402
from dense import dense_core, simple_paths_of  # noqa: E402


def timed(label: str, fn, repeat: int = 5) -> None:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    print(f"  {label:<58} {statistics.median(runs) * 1000:9.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dense", type=int, default=250, help="people in the dense core (default 250)")
    args = parser.parse_args()

    start = time.perf_counter()
    G = graph.load(ROOT / "facts" / "chicago-sanctuary")
    print(f"chicago-sanctuary ({G.number_of_nodes()} entities, {G.number_of_edges()} relations), "
          f"loaded in {(time.perf_counter() - start) * 1000:.0f} ms")
    timed("shortest_paths Homan -> TRUST Act (k=5, 4 hops)",
          lambda: graph.shortest_paths(G, "Tom Homan", "TRUST Act"))
    timed("shortest_paths Homan -> TRUST Act (k=50, 6 hops)",
          lambda: graph.shortest_paths(G, "Tom Homan", "TRUST Act", k=50, max_hops=6))
    timed("stances on the amendment", lambda: graph.stances(G, "Lopez-Tabares amendment"))
    timed("positions of Brandon Johnson", lambda: graph.positions(G, "Brandon Johnson"))
    timed("alignment (raw)", lambda: graph.alignment(G))
    timed("alignment (jaccard, direct)", lambda: graph.alignment(G, normalize="jaccard", direct=True))
    timed("as_of 2025-01 + count edges", lambda: graph.as_of(G, "2025-01").number_of_edges())
    timed("timeline of Raymond Lopez", lambda: graph.timeline(G, "Raymond Lopez"))
    timed("ego_graph TRUST Act, 2 hops", lambda: len(graph.ego_graph(G, "TRUST Act", hops=2)))

    n = args.dense
    start = time.perf_counter()
    D = dense_core(n)
    paths4 = sum(simple_paths_of(n, h) for h in range(1, 5))
    print(f"\ndense-{n} ({D.number_of_nodes()} entities, {D.number_of_edges()} relations; "
          f"{paths4:,} simple paths of <= 4 hops between two nodes), built in "
          f"{(time.perf_counter() - start):.1f} s")
    timed("shortest_paths p0 -> p1 (k=5, 4 hops)", lambda: graph.shortest_paths(D, "p0", "p1"), 3)
    timed("shortest_paths p0 -> p1 (k=100, 6 hops)",
          lambda: graph.shortest_paths(D, "p0", "p1", k=100, max_hops=6), 3)
    timed("shortest_paths p0 -> p1 (k=100000, timeout 1 s)",
          lambda: graph.shortest_paths(D, "p0", "p1", k=100_000, timeout=1.0), 1)
    timed("alignment (raw)", lambda: graph.alignment(D), 1)


if __name__ == "__main__":
    main()
