"""A synthetic core of any size, built directly (no YAML), for map tests and benchmarks.

It follows the attribute contract of ``graph/core.py`` so the map draws it
like a loaded fact base.
"""

from __future__ import annotations

import random

import networkx as nx

KINDS = [("person",), ("organization",), ("organization", "agency"), ("policy",), ("policy", "law"),
         ("event",), ("place", "city")]
TYPES = [("supports", "supports", "supported by", 1, False), ("opposes", "opposes", "opposed by", -1, False),
         ("member_of", "member of", "has member", 0, False), ("allied_with", "allied with", "allied with", 1, True),
         ("criticizes", "criticizes", "criticized by", -1, False)]


def synthetic_core(nodes: int, edges: int, *, seed: int = 1, sources: int = 20) -> nx.MultiDiGraph:
    """A frozen core with ``nodes`` entities and ``edges`` cited relations, in communities."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph(
        name=f"synthetic-{nodes}-{edges}", paths=[],
        sources={f"s-{i:03d}": {"id": f"s-{i:03d}", "text": None, "title": f"Article {i}", "publisher": None,
                                "author": None, "published": f"2024-{1 + i % 12:02d}", "url": None}
                 for i in range(sources)},
    )
    for i in range(nodes):
        kinds = KINDS[i % len(KINDS)]
        G.add_node(f"e{i}", kind=kinds[-1], kinds=kinds, name=f"Entity {i}", aliases=(f"E-{i}",),
                   description=f"Synthetic entity {i}", origin=f"synthetic.yaml:{i + 1}")
    community = max(8, nodes // 50)
    for j in range(edges):
        a = rng.randrange(nodes)
        b = (a + rng.randrange(1, community)) % nodes if rng.random() < 0.85 else rng.randrange(nodes)
        if a == b:
            b = (a + 1) % nodes
        type_, label, inverse, polarity, symmetric = TYPES[j % len(TYPES)]
        u, v = (min(f"e{a}", f"e{b}"), max(f"e{a}", f"e{b}")) if symmetric else (f"e{a}", f"e{b}")
        G.add_edge(u, v, key=f"r{j}", id=f"r{j}", type=type_, label=label, inverse=inverse,
                   polarity=polarity, symmetric=symmetric, date=f"{2020 + j % 5}-{1 + j % 12:02d}",
                   start=None, end=None, description=None,
                   citations=({"source": f"s-{j % sources:03d}", "quote": f"Quote number {j}."},),
                   origin=f"synthetic.yaml:{nodes + j + 1}")
    return nx.freeze(G)
