"""The map in a real headless Firefox (Debian's firefox-esr, over WebDriver BiDi).

The essential checks of test_map_browser.py (tests/mapchecks.py), in one
Firefox session for the module. `make deps-firefox` installs firefox-esr and
puppeteer-core.
"""

from __future__ import annotations

import http.server
import threading

import pytest

import graph
from graph.view import write_html
from mapbrowser import session
from mapchecks import (HOSTILE, HOSTILE_TITLE, check_coalition_map, check_date_slider, check_edge_click_shows_quotes,
                       check_filters, check_hostile_runs_nothing, check_map_loads_clean, coalition_graph)


@pytest.fixture(scope="module")
def browser():
    yield from session("firefox")


@pytest.fixture(scope="module")
def maps(tmp_path_factory, core):
    folder = tmp_path_factory.mktemp("maps")
    paths = {"chicago": folder / "chicago.html", "hostile": folder / "hostile.html",
             "coalitions": folder / "coalitions.html"}
    write_html(core, paths["chicago"])
    write_html(graph.load(HOSTILE), paths["hostile"], title=HOSTILE_TITLE)
    write_html(coalition_graph(core), paths["coalitions"])
    return paths


def test_it_is_firefox(browser):
    assert browser.call("version").startswith("firefox/")


def test_the_record_sees_requests_dialogs_and_errors(browser, tmp_path):
    """Without this, "no request, no dialog, no error" below could mean
    "nothing recorded": a page that loads an image from a loopback server,
    opens an alert and throws must show all three in the record."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the stdlib's name)
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/canary.png"
        page = tmp_path / "fetches.html"
        page.write_text(f'<!DOCTYPE html><img src="{url}"><script>alert("canary"); console.error("canary");'
                        ' setTimeout(() => { throw new Error("canary"); });</script>', encoding="utf-8")
        browser.call("open", path=str(page))
        browser.eval("new Promise((resolve) => setTimeout(resolve, 200))")
        record = browser.record()
        assert {"url": url, "navigation": False} in record["requests"]
        assert hits == ["/canary.png"]
        assert record["dialogs"] == [{"type": "alert", "message": "canary"}]
        assert {"type": "error", "text": "canary"} in record["console"]
        assert any("canary" in e for e in record["errors"])
    finally:
        server.shutdown()
        server.server_close()


def test_chicago_map_loads_offline_and_draws_every_entity_and_relation(browser, maps, core):
    check_map_loads_clean(browser, maps["chicago"], core)


def test_clicking_an_edge_shows_every_quote_and_its_source(browser, maps, core):
    check_edge_click_shows_quotes(browser, maps["chicago"], core, "map-chicago-firefox.png")


def test_filters_change_what_is_visible_and_reset_restores_it(browser, maps, core):
    check_filters(browser, maps["chicago"], core)


def test_date_slider_shows_the_graph_as_of_the_day_like_the_library(browser, maps, core):
    check_date_slider(browser, maps["chicago"], core)


def test_hostile_text_is_shown_as_text_and_runs_nothing(browser, maps):
    check_hostile_runs_nothing(browser, maps["hostile"], "map-hostile-firefox.png")


def test_coalition_map_shows_each_tie_with_the_cited_relations_behind_it(browser, maps, core):
    check_coalition_map(browser, maps["coalitions"], coalition_graph(core), "map-coalitions-firefox.png")
