"""The core graph as CSV files for ``neo4j-admin database import full`` (Neo4j 5).

The folder holds one node file per label set, one for the sources, one
relationship file per relationship type, and ``import.txt`` with the exact
command (run from inside the folder) and the constraints to create after the
import. The nodes, relationships and properties are those of the Bolt push
(:mod:`graph.neo4j_mapping`), with typed headers: ``id:ID(Entity)``,
``:LABEL``, ``aliases:string[]``, ``yes:long``, ``firstDate:date``,
``:START_ID(Entity)``, ``:END_ID(Entity)``, ``:TYPE``.

Format: comma-separated, UTF-8, a header line per file. A text value is
always in double quotes (``"`` doubled inside), a missing value is an empty
unquoted field, numbers and booleans are bare. Multi-line values are kept
(hence ``--multiline-fields=true``). Lists are joined with the array
delimiter: ``|``, or, when some list value or label contains ``|``, the first
of ``¦`` and U+001F that none contains; ``import.txt`` names the one used.
neo4j-admin cannot store an empty list: an empty list is left out.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from graph.io import atomic_dir
from graph.neo4j_mapping import ENTITY, ENTITY_FIELDS, RELATION_FIELDS, SOURCE, SOURCE_FIELDS, Neo4jMapping
from loaders import ActorgraphError

DELIMITERS = ("|", "\u00a6", "\u001f")
#: vocabulary property type -> neo4j-admin header type
_TYPES = {"string": "string", "date": "string", "reference": "string", "integer": "long",
          "boolean": "boolean", "list": "string[]"}
_FIXED = {"aliases": "string[]", "polarity": "int", "symmetric": "boolean",
          "sources": "string[]", "quotes": "string[]", "firstDate": "date", "lastDate": "date"}


@dataclass(frozen=True)
class CsvFile:
    """One file of the import: its name, header fields and rows."""

    name: str
    role: str  # nodes or relationships
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def _column(name: str, kind: str | None = None) -> str:
    kind = kind or _FIXED.get(name, "string")
    return name if kind == "string" else f"{name}:{kind}"


def _delimiter(files: Iterable[CsvFile]) -> str:
    used: set[str] = set()
    for f in files:
        for row in f.rows:
            for value in row:
                if isinstance(value, list):
                    used.update(ch for v in value for ch in DELIMITERS if ch in v)
    for d in DELIMITERS:
        if d not in used:
            return d
    raise ActorgraphError("every array delimiter the CSV export can use (|, ¦, U+001F) occurs in some list "
                          "value; export with `actorgraph export cypher` or `export neo4j` instead")


def csv_files(G: nx.MultiDiGraph, *, dataset: str | None = None) -> list[CsvFile]:
    """The files of the import, built from the Neo4j mapping.

    Examples
    --------
    >>> from graph.core import load
    >>> files = csv_files(load("facts/chicago-sanctuary"))
    >>> files[0].header[:4]
    ('id:ID(Entity)', ':LABEL', 'dataset', 'kind')
    >>> [f.name for f in files if f.role == "relationships"][:2]
    ['relationships-ALLIED_WITH.csv', 'relationships-AMENDS.csv']
    """
    m = Neo4jMapping.of(G, dataset=dataset)
    vocab = m.vocabulary
    files: list[CsvFile] = []

    by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for labels, row in m.entity_rows():
        by_labels[labels].append(row)
    for labels in sorted(by_labels):
        rows = by_labels[labels]
        kinds = {G.nodes[r["id"]]["kind"] for r in rows}
        props: dict[str, str] = {}
        for kind in sorted(kinds):
            props.update({p.name: _TYPES[p.type] for p in vocab.kinds[kind].properties.values()})
        header = ("id:ID(Entity)", ":LABEL", "dataset", *(_column(f) for f in ENTITY_FIELDS),
                  *(_column(p, t) for p, t in props.items()), _column("firstDate"), _column("lastDate"))
        body = tuple(
            (r["id"], list(labels), m.dataset, *(r["props"][f] for f in ENTITY_FIELDS),
             *(r["props"][p] for p in props), r["firstDate"], r["lastDate"])
            for r in rows)
        files.append(CsvFile(f"nodes-{'-'.join(labels)}.csv", "nodes", header, body))

    header = ("id:ID(Source)", ":LABEL", "dataset", *(_column(f) for f in SOURCE_FIELDS),
              _column("firstDate"), _column("lastDate"))
    body = tuple((r["id"], [SOURCE], m.dataset, *(r["props"][f] for f in SOURCE_FIELDS),
                  r["firstDate"], r["lastDate"]) for r in m.source_rows())
    files.append(CsvFile(f"nodes-{SOURCE}.csv", "nodes", header, body))

    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rtype, row in m.relation_rows():
        by_type[rtype].append(row)
    names = {r.neo4j_type: r for r in vocab.relations.values()}
    for rtype in sorted(by_type):
        props = {p.name: _TYPES[p.type] for p in names[rtype].properties.values()}
        header = (f":START_ID({ENTITY})", f":END_ID({ENTITY})", ":TYPE", "id", "dataset",
                  *(_column(f) for f in RELATION_FIELDS), *(_column(p, t) for p, t in props.items()),
                  _column("firstDate"), _column("lastDate"))
        body = tuple(
            (r["source"], r["target"], rtype, r["id"], m.dataset, *(r["props"][f] for f in RELATION_FIELDS),
             *(r["props"][p] for p in props), r["firstDate"], r["lastDate"])
            for r in by_type[rtype])
        files.append(CsvFile(f"relationships-{rtype}.csv", "relationships", header, body))
    return files


def _field(value: Any, delimiter: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        if not value:
            return ""
        value = delimiter.join(str(v) for v in value)
    return '"' + str(value).replace('"', '""') + '"'


def _render(f: CsvFile, delimiter: str) -> str:
    lines = [",".join(f.header)]
    lines += [",".join(_field(v, delimiter) for v in row) for row in f.rows]
    return "\n".join(lines) + "\n"


def _shell(word: str) -> str:
    return "'" + word.replace("'", "'\\''") + "'"


def import_command(files: Sequence[CsvFile], delimiter: str, *, database: str = "neo4j") -> str:
    """The ``neo4j-admin database import full`` command for these files (run inside their folder)."""
    shown = {"\u001f": "U+001F", "\u00a6": "U+00A6"}.get(delimiter, delimiter)
    parts = ["neo4j-admin database import full", "--id-type=string", f"--array-delimiter={_shell(shown)}",
             "--multiline-fields=true"]
    parts += [f"--{f.role}={f.name}" for f in files]
    parts.append(_shell(database))
    return " \\\n  ".join(parts)


def write_csv(G: nx.MultiDiGraph, directory: str | Path, *, dataset: str | None = None) -> list[Path]:
    """Write the import folder (atomically: the old folder stays until the new one is complete).

    Returns the paths written, ``import.txt`` last.
    """
    m = Neo4jMapping.of(G, dataset=dataset)
    files = csv_files(G, dataset=dataset)
    delimiter = _delimiter(files)
    written: list[Path] = []
    with atomic_dir(directory) as tmp:
        for f in files:
            (tmp / f.name).write_text(_render(f, delimiter), encoding="utf-8", newline="")
            written.append(Path(directory) / f.name)
        lines = [
            f"# neo4j-admin import of actorgraph dataset {json.dumps(m.dataset, ensure_ascii=False)} (Neo4j 5).",
            "# Stop the target database (or use a new one), then run from inside this folder:",
            "",
            import_command(files, delimiter),
            "",
            "# Then create the constraints that `actorgraph export neo4j` relies on (cypher-shell):",
            *(f"#   {text};" for text in m.constraints()),
            "",
        ]
        (tmp / "import.txt").write_text("\n".join(lines), encoding="utf-8")
        written.append(Path(directory) / "import.txt")
    return written
