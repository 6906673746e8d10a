"""Loader behaviour on valid input: typing, aliases, identity, merging."""

from __future__ import annotations

import datetime

import pytest

from broken_cases import BASE
from loaders import FactError, PartialDate, load_factbase, load_vocabulary


def write(tmp_path, text):
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    return [tmp_path]


def test_scalars_stay_text_and_properties_are_typed(tmp_path):
    fb = load_factbase(write(tmp_path, """\
entities:
  - id: v
    kind: vote
    name: no
    date: 2025-01-15
    yes: 27
    no: 18
    result: failed
"""))
    v = fb.entities["v"]
    assert v.name == "no"
    assert v.properties["yes"] == 27 and v.properties["no"] == 18
    assert v.properties["date"] == PartialDate.parse("2025-01-15")
    assert v.properties["date"].first == datetime.date(2025, 1, 15)


def test_alias_and_accent_insensitive_reference_and_merge(tmp_path):
    fb = load_factbase(write(tmp_path, """\
relations:
  - type: sponsors
    from: Raymond Lopez
    to: amendment
    date: 2025-01
    cite: [{source: s1, quote: one}]
  - type: sponsors
    from: ray lópez
    to: The Amendment
    date: 2025-01
    cite: [{source: s2, quote: two}, {source: s1, quote: one}]
"""))
    (rel,) = fb.relations.values()
    assert rel.id == "sponsors:raymond-lopez:amendment:2025-01"
    assert [(c.source, c.quote) for c in rel.citations] == [("s1", "one"), ("s2", "two")]


def test_symmetric_relation_is_one_edge_whatever_the_order(tmp_path):
    fb = load_factbase(write(tmp_path, """\
relations:
  - type: meets_with
    from: raymond-lopez
    to: byron-sigcho-lopez
    cite: [{source: s1}]
  - type: meets_with
    from: byron-sigcho-lopez
    to: raymond-lopez
    cite: [{source: s2}]
"""))
    (rel,) = fb.relations.values()
    assert (rel.source, rel.target) == ("byron-sigcho-lopez", "raymond-lopez")
    assert len(rel.citations) == 2


def test_explicit_ids_keep_conflicting_accounts_apart(tmp_path):
    fb = load_factbase(write(tmp_path, """\
entities:
  - id: the-vote
    kind: vote
    name: The vote
relations:
  - id: vote-account-a
    type: votes_on
    from: the-vote
    to: amendment
    result: blocked
    cite: [{source: s1}]
  - id: vote-account-b
    type: votes_on
    from: the-vote
    to: amendment
    result: failed
    yes: 1
    cite: [{source: s2}]
"""))
    assert {r.properties["result"] for r in fb.relations.values()} == {"blocked", "failed"}


def test_user_vocabulary_extends_the_shipped_one(tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text("""\
kinds:
  union:
    extends: organization
    label: Union
relations:
  endorses:
    label: endorses
    inverse: endorsed by
    polarity: 1
    symmetric: false
    from: [organization]
    to: [person]
""", encoding="utf-8")
    vocab = load_vocabulary([extra])
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "f.yaml").write_text("""\
sources: [{id: s1}]
entities:
  - {id: u, kind: union, name: A Union}
  - {id: p, kind: person, name: A Person}
relations:
  - {type: endorses, from: u, to: p, cite: [{source: s1}]}
""", encoding="utf-8")
    fb = load_factbase([facts], vocabulary=vocab)
    assert vocab.labels("union") == ("Organization", "Union")
    assert next(iter(fb.relations.values())).type == "endorses"
    with pytest.raises(FactError):
        load_factbase([facts])


def test_user_vocabulary_errors_are_diagnostics(tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text("kinds:\n  person:\n    label: Person\n  thing:\n    extends: nothing\n    label: thing\n", encoding="utf-8")
    with pytest.raises(FactError) as info:
        load_vocabulary([extra])
    messages = [d.message for d in info.value.diagnostics]
    assert any("kind 'person' is already defined" in m for m in messages)
    assert any("extends unknown kind 'nothing'" in m for m in messages)
    assert any("must be CamelCase" in m for m in messages)


def test_quotes_are_checked_against_texts(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text("He said: \u201cWe won\u2019t  back down\u201d \u2014 and left.", encoding="utf-8")
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "f.yaml").write_text("""\
sources: [{id: s1, text: a.txt}]
entities:
  - {id: a, kind: person, name: A}
  - {id: b, kind: person, name: B}
relations:
  - type: opposes
    from: a
    to: b
    cite:
      - source: s1
        quote: "\\"We won't back down\\" - and left."
  - type: criticizes
    from: a
    to: b
    cite:
      - source: s1
        quote: "We will not back down"
""", encoding="utf-8")
    with pytest.raises(FactError) as info:
        load_factbase([facts], texts=texts)
    (d,) = info.value.diagnostics
    assert (d.line, d.col) == (16, 9)
    assert d.message.startswith("quote not found in a.txt (s1); closest passage: ")
