"""One relation seen from one of its ends, with its citations.

Paths, neighbourhoods, stances and timelines all hand back relations as
:class:`Link` objects: the relation's id, type and dates, the direction in
which it is read, its type's own properties (a vote's ``result``...) and
every citation, so any answer can be checked against its sources.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
import datetime as dt
from typing import Any

import networkx as nx

from graph.core import interval

#: edge attributes every relation has; the others are its type's properties
CORE_EDGE_ATTRS = frozenset({
    "id", "type", "label", "inverse", "polarity", "symmetric", "date", "start", "end",
    "description", "citations", "origin",
})


@dataclass(frozen=True)
class Link:
    """A relation read from ``near`` towards ``far``.

    ``forward`` is True when the relation points from ``near`` to ``far``
    (``near`` is its subject) and for symmetric relations; False when it is
    read against its direction. ``source``/``target`` keep the stored ends.
    """

    id: str
    type: str
    label: str
    inverse: str
    polarity: int
    symmetric: bool
    source: str
    target: str
    near: str
    far: str
    forward: bool
    near_name: str
    far_name: str
    date: str | None = None
    start: str | None = None
    end: str | None = None
    description: str | None = None
    citations: tuple[Mapping[str, Any], ...] = ()
    properties: Mapping[str, Any] = field(default_factory=dict)

    @property
    def reading(self) -> str:
        """The relation as read from ``near``: its label, or its inverse."""
        return self.label if self.forward else self.inverse

    @property
    def when(self) -> str | None:
        """The date as written: ``2025-01``, ``2021..2023``, ``2021..`` or None."""
        if self.date:
            return self.date
        if self.start or self.end:
            return f"{self.start or ''}..{self.end or ''}"
        return None

    @property
    def interval(self) -> tuple[dt.date | None, dt.date | None]:
        return interval({"date": self.date, "start": self.start, "end": self.end})

    def arrow(self, *, tag: bool = False) -> str:
        """The relation as an arrow between two names.

        ``—threatens→`` forward, ``←opposed by—`` against its direction,
        ``—allied with—`` for symmetric types; with ``tag`` the relation id
        is added (to tell apart two relations of one type between the same
        ends, such as two accounts of one vote).
        """
        text = f"{self.reading} [{self.id}]" if tag else self.reading
        if self.symmetric:
            return f"—{text}—"
        return f"—{text}→" if self.forward else f"←{text}—"

    def sentence(self) -> str:
        """``Tom Homan —threatens→ Brandon Johnson (2024-12)``."""
        when = f" ({self.when})" if self.when else ""
        return f"{self.near_name} {self.arrow()} {self.far_name}{when}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": self.type, "reading": self.reading, "polarity": self.polarity,
            "source": self.source, "target": self.target, "from": self.near, "to": self.far,
            "forward": self.forward, "symmetric": self.symmetric,
            "date": self.date, "start": self.start, "end": self.end,
            "description": self.description,
            "properties": dict(self.properties),
            "citations": [dict(c) for c in self.citations],
        }


def make_link(G: nx.MultiDiGraph, u: str, v: str, key: str, *, near: str) -> Link:
    """The relation ``(u, v, key)`` of ``G`` read from its end ``near``.

    Examples
    --------
    >>> from graph.core import load
    >>> G = load("facts/chicago-sanctuary")
    >>> key = "threatens:tom-homan:brandon-johnson"
    >>> make_link(G, "tom-homan", "brandon-johnson", key, near="brandon-johnson").arrow()
    '←threatened by—'
    """
    attrs = G.edges[u, v, key]
    far = v if near == u else u
    return Link(
        id=attrs["id"], type=attrs["type"], label=attrs["label"], inverse=attrs["inverse"],
        polarity=attrs["polarity"], symmetric=attrs["symmetric"], source=u, target=v,
        near=near, far=far, forward=attrs["symmetric"] or near == u,
        near_name=G.nodes[near].get("name", near), far_name=G.nodes[far].get("name", far),
        date=attrs.get("date"), start=attrs.get("start"), end=attrs.get("end"),
        description=attrs.get("description"), citations=tuple(attrs["citations"]),
        properties={k: v for k, v in attrs.items() if k not in CORE_EDGE_ATTRS},
    )


def links_of(G: nx.MultiDiGraph, node: str) -> Iterator[Link]:
    """Every relation touching ``node``, read from it (outgoing first).

    Examples
    --------
    >>> from graph.core import load
    >>> G = load("facts/chicago-sanctuary")
    >>> sorted({l.reading for l in links_of(G, "illinois-trust-act")})
    ['conflicts with', 'restricts']
    """
    for u, v, key in G.out_edges(node, keys=True):
        yield make_link(G, u, v, key, near=node)
    for u, v, key in G.in_edges(node, keys=True):
        if u != node:
            yield make_link(G, u, v, key, near=node)


def describe_source(source_id: str, sources: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """A source id with what the fact base knows of it (title, publisher, date).

    ``sources`` is ``G.graph["sources"]``; without it the id stands alone.

    Examples
    --------
    >>> describe_source("s-003", {"s-003": {"publisher": "Daily Caller News Foundation"}})
    's-003 (Daily Caller News Foundation)'
    """
    meta = (sources or {}).get(source_id, {})
    extra = [str(meta[k]) for k in ("title", "publisher", "published") if meta.get(k)]
    return f"{source_id} ({', '.join(extra)})" if extra else source_id


def format_citations(
    link: Link, *, sources: Mapping[str, Mapping[str, Any]] | None = None, indent: str = "    ",
) -> list[str]:
    """One line per citation: ``s-004: "the quote"`` (or the source alone)."""
    lines = []
    for c in link.citations:
        quote = f': "{c["quote"]}"' if c.get("quote") else " (no quote)"
        lines.append(f"{indent}{describe_source(c['source'], sources)}{quote}")
    return lines


def format_properties(link: Link) -> str:
    """The type's own properties, e.g. ``motion: the proposal; result: blocked``."""
    return "; ".join(f"{k}: {v}" for k, v in link.properties.items())


def format_link(
    link: Link, *, sources: Mapping[str, Mapping[str, Any]] | None = None, indent: str = "  ",
) -> list[str]:
    """A relation as a cited block: its sentence, id, properties, description, quotes.

    Examples
    --------
    >>> from graph.core import load
    >>> G = load("facts/chicago-sanctuary")
    >>> link = make_link(G, "council-vote-2025", "lopez-tabares-amendment",
    ...                  "council-vote-2025-tabled", near="council-vote-2025")
    >>> print("\\n".join(format_link(link, sources=G.graph["sources"])))  # doctest: +ELLIPSIS
      City Council vote on the Lopez–Tabares amendment —decides on→ Lopez–Tabares amendment (2025-01) [council-vote-2025-tabled]
        motion: to table the amendment; result: tabled; yes: 39; no: 11
        Article 003 reports a motion to table the amendment, carried 39 yeas to 11 nays.
        s-003 (Daily Caller News Foundation): "The city council on Wednesday voted to table ..."
        s-003 (Daily Caller News Foundation): "The official vote tally was 39 yeas to 11 nays to dismiss the proposal"
    """
    lines = [f"{indent}{link.sentence()} [{link.id}]"]
    if link.properties:
        lines.append(f"{indent}  {format_properties(link)}")
    if link.description:
        lines.append(f"{indent}  {link.description}")
    return lines + format_citations(link, sources=sources, indent=indent + "  ")
