"""An entity's relations in date order: what happened to it, and when."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from graph.asof import When, as_of as as_of_view, entity
from graph.filters import relation_types
from graph.links import Link, format_link, links_of


@dataclass(frozen=True, repr=False)
class Timeline:
    """Dated relations by first day (then last day), undated ones apart.

    ``date`` is the entity's own date (a vote's, a law's) as written, or None.
    """

    node: str
    name: str
    kind: str
    date: str | None
    dated: tuple[Link, ...]
    undated: tuple[Link, ...]

    def __repr__(self) -> str:
        return f"<Timeline {self.node}: {len(self.dated)} dated, {len(self.undated)} undated>"

    def report(self, *, sources: Mapping[str, Mapping[str, Any]] | None = None) -> str:
        own = f", dated {self.date}" if self.date else ""
        lines = [f"Timeline of {self.name} ({self.kind}{own})"]
        previous = None
        for link in self.dated:
            if link.when != previous:
                lines.append(f"\n{link.when}")
                previous = link.when
            lines += format_link(link, sources=sources, indent="  ")
        if self.undated:
            lines.append(f"\nundated ({len(self.undated)})")
            for link in self.undated:
                lines += format_link(link, sources=sources, indent="  ")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.node, "name": self.name, "kind": self.kind, "date": self.date,
            "dated": [link.as_dict() for link in self.dated],
            "undated": [link.as_dict() for link in self.undated],
        }


def timeline(
    G: nx.MultiDiGraph,
    ref: str,
    *,
    types: Iterable[str] | str | None = None,
    undated: bool = True,
    as_of: When | None = None,
) -> Timeline:
    """The relations of ``ref`` in the order of their dates, with citations.

    Partial dates sort by the interval they cover: ``2025`` (1 January to
    31 December) comes before ``2025-01-15`` and after ``2024-12``; on a
    tie the shorter interval comes first. ``as_of`` gives the timeline as
    it stood then: every relation begun by that date
    (``graph.as_of(G, when, mode="through")``), not only those still in
    force.

    Examples
    --------
    >>> from graph.core import load
    >>> G = load("facts/chicago-sanctuary")
    >>> t = timeline(G, "Raymond Lopez")
    >>> [link.when for link in t.dated]
    ['2023', '2025-01']
    >>> [link.when for link in timeline(G, "Raymond Lopez", as_of="2024").dated]
    ['2023']
    >>> [link.id for link in timeline(G, "council-vote-2025", types="votes_on").dated]
    ['council-vote-2025-blocked', 'council-vote-2025-tabled']
    """
    H = G if as_of is None else as_of_view(G, as_of, mode="through")
    node = entity(G, H, ref, as_of)
    wanted = relation_types(G, types)
    links = [link for link in links_of(H, node) if wanted is None or link.type in wanted]
    far = date.max

    def order(link: Link) -> tuple[date, date, str, str]:
        first, last = link.interval
        return (first or date.min, last or far, link.type, link.id)

    dated = sorted((link for link in links if link.when), key=order)
    rest = sorted((link for link in links if not link.when), key=lambda link: (link.type, link.far_name, link.id))
    attrs = H.nodes[node]
    return Timeline(node, attrs.get("name", node), attrs.get("kind", ""), attrs.get("date"),
                    tuple(dated), tuple(rest) if undated else ())
