"""The Neo4j mapping without a database: labels and types from the vocabulary
only, values only as parameters."""

from __future__ import annotations

import re

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import graph
from graph.neo4j_mapping import ENTITY, SOURCE, MappingError, Neo4jMapping, quote_name
from graph.neo4j_push import plan_push
from loaders import load_vocabulary
from neo4j_support import write_hostile_facts


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return graph.load(write_hostile_facts(tmp_path_factory.mktemp("hostile")))


def test_labels_and_types_come_from_the_vocabulary_only(core):
    vocab = core.graph["vocabulary"]
    allowed_labels = {ENTITY, SOURCE} | {k.label for k in vocab.kinds.values()}
    allowed_types = {r.neo4j_type for r in vocab.relations.values()}
    plan = plan_push(core)
    for batch in plan.batches:
        for name in re.findall(r"`([^`]*)`", batch.text):
            assert name in allowed_labels | allowed_types, (name, batch.text)
    assert {b.text.split("[r:`")[1].split("`")[0] for b in plan.batches if "[r:`" in b.text} == \
        {attrs["type"].upper() for *_, attrs in core.edges(data=True)}
    police = Neo4jMapping.of(core).node_labels("chicago-police-department")
    assert police == ("Entity", "Organization", "Agency", "Police")


def test_nothing_from_a_fact_file_becomes_query_text(hostile):
    plan = plan_push(hostile)
    for batch in plan.batches:
        for row in batch.params.get("rows", []):
            for value in _strings(row):
                if len(value) > 3:
                    assert value not in batch.text


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_quote_name_refuses_anything_outside_the_vocabulary():
    assert quote_name("SPONSORS", {"SPONSORS"}) == "`SPONSORS`"
    for bad in ("Police`) DETACH DELETE (n", "Unknown", "", "A B"):
        with pytest.raises(MappingError):
            quote_name(bad, {"Police", "A B", ""})


def test_a_kind_labelled_like_the_mappings_own_nodes_is_refused(tmp_path, core):
    extra = tmp_path / "vocab.yaml"
    extra.write_text("kinds:\n  article:\n    label: Source\n    description: clash\n", encoding="utf-8")
    G = nx.MultiDiGraph(**{**core.graph, "vocabulary": load_vocabulary([extra])})
    with pytest.raises(MappingError, match="'Source'.*reserves"):
        Neo4jMapping.of(G)


def test_a_property_named_like_the_mappings_own_is_refused(tmp_path, core):
    extra = tmp_path / "vocab.yaml"
    extra.write_text("kinds:\n  club:\n    label: Club\n    description: x\n"
                     "    properties:\n      dataset: {type: string}\n", encoding="utf-8")
    G = nx.MultiDiGraph(**{**core.graph, "vocabulary": load_vocabulary([extra])})
    with pytest.raises(MappingError, match="'dataset'"):
        Neo4jMapping.of(G)


def test_parallel_relations_of_one_type_keep_their_own_ids(core):
    pairs: dict[tuple[str, str, str], list[str]] = {}
    for u, v, k, attrs in core.edges(keys=True, data=True):
        pairs.setdefault((u, v, attrs["type"]), []).append(k)
    parallel = [ids for ids in pairs.values() if len(ids) > 1]
    assert parallel, "the dataset has parallel relations (two accounts of one vote)"
    rows = {row["id"] for _, row in Neo4jMapping.of(core).relation_rows()}
    assert all(set(ids) <= rows for ids in parallel)
    assert len(rows) == core.number_of_edges()


def test_the_date_bounds_are_the_cores_intervals():
    # the mapping writes firstDate/lastDate without PartialDate (speed): same days, same refusals
    from graph.core import interval
    from graph.neo4j_mapping import _iso_bounds

    texts = [f"{y:04d}" + suffix for y in (1, 4, 1900, 2000, 2024, 2025, 9999)
             for suffix in ("", *(f"-{m:02d}" for m in range(0, 14)), *(f"-02-{d:02d}" for d in range(0, 32)))]
    texts += ["0000", "0000-01", "0000-01-01", "2025-W01-1", "20250115", "2025-1-5", " 2025", "２０２５", "2025-01-15T00"]
    fields = [(t, None, None) for t in texts] + [(None, t, None) for t in texts] + [(None, None, t) for t in texts]
    fields += [(None, "2021-03", "2022"), (None, None, None), ("", "2020", None)]
    checked = 0
    for when, start, end in fields:
        try:
            want = interval({"date": when, "start": start, "end": end})
            want = tuple(d.isoformat() if d else None for d in want)
        except ValueError as exc:
            want = type(exc)
        try:
            got = _iso_bounds(when, start, end)
        except ValueError as exc:
            got = type(exc)
        assert got == want, (when, start, end)
        checked += want is not ValueError and isinstance(want, tuple) and want != (None, None)
    assert checked > 500


def test_missing_schema_counts_only_what_does_the_same_work(core):
    m = Neo4jMapping.of(core)
    everything = m.constraints()

    def row(labels, props, *, name=None, owner=None, type="RANGE", entity="NODE"):
        return {"name": name, "type": type, "entityType": entity, "labelsOrTypes": labels,
                "properties": props, "owningConstraint": owner}

    assert m.missing_schema([]) == everything
    # a plain index on the key does not make it unique; a text index serves no range lookup
    assert m.missing_schema([row(["Entity"], ["dataset", "id"]), row(["Entity"], ["id"], type="TEXT")]) == everything
    # the lookup index (Neo4j's LOOKUP rows have no labels) and a key in another order
    assert m.missing_schema([row(None, None, type="LOOKUP"), row(["Source"], ["id", "dataset"], owner="k")]) \
        == everything
    # a constraint of another name on the same key, a relationship index, and our names taken
    held = [row(["Entity"], ["dataset", "id"], owner="theirs"), row(["Entity"], ["id"], entity="RELATIONSHIP"),
            row(["Other"], ["x"], owner="actorgraph_source_key"), row(["Other"], ["y"], name="actorgraph_entity_id")]
    assert m.missing_schema(held) == []


@given(st.text(max_size=60))
def test_cypher_literals_escape_every_character_as_the_per_character_rule(text):
    from graph.export_cypher import _char, cypher_literal

    # The script writer escapes a whole string with one str.translate; the
    # per-character rule is the specification.
    assert cypher_literal(text) == "'" + "".join(_char(c) for c in text) + "'"
    assert cypher_literal({text: [text, None, 1, True]}) == (
        "{" + (text if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", text) else "`" + text.replace("`", "``") + "`")
        + ": [" + cypher_literal(text) + ", null, 1, true]}")
