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


def worker_cold(folder: str) -> dict[str, Any]:
    """``graph.load`` with no cache: parse, validate, build."""
    import graph

    start = time.perf_counter()
    G = graph.load(folder, cache=False)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": _peak_mb(), "nodes": G.number_of_nodes(), "edges": G.number_of_edges()}


def worker_cached(folder: str) -> dict[str, Any]:
    """``graph.load`` through the on-disk cache (ACTORGRAPH_CACHE_DIR)."""
    import graph

    start = time.perf_counter()
    G = graph.load(folder)
    return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), "edges": G.number_of_edges()}


def worker_inprocess(folder: str) -> dict[str, Any]:
    """Load, edit one file, load again in the same process (a notebook, a watcher)."""
    import graph

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
        rng = random.Random(7)
        people = [n for n, a in G.nodes(data=True) if a["kind"] == "person"]
        policies = [n for n, a in G.nodes(data=True) if "policy" in a["kinds"]]
        times = []
        for _ in range(60):
            a, b = rng.choice(people), rng.choice(policies)
            start = time.perf_counter()
            shortest(G, a, b, k=5, max_hops=4)
            times.append(time.perf_counter() - start)
        times.sort()
        out["paths"] = {"p50_ms": 1000 * times[len(times) // 2],
                        "p95_ms": 1000 * times[int(len(times) * 0.95) - 1], "queries": len(times)}
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


WORKERS: dict[str, Callable[[str], dict[str, Any]]] = {
    "reference": worker_reference, "cold": worker_cold, "cached": worker_cached,
    "inprocess": worker_inprocess, "queries": worker_queries,
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
        inproc = [_spawn("inprocess", data, env) for _ in range(repeat)]
        result["inprocess_s"] = _median(inproc)
    log(f"{size}: warm {result['warm_s']:.3f}s (cold {result['cold_same_s']:.2f}s), "
        f"unchanged {result['unchanged_s']:.3f}s, in-process {result['inprocess_s']:.3f}s")
    result["queries"] = _spawn("queries", folder)
    return result


def _fmt_ratio(value: float, ref: float) -> str:
    return f"{value / ref:.3f}x" if ref else "-"


def _query_cell(value: Any, fmt: Callable[[dict[str, Any]], str]) -> str:
    return fmt(value) if isinstance(value, dict) else str(value)


def table(results: list[dict[str, Any]]) -> list[str]:
    head = ["figure"] + [f"{r['size']} ({r['relations']:,} rel, {r['entities']:,} ent, {r['files']} files)" for r in results]
    rows: list[list[str]] = [
        ["fact files size", *[f"{r['bytes'] / 1e6:.1f} MB" for r in results]],
        ["reference: PyYAML CSafeLoader", *[f"{r['reference_s']:.3f} s" for r in results]],
        ["cold load (parse+validate+build)", *[f"{r['cold_s']:.3f} s" for r in results]],
        ["cold / reference (target <= 0.25)", *[_fmt_ratio(r["cold_s"], r["reference_s"]) for r in results]],
        ["peak memory, cold load (target <= 1.5 GB)", *[f"{r['cold_peak_mb']:.0f} MB" for r in results]],
        ["cold load of the edited copy", *[f"{r['cold_same_s']:.3f} s" for r in results]],
        ["warm rebuild, one file edited (new process)", *[f"{r['warm_s']:.3f} s" for r in results]],
        ["warm / cold (target <= 0.05)", *[_fmt_ratio(r["warm_s"], r["cold_same_s"]) for r in results]],
        ["warm rebuild, one file edited (same process)", *[f"{r['inprocess_s']:.3f} s" for r in results]],
        ["same process / cold", *[_fmt_ratio(r["inprocess_s"], r["cold_same_s"]) for r in results]],
        ["load, nothing edited (new process)", *[f"{r['unchanged_s']:.3f} s" for r in results]],
        ["path queries k=5, <=4 hops: p50 / p95 (target p95 <= 50 ms)",
         *[_query_cell(r["queries"]["paths"], lambda q: f"{q['p50_ms']:.1f} / {q['p95_ms']:.1f} ms") for r in results]],
        ["stances of the most-cited policy", *[_query_cell(r["queries"]["stances"], lambda q: f"{q['ms']:.1f} ms") for r in results]],
        ["alignment (coalition network)", *[_query_cell(r["queries"]["alignment"], lambda q: f"{q['ms']:.1f} ms") for r in results]],
        ["Neo4j Bolt path: UNWIND batches vs one statement per row (target >= 10x)",
         *[NOT_AVAILABLE + " (no Neo4j exporter on main yet)" for _ in results]],
        ["map: time to interactive vs pyvis defaults (target <= 0.2x); HTML size",
         *[NOT_AVAILABLE + " (no map on main yet)" for _ in results]],
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
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
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="actorgraph benchmarks")
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZE") or "1k,10k,100k",
                        help="comma-separated sizes (1k, 10k, 100k)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each figure (median kept)")
    parser.add_argument("--output", default=str(RESULTS), help="Markdown file to write")
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
    lines = table(results)
    print("\n".join(lines))
    doc = ["# actorgraph benchmarks", "",
           f"Written by `make bench` ({' '.join(['python -m benchmarks.run', '--sizes', ','.join(sizes), '--repeat', str(args.repeat)])}) "
           f"on {started}. Each figure is the median of {args.repeat} runs, each in a fresh process, "
           "alternating with its reference in the same run.", "", *machine(), "", *lines, "",
           "Targets (issue 7): " + "; ".join(TARGETS.values()) + ".", "",
           "The warm rebuild edits one quote in one file of a private copy of the data, with a private "
           "cache directory; \"new process\" is what the command line sees, \"same process\" is a second "
           "`graph.load` in a notebook or a long-running program.", ""]
    Path(args.output).write_text("\n".join(doc), encoding="utf-8")
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
