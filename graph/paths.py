"""Cited paths between two entities: the k shortest simple paths, bounded.

The search is Yen's k-shortest-simple-paths algorithm over breadth-first
searches limited to the hops left, so its cost grows with ``k``,
``max_hops`` and the size of the graph, never with the number of paths
that exist (a dense graph holds millions of 4-hop paths between two nodes;
enumerating them is what this avoids). A wall-clock budget (``timeout``)
caps it as well: when it runs out, the paths found so far are returned and
flagged ``timed_out`` (they are still the shortest, in order).

Paths are simple in their entities. Between two consecutive entities a
step carries *every* relation that joins them in the allowed directions
and types, so two accounts of one event (the Chicago dataset's
``council-vote-2025-blocked`` and ``council-vote-2025-tabled``) travel
together, each with its own citations, rather than one being chosen.
"""

from __future__ import annotations

import heapq
import time
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload

import networkx as nx

from graph.asof import When, entity, scoped
from graph.filters import entity_kinds, is_kind, relation_types
from graph.links import Link, format_link, make_link
from graph.queryerrors import NoPath, QueryError


@dataclass(frozen=True)
class Step:
    """One hop of a path: every relation joining ``near`` to ``far``."""

    near: str
    far: str
    links: tuple[Link, ...]

    def arrow(self) -> str:
        """The relations as one arrow, e.g. ``—criticizes, opposes→``.

        Relations read the same way are listed in one arrow; a reading that
        occurs twice is tagged with the relation ids so both stay visible.
        """
        readings = [link.reading for link in self.links]
        groups: dict[tuple[bool, bool], list[str]] = {}
        for link in self.links:
            tag = readings.count(link.reading) > 1
            text = f"{link.reading} [{link.id}]" if tag else link.reading
            groups.setdefault((link.symmetric, link.forward), []).append(text)
        arrows = []
        for (symmetric, forward), texts in groups.items():
            text = ", ".join(texts)
            arrows.append(f"—{text}—" if symmetric else f"—{text}→" if forward else f"←{text}—")
        return " / ".join(arrows)

    def __str__(self) -> str:
        return f"{self.links[0].near_name} {self.arrow()} {self.links[0].far_name}"


@dataclass(frozen=True, repr=False)
class Path:
    """A chain of entities and the cited relations between them.

    ``str(path)`` is the readable chain; :meth:`report` adds every citation.
    """

    nodes: tuple[str, ...]
    names: tuple[str, ...]
    steps: tuple[Step, ...]

    @property
    def hops(self) -> int:
        return len(self.steps)

    @property
    def links(self) -> tuple[Link, ...]:
        """Every relation along the path, in order."""
        return tuple(link for step in self.steps for link in step.links)

    @property
    def citations(self) -> tuple[tuple[str, Mapping[str, Any]], ...]:
        """``(relation id, {"source", "quote"})`` for every citation of the path."""
        return tuple((link.id, c) for link in self.links for c in link.citations)

    def __repr__(self) -> str:
        return f"<Path {' -> '.join(self.nodes)}>"

    def __str__(self) -> str:
        parts = [self.names[0]]
        for step, name in zip(self.steps, self.names[1:]):
            parts += [step.arrow(), name]
        return " ".join(parts)

    def report(self, *, sources: Mapping[str, Mapping[str, Any]] | None = None) -> str:
        """The chain, then each relation with its quotes (``sources`` names them)."""
        lines = [str(self)]
        for link in self.links:
            lines += format_link(link, sources=sources, indent="  ")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "hops": self.hops, "nodes": list(self.nodes), "names": list(self.names), "chain": str(self),
            "steps": [
                {"from": s.near, "to": s.far, "relations": [link.as_dict() for link in s.links]}
                for s in self.steps
            ],
        }


@dataclass(frozen=True, repr=False)
class PathSet(Sequence[Path]):
    """The paths found, shortest first, with the bounds they were searched in.

    ``timed_out`` says the time budget ended the search before ``k`` paths
    were found (those returned are still the shortest, in order).
    ``expansions`` counts the entities the searches expanded: at most
    ``(1 + k * max_hops) * n`` for a graph of ``n`` entities, whatever the
    number of paths the graph holds.
    """

    source: str
    target: str
    paths: tuple[Path, ...]
    k: int
    max_hops: int
    forward_only: bool
    timed_out: bool
    seconds: float
    expansions: int = 0

    @overload
    def __getitem__(self, index: int) -> Path: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Path]: ...
    def __getitem__(self, index: int | slice) -> Path | Sequence[Path]:
        return self.paths[index]

    def __len__(self) -> int:
        return len(self.paths)

    def __iter__(self) -> Iterator[Path]:
        return iter(self.paths)

    def bounds(self) -> str:
        way = "forward only" if self.forward_only else "either direction"
        return f"at most {self.max_hops} hops, {way}"

    def __repr__(self) -> str:
        return f"<PathSet {self.source} -> {self.target}: {len(self)} paths ({self.bounds()})>"

    def __str__(self) -> str:
        return "\n".join(f"{i}. {p}" for i, p in enumerate(self.paths, 1))

    def report(self, *, sources: Mapping[str, Mapping[str, Any]] | None = None) -> str:
        """Every path, numbered, each with its citations."""
        first = self.paths[0]
        head = (f"{len(self)} path{'s' if len(self) != 1 else ''} from {first.names[0]} to "
                f"{first.names[-1]} ({self.bounds()}, k={self.k})")
        if self.timed_out:
            head += "; the time budget ran out, there may be more"
        blocks = [f"{i}. {p.report(sources=sources)}" for i, p in enumerate(self.paths, 1)]
        return "\n\n".join([head + ":", *blocks])

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.source, "to": self.target, "k": self.k, "max_hops": self.max_hops,
            "forward_only": self.forward_only, "timed_out": self.timed_out, "expansions": self.expansions,
            "paths": [p.as_dict() for p in self.paths],
        }


