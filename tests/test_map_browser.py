"""The map in a real headless Chromium (Debian's), as a reader uses it.

One browser session for the module (tests/mapbrowser.py); every test opens
its map afresh. Expected sets are computed from the core, never typed in.
`make deps-chromium` installs chromium and playwright-core.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import graph
from conftest import DATASET, ROOT
from graph.mapstyle import entity_summary
from graph.view import select, write_html
from map_synthetic import synthetic_core
from mapbrowser import Chromium, missing

ARTIFACTS = ROOT / "tests" / "artifacts"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile-map"
HOSTILE_TITLE = "<script>window.__pwned='title'</script><img src=x onerror=\"window.__pwned='title-img'\">"


@pytest.fixture(scope="module")
def browser():
    reason = missing()
    if reason:
        pytest.fail(reason)
    session = Chromium()
    yield session
    session.close()


@pytest.fixture(scope="module")
def maps(tmp_path_factory, core):
    folder = tmp_path_factory.mktemp("maps")
    paths = {"chicago": folder / "chicago.html", "hostile": folder / "hostile.html",
             "large": folder / "large.html"}
    write_html(core, paths["chicago"])
    write_html(graph.load(HOSTILE), paths["hostile"], title=HOSTILE_TITLE)
    write_html(synthetic_core(300, 1200), paths["large"], layout="python")
    return paths


def assert_clean(browser, path: Path) -> None:
    """No error, no dialog, and the only request is the file itself."""
    record = browser.record()
    assert record["errors"] == []
    assert [m for m in record["console"] if m["type"] in ("error", "warning")] == []
    assert record["dialogs"] == []
    assert record["requests"] == [{"url": path.resolve().as_uri(), "type": "document"}]


def visible(browser) -> tuple[set[str], set[str]]:
    shown = browser.eval("actorgraph.visible()")
    return set(shown["entities"]), set(shown["relations"])


def rendered(browser) -> tuple[int, int]:
    """What vis-network itself draws (its indices skip hidden items)."""
    return tuple(browser.eval("[actorgraph.network.body.nodeIndices.length, actorgraph.network.body.edgeIndices.length]"))


def expected(H) -> tuple[set[str], set[str]]:
    return set(H), {k for _, _, k in H.edges(keys=True)}


def physics_off(browser) -> None:
    if browser.eval("document.getElementById('ag-physics').checked"):
        browser.call("click", selector="#ag-physics")
    assert browser.eval("actorgraph.network.physics.options.enabled") is False


def edge_point(browser, relation_ids: list[str]) -> tuple[str, float, float]:
    """Page coordinates of the middle of the first of these edges that is clear to click."""
    found = browser.eval(f"""(() => {{
        const net = actorgraph.network, box = document.getElementById('ag-network').getBoundingClientRect();
        for (const rid of {relation_ids!r}) {{
            const id = actorgraph.indexOf('relation', rid);
            const dom = net.canvasToDOM(net.body.edges[id].edgeType.getPoint(0.5));
            if (dom.x < 5 || dom.y < 5 || dom.x > box.width - 5 || dom.y > box.height - 5) continue;
            // Clear = no other edge and no node within reach of the pointer.
            const around = [[0, 0], [12, 0], [-12, 0], [0, 12], [0, -12], [9, 9], [-9, -9], [9, -9], [-9, 9]]
                .map(([dx, dy]) => ({{x: dom.x + dx, y: dom.y + dy}}));
            if (net.getEdgeAt(dom) === id && around.every((p) => net.getNodeAt(p) === undefined
                    && [id, undefined].includes(net.getEdgeAt(p))))
                return [rid, box.left + dom.x, box.top + dom.y];
        }}
        return null;
    }})()""")
    assert found, "no edge is clear to click"
    return found[0], found[1], found[2]


def tooltip(browser) -> dict | None:
    """The hover tooltip once vis-network shows it: its text and child elements."""
    return browser.eval("""new Promise((resolve) => { const t0 = Date.now(); const look = () => {
        const tip = document.querySelector('div.vis-tooltip');
        if (tip && tip.style.visibility === 'visible') resolve({text: tip.textContent, children: tip.children.length});
        else if (Date.now() - t0 > 3000) resolve(null); else setTimeout(look, 50); }; look(); })""")


def test_chicago_map_loads_offline_and_draws_every_entity_and_relation(browser, maps, core):
    browser.open(maps["chicago"])
    assert rendered(browser) == (core.number_of_nodes(), core.number_of_edges())
    assert visible(browser) == expected(core)
    status = browser.eval("document.getElementById('ag-status').textContent")
    assert f"{core.number_of_nodes()} of {core.number_of_nodes()} entities" in status
    assert f"{core.number_of_edges()} of {core.number_of_edges()} relations" in status
    assert browser.eval("document.querySelectorAll('script[src], link, img, iframe').length") == 0
    assert_clean(browser, maps["chicago"])


def test_clicking_an_edge_shows_every_quote_and_its_source(browser, maps, core):
    browser.open(maps["chicago"])
    physics_off(browser)
    quoted = [k for _, _, k, q in core.edges(keys=True, data="citations") if all(c.get("quote") for c in q)]
    rid, x, y = edge_point(browser, quoted)
    browser.call("mouse", x=x, y=y)
    panel = browser.eval("(() => { const p = document.getElementById('ag-panel');"
                         " return {hidden: p.hidden, kind: p.dataset.kind, id: p.dataset.id, text: p.textContent}; })()")
    assert panel["hidden"] is False and panel["kind"] == "relation" and panel["id"] == rid
    citations = next(a["citations"] for _, _, k, a in core.edges(keys=True, data=True) if k == rid)
    for c in citations:
        assert f"“{c['quote']}”" in panel["text"]
        assert c["source"] in panel["text"]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = browser.call("screenshot", path=str(ARTIFACTS / "map-chicago.png"))
    assert Path(shot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert_clean(browser, maps["chicago"])


def test_hovering_an_edge_shows_a_plain_text_summary(browser, maps, core):
    browser.open(maps["chicago"])
    physics_off(browser)
    rid, x, y = edge_point(browser, [k for _, _, k in core.edges(keys=True)])
    u, v, attrs = next((u, v, a) for u, v, k, a in core.edges(keys=True, data=True) if k == rid)
    browser.call("move", x=x, y=y)
    tip = tooltip(browser)
    assert tip is not None
    assert tip["children"] == 0
    assert tip["text"].startswith(f"{core.nodes[u]['name']} — {attrs['label']} ")
    assert core.nodes[v]["name"] in tip["text"] and "source" in tip["text"]


def test_filters_change_what_is_visible_and_reset_restores_it(browser, maps, core):
    browser.open(maps["chicago"])
    # Polarity: no opposition.
    browser.call("click", selector='#ag-polarities input[data-value="-1"]')
    kept = {k for _, _, k, p in core.edges(keys=True, data="polarity") if p != -1}
    nodes = {n for u, v, k in core.edges(keys=True) if k in kept for n in (u, v)}
    assert visible(browser) == (nodes, kept)
    assert rendered(browser) == (len(nodes), len(kept))
    browser.call("click", selector="#ag-reset")
    assert visible(browser) == expected(core)
    # Kind: no persons.
    browser.call("click", selector='#ag-kinds input[data-value="person"]')
    assert visible(browser) == expected(select(core, kinds=[k for k in core.graph["vocabulary"].kinds
                                                            if k != "person"]))
    browser.call("click", selector="#ag-reset")
    # Relation type, and source.
    browser.call("click", selector='#ag-types input[data-value="opposes"]')
    others = [t for t in core.graph["vocabulary"].relations if t != "opposes"]
    assert visible(browser) == expected(select(core, types=others))
    browser.call("click", selector="#ag-reset")
    browser.call("select", selector="#ag-source", value="s-003")
    cited = {k for _, _, k, cs in core.edges(keys=True, data="citations") if any(c["source"] == "s-003" for c in cs)}
    assert visible(browser)[1] == cited
    browser.call("click", selector="#ag-reset")
    assert visible(browser) == expected(core)
    assert_clean(browser, maps["chicago"])


def test_date_slider_shows_the_graph_as_of_the_day_like_the_library(browser, maps, core):
    browser.open(maps["chicago"])
    full = expected(core)
    for gesture in ("click", "Home", "End"):
        if gesture == "click":
            browser.call("click", selector="#ag-asof")  # the middle of the slider
        else:
            browser.call("press", key=gesture)
        day = browser.eval("document.getElementById('ag-asof-label').textContent")
        assert browser.eval("document.getElementById('ag-asof-on').checked") is True
        assert visible(browser) == expected(select(core, as_of=day)), day
        assert visible(browser)[1] != full[1], day
    browser.call("click", selector="#ag-undated")  # leave out undated relations
    day = browser.eval("document.getElementById('ag-asof-label').textContent")
    dated = {k for k in expected(select(core, as_of=day))[1]
             if graph.interval(next(a for _, _, kk, a in core.edges(keys=True, data=True) if kk == k)) != (None, None)}
    assert visible(browser)[1] == dated
    assert_clean(browser, maps["chicago"])


def test_search_selects_by_alias_and_focus_shows_the_neighbourhood(browser, maps, core):
    browser.open(maps["chicago"])
    browser.call("fill", selector="#ag-search", value="cpd")
    browser.call("click", selector="#ag-results button")
    assert browser.eval("document.getElementById('ag-panel').dataset.id") == graph.resolve(core, "CPD")
    browser.call("click", selector="#ag-focus")
    assert visible(browser) == expected(select(core, focus="CPD", hops=1))
    browser.call("fill", selector="#ag-hops", value="2")
    browser.call("press", key="Tab")
    assert visible(browser) == expected(select(core, focus="CPD", hops=2))
    browser.call("click", selector="#ag-reset")
    assert visible(browser) == expected(core)
    assert browser.eval("document.getElementById('ag-panel').hidden") is True


def test_a_source_lists_every_relation_it_backs(browser, maps, core):
    browser.open(maps["chicago"])
    browser.call("click", selector="#ag-source-list button")
    panel = browser.eval("(() => { const p = document.getElementById('ag-panel'); return {kind: p.dataset.kind,"
                         " id: p.dataset.id, items: p.querySelectorAll('#ag-source-panel > ul.ag-relations > li').length}; })()")
    assert panel["kind"] == "source"
    backs = [k for _, _, k, cs in core.edges(keys=True, data="citations") if any(c["source"] == panel["id"] for c in cs)]
    assert panel["items"] == len(backs) > 0


def test_physics_toggle_and_precomputed_large_map(browser, maps):
    browser.open(maps["large"])
    assert rendered(browser) == (300, 1200)
    assert browser.eval("document.getElementById('ag-physics').checked") is False
    assert browser.eval("actorgraph.network.physics.options.enabled") is False
    placed = browser.eval("(() => { const p = actorgraph.network.getPositions([0]); const n = actorgraph.nodes.get(0);"
                          " return [p[0].x, p[0].y, n.x, n.y]; })()")
    assert abs(placed[0] - placed[2]) < 1 and abs(placed[1] - placed[3]) < 1  # drawn where Python put it
    browser.call("click", selector="#ag-physics")
    assert browser.eval("actorgraph.network.physics.options.enabled") is True
    assert_clean(browser, maps["large"])


def test_hostile_text_is_shown_as_text_and_runs_nothing(browser, maps):
    G = graph.load(HOSTILE)
    browser.open(maps["hostile"])
    assert browser.eval("document.title") == HOSTILE_TITLE
    assert browser.eval("document.getElementById('ag-title').textContent") == HOSTILE_TITLE
    # Every panel, as the reader would open it.
    for node, attrs in G.nodes(data=True):
        i = browser.eval(f"actorgraph.indexOf('entity', {node!r})")
        browser.eval(f"actorgraph.show('entity', {i})")
        assert browser.eval("document.querySelector('#ag-entity h3').textContent") == attrs["name"]
        text = browser.eval("document.getElementById('ag-panel').textContent")
        for alias in attrs["aliases"]:
            assert alias in text
        if attrs["description"]:
            assert attrs["description"] in text
    for _, _, key, attrs in G.edges(keys=True, data=True):
        i = browser.eval(f"actorgraph.indexOf('relation', {key!r})")
        browser.eval(f"actorgraph.show('relation', {i})")
        text = browser.eval("document.getElementById('ag-panel').textContent")
        for c in attrs["citations"]:
            assert f"“{c['quote']}”" in text
    for sid, source in G.graph["sources"].items():
        browser.eval(f"actorgraph.show('source', {sid!r})")
        links = browser.eval("[...document.querySelectorAll('#ag-panel a')].map(a => [a.protocol, a.textContent])")
        if source["url"].startswith("https:"):
            assert links == [["https:", source["url"]]]
        else:
            assert links == []  # a javascript: URL stays text
            assert source["url"] in browser.eval("document.getElementById('ag-panel').textContent")
    # A tooltip whose text holds "href" stays text.
    browser.call("press", key="Escape")
    physics_off(browser)
    i = browser.eval("actorgraph.indexOf('entity', 'href-man')")
    x, y = browser.eval(f"""(() => {{ const net = actorgraph.network;
        const box = document.getElementById('ag-network').getBoundingClientRect();
        const p = net.canvasToDOM(net.getPositions([{i}])[{i}]); return [box.left + p.x, box.top + p.y]; }})()""")
    browser.call("move", x=x, y=y)
    tip = tooltip(browser)
    assert tip == {"text": entity_summary(G.nodes["href-man"], G.degree("href-man")), "children": 0}
    # Search finds names that look like code.
    browser.call("fill", selector="#ag-search", value="__proto__")
    assert browser.eval("document.querySelectorAll('#ag-results button').length") == 1
    browser.call("click", selector="#ag-results button")
    assert browser.eval("document.getElementById('ag-panel').dataset.id") == "prototype"
    ARTIFACTS.mkdir(exist_ok=True)
    browser.call("screenshot", path=str(ARTIFACTS / "map-hostile.png"))
    # Nothing ran, nothing was fetched, nothing became markup.
    assert browser.eval("window.__pwned") is None
    assert browser.eval("document.querySelectorAll('img, iframe, object, embed, body style, script[src]').length") == 0
    assert browser.eval("document.scripts.length") == 6
    assert browser.eval("[...document.querySelectorAll('*')].flatMap(e => [...e.attributes])"
                        ".filter(a => a.name.startsWith('on')).length") == 0
    assert_clean(browser, maps["hostile"])
