"""The fast paths give exactly what the reference paths give.

The fast YAML reader must return the reference reader's tree - values,
types and every mark - or step aside. It exists twice, in Python
(loaders/yamlfast.py, the specification) and compiled
(loaders/_yamlfast.c): every check runs on both, and the compiled one must
also give the Python one's exact tree (same objects' types, marks, key
lines) and give up on exactly the same texts; the quick
relation check must record what the full check records; the direct graph
build must equal one made with networkx's own add_node/add_edge.
"""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

import loaders.factbase as factbase_module
import loaders.yamlfast as yamlfast
from broken_cases import BASE, CASES
from conftest import DATASET, ROOT
from loaders import FactError, load_factbase
from loaders.yamlfast import UNSUPPORTED, compiled_reader, read_fast, read_fast_py
from loaders.yamlread import MAX_DEPTH, MAX_NODES, Mark, MarkedList, MarkedMap, _read_events


def _compiled(text, *, max_depth=MAX_DEPTH, max_nodes=MAX_NODES):
    reader = compiled_reader()
    if reader is None:
        pytest.fail("loaders._yamlfast is not built: run `make install` (needs a C compiler)")
    return reader(text, max_depth, max_nodes)


READERS = {"c": _compiled, "python": read_fast_py}


@pytest.fixture(params=sorted(READERS))
def reader(request):
    return READERS[request.param]

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


def _dump(node: object) -> object:
    """Everything the fast readers store, in order, with the classes of it."""
    if isinstance(node, MarkedMap):
        assert not hasattr(node, "path") and not hasattr(node, "_key_marks")
        return ("map", _mark(node.mark), [(k, _dump(v)) for k, v in node.items()],
                [(k, _mark(m)) for k, m in node.value_marks.items()], getattr(node, "_key_lines", None))
    if isinstance(node, MarkedList):
        return ("list", _mark(node.mark), [_dump(v) for v in node], [_mark(m) for m in node.item_marks])
    return (type(node).__name__, node)


def _mark(mark: object) -> object:
    assert type(mark) is Mark and all(type(x) is int for x in mark), mark  # type: ignore[attr-defined]
    return tuple(mark)  # type: ignore[arg-type]


def _check(text: str, reader=read_fast, **bounds) -> bool:
    """The fast tree equals the reference tree; True when the fast reader took it.

    The compiled reader must also equal the Python one exactly, giving up
    where it gives up.
    """
    fast = reader(text, **bounds)
    if reader is not read_fast_py:
        python = read_fast_py(text, **bounds)
        assert (fast is UNSUPPORTED) == (python is UNSUPPORTED), f"one reader gave up, not the other: {text!r}"
        if fast is not UNSUPPORTED:
            assert _dump(fast) == _dump(python), text
    if fast is UNSUPPORTED:
        return False
    diagnostics: list = []
    ref = _read_events("x.yaml", text, diagnostics, bounds.get("max_depth", MAX_DEPTH),
                       bounds.get("max_nodes", MAX_NODES))
    assert diagnostics == [], f"fast reader accepted a text the reference rejects: {text!r}"
    _same(fast, ref)
    return True


def _corpus() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(DATASET.rglob("*.yaml"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "schema").glob("*.yaml"))]
    texts.append(BASE)
    texts += [t for _, t, _ in CASES if isinstance(t, str)]
    return texts


def test_the_compiled_reader_is_built_and_used(monkeypatch):
    # `make install` compiles it (hatch_build.py); without it every "c" case fails too.
    assert compiled_reader() is not None, "loaders._yamlfast is not built: run `make install` (needs a C compiler)"
    monkeypatch.setattr(yamlfast, "read_fast_py", None)  # read_fast must not need it
    assert read_fast("a: b\n") == {"a": "b"}


def test_fast_reader_agrees_on_the_dataset_schema_and_broken_cases(reader):
    taken = [_check(text, reader) for text in _corpus()]
    assert sum(taken) >= 10  # the fast path really runs, not only its fallback


