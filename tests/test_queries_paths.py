"""Cited paths: correct, readable, filtered, and bounded on a graph that would explode."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

import graph
import graph.paths
from dense import dense_core, simple_paths_of
from graph.queryerrors import NoPath, NotInView, QueryError
from loaders import ReferenceNotFound


def check_path(G, path, *, max_hops, forward_only=False, types=None):
    """Everything a path claims must be in the core, as claimed."""
    assert len(set(path.nodes)) == len(path.nodes), "not simple"
    assert 1 <= path.hops <= max_hops
    assert path.names == tuple(G.nodes[n]["name"] for n in path.nodes)
    for step, (a, b) in zip(path.steps, itertools.pairwise(path.nodes)):
        assert step.links, f"empty step {a} -> {b}"
        for link in step.links:
            assert {link.near, link.far} == {a, b} and link.near == a
            attrs = G.edges[link.source, link.target, link.id]
            assert link.citations == attrs["citations"] and link.citations
            assert link.forward == (attrs["symmetric"] or link.source == a)
            if forward_only:
                assert link.forward
            if types:
                assert link.type in types
            reading = attrs["label"] if link.forward else attrs["inverse"]
            assert reading in str(step)
        # every relation joining the two (in the allowed directions and types) is in the step
        joining = {k for k in G.get_edge_data(a, b, default={})}
        if not forward_only:
            joining |= set(G.get_edge_data(b, a, default={}))
        else:
            joining |= {k for k, d in G.get_edge_data(b, a, default={}).items() if d["symmetric"]}
        if types:
            joining = {k for k in joining if G.edges[(a, b, k) if G.has_edge(a, b, k) else (b, a, k)]["type"] in types}
        assert {link.id for link in step.links} == joining


def test_homan_to_trust_act_paths_are_cited_chains(core):
    found = graph.shortest_paths(core, "Tom Homan", "TRUST Act", k=6)
    assert 1 <= len(found) <= 6
    assert [p.hops for p in found] == sorted(p.hops for p in found)
    assert len({p.nodes for p in found}) == len(found)
    for path in found:
        assert path.nodes[0] == "tom-homan" and path.nodes[-1] == "illinois-trust-act"
        check_path(core, path, max_hops=4)
        assert str(path).startswith("Tom Homan —") and str(path).endswith(" Illinois TRUST Act")


def test_k_shortest_lengths_agree_with_networkx(core):
    simple = nx.Graph()
    simple.add_edges_from((u, v) for u, v in core.edges() if u != v)
    for a, b in [("tom-homan", "illinois-trust-act"), ("ice", "jordan-kelly"), ("donald-trump", "cair")]:
        ours = [p.hops for p in graph.shortest_paths(core, a, b, k=8, max_hops=6)]
        theirs = [len(p) - 1 for p in itertools.islice(nx.shortest_simple_paths(simple, a, b), 8)]
        theirs = [h for h in theirs if h <= 6]
        assert ours == theirs


def test_reading_against_the_arrow_uses_the_inverse(core):
    path = graph.shortest_paths(core, "Brandon Johnson", "Tom Homan", k=1)[0]
    assert path.hops == 1
    assert "Brandon Johnson ←threatened by" in str(path)


def test_forward_only_follows_arrows(core):
    for path in graph.shortest_paths(core, "Raymond Lopez", "Chicago Police Department", forward_only=True, k=5):
        check_path(core, path, max_hops=4, forward_only=True)
    with pytest.raises(NoPath, match="without --forward-only"):
        graph.shortest_paths(core, "Illinois TRUST Act", "Tom Homan", forward_only=True)


def test_type_and_kind_filters(core):
    types = {"opposes", "sponsors", "supports"}
    for path in graph.shortest_paths(core, "Raymond Lopez", "Brandon Johnson", types=types, max_hops=4):
        check_path(core, path, max_hops=4, types=types)
    found = graph.shortest_paths(core, "Tom Homan", "TRUST Act", kinds=["person", "policy"], k=10)
    assert any("policy" in core.nodes[n]["kinds"] for p in found for n in p.nodes[1:-1])
    for path in found:
        for node in path.nodes[1:-1]:
            assert {"person", "policy"} & set(core.nodes[node]["kinds"])
    with pytest.raises(QueryError, match="did you mean opposes"):
        graph.shortest_paths(core, "Tom Homan", "TRUST Act", types=["oposes"])
    with pytest.raises(QueryError, match="not a kind"):
        graph.shortest_paths(core, "Tom Homan", "TRUST Act", kinds=["politician"])


def test_two_accounts_of_the_vote_travel_together(core):
    path = graph.shortest_paths(core, "council-vote-2025", "Raymond Lopez", k=1)[0]
    first = path.steps[0]
    assert {link.id for link in first.links} == {"council-vote-2025-blocked", "council-vote-2025-tabled"}
    assert "[council-vote-2025-blocked]" in str(path) and "[council-vote-2025-tabled]" in str(path)
    assert {link.properties["result"] for link in first.links} == {"blocked", "tabled"}


def test_no_path_and_bad_references_are_errors(core):
    with pytest.raises(NoPath, match="within 1 hops"):
        graph.shortest_paths(core, "Tom Homan", "TRUST Act", max_hops=1)
    with pytest.raises(ReferenceNotFound, match="ambiguous"):
        graph.shortest_paths(core, "Lopez", "TRUST Act")
    with pytest.raises(QueryError, match="same entity"):
        graph.shortest_paths(core, "ICE", "ice")
    with pytest.raises(NotInView, match="not in the graph as of 2024"):
        graph.shortest_paths(core, "council-vote-2025", "ICE", as_of="2024")


def test_as_of_narrows_paths(core):
    now = graph.shortest_paths(core, "Raymond Lopez", "Lopez-Tabares amendment", k=20, max_hops=2)
    then = graph.shortest_paths(core, "Raymond Lopez", "Lopez-Tabares amendment", k=20, max_hops=2, as_of="2024")
    ids_then = {link.id for p in then for link in p.links}
    assert "lopez-proposes-amendment-2025-01" not in ids_then
    assert ids_then < {link.id for p in now for link in p.links}


@pytest.fixture(scope="module")
def dense():
    return dense_core(200)


def test_bounded_on_a_dense_graph(dense):
    # 39,800 relations; between two nodes, 7.6 million simple paths of up to 4 hops
    assert sum(simple_paths_of(200, h) for h in range(1, 5)) > 7_000_000
    for k, hops in [(5, 4), (40, 6)]:
        found = graph.shortest_paths(dense, "p0", "p1", k=k, max_hops=hops)
        assert len(found) == k and not found.timed_out
        # the work is bounded by k, hops and the graph's size, not by the paths it holds
        assert found.expansions <= (1 + k * hops) * dense.number_of_nodes()
        assert [p.hops for p in found] == sorted(p.hops for p in found)
        assert found[0].hops == 1
        for path in found[:5]:
            check_path(dense, path, max_hops=hops)


def test_time_budget_stops_the_search(dense, monkeypatch):
    with pytest.raises(NoPath, match="time budget"):
        graph.shortest_paths(dense, "p0", "p1", timeout=0)
    # a clock that jumps one second per reading: the budget ends the search midway
    ticks = itertools.count()
    monkeypatch.setattr(graph.paths, "_now", lambda: float(next(ticks)))
    found = graph.shortest_paths(dense, "p0", "p1", k=1000, max_hops=4, timeout=20)
    assert found.timed_out and 1 <= len(found) < 1000
    assert [p.hops for p in found] == sorted(p.hops for p in found)
