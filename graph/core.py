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

import functools
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from loaders import (
    Entity,
    FactBase,
    Relation,
    PartialDate,
    ReferenceNotFound,
    Vocabulary,
    load_factbase,
)
from loaders.factbase import Limits, paused_gc
from loaders.names import NameIndex


def _value(value: object) -> object:
    return str(value) if isinstance(value, PartialDate) else value


def _node_attrs(e: Entity, vocab: Vocabulary) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "kind": e.kind,
        "kinds": vocab.kinds[e.kind].lineage,
        "name": e.name,
        "aliases": e.aliases,
        "description": e.description,
        "origin": f"{e.loc.path}:{e.loc.line}",
    }
    if e.properties:
        attrs.update({k: _value(v) for k, v in e.properties.items()})
    return attrs


def _edge_attrs(r: Relation, vocab: Vocabulary) -> dict[str, Any]:
    return _EdgeAttrs(vocab)(r)


class _EdgeAttrs:
    """:func:`_edge_attrs` for many relations: what each type gives, looked up once."""

    def __init__(self, vocab: Vocabulary, *, compiled: bool = True) -> None:
        self.vocab = vocab
        self.types: dict[str, tuple[str, str, int, bool]] = {}
        self.make = (_compiled_edge_attrs() if compiled else None) or _python_edge_attrs

    def every_type(self) -> dict[str, tuple[str, str, int, bool]]:
        """What each relation type of the vocabulary gives, by type."""
        for name in self.vocab.relations:
            self.known(name)
        return self.types

    def known(self, rtype: str) -> tuple[str, str, int, bool]:
        """Label, inverse, polarity and symmetric of a relation type."""
        known = self.types.get(rtype)
        if known is None:
            spec = self.vocab.relations[rtype]
            known = self.types[rtype] = (spec.label, spec.inverse, spec.polarity, spec.symmetric)
        return known

    def __call__(self, r: Relation) -> dict[str, Any]:
        attrs = self.make(r, self.known(r.type))
        if r.properties:
            _add_properties(attrs, r.properties)
        return attrs


def _python_edge_attrs(r: Relation, known: tuple[str, str, int, bool]) -> dict[str, Any]:
    """A relation's edge attributes, less its type properties (the specification of the compiled one)."""
    label, inverse, polarity, symmetric = known
    date, start, end, loc = r.date, r.start, r.end, r.loc
    return {
        "id": r.id,
        "type": r.type,
        "label": label,
        "inverse": inverse,
        "polarity": polarity,
        "symmetric": symmetric,
        "date": None if date is None else date.text,
        "start": None if start is None else start.text,
        "end": None if end is None else end.text,
        "description": r.description,
        "citations": tuple([{"source": c.source, "quote": c.quote} for c in r.citations]),
        "origin": f"{loc.path}:{loc.line}",
    }


@functools.cache
def _compiled_edge_attrs() -> Callable[[Relation, tuple[str, str, int, bool]], dict[str, Any]] | None:
    """``loaders._yamlfast.edge_attrs`` (a third of the cost per relation), or None when it is not built."""
    from loaders.yamlfast import compiled_reader

    if compiled_reader() is None:
        return None
    from loaders import _yamlfast
    from loaders.records import Citation, Location

    _yamlfast.edge_setup(Relation, Citation, Location)
    return _yamlfast.edge_attrs  # type: ignore[return-value]


def _empty_graph(factbase: FactBase) -> nx.MultiDiGraph:
    return nx.MultiDiGraph(
        name=factbase.name,
        paths=list(factbase.paths),
        vocabulary=factbase.vocabulary,
        sources={
            s.id: {
                "id": s.id, "text": s.text, "title": s.title, "publisher": s.publisher,
                "author": s.author, "published": _value(s.published), "url": s.url,
            }
            for s in factbase.sources.values()
        },
    )


