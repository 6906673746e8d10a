"""The core as of a date: a frozen view holding what was in force then.

Dates in facts are partial (``2025``, ``2025-01``, ``2025-01-15``) and each
stands for the days it covers; the date asked may be partial too. The rules,
which every query taking ``as_of`` follows:

- A dated relation is kept when its interval **covers** the date asked
  (overlaps it, for a partial date asked): a relation dated ``2025-01`` is
  in the graph as of ``2025-01-20`` and as of ``2025``, not as of
  ``2025-02``. A ``start``/``end`` span with a missing side is open on that
  side. With ``mode="through"`` every relation that had begun by then is
  kept instead (what had happened so far).
- An **undated** relation is kept by default (``undated=True``): the facts
  state it without time (a sponsorship, a membership), and dropping those
  would empty most of a real fact base (about seven in ten of the Chicago relations are
  undated). Pass ``undated=False`` to keep dated relations only.
- An entity with a date of its own (a vote, a law) exists from the first
  day of that date on: it and its relations are absent before it. Undated
  entities are always present.

The result is ``networkx.subgraph_view`` of the core: frozen, sharing the
core's attribute dicts (read-only by contract), and accepted by every query,
view and exporter in place of the core.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import networkx as nx

from graph.core import interval, resolve
from graph.queryerrors import NotInView, QueryError
from loaders import PartialDate
from loaders.dates import DateFormatError

When = str | date | PartialDate


def parse_when(when: When) -> tuple[date, date]:
    """The first and last day of a date asked: a date, or YYYY[-MM[-DD]].

    Examples
    --------
    >>> parse_when("2025-01")
    (datetime.date(2025, 1, 1), datetime.date(2025, 1, 31))
    >>> parse_when("January 2025")
    Traceback (most recent call last):
    ...
    graph.queryerrors.QueryError: 'January 2025' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2025-01-15)
    """
    if isinstance(when, datetime):
        when = when.date()
    if isinstance(when, date):
        return when, when
    if isinstance(when, PartialDate):
        return when.first, when.last
    try:
        d = PartialDate.parse(when)
    except DateFormatError as exc:
        raise QueryError(str(exc)) from None
    return d.first, d.last


def as_of(
    G: nx.MultiDiGraph,
    when: When,
    *,
    undated: bool = True,
    mode: Literal["covers", "through"] = "covers",
) -> nx.MultiDiGraph:
    """The graph as of a date: a frozen subgraph view of ``G``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The core (or a view of it).
    when : str, datetime.date or loaders.PartialDate
        The date asked; a partial date stands for the days it covers.
    undated : bool, default True
        Keep relations that carry no date (see the module's rules).
    mode : {"covers", "through"}, default "covers"
        ``"covers"`` keeps relations whose interval covers ``when``;
        ``"through"`` keeps every relation begun by the end of ``when``.

    Returns
    -------
    networkx.MultiDiGraph
        A read-only view; ``G`` is unchanged.

    Examples
    --------
    >>> from graph.core import load
    >>> G = load("facts/chicago-sanctuary")
    >>> H = as_of(G, "2024-06")
    >>> "council-vote-2025" in H, "illinois-trust-act" in H
    (False, True)
    >>> H.has_edge("tom-homan", "brandon-johnson", "criticizes:tom-homan:brandon-johnson:2024-12")
    False
    >>> as_of(G, "2024-12").has_edge("tom-homan", "brandon-johnson", "criticizes:tom-homan:brandon-johnson:2024-12")
    True
    >>> dated = as_of(G, "2025-01", undated=False)
    >>> sorted(k for _, _, k in dated.edges("council-vote-2025", keys=True))
    ['council-vote-2025-blocked', 'council-vote-2025-tabled']
    >>> nx.is_frozen(H)
    True
    """
    if mode not in ("covers", "through"):
        raise QueryError(f"mode {mode!r} is not one of 'covers', 'through'")
    first, last = parse_when(when)

    def node_ok(n: str) -> bool:
        begins, _ = interval(G.nodes[n])
        return begins is None or begins <= last

    def edge_ok(u: str, v: str, k: str) -> bool:
        begins, ends = interval(G.edges[u, v, k])
        if begins is None and ends is None:
            return undated
        if begins is not None and begins > last:
            return False
        return mode == "through" or ends is None or ends >= first

    return nx.subgraph_view(G, filter_node=node_ok, filter_edge=edge_ok)


def scoped(G: nx.MultiDiGraph, as_of_date: When | None) -> nx.MultiDiGraph:
    """``G`` itself when no date is asked, else ``as_of(G, as_of_date)``."""
    return G if as_of_date is None else as_of(G, as_of_date)


def entity(G: nx.MultiDiGraph, H: nx.MultiDiGraph, ref: str, as_of_date: When | None = None) -> str:
    """Resolve ``ref`` in ``G`` and check that it is in the view ``H``.

    Examples
    --------
    >>> from graph.core import load
    >>> G = load("facts/chicago-sanctuary")
    >>> entity(G, as_of(G, "2024"), "council-vote-2025", "2024")
    Traceback (most recent call last):
    ...
    graph.queryerrors.NotInView: City Council vote on the Lopez–Tabares amendment (council-vote-2025) is dated 2025-01: it is not in the graph as of 2024
    """
    node = resolve(G, ref)
    if node not in H:
        name = G.nodes[node].get("name", node)
        dated = f" is dated {G.nodes[node]['date']}:" if G.nodes[node].get("date") else ""
        raise NotInView(f"{name} ({node}){dated} it is not in the graph as of {as_of_date}")
    return node
