"""Coalitions as Discourse Network Analysis draws them: who sides with whom.

From the **actor × target stance matrix** (an actor's relations of polarity
+1 or -1 towards a policy, event or other target) two actor networks follow:

- the **congruence** network: two actors are joined when they take the same
  side on a target; the raw weight is the number of such targets;
- the **conflict** network: joined when they take opposite sides.

``normalize`` scales a raw count ``c`` for actors ``a`` and ``b`` with
target sets ``T(a)`` and ``T(b)``: ``"raw"`` keeps ``c``; ``"jaccard"``
gives ``c / |T(a) ∪ T(b)|``; ``"cosine"`` gives ``c / sqrt(|T(a)|·|T(b)|)``.
An actor holding both sides on one target (two accounts) agrees with both
camps there; nothing is chosen.

Actors are the entities of the kinds ``person`` and ``organization`` (and
their sub-kinds); targets are, by default, every entity that is not an
actor. With ``direct=True`` actors become targets too, each standing with
itself, so an actor→actor relation of polarity +1 (``allied_with``,
``supports``) adds one agreement between the two and one of polarity -1
(``opposes``, ``criticizes``, ``threatens``) adds one conflict; two actors
who oppose the same third actor then agree on it.

Every edge keeps the targets and the relation ids behind it, so each tie
can be traced to its citations in the core.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

import networkx as nx

from graph.asof import When, scoped
from graph.filters import entity_kinds, is_kind, relation_types
from graph.io import atomic_write
from graph.queryerrors import QueryError

if TYPE_CHECKING:
    from graph.view import MapSummary

Normalize = Literal["raw", "jaccard", "cosine"]
Network = Literal["congruence", "conflict", "signed"]
ACTOR_KINDS = ("person", "organization")


@dataclass(frozen=True, repr=False)
class Alignment:
    """The stance matrix and the two actor networks drawn from it.

    ``matrix[actor][target]`` is the set of sides (+1, -1) the actor takes
    on the target; ``evidence[actor, target]`` the relation ids stating it.
    ``congruence`` and ``conflict`` are undirected ``networkx.Graph`` s over
    every actor (isolated ones included) with edge attributes ``weight``
    (normalised), ``count`` (raw), ``targets`` and ``relations`` (ids);
    nodes carry ``name``, ``kind`` and ``positions`` (how many targets).
    :func:`graph.alignment_graph` turns them into a graph the map draws.
    """

    actors: tuple[str, ...]
    targets: tuple[str, ...]
    matrix: Mapping[str, Mapping[str, frozenset[int]]]
    evidence: Mapping[tuple[str, str], tuple[str, ...]]
    congruence: nx.Graph
    conflict: nx.Graph
    normalize: Normalize
    #: The graph the stances were read from (the core, or its as-of view): the
    #: relation ids in ``evidence`` and on the edges are its edge keys.
    core: nx.MultiDiGraph | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        return (f"<Alignment {len(self.actors)} actors x {len(self.targets)} targets: "
                f"{self.congruence.number_of_edges()} congruence, {self.conflict.number_of_edges()} conflict ties>")

    def network(self, which: Network = "signed") -> nx.Graph:
        """One network: ``"congruence"``, ``"conflict"`` or ``"signed"``.

        The signed network joins every pair with either tie; its edges carry
        ``congruence`` and ``conflict`` (normalised), their raw counts, and
        ``weight = congruence - conflict`` (DNA's "subtract" transformation).
        """
        if which == "congruence":
            return self.congruence
        if which == "conflict":
            return self.conflict
        if which != "signed":
            raise QueryError(f"network {which!r} is not one of congruence, conflict, signed")
        S = nx.Graph(network="signed", normalize=self.normalize, direct=self.congruence.graph["direct"])
        S.add_nodes_from(self.congruence.nodes(data=True))
        for name, source in (("congruence", self.congruence), ("conflict", self.conflict)):
            for a, b, attrs in source.edges(data=True):
                if not S.has_edge(a, b):
                    S.add_edge(a, b, congruence=0.0, conflict=0.0, congruence_count=0, conflict_count=0,
                               targets=(), relations=())
                edge = S.edges[a, b]
                edge[name], edge[f"{name}_count"] = attrs["weight"], attrs["count"]
                edge["targets"] = tuple(sorted({*edge["targets"], *attrs["targets"]}))
                edge["relations"] = tuple(sorted({*edge["relations"], *attrs["relations"]}))
        for _, _, edge in S.edges(data=True):
            edge["weight"] = edge["congruence"] - edge["conflict"]
        return S

    def table(self, names: Mapping[str, str] | None = None) -> str:
        """The stance matrix as text: ``+`` support, ``-`` oppose, ``±`` both."""
        names = names or {}
        used = [t for t in self.targets if any(t in self.matrix[a] for a in self.actors)]
        lines = ["targets: " + "; ".join(f"{i + 1} = {names.get(t, t)}" for i, t in enumerate(used))]
        width = max((len(names.get(a, a)) for a in self.actors), default=5)
        lines.append(" " * width + " " + " ".join(f"{i + 1:>2}" for i in range(len(used))))
        for a in self.actors:
            if not self.matrix[a]:
                continue
            cells = [_mark(self.matrix[a].get(t, frozenset())) for t in used]
            lines.append(f"{names.get(a, a):<{width}} " + " ".join(f"{c:>2}" for c in cells))
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "normalize": self.normalize,
            "actors": list(self.actors),
            "targets": list(self.targets),
            "matrix": [
                {"actor": a, "target": t, "sides": sorted(sides), "relations": list(self.evidence[a, t])}
                for a in self.actors for t, sides in self.matrix[a].items()
            ],
            "congruence": _node_link(self.congruence),
            "conflict": _node_link(self.conflict),
        }


def _mark(sides: frozenset[int]) -> str:
    return {frozenset({1}): "+", frozenset({-1}): "-", frozenset({1, -1}): "±"}.get(sides, ".")


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _node_link(N: nx.Graph) -> dict[str, Any]:
    return {
        "graph": dict(N.graph),
        "nodes": [{"id": n, **{k: _plain(v) for k, v in attrs.items()}} for n, attrs in N.nodes(data=True)],
        "edges": [{"source": a, "target": b, **{k: _plain(v) for k, v in attrs.items()}}
                  for a, b, attrs in N.edges(data=True)],
    }


def _weight(count: int, ta: int, tb: int, union: int, normalize: Normalize) -> float:
    if normalize == "raw":
        return float(count)
    if normalize == "jaccard":
        return count / union if union else 0.0
    return count / math.sqrt(ta * tb) if ta and tb else 0.0


def alignment(
    G: nx.MultiDiGraph,
    *,
    normalize: Normalize = "raw",
    direct: bool = False,
    actors: Iterable[str] | str | None = None,
    targets: Iterable[str] | str | None = None,
    types: Iterable[str] | str | None = None,
    as_of: When | None = None,
) -> Alignment:
    """The actor congruence and conflict networks of ``G`` (Discourse Network Analysis).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The core, or a view of it.
    normalize : {"raw", "jaccard", "cosine"}, default "raw"
        How edge weights are scaled (see the module's docstring).
    direct : bool, default False
        Count actor→actor relations of polarity ±1 as agreement/conflict
        between the two (actors become targets, each standing with itself).
    actors : str or iterable of str, optional
        Kinds that count as actors; default person and organization.
    targets : str or iterable of str, optional
        Kinds that count as targets; default every kind that is not an actor.
    types : str or iterable of str, optional
        Only these relation types state stances (polarity 0 types never do).
    as_of : str or datetime.date, optional
        The stances in force on that date (see :mod:`graph.asof`).

    Returns
    -------
    Alignment

    Examples
    --------
    >>> from graph.core import load
    >>> G = load("facts/chicago-sanctuary")
    >>> A = alignment(G)
    >>> A.congruence.edges["raymond-lopez", "silvana-tabares"]["count"]
    1
    >>> A.conflict.edges["brandon-johnson", "raymond-lopez"]["targets"]
    ('lopez-tabares-amendment',)
    >>> A.congruence.has_edge("brandon-johnson", "raymond-lopez")
    False
    >>> D = alignment(G, direct=True, normalize="jaccard")
    >>> D.conflict.edges["brandon-johnson", "raymond-lopez"]["count"]
    2
    >>> 0 < D.conflict.edges["brandon-johnson", "raymond-lopez"]["weight"] <= 1
    True
    """
    if normalize not in ("raw", "jaccard", "cosine"):
        raise QueryError(f"normalize {normalize!r} is not one of raw, jaccard, cosine")
    H = scoped(G, as_of)
    actor_kinds = entity_kinds(G, actors) or frozenset(ACTOR_KINDS)
    target_kinds = entity_kinds(G, targets)
    wanted = relation_types(G, types)
    actor_ids = tuple(n for n, attrs in H.nodes(data=True) if is_kind(attrs, actor_kinds))
    actor_set = set(actor_ids)

    def is_target(n: str) -> bool:
        if n in actor_set:
            return direct
        return is_kind(H.nodes[n], target_kinds)

    sides: dict[str, dict[str, set[int]]] = {a: {} for a in actor_ids}
    evidence: dict[tuple[str, str], list[str]] = {}

    def stance(actor: str, target: str, polarity: int, relation: str) -> None:
        sides[actor].setdefault(target, set()).add(polarity)
        evidence.setdefault((actor, target), []).append(relation)

    for u, v, attrs in H.edges(data=True):
        polarity = attrs["polarity"]
        if polarity == 0 or u == v or (wanted is not None and attrs["type"] not in wanted):
            continue
        pairs = [(u, v), (v, u)] if attrs["symmetric"] else [(u, v)]
        for actor, target in pairs:
            if actor in actor_set and is_target(target):
                stance(actor, target, polarity, attrs["id"])
                if direct and target in actor_set:
                    stance(target, target, 1, attrs["id"])
    target_ids = tuple(sorted({t for row in sides.values() for t in row}))
    matrix = {a: {t: frozenset(p) for t, p in sorted(row.items())} for a, row in sides.items()}
    ev = {key: tuple(ids) for key, ids in evidence.items()}

    def network(name: str) -> nx.Graph:
        N = nx.Graph(network=name, normalize=normalize, direct=direct)
        for a in actor_ids:
            N.add_node(a, name=H.nodes[a].get("name", a), kind=H.nodes[a].get("kind", ""),
                       positions=len(matrix[a]))
        return N

    congruence, conflict = network("congruence"), network("conflict")
    # Per target, the pairs within one camp agree and the pairs across camps
    # clash: the work is the number of (pair, shared target) incidences.
    order = {a: i for i, a in enumerate(actor_ids)}
    camps: dict[str, tuple[list[str], list[str]]] = {}
    for a in actor_ids:
        for t, held in matrix[a].items():
            plus, minus = camps.setdefault(t, ([], []))
            if 1 in held:
                plus.append(a)
            if -1 in held:
                minus.append(a)
    agree: dict[tuple[str, str], list[str]] = {}
    clash: dict[tuple[str, str], list[str]] = {}

    def tie(ties: dict[tuple[str, str], list[str]], a: str, b: str, t: str) -> None:
        shared = ties.setdefault((a, b) if order[a] < order[b] else (b, a), [])
        if not shared or shared[-1] != t:  # an actor on both sides meets another twice
            shared.append(t)

    for t, (plus, minus) in camps.items():
        for camp in (plus, minus):
            for a, b in combinations(camp, 2):
                tie(agree, a, b, t)
        for a in plus:
            for b in minus:
                if a != b:
                    tie(clash, a, b, t)
    for N, ties in ((congruence, agree), (conflict, clash)):
        for (a, b), shared in ties.items():
            ta, tb = len(matrix[a]), len(matrix[b])
            union = len(matrix[a].keys() | matrix[b].keys()) if normalize == "jaccard" else 0
            relations = sorted({r for t in shared for r in (*ev[a, t], *ev[b, t])})
            N.add_edge(a, b, weight=_weight(len(shared), ta, tb, union, normalize),
                       count=len(shared), targets=tuple(sorted(shared)), relations=tuple(relations))
    return Alignment(actor_ids, target_ids, matrix, ev, nx.freeze(congruence), nx.freeze(conflict), normalize, H)


def congruence_network(G: nx.MultiDiGraph, **options: Any) -> nx.Graph:
    """Shortcut: ``alignment(G, **options).congruence``.

    Examples
    --------
    >>> from graph.core import load
    >>> N = congruence_network(load("facts/chicago-sanctuary"), normalize="cosine")
    >>> N.edges["brandon-johnson", "jessie-fuentes"]["weight"] > 0
    True
    """
    return alignment(G, **options).congruence


def conflict_network(G: nx.MultiDiGraph, **options: Any) -> nx.Graph:
    """Shortcut: ``alignment(G, **options).conflict``.

    Examples
    --------
    >>> from graph.core import load
    >>> N = conflict_network(load("facts/chicago-sanctuary"))
    >>> sorted(N["raymond-lopez"])[:3]
    ['activist-groups', 'andre-vasquez', 'brandon-johnson']
    """
    return alignment(G, **options).conflict


def _graphml_ready(N: nx.Graph) -> nx.Graph:
    """A copy GraphML can hold: tuples joined by spaces, None left out."""
    out = nx.Graph()
    out.graph.update({k: v for k, v in N.graph.items() if v is not None})
    for n, attrs in N.nodes(data=True):
        out.add_node(n, **{k: " ".join(v) if isinstance(v, tuple) else v for k, v in attrs.items() if v is not None})
    for a, b, attrs in N.edges(data=True):
        out.add_edge(a, b, **{k: " ".join(v) if isinstance(v, tuple) else v for k, v in attrs.items() if v is not None})
    return out


def generate_alignment_graphml(A: Alignment, *, network: Network = "signed") -> str:
    """One network of ``A`` as GraphML text (lists joined by spaces).

    Examples
    --------
    >>> from graph.core import load
    >>> text = generate_alignment_graphml(alignment(load("facts/chicago-sanctuary")))
    >>> text.startswith("<?xml") and 'attr.name="congruence"' in text
    True
    """
    buffer = io.BytesIO()
    nx.write_graphml(_graphml_ready(A.network(network)), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def write_alignment(A: Alignment, path_or_file: str | Path | IO[str], *,
                    network: Network = "signed") -> MapSummary | None:
    """Write one network as GraphML (``.graphml``), all of ``A`` as JSON
    (``.json``), or one network as the interactive coalition map (``.html``).

    A path is written atomically; an open text file gets GraphML. The map
    (see :func:`graph.alignment_graph`) returns its :class:`~graph.view.MapSummary`;
    ``network="signed"`` draws both kinds of tie there.

    Examples
    --------
    >>> import graph, tempfile, os
    >>> A = graph.alignment(graph.load("facts/chicago-sanctuary"))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     summary = write_alignment(A, os.path.join(tmp, "coalitions.html"))
    >>> summary.edges == A.congruence.number_of_edges() + A.conflict.number_of_edges()
    True
    """
    import json

    if isinstance(path_or_file, (str, Path)):
        if str(path_or_file).endswith(".html"):
            from graph.alignment_map import alignment_graph
            from graph.view import write_html

            return write_html(alignment_graph(A, network=network), path_or_file)
        if str(path_or_file).endswith(".json"):
            atomic_write(path_or_file, json.dumps(A.as_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            atomic_write(path_or_file, generate_alignment_graphml(A, network=network))
    else:
        path_or_file.write(generate_alignment_graphml(A, network=network))
    return None
