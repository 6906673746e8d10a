"""Stances and coalition networks, checked against the core they are read from."""

from __future__ import annotations

import math
from itertools import combinations

import networkx as nx
import pytest

import graph
from graph.queryerrors import QueryError

ACTOR = ("person", "organization")


def polar_edges_into(core, node):
    for u, v, k, a in core.edges(keys=True, data=True):
        if v == node and u != node:
            yield u, a
        elif a["symmetric"] and u == node and v != node:
            yield v, a


def test_stances_on_the_amendment_match_the_core(core):
    on = graph.stances(core, "Lopez-Tabares amendment")
    for polarity, group in ((1, on.support), (-1, on.oppose), (0, on.neutral)):
        expected = {}
        for holder, attrs in polar_edges_into(core, "lopez-tabares-amendment"):
            if attrs["polarity"] == polarity:
                expected.setdefault(holder, set()).add(attrs["id"])
        assert {s.entity: {link.id for link in s.links} for s in group} == expected
        for stance in group:
            for link in stance.links:
                assert link.polarity == polarity and link.citations
                assert link.citations == core.edges[link.source, link.target, link.id]["citations"]
    assert on.support and on.oppose


def test_both_accounts_of_the_council_vote_are_shown(core):
    on = graph.stances(core, "lopez-tabares-amendment")
    vote = [s for s in on.neutral if s.entity == "council-vote-2025"]
    assert len(vote) == 1
    ids = [link.id for link in vote[0].links]
    assert sorted(ids) == ["council-vote-2025-blocked", "council-vote-2025-tabled"]
    sources = {link.id: {c["source"] for c in link.citations} for link in vote[0].links}
    assert sources["council-vote-2025-blocked"] != sources["council-vote-2025-tabled"]
    [(reading, count, fields)] = vote[0].disagreements()
    assert count == 2 and "result" in fields
    text = on.report(sources=core.graph["sources"])
    assert "blocked" in text and "tabled" in text and "2 accounts" in text
    assert not graph.stances(core, "lopez-tabares-amendment", neutral=False).neutral


def test_positions_of_an_actor(core):
    by = graph.positions(core, "Brandon Johnson")
    out = {(v, a["polarity"]) for _, v, a in core.out_edges("brandon-johnson", data=True) if a["polarity"]}
    got = {(s.entity, s.polarity) for s in (*by.support, *by.oppose)}
    assert got == out and not by.neutral
    assert graph.positions(core, "Brandon Johnson", neutral=True).neutral


def test_stances_as_of_a_date(core):
    later = {s.entity for s in graph.stances(core, "lopez-tabares-amendment", as_of="2025-01").oppose}
    before = {s.entity for s in graph.stances(core, "lopez-tabares-amendment", as_of="2023").oppose}
    assert "chicago-city-council" in later and "chicago-city-council" not in before
    assert "activist-groups" in before and "activist-groups" not in later


def brute_force(core, *, direct=False):
    """The actor x target sides, written as plainly as possible."""
    def actor(n):
        return any(k in core.nodes[n]["kinds"] for k in ACTOR)

    sides = {}
    for u, v, a in core.edges(data=True):
        if not a["polarity"]:
            continue
        for x, t in ([(u, v), (v, u)] if a["symmetric"] else [(u, v)]):
            if actor(x) and (direct or not actor(t)):
                sides.setdefault(x, {}).setdefault(t, set()).add(a["polarity"])
                if direct and actor(t):
                    sides.setdefault(t, {}).setdefault(t, set()).add(1)
    agree, clash = {}, {}
    for a, b in combinations(sorted(sides), 2):
        for t in set(sides[a]) & set(sides[b]):
            if sides[a][t] & sides[b][t]:
                agree[frozenset((a, b))] = agree.get(frozenset((a, b)), 0) + 1
            if any(-p in sides[b][t] for p in sides[a][t]):
                clash[frozenset((a, b))] = clash.get(frozenset((a, b)), 0) + 1
    return sides, agree, clash


@pytest.mark.parametrize("direct", [False, True])
def test_alignment_counts_match_a_brute_force(core, direct):
    A = graph.alignment(core, direct=direct)
    sides, agree, clash = brute_force(core, direct=direct)
    assert {frozenset((a, b)): d["count"] for a, b, d in A.congruence.edges(data=True)} == agree
    assert {frozenset((a, b)): d["count"] for a, b, d in A.conflict.edges(data=True)} == clash
    assert {a: {t: set(p) for t, p in row.items()} for a, row in A.matrix.items() if row} == sides
    assert agree and clash


def test_normalisations(core):
    raw = graph.alignment(core)
    for how in ("jaccard", "cosine"):
        A = graph.alignment(core, normalize=how)
        for N, R in ((A.congruence, raw.congruence), (A.conflict, raw.conflict)):
            assert set(N.edges) == set(R.edges)
            for a, b, d in N.edges(data=True):
                ta, tb = set(A.matrix[a]), set(A.matrix[b])
                denominator = len(ta | tb) if how == "jaccard" else math.sqrt(len(ta) * len(tb))
                assert d["weight"] == pytest.approx(R.edges[a, b]["count"] / denominator)
                assert 0 < d["weight"] <= 1
    with pytest.raises(QueryError, match="normalize"):
        graph.alignment(core, normalize="pmi")


def test_every_tie_traces_to_cited_relations(core):
    A = graph.alignment(core, direct=True)
    keys = {k: (u, v) for u, v, k in core.edges(keys=True)}
    for N in (A.congruence, A.conflict):
        assert not N.is_directed()
        assert set(N) == set(A.actors)
        for a, b, d in N.edges(data=True):
            assert d["relations"]
            for rid in d["relations"]:
                u, v = keys[rid]
                assert {u, v} & {a, b} and core.edges[u, v, rid]["citations"]


def test_signed_network_and_target_kinds(core):
    A = graph.alignment(core)
    S = A.network("signed")
    assert set(S.edges) == set(A.congruence.edges) | set(A.conflict.edges)
    for a, b, d in S.edges(data=True):
        assert d["weight"] == d["congruence"] - d["conflict"]
    policies = graph.alignment(core, targets="policy")
    assert all("policy" in core.nodes[t]["kinds"] for t in policies.targets)
    persons = graph.alignment(core, actors="person")
    assert all(core.nodes[a]["kind"] == "person" for a in persons.actors)
    assert graph.alignment(core, as_of="2024").congruence.number_of_edges() < A.congruence.number_of_edges()


def test_graphml_and_json_files_read_back(core, tmp_path):
    A = graph.alignment(core, normalize="jaccard")
    graph.write_alignment(A, tmp_path / "a.graphml", network="conflict")
    back = nx.read_graphml(tmp_path / "a.graphml")
    assert set(back) == set(A.actors)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in A.conflict.edges}
    a, b = next(iter(A.conflict.edges))
    assert back.edges[a, b]["weight"] == pytest.approx(A.conflict.edges[a, b]["weight"])
    assert back.nodes[a]["name"] == core.nodes[a]["name"]
    graph.write_alignment(A, tmp_path / "a.json")
    import json

    doc = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert len(doc["congruence"]["edges"]) == A.congruence.number_of_edges()
    assert {(m["actor"], m["target"]) for m in doc["matrix"]} == set(A.evidence)
