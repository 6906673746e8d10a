"""neo4j-admin CSV: golden files, headers valid for neo4j-admin's format, and
the files parsed back (the way neo4j-admin reads them) equal to the core."""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

import graph
from conftest import DATASET, ROOT
from graph.export_csv import write_csv
from neo4j_support import (
    HOSTILE,
    expected_entities,
    expected_relations,
    expected_sources,
    typed,
    write_hostile_facts,
)

SMALL = ROOT / "tests" / "data" / "csv-small"
GOLDEN = ROOT / "tests" / "golden" / "csv-small"

# neo4j-admin's header grammar (Neo4j 5 operations manual, "CSV header format")
TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point", "date",
         "localtime", "time", "localdatetime", "datetime", "duration"}
FIELD = re.compile(r"^(?P<name>[^:]*)(?::(?P<kind>ID|START_ID|END_ID|LABEL|TYPE|IGNORE|(?P<type>[a-z]+)(?P<array>\[\])?)"
                   r"(?:\((?P<group>[A-Za-z0-9_]+)\))?)?$")


def parse_csv(text: str) -> list[list[tuple[str, bool]]]:
    """RFC 4180 as neo4j-admin reads it: each field as (text, was it quoted)."""
    rows, row, i, n = [], [], 0, len(text)
    field, quoted = "", False
    while i < n:
        ch = text[i]
        if ch == '"' and not field and not quoted:
            j = i + 1
            buf = []
            while True:
                k = text.index('"', j)
                buf.append(text[j:k])
                if text[k + 1:k + 2] == '"':
                    buf.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            field, quoted = "".join(buf), True
            continue
        if ch == ",":
            row.append((field, quoted))
            field, quoted = "", False
        elif ch == "\n":
            row.append((field, quoted))
            rows.append(row)
            row, field, quoted = [], "", False
        else:
            assert not quoted, f"text after a closing quote at {i}"
            field += ch
        i += 1
    assert not row and not field, "the file must end with a line break"
    return rows


def check_header(fields: list[str], role: str) -> dict[str, tuple[str, str | None, bool]]:
    """Fail unless neo4j-admin accepts this header; return {column: (kind, group, array)}."""
    out = {}
    names = []
    for field in fields:
        m = FIELD.match(field)
        assert m, f"{field!r} is not a neo4j-admin header field"
        kind = m.group("kind") or "string"
        if m.group("type"):
            assert m.group("type") in TYPES, f"{field!r}: unknown type"
            assert not m.group("group"), f"{field!r}: only ID columns take a group"
            kind = m.group("type")
        if kind in ("ID", "START_ID", "END_ID"):
            assert m.group("group"), f"{field!r}: give the id group"
        if kind not in ("LABEL", "TYPE", "START_ID", "END_ID", "IGNORE") and not (kind == "ID" and not m.group("name")):
            assert m.group("name"), f"{field!r}: a property needs a name"
            names.append(m.group("name"))
        out[field] = (kind, m.group("group"), bool(m.group("array")))
    kinds = [k for k, _, _ in out.values()]
    assert len(names) == len(set(names)), f"property named twice in {fields}"
    if role == "nodes":
        assert kinds.count("ID") == 1 and not {"START_ID", "END_ID", "TYPE"} & set(kinds)
    else:
        assert kinds.count("START_ID") == 1 and kinds.count("END_ID") == 1 and "TYPE" in kinds
        assert not {"ID", "LABEL"} & set(kinds)
    return out


def read_import(folder: Path) -> dict[str, dict[str, dict]]:
    """Parse every file as neo4j-admin would: nodes and relationships with typed properties."""
    command = (folder / "import.txt").read_text(encoding="utf-8")
    delimiter = re.search(r"--array-delimiter='([^']*)'", command).group(1)
    delimiter = {"U+001F": "\x1f", "U+00A6": "\u00a6"}.get(delimiter, delimiter)
    listed = re.findall(r"--(nodes|relationships)=(\S+)", command)
    assert sorted(name for _, name in listed) == sorted(p.name for p in folder.glob("*.csv"))
    out: dict[str, dict] = {"nodes": {}, "relationships": {}}
    groups = {"nodes": set(), "relationships": set()}
    for role, name in listed:
        header, *rows = parse_csv((folder / name).read_bytes().decode("utf-8"))
        columns = check_header([f for f, _ in header], role)
        for row in rows:
            assert len(row) == len(header), f"{name}: a row has {len(row)} fields, the header {len(header)}"
            record: dict = {"props": {}}
            for (field, (kind, group, array)), (text, quoted) in zip(columns.items(), row):
                if not text and not quoted:
                    continue  # an empty field: no property
                value = _value(text, kind, array, delimiter)
                if kind in ("ID", "START_ID", "END_ID"):
                    groups[role].add(group)
                    record[kind] = value
                    if kind == "ID":
                        record["props"][field.split(":")[0]] = value
                elif kind == "LABEL":
                    record["labels"] = set(value.split(delimiter))
                elif kind == "TYPE":
                    record["type"] = value
                else:
                    record["props"][field.split(":")[0]] = value
            key = record["props"]["id"]
            assert key not in out[role], f"{key} twice"
            out[role][key] = record
    assert groups["relationships"] <= groups["nodes"], "relationships name an id group no node file has"
    return out


