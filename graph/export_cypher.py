"""The Neo4j push as a Cypher script for ``cypher-shell -f FILE``.

The script holds exactly the statements :func:`graph.neo4j_push.push` sends
to an empty database, in the same order, with each parameter (``$dataset``,
``$rows``) replaced by its value written as a Cypher literal: strings in
single quotes with ``\\\\``, ``\\'``, ``\\n``, ``\\r``, ``\\t``, ``\\b``,
``\\f`` escapes and ``\\uXXXX`` for other control characters; every other
character as itself (UTF-8). Statements end with ``;`` at the end of a line.
Every statement MERGEs, so running the script twice leaves the same graph.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import networkx as nx

from graph.io import atomic_write
from graph.neo4j_push import DEFAULT_BATCH_SIZE, plan_push

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # fullmatch: `$` would let a final newline through
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def _char(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    if code < 0x20 or 0x7F <= code < 0xA0:
        return f"\\u{code:04x}"
    return ch


#: _char for every character it changes, for str.translate (a script of 10^5
#: relations escapes millions of characters: one C call per string, not one
#: Python call per character)
_TRANSLATION = {code: _char(chr(code)) for code in (*range(0x20), *range(0x7F, 0xA0), ord("\\"), ord("'"))}


def cypher_literal(value: Any) -> str:
    """``value`` as a Cypher literal.

    Examples
    --------
    >>> cypher_literal({"name": "O'Hare\\n", "n": [1, None, True]})
    "{name: 'O\\\\'Hare\\\\n', n: [1, null, true]}"
    """
    if isinstance(value, str):  # the most common value, first
        return "'" + value.translate(_TRANSLATION) + "'"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(k)}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _key(name: str) -> str:
    quoted = _KEYS.get(name)
    if quoted is None:
        quoted = name if _KEY.fullmatch(name) else "`" + name.replace("`", "``") + "`"
        if len(_KEYS) < 10_000:  # the keys of rows: field and property names, a few dozen
            _KEYS[name] = quoted
    return quoted


_KEYS: dict[str, str] = {}


def inline(text: str, params: Mapping[str, Any]) -> str:
    """A statement with its ``$parameters`` replaced by literals (rows one per line)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        v = params[name]
        if name == "rows":
            return "[\n  " + ",\n  ".join(cypher_literal(r) for r in v) + "\n]"
        return cypher_literal(v)

    return _PARAM.sub(value, text)


def generate_cypher(G: nx.MultiDiGraph, *, dataset: str | None = None,
                    batch_size: int = DEFAULT_BATCH_SIZE) -> str:
    """The Cypher script that builds ``G`` in an empty Neo4j 5 database.

    Examples
    --------
    >>> from graph.core import load
    >>> script = generate_cypher(load("facts/chicago-sanctuary"))
    >>> script.count(";\\n") == len(plan_push(load("facts/chicago-sanctuary")).batches)
    True
    """
    plan = plan_push(G, dataset=dataset, batch_size=batch_size)
    counts = plan.counts
    head = [
        f"// actorgraph: dataset {cypher_literal(plan.mapping.dataset)}, "
        f"{counts['entities'].created} entities, {counts['sources'].created} sources, "
        f"{counts['relationships'].created} relations.",
        "// Run with: cypher-shell -a neo4j://localhost:7687 -u neo4j -d neo4j -f THIS_FILE",
        "// Every statement MERGEs on (dataset, id): running the script again leaves the same graph.",
        "",
    ]
    body = [inline(b.text, b.params) + ";" for b in plan.batches]
    return "\n".join(head) + "\n" + "\n\n".join(body) + "\n"


def write_cypher(G: nx.MultiDiGraph, path_or_file: str | Path | IO[str], *, dataset: str | None = None,
                 batch_size: int = DEFAULT_BATCH_SIZE) -> None:
    """Write the script to a path (atomically) or an open text file."""
    text = generate_cypher(G, dataset=dataset, batch_size=batch_size)
    if isinstance(path_or_file, (str, Path)):
        atomic_write(path_or_file, text)
    else:
        path_or_file.write(text)
