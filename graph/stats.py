"""Counts that describe a fact base at a glance."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from loaders import PartialDate


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
    # One pass over the edges, each attribute dict touched once: at 10^5
    # relations the dicts are spread over memory, and every further pass
    # (a Counter here, a map there) costs as much again in cache misses.
    nodes = [attrs for _, attrs in G.nodes(data=True)]
    kinds = Counter(attrs["kind"] for attrs in nodes)
    types: dict[str, int] = {}
    by_source: dict[str, int] = dict.fromkeys(G.graph.get("sources", {}), 0)
    citations = quotes = relations = 0
    firsts: set[str] = set()
    lasts: set[str] = set()
    for _, neighbours in G.adjacency():
        for keyed in neighbours.values():
            for attrs in keyed.values():
                relations += 1
                rtype = attrs["type"]
                types[rtype] = types.get(rtype, 0) + 1
                cited = attrs["citations"]
                citations += len(cited)
                if len(cited) == 1:  # most relations cite one source
                    c = cited[0]
                    if c.get("quote"):
                        quotes += 1
                    source = c["source"]
                    by_source[source] = by_source.get(source, 0) + 1
                else:
                    for c in cited:
                        if c.get("quote"):
                            quotes += 1
                    for source in {c["source"] for c in cited}:
                        by_source[source] = by_source.get(source, 0) + 1
                # The partial dates that open (firsts) and close (lasts) an
                # interval: compared as text, only the extremes are parsed.
                day = attrs.get("date")
                if day:
                    firsts.add(day)
                    lasts.add(day)
                else:
                    start, end = attrs.get("start"), attrs.get("end")
                    if start:
                        firsts.add(start)
                    if end:
                        lasts.add(end)
    for attrs in nodes:
        day = attrs.get("date")
        if day:
            firsts.add(day)
            lasts.add(day)
    first, last = _date_range(firsts, lasts)
    return Stats(
        name=G.graph.get("name", ""),
        entities=G.number_of_nodes(),
        relations=relations,
        sources=len(G.graph.get("sources", {})),
        citations=citations,
        quotes=quotes,
        kinds=dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        types=dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_source=dict(sorted(by_source.items())),
        first=first,
        last=last,
    )


def _date_range(firsts: set[str], lasts: set[str]) -> tuple[date | None, date | None]:
    """The earliest and latest day of intervals opened by ``firsts`` and closed by ``lasts``.

    Partial dates (YYYY, YYYY-MM, YYYY-MM-DD) sort as text in the order of
    their first days; padded with ``-99`` they sort in the order of their
    last days. So each extreme is found as text and only it is parsed.

    Examples
    --------
    >>> _date_range({"2021-03", "2019"}, {"2019", "2020-02"})
    (datetime.date(2019, 1, 1), datetime.date(2021, 3, 1))
    >>> _date_range(set(), {"2010"})
    (datetime.date(2010, 12, 31), datetime.date(2010, 12, 31))
    >>> _date_range(set(), set())
    (None, None)
    """
    def by_last(text: str) -> str:
        return text if len(text) == 10 else text + "-99"

    candidates_low, candidates_high = [], []
    if firsts:
        candidates_low.append(PartialDate.parse(min(firsts)).first)
        candidates_high.append(PartialDate.parse(max(firsts)).first)
    if lasts:
        candidates_low.append(PartialDate.parse(min(lasts, key=by_last)).last)
        candidates_high.append(PartialDate.parse(max(lasts, key=by_last)).last)
    if not candidates_low:
        return None, None
    return min(candidates_low), max(candidates_high)
