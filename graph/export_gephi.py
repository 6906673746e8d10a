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
and last day), so Gephi's timeline can filter by time; and since GEXF's edge
``type`` is the edge's direction, a relation's type is ``relationType``
there (every edge is directed; ``symmetric`` says which read both ways).

Text comes out byte for byte (a carriage return is written ``&#13;`` so that
XML readers keep it). XML 1.0 cannot hold the control characters U+0000 to
U+001F other than tab, line feed and carriage return: a value holding one is
an error naming the entity or relation, not a silent change.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import IO, Any

import networkx as nx

from graph.core import interval
from graph.io import atomic_open
from loaders import ActorgraphError

_RENAME = {"start": "startDate", "end": "endDate"}
_SKIP = {"vocabulary", "citations"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# stands in for a carriage return while networkx writes, then becomes &#13;
# (it is one of the characters refused above, so no value holds it)
_CR = "\x01"


class XmlTextError(ActorgraphError):
    """A value holds a character that XML 1.0 cannot carry."""


def _xml_text(value: Any, where: str, key: str) -> Any:
    if isinstance(value, str):
        bad = _NOT_XML.search(value)
        if bad:
            raise XmlTextError(f"{where}: `{key}` holds the control character U+{ord(bad.group()):04X}, which "
                               "GraphML and GEXF (XML 1.0) cannot carry; remove it from the facts, or export "
                               "json, cypher or csv instead")
    return value


def _flat(attrs: dict[str, Any], where: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in attrs.items():
        if key in _SKIP or value is None:
            continue
        if isinstance(value, (tuple, list)):
            for item in value:
                _xml_text(item, where, key)
            value = json.dumps(list(value), ensure_ascii=False)
        out[_RENAME.get(key, key)] = _xml_text(value, where, key)
    first, last = interval(attrs)
    if first:
        out["firstDate"] = first.isoformat()
    if last:
        out["lastDate"] = last.isoformat()
    return out


def gephi_graph(G: nx.MultiDiGraph, *, timeline: bool = False) -> nx.MultiDiGraph:
    """A new graph with the flat attributes both formats can hold (``G`` is untouched).

    With ``timeline`` (for GEXF), dated nodes and edges also get ``start``/``end``,
    and an edge's ``type`` is its direction (the relation type is ``relationType``).

    Examples
    --------
    >>> from graph.core import load
    >>> F = gephi_graph(load("facts/chicago-sanctuary"))
    >>> F.nodes["raymond-lopez"]["label"], F.nodes["raymond-lopez"]["aliases"]
    ('Raymond Lopez', '["Ray Lopez", "Raymond López"]')
    """
    F = nx.MultiDiGraph()
    F.graph["name"] = G.graph.get("name") or ""
    sources = list(G.graph.get("sources", {}).values())
    for source in sources:
        _flat(source, f"source {source['id']!r}")
    F.graph["sources"] = json.dumps(sources, ensure_ascii=False)
    for node, attrs in G.nodes(data=True):
        flat = _flat(attrs, f"entity {node!r}")
        flat["label"] = attrs.get("name", node)
        _time(flat, timeline)
        F.add_node(node, **flat)
    for u, v, key, attrs in G.edges(keys=True, data=True):
        flat = _flat(attrs, f"relation {key!r}")
        flat["sources"] = json.dumps([c["source"] for c in attrs["citations"]], ensure_ascii=False)
        quotes = [_xml_text(c["quote"], f"relation {key!r}", "quote") for c in attrs["citations"]]
        flat["quotes"] = json.dumps(quotes, ensure_ascii=False)
        if timeline:  # GEXF
            flat["relationType"] = flat.pop("type")
        _time(flat, timeline)
        F.add_edge(u, v, key=key, **flat)
    return F


def _time(flat: dict[str, Any], timeline: bool) -> None:
    if timeline:
        if "firstDate" in flat:
            flat["start"] = flat["firstDate"]
        if "lastDate" in flat:
            flat["end"] = flat["lastDate"]


def generate_graphml(G: nx.MultiDiGraph) -> bytes:
    """The GraphML document (UTF-8).

    Examples
    --------
    >>> from graph.core import load
    >>> generate_graphml(load("facts/chicago-sanctuary")).startswith(b"<?xml")
    True
    """
    F = gephi_graph(G)
    for _, data in [*F.nodes(data=True), *((None, d) for *_, d in F.edges(keys=True, data=True)), (None, F.graph)]:
        for key, value in data.items():
            if isinstance(value, str) and "\r" in value:
                data[key] = value.replace("\r", _CR)
    buffer = io.BytesIO()
    nx.write_graphml(F, buffer, named_key_ids=True)
    return buffer.getvalue().replace(_CR.encode(), b"&#13;")


def generate_gexf(G: nx.MultiDiGraph) -> bytes:
    """The GEXF 1.2 document (UTF-8), with a timeline."""
    buffer = io.BytesIO()
    nx.write_gexf(gephi_graph(G, timeline=True), buffer)
    return buffer.getvalue()


def _write(data: bytes, path_or_file: str | Path | IO[bytes]) -> None:
    if isinstance(path_or_file, (str, Path)):
        with atomic_open(path_or_file, "wb") as handle:
            handle.write(data)
    else:
        path_or_file.write(data)


def write_graphml(G: nx.MultiDiGraph, path_or_file: str | Path | IO[bytes]) -> None:
    """Write GraphML to a path (atomically) or a binary file."""
    _write(generate_graphml(G), path_or_file)


def write_gexf(G: nx.MultiDiGraph, path_or_file: str | Path | IO[bytes]) -> None:
    """Write GEXF 1.2 (with a timeline) to a path (atomically) or a binary file."""
    _write(generate_gexf(G), path_or_file)
