"""Every kind and relation type of the vocabulary loads, builds and exports."""

from __future__ import annotations

import json

import graph
from graph.cli import main
from loaders import load_vocabulary
from vocabulary_fixture import write_every_kind


def test_every_kind_and_type_reaches_the_core(tmp_path):
    vocab = load_vocabulary()
    G = graph.load(write_every_kind(tmp_path / "facts"))
    assert {a["kind"] for _, a in G.nodes(data=True)} == set(vocab.kinds)
    assert {a["type"] for _, _, a in G.edges(data=True)} == set(vocab.relations)
    for _, _, attrs in G.edges(data=True):
        rel = vocab.relations[attrs["type"]]
        assert attrs["polarity"] == rel.polarity and attrs["symmetric"] == rel.symmetric
        assert set(rel.properties) <= set(attrs), f"{rel.name} lost a property"
        assert (attrs["start"], attrs["end"]) == ("2024-01", "2024-06")
    vote = G.nodes["e-vote"]
    assert (vote["result"], vote["yes"], vote["place"]) == ("passed", 7, "e-place")


def test_every_kind_and_type_exports_to_json(tmp_path, runner):
    facts = write_every_kind(tmp_path / "facts")
    result = runner.invoke(main, ["export", "json", str(facts), "-o", "-"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert len(doc["nodes"]) == len(load_vocabulary().kinds)
    assert len(doc["edges"]) == len(load_vocabulary().relations)
