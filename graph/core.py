"""The core: one ``networkx.MultiDiGraph`` built from validated records.

Every view, exporter and query reads this graph and none changes it: it is
frozen (``networkx.freeze``) once built, and its attribute dicts are treated
as read-only by convention (the tests compare them before and after).

Graph attributes (``G.graph``)
------------------------------
``name``
    The fact base's name (the first path's folder name).
``paths``
    The paths it was loaded from.
``sources``
    ``{source id: {"id", "text", "title", "publisher", "author", "published",
    "url"}}``, absent values as None, ``published`` as written.
``vocabulary``
    The :class:`loaders.Vocabulary` (not serialisable; exporters skip it).

Nodes
-----
Key: the entity id. Attributes, always present: ``kind``, ``kinds`` (the
lineage, root kind first: ``("organization", "agency", "police")``),
``name``, ``aliases`` (tuple), ``description`` (or None), ``origin``
(``"path:line"``), plus each property of the kind the entity sets:
text, int, bool, tuple of text, a partial date as written (``"2025-01"``),
a reference as the entity id it resolved to.

Edges
-----
``(from id, to id, key=relation id)``. Attributes, always present: ``id``,
``type``, ``label``, ``inverse``, ``polarity`` (-1, 0, 1), ``symmetric``
(for symmetric types the ends are stored in sorted order, as one edge),
``date``, ``start``, ``end`` (partial dates as written, or None),
``description`` (or None), ``citations`` (tuple of ``{"source", "quote"}``
dicts, at least one), ``origin``, plus each property of the type the
relation sets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from loaders import (
    FactBase,
    PartialDate,
    ReferenceNotFound,
    Vocabulary,
    load_factbase,
)
from loaders.factbase import Limits, _no_gc
from loaders.names import NameIndex


def _value(value: object) -> object:
    return str(value) if isinstance(value, PartialDate) else value


def build(factbase: FactBase) -> nx.MultiDiGraph:
    """Build the frozen core graph from a validated fact base.

    Examples
    --------
    >>> from loaders import load_factbase
    >>> G = build(load_factbase(["facts/chicago-sanctuary"]))
    >>> G.nodes["raymond-lopez"]["kind"]
    'person'
    >>> nx.is_frozen(G)
    True
    """
    vocab = factbase.vocabulary
    G = nx.MultiDiGraph(
        name=factbase.name,
        paths=list(factbase.paths),
        vocabulary=vocab,
        sources={
            s.id: {
                "id": s.id, "text": s.text, "title": s.title, "publisher": s.publisher,
                "author": s.author, "published": _value(s.published), "url": s.url,
            }
            for s in factbase.sources.values()
        },
    )
    # The adjacency is filled directly, as add_node/add_edge would fill it
    # (same dicts, same order, _pred sharing _succ's key dicts): per edge
    # this is a third of add_edge's cost, which shows at 10^5 relations.
    succ, pred, node = G._succ, G._pred, G._node
    kinds = vocab.kinds
    for e in factbase.entities.values():
        attrs: dict[str, Any] = {
            "kind": e.kind,
            "kinds": kinds[e.kind].lineage,
            "name": e.name,
            "aliases": e.aliases,
            "description": e.description,
            "origin": f"{e.loc.path}:{e.loc.line}",
        }
        if e.properties:
            attrs.update({k: _value(v) for k, v in e.properties.items()})
        succ[e.id] = {}
        pred[e.id] = {}
        node[e.id] = attrs
    specs = vocab.relations
    for r in factbase.relations.values():
        spec = specs[r.type]
        attrs = {
            "id": r.id,
            "type": r.type,
            "label": spec.label,
            "inverse": spec.inverse,
            "polarity": spec.polarity,
            "symmetric": spec.symmetric,
            "date": r.date.text if r.date is not None else None,
            "start": r.start.text if r.start is not None else None,
            "end": r.end.text if r.end is not None else None,
            "description": r.description,
            "citations": tuple([{"source": c.source, "quote": c.quote} for c in r.citations]),
            "origin": f"{r.loc.path}:{r.loc.line}",
        }
        if r.properties:
            attrs.update({k: _value(v) for k, v in r.properties.items()})
        out = succ[r.source]
        keydict = out.get(r.target)
        if keydict is None:
            keydict = out[r.target] = {}
            pred[r.target][r.source] = keydict
        keydict[r.id] = attrs
    return nx.freeze(G)


def load(
    paths: Iterable[str | Path] | str | Path,
    *,
    vocabulary: Vocabulary | None = None,
    texts: str | Path | None = None,
    limits: Limits | None = None,
) -> nx.MultiDiGraph:
    """Load a fact base and build its core graph in one call.

    Parameters
    ----------
    paths : path or iterable of paths
        Fact files and folders.
    vocabulary : Vocabulary, optional
        Defaults to the shipped one.
    texts : path, optional
        Folder of source texts; every quote is then verified against them.

    Raises
    ------
    loaders.FactError
        Listing every problem in the facts, each at ``path:line:col``.

    Examples
    --------
    >>> G = load("facts/chicago-sanctuary")
    >>> G.graph["name"]
    'chicago-sanctuary'
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    factbase = load_factbase(paths, vocabulary=vocabulary, texts=texts, limits=limits)
    with _no_gc():
        return build(factbase)


