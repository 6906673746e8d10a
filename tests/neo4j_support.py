"""Helpers of the Neo4j-path tests: the linter, hostile facts, expectations from the core.

The expectations restate the README's mapping from the core's attribute
contract, without calling the mapping code under test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

import graph
from conftest import ROOT

LINT_DIR = ROOT / "tests" / "lint"

# Every kind of trouble a value can make in Cypher, CSV, XML or a shell.
HOSTILE = [
    "O'Brien \"the\" `tick` ``double``",
    "{braces} $dollar $rows ${x} $$",
    "line1\nline2\r\nline3\ttab\n",
    "// comment ; DROP ; /* c */ -- x;",
    "'}) DETACH DELETE n //",
    "\\ backslash \\\\ \\n \\u0041 \\' \\",
    "é 漢字 🙂 \u200d\u202e RTL \u2028 \u00a0 nbsp",
    "\x1b[31m esc \x07 bell \x7f del",
    "MATCH (n) DETACH DELETE n; :param x => 1",
    "<script>alert(1)</script> & &amp; ]]>",
    "a|b¦c,d\"e\"\"f",
    " leading and trailing spaces ",
]
LONG = "10 KB of text with every trouble: " + "".join(HOSTILE)
LONG = (LONG * (10240 // len(LONG) + 1))[:10240]


#: the characters XML 1.0 cannot hold (GraphML and GEXF refuse them)
NOT_XML = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r")


def write_hostile_facts(folder: Path, *, xml: bool = False) -> Path:
    """A small fact base whose every free-text field is hostile (``xml``: without what XML cannot hold)."""
    folder.mkdir(parents=True, exist_ok=True)
    drop = {ord(c): None for c in NOT_XML} if xml else {}
    h = [x.translate(drop) for x in HOSTILE]
    long = LONG.translate(drop)
    doc = {
        "sources": [
            {"id": "src-1", "title": h[0], "publisher": h[1], "author": h[2], "url": h[3], "published": "2024-02"},
            {"id": "src-2", "title": long},
        ],
        "entities": [
            {"id": "p-one", "kind": "person", "name": h[4], "aliases": [h[5], h[6]], "description": h[7],
             "party": h[8]},
            {"id": "p-two", "kind": "person", "name": h[9], "aliases": [h[10]], "description": long},
            {"id": "police-x", "kind": "police", "name": h[11], "aliases": [], "description": h[0]},
            {"id": "law-x", "kind": "ordinance", "name": h[1] + " ordinance", "status": h[2], "date": "2021"},
            {"id": "vote-x", "kind": "vote", "name": h[3] + " vote", "date": "2025-01-15", "motion": h[4],
             "result": "passed", "yes": "27", "no": "0", "place": "city-x"},
            {"id": "city-x", "kind": "city", "name": h[5] + " city"},
        ],
        "relations": [
            {"type": "sponsors", "from": "p-one", "to": "law-x", "date": "2024-02",
             "description": long, "cite": [{"source": "src-1", "quote": h[6]}, {"source": "src-2"},
                                           {"source": "src-2", "quote": long}]},
            {"type": "opposes", "from": "p-two", "to": "law-x", "start": "2020", "end": "2024-06",
             "description": h[7], "cite": [{"source": "src-1", "quote": h[8]}]},
            {"id": "threat-1", "type": "threatens", "from": "p-two", "to": "police-x", "action": h[9],
             "cite": [{"source": "src-2", "quote": h[10]}]},
            {"type": "votes_on", "from": "vote-x", "to": "law-x", "motion": h[11], "result": "passed",
             "yes": "27", "no": "0", "cite": [{"source": "src-1"}]},
            {"type": "allied_with", "from": "p-two", "to": "p-one", "start": "2023-05",
             "cite": [{"source": "src-1", "quote": h[0]}]},
            {"type": "member_of", "from": "p-one", "to": "police-x", "role": h[1],
             "cite": [{"source": "src-1", "quote": h[2]}]},
        ],
    }
    path = folder / "facts.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, width=float("inf"), sort_keys=False),
                    encoding="utf-8")
    return folder


# -- the linter -----------------------------------------------------------------

def lint(items: Iterable[tuple[str, Mapping[str, Any]]], *, processes: int = 2) -> list[list[dict[str, Any]]]:
    """Diagnostics of Neo4j's own parser for each (statement, parameters).

    The parser costs ~2 s to load and ~0.1 s a statement, so the items are
    split over a few node processes that run at once.
    """
    node = shutil.which("node")
    if node is None or not (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        pytest.fail("Neo4j's Cypher linter is not installed: run `make deps-linter`")
    payload = [{"query": text, "parameters": {k: _sample(v) for k, v in params.items()}} for text, params in items]
    # big items first, dealt round-robin, so the processes finish together
    order = sorted(range(len(payload)), key=lambda i: -len(payload[i]["query"]))
    shares = [order[i::processes] for i in range(processes)]
    running = [subprocess.Popen([node, str(LINT_DIR / "lint.cjs")], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=LINT_DIR) for share in shares if share]
    for proc, share in zip(running, shares):
        proc.stdin.write(json.dumps([payload[i] for i in share]))
        proc.stdin.close()
    results: list[list[dict[str, Any]]] = [[] for _ in payload]
    for proc, share in zip(running, shares):
        out = proc.stdout.read()
        err = proc.stderr.read()
        assert proc.wait(timeout=600) == 0, err
        for i, diags in zip(share, json.loads(out)):
            results[i] = diags
    return results


def _sample(value: Any) -> Any:
    # the linter needs the parameter's name and shape, not every row
    if isinstance(value, list):
        return value[:1]
    return value


def assert_lints_clean(items: list[tuple[str, Mapping[str, Any]]]) -> int:
    """Lint every statement; fail listing every diagnostic. Returns how many were linted."""
    results = lint(items)
    bad = [(text, diags) for (text, _), diags in zip(items, results) if diags]
    assert not bad, "\n\n".join(f"{text}\n  -> {diags}" for text, diags in bad[:5])
    return len(items)


class RecordingRunner:
    """Passes statements to a runner and keeps each (text, parameters) sent."""

    def __init__(self, runner: Any) -> None:
        self.runner = runner
        self.target = runner.target
        self.sent: list[tuple[str, str, Mapping[str, Any]]] = []

    def read(self, text: str, params: Mapping[str, Any] | None = None) -> Any:
        self.sent.append(("read", text, dict(params or {})))
        return self.runner.read(text, params)

    def write(self, text: str, params: Mapping[str, Any] | None = None) -> Any:
        self.sent.append(("write", text, dict(params or {})))
        return self.runner.write(text, params)


# -- reading a database back -------------------------------------------------------

def snapshot(runner: Any) -> tuple[list[Any], list[Any]]:
    """Everything in the database, comparable: sorted nodes and relationships."""
    nodes = runner.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props").records()
    rels = runner.read(
        "MATCH (a)-[r]->(b) RETURN properties(a) AS a, type(r) AS type, properties(b) AS b, properties(r) AS props"
    ).records()
    key = lambda x: json.dumps(x, sort_keys=True, default=str)  # noqa: E731
    return (sorted(({"labels": sorted(n["labels"]), "props": n["props"]} for n in nodes), key=key),
            sorted(({"a": [r["a"].get("dataset"), r["a"].get("id")], "type": r["type"],
                     "b": [r["b"].get("dataset"), r["b"].get("id")], "props": r["props"]} for r in rels), key=key))


def dataset_of(runner: Any, dataset: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Entities, sources and relationships of one dataset, by id."""
    p = {"dataset": dataset}
    entities = {r["id"]: r for r in runner.read(
        "MATCH (n:Entity {dataset: $dataset}) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props",
        p).records()}
    sources = {r["id"]: r for r in runner.read(
        "MATCH (n:Source {dataset: $dataset}) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props",
        p).records()}
    rels: dict[str, Any] = {}
    for r in runner.read("MATCH (a)-[r {dataset: $dataset}]->(b) RETURN r.id AS id, type(r) AS type, "
                         "a.id AS source, b.id AS target, properties(r) AS props", p).records():
        assert r["id"] not in rels, f"relationship {r['id']} is in the database twice"
        rels[r["id"]] = r
    return entities, sources, rels


