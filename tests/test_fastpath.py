"""The fast paths give exactly what the reference paths give.

The fast YAML reader (loaders/yamlfast.py) must return the reference
reader's tree - values, types and every mark - or step aside; the quick
relation check must record what the full check records; the direct graph
build must equal one made with networkx's own add_node/add_edge.
"""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import pytest

import loaders.factbase as factbase_module
import loaders.yamlfast as yamlfast
from broken_cases import BASE, CASES
from conftest import DATASET, ROOT
from loaders import FactError, load_factbase
from loaders.yamlfast import UNSUPPORTED, read_fast
from loaders.yamlread import MAX_DEPTH, MAX_NODES, MarkedList, MarkedMap, _read_events

TRICKY = [
    "a: 1\n", "a:\n", "a: ~\nb: null\nc: Null\nd: NULL\ne: ''\nf: \"\"\n", "a: \"null\"\nb: '~'\n",
    "a: 'it''s'\nb: \"say 'hi'\"\n", "a: x # comment\nb: x#y\nc: 'q' # c\n", "a: x:y\nb: http://x.org/a?b=c#d\n",
    "a: [x, y z, 'q']\nb: []\nc: [ a ,b ]\nd: [a,]\ne: [a, [b]]\nf: [a: b]\n",
    "a:\n- x\n- y\nb: z\n", "a:\n  - x\n  -   y\n", "a:   # note\n  b: c\n", "a: # note\nb: c\n",
    "# top\n\na: b\n\n  # indented comment\nc: d\n", "a: Raymond López – “quoted” 🙂\n", "a: non\u00a0breaking\n",
    "a: trailing   \nb: x  \n", "a: multi\n  line\n", "a: x\n   b: y\n", "a:\n  b: c\n   d: e\n",
    "a: &x v\nb: *x\n", "a: !tag v\n", "a: |\n  block\n", "a: >\n  folded\n", "a: {b: c}\n", "- a\n", "a\n",
    "a: b\na: c\n", "a: 'x\n  y'\n", "a: \"x\\ty\"\n", "? a\n: b\n", "a: -5\nb: -x\nc: - y\n", "---\na: b\n",
    "a: b\n...\n", "%YAML 1.1\n---\na: b\n", "a: b\r\nc: d\r\n", "a:\tb\n", "a: b\u2028c\n", "a: b\x85\n",
    "a: \ufeffb\n", "a: @x\n", "a: `x`\n", "a: %x\n", "a: ,x\n", "a: x,\n", "a: ]\n", "a: 'x' y\n", "a: \"x\"y\n",
    "a:\n  - b: c\n    d:\n  - e: f\n", "a:\n  -\n    b: c\n", "a:\n  - - x\n", "a:\n- b: c\n  d:\n  - e\nf: g\n",
    "a:\n  b:\n    c:\n      d: e\n", "a: b\n  # comment\nc: d\n", "a: 'x'  # c\n", "a: 'x'#c\n", "a:b\n",
    "_k-1: v\n", "k : v\n", "'k': v\n", "a: [b, 'c, d']\n", "a: [b # c\n  , d]\n", "a: 0x1F\nb: 1e3\nc: yes\nd: no\n",
]


def _same(fast: object, ref: object, where: str = "doc") -> None:
    assert type(fast) is type(ref), f"{where}: {type(fast).__name__} != {type(ref).__name__}"
    if isinstance(ref, MarkedMap):
        assert fast.mark == ref.mark, where  # type: ignore[union-attr]
        assert list(fast) == list(ref), where  # type: ignore[call-overload]
        assert fast.key_marks == ref.key_marks, where  # type: ignore[union-attr]
        assert fast.value_marks == ref.value_marks, where  # type: ignore[union-attr]
        for key in ref:
            _same(fast[key], ref[key], f"{where}.{key}")  # type: ignore[index]
    elif isinstance(ref, MarkedList):
        assert fast.mark == ref.mark and fast.item_marks == ref.item_marks, where  # type: ignore[union-attr]
        assert len(fast) == len(ref), where  # type: ignore[arg-type]
        for i, (a, b) in enumerate(zip(fast, ref)):  # type: ignore[call-overload]
            _same(a, b, f"{where}[{i}]")
    else:
        assert fast == ref, where


def _check(text: str) -> bool:
    """The fast tree equals the reference tree; True when the fast reader took it."""
    fast = read_fast(text)
    if fast is UNSUPPORTED:
        return False
    diagnostics: list = []
    ref = _read_events("x.yaml", text, diagnostics, MAX_DEPTH, MAX_NODES)
    assert diagnostics == [], f"fast reader accepted a text the reference rejects: {text!r}"
    _same(fast, ref)
    return True


