"""GraphML and GEXF for Gephi (and yEd, Cytoscape...), through networkx's writers.

Both formats hold only flat values, so the core's attributes are flattened
the same way for both:

- a list (``aliases``, ``kinds``, list properties) and the citations'
  ``sources`` and ``quotes`` (parallel lists; a citation without a quote
  has ``null``) become JSON array text: ``["Ray Lopez", "Raymond López"]``;
- partial dates stay as written: ``date``, and ``startDate``/``endDate``
  for a relation's ``start``/``end``; ``firstDate`` and ``lastDate`` add the
  first and last day they cover as ``YYYY-MM-DD``;
- absent values (None) are left out; numbers and flags keep their type;
- a node's ``label`` is its name (what Gephi shows); an edge's is its reading
  (``sponsors``) and its id is the relation id;
- the graph's ``sources`` are one JSON text attribute of the graph.

In GEXF, a dated element also gets Gephi's own ``start``/``end`` (its first
and last day), so Gephi's timeline can filter by time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import networkx as nx

from graph.core import interval
from graph.io import atomic_open

_RENAME = {"start": "startDate", "end": "endDate"}
_SKIP = {"vocabulary", "citations"}


def _flat(attrs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in attrs.items():
        if key in _SKIP or value is None:
            continue
        if isinstance(value, (tuple, list)):
            value = json.dumps(list(value), ensure_ascii=False)
        out[_RENAME.get(key, key)] = value
    first, last = interval(attrs)
    if first:
        out["firstDate"] = first.isoformat()
    if last:
        out["lastDate"] = last.isoformat()
    return out


def gephi_graph(G: nx.MultiDiGraph, *, timeline: bool = False) -> nx.MultiDiGraph:
    """A new graph with the flat attributes both formats can hold (``G`` is untouched).

    With ``timeline``, dated nodes and edges also get ``start``/``end`` (GEXF's time attributes).

    Examples
    --------
    >>> from graph.core import load
    >>> F = gephi_graph(load("facts/chicago-sanctuary"))
    >>> F.nodes["raymond-lopez"]["label"], F.nodes["raymond-lopez"]["aliases"]
    ('Raymond Lopez', '["Ray Lopez", "Raymond López"]')
    """
    F = nx.MultiDiGraph()
    F.graph["name"] = G.graph.get("name") or ""
    F.graph["sources"] = json.dumps(list(G.graph.get("sources", {}).values()), ensure_ascii=False)
    for node, attrs in G.nodes(data=True):
        flat = _flat(attrs)
        flat["label"] = attrs.get("name", node)
        _time(flat, timeline)
        F.add_node(node, **flat)
    for u, v, key, attrs in G.edges(keys=True, data=True):
        flat = _flat(attrs)
        flat["sources"] = json.dumps([c["source"] for c in attrs["citations"]], ensure_ascii=False)
        flat["quotes"] = json.dumps([c["quote"] for c in attrs["citations"]], ensure_ascii=False)
        _time(flat, timeline)
        F.add_edge(u, v, key=key, **flat)
    return F


def _time(flat: dict[str, Any], timeline: bool) -> None:
    if timeline:
        if "firstDate" in flat:
            flat["start"] = flat["firstDate"]
        if "lastDate" in flat:
            flat["end"] = flat["lastDate"]


def write_graphml(G: nx.MultiDiGraph, path_or_file: str | Path | IO[bytes]) -> None:
    """Write GraphML to a path (atomically) or a binary file."""
    F = gephi_graph(G)
    if isinstance(path_or_file, (str, Path)):
        with atomic_open(path_or_file, "wb") as handle:
            nx.write_graphml(F, handle, named_key_ids=True)
    else:
        nx.write_graphml(F, path_or_file, named_key_ids=True)


def write_gexf(G: nx.MultiDiGraph, path_or_file: str | Path | IO[bytes]) -> None:
    """Write GEXF 1.2 (with a timeline) to a path (atomically) or a binary file."""
    F = gephi_graph(G, timeline=True)
    if isinstance(path_or_file, (str, Path)):
        with atomic_open(path_or_file, "wb") as handle:
            nx.write_gexf(F, handle)
    else:
        nx.write_gexf(F, path_or_file)
