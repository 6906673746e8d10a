"""Relation-type and entity-kind filters shared by the queries.

Names are checked against the graph's vocabulary so that a typo is an
error naming the closest names, never a silently empty answer.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph.queryerrors import QueryError


def _check(names: Iterable[str] | str | None, known: Iterable[str], what: str) -> frozenset[str] | None:
    if names is None:
        return None
    if isinstance(names, str):
        names = [names]
    chosen = frozenset(n.strip() for n in names if n.strip())
    known = sorted(known)
    for name in sorted(chosen):
        if name not in known:
            near = difflib.get_close_matches(name, known, n=3)
            hint = f"; did you mean {', '.join(near)}?" if near else f"; known: {', '.join(known)}"
            raise QueryError(f"{name!r} is not a {what} of this vocabulary{hint}")
    return chosen or None


def relation_types(G: nx.MultiDiGraph, types: Iterable[str] | str | None) -> frozenset[str] | None:
    """Check relation type names against the vocabulary (None means all).

    Examples
    --------
    >>> from graph.core import load
    >>> G = load("facts/chicago-sanctuary")
    >>> sorted(relation_types(G, ["opposes", "supports"]))
    ['opposes', 'supports']
    >>> relation_types(G, ["oposes"])
    Traceback (most recent call last):
    ...
    graph.queryerrors.QueryError: 'oposes' is not a relation type of this vocabulary; did you mean opposes, proposes?
    """
    return _check(types, G.graph["vocabulary"].relations, "relation type")


def entity_kinds(G: nx.MultiDiGraph, kinds: Iterable[str] | str | None) -> frozenset[str] | None:
    """Check kind names against the vocabulary (None means all).

    Examples
    --------
    >>> from graph.core import load
    >>> sorted(entity_kinds(load("facts/chicago-sanctuary"), "person"))
    ['person']
    """
    return _check(kinds, G.graph["vocabulary"].kinds, "kind")


def is_kind(attrs: Mapping[str, Any], kinds: frozenset[str] | None) -> bool:
    """Whether an entity is of one of ``kinds``, sub-kinds included (None: any).

    Examples
    --------
    >>> is_kind({"kinds": ("organization", "agency", "police")}, frozenset({"agency"}))
    True
    """
    return kinds is None or not kinds.isdisjoint(attrs.get("kinds", (attrs.get("kind"),)))
