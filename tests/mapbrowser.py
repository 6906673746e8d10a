"""A real headless browser for the map tests, driven through tests/browser/bridge.mjs.

One :class:`Browser` is one browser session (a node process running
puppeteer-core against Debian's /usr/bin/chromium or /usr/bin/firefox-esr);
requests and answers are JSON lines. ``make deps-chromium`` and
``make deps-firefox`` install them.

The helpers below read the page the same way in every browser.
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

BRIDGE_DIR = Path(__file__).resolve().parent / "browser"
EXECUTABLES = {"chromium": Path("/usr/bin/chromium"), "firefox": Path("/usr/bin/firefox-esr")}
TARGETS = {"chromium": "deps-chromium", "firefox": "deps-firefox"}


class BridgeError(RuntimeError):
    """The page or the bridge reported an error."""


def missing(name: str = "chromium") -> str | None:
    """Why a session of browser ``name`` cannot start, or None."""
    target = TARGETS[name]
    if not EXECUTABLES[name].exists():
        return f"{EXECUTABLES[name]} is missing: run `make {target}`"
    if not (BRIDGE_DIR / "node_modules" / "puppeteer-core").is_dir():
        return f"puppeteer-core is not installed in tests/browser: run `make {target}`"
    if shutil.which("node") is None:
        return f"node is missing: run `make {target}`"
    return None


class Browser:
    """One session of ``name`` ("chromium" or "firefox"); every call waits at most ``timeout`` seconds."""

    def __init__(self, name: str = "chromium", timeout: float = 60.0) -> None:
        self.name = name
        self.timeout = timeout
        self._proc = subprocess.Popen(
            ["node", str(BRIDGE_DIR / "bridge.mjs"), name], cwd=BRIDGE_DIR, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )
        self._answers: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            self._answers.put(line)
        self._answers.put(None)

    def call(self, op: str, **args: Any) -> Any:
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps({"op": op, **args}) + "\n")
        self._proc.stdin.flush()
        try:
            line = self._answers.get(timeout=self.timeout)
        except queue.Empty:
            raise BridgeError(f"no answer to {op!r} within {self.timeout} s") from None
        if line is None:
            err = self._proc.stderr.read() if self._proc.stderr else ""
            raise BridgeError(f"the browser bridge stopped: {err[-2000:]}")
        answer = json.loads(line)
        if "error" in answer:
            raise BridgeError(answer["error"])
        return answer["ok"]

    def open(self, path: str | Path) -> None:
        """Load a file and wait until the map is laid out and drawn."""
        self.call("open", path=str(Path(path).resolve()))
        self.eval("""new Promise((resolve, reject) => {
            const start = Date.now();
            const wait = () => (window.actorgraph && window.actorgraph.ready) ? resolve(true)
              : Date.now() - start > 45000 ? reject(new Error("the map never became ready"))
              : setTimeout(wait, 25);
            wait();
        })""")

    def eval(self, js: str) -> Any:
        return self.call("eval", js=js)

    def record(self) -> dict[str, list[dict[str, Any]]]:
        return self.call("record")

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                self.call("close")
            except (BridgeError, OSError):
                pass
            if self._proc.stdin:
                self._proc.stdin.close()
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()


def session(name: str) -> Iterator[Browser]:
    """A module fixture's body: one session of ``name``, closed at the end.
    A missing browser fails the test (``make test`` installs it), never skips."""
    reason = missing(name)
    if reason:
        pytest.fail(reason)
    browser = Browser(name)
    try:
        yield browser
    finally:
        browser.close()


# --- reading the page ------------------------------------------------------------

def assert_clean(browser: Browser, path: Path) -> None:
    """No error, no warning, no dialog, and the only request is the file itself."""
    record = browser.record()
    assert record["errors"] == []
    assert [m for m in record["console"] if m["type"] in ("error", "warn", "warning", "assert")] == []
    assert record["dialogs"] == []
    # Chromium reports the file itself; WebDriver BiDi (Firefox) reports only
    # network requests, never file: ones (test_map_firefox.py shows it does see those).
    page = [{"url": path.resolve().as_uri(), "navigation": True}] if browser.name == "chromium" else []
    assert record["requests"] == page


def visible(browser: Browser) -> tuple[set[str], set[str]]:
    """Ids of the entities and relations the page shows."""
    shown = browser.eval("actorgraph.visible()")
    return set(shown["entities"]), set(shown["relations"])


def rendered(browser: Browser) -> tuple[int, int]:
    """What vis-network itself draws (its indices skip hidden items)."""
    return tuple(browser.eval("[actorgraph.network.body.nodeIndices.length, actorgraph.network.body.edgeIndices.length]"))


def physics_off(browser: Browser) -> None:
    if browser.eval("document.getElementById('ag-physics').checked"):
        browser.call("click", selector="#ag-physics")
    assert browser.eval("actorgraph.network.physics.options.enabled") is False


def edge_point(browser: Browser, relation_ids: list[str]) -> tuple[str, float, float]:
    """Page coordinates of the middle of the first of these edges that is clear to click."""
    found = browser.eval(f"""(() => {{
        const net = actorgraph.network, box = document.getElementById('ag-network').getBoundingClientRect();
        for (const rid of {json.dumps(relation_ids)}) {{
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


def panel(browser: Browser) -> dict[str, Any]:
    """The details panel: hidden or not, what it shows (kind, id) and its text."""
    return browser.eval("(() => { const p = document.getElementById('ag-panel');"
                        " return {hidden: p.hidden, kind: p.dataset.kind, id: p.dataset.id, text: p.textContent}; })()")


def tooltip(browser: Browser) -> dict | None:
    """The hover tooltip once vis-network shows it: its text and child elements."""
    return browser.eval("""new Promise((resolve) => { const t0 = Date.now(); const look = () => {
        const tip = document.querySelector('div.vis-tooltip');
        if (tip && tip.style.visibility === 'visible') resolve({text: tip.textContent, children: tip.children.length});
        else if (Date.now() - t0 > 3000) resolve(null); else setTimeout(look, 50); }; look(); })""")