class _OutOfTime(Exception):
    pass


_now = time.monotonic  # one name, so that a test can drive the clock


class _Clock:
    """Checks the deadline every few hundred steps (reading the clock is not free)."""

    def __init__(self, seconds: float) -> None:
        self.deadline = _now() + seconds
        self.count = 0

    def check(self) -> None:
        if _now() >= self.deadline:
            raise _OutOfTime

    def tick(self) -> None:
        self.count += 1
        if self.count % 256 == 0:
            self.check()


def _bfs(
    adj: Mapping[str, Sequence[str]], s: str, t: str, depth: int,
    banned_nodes: set[str], banned_edges: set[tuple[str, str]], clock: _Clock,
) -> list[str] | None:
    """A shortest path s..t of at most ``depth`` hops avoiding the banned parts."""
    parent: dict[str, str | None] = {s: None}
    frontier = [s]
    for _ in range(depth):
        nxt = []
        for u in frontier:
            clock.tick()
            for w in adj.get(u, ()):
                if w in parent or w in banned_nodes or (u, w) in banned_edges:
                    continue
                parent[w] = u
                if w == t:
                    path = [w]
                    while (p := parent[path[-1]]) is not None:
                        path.append(p)
                    return path[::-1]
                nxt.append(w)
        if not nxt:
            return None
        frontier = nxt
    return None


def _yen(
    adj: Mapping[str, Sequence[str]], s: str, t: str, *, k: int, max_hops: int,
    undirected: bool, clock: _Clock,
) -> Iterator[tuple[str, ...]]:
    first = _bfs(adj, s, t, max_hops, set(), set(), clock)
    if first is None:
        return
    found = [tuple(first)]
    yield found[0]
    seen = {found[0]}
    candidates: list[tuple[int, tuple[str, ...]]] = []
    while len(found) < k:
        prev = found[-1]
        for i in range(len(prev) - 1):
            clock.check()
            root = prev[: i + 1]
            banned_edges = set()
            for p in found:
                if p[: i + 1] == root and len(p) > i + 1:
                    banned_edges.add((p[i], p[i + 1]))
                    if undirected:
                        banned_edges.add((p[i + 1], p[i]))
            spur = _bfs(adj, prev[i], t, max_hops - i, set(root[:-1]), banned_edges, clock)
            if spur is not None:
                total = root[:-1] + tuple(spur)
                if total not in seen:
                    seen.add(total)
                    heapq.heappush(candidates, (len(total), total))
        if not candidates:
            return
        found.append(heapq.heappop(candidates)[1])
        yield found[-1]


def _steps(G: nx.MultiDiGraph, nodes: tuple[str, ...], types: frozenset[str] | None,
           forward_only: bool) -> tuple[Step, ...]:
    steps = []
    for a, b in zip(nodes, nodes[1:]):
        links = [make_link(G, a, b, key, near=a) for key in G.get_edge_data(a, b, default={})]
        links += [make_link(G, b, a, key, near=a) for key in G.get_edge_data(b, a, default={})]
        links = [
            link for link in links
            if (types is None or link.type in types) and (link.forward or not forward_only)
        ]
        steps.append(Step(a, b, tuple(links)))
    return tuple(steps)


#: the all-kinds adjacency of frozen graphs, by (types, forward_only): built
#: once per graph, so a query costs its search and not a pass over every edge
_ADJACENCY: weakref.WeakKeyDictionary[nx.MultiDiGraph, dict[tuple[frozenset[str] | None, bool], dict[str, list[str]]]] \
    = weakref.WeakKeyDictionary()


def _adjacency(G: nx.MultiDiGraph, allowed: Iterable[str], types: frozenset[str] | None,
               forward_only: bool) -> dict[str, list[str]]:
    allowed = set(allowed)
    adj: dict[str, dict[str, None]] = {n: {} for n in allowed}  # dict: ordered set
    for u, v, attrs in G.edges(data=True):
        if u not in allowed or v not in allowed or u == v:
            continue
        if types is not None and attrs["type"] not in types:
            continue
        adj[u][v] = None
        if attrs["symmetric"] or not forward_only:
            adj[v][u] = None
    return {n: list(ws) for n, ws in adj.items()}


