"""Who supports and who opposes a target, and every position an actor takes.

A stance is read from the polarity of a relation type in the vocabulary
(+1 ``sponsors``/``supports``/``proposes``/``upholds``/``allied_with``,
-1 ``opposes``/``criticizes``/``threatens``/``conflicts_with``). Relations
of polarity 0 (a vote *deciding on* a policy, a policy *targeting* an
agency) take no side; they are listed apart as ``neutral`` because they
often carry the outcome. Nothing is summed or chosen: when the facts hold
two accounts of one thing (two ``votes_on`` relations with different
results), both are listed, each with its sources, and flagged as differing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

from graph.asof import When, entity, scoped
from graph.filters import relation_types
from graph.links import Link, format_citations, format_properties, make_link

_HEADINGS = {1: "support", -1: "oppose", 0: "neutral"}


@dataclass(frozen=True, repr=False)
class Stance:
    """One entity's relations of one polarity towards (or from) the subject.

    ``entity`` is the other side: the holder of the stance in
    :func:`stances`, the thing it is about in :func:`positions`.
    """

    entity: str
    name: str
    kind: str
    polarity: int
    links: tuple[Link, ...]

    def __repr__(self) -> str:
        return f"<Stance {self.entity} {_HEADINGS[self.polarity]}: {len(self.links)} relations>"

    @property
    def citations(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(c for link in self.links for c in link.citations)

    def disagreements(self) -> list[tuple[str, int, list[str]]]:
        """``(reading, count, differing fields)`` for each type stated more than once.

        Two relations of one type between the same two entities are two
        accounts; the fields in which they differ (date, result, ...) are
        where the sources disagree.
        """
        out = []
        by_type: dict[str, list[Link]] = {}
        for link in self.links:
            by_type.setdefault(link.type, []).append(link)
        for links in by_type.values():
            if len(links) > 1:
                fields = sorted({
                    key for link in links
                    for key in {"date", "start", "end", *link.properties}
                    if len({repr(_field(other, key)) for other in links}) > 1
                })
                out.append((links[0].reading, len(links), fields))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.entity, "name": self.name, "kind": self.kind, "polarity": self.polarity,
            "relations": [link.as_dict() for link in self.links],
            "accounts": [{"reading": r, "count": n, "differ_in": f} for r, n, f in self.disagreements()],
        }


def _field(link: Link, key: str) -> Any:
    return getattr(link, key) if key in ("date", "start", "end") else link.properties.get(key)


@dataclass(frozen=True, repr=False)
class StanceReport:
    """Stances on a subject (``role="on"``) or taken by it (``role="by"``)."""

    subject: str
    name: str
    kind: str
    role: Literal["on", "by"]
    support: tuple[Stance, ...]
    oppose: tuple[Stance, ...]
    neutral: tuple[Stance, ...]

    def __repr__(self) -> str:
        return (f"<StanceReport {self.role} {self.subject}: {len(self.support)} support, "
                f"{len(self.oppose)} oppose, {len(self.neutral)} neutral>")

    def __bool__(self) -> bool:
        return bool(self.support or self.oppose or self.neutral)

    def report(self, *, sources: Mapping[str, Mapping[str, Any]] | None = None) -> str:
        """Every stance with its relations, dates, properties and quotes."""
        title = "Stances on" if self.role == "on" else "Positions taken by"
        lines = [f"{title} {self.name} ({self.kind})"]
        sections = (
            ("Support", self.support), ("Oppose", self.oppose),
            ("Neutral (relations without a side)", self.neutral),
        )
        for heading, stances in sections:
            if not stances:
                continue
            lines.append(f"\n{heading} ({len(stances)}):")
            for stance in stances:
                lines.append(f"  {stance.name} ({stance.kind})")
                for reading, count, fields in stance.disagreements():
                    differ = f", which differ in {', '.join(fields)}" if fields else ""
                    lines.append(f"    ! {count} accounts of '{reading}'{differ}: all are listed")
                for link in stance.links:
                    when = f" ({link.when})" if link.when else ""
                    lines.append(f"    {link.reading}{when} [{link.id}]")
                    if link.properties:
                        lines.append(f"      {format_properties(link)}")
                    if link.description:
                        lines.append(f"      {link.description}")
                    lines += format_citations(link, sources=sources, indent="      ")
        if not self:
            lines.append("  (none)")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.subject, "name": self.name, "kind": self.kind, "role": self.role,
            "support": [s.as_dict() for s in self.support],
            "oppose": [s.as_dict() for s in self.oppose],
            "neutral": [s.as_dict() for s in self.neutral],
        }


def _incoming(H: nx.MultiDiGraph, node: str) -> Iterator[Link]:
    """Relations on ``node``, read from the other end (the stance holder)."""
    for u, v, key in H.in_edges(node, keys=True):
        if u != node:
            yield make_link(H, u, v, key, near=u)
    for u, v, key in H.out_edges(node, keys=True):
        if H.edges[u, v, key]["symmetric"] and v != node:
            yield make_link(H, u, v, key, near=v)


def _outgoing(H: nx.MultiDiGraph, node: str) -> Iterator[Link]:
    """Relations ``node`` states, read from it."""
    for u, v, key in H.out_edges(node, keys=True):
        if v != node:
            yield make_link(H, u, v, key, near=node)
    for u, v, key in H.in_edges(node, keys=True):
        if H.edges[u, v, key]["symmetric"] and u != node:
            yield make_link(H, u, v, key, near=node)


def _report(H: nx.MultiDiGraph, node: str, links: Iterable[Link], role: Literal["on", "by"],
            types: frozenset[str] | None, neutral: bool) -> StanceReport:
    grouped: dict[tuple[int, str], list[Link]] = {}
    for link in links:
        if types is not None and link.type not in types:
            continue
        if link.polarity == 0 and not neutral:
            continue
        other = link.near if role == "on" else link.far
        grouped.setdefault((link.polarity, other), []).append(link)
    by_polarity: dict[int, list[Stance]] = {1: [], -1: [], 0: []}
    for (polarity, other), group in grouped.items():
        group.sort(key=lambda link: (link.interval[0] is None, link.interval[0] or 0, link.type, link.id))
        attrs = H.nodes[other]
        by_polarity[polarity].append(
            Stance(other, attrs.get("name", other), attrs.get("kind", ""), polarity, tuple(group)))
    for stances in by_polarity.values():
        stances.sort(key=lambda s: (s.name.casefold(), s.entity))
    attrs = H.nodes[node]
    return StanceReport(node, attrs.get("name", node), attrs.get("kind", ""), role,
                        tuple(by_polarity[1]), tuple(by_polarity[-1]), tuple(by_polarity[0]))


def stances(
    G: nx.MultiDiGraph,
    target: str,
    *,
    types: Iterable[str] | str | None = None,
    neutral: bool = True,
    as_of: When | None = None,
) -> StanceReport:
    """Who supports and who opposes ``target``, with citations and dates.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The core, or a view of it.
    target : str
        Id, name or alias of a policy, actor or event.
    types : str or iterable of str, optional
        Only these relation types.
    neutral : bool, default True
        Also list relations of polarity 0 (votes on it, amendments to it).
    as_of : str or datetime.date, optional
        The stances in force on that date (see :mod:`graph.asof`).

    Examples
    --------
    >>> from graph.core import load
    >>> G = load("facts/chicago-sanctuary")
    >>> on = stances(G, "Lopez-Tabares amendment")
    >>> [s.entity for s in on.support]
    ['raymond-lopez', 'silvana-tabares']
    >>> "brandon-johnson" in [s.entity for s in on.oppose]
    True
    >>> vote = next(s for s in on.neutral if s.entity == "council-vote-2025")
    >>> [(link.id, link.properties["result"]) for link in vote.links]
    [('council-vote-2025-blocked', 'blocked'), ('council-vote-2025-tabled', 'tabled')]
    >>> vote.disagreements()
    [('decides on', 2, ['motion', 'no', 'result', 'yes'])]
    """
    H = scoped(G, as_of)
    node = entity(G, H, target, as_of)
    return _report(H, node, _incoming(H, node), "on", relation_types(G, types), neutral)


def positions(
    G: nx.MultiDiGraph,
    actor: str,
    *,
    types: Iterable[str] | str | None = None,
    neutral: bool = False,
    as_of: When | None = None,
) -> StanceReport:
    """Every position ``actor`` takes: what it supports and what it opposes.

    Parameters are those of :func:`stances`; ``neutral`` (default False)
    adds its relations without a side (memberships, offices, meetings).

    Examples
    --------
    >>> from graph.core import load
    >>> G = load("facts/chicago-sanctuary")
    >>> by = positions(G, "Brandon Johnson")
    >>> [s.entity for s in by.support]
    ['welcoming-city-ordinance']
    >>> sorted(s.entity for s in by.oppose)
    ['donald-trump', 'lopez-tabares-amendment', 'trump-administration']
    """
    H = scoped(G, as_of)
    node = entity(G, H, actor, as_of)
    return _report(H, node, _outgoing(H, node), "by", relation_types(G, types), neutral)
