"""Where the map should stop laying itself out in the browser.

For synthetic cores of growing size (edges = 4 x nodes), writes the map twice
-- vis-network physics in the browser, and the layout precomputed in Python
with physics off -- and measures in headless Chromium the time from
navigation until the map is laid out and drawn (``actorgraph.readyAt``),
plus the Python time to write each file. The threshold
(graph.view.PHYSICS_LIMIT, in nodes + edges) is where the browser's physics
stops being quicker to an interactive map than the precomputed layout.

Run: .venv/bin/python benchmarks/map_threshold.py   (needs `make deps-chromium`)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from map_synthetic import synthetic_core  # noqa: E402
from mapbrowser import Chromium, missing  # noqa: E402

from graph.view import PHYSICS_LIMIT, write_html  # noqa: E402

SIZES = [(50, 200), (100, 400), (200, 800), (300, 1200), (400, 1600), (600, 2400), (1000, 4000),
         (2000, 8000), (5000, 20000)]


def main() -> None:
    reason = missing()
    if reason:
        sys.exit(reason)
    browser = Chromium(timeout=300)
    print(f"{'nodes':>6} {'edges':>6} | {'browser: write s':>16} {'ready s':>8} | "
          f"{'python: write s':>15} {'ready s':>8} {'MB':>6}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n, m in SIZES:
                G = synthetic_core(n, m)
                row = []
                for layout in ("browser", "python"):
                    if layout == "browser" and n > 2000:
                        row += [float("nan"), float("nan")]
                        continue
                    path = Path(tmp) / f"{layout}-{n}.html"
                    t = time.perf_counter()
                    summary = write_html(G, path, layout=layout)
                    written = time.perf_counter() - t
                    browser.open(path)
                    ready = browser.eval("actorgraph.readyAt") / 1000
                    row += [written, ready]
                print(f"{n:>6} {m:>6} | {row[0]:>16.2f} {row[1]:>8.2f} | {row[2]:>15.2f} {row[3]:>8.2f} "
                      f"{summary.bytes / 1048576:>6.1f}", flush=True)
    finally:
        browser.close()
    print(f"current threshold: PHYSICS_LIMIT = {PHYSICS_LIMIT} nodes + edges")


if __name__ == "__main__":
    main()
