"""What a reader checks on a map, in any browser (tests/mapbrowser.py drives it).

test_map_browser.py runs these in Chromium, test_map_firefox.py in Firefox;
expected sets come from the core, never typed in.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

import graph
from conftest import ROOT
from graph.mapstyle import entity_summary
from graph.view import select
from mapbrowser import Browser, assert_clean, edge_point, panel, physics_off, rendered, tooltip, visible

ARTIFACTS = ROOT / "tests" / "artifacts"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile-map"
HOSTILE_TITLE = "<script>window.__pwned='title'</script><img src=x onerror=\"window.__pwned='title-img'\">"


def expected(H: nx.MultiDiGraph) -> tuple[set[str], set[str]]:
    """The entity and relation ids of a (part of the) core."""
    return set(H), {k for _, _, k in H.edges(keys=True)}


def screenshot(browser: Browser, name: str) -> Path:
    """A PNG of the page under tests/artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = Path(browser.call("screenshot", path=str(ARTIFACTS / name)))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return shot


def opens_whole(browser: Browser, path: Path, G: nx.MultiDiGraph, nouns: tuple[str, str]) -> None:
    """The map of ``G`` opens and draws, and says it shows, all its nodes and edges."""
    browser.open(path)
    assert rendered(browser) == (G.number_of_nodes(), G.number_of_edges())
    assert visible(browser) == expected(G)
    status = browser.eval("document.getElementById('ag-status').textContent")
    assert f"{G.number_of_nodes()} of {G.number_of_nodes()} {nouns[0]}" in status
    assert f"{G.number_of_edges()} of {G.number_of_edges()} {nouns[1]}" in status


def check_map_loads_clean(browser: Browser, path: Path, core: nx.MultiDiGraph) -> None:
    """The map of ``core`` opens offline, cleanly, and draws every entity and relation."""
    opens_whole(browser, path, core, ("entities", "relations"))
    assert browser.eval("document.querySelectorAll('script[src], link, img, iframe').length") == 0
    assert_clean(browser, path)


def check_edge_click_shows_quotes(browser: Browser, path: Path, core: nx.MultiDiGraph, shot: str) -> None:
    """A real click on an edge opens its panel with every quote and source; a screenshot follows."""
    browser.open(path)
    physics_off(browser)
    quoted = [k for _, _, k, q in core.edges(keys=True, data="citations") if all(c.get("quote") for c in q)]
    rid, x, y = edge_point(browser, quoted)
    browser.call("mouse", x=x, y=y)
    shown = panel(browser)
    assert shown["hidden"] is False and shown["kind"] == "relation" and shown["id"] == rid
    citations = next(a["citations"] for _, _, k, a in core.edges(keys=True, data=True) if k == rid)
    for c in citations:
        assert f"“{c['quote']}”" in shown["text"]
        assert c["source"] in shown["text"]
    screenshot(browser, shot)
    assert_clean(browser, path)


def check_filters(browser: Browser, path: Path, core: nx.MultiDiGraph) -> None:
    """Polarity, kind, type and source filters show what graph.view.select shows; reset undoes them."""
    browser.open(path)
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
    assert_clean(browser, path)


def check_date_slider(browser: Browser, path: Path, core: nx.MultiDiGraph) -> None:
    """The slider shows the graph as of its day, by the rules of graph.as_of."""
    browser.open(path)
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
    assert_clean(browser, path)


def check_hostile_runs_nothing(browser: Browser, path: Path, shot: str) -> None:
    """Every hostile string of the fixture shows as text in every panel and tooltip, and runs nothing."""
    G = graph.load(HOSTILE)
    browser.open(path)
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
    screenshot(browser, shot)
    # Nothing ran, nothing was fetched, nothing became markup.
    assert browser.eval("window.__pwned") is None
    assert browser.eval("document.querySelectorAll('img, iframe, object, embed, body style, script[src]').length") == 0
    assert browser.eval("document.scripts.length") == 6
    assert browser.eval("[...document.querySelectorAll('*')].flatMap(e => [...e.attributes])"
                        ".filter(a => a.name.startsWith('on')).length") == 0
    assert_clean(browser, path)


def coalition_graph(core: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The coalition map the browser tests draw: both networks, direct relations counted, Jaccard."""
    return graph.alignment_graph(graph.alignment(core, direct=True, normalize="jaccard"))


def check_coalition_map(browser: Browser, path: Path, T: nx.MultiDiGraph, shot: str) -> None:
    """The coalition map draws every tie; a click on one lists its targets, relations and quotes."""
    opens_whole(browser, path, T, ("actors", "ties"))
    physics_off(browser)
    # The ties with the most behind them first: the panel has the most to show.
    ties = sorted(T.edges(keys=True, data=True), key=lambda e: -sum(len(b["relations"]) for b in e[3]["basis"]))
    rid, x, y = edge_point(browser, [k for _, _, k, _ in ties])
    browser.call("mouse", x=x, y=y)
    shown = panel(browser)
    assert shown["hidden"] is False and shown["kind"] == "relation" and shown["id"] == rid
    tie = next(a for _, _, k, a in ties if k == rid)
    for entry in tie["basis"]:
        assert entry["name"] in shown["text"] and entry["stances"] in shown["text"]
        for r in entry["relations"]:
            assert r["text"] in shown["text"]
            for c in r["citations"]:
                assert f"“{c['quote']}”" in shown["text"]
    screenshot(browser, shot)
    # Congruence only: the conflict ties and the actors only they tie go.
    browser.call("click", selector='#ag-polarities input[data-value="-1"]')
    assert visible(browser) == expected(select(T, types=["congruence"]))
    assert_clean(browser, path)
