"""networkx node-link JSON: ``nodes`` and ``edges`` with every attribute.

The document reads back with ``networkx.node_link_graph(doc, edges="edges")``.
Tuples become lists; the vocabulary object is left out (it is the schema,
not data).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import networkx as nx

from graph.io import atomic_write


def generate_json(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The node-link document of the core (a new dict; ``G`` is untouched).

    Examples
    --------
    >>> from graph.core import load
    >>> doc = generate_json(load("facts/chicago-sanctuary"))
    >>> sorted(doc)[:4]
    ['directed', 'edges', 'graph', 'multigraph']
    >>> {"id", "kind", "name", "aliases"} <= set(doc["nodes"][0])
    True
    """
    return {
        "directed": True,
        "multigraph": True,
        "graph": {
            "name": G.graph.get("name"),
            "sources": [dict(s) for s in G.graph.get("sources", {}).values()],
        },
        "nodes": [{"id": n, **_plain(attrs)} for n, attrs in G.nodes(data=True)],
        "edges": [
            {"source": u, "target": v, "key": k, **_plain(attrs)}
            for u, v, k, attrs in G.edges(keys=True, data=True)
        ],
    }


def _plain(attrs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in attrs.items():
        if isinstance(value, tuple):
            value = [dict(v) if isinstance(v, dict) else v for v in value]
        out[key] = value
    return out


def write_json(G: nx.MultiDiGraph, path_or_file: str | Path | IO[str]) -> None:
    """Write the node-link JSON to a path (atomically) or an open text file."""
    text = json.dumps(generate_json(G), ensure_ascii=False, indent=2) + "\n"
    if isinstance(path_or_file, (str, Path)):
        atomic_write(path_or_file, text)
    else:
        path_or_file.write(text)