def interval(attrs: Mapping[str, Any]) -> tuple[date | None, date | None]:
    """The days an edge's (or node's) date covers: ``(first, last)``.

    ``date`` gives its own interval; ``start``/``end`` give a span whose
    missing side is open (None). Undated: ``(None, None)``.

    Examples
    --------
    >>> interval({"date": "2025-01"})
    (datetime.date(2025, 1, 1), datetime.date(2025, 1, 31))
    >>> interval({"start": "2021", "end": None})
    (datetime.date(2021, 1, 1), None)
    """
    if attrs.get("date"):
        d = PartialDate.parse(attrs["date"])
        return d.first, d.last
    start, end = attrs.get("start"), attrs.get("end")
    return (
        PartialDate.parse(start).first if start else None,
        PartialDate.parse(end).last if end else None,
    )


def _name_index(G: nx.MultiDiGraph) -> NameIndex:
    index = NameIndex()
    for node, attrs in G.nodes(data=True):
        index.add(node, [attrs.get("name", node), *attrs.get("aliases", ())])
    return index


def resolve(G: nx.MultiDiGraph, ref: str) -> str:
    """The entity id that ``ref`` (an id, name or alias) names.

    Matching folds case, accents and dashes, as the loader does.

    Raises
    ------
    loaders.ReferenceNotFound
        When ``ref`` names no entity (with the closest ones) or several
        (naming every candidate).

    Examples
    --------
    >>> G = load("facts/chicago-sanctuary")
    >>> resolve(G, "raymond lópez")
    'raymond-lopez'
    """
    index = _name_index(G)
    hits = index.lookup(ref)
    if len(hits) == 1:
        return hits[0]

    def show(ids: list[str]) -> str:
        return ", ".join(f"{i} ({G.nodes[i].get('name', i)})" for i in ids)

    if not hits:
        partial = index.partial(ref)
        if len(partial) > 1:
            hits = partial
        else:
            near = partial or index.suggestions(ref)
            hint = f"; did you mean {show(near)}?" if near else ""
            raise ReferenceNotFound(ref, f"{ref!r} names no entity in this fact base{hint}", tuple(near))
    raise ReferenceNotFound(ref, f"{ref!r} is ambiguous: it could be {show(hits)}; use the id", tuple(hits))


@dataclass(frozen=True)
class CitedRelation:
    """One relation of the core, for iteration."""

    source: str
    target: str
    key: str
    attrs: Mapping[str, Any]

    @property
    def citations(self) -> tuple[dict[str, Any], ...]:
        return tuple(self.attrs["citations"])


def relations(G: nx.MultiDiGraph, *, type: str | None = None) -> Iterator[CitedRelation]:
    """Iterate the relations of the core, optionally of one type.

    Examples
    --------
    >>> G = load("facts/chicago-sanctuary")
    >>> r = next(relations(G, type="sponsors"))
    >>> r.attrs["type"], len(r.citations) >= 1
    ('sponsors', True)
    """
    for u, v, k, attrs in G.edges(keys=True, data=True):
        if type is None or attrs["type"] == type:
            yield CitedRelation(u, v, k, attrs)