@pytest.mark.parametrize("text", TRICKY)
def test_fast_reader_agrees_or_steps_aside_on_tricky_yaml(text, reader):
    _check(text, reader)


@pytest.mark.parametrize("max_depth", [0, 1, 2, 3, 4, 5])
@pytest.mark.parametrize("max_nodes", [0, 5, 11, 12, 40])
def test_fast_readers_agree_at_the_bounds(max_depth, max_nodes, reader):
    text = "a:\n  b:\n    - c: [d, e]\n      f: g\nh: i\n"
    _check(text, reader, max_depth=max_depth, max_nodes=max_nodes)


def test_fast_reader_agrees_on_fuzzed_fact_files(reader):
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
        taken += _check("\n".join(lines), reader)
    assert taken > 100


# Documents near the edges of the subset: fact-file-like trees written in
# every spelling the readers take (plain, quoted, flow lists, comments,
# odd indents), then damaged with the indicators, quotes, comment marks and
# characters they treat specially, read under every bound.
_TEXT = 8 * ["a", "b c", "id-1", "é", "“q”", "🙂", "0", "x:y", "x#y", "a, b", "[x]", "it's"] + [
    "~", "null", "NULL", "-x", "x -", "a: b", "q'", "", " ", "x ", "\\n", "#", "&a", "x # c", "x:"]
_scalars = st.one_of(
    st.sampled_from(_TEXT),
    st.sampled_from(_TEXT).map(lambda w: "'" + w.replace("'", "''") + "'"),
    st.sampled_from(_TEXT).map(lambda w: '"' + w + '"'),
    st.lists(st.sampled_from(["a", "b c", "é", "0", "~", "x y", "'q'", "", "[b]"]), max_size=3)
    .map(lambda xs: "[" + ",".join(xs) + "]"),
)
_KEYS = 4 * ["a", "b", "id", "k-1", "_x", "Ab9"] + ["a b", "9", "-", "a:b"]
_trees = st.recursive(_scalars, lambda kids: st.lists(kids, min_size=1, max_size=3)
                      | st.dictionaries(st.sampled_from(_KEYS), kids, min_size=1, max_size=3), max_leaves=12)
_BITS = [":", ": ", " #", "#", "-", "- ", "'", "''", '"', "\\", "[", "]", ",", "{", "}", "&", "*", "!", "|", ">", "?",
         "%", "@", "`", "  ", " ", "\t", "\r", "\x85", "\u2028", "\ufeff", "\x7f", "\x00", "\ud800", "\n", "\n  ",
         "~", "null", "\n# c\n", "\n\n"]


@st.composite
def _documents(draw) -> str:
    lines: list[str] = []

    def after() -> str:
        return draw(st.sampled_from(["", "", " ", "  # c", " #c"]))

    def block(node, indent: int, dash: str = "") -> None:
        step = draw(st.sampled_from([2, 2, 1, 4]))
        if isinstance(node, dict):
            first = True
            for key, value in node.items():
                lead = " " * indent + (dash if first else " " * len(dash))
                first = False
                if isinstance(value, str):
                    lines.append(f"{lead}{key}:{draw(st.sampled_from([' ', '  ']))}{value}{after()}")
                else:
                    lines.append(f"{lead}{key}:{after()}")
                    block(value, indent + len(dash) + draw(st.sampled_from([step, 0])) * isinstance(value, list)
                          + step * isinstance(value, dict))
        else:
            for i, item in enumerate(node):
                lead = " " * indent + (dash if i == 0 else " " * len(dash))
                if isinstance(item, str):
                    lines.append(f"{lead}- {item}{after()}")
                elif isinstance(item, dict):
                    block(item, 0, lead + draw(st.sampled_from(["- ", "-  "])))
                else:
                    lines.append(f"{lead}-")
                    block(item, indent + len(dash) + step)
            if draw(st.booleans()):
                lines.append(" " * draw(st.integers(0, 4)) + draw(st.sampled_from(["", "# note"])))

    block(draw(st.dictionaries(st.sampled_from(_KEYS), _trees, min_size=1, max_size=4)), 0)
    text = "\n".join(lines) + draw(st.sampled_from(["", "\n"]))
    for at, bit in draw(st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(_BITS)), max_size=2)
                        | st.just([])):
        at %= len(text) + 1
        text = text[:at] + bit + text[at:]
    return text