# -- what the README's mapping says the database holds -----------------------------------

_NODE_CORE = {"kind", "kinds", "name", "aliases", "description", "origin"}
_EDGE_CORE = {"id", "type", "label", "inverse", "polarity", "symmetric", "date", "start", "end",
              "description", "citations", "origin"}


def _bounds(first: date | None, last: date | None) -> dict[str, date]:
    out = {}
    if first:
        out["firstDate"] = first
    if last:
        out["lastDate"] = last
    return out


def expected_entities(G: Any, dataset: str) -> dict[str, dict[str, Any]]:
    vocab = G.graph["vocabulary"]
    out = {}
    for node, attrs in G.nodes(data=True):
        props = {"dataset": dataset, "id": node, "kind": attrs["kind"], "name": attrs["name"],
                 "aliases": list(attrs["aliases"])}
        if attrs["description"] is not None:
            props["description"] = attrs["description"]
        for key, value in attrs.items():
            if key not in _NODE_CORE and value is not None:
                props[key] = list(value) if isinstance(value, tuple) else value
        props.update(_bounds(*graph.interval(attrs)))
        labels = {"Entity", *(vocab.kinds[k].label for k in attrs["kinds"])}
        out[node] = {"labels": labels, "props": props}
    return out


def expected_relations(G: Any, dataset: str) -> dict[str, dict[str, Any]]:
    out = {}
    for u, v, key, attrs in G.edges(keys=True, data=True):
        props = {"dataset": dataset, "id": key, "type": attrs["type"], "label": attrs["label"],
                 "inverse": attrs["inverse"], "polarity": attrs["polarity"], "symmetric": attrs["symmetric"],
                 "sources": [c["source"] for c in attrs["citations"]],
                 "quotes": [c["quote"] if c["quote"] is not None else "" for c in attrs["citations"]]}
        for name in ("date", "start", "end", "description"):
            if attrs[name] is not None:
                props[name] = attrs[name]
        for name, value in attrs.items():
            if name not in _EDGE_CORE and value is not None:
                props[name] = list(value) if isinstance(value, tuple) else value
        props.update(_bounds(*graph.interval(attrs)))
        out[key] = {"type": attrs["type"].upper(), "source": u, "target": v, "props": props}
    return out


