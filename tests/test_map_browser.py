"""The map in a real headless Chromium (Debian's), as a reader uses it.

One browser session for the module (tests/mapbrowser.py); every test opens
its map afresh. Expected sets are computed from the core, never typed in.
`make deps-chromium` installs chromium and puppeteer-core. The same checks in
Firefox are in test_map_firefox.py.
"""

from __future__ import annotations

import pytest

import graph
from graph.view import select, write_html
from map_synthetic import synthetic_core
from mapbrowser import assert_clean, edge_point, physics_off, rendered, session, tooltip, visible
from mapchecks import (HOSTILE, HOSTILE_TITLE, check_coalition_map, check_date_slider, check_edge_click_shows_quotes,
                       check_filters, check_hostile_runs_nothing, check_map_loads_clean, coalition_graph, expected)


@pytest.fixture(scope="module")
def browser():
    yield from session("chromium")


@pytest.fixture(scope="module")
def maps(tmp_path_factory, core):
    folder = tmp_path_factory.mktemp("maps")
    paths = {"chicago": folder / "chicago.html", "hostile": folder / "hostile.html",
             "coalitions": folder / "coalitions.html", "large": folder / "large.html"}
    write_html(core, paths["chicago"])
    write_html(graph.load(HOSTILE), paths["hostile"], title=HOSTILE_TITLE)
    write_html(coalition_graph(core), paths["coalitions"])
    write_html(synthetic_core(300, 1200), paths["large"], layout="python")
    return paths


def test_chicago_map_loads_offline_and_draws_every_entity_and_relation(browser, maps, core):
    check_map_loads_clean(browser, maps["chicago"], core)


def test_clicking_an_edge_shows_every_quote_and_its_source(browser, maps, core):
    check_edge_click_shows_quotes(browser, maps["chicago"], core, "map-chicago.png")


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
    check_filters(browser, maps["chicago"], core)


def test_date_slider_shows_the_graph_as_of_the_day_like_the_library(browser, maps, core):
    check_date_slider(browser, maps["chicago"], core)


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
    shown = browser.eval("(() => { const p = document.getElementById('ag-panel'); return {kind: p.dataset.kind,"
                         " id: p.dataset.id, items: p.querySelectorAll('#ag-source-panel > ul.ag-relations > li').length}; })()")
    assert shown["kind"] == "source"
    backs = [k for _, _, k, cs in core.edges(keys=True, data="citations") if any(c["source"] == shown["id"] for c in cs)]
    assert shown["items"] == len(backs) > 0


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
    check_hostile_runs_nothing(browser, maps["hostile"], "map-hostile.png")


def test_coalition_map_shows_each_tie_with_the_cited_relations_behind_it(browser, maps, core):
    check_coalition_map(browser, maps["coalitions"], coalition_graph(core), "map-coalitions.png")
