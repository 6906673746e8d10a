"""What the Neo4j exporter and ``actorgraph query`` need from a Cypher database.

Two runners implement :class:`CypherRunner`: :class:`graph.neo4j_bolt.Neo4jRunner`
(a Neo4j server over Bolt, official driver) and
:class:`graph.falkordb_engine.FalkorDBRunner` (FalkorDB, through the dialect
layer of :mod:`graph.cypher_dialect`). Both take Neo4j statements and
parameters and give back a :class:`Result` of plain Python values, so the
exporter and its tests run the very same statements against either.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Protocol

from loaders import ActorgraphError


class DatabaseError(ActorgraphError):
    """A database refused, failed or could not be reached; the message says how to fix it."""


class ConnectionLost(DatabaseError):
    """The connection failed while statements were being sent."""


class StatementFailed(DatabaseError):
    """The database rejected a statement."""


@dataclass(frozen=True)
class GraphNode:
    """A node in a query result."""

    labels: tuple[str, ...]
    properties: Mapping[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"labels": list(self.labels), "properties": to_json(dict(self.properties))}

    def __str__(self) -> str:
        props = ", ".join(f"{k}: {_show(v)}" for k, v in self.properties.items())
        return "(" + "".join(f":{label}" for label in self.labels) + (" {" + props + "}" if props else "") + ")"


@dataclass(frozen=True)
class GraphRelationship:
    """A relationship in a query result."""

    type: str
    properties: Mapping[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"type": self.type, "properties": to_json(dict(self.properties))}

    def __str__(self) -> str:
        props = ", ".join(f"{k}: {_show(v)}" for k, v in self.properties.items())
        return f"[:{self.type}" + (" {" + props + "}" if props else "") + "]"


@dataclass(frozen=True)
class GraphPath:
    """A path in a query result: nodes and the relationships between them."""

    nodes: tuple[GraphNode, ...]
    relationships: tuple[GraphRelationship, ...]

    def as_json(self) -> dict[str, Any]:
        return {"nodes": [n.as_json() for n in self.nodes],
                "relationships": [r.as_json() for r in self.relationships]}

    def __str__(self) -> str:
        parts = [str(self.nodes[0])] if self.nodes else []
        for rel, node in zip(self.relationships, self.nodes[1:]):
            parts += [f"-{rel}-", str(node)]
        return "".join(parts)


@dataclass(frozen=True)
class Result:
    """Columns and rows of plain values: str, int, float, bool, None,
    ``datetime.date``/``datetime``/``time``, lists, dicts, and
    :class:`GraphNode` / :class:`GraphRelationship` / :class:`GraphPath`."""

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    def as_json(self) -> dict[str, Any]:
        """``{"columns": [...], "rows": [{column: value}]}`` with JSON-ready values."""
        return {"columns": list(self.columns), "rows": [to_json(r) for r in self.records()]}

    def table(self) -> str:
        """A plain-text table (strings unquoted, other values as Cypher shows them)."""
        cells = [[_cell(v) for v in row] for row in self.rows]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(self.columns)]
        line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        out = [line, "| " + " | ".join(c.ljust(w) for c, w in zip(self.columns, widths)) + " |", line]
        out += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in cells]
        out += [line] if cells else []
        count = len(self.rows)
        return "\n".join(out + [f"{count} row{'s' if count != 1 else ''}"])


def _show(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _cell(value: Any) -> str:
    # one line per row, whatever the data holds
    text = value if isinstance(value, str) else _show(value)
    return text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def to_json(value: Any) -> Any:
    """A JSON-ready copy: dates as ISO text, graph values as dicts."""
    if isinstance(value, (GraphNode, GraphRelationship, GraphPath)):
        return value.as_json()
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


class CypherRunner(Protocol):
    """Runs Neo4j statements with parameters; each call is one transaction."""

    #: what the runner talks to, for messages (never holds a password)
    target: str

    def read(self, text: str, params: Mapping[str, Any] | None = None) -> Result:
        """Run a read-only statement."""

    def write(self, text: str, params: Mapping[str, Any] | None = None) -> Result:
        """Run a statement that may write, in a write transaction."""


def send_writes(runner: CypherRunner,
                statements: Sequence[tuple[str, Mapping[str, Any] | None]]) -> Callable[[], list[Result]]:
    """Send writes; what it returns waits for their results.

    A runner that can (:meth:`graph.falkordb_engine.FalkorDBRunner.send_writes`)
    sends them at once and returns while the server works; any other runs
    them one by one now. Call what it returns before sending anything else.
    """
    send = getattr(runner, "send_writes", None)
    if send is not None:
        return send(statements)  # type: ignore[no-any-return]
    results = [runner.write(text, params) for text, params in statements]
    return lambda: results


def prepare(runner: CypherRunner, params: Mapping[str, Any]) -> None:
    """Let ``runner`` make ready the parameters of its next statement, if it can (FalkorDB writes them out)."""
    ready = getattr(runner, "prepare", None)
    if ready is not None:
        ready(params)