def expected_sources(G: Any, dataset: str) -> dict[str, dict[str, Any]]:
    out = {}
    for sid, s in G.graph["sources"].items():
        props = {k: v for k, v in s.items() if v is not None}
        props["dataset"] = dataset
        if s["published"]:
            props.update(_bounds(*graph.interval({"date": s["published"]})))
        out[sid] = props
    return out


def typed(value: Any) -> Any:
    """``value`` with each scalar tagged by its type, so that True != 1 and 1 != 1.0."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def assert_dataset_equals_core(runner: Any, G: Any, dataset: str) -> None:
    """Counts, labels, every property, citations and dates equal the core's, exactly."""
    entities, sources, rels = dataset_of(runner, dataset)
    want_e, want_r, want_s = expected_entities(G, dataset), expected_relations(G, dataset), expected_sources(G, dataset)
    assert set(entities) == set(want_e)
    for node, want in want_e.items():
        assert set(entities[node]["labels"]) == want["labels"], node
        assert typed(entities[node]["props"]) == typed(want["props"]), node
    assert set(sources) == set(want_s)
    for sid, want in want_s.items():
        assert typed(sources[sid]["props"]) == typed(want), sid
        assert sources[sid]["labels"] == ["Source"]
    assert set(rels) == set(want_r)
    for key, want in want_r.items():
        got = rels[key]
        assert (got["type"], got["source"], got["target"]) == (want["type"], want["source"], want["target"]), key
        assert typed(got["props"]) == typed(want["props"]), key


def readme_queries() -> list[str]:
    """The Cypher examples of the README's Neo4j section, one statement each."""
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- section:neo4j -->", 1)[1].split("\n## ")[1]
    out = []
    for block in re.findall(r"```cypher\n(.*?)```", section, re.S):
        out += [s.strip() for s in block.split(";\n") if s.strip()]
    return out
