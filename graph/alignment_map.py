"""Coalition networks on the map: an :class:`~graph.alignment.Alignment` as a graph the map draws.

:func:`alignment_graph` turns the congruence and conflict networks into a
frozen ``MultiDiGraph`` shaped like the core (the attribute contract of
:mod:`graph.core`): the actors are its nodes, with their attributes from the
core, and each tie is an edge of type ``congruence`` (polarity +1, "agrees
with") or ``conflict`` (polarity -1, "clashes with"), symmetric, carrying

- ``weight`` and ``count``: the tie's weight (as normalised) and raw count;
- ``targets``: the ids of the targets the two actors share;
- ``basis``: for each target, how each actor stands on it and every
  relation behind that, with its citations (the map's tie panel);
- ``citations``: every citation of those relations, once.

``G.graph["alignment"]`` says it is such a graph (the map then draws edge
width by weight and lists the basis of a tie), so :func:`graph.generate_html`,
:func:`graph.write_html` and :func:`graph.notebook_map` draw it as they
draw the core.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from graph.alignment import Alignment, Network
from graph.mapstyle import when
from graph.queryerrors import QueryError

#: The two kinds of tie, as relation types of the map.
TIE_TYPES = {
    "congruence": {"label": "agrees with", "polarity": 1},
    "conflict": {"label": "clashes with", "polarity": -1},
}
_SIDES = {frozenset({1}): "for", frozenset({-1}): "against", frozenset({1, -1}): "for and against"}


def alignment_graph(A: Alignment, *, network: Network = "signed", isolates: bool = False) -> nx.MultiDiGraph:
    """The ties of ``A`` as a core-shaped graph, for the map.

    Parameters
    ----------
    A : Alignment
        From :func:`graph.alignment` (it keeps the graph its stances came
        from, whose citations the ties carry).
    network : {"signed", "congruence", "conflict"}, default "signed"
        Which ties: ``"signed"`` draws both kinds (a pair may have one of
        each, drawn as two curves).
    isolates : bool, default False
        Keep the actors without a tie.

    Returns
    -------
    networkx.MultiDiGraph
        Frozen; see the module's docstring for its attributes.

    Examples
    --------
    >>> import graph
    >>> A = graph.alignment(graph.load("facts/chicago-sanctuary"))
    >>> T = alignment_graph(A)
    >>> T.number_of_edges() == A.congruence.number_of_edges() + A.conflict.number_of_edges()
    True
    >>> tie = T.edges["brandon-johnson", "raymond-lopez", "conflict:brandon-johnson:raymond-lopez"]
    >>> tie["label"], tie["polarity"], tie["targets"]
    ('clashes with', -1, ('lopez-tabares-amendment',))
    >>> [r["text"] for r in tie["basis"][0]["relations"]][:1]
    ['Brandon Johnson — opposes → Lopez–Tabares amendment']
    >>> html = graph.generate_html(T)  # and write_html, notebook_map
    """
    if network not in ("signed", "congruence", "conflict"):
        raise QueryError(f"network {network!r} is not one of signed, congruence, conflict")
    G = A.core
    if G is None:
        raise QueryError("this Alignment does not know the graph its stances came from; "
                         "compute it with graph.alignment(G)")
    kinds = ("congruence", "conflict") if network == "signed" else (network,)
    ends = {k: (u, v) for u, v, k in G.edges(keys=True)}
    name = {n: str(G.nodes[n].get("name", n)) for n in G}

    T = nx.MultiDiGraph(
        name=G.graph.get("name"), paths=list(G.graph.get("paths") or ()), sources=G.graph.get("sources", {}),
        vocabulary=G.graph.get("vocabulary"), title="Coalitions: who sides with whom",
        alignment={"network": network, "normalize": A.normalize, "direct": A.congruence.graph.get("direct")},
    )
    ties = [(kind, a, b, attrs) for kind in kinds for a, b, attrs in A.network(kind).edges(data=True)]  # type: ignore[arg-type]
    tied = {n for _, a, b, _ in ties for n in (a, b)}
    for actor in A.actors:
        if isolates or actor in tied:
            T.add_node(actor, **G.nodes[actor])
    for kind, a, b, attrs in ties:
        a, b = sorted((a, b))  # symmetric: ends in sorted order, as in the core
        basis = [_basis(A, G, ends, name, a, b, target) for target in attrs["targets"]]
        citations = _unique(c for entry in basis for r in entry["relations"] for c in r["citations"])
        spec = TIE_TYPES[kind]
        shared = len(attrs["targets"])
        description = (f"{name[a]} and {name[b]} take {'the same side' if kind == 'congruence' else 'opposite sides'}"
                       f" on {shared} target{'s' if shared != 1 else ''}: {', '.join(b['name'] for b in basis)}"
                       + ("" if A.normalize == "raw" else f" (weight {attrs['weight']:.3g}, {A.normalize})"))
        T.add_edge(a, b, key=f"{kind}:{a}:{b}", id=f"{kind}:{a}:{b}", type=kind, label=spec["label"], inverse=None,
                   polarity=spec["polarity"], symmetric=True, date=None, start=None, end=None,
                   description=description, citations=citations, origin=None,
                   weight=attrs["weight"], count=attrs["count"], targets=tuple(attrs["targets"]),
                   basis=tuple(basis))
    return nx.freeze(T)


def _basis(A: Alignment, G: nx.MultiDiGraph, ends: Mapping[str, tuple[str, str]], name: Mapping[str, str],
           a: str, b: str, target: str) -> dict[str, Any]:
    """How ``a`` and ``b`` stand on ``target``, and the relations that say so."""
    # With direct relations an actor can be the target, standing with itself
    # by every relation aimed at it: only the other one's relations count here.
    askers = [x for x in (a, b) if x != target]
    relations = []
    for rid in dict.fromkeys(r for x in askers for r in A.evidence.get((x, target), ())):
        u, v = ends[rid]
        attrs = G.edges[u, v, rid]
        arrow = "—" if attrs["symmetric"] else "→"
        relations.append({"id": rid, "text": f"{name[u]} — {attrs['label']} {arrow} {name[v]}",
                          "polarity": attrs["polarity"], "when": when(attrs) or None,
                          "citations": [{"source": c["source"], "quote": c.get("quote")} for c in attrs["citations"]]})
    stances = "; ".join(f"{name[x]} {_SIDES[A.matrix[x][target]]}" if x != target else f"{name[x]} (the target)"
                        for x in (a, b))
    return {"target": target, "name": name.get(target, target), "stances": stances, "relations": relations}


def _unique(citations: Any) -> tuple[dict[str, Any], ...]:
    seen: dict[tuple[str, Any], dict[str, Any]] = {}
    for c in citations:
        seen.setdefault((c["source"], c.get("quote")), c)
    return tuple(seen.values())
