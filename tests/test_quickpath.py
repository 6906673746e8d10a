"""The compiled relation path (loaders._yamlfast) and the quick entity path against the Python path.

Random relation records - good ones and ones with one or several problems
of every kind the loader reports - are loaded with the compiled path and
in pure Python: the records, or the diagnostics, must be the same.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import loaders.factbase as factbase_module
from loaders import load_factbase, yamlfast
from loaders.errors import FactError

BASE = """\
sources:
  - id: s1
    title: One
  - id: s-two
    title: Two
entities:
  - {id: ann, kind: person, name: Ann Lee, aliases: [A. Lee, The Chair]}
  - {id: bob, kind: person, name: Bob Ray, aliases: [The Chair]}
  - {id: board, kind: legislature, name: The Board}
  - {id: code, kind: ordinance, name: The Code}
  - {id: rule, kind: amendment, name: The Rule}
  - {id: v1, kind: vote, name: The Vote}
  - {id: city, kind: city, name: Springfield}
  - {id: zoe, kind: person, name: "Zo\u00eb\u2013Ann"}
"""

# (good values, values with a problem): a record draws a problem now and then
ACTORS = ["ann", "bob", "board", "Ann Lee", "A. Lee", "The Board", "ANN  lee", " the\tboard ", "a. lee\x1f",
          "Bob\u00a0Ray", "Zo\u00eb\u2013Ann", "zoe-ann"]
POLICIES = ["code", "rule", "The Code"]
BAD_ENDS = ["The Chair", "Nobody", "ann ", "", " ", None, 3, ["ann"], "city", "v1"]
TYPES = {  # type: (from, to, properties)
    "opposes": (ACTORS, POLICIES + ACTORS, []),
    "sponsors": (ACTORS, POLICIES, []),
    "conflicts_with": (POLICIES, POLICIES, []),
    "allied_with": (ACTORS, ACTORS, []),
    "votes_on": (["v1", "The Vote"], POLICIES, ["yes", "result", "motion"]),
    "member_of": (ACTORS, ["board"], ["role"]),
    "threatens": (ACTORS + POLICIES, ACTORS + ["city"], ["action"]),
    "located_in": (["board", "The Board"], ["city", "Springfield"], []),
}
BAD_TYPES = ["oposes", 7, None]
IDS = ([None] * 12 + ["r1", "r-2", "x\n"], ["R 1", "", "a" * 201, 5])
SAME = {"Ann Lee": "ann", "A. Lee": "ann", "The Board": "board", "The Code": "code", "The Vote": "v1",
        "Springfield": "city", "ANN  lee": "ann", " the\tboard ": "board", "a. lee\x1f": "ann", "Bob\u00a0Ray": "bob",
        "Zo\u00eb\u2013Ann": "zoe", "zoe-ann": "zoe"}
DATES = (["2025", "2025-01", "2024-12-31", " 2025"], ["2025-02-30", "2025-13", "0000", "soon", "", 2025])
TEXTS = ([None, "a description"], ["", "  ", ["x"]])
SOURCES = (["s1", "s-two"], ["s2", "", None])
QUOTES = (["a quote", "MISSING"], ["", None, ["q"]])
PROPERTIES = {"yes": (["3", "0"], ["-1", "x", "", ["1"]]), "result": (["passed"], ["won", ""]),
              "motion": (["to table"], [" "]), "role": (["chair"], [""]), "action": (["withhold funds"], []),
              "colour": ([], ["red"]), "scope": ([], ["x"])}


def _pick(draw: st.DrawFn, choices: tuple[list[object], list[object]]) -> object:
    good, bad = choices
    if bad and (not good or draw(st.integers(0, 39)) == 0):
        return draw(st.sampled_from(bad))
    return draw(st.sampled_from(good))


def _value(v: object) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, int):
        return str(v)
    return json.dumps(v)  # a YAML double-quoted scalar


@st.composite
def relation(draw: st.DrawFn) -> str:
    fields: dict[str, object] = {}
    rtype = _pick(draw, (sorted(TYPES), BAD_TYPES))
    ends, targets, props = TYPES.get(rtype, (ACTORS, ACTORS, []))  # type: ignore[call-overload]
    start = draw(st.sampled_from(ends))
    # a relation from one entity to itself is a problem, drawn as seldom as the others
    others = [t for t in targets if SAME.get(t, t) != SAME.get(start, start)] or targets
    choices = {"id": IDS, "type": ([rtype], []), "from": ([start], BAD_ENDS), "to": (others, BAD_ENDS + [start]),
               "description": TEXTS}
    for key, options in choices.items():
        value = _pick(draw, options)
        if value is not None or draw(st.booleans()):
            fields[key] = value
    dates = draw(st.sampled_from(["none", "date", "span", "start", "end", "all"] if draw(st.integers(0, 39)) == 0
                                 else ["none", "date", "span", "start", "end"]))
    for key in {"none": [], "date": ["date"], "span": ["start", "end"], "start": ["start"], "end": ["end"],
                "all": ["date", "start", "end"]}[dates]:
        fields[key] = _pick(draw, DATES)
    names = props if draw(st.integers(0, 39)) else sorted(PROPERTIES)
    for key in draw(st.lists(st.sampled_from(names), max_size=2, unique=True)) if names else []:
        fields[key] = _pick(draw, PROPERTIES[key])
    lines = ["  - " + ("\n    ".join(f"{k}: {'' if v is None else _value(v)}".rstrip() for k, v in fields.items())
                       or "{}")]
    cite = "list" if draw(st.integers(0, 39)) else draw(st.sampled_from(["empty", "absent", "map", "text"]))
    if cite == "list":
        lines.append("    cite:")
        for _ in range(draw(st.integers(1, 3))):
            source, quote = _pick(draw, SOURCES), _pick(draw, QUOTES)
            item = [] if source is None else [f"source: {_value(source)}"]
            if quote != "MISSING":
                item.append(f"quote: {'' if quote is None else _value(quote)}".rstrip())
            if draw(st.integers(0, 99)) == 0:
                item.append("page: 3")
            lines.append("      - " + ("\n        ".join(item) or "{}"))
    elif cite == "empty":
        lines.append("    cite: []")
    elif cite == "map":
        lines.append("    cite:\n      source: s1")
    elif cite == "text":
        lines.append("    cite: s1")
    return "\n".join(lines)


KINDS = (["person", "legislature", "ordinance", "vote", "city"], ["persn", "", 3])
ENTITY_PROPERTIES = {"party": (["Independent"], ["", ["x"]]), "status": (["passed", "in force"], ["maybe"]),
                     "colour": ([], ["red"])}


@st.composite
def entity(draw: st.DrawFn) -> str:
    number = draw(st.integers(0, 3))
    fields: dict[str, object] = {"id": _pick(draw, ([f"e{number}", f"e-{number}"], ["E 1", "", None, 4])),
                                 "kind": _pick(draw, KINDS), "name": _pick(draw, ([f"Name {number}", "Zoë–Ann"],
                                                                                   ["", " ", None, ["n"]]))}
    if draw(st.booleans()):
        fields["aliases"] = _pick(draw, ([[f"Alias {number}"], ["A", "A"], []], [None, "text", ["", "x"], [["x"]]]))
    if draw(st.booleans()):
        fields["description"] = _pick(draw, TEXTS)
    for key in draw(st.lists(st.sampled_from(sorted(ENTITY_PROPERTIES)), max_size=2, unique=True)):
        fields[key] = _pick(draw, ENTITY_PROPERTIES[key])
    return "  - " + "\n    ".join(f"{k}: {'' if v is None else _value(v)}".rstrip() for k, v in fields.items())


def _load(path, monkeypatch, *, compiled: bool):
    with monkeypatch.context() as patch:
        if not compiled:
            patch.setattr(yamlfast, "read_fast", yamlfast.read_fast_py)
            patch.setattr(factbase_module, "_compiled_relations", lambda: None)
            patch.setattr(factbase_module, "_clean_entity", lambda run, m: None)
        try:
            fb = load_factbase([str(path)])
        except FactError as exc:
            return None, [str(d) for d in exc.diagnostics]
    return ([(k, r, dict(r.properties)) for k, r in fb.relations.items()], list(fb.entities.items())), None


def test_the_compiled_relation_path_is_built_and_taken(tmp_path, monkeypatch):
    assert factbase_module._compiled_relations() is not None, "loaders._yamlfast is not built: run `make install`"
    taken: list[object] = []
    real = factbase_module._QuickRelations.fields_from

    def fields_from(self, items, start, path, out):
        end = real(self, items, start, path, out)
        taken.extend(out[len(out) - (end - start):] if end > start else [])
        return end

    monkeypatch.setattr(factbase_module._QuickRelations, "fields_from", fields_from)
    (tmp_path / "f.yaml").write_text(BASE + "relations:\n  - {type: opposes, from: ann, to: code, cite: [{source: s1}]}\n"
                                     "  - {type: opposes, from: bob, to: code, cite: [{source: s1}], colour: red}\n",
                                     encoding="utf-8")
    with pytest.raises(FactError):
        load_factbase([str(tmp_path / "f.yaml")])
    assert len(taken) == 1 and isinstance(taken[0], tuple)  # the first; the second is left to Python


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(relation(), min_size=1, max_size=4), entities=st.lists(entity(), max_size=3))
def test_compiled_and_python_relation_paths_agree(records, entities, tmp_path_factory, monkeypatch):
    path = tmp_path_factory.mktemp("quick") / "facts.yaml"
    path.write_text(BASE + "".join(e + "\n" for e in entities) + "relations:\n" + "\n".join(records) + "\n",
                    encoding="utf-8")
    compiled = _load(path, monkeypatch, compiled=True)
    python = _load(path, monkeypatch, compiled=False)
    assert compiled == python


@pytest.mark.parametrize("record,expected", [
    ("{type: opposes, from: The Chair, to: code, cite: [{source: s1}]}", "is ambiguous"),
    ("{type: opposes, from: Nobody, to: code, cite: [{source: s1}]}", "names no entity"),
    ("{type: opposes, from: ann, to: city, cite: [{source: s1}]}", "cannot go to city"),
    ("{type: allied_with, from: ann, to: A. Lee, cite: [{source: s1}]}", "to itself"),
    ("{type: opposes, from: ann, to: code, cite: [{source: s2}]}", "unknown source 's2'"),
])
def test_what_the_compiled_pass_lets_through_is_reported_at_its_place(record, expected, tmp_path):
    # These records pass the compiled pass 1 and fail resolution: the
    # report comes from the places pass 1 kept.
    path = tmp_path / "f.yaml"
    path.write_text(BASE + "relations:\n  - " + record + "\n", encoding="utf-8")
    with pytest.raises(FactError) as caught:
        load_factbase([str(path)])
    (diagnostic,) = caught.value.diagnostics
    assert expected in diagnostic.message
    assert diagnostic.line == BASE.count("\n") + 2 and diagnostic.col > 4


def test_records_the_reference_reader_read_take_the_compiled_path_alike(tmp_path, monkeypatch):
    # A tab sends the whole file to the reference reader; its records then
    # reach the compiled relation path with value marks as a dict.
    records = ("  - {type: opposes, from: ann, to: code, cite: [{source: s1, quote: 'a\tb'}]}\n"
               "  - type: member_of\n    from: Ann Lee\n    to: board\n    role: chair\n    cite:\n      - source: s-two\n")
    path = tmp_path / "f.yaml"
    path.write_text(BASE + "relations:\n" + records, encoding="utf-8")
    assert yamlfast.read_fast(path.read_text(encoding="utf-8")) is yamlfast.UNSUPPORTED
    compiled, python = _load(path, monkeypatch, compiled=True), _load(path, monkeypatch, compiled=False)
    assert compiled == python and compiled[0] is not None and len(compiled[0][0]) == 2
    path.write_text(BASE + "relations:\n" + records.replace("to: board", "to: city"), encoding="utf-8")
    compiled, python = _load(path, monkeypatch, compiled=True), _load(path, monkeypatch, compiled=False)
    assert compiled == python and compiled[1] is not None and "cannot go to city" in compiled[1][0]
