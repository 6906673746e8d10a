"""The graph as of a date, timelines, neighbourhoods; nothing changes the core."""

from __future__ import annotations

import json
from datetime import date, timedelta

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graph
from graph.export_json import generate_json
from graph.queryerrors import QueryError


def covers(attrs, first, last):
    lo, hi = graph.interval(attrs)
    if lo is None and hi is None:
        return None
    return (lo is None or lo <= last) and (hi is None or hi >= first)


days = st.dates(min_value=date(2016, 1, 1), max_value=date(2026, 12, 31))


@settings(max_examples=60, deadline=None)
@given(day=days, precision=st.sampled_from(["day", "month", "year"]))
def test_as_of_keeps_exactly_what_covers_the_date(core, day, precision):
    text = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[precision]
    first, last = graph.asof.parse_when(text)
    for undated in (True, False):
        H = graph.as_of(core, text, undated=undated)
        assert nx.is_frozen(H)
        for n, attrs in core.nodes(data=True):
            lo, _ = graph.interval(attrs)
            assert (n in H) == (lo is None or lo <= last)
        for u, v, k, attrs in core.edges(keys=True, data=True):
            if u in H and v in H:
                expected = covers(attrs, first, last)
                assert H.has_edge(u, v, k) == (undated if expected is None else expected), (k, text)


@settings(max_examples=30, deadline=None)
@given(day=days)
def test_through_keeps_everything_begun(core, day):
    H = graph.as_of(core, day, mode="through")
    for u, v, k, attrs in core.edges(keys=True, data=True):
        if u in H and v in H:
            lo, _ = graph.interval(attrs)
            assert H.has_edge(u, v, k) == (lo is None or lo <= day)


def test_undated_relations_are_kept_unless_asked(core):
    undated = {k for *_, k, a in core.edges(keys=True, data=True) if not any(graph.interval(a))}
    assert undated, "the dataset has undated relations"
    kept = {k for *_, k in graph.as_of(core, "2025-01").edges(keys=True)}
    assert undated <= kept
    assert not undated & {k for *_, k in graph.as_of(core, "2025-01", undated=False).edges(keys=True)}


def test_bad_dates_and_modes(core):
    with pytest.raises(QueryError, match="is not a date"):
        graph.as_of(core, "2025-13")
    with pytest.raises(QueryError, match="mode"):
        graph.as_of(core, "2025", mode="during")


def test_timeline_is_in_date_order(core):
    for node in core:
        t = graph.timeline(core, node)
        firsts = [link.interval[0] for link in t.dated]
        assert firsts == sorted(firsts)
        assert len(t.dated) + len(t.undated) == sum(1 for u, v in core.edges(node) if u != v) + sum(
            1 for u, v in core.in_edges(node) if u != v)
    before = graph.timeline(core, "Silvana Tabares", as_of="2024-06")
    assert all(link.interval[0] <= date(2024, 6, 30) for link in before.dated)
    assert len(before.dated) < len(graph.timeline(core, "Silvana Tabares").dated)


def test_neighbourhood_groups_every_relation(core):
    for node in ["brandon-johnson", "lopez-tabares-amendment", "ice"]:
        hood = graph.neighbourhood(core, node)
        ids = [link.id for links in hood.groups.values() for link in links]
        expected = {k for _, _, k in core.out_edges(node, keys=True)} | {k for _, _, k in core.in_edges(node, keys=True)}
        assert sorted(ids) == sorted(expected)
        for (rtype, direction), links in hood.groups.items():
            for link in links:
                assert link.type == rtype and link.near == node
                assert direction == ("mutual" if link.symmetric else "out" if link.source == node else "in")


def test_ego_graph_is_a_frozen_sub_core(core):
    for hops in (1, 2):
        E = graph.ego_graph(core, "Illinois TRUST Act", hops=hops)
        reach = nx.single_source_shortest_path_length(core.to_undirected(as_view=True), "illinois-trust-act", cutoff=hops)
        assert set(E) == set(reach)
        assert nx.is_frozen(E)
        assert all(E.nodes[n] is core.nodes[n] or E.nodes[n] == core.nodes[n] for n in E)
    types = {"sponsors", "amends"}
    F = graph.ego_graph(core, "Raymond Lopez", hops=2, forward_only=True, types=types)
    only = nx.DiGraph((u, v) for u, v, t in core.edges(data="type") if t in types)
    assert set(F) == set(nx.single_source_shortest_path_length(only, "raymond-lopez", cutoff=2))
    assert len(F) > 2
    assert {t for *_, t in F.edges(data="type")} <= types


def test_no_query_changes_the_core(core, tmp_path):
    before = json.dumps(generate_json(core), sort_keys=True, default=str)
    graph.shortest_paths(core, "Tom Homan", "TRUST Act", k=5)
    graph.stances(core, "Lopez-Tabares amendment")
    graph.positions(core, "Brandon Johnson", neutral=True)
    A = graph.alignment(core, direct=True, normalize="cosine")
    graph.write_alignment(A, tmp_path / "a.graphml")
    graph.timeline(core, "council-vote-2025", as_of="2025")
    graph.neighbourhood(core, "ICE", as_of="2025-01")
    graph.ego_graph(core, "ICE", hops=3)
    graph.as_of(core, "2024")
    assert json.dumps(generate_json(core), sort_keys=True, default=str) == before