def shortest_paths(
    G: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    k: int = 5,
    max_hops: int = 4,
    types: Iterable[str] | str | None = None,
    kinds: Iterable[str] | str | None = None,
    forward_only: bool = False,
    as_of: When | None = None,
    timeout: float = 10.0,
) -> PathSet:
    """The ``k`` shortest simple paths from ``source`` to ``target``, with citations.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The core, or a view of it (such as :func:`graph.as_of`).
    source, target : str
        Entity ids, names or aliases.
    k : int, default 5
        How many paths at most.
    max_hops : int, default 4
        The longest path searched, in relations.
    types : str or iterable of str, optional
        Follow only these relation types.
    kinds : str or iterable of str, optional
        Pass only through entities of these kinds (sub-kinds included);
        the two ends may be of any kind.
    forward_only : bool, default False
        Follow relations only from subject to object (symmetric relations
        either way). By default a relation is followed in either direction
        and printed as read (``←opposed by—``).
    as_of : str or datetime.date, optional
        Search the graph as of this date (see :mod:`graph.asof`).
    timeout : float, default 10.0
        Seconds the search may take; the paths found by then are returned.

    Returns
    -------
    PathSet
        Shortest first; each :class:`Path` prints as a chain and carries its
        relations' citations.

    Raises
    ------
    graph.queryerrors.NoPath
        When no path exists within the bounds (the message says how to widen
        them) or the time budget ran out before the first one.
    loaders.ReferenceNotFound
        When ``source`` or ``target`` names no entity, or several.

    Examples
    --------
    >>> from graph.core import load
    >>> G = load("facts/chicago-sanctuary")
    >>> found = shortest_paths(G, "Tom Homan", "TRUST Act", k=3)
    >>> print(found[1])
    Tom Homan —threatens, criticizes→ Brandon Johnson —opposes→ Lopez–Tabares amendment —conflicts with— Illinois TRUST Act
    >>> found[1].hops, [link.id for link in found[1].links][:2]
    (3, ['threatens:tom-homan:brandon-johnson', 'criticizes:tom-homan:brandon-johnson:2024-12'])
    >>> found[1].citations[0][1]["source"]
    's-000'
    >>> [p.hops for p in found] == sorted(p.hops for p in found)
    True
    >>> print(shortest_paths(G, "council-vote-2025", "Lopez-Tabares amendment", k=1)[0])
    City Council vote on the Lopez–Tabares amendment —decides on [council-vote-2025-blocked], decides on [council-vote-2025-tabled]→ Lopez–Tabares amendment
    >>> shortest_paths(G, "Tom Homan", "TRUST Act", max_hops=2)
    Traceback (most recent call last):
    ...
    graph.queryerrors.NoPath: no path from Tom Homan to Illinois TRUST Act within 2 hops following relations in either direction; try a larger --max-hops, or fewer --types/--kinds
    """
    if k < 1:
        raise QueryError(f"k must be at least 1, not {k}")
    if max_hops < 1:
        raise QueryError(f"max_hops must be at least 1, not {max_hops}")
    started = _now()
    clock = _Clock(timeout)
    H = scoped(G, as_of)
    s, t = entity(G, H, source, as_of), entity(G, H, target, as_of)
    if s == t:
        raise QueryError(f"{source!r} and {target!r} are the same entity ({s}); give two different ones")
    type_set, kind_set = relation_types(G, types), entity_kinds(G, kinds)
    allowed = (n for n, attrs in H.nodes(data=True) if n in (s, t) or is_kind(attrs, kind_set))
    if kind_set is None and nx.is_frozen(H):  # every node allowed: the same adjacency for every query
        cached = _ADJACENCY.setdefault(H, {})
        adj = cached.get((type_set, forward_only))
        if adj is None:
            adj = cached[(type_set, forward_only)] = _adjacency(H, allowed, type_set, forward_only)
    else:
        adj = _adjacency(H, allowed, type_set, forward_only)
    found: list[tuple[str, ...]] = []
    timed_out = False
    try:
        clock.check()
        for nodes in _yen(adj, s, t, k=k, max_hops=max_hops, undirected=not forward_only, clock=clock):
            found.append(nodes)
    except _OutOfTime:
        timed_out = True
    names = {n: H.nodes[n].get("name", n) for n in (s, t)}
    if not found:
        if timed_out:
            raise NoPath(f"no path from {names[s]} to {names[t]} was found in the time budget "
                         f"({timeout:g} s); give more time (--timeout) or lower --max-hops")
        way = "forward only" if forward_only else "in either direction"
        hint = "without --forward-only, " if forward_only else ""
        raise NoPath(f"no path from {names[s]} to {names[t]} within {max_hops} hops following relations "
                     f"{way}; try {hint}a larger --max-hops, or fewer --types/--kinds")
    paths = tuple(
        Path(nodes, tuple(H.nodes[n].get("name", n) for n in nodes), _steps(H, nodes, type_set, forward_only))
        for nodes in found
    )
    return PathSet(s, t, paths, k, max_hops, forward_only, timed_out, _now() - started, clock.count)
