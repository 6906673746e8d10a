"""Property tests: whatever the bytes, the loader answers with its own errors.

Three families of input, each fed to the real loader through a file:

* arbitrary bytes and arbitrary text;
* arbitrary YAML trees (mappings, lists, scalars, with the fact format's own
  keys, kinds, types, ids and dates mixed into random ones), dumped in
  every YAML style and then damaged at random places;
* the shipped dataset with one file damaged at random places by tokens of
  the format (ids, kinds, types, dates, indicators), which reaches the
  reference, range, date and merge checks that random YAML rarely does;
* valid fact bases with arbitrary Unicode names, descriptions and quotes,
  which must load and come back byte-exact through ``export json``.

The only exception allowed out of ``load_factbase`` is ``FactError``; each
diagnostic must be one printable line at a real place of the file. The
default profile keeps ``make test`` short; ``make fuzz`` runs the same
properties with many more examples (tests/conftest.py, profile "fuzz").
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

import graph
from conftest import DATASET
from graph.export_json import generate_json
from loaders import FactBase, FactError, Limits, load_factbase, load_vocabulary
from loaders.errors import printable

VOCAB = load_vocabulary()
KINDS = sorted(VOCAB.kinds)
TYPES = sorted(VOCAB.relations)
KEYS = ["sources", "entities", "relations", "id", "kind", "name", "aliases", "description", "type", "from", "to",
        "date", "start", "end", "cite", "source", "quote", "text", "title", "publisher", "author", "published",
        "url", "party", "status", "place", "motion", "result", "yes", "no", "action", "role"]
# Small limits so that a generated bomb is found quickly, not slowly.
LIMITS = Limits(max_file_bytes=256 * 1024, max_nodes=20_000, max_depth=16, max_errors=200)
CHECK = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], deadline=None)


def load_file(folder: Path, data: bytes) -> FactBase | None:
    """Load one file's bytes; check the contract of every outcome."""
    path = folder / "case.yaml"
    path.write_bytes(data)
    try:
        fb = load_factbase([path], vocabulary=VOCAB, limits=LIMITS)
    except FactError as exc:
        lines = data.decode("utf-8", "replace").splitlines() or [""]
        assert exc.diagnostics, "a FactError carries at least one diagnostic"
        for d in exc.diagnostics:
            assert d.path == str(path)
            assert 1 <= d.line <= len(lines) + 1, d
            assert d.col >= 1, d
            assert "\n" not in str(d) and str(d) == printable(str(d)), d
            assert d.message and not d.message.startswith(" "), d
        event("rejected: " + exc.diagnostics[0].message.split(" ")[0].split(":")[0])
        return None
    event("loaded")
    return fb


# -- arbitrary bytes and text ----------------------------------------------------

@CHECK
@given(data=st.binary(max_size=2000))
@example(data=b"\xef\xbb\xbf")  # a BOM alone
@example(data=b"a: &x [*x]")  # an alias to itself
def test_arbitrary_bytes(tmp_path_factory, data):
    load_file(tmp_path_factory.mktemp("b"), data)


@CHECK
@given(text=st.text(max_size=2000))
@example(text="entities:\n  - {id: x, kind: person, name: \"\\ud800\"}\n")
@example(text="[" * 5000)
def test_arbitrary_text(tmp_path_factory, text):
    load_file(tmp_path_factory.mktemp("t"), text.encode("utf-8", "surrogatepass"))


# -- arbitrary YAML trees, dumped in every style, then damaged ---------------------

words = st.one_of(
    st.sampled_from(KEYS + KINDS + TYPES + ["s1", "x", "y", "2025", "2025-01", "2025-02-30", "~", "null", "no", "", " "]),
    st.text(max_size=12),
)
scalars = st.one_of(words, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=True))
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(words, inner, max_size=6)),
    max_leaves=40,
)
fact_like = st.dictionaries(st.sampled_from(["sources", "entities", "relations"]),
                            st.lists(st.dictionaries(words, trees, max_size=7), max_size=4), max_size=3)


@st.composite
def yaml_documents(draw) -> bytes:
    doc = draw(st.one_of(fact_like, trees))
    style = draw(st.sampled_from([None, "'", '"', "|", ">"]))
    flow = draw(st.sampled_from([None, True, False]))
    text = yaml.dump(doc, default_style=style, default_flow_style=flow, allow_unicode=draw(st.booleans()),
                     sort_keys=False, width=draw(st.sampled_from([20, 80, 10**6])))
    # Damage: insert, delete or replace a few characters at drawn places.
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        what = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.sampled_from(["\t", ":", "- ", "&a ", "*a", "!!str ", "{", "]", "\n", "'", '"', "#", "\r\n", "\ufeff"]))
        if what == "insert":
            text = text[:at] + piece + text[at:]
        elif what == "delete":
            text = text[:at] + text[at + 3:]
        else:
            text = text[:at] + piece + text[at + len(piece):]
    return text.encode("utf-8")