@settings(max_examples=5 * settings().max_examples, deadline=None)
@given(text=_documents(), max_depth=st.sampled_from([MAX_DEPTH, MAX_DEPTH, 2, 3, 4]),
       max_nodes=st.sampled_from([MAX_NODES, MAX_NODES, 3, 10, 20]))
@example(text="a:\n  - b: 'c''d'\n    e: [f, g]\n", max_depth=MAX_DEPTH, max_nodes=MAX_NODES)
def test_compiled_and_python_readers_agree_near_the_edges(text, max_depth, max_nodes):
    taken = _check(text, _compiled, max_depth=max_depth, max_nodes=max_nodes)
    event("read" if taken else "given up")


def _factbase(paths, *, fast: bool, monkeypatch, python: bool = False):
    with monkeypatch.context() as patch:
        if python:
            # pure Python: the Python reader, no compiled relation path
            patch.setattr(yamlfast, "read_fast", read_fast_py)
            patch.setattr(factbase_module, "_compiled_relations", lambda: None)
        if not fast:
            patch.setattr(yamlfast, "read_fast", lambda text, **bounds: UNSUPPORTED)
            patch.setattr(factbase_module, "_clean_relation", lambda run, m: None)
            patch.setattr(factbase_module, "_clean_entity", lambda run, m: None)
            patch.setattr(factbase_module, "_compiled_relations", lambda: None)
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
    python = _factbase(["base.yaml", "case.yaml"], fast=True, monkeypatch=monkeypatch, python=True)
    ref = _factbase(["base.yaml", "case.yaml"], fast=False, monkeypatch=monkeypatch)
    assert fast == ref and python == ref
    assert fast[1] is not None and [d for d in fast[1]] == expected


def _records(fb):
    return (list(fb.sources.items()), list(fb.entities.items()),
            [(k, r, dict(r.properties)) for k, r in fb.relations.items()])


def test_fast_and_reference_paths_give_the_same_records(tmp_path, monkeypatch):
    from benchmarks.generate import generate

    synthetic = generate("1k", tmp_path / "synthetic")
    for paths in ([str(DATASET)], [str(synthetic)]):
        fast, fast_errors = _factbase(paths, fast=True, monkeypatch=monkeypatch)
        python, python_errors = _factbase(paths, fast=True, monkeypatch=monkeypatch, python=True)
        ref, ref_errors = _factbase(paths, fast=False, monkeypatch=monkeypatch)
        assert fast_errors is None and python_errors is None and ref_errors is None
        assert _records(fast) == _records(ref) == _records(python)


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


def test_compiled_edge_attributes_equal_the_python_ones(tmp_path):
    from benchmarks.generate import generate
    from graph.core import _compiled_edge_attrs, _EdgeAttrs

    assert _compiled_edge_attrs() is not None, "loaders._yamlfast is not built: run `make install`"
    for path in (DATASET, generate("1k", tmp_path / "synthetic")):
        fb = load_factbase([str(path)])
        compiled, python = _EdgeAttrs(fb.vocabulary), _EdgeAttrs(fb.vocabulary, compiled=False)
        assert compiled.make is not python.make
        for r in fb.relations.values():
            a, b = compiled(r), python(r)
            assert a == b and list(a) == list(b)
            assert [list(c) for c in a["citations"]] == [list(c) for c in b["citations"]]
