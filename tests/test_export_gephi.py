"""GraphML and GEXF: every attribute survives, flattened as the README says."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest

import graph
from graph.export_gephi import XmlTextError, generate_gexf, generate_graphml
from neo4j_support import write_hostile_facts


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return graph.load(write_hostile_facts(tmp_path_factory.mktemp("hostile"), xml=True))


def _expected_node(attrs):
    out = {"label": attrs["name"]}
    for key, value in attrs.items():
        if value is None:
            continue
        out[key] = json.dumps(list(value), ensure_ascii=False) if isinstance(value, tuple) else value
    first, last = graph.interval(attrs)
    out.update({k: d.isoformat() for k, d in (("firstDate", first), ("lastDate", last)) if d})
    return out


def _expected_edge(attrs):
    out = {}
    for key, value in attrs.items():
        if value is None or key == "citations":
            continue
        out[{"start": "startDate", "end": "endDate"}.get(key, key)] = value
    out["sources"] = json.dumps([c["source"] for c in attrs["citations"]], ensure_ascii=False)
    out["quotes"] = json.dumps([c["quote"] for c in attrs["citations"]], ensure_ascii=False)
    first, last = graph.interval(attrs)
    out.update({k: d.isoformat() for k, d in (("firstDate", first), ("lastDate", last)) if d})
    return out


@pytest.mark.parametrize("which", ["chicago", "hostile"])
def test_graphml_keeps_every_attribute(core, hostile, which):
    G = core if which == "chicago" else hostile
    back = nx.read_graphml(io.BytesIO(generate_graphml(G)), force_multigraph=True)
    assert set(back.nodes) == set(G.nodes)
    for node, attrs in G.nodes(data=True):
        assert back.nodes[node] == _expected_node(attrs), node
    edges = {k: (u, v, d) for u, v, k, d in back.edges(keys=True, data=True)}
    assert set(edges) == {k for *_, k in G.edges(keys=True)}
    for u, v, key, attrs in G.edges(keys=True, data=True):
        assert edges[key][:2] == (u, v)
        assert edges[key][2] == _expected_edge(attrs), key
    assert json.loads(back.graph["sources"]) == list(G.graph["sources"].values())


@pytest.mark.parametrize("which", ["chicago", "hostile"])
def test_gexf_keeps_every_attribute_and_has_a_timeline(core, hostile, which):
    G = core if which == "chicago" else hostile
    back = nx.read_gexf(io.BytesIO(generate_gexf(G)))
    for node, attrs in G.nodes(data=True):
        want = _expected_node(attrs)
        got = dict(back.nodes[node])
        if "firstDate" in want:
            assert got.pop("start") == want["firstDate"]
        if "lastDate" in want:
            assert got.pop("end") == want["lastDate"]
        assert got == want, node
    edges = {d["id"]: (u, v, d) for u, v, d in back.edges(data=True)}
    assert len(edges) == G.number_of_edges()
    for u, v, key, attrs in G.edges(keys=True, data=True):
        want = _expected_edge(attrs)
        got = dict(edges[key][2])
        got.pop("networkx_key", None)
        got["type"] = got.pop("relationType")
        for bound, name in (("firstDate", "start"), ("lastDate", "end")):
            if bound in want:
                assert got.pop(name) == want[bound]
        assert got == want, key


def test_text_xml_cannot_hold_is_an_error_naming_the_place(tmp_path):
    G = graph.load(write_hostile_facts(tmp_path / "h"))
    with pytest.raises(XmlTextError, match=r"U\+001B, which GraphML and GEXF \(XML 1.0\) cannot carry"):
        generate_graphml(G)
    with pytest.raises(XmlTextError):
        generate_gexf(G)
