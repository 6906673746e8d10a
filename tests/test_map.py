"""The map as files and data: CLI, options, safety of the page, core and cwd untouched.

What the page does in a browser is tested in test_map_browser.py.
"""

from __future__ import annotations

import copy
import html
import json
import os
import re
from pathlib import Path

import networkx as nx
import pytest

import graph
from conftest import DATASET, ROOT
from graph.cli import main
from graph.view import PHYSICS_LIMIT, generate_html, notebook_map, select, write_html
from map_synthetic import synthetic_core

HOSTILE = ROOT / "tests" / "fixtures" / "hostile-map"


def embedded(page: str, name: str):
    """The JSON of one of the page's data blocks."""
    match = re.search(rf'<script type="application/json" id="ag-{name}">(.*?)</script>', page, re.S)
    assert match, name
    return json.loads(match.group(1))


def snapshot(G: nx.MultiDiGraph):
    return (
        copy.deepcopy({k: v for k, v in G.graph.items() if k != "vocabulary"}),
        id(G.graph.get("vocabulary")),
        [(n, copy.deepcopy(dict(a))) for n, a in G.nodes(data=True)],
        [(u, v, k, copy.deepcopy(dict(a))) for u, v, k, a in G.edges(keys=True, data=True)],
    )


def test_rendering_leaves_the_core_and_the_working_directory_unchanged(core, tmp_path, monkeypatch):
    before = snapshot(core)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(cwd)
    generate_html(core)
    generate_html(core, focus="Brandon Johnson", hops=2, kinds=["person", "organization"], as_of="2025-01",
                  title="t")
    generate_html(core, types=["opposes", "restricts"])
    write_html(core, out / "map.html")
    write_html(core, out / "map.html", layout="python")  # overwrites in place
    notebook_map(core)._repr_html_()
    assert os.getcwd() == str(cwd)
    assert list(cwd.iterdir()) == []  # no lib/, no index.html
    assert [p.name for p in out.iterdir()] == ["map.html"]
    assert snapshot(core) == before
    assert nx.is_frozen(core)


def test_cli_view_writes_the_file_and_reports_counts_and_size(runner, core, tmp_path):
    target = tmp_path / "chicago.html"
    result = runner.invoke(main, ["view", str(DATASET), "-o", str(target), "--title", "Chicago"])
    assert result.exit_code == 0, result.output
    size = target.stat().st_size
    assert f"{core.number_of_nodes()} entities, {core.number_of_edges()} relations" in result.output
    assert f"{size / 1024:.0f} KB" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["chicago.html"]
    page = target.read_text(encoding="utf-8")
    assert len(embedded(page, "nodes")) == core.number_of_nodes()
    assert len(embedded(page, "edges")) == core.number_of_edges()
    assert embedded(page, "facts")["meta"]["title"] == "Chicago"