@CHECK
@given(data=yaml_documents())
def test_arbitrary_yaml(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("y")
    fb = load_file(folder, data)
    again = load_file(folder, data)  # deterministic: the same answer twice
    assert (fb is None) == (again is None)
    if fb is not None:
        json.dumps(generate_json(graph.build(fb)), ensure_ascii=False)


# -- the dataset, damaged --------------------------------------------------------

DATASET_FILES = {p.relative_to(DATASET).as_posix(): p.read_text(encoding="utf-8") for p in sorted(DATASET.rglob("*.yaml"))}
TOKENS = sorted({*KINDS, *TYPES, "raymond-lopez", "Lopez", "ICE", "CPD", "s-000", "s-999", "2025-01", "2024-12",
                 "2025-02-30", "- ", ": ", "\n  - ", "\n    ", "&a ", "*a", "'", '"', "~", "[", "]", "{", "}", "#",
                 "id: x\n", "from: ", "to: ", "date: ", "start: ", "end: ", "cite: ", "quote: ", "source: "})


@st.composite
def damaged_dataset(draw) -> tuple[str, str]:
    name = draw(st.sampled_from(sorted(DATASET_FILES)))
    text = DATASET_FILES[name]
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        token = draw(st.sampled_from(TOKENS))
        cut = draw(st.integers(0, 12))
        text = text[:at] + token + text[at + cut:]
    return name, text


@settings(CHECK, max_examples=max(10, settings().max_examples // 3))
@given(case=damaged_dataset())
def test_damaged_dataset(tmp_path_factory, case):
    name, text = case
    folder = tmp_path_factory.mktemp("d")
    for other, content in DATASET_FILES.items():
        (folder / other).parent.mkdir(parents=True, exist_ok=True)
        (folder / other).write_text(text if other == name else content, encoding="utf-8")
    try:
        fb = load_factbase([folder], vocabulary=VOCAB, limits=LIMITS)
    except FactError as exc:
        for d in exc.diagnostics:
            assert Path(d.path).is_relative_to(folder) and d.line >= 1 and d.col >= 1, d
            assert "\n" not in str(d) and str(d) == printable(str(d)), d
        event("rejected")
        return
    event("loaded")
    G = graph.build(fb)
    for _, _, attrs in G.edges(data=True):  # the core's contract holds for whatever loaded
        assert attrs["citations"] and all(c["source"] in G.graph["sources"] for c in attrs["citations"])
    assert all(attrs["name"].strip() and attrs["kind"] in VOCAB.kinds for _, attrs in G.nodes(data=True))
    json.dumps(generate_json(G), ensure_ascii=False)


# -- valid fact bases with arbitrary text: byte-exact through export json --------

# Everything a person can type: no control characters (the loader refuses
# them, see the broken cases), no lone surrogates (not text).
typed = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"),
                min_size=1, max_size=40).filter(lambda s: s.strip())
multiline = st.lists(typed, min_size=1, max_size=3).map("\n".join) | st.lists(typed, min_size=1, max_size=3).map("\r\n".join)
slugs = st.from_regex(r"\A[a-z0-9][a-z0-9._-]{0,30}\Z")


@st.composite
def fact_bases(draw) -> dict:
    ids = draw(st.lists(slugs, min_size=2, max_size=6, unique=True))
    people = [{"id": i, "kind": "person", "name": draw(typed), "aliases": draw(st.lists(typed, max_size=3)),
               "description": draw(multiline), "party": draw(typed)} for i in ids[:-1]]
    policy = {"id": ids[-1], "kind": "policy", "name": draw(typed), "status": draw(typed)}
    relations = [{"type": draw(st.sampled_from(["sponsors", "supports", "opposes"])), "from": p["id"], "to": policy["id"],
                  "description": draw(typed), "cite": [{"source": "s1", "quote": draw(multiline)}]} for p in people]
    source = {"id": "s1", "title": draw(typed), "publisher": draw(typed), "author": draw(typed), "url": draw(typed)}
    assume("s1" not in ids)
    return {"sources": [source], "entities": [*people, policy], "relations": relations}


@CHECK
@given(facts=fact_bases(), style=st.sampled_from([None, '"', "'", "|"]))
def test_any_text_round_trips_through_export_json(tmp_path_factory, facts, style):
    text = yaml.dump(facts, allow_unicode=True, sort_keys=False, default_style=style, width=10**6)
    fb = load_file(tmp_path_factory.mktemp("v"), text.encode("utf-8"))
    assert fb is not None, "valid facts must load"
    doc = json.loads(json.dumps(generate_json(graph.build(fb)), ensure_ascii=False))
    nodes = {n["id"]: n for n in doc["nodes"]}
    for e in facts["entities"]:
        got = nodes[e["id"]]
        assert got["name"] == e["name"] and got["aliases"] == list(dict.fromkeys(e.get("aliases", [])))
        assert got["description"] == e.get("description")
        assert got.get("party", got.get("status")) == e.get("party", e.get("status"))
    quotes = sorted(c["quote"] for edge in doc["edges"] for c in edge["citations"])
    assert quotes == sorted(r["cite"][0]["quote"] for r in facts["relations"])
    (source,) = doc["graph"]["sources"]
    assert {k: source[k] for k in ("title", "publisher", "author", "url")} == {
        k: facts["sources"][0][k] for k in ("title", "publisher", "author", "url")}



@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_folding_ascii_names_collapses_whitespace_as_the_general_rule_does(text):
    import re
    from loaders.names import fold

    # The ASCII shortcut must fold exactly as the Unicode path's rule.
    assert fold(text) == re.sub(r"\s+", " ", text.lower()).strip()


@given(st.text(alphabet=st.sampled_from("ab Z\t\u00a0\u2013\u2014\u2212\u2019\u201c\u00e9\u0301\u00df\u1e9e\u00b4\u2032-"),
               max_size=30))
def test_folding_names_with_dashes_and_quotes_as_the_general_rule_does(text):
    import re
    import unicodedata

    from loaders.names import _DASHES, _QUOTES, fold

    # A name that is ASCII once its dashes and quotes are replaced takes a
    # shortcut; it must fold exactly as the general rule.
    decomposed = unicodedata.normalize("NFKD", text.translate(_DASHES).translate(_QUOTES))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    assert fold(text) == re.sub(r"\s+", " ", stripped.casefold()).strip()
