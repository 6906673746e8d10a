"""An entity's surroundings: its relations grouped, and its N-hop ego graph."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.asof import When, entity, scoped
from graph.filters import entity_kinds, is_kind, relation_types
from graph.links import Link, format_link, links_of
from graph.queryerrors import QueryError


@dataclass(frozen=True, repr=False)
class Neighbourhood:
    """Every relation of one entity, grouped by type and direction.

    ``groups`` maps ``(type, direction)`` to the relations read from the
    entity; direction is ``"out"`` (the entity is the subject), ``"in"``
    (it is the object) or ``"mutual"`` (a symmetric type).
    """

    node: str
    name: str
    kind: str
    groups: Mapping[tuple[str, str], tuple[Link, ...]]

    def __repr__(self) -> str:
        return f"<Neighbourhood {self.node}: {sum(map(len, self.groups.values()))} relations>"

    def __len__(self) -> int:
        return sum(len(links) for links in self.groups.values())

    def report(self, *, sources: Mapping[str, Mapping[str, Any]] | None = None) -> str:
        lines = [f"{self.name} ({self.kind}): {len(self)} relations"]
        for (rtype, direction), links in self.groups.items():
            lines.append(f"\n{links[0].reading} ({rtype}, {direction}): {len(links)}")
            for link in links:
                lines += format_link(link, sources=sources, indent="  ")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.node, "name": self.name, "kind": self.kind,
            "groups": [
                {"type": rtype, "direction": direction, "reading": links[0].reading,
                 "relations": [link.as_dict() for link in links]}
                for (rtype, direction), links in self.groups.items()
            ],
        }


def _direction(link: Link) -> str:
    return "mutual" if link.symmetric else "out" if link.forward else "in"


def neighbourhood(
    G: nx.MultiDiGraph,
    ref: str,
    *,
    types: Iterable[str] | str | None = None,
    as_of: When | None = None,
) -> Neighbourhood:
    """An entity's relations grouped by type and direction, with citations.

    Groups come out-going first, then mutual, then in-coming, each by type
    name; relations in a group by the name of the entity at the other end.

    Examples
    --------
    >>> from graph.core import load
    >>> G = load("facts/chicago-sanctuary")
    >>> hood = neighbourhood(G, "Tom Homan")
    >>> [link.far for link in hood.groups["threatens", "out"]]
    ['brandon-johnson']
    >>> sorted(hood.groups)[:2]
    [('criticizes', 'out'), ('holds_office', 'out')]
    >>> len(neighbourhood(G, "Tom Homan", as_of="2025-02")) < len(hood)
    True
    """
    H = scoped(G, as_of)
    node = entity(G, H, ref, as_of)
    wanted = relation_types(G, types)
    order = {"out": 0, "mutual": 1, "in": 2}
    links = sorted(
        (link for link in links_of(H, node) if wanted is None or link.type in wanted),
        key=lambda link: (order[_direction(link)], link.type, link.far_name, link.id),
    )
    groups: dict[tuple[str, str], list[Link]] = {}
    for link in links:
        groups.setdefault((link.type, _direction(link)), []).append(link)
    attrs = H.nodes[node]
    return Neighbourhood(node, attrs.get("name", node), attrs.get("kind", ""),
                         {key: tuple(value) for key, value in groups.items()})


def ego_graph(
    G: nx.MultiDiGraph,
    ref: str,
    *,
    hops: int = 1,
    types: Iterable[str] | str | None = None,
    kinds: Iterable[str] | str | None = None,
    forward_only: bool = False,
    as_of: When | None = None,
) -> nx.MultiDiGraph:
    """The entities within ``hops`` relations of ``ref``: a frozen sub-core.

    The result is a ``networkx.subgraph_view`` of the core with the same
    attributes, so every view and exporter can draw it. ``types`` limits
    the relations followed and kept; ``kinds`` the entities reached (the
    centre is always kept).

    Examples
    --------
    >>> from graph.core import load
    >>> G = load("facts/chicago-sanctuary")
    >>> E = ego_graph(G, "Illinois TRUST Act")
    >>> sorted(E)
    ['chicago-police-department', 'illinois-trust-act', 'lopez-tabares-amendment']
    >>> E2 = ego_graph(G, "TRUST Act", hops=2, kinds=["policy", "person"])
    >>> sorted(E2.nodes[n]["kind"] for n in E2)[-3:]
    ['person', 'person', 'person']
    >>> "chicago-police-department" in E2
    False
    >>> nx.is_frozen(E)
    True
    """
    if hops < 0:
        raise QueryError(f"hops must be 0 or more, not {hops}")
    H = scoped(G, as_of)
    centre = entity(G, H, ref, as_of)
    wanted, kind_set = relation_types(G, types), entity_kinds(G, kinds)

    def edge_ok(u: str, v: str, k: str) -> bool:
        return wanted is None or H.edges[u, v, k]["type"] in wanted

    def node_ok(n: str) -> bool:
        return n == centre or is_kind(H.nodes[n], kind_set)

    reached = {centre}
    frontier = [centre]
    for _ in range(hops):
        nxt = []
        for u in frontier:
            steps = [(v, (u, v, k)) for _, v, k in H.out_edges(u, keys=True)]
            steps += [(w, (w, u, k)) for w, _, k in H.in_edges(u, keys=True)
                      if not forward_only or H.edges[w, u, k]["symmetric"]]
            for w, edge in steps:
                if w not in reached and edge_ok(*edge) and node_ok(w):
                    reached.add(w)
                    nxt.append(w)
        frontier = nxt
    return nx.subgraph_view(H, filter_node=reached.__contains__, filter_edge=edge_ok)