@pytest.mark.parametrize("args, message", [
    (["--kinds", "persn"], "unknown kind 'persn'; did you mean person?"),
    (["--types", "sponsor"], "unknown relation type 'sponsor'; did you mean sponsors"),
    (["--as-of", "2025-13"], "month 13 does not exist"),
    (["--focus", "Lopez"], "is ambiguous: it could be byron-sigcho-lopez"),
    (["--focus", "nobody-at-all"], "names no entity"),
    (["--focus", "CPD", "--kinds", "person"], "is left out by the other options"),
])
def test_cli_view_errors_are_sentences_and_write_nothing(runner, tmp_path, args, message):
    target = tmp_path / "map.html"
    result = runner.invoke(main, ["view", str(DATASET), "-o", str(target), *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not target.exists()


def test_cli_view_into_a_missing_folder_fails_cleanly(runner, tmp_path):
    result = runner.invoke(main, ["view", str(DATASET), "-o", str(tmp_path / "no" / "map.html")])
    assert result.exit_code == 1
    assert "does not exist" in result.output and "Traceback" not in result.output


def test_cli_kinds_and_types_take_commas_and_repeats(runner, core, tmp_path):
    target = tmp_path / "m.html"
    result = runner.invoke(main, ["view", str(DATASET), "-o", str(target), "--types", "opposes,supports",
                                  "--types", "sponsors"])
    assert result.exit_code == 0, result.output
    types = {t["type"] for t in embedded(target.read_text(encoding="utf-8"), "facts")["types"]}
    assert types == {"opposes", "supports", "sponsors"}


def test_focus_is_the_n_hop_neighbourhood_in_either_direction(core):
    centre = graph.resolve(core, "CPD")
    for hops in (0, 1, 2):
        expected = set(nx.ego_graph(core.to_undirected(as_view=True), centre, radius=hops))
        H = select(core, focus="CPD", hops=hops)
        assert set(H) == expected
        assert H.number_of_edges() == core.subgraph(expected).number_of_edges()


def test_kinds_keep_their_sub_kinds(core):
    H = select(core, kinds=["organization"])
    assert set(H) == {n for n, ks in core.nodes(data="kinds") if "organization" in ks}
    assert "chicago-police-department" in H  # a police, an agency, an organization
    assert all(u in H and v in H for u, v in H.edges())


def test_types_keep_those_relations_and_the_entities_they_link(core):
    H = select(core, types=["opposes", "threatens"])
    assert {t for _, _, t in H.edges(data="type")} == {"opposes", "threatens"}
    assert H.number_of_edges() == sum(1 for _, _, t in core.edges(data="type") if t in ("opposes", "threatens"))
    assert set(H) == {n for e in H.edges() for n in e}


def test_as_of_keeps_relations_covering_the_day_and_undated_ones(core):
    from datetime import date

    day = date(2024, 12, 15)
    H = select(core, as_of=day)
    kept = {k for _, _, k in H.edges(keys=True)}
    for u, v, k, attrs in core.edges(keys=True, data=True):
        first, last = graph.interval(attrs)
        covers = (first is None or first <= day) and (last is None or last >= day)
        both_ends_exist = all(not core.nodes[n].get("date") or graph.interval(core.nodes[n])[0] <= day
                              for n in (u, v))
        assert (k in kept) == (covers and both_ends_exist), k
    assert 0 < len(kept) < core.number_of_edges()
    # A partial date counts as the interval it covers.
    assert set(select(core, as_of="2024-12").edges(keys=True)) >= set(H.edges(keys=True))


def test_page_loads_nothing_from_anywhere(core):
    page = generate_html(core)
    assert not re.search(r"<(script|link|img|iframe|object|embed|source)\b[^>]*\b(src|href)\s*=", page, re.I)
    assert "<link" not in page
    assert str(ROOT) not in page  # origins are relative: no author's home folder in a shared file
    assert "Content-Security-Policy" in page and "connect-src 'none'" in page
    scripts = re.findall(r"^<script\b[^>]*>", page, re.M)
    assert scripts.count("<script>") == 2  # vis-network and the page's own code, inline
    assert len(scripts) == 6


def test_hostile_strings_stay_data_in_the_page():
    G = graph.load(HOSTILE)
    title = "</title><script>window.__pwned='title'</script>"
    page = generate_html(G, title=title)
    assert "<script>window.__pwned" not in page
    assert "<img" not in page and "<iframe" not in page and "<svg onload" not in page
    assert page.count("</script>") == 6
    assert "<title>&lt;/title&gt;&lt;script&gt;" in page
    facts = embedded(page, "facts")
    assert facts["meta"]["title"] == title
    names = {e["id"]: e["name"] for e in facts["entities"]}
    assert names == {n: a["name"] for n, a in G.nodes(data=True)}
    quotes = sorted(c["quote"] for r in facts["relations"] for c in r["citations"])
    assert quotes == sorted(c["quote"] for _, _, cs in G.edges(data="citations") for c in cs)
    description = next(e["description"] for e in facts["entities"] if e["id"] == "mallory")
    assert "\u2028" in description and "<!--" in description


def test_script_json_escapes_what_could_end_a_script():
    from graph.view import script_json

    value = {"a": "</script><!-- <script> & \u2028\u2029 >"}
    text = script_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value


def test_layout_is_precomputed_above_the_threshold():
    small = synthetic_core(PHYSICS_LIMIT // 10, PHYSICS_LIMIT // 10)
    big = synthetic_core(PHYSICS_LIMIT // 4, PHYSICS_LIMIT)
    assert small.number_of_nodes() + small.number_of_edges() <= PHYSICS_LIMIT
    assert big.number_of_nodes() + big.number_of_edges() > PHYSICS_LIMIT
    for G, precomputed in ((small, False), (big, True)):
        page = generate_html(G)
        options = embedded(page, "options")
        nodes = embedded(page, "nodes")
        assert options["physics"]["enabled"] is not precomputed
        assert all(("x" in n and "y" in n) is precomputed for n in nodes)
        assert embedded(page, "facts")["meta"]["layout"] == ("python" if precomputed else "browser")
    # Forced either way.
    assert embedded(generate_html(small, layout="python"), "options")["physics"]["enabled"] is False
    assert embedded(generate_html(big, layout="browser"), "options")["physics"]["enabled"] is True


def test_precomputed_positions_spread_the_nodes():
    G = synthetic_core(400, 1600)
    nodes = embedded(generate_html(G, layout="python"), "nodes")
    points = {(n["x"], n["y"]) for n in nodes}
    assert len(points) == len(nodes)  # no two nodes on one spot
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    assert max(xs) - min(xs) > 200 and max(ys) - min(ys) > 200


def test_notebook_map_renders_inline_in_a_sandboxed_iframe(core):
    m = notebook_map(core, focus="CPD")
    frame = m._repr_html_()
    assert frame.startswith("<iframe ") and 'sandbox="allow-scripts"' in frame
    srcdoc = re.search(r'srcdoc="([^"]*)"', frame).group(1)
    assert html.unescape(srcdoc) == m.html
    assert m.html == generate_html(core, focus="CPD")


def test_relation_labels_arrows_and_polarity_colours(core):
    page = generate_html(core)
    edges = embedded(page, "edges")
    facts = embedded(page, "facts")
    by_id = {r["id"]: (r, edges[i]) for i, r in enumerate(facts["relations"])}
    colours = {p["polarity"]: p["color"] for p in facts["polarities"]}
    for u, v, k, attrs in core.edges(keys=True, data=True):
        relation, edge = by_id[k]
        assert edge["label"] == attrs["label"]
        assert edge["color"] == colours[attrs["polarity"]]
        assert (edge["arrows"] == {"to": {"enabled": False}}) == attrs["symmetric"]  # no arrowhead
        assert (edge["arrows"] == "to") != attrs["symmetric"]
        assert facts["entities"][edge["from"]]["id"] == u and facts["entities"][edge["to"]]["id"] == v
        assert [c["quote"] for c in relation["citations"]] == [c["quote"] for c in attrs["citations"]]
