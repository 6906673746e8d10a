"""Hostile strings in every user-writable field come out byte-exact and inert.

The fixture (tests/fixtures/hostile/) puts HTML, script, Cypher, CSV
formulas, XML, template syntax, bidi and zero-width characters, NFC and
NFD spellings, CRLF and padded white space into names, aliases,
descriptions, quotes, properties, source fields and slug ids, through
every output: export json, query JSON, GraphML and GEXF, the Cypher
script run for real and the Bolt push (on FalkorDB), the neo4j-admin CSV
parsed back, the embedded query engine, and the map in Chromium. The expected
values come from an independent reading of the same file (PyYAML's
BaseLoader, which keeps every scalar as the text written), not from our
loader, so a loader that trimmed, normalised or unescaped would fail here.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

import graph
from conftest import ROOT
from graph.cli import main
from loaders import load_vocabulary
from mapbrowser import assert_clean, session

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def _oracle() -> dict[str, Any]:
    docs = [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) for p in sorted(HOSTILE.glob("*.yaml"))]
    return {section: [item for doc in docs for item in doc.get(section, [])] for section in ("sources", "entities", "relations")}


ORACLE = _oracle()
VOCAB = load_vocabulary()


def _typed(value: str, kind: str, G) -> Any:
    """A property as the core holds it: the vocabulary types it, the text stays the text."""
    return {"integer": int, "reference": lambda v: graph.resolve(G, v)}.get(kind, lambda v: v)(value)


def expected_entities(G) -> dict[str, dict[str, Any]]:
    out = {}
    for e in ORACLE["entities"]:
        props = VOCAB.kinds[e["kind"]].properties
        fields = {"name": e["name"], "aliases": e.get("aliases", []), "description": e.get("description")}
        fields.update({k: _typed(v, props[k].type, G) for k, v in e.items() if k in props})
        out[e["id"]] = fields
    return out


def expected_relations(G) -> dict[str, dict[str, Any]]:
    out = {}
    for r in ORACLE["relations"]:
        a, b = graph.resolve(G, r["from"]), graph.resolve(G, r["to"])
        (key,) = [k for k, attrs in G[a][b].items() if attrs["type"] == r["type"]
                  and attrs["description"] == r.get("description")]
        props = VOCAB.relations[r["type"]].properties
        fields = {"description": r.get("description"),
                  "citations": [{"source": c["source"], "quote": c.get("quote")} for c in r["cite"]]}
        fields.update({k: r.get(k) for k in ("date", "start", "end")})
        fields.update({k: _typed(v, props[k].type, G) for k, v in r.items() if k in props})
        out[key] = fields
    return out


def expected_sources() -> dict[str, dict[str, Any]]:
    keys = ("text", "title", "publisher", "author", "url", "published")
    return {s["id"]: {k: s.get(k) for k in keys} for s in ORACLE["sources"]}


@pytest.fixture(scope="module")
def H():
    return graph.load(HOSTILE)


def test_the_fixture_is_hostile_everywhere_and_valid(H):
    # every field a user writes, in the fixture and in the graph
    assert {k for e in ORACLE["entities"] for k in e} >= {"id", "kind", "name", "aliases", "description", "party",
                                                         "status", "date", "place", "motion", "result", "yes"}
    assert {k for r in ORACLE["relations"] for k in r} >= {"id", "description", "cite", "action", "role", "scope",
                                                          "motion", "office", "date", "start", "end"}
    assert {k for s in ORACLE["sources"] for k in s} == {"id", "text", "title", "publisher", "author", "url", "published"}
    assert H.number_of_nodes() == len(ORACLE["entities"]) and H.number_of_edges() == len(ORACLE["relations"])
    names = [e["name"] for e in ORACLE["entities"]]
    assert any("<script>" in n for n in names) and any("\r\n" in n for n in names)
    assert "José" in ORACLE["entities"][0]["aliases"] and "Jose\u0301" in ORACLE["entities"][0]["aliases"]


def _check_json_doc(doc: dict[str, Any], G) -> None:
    nodes = {n["id"]: n for n in doc["nodes"]}
    for eid, fields in expected_entities(G).items():
        assert {k: nodes[eid][k] for k in fields} == fields, eid
    edges = {e["key"]: e for e in doc["edges"]}
    for key, fields in expected_relations(G).items():
        assert {k: edges[key][k] for k in fields} == fields, key
    sources = {s["id"]: s for s in doc["graph"]["sources"]}
    for sid, fields in expected_sources().items():
        assert {k: sources[sid][k] for k in fields} == fields, sid


@pytest.mark.parametrize("to_stdout", [False, True], ids=["file", "stdout"])
def test_export_json_round_trips_byte_exact(H, runner, tmp_path, to_stdout):
    out = tmp_path / "hostile.json"
    result = runner.invoke(main, ["export", "json", str(HOSTILE), "-o", "-" if to_stdout else str(out)])
    assert result.exit_code == 0, result.stderr
    raw = result.stdout_bytes if to_stdout else out.read_bytes()
    _check_json_doc(json.loads(raw.decode("utf-8")), H)


def test_query_json_carries_the_strings_unchanged(H, runner):
    entities, relations = expected_entities(H), expected_relations(H)
    for eid, fields in entities.items():
        result = runner.invoke(main, ["neighbours", str(HOSTILE), eid, "--json"])
        assert result.exit_code == 0, result.stderr
        doc = json.loads(result.stdout)
        assert doc["name"] == fields["name"]
        for group in doc["groups"]:
            for r in group["relations"]:
                expected = relations[r["id"]]
                assert r["description"] == expected["description"]
                assert r["citations"] == expected["citations"]
                assert {k: r["properties"][k] for k in r["properties"]} == {
                    k: v for k, v in expected.items() if k in r["properties"]}


def test_alignment_graphml_keeps_names_byte_exact(H, runner, tmp_path):
    out = tmp_path / "alignment.graphml"
    result = runner.invoke(main, ["alignment", str(HOSTILE), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    root = ET.parse(out).getroot()  # the standard parser: no entity from the data expands
    keys = {k.get("id"): k.get("attr.name") for k in root.iter(GRAPHML + "key")}
    names = {n.get("id"): {keys[d.get("key")]: d.text for d in n}["name"] for n in root.iter(GRAPHML + "node")}
    assert names and names == {n: H.nodes[n]["name"] for n in names}
    assert any("\r\n" in name for name in names.values()), "the CRLF name is an actor: it must be tested"


# -- the Neo4j path and Gephi: script run for real, CSV parsed back, embedded engine

@pytest.fixture(scope="module")
def falkordb():
    from graph.falkordb_engine import EmbeddedFalkorDB

    server = EmbeddedFalkorDB()
    server.start()
    yield server
    server.stop()


def _labels_and_types(runner) -> tuple[set[str], set[str]]:
    labels = {label for row in runner.read("MATCH (n) RETURN labels(n)").rows for label in row[0]}
    types = {row[0] for row in runner.read("MATCH ()-[r]->() RETURN type(r)").rows}
    return labels, types


def _vocabulary_names() -> tuple[set[str], set[str]]:
    labels = {"Entity", "Source"} | {k.label for k in VOCAB.kinds.values()}
    return labels, {r.neo4j_type for r in VOCAB.relations.values()}


def test_cypher_script_run_for_real_rebuilds_every_string_and_nothing_else(H, runner, tmp_path, falkordb):
    from neo4j_support import assert_dataset_equals_core, snapshot

    script = tmp_path / "hostile.cypher"
    result = runner.invoke(main, ["export", "cypher", str(HOSTILE), "-o", str(script)])
    assert result.exit_code == 0, result.stderr
    db = falkordb.graph("script")
    for statement in script.read_text(encoding="utf-8").split(";\n"):
        if statement.strip() and not all(line.startswith("//") for line in statement.strip().splitlines()):
            db.write(statement)
    assert_dataset_equals_core(db, H, "hostile")  # each value byte for byte, each id once
    nodes, rels = snapshot(db)
    assert (len(nodes), len(rels)) == (H.number_of_nodes() + len(H.graph["sources"]), H.number_of_edges())
    labels, types = _labels_and_types(db)
    allowed_labels, allowed_types = _vocabulary_names()
    assert labels <= allowed_labels and types <= allowed_types  # no label or type from the data


def test_neo4j_push_and_embedded_query_give_the_strings_back(H, runner, falkordb):
    from graph.neo4j_push import push
    from neo4j_support import assert_dataset_equals_core

    db = falkordb.graph("push")
    push(H, db, batch_size=2)
    assert_dataset_equals_core(db, H, "hostile")
    labels, types = _labels_and_types(db)
    allowed_labels, allowed_types = _vocabulary_names()
    assert labels <= allowed_labels and types <= allowed_types
    # `actorgraph query` loads the facts into its own engine: the answers are the oracle's text.
    result = runner.invoke(main, ["query", str(HOSTILE), "MATCH (n:Entity) RETURN n.id AS id, n.name AS name, "
                                  "n.aliases AS aliases, n.description AS description", "--json"])
    assert result.exit_code == 0, result.stderr
    got = {row["id"]: row for row in json.loads(result.stdout)["rows"]}
    for eid, fields in expected_entities(H).items():
        assert (got[eid]["name"], got[eid]["aliases"], got[eid]["description"]) == (
            fields["name"], fields["aliases"], fields["description"]), eid
    quotes = runner.invoke(main, ["query", str(HOSTILE), "MATCH ()-[r]->() WHERE r.id = $id RETURN r.quotes AS q",
                                  "--param", "id=r.1_evil-rel", "--json"])
    assert quotes.exit_code == 0, quotes.stderr
    (row,) = json.loads(quotes.stdout)["rows"]
    assert row["q"] == [c["quote"] for c in expected_relations(H)["r.1_evil-rel"]["citations"]]


def test_csv_parses_back_byte_exact(H, runner, tmp_path):
    from test_export_csv import assert_import_equals_core

    out = tmp_path / "import"
    result = runner.invoke(main, ["export", "csv", str(HOSTILE), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert_import_equals_core(out, H)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_files_keep_every_string(H, runner, tmp_path, fmt):
    import networkx as nx

    out = tmp_path / f"hostile.{fmt}"
    result = runner.invoke(main, ["export", fmt, str(HOSTILE), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    back = nx.read_graphml(out, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(out)
    for eid, fields in expected_entities(H).items():
        node = back.nodes[eid]
        assert node["name"] == fields["name"] and json.loads(node["aliases"]) == fields["aliases"], eid
        assert node.get("description") == fields["description"], eid
        for key in ("party", "status", "motion", "result", "yes"):
            if key in fields:
                assert node[key] == fields[key], (eid, key)
    edges = {attrs["id"]: attrs for _, _, attrs in back.edges(data=True)}
    for key, fields in expected_relations(H).items():
        assert edges[key].get("description") == fields["description"], key
        assert json.loads(edges[key]["quotes"]) == [c["quote"] for c in fields["citations"]], key
        for prop in ("action", "role", "scope", "motion", "office"):
            if prop in fields:
                assert edges[key][prop] == fields[prop], (key, prop)


# -- the map, in a real browser ------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    yield from session("chromium")


def test_map_html_holds_no_live_markup_from_the_data(H, tmp_path):
    path = tmp_path / "hostile.html"
    graph.write_html(H, path)
    html = path.read_text(encoding="utf-8")
    for payload in ("<script>window.__pwned", "<img src=x", "<iframe", "<svg/onload", "</script><script>", "<style>body"):
        assert payload not in html


def test_map_shows_every_hostile_string_as_text_and_runs_nothing(H, browser, tmp_path_factory):
    path = Path(tmp_path_factory.mktemp("map")) / "hostile.html"
    graph.write_html(H, path, title="<script>window.__pwned='title'</script>")
    browser.open(path)
    for eid, fields in expected_entities(H).items():
        i = browser.eval(f"actorgraph.indexOf('entity', {json.dumps(eid)})")
        browser.eval(f"actorgraph.show('entity', {i})")
        assert browser.eval("document.querySelector('#ag-entity h3').textContent") == fields["name"]
        text = browser.eval("document.getElementById('ag-panel').textContent")
        for value in [*fields["aliases"], fields["description"]]:
            if value:
                assert value in text, (eid, value)
    for key, fields in expected_relations(H).items():
        i = browser.eval(f"actorgraph.indexOf('relation', {json.dumps(key)})")
        browser.eval(f"actorgraph.show('relation', {i})")
        text = browser.eval("document.getElementById('ag-panel').textContent")
        for c in fields["citations"]:
            if c["quote"]:
                assert c["quote"] in text, (key, c["quote"])
    for sid, fields in expected_sources().items():
        browser.eval(f"actorgraph.show('source', {json.dumps(sid)})")
        text = browser.eval("document.getElementById('ag-panel').textContent")
        assert fields["title"] is None or fields["title"] in text
        protocols = browser.eval("[...document.querySelectorAll('#ag-panel a')].map(a => a.protocol)")
        assert set(protocols) <= {"https:", "http:"}, sid
    for query in ("__proto__", "constructor", "<script>", "José"):
        browser.call("fill", selector="#ag-search", value=query)
    # Inert: no script from the data ran, no dialog, no markup, no request,
    # no navigation (the only request is the file itself).
    assert browser.eval("window.__pwned") is None
    assert browser.eval("document.querySelectorAll('img, iframe, object, embed, svg script, body style').length") == 0
    assert browser.eval("[...document.querySelectorAll('*')].flatMap(e => [...e.attributes])"
                        ".filter(a => a.name.startsWith('on')).length") == 0
    assert browser.eval("location.href") == path.resolve().as_uri()
    assert_clean(browser, path)


def test_coalition_map_shows_hostile_names_as_text_and_runs_nothing(H, browser, runner, tmp_path):
    path = tmp_path / "coalitions.html"
    result = runner.invoke(main, ["alignment", str(HOSTILE), "-o", str(path)])
    assert result.exit_code == 0, result.stderr
    browser.open(path)
    shown = 0
    for eid, fields in expected_entities(H).items():
        i = browser.eval(f"actorgraph.indexOf('entity', {json.dumps(eid)})")
        if i is None or i < 0:
            continue  # not an actor with a tie
        browser.eval(f"actorgraph.show('entity', {i})")
        assert browser.eval("document.querySelector('#ag-entity h3').textContent") == fields["name"]
        shown += 1
    assert shown >= 2
    assert browser.eval("window.__pwned") is None
    assert_clean(browser, path)
