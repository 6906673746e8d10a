"""Counts that describe a fact base at a glance."""

from __future__ import annotations

from collections import Counter
from itertools import chain
from operator import itemgetter, methodcaller
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
    # Whole-list passes with C-level helpers (map, itemgetter, Counter) rather
    # than Python work per relation: at 10^5 relations that is most of the time.
    nodes = [attrs for _, attrs in G.nodes(data=True)]
    kinds = Counter(map(itemgetter("kind"), nodes))
    edges = [attrs for _, neighbours in G.adjacency() for keyed in neighbours.values() for attrs in keyed.values()]
    types = Counter(map(itemgetter("type"), edges))
    cited = list(map(itemgetter("citations"), edges))
    every = list(chain.from_iterable(cited))
    citations = len(every)
    quotes = sum(map(bool, map(methodcaller("get", "quote"), every)))
    by_source: Counter[str] = Counter({s: 0 for s in G.graph.get("sources", {})})
    single = [c[0] for c in cited if len(c) == 1]  # most relations cite one source
    by_source.update(map(itemgetter("source"), single))
    by_source.update(chain.from_iterable({c["source"] for c in cs} for cs in cited if len(cs) > 1))
    # The partial dates that open (firsts) and close (lasts) an interval:
    # compared as text, only the extremes are parsed (see _date_range).
    dated = {d for d in map(methodcaller("get", "date"), edges) if d}
    dated.update(d for d in map(methodcaller("get", "date"), nodes) if d)
    spans = [attrs for attrs in edges if not attrs.get("date")]
    firsts = dated | {d for d in map(methodcaller("get", "start"), spans) if d}
    lasts = dated | {d for d in map(methodcaller("get", "end"), spans) if d}
    first, last = _date_range(firsts, lasts)
    return Stats(
        name=G.graph.get("name", ""),
        entities=G.number_of_nodes(),
        relations=len(edges),  # number_of_edges() sums every node's degree: a second pass
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
