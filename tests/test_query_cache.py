"""Indexes cached per frozen graph give the answers a fresh computation gives."""

from __future__ import annotations

import random

import networkx as nx

import graph
from graph.queryerrors import NoPath
from conftest import DATASET


def test_paths_and_resolve_on_a_frozen_graph_match_an_unfrozen_copy():
    G = graph.load(DATASET)
    H = nx.MultiDiGraph(G)  # not frozen: nothing is cached for it
    H.graph.update(G.graph)
    rng = random.Random(3)
    nodes = sorted(G)
    for _ in range(25):
        a, b = rng.sample(nodes, 2)
        results = []
        for X in (G, H, G):
            try:
                results.append([str(p) for p in graph.shortest_paths(X, a, b, k=3, max_hops=3)])
            except NoPath as exc:
                results.append(str(exc))
        assert results[0] == results[1] == results[2]
    for ref in ("Ray Lopez", "raymond lópez", "ICE", "brandon-johnson"):
        assert graph.resolve(G, ref) == graph.resolve(H, ref)