def _value(text: str, kind: str, array: bool, delimiter: str):
    if array:
        return [_value(t, kind, False, delimiter) for t in text.split(delimiter)]
    if kind in ("int", "long"):
        return int(text)
    if kind == "boolean":
        assert text in ("true", "false")
        return text == "true"
    if kind == "date":
        return date.fromisoformat(text)
    return text


def assert_import_equals_core(folder: Path, G) -> None:
    parsed = read_import(folder)
    dataset = G.graph["name"]
    want_nodes = {k: v for k, v in expected_entities(G, dataset).items()}
    nodes = parsed["nodes"]
    for node, want in want_nodes.items():
        props = dict(want["props"])
        if props["aliases"] == []:
            del props["aliases"]  # neo4j-admin cannot write an empty list (documented)
        assert nodes[node]["labels"] == want["labels"], node
        assert typed(nodes[node]["props"]) == typed(props), node
    for sid, want in expected_sources(G, dataset).items():
        assert nodes[sid]["labels"] == {"Source"}
        assert typed(nodes[sid]["props"]) == typed(want), sid
    assert len(nodes) == len(want_nodes) + len(G.graph["sources"])
    rels = parsed["relationships"]
    want_rels = expected_relations(G, dataset)
    assert set(rels) == set(want_rels)
    for key, want in want_rels.items():
        got = rels[key]
        assert (got["type"], got["START_ID"], got["END_ID"]) == (want["type"], want["source"], want["target"])
        assert typed(got["props"]) == typed(want["props"]), key


def test_golden_files(tmp_path):
    out = tmp_path / "import"
    write_csv(graph.load(SMALL), out)
    if os.environ.get("ACTORGRAPH_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in GOLDEN.iterdir())
    for path in out.iterdir():
        assert path.read_bytes() == (GOLDEN / path.name).read_bytes(), \
            f"{path.name} differs from tests/golden (ACTORGRAPH_UPDATE_GOLDEN=1 rewrites them)"


@pytest.mark.parametrize("which", ["chicago", "small", "hostile"])
def test_files_parse_back_to_the_core(tmp_path, core, which):
    G = {"chicago": lambda: core, "small": lambda: graph.load(SMALL),
         "hostile": lambda: graph.load(write_hostile_facts(tmp_path / "hostile"))}[which]()
    out = tmp_path / "import"
    write_csv(G, out)
    assert_import_equals_core(out, G)


def test_a_delimiter_found_in_the_data_is_not_used(tmp_path):
    G = graph.load(write_hostile_facts(tmp_path / "hostile"))
    assert any("|" in h and "\u00a6" in h for h in HOSTILE)
    write_csv(G, tmp_path / "import")
    assert "--array-delimiter='U+001F'" in (tmp_path / "import" / "import.txt").read_text(encoding="utf-8")


def test_the_header_check_can_fail():
    for bad in (["id:ID(Entity)", "name:str"], ["name"], ["id:ID(Entity)", ":ID(Entity)"],
                ["id:ID(Entity)", "a:string(G)"]):
        with pytest.raises(AssertionError):
            check_header(bad, "nodes")
    with pytest.raises(AssertionError):
        check_header([":START_ID(Entity)", ":END_ID(Entity)"], "relationships")


def test_an_unwritable_folder_is_an_error_not_a_traceback(runner, tmp_path):
    from graph.cli import main

    result = runner.invoke(main, ["export", "csv", str(DATASET), "-o", str(tmp_path / "no" / "such" / "dir")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write")
