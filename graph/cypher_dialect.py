"""The one place where Neo4j Cypher is translated for FalkorDB.

actorgraph writes its statements for Neo4j 5 and never bends them to suit
another engine. The embedded engine (FalkorDB) runs them through
:func:`to_falkordb`, which knows exactly these differences:

1. Schema. FalkorDB has no ``CREATE CONSTRAINT ... REQUIRE ... IS UNIQUE``:
   a uniqueness constraint is an index plus a ``GRAPH.CONSTRAINT CREATE``
   command. Index statements take no name and no ``IF NOT EXISTS``; an
   existing index or constraint is an error there, ignored here.
2. Parameters travel as a ``CYPHER name=value ...`` header (the ``falkordb``
   client writes it) instead of Bolt values; ``datetime.date`` values are not
   among them, which is why the mapping sends dates as ISO text and converts
   them with ``date()`` in the statement, the same on both engines.
3. String literals: FalkorDB does not decode ``\\uXXXX`` escapes, so
   :func:`decode_unicode_escapes` writes those characters out (re-escaping
   the few that FalkorDB needs escaped) inside string literals only.
4. Subquery scope and element ids (:func:`scope_subqueries`): Neo4j 5.23+
   wants ``CALL (x, y) { ... }`` (the older ``CALL { WITH x, y ...`` is
   deprecated there), FalkorDB parses only the older form; Neo4j's
   ``elementId(n)`` (``id(n)`` is deprecated there) is FalkorDB's ``id(n)``.
5. Listing the schema. FalkorDB has no ``SHOW INDEXES``: it lists indexes
   (one range index a property) and constraints with two procedures, which
   :func:`to_falkordb` reads into the columns Neo4j's ``SHOW INDEXES`` has
   (a row a property for an index, a row for a constraint's own index,
   ``owningConstraint`` set; names are null, FalkorDB has none).
6. Results come back as the client's own Node/Edge/Path objects, turned into
   the plain values of :class:`graph.cypher_runner.Result` by :func:`plain`.
   Replies of scalars, lists and maps only (every read-back of the exporter)
   are decoded by :func:`parse_compact_reply` instead: the client's values
   without its per-value Python overhead (most of a read-back's time).

Everything else is passed through unchanged, and a statement FalkorDB cannot
run fails loudly instead of being rewritten.

Examples
--------
>>> [c.args for c in to_falkordb(
...     "CREATE CONSTRAINT k IF NOT EXISTS FOR (n:`Entity`) REQUIRE (n.dataset, n.id) IS UNIQUE", "g")]
[('GRAPH.QUERY', 'g', 'CREATE INDEX FOR (n:`Entity`) ON (n.dataset, n.id)'), ('GRAPH.CONSTRAINT', 'CREATE', 'g', 'UNIQUE', 'NODE', 'Entity', 'PROPERTIES', '2', 'dataset', 'id')]
>>> to_falkordb("MATCH (n) RETURN n", "g")[0].args
('GRAPH.QUERY', 'g', 'MATCH (n) RETURN n')
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any

from graph.cypher_runner import GraphNode, GraphPath, GraphRelationship

_LABEL = r"`?(?P<label>[A-Za-z][A-Za-z0-9_]*)`?"
_PROPS = r"\(?(?P<props>{v}\.\w+(?:\s*,\s*{v}\.\w+)*)\)?"
_CONSTRAINT = re.compile(
    r"^CREATE CONSTRAINT(?: \w+)?(?: IF NOT EXISTS)? FOR \((?P<var>\w+):" + _LABEL + r"\) "
    r"REQUIRE (?P<rest>.+) IS UNIQUE$", re.S)
_INDEX = re.compile(
    r"^CREATE INDEX(?: \w+)?(?: IF NOT EXISTS)? FOR \((?P<var>\w+):" + _LABEL + r"\) ON \((?P<props>[^)]*)\)$", re.S)


_LEADING_COMMENTS = re.compile(r"^(?:\s*//[^\n]*\n)+")
_SHOW_INDEXES = re.compile(r"^SHOW (?:RANGE )?INDEX(?:ES)? YIELD (?P<columns>\w+(?:\s*,\s*\w+)*)$", re.I)
# Neo4j's SHOW INDEXES columns, as FalkorDB's procedures give them: an index, then a constraint
_INDEX_COLUMNS = {"name": "null", "type": "'RANGE'", "entityType": "entitytype", "labelsOrTypes": "[label]",
                  "properties": "[p]", "owningConstraint": "null"}
_CONSTRAINT_COLUMNS = {**_INDEX_COLUMNS, "properties": "properties", "owningConstraint": "'UNIQUE'"}


def _show_indexes(columns: list[str], graph: str) -> FalkorCall | None:
    if not all(c in _INDEX_COLUMNS for c in columns):
        return None  # a column FalkorDB cannot give: refused, as any statement it cannot run

    def returned(values: Mapping[str, str]) -> str:
        return "RETURN " + ", ".join(f"{values[c]} AS {c}" for c in columns)

    return FalkorCall(("GRAPH.QUERY", graph, "\n".join([
        "CALL db.indexes() YIELD label, properties, types, entitytype",
        "UNWIND properties AS p",
        "WITH label, p, entitytype WHERE 'RANGE' IN types[p]",
        returned(_INDEX_COLUMNS),
        "UNION ALL",
        "CALL db.constraints() YIELD type, label, properties, entitytype, status",
        "WITH label, properties, entitytype WHERE type = 'UNIQUE' AND status <> 'FAILED'",
        returned(_CONSTRAINT_COLUMNS),
    ])))


@dataclass(frozen=True)
class FalkorCall:
    """One FalkorDB command; ``query`` marks a GRAPH.QUERY whose text takes parameters."""

    args: tuple[str, ...]
    query: bool = True
    #: substrings of errors that mean "already there" and are ignored
    ignore: tuple[str, ...] = ()


def _properties(var: str, text: str) -> list[str] | None:
    match = re.fullmatch(_PROPS.format(v=re.escape(var)), text.strip())
    if not match:
        return None
    return [p.split(".", 1)[1].strip() for p in match.group("props").split(",")]


def to_falkordb(text: str, graph: str) -> list[FalkorCall]:
    """The FalkorDB commands that do what the Neo4j statement ``text`` does."""
    stripped = _LEADING_COMMENTS.sub("", text).strip()
    match = _CONSTRAINT.match(stripped)
    if match:
        var, label = match.group("var"), match.group("label")
        props = _properties(var, match.group("rest"))
        if props:
            fields = ", ".join(f"{var}.{p}" for p in props)
            return [
                FalkorCall(("GRAPH.QUERY", graph, f"CREATE INDEX FOR ({var}:`{label}`) ON ({fields})"),
                           ignore=("already indexed",)),
                FalkorCall(("GRAPH.CONSTRAINT", "CREATE", graph, "UNIQUE", "NODE", label,
                            "PROPERTIES", str(len(props)), *props), query=False, ignore=("already exists",)),
            ]
    match = _SHOW_INDEXES.match(stripped)
    if match:
        call = _show_indexes([c.strip() for c in match.group("columns").split(",")], graph)
        if call is not None:
            return [call]
    match = _INDEX.match(stripped)
    if match:
        var, label = match.group("var"), match.group("label")
        return [FalkorCall(("GRAPH.QUERY", graph, f"CREATE INDEX FOR ({var}:`{label}`) ON ({match.group('props')})"),
                           ignore=("already indexed",))]
    return [FalkorCall(("GRAPH.QUERY", graph, scope_subqueries(decode_unicode_escapes(text))))]


# one pass, left to right: string literals, quoted names and comments are copied as they are,
# so that only Cypher outside them is rewritten by scope_subqueries. The lookahead lets the
# scan pass most characters after one test instead of one per alternative (a push's statements
# run to several KB).
_REWRITES = re.compile(
    r"""(?=['"`/ce])(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*|/\*.*?\*/"""
    r"|\bCALL\s*\(\s*(?P<call>(?:[A-Za-z_]\w*\s*(?:,\s*[A-Za-z_]\w*\s*)*)?)\)\s*\{"
    r"|(?<![\w.`])(?P<eid>elementId\s*\())",
    re.S | re.I)


def _rewrite(match: re.Match[str]) -> str:
    if match.lastgroup == "call":
        names = match.group("call").strip()
        return f"CALL {{ WITH {names}" if names else "CALL {"
    if match.lastgroup == "eid":
        return "id("
    return match.group()  # a literal, a quoted name or a comment: as it is


def scope_subqueries(text: str) -> str:
    """Write Neo4j's ``CALL (x) { ... }`` subqueries as FalkorDB's ``CALL { WITH x ... }``, ``elementId(`` as ``id(``.

    Examples
    --------
    >>> print(scope_subqueries("WITH 1 AS x CALL (x) { RETURN x + 1 AS y } CALL () { CREATE () } RETURN 'CALL (x) {'"))
    WITH 1 AS x CALL { WITH x RETURN x + 1 AS y } CALL { CREATE () } RETURN 'CALL (x) {'
    >>> print(scope_subqueries("MATCH (n) WHERE elementId(n) = $e RETURN 'elementId(n)', n.elementId, `elementId(`"))
    MATCH (n) WHERE id(n) = $e RETURN 'elementId(n)', n.elementId, `elementId(`
    """
    upper = text.upper()
    if "CALL" not in upper and "ELEMENTID" not in upper:
        return text
    return _REWRITES.sub(_rewrite, text)


_REESCAPE = {"\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
             "\b": "\\b", "\f": "\\f"}


def decode_unicode_escapes(text: str) -> str:
    r"""Write out ``\uXXXX`` escapes of string literals, which FalkorDB keeps as text.

    Only string literals are touched; identifiers in backticks and comments
    are copied as they are.

    Examples
    --------
    >>> print(decode_unicode_escapes(r"RETURN 'caf\u00e9', '\u0027', `\u00e9` // '\u00e9'"))
    RETURN 'café', '\'', `\u00e9` // '\u00e9'
    """
    if "\\u" not in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "'\"":
            j = i + 1
            out.append(ch)
            while j < n and text[j] != ch:
                if text[j] == "\\" and j + 1 < n:
                    hexa = text[j + 2:j + 6]
                    if text[j + 1] == "u" and len(hexa) == 4 and all(c in "0123456789abcdefABCDEF" for c in hexa):
                        char = chr(int(hexa, 16))
                        out.append(_REESCAPE.get(char, char))
                        j += 6
                        continue
                    out.append(text[j:j + 2])
                    j += 2
                    continue
                out.append(text[j])
                j += 1
            out.append(text[j:j + 1])
            i = j + 1
        elif ch == "`":
            j = text.find("`", i + 1)
            j = n if j < 0 else j + 1
            out.append(text[i:j])
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(text[i:j])
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(text[i:j])
            i = j
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def plain(value: Any) -> Any:
    """A FalkorDB client value as a plain value of :class:`graph.cypher_runner.Result`."""
    if value is None or isinstance(value, (str, int, float, bool, date, datetime, time)):
        return value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    from falkordb import Edge, Node, Path

    if isinstance(value, Node):
        return GraphNode(tuple(value.labels or ()), {k: plain(v) for k, v in value.properties.items()})
    if isinstance(value, Edge):
        return GraphRelationship(value.relation, {k: plain(v) for k, v in value.properties.items()})
    if isinstance(value, Path):
        return GraphPath(tuple(plain(n) for n in value.nodes()), tuple(plain(e) for e in value.edges()))
    return str(value)


def cypher_params(params: Mapping[str, Any], written: Mapping[int, tuple[Any, str]] | None = None) -> str:
    """The ``CYPHER name=value ...`` header that carries ``params`` to FalkorDB.

    Values as the ``falkordb`` client writes them (:func:`param_text`),
    except lists of plain values (no maps), which :func:`list_text` writes
    as JSON: FalkorDB reads the same values from both, and JSON is written
    in C. ``written`` holds texts :func:`list_text` gave before, by the
    ``id()`` of their list (with the list, which must be the same object).

    Examples
    --------
    >>> print(cypher_params({"dataset": 'say "hi"', "rows": [{"id": "a", "n": 1, "x": None}], "keys": ["a", 1, True]}))
    CYPHER `dataset`="say \\"hi\\"" `rows`=[{`id`:"a",`n`:1,`x`:null}] `keys`=["a",1,true] 
    """
    header = ["CYPHER "]
    for key, value in params.items():
        name = key.decode() if isinstance(key, bytes) else str(key)
        text = None
        if type(value) is list:
            done = written.get(id(value)) if written else None
            text = done[1] if done is not None and done[0] is value else list_text(value)
        header.append(f"{_key(name)}={param_text(value) if text is None else text} ")
    return "".join(header)


def _json(value: Any) -> str | None:
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return None
    # a map (its keys would be JSON strings, not names) or a \uXXXX escape (FalkorDB keeps it
    # as text): the client's writer takes it. A "{" or "\\u" inside a string is rarer than not.
    return None if "{" in text or "\\u" in text else text


def list_text(value: list[Any]) -> str | None:
    r"""A list of plain values (text, numbers, booleans, null, lists) as JSON.

    FalkorDB reads from it the values it reads from :func:`param_text`'s
    text. An item that JSON cannot give exactly (a control character, a
    date) is written by :func:`param_text`; a list holding a map gives None.

    Examples
    --------
    >>> print(list_text([["a", 1, 2.5, None, False, ["b", 'say "hi"']]]))
    [["a",1,2.5,null,false,["b","say \"hi\""]]]
    >>> list_text([{"a": 1}]) is None
    True
    """
    if value and isinstance(value[0], Mapping):
        return None  # rows of maps (one kind of row a list): not worth a JSON attempt
    text = _json(value)
    if text is not None:
        return text
    parts = []
    for item in value:
        part = _json(item)
        if part is None:
            if isinstance(item, Mapping):
                return None
            part = param_text(item)
        parts.append(part)
    return "[" + ",".join(parts) + "]"


def _key(name: str) -> str:
    if not name or "`" in name:
        raise ValueError(f"a Cypher parameter or map key cannot be empty or hold a backtick: {name!r}")
    return f"`{name}`"


def _string(value: str) -> str:
    if "\\" in value or '"' in value:
        value = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{value}"'


def param_text(value: Any) -> str:
    """One parameter value as FalkorDB's header writes it (the ``falkordb`` client's format).

    A push sends hundreds of thousands of values; the client's writer
    (``falkordb.helpers.stringify_param_value``) checks every type in turn
    and was a third of a push's client time.

    Examples
    --------
    >>> print(param_text({"a": [1, 2.5, True, None, 'x"\\\\y']}))
    {`a`:[1,2.5,True,null,"x\\"\\\\y"]}
    """
    writer = _WRITERS.get(type(value))
    if writer is not None:
        return writer(value)
    if isinstance(value, bytes):
        return _string(value.decode())
    from falkordb.helpers import stringify_param_value

    return str(stringify_param_value(value))


def _map_text(value: Mapping[Any, Any]) -> str:
    keys = _KEYS
    parts = []
    for k, v in value.items():
        key = keys.get(k) if type(k) is str else None
        if key is None:
            key = _key(k.decode() if isinstance(k, bytes) else str(k))
            if type(k) is str and len(keys) < 10_000:
                keys[k] = key
        writer = _WRITERS.get(type(v))
        parts.append(f"{key}:{writer(v) if writer is not None else param_text(v)}")
    return "{" + ",".join(parts) + "}"


def _list_text(value: list[Any] | tuple[Any, ...]) -> str:
    writers = _WRITERS
    out = []
    for v in value:
        writer = writers.get(type(v))
        out.append(writer(v) if writer is not None else param_text(v))
    return "[" + ",".join(out) + "]"


#: map keys seen before, written once (a push repeats the same few keys on every row)
_KEYS: dict[Any, str] = {}
_WRITERS: dict[type, Any] = {
    str: _string, int: str, float: str, bool: str, type(None): lambda _: "null",
    dict: _map_text, list: _list_text, tuple: _list_text,
}


class _NotScalar(Exception):
    """A value :func:`parse_compact_reply` leaves to the client's parser."""


def _text(raw: Any) -> str:
    return raw.decode() if isinstance(raw, bytes) else raw if isinstance(raw, str) else str(raw)


def _scalar(cell: Any) -> Any:
    kind, raw = cell[0], cell[1]
    if kind == 2:
        return raw.decode() if isinstance(raw, bytes) else _text(raw)
    if kind == 3:
        return int(raw)
    if kind == 10:
        return _map(raw)
    if kind == 6:
        return [v[1].decode() if v[0] == 2 and isinstance(v[1], bytes) else _scalar(v) for v in raw]
    if kind == 1:
        return None
    if kind == 4:
        return _text(raw) == "true"
    if kind == 5:
        return float(raw)
    if kind == 14:
        return datetime.fromtimestamp(raw, tz=timezone.utc).date()
    raise _NotScalar


def _map(raw: Any) -> dict[str, Any]:
    # a read-back is mostly maps of text and numbers: those are decoded inline
    out: dict[str, Any] = {}
    pairs = iter(raw)
    for key, cell in zip(pairs, pairs):
        kind, value = cell[0], cell[1]
        if kind == 2 and isinstance(value, bytes):
            out[_text(key)] = value.decode()
        elif kind == 3:
            out[_text(key)] = int(value)
        else:
            out[_text(key)] = _scalar(cell)
    return out


def parse_compact_reply(response: Any) -> Any:
    """A ``--compact`` GRAPH.QUERY reply as a :class:`graph.cypher_runner.Result`, or None.

    None for an error reply and for a result holding anything but null,
    text, numbers, booleans, dates, lists and maps: the client's parser
    (which looks labels and types up in the graph's schema) takes those.
    The values are those :func:`plain` makes of the client's.

    Examples
    --------
    >>> reply = [[[1, b"id"], [1, b"props"]], [[[2, b"a"], [10, [b"n", [3, 1], b"ok", [4, b"true"]]]]], [b"stats"]]
    >>> r = parse_compact_reply(reply)
    >>> r.columns, r.rows
    (['id', 'props'], [['a', {'n': 1, 'ok': True}]])
    >>> parse_compact_reply([[[1, b"n"]], [[[8, [1, [0], []]]]], []]) is None
    True
    """
    from graph.cypher_runner import Result

    if not response or isinstance(response[0], Exception) or isinstance(response[-1], Exception):
        return None
    if len(response) == 1 or not response[0]:
        return Result([], [])
    columns = [_text(h[1]) for h in response[0]]
    try:
        rows = [[_scalar(cell) for cell in row] for row in response[1]]
    except _NotScalar:
        return None
    return Result(columns, rows)