def build(
    factbase: FactBase,
    *,
    reuse: tuple[FactBase, nx.MultiDiGraph] | None = None,
    changed: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """Build the frozen core graph from a validated fact base.

    ``reuse`` is an earlier fact base and the graph built from it: what is
    unchanged - records that are the very same objects, and the adjacency
    of nodes none of whose relations changed - is shared with the earlier
    graph rather than rebuilt (both are frozen, so sharing is safe). The
    result is the graph a build from scratch gives. ``changed`` may name
    the relation ids that can differ; every other relation must then be the
    same object in both fact bases.

    Examples
    --------
    >>> from loaders import load_factbase
    >>> G = build(load_factbase(["facts/chicago-sanctuary"]))
    >>> G.nodes["raymond-lopez"]["kind"]
    'person'
    >>> nx.is_frozen(G)
    True
    """
    if reuse is not None and list(reuse[0].entities) == list(factbase.entities):
        return _patch(factbase, *reuse, changed)
    vocab = factbase.vocabulary
    G = _empty_graph(factbase)
    # The adjacency is filled directly, as add_node/add_edge would fill it
    # (same dicts, same order, _pred sharing _succ's key dicts): per edge
    # this is a third of add_edge's cost, which shows at 10^5 relations.
    succ, pred, node = G._succ, G._pred, G._node
    for e in factbase.entities.values():
        succ[e.id] = {}
        pred[e.id] = {}
        node[e.id] = _node_attrs(e, vocab)
    edge_attrs = _EdgeAttrs(vocab)
    fill = _compiled_fill()
    if fill is not None:
        fill(succ, pred, factbase.relations.values(), edge_attrs.every_type(), _add_properties)
        return nx.freeze(G)
    for r in factbase.relations.values():
        out = succ[r.source]
        keydict = out.get(r.target)
        if keydict is None:
            keydict = out[r.target] = {}
            pred[r.target][r.source] = keydict
        keydict[r.id] = edge_attrs(r)
    return nx.freeze(G)


def _add_properties(attrs: dict[str, Any], properties: Mapping[str, object]) -> None:
    attrs.update({k: _value(v) for k, v in properties.items()})


@functools.cache
def _compiled_fill() -> Callable[..., None] | None:
    """``loaders._yamlfast.edge_fill``: the loop of :func:`build` in C, or None when it is not built."""
    if _compiled_edge_attrs() is None:
        return None
    from loaders import _yamlfast

    return _yamlfast.edge_fill


def _patch(factbase: FactBase, old: FactBase, old_G: nx.MultiDiGraph,
           hint: Iterable[str] | None) -> nx.MultiDiGraph:
    """``build(factbase)`` by changing a copy of ``old_G``'s outer dicts only where needed."""
    vocab = factbase.vocabulary
    new_rel, old_rel = factbase.relations, old.relations
    if hint is None:
        changed = [r for rid, r in new_rel.items() if old_rel.get(rid) is not r]
        changed += [r for rid, r in old_rel.items() if rid not in new_rel]
    else:
        changed = [r for rid in hint for r in (new_rel.get(rid), old_rel.get(rid))
                   if r is not None and old_rel.get(rid) is not new_rel.get(rid)]
    pairs = {(r.source, r.target) for r in changed}
    G = _empty_graph(factbase)
    old_succ, old_pred, old_node = old_G._succ, old_G._pred, old_G._node
    G._succ.update(old_succ)
    G._pred.update(old_pred)
    node = G._node
    old_entities = old.entities
    for e in factbase.entities.values():
        node[e.id] = old_node[e.id] if old_entities[e.id] is e else _node_attrs(e, vocab)
    if not pairs:
        return nx.freeze(G)
    if _same_places(changed, new_rel, old_rel):
        return nx.freeze(_replace_edges(G, old_succ, old_pred, [new_rel[rid] for rid in dict.fromkeys(r.id for r in changed)],
                                        vocab))
    # Every relation of a node with a changed pair, in the new order.
    dirty = {u for pair in pairs for u in pair}
    touching: dict[str, set[str]] = {u: set() for u in dirty}
    for u in dirty:
        for nbrs in (old_succ[u], old_pred[u]):
            for keydict in nbrs.values():
                touching[u].update(keydict)
    for r in changed:
        touching[r.source].add(r.id)
        touching[r.target].add(r.id)
    needed = {rid for rids in touching.values() for rid in rids}
    position = {rid: i for i, rid in enumerate(new_rel) if rid in needed}
    for rids in touching.values():
        rids.intersection_update(position)
    keydicts: dict[tuple[str, str], dict[str, Any]] = {pair: {} for pair in pairs}
    edge_attrs = _EdgeAttrs(vocab)
    for rid in sorted({rid for rids in touching.values() for rid in rids}, key=position.__getitem__):
        r = new_rel[rid]
        pair = (r.source, r.target)
        if pair in keydicts:
            keydicts[pair][rid] = old_succ[r.source][r.target][rid] if old_rel.get(rid) is r else edge_attrs(r)
    for u in dirty:
        out: dict[str, dict[str, Any]] = {}
        into: dict[str, dict[str, Any]] = {}
        for rid in sorted(touching[u], key=position.__getitem__):
            r = new_rel[rid]
            pair = (r.source, r.target)
            keydict = keydicts.get(pair)
            if keydict is None:
                keydict = old_succ[r.source][r.target]
            if r.source == u and r.target not in out:
                out[r.target] = keydict
            if r.target == u and r.source not in into:
                into[r.source] = keydict
        G._succ[u] = out
        G._pred[u] = into
    return nx.freeze(G)


def load(
    paths: Iterable[str | Path] | str | Path,
    *,
    vocabulary: Vocabulary | None = None,
    texts: str | Path | None = None,
    limits: Limits | None = None,
    cache: bool | str | Path | None = None,
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
    cache : bool or path, optional
        ``False`` reads everything afresh. Otherwise a second load in the
        same process re-reads only edited files. Each file's records are
        kept on disk only when asked: in this folder if given, else in
        ``$ACTORGRAPH_CACHE_DIR``, or with ``ACTORGRAPH_CACHE=on`` in
        ``$XDG_CACHE_HOME/actorgraph`` or ``~/.cache/actorgraph``
        (``ACTORGRAPH_CACHE=off`` wins).
        The result is the same either way. Not used with ``texts``.

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
    if cache is not False and texts is None:
        from graph.cache import load_cached

        return load_cached(paths, vocabulary=vocabulary, limits=limits,
                           cache=None if cache is None or cache is True else cache)
    with paused_gc():  # one pause for both steps: the objects are settled once
        return build(load_factbase(paths, vocabulary=vocabulary, texts=texts, limits=limits))


def _same_places(changed: list[Relation], new_rel: Mapping[str, Relation], old_rel: Mapping[str, Relation]) -> bool:
    """Whether every changed relation keeps its ends, and all keep their order.

    The common edit - a quote or a date fixed - changes no relation's ends:
    each new edge then takes its old edge's place, and nothing else moves.
    """
    for r in changed:
        before, after = old_rel.get(r.id), new_rel.get(r.id)
        if before is None or after is None or (before.source, before.target) != (after.source, after.target):
            return False
    return len(new_rel) == len(old_rel) and list(new_rel) == list(old_rel)


def _replace_edges(G: nx.MultiDiGraph, old_succ: dict[str, Any], old_pred: dict[str, Any],
                   changed: list[Relation], vocab: Vocabulary) -> nx.MultiDiGraph:
    """Put the changed relations' attributes in place of their old ones.

    ``G`` holds the old graph's outer adjacency dicts; the inner dicts on
    the way to a changed edge are copied before they change, so the old
    graph, which shares the rest, stays as it was.
    """
    keydicts: dict[tuple[str, str], dict[str, Any]] = {}
    edge_attrs = _EdgeAttrs(vocab)
    for r in changed:
        pair = (r.source, r.target)
        keydict = keydicts.get(pair)
        if keydict is None:
            keydict = keydicts[pair] = dict(old_succ[r.source][r.target])
        keydict[r.id] = edge_attrs(r)
    succ, pred = G._succ, G._pred
    for (u, v), keydict in keydicts.items():
        if succ[u] is old_succ[u]:
            succ[u] = dict(old_succ[u])
        succ[u][v] = keydict
        if pred[v] is old_pred[v]:
            pred[v] = dict(old_pred[v])
        pred[v][u] = keydict  # the same dict as succ[u][v], as networkx keeps them
    return G


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


#: name indexes of frozen graphs, built once per graph (a frozen graph's names never change)
_NAME_INDEXES: weakref.WeakKeyDictionary[nx.MultiDiGraph, NameIndex] = weakref.WeakKeyDictionary()


def _name_index(G: nx.MultiDiGraph) -> NameIndex:
    if nx.is_frozen(G):
        index = _NAME_INDEXES.get(G)
        if index is None:
            index = _NAME_INDEXES[G] = _build_name_index(G)
        return index
    return _build_name_index(G)


def _build_name_index(G: nx.MultiDiGraph) -> NameIndex:
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
    if isinstance(ref, str) and ref in G:  # an id: what the index would answer, without it
        return ref
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
