"""Coalition networks on the map: graph.alignment_graph, write_alignment(.html), the CLI.

Every expectation is derived from the Alignment and the core; what the page
does in a browser is in test_map_browser.py and test_map_firefox.py.
"""

from __future__ import annotations

import dataclasses

import networkx as nx
import pytest

import graph
from conftest import DATASET
from graph.cli import main
from graph.queryerrors import QueryError
from graph.view import generate_html, select
from test_map import embedded, snapshot


@pytest.fixture(scope="module")
def aligned(core):
    return graph.alignment(core, direct=True, normalize="jaccard")


def relation(core, rid):
    return next(a for _, _, k, a in core.edges(keys=True, data=True) if k == rid)


def test_every_tie_of_both_networks_is_an_edge_with_its_weight_and_targets(aligned):
    T = graph.alignment_graph(aligned)
    assert nx.is_frozen(T)
    ties = {(kind, *sorted((a, b))): attrs for kind in ("congruence", "conflict")
            for a, b, attrs in aligned.network(kind).edges(data=True)}
    drawn = {(attrs["type"], u, v): attrs for u, v, attrs in T.edges(data=True)}
    assert drawn.keys() == ties.keys()
    for key, attrs in drawn.items():
        assert (attrs["weight"], attrs["count"], attrs["targets"]) == (
            ties[key]["weight"], ties[key]["count"], ties[key]["targets"])
        assert attrs["polarity"] == (1 if key[0] == "congruence" else -1) and attrs["symmetric"]
    # Only actors with a tie, unless isolates are asked for.
    assert set(T) == {n for _, a, b in ties for n in (a, b)}
    assert set(graph.alignment_graph(aligned, isolates=True)) == set(aligned.actors)


def test_a_tie_lists_each_target_with_the_relations_and_citations_behind_it(core, aligned):
    T = graph.alignment_graph(aligned)
    ends = {k: (u, v) for u, v, k in core.edges(keys=True)}
    for a, b, attrs in T.edges(data=True):
        assert [entry["target"] for entry in attrs["basis"]] == list(attrs["targets"])
        cited = []
        for entry in attrs["basis"]:
            t = entry["target"]
            assert entry["name"] == core.nodes[t]["name"]
            # An actor that is the target (direct relations) counts by the other's relations only.
            behind = {r for x in (a, b) if x != t for r in aligned.evidence.get((x, t), ())}
            assert behind and all(t in ends[r] and set(ends[r]) & ({a, b} - {t}) for r in behind)
            assert {r["id"] for r in entry["relations"]} == behind
            for r in entry["relations"]:
                rel = relation(core, r["id"])
                assert r["polarity"] == rel["polarity"]
                assert r["citations"] == [{"source": c["source"], "quote": c["quote"]} for c in rel["citations"]]
                cited += [(c["source"], c["quote"]) for c in rel["citations"]]
        assert sorted((c["source"], c["quote"]) for c in attrs["citations"]) == sorted(set(cited))


def test_one_network_at_a_time_and_a_bad_name_is_an_error(aligned):
    only = graph.alignment_graph(aligned, network="conflict")
    assert {t for _, _, t in only.edges(data="type")} == {"conflict"}
    assert only.number_of_edges() == aligned.conflict.number_of_edges()
    with pytest.raises(QueryError, match="not one of signed, congruence, conflict"):
        graph.alignment_graph(aligned, network="both")
    with pytest.raises(QueryError, match="compute it with graph.alignment"):
        graph.alignment_graph(dataclasses.replace(aligned, core=None))


def test_the_map_draws_ties_by_weight_and_side_and_leaves_the_core_alone(core, aligned):
    before = snapshot(core)
    T = graph.alignment_graph(aligned)
    page = generate_html(T)
    assert snapshot(core) == before
    edges, facts = embedded(page, "edges"), embedded(page, "facts")
    assert len(edges) == T.number_of_edges() and len(embedded(page, "nodes")) == T.number_of_nodes()
    assert [p["name"] for p in facts["polarities"]] == ["congruence", "conflict"]
    assert facts["meta"]["words"] == ["actor", "actors", "tie", "ties"]
    weights = [a["weight"] for _, _, a in T.edges(data=True)]
    widths = [e["width"] for e in edges]
    assert max(widths) > min(widths)
    assert sorted(widths) == [w for _, w in sorted(zip(weights, widths))]  # wider = heavier
    assert all(r["basis"] for r in facts["relations"])
    # The map's own options apply: one kind of tie, one actor's ties.
    assert {t["type"] for t in embedded(generate_html(T, types=["conflict"]), "facts")["types"]} == {"conflict"}
    assert set(select(T, focus="Raymond Lopez", hops=1)) == {"raymond-lopez", *nx.all_neighbors(T, "raymond-lopez")}


def test_cli_alignment_writes_the_map_for_an_html_name(runner, tmp_path, core):
    target = tmp_path / "coalitions.html"
    result = runner.invoke(main, ["alignment", str(DATASET), "--network", "congruence", "-o", str(target)])
    assert result.exit_code == 0, result.output
    A = graph.alignment(core)
    ties = A.congruence.number_of_edges()
    assert f"{len({n for e in A.congruence.edges() for n in e})} actors, {ties} ties" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["coalitions.html"]
    page = target.read_text(encoding="utf-8")
    assert len(embedded(page, "edges")) == ties
    assert {t["type"] for t in embedded(page, "facts")["types"]} == {"congruence"}