def _corpus() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(DATASET.rglob("*.yaml"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "schema").glob("*.yaml"))]
    texts.append(BASE)
    texts += [t for _, t, _ in CASES if isinstance(t, str)]
    return texts


def test_fast_reader_agrees_on_the_dataset_schema_and_broken_cases():
    taken = [_check(text) for text in _corpus()]
    assert sum(taken) >= 10  # the fast path really runs, not only its fallback


@pytest.mark.parametrize("text", TRICKY)
def test_fast_reader_agrees_or_steps_aside_on_tricky_yaml(text):
    _check(text)


def test_fast_reader_agrees_on_fuzzed_fact_files():
    rng = random.Random(1234)
    seeds = [t for t in _corpus() if read_fast(t) is not UNSUPPORTED]
    pieces = [":", ": ", " #", "#", "-", "- ", "'", '"', "[", "]", "{", "&a ", "*a", "!", "|", ">", "  ", "\t",
              "~", "null", ",", "?", "%", "@", "\u00e9", "\u201c", "\u2028", "\n", "\n  ", "\n- ", "x: y", "\\"]
    taken = 0
    for _ in range(600):
        lines = rng.choice(seeds).split("\n")
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(lines))
            line = lines[i]
            op = rng.random()
            if op < 0.5:
                at = rng.randint(0, len(line))
                lines[i] = line[:at] + rng.choice(pieces) + line[at:]
            elif op < 0.65 and line:
                at = rng.randrange(len(line))
                lines[i] = line[:at] + line[at + 1:]
            elif op < 0.8:
                lines.insert(i, lines[rng.randrange(len(lines))])
            elif op < 0.9:
                lines[i] = " " * rng.randint(0, 3) + line
            else:
                del lines[i]
        taken += _check("\n".join(lines))
    assert taken > 100


def _factbase(paths, *, fast: bool, monkeypatch):
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(yamlfast, "read_fast", lambda text, **bounds: UNSUPPORTED)
            patch.setattr(factbase_module, "_clean_relation", lambda run, m: False)
        try:
            return load_factbase(paths, limits=None), None
        except FactError as exc:
            return None, [str(d) for d in exc.diagnostics]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_fast_and_reference_paths_report_the_same(name, text, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "case.yaml").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    fast = _factbase(["base.yaml", "case.yaml"], fast=True, monkeypatch=monkeypatch)
    ref = _factbase(["base.yaml", "case.yaml"], fast=False, monkeypatch=monkeypatch)
    assert fast == ref
    assert fast[1] is not None and [d for d in fast[1]] == expected


def _records(fb):
    return (list(fb.sources.items()), list(fb.entities.items()),
            [(k, r, dict(r.properties)) for k, r in fb.relations.items()])


def test_fast_and_reference_paths_give_the_same_records(tmp_path, monkeypatch):
    from benchmarks.generate import generate

    synthetic = generate("1k", tmp_path / "synthetic")
    for paths in ([str(DATASET)], [str(synthetic)]):
        fast, fast_errors = _factbase(paths, fast=True, monkeypatch=monkeypatch)
        ref, ref_errors = _factbase(paths, fast=False, monkeypatch=monkeypatch)
        assert fast_errors is None and ref_errors is None
        assert _records(fast) == _records(ref)


def _reference_build(fb) -> nx.MultiDiGraph:
    """The core as networkx's public API builds it, to check the direct fill."""
    from graph.core import _edge_attrs, _empty_graph, _node_attrs

    G = _empty_graph(fb)
    for e in fb.entities.values():
        G.add_node(e.id, **_node_attrs(e, fb.vocabulary))
    for r in fb.relations.values():
        G.add_edge(r.source, r.target, key=r.id, **_edge_attrs(r, fb.vocabulary))
    return G


def snapshot(G: nx.MultiDiGraph) -> tuple:
    """Everything a reader of the core can see, in iteration order."""
    return (
        {k: v for k, v in G.graph.items() if k != "vocabulary"},
        list(G.nodes(data=True)),
        list(G.edges(keys=True, data=True)),
        list(G.in_edges(keys=True, data=True)),
        [(u, list(G.succ[u]), list(G.pred[u])) for u in G],
    )


def test_direct_build_equals_networkx_build(tmp_path):
    from benchmarks.generate import generate
    from graph.core import build

    for path in (DATASET, generate("1k", tmp_path / "synthetic")):
        fb = load_factbase([str(path)])
        G = build(fb)
        assert snapshot(G) == snapshot(_reference_build(fb))
        assert all(G._pred[v][u] is G._succ[u][v] for u in G for v in G._succ[u])
