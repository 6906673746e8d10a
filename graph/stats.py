"""Counts that describe a fact base at a glance."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from graph.core import interval


@dataclass(frozen=True)
class Stats:
    name: str
    entities: int
    relations: int
    sources: int
    citations: int
    quotes: int
    kinds: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)
    first: date | None = None
    last: date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "entities": self.entities, "relations": self.relations,
            "sources": self.sources, "citations": self.citations, "quotes": self.quotes,
            "kinds": self.kinds, "types": self.types, "relations_by_source": self.by_source,
            "date_range": [self.first.isoformat() if self.first else None,
                           self.last.isoformat() if self.last else None],
        }

    def __str__(self) -> str:
        span = f"{self.first} .. {self.last}" if self.first else "undated"
        lines = [
            f"{self.name}: {self.entities} entities, {self.relations} relations, "
            f"{self.sources} sources, {self.citations} citations ({self.quotes} with quotes)",
            f"dates: {span}",
            "entities by kind:",
            *(f"  {k:<20} {n:>5}" for k, n in self.kinds.items()),
            "relations by type:",
            *(f"  {t:<20} {n:>5}" for t, n in self.types.items()),
            "relations citing each source:",
            *(f"  {s:<20} {n:>5}" for s, n in self.by_source.items()),
        ]
        return "\n".join(lines)


def stats(G: nx.MultiDiGraph) -> Stats:
    """Count entities by kind, relations by type and by source, and the date range.

    Examples
    --------
    >>> from graph.core import load
    >>> s = stats(load("facts/chicago-sanctuary"))
    >>> s.relations == sum(s.types.values())
    True
    """
    kinds = Counter(attrs["kind"] for _, attrs in G.nodes(data=True))
    types = Counter(attrs["type"] for _, _, attrs in G.edges(data=True))
    by_source: Counter[str] = Counter({s: 0 for s in G.graph.get("sources", {})})
    citations = quotes = 0
    days: list[date] = []
    for _, _, attrs in G.edges(data=True):
        cited = {c["source"] for c in attrs["citations"]}
        by_source.update(cited)
        citations += len(attrs["citations"])
        quotes += sum(1 for c in attrs["citations"] if c.get("quote"))
        days += [d for d in interval(attrs) if d is not None]
    for _, attrs in G.nodes(data=True):
        if attrs.get("date"):
            days += [d for d in interval(attrs) if d is not None]
    return Stats(
        name=G.graph.get("name", ""),
        entities=G.number_of_nodes(),
        relations=G.number_of_edges(),
        sources=len(G.graph.get("sources", {})),
        citations=citations,
        quotes=quotes,
        kinds=dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        types=dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_source=dict(sorted(by_source.items())),
        first=min(days) if days else None,
        last=max(days) if days else None,
    )
