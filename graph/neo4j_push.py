"""Push the core graph into a Cypher database: constraints, nodes, relationships.

:func:`push` lists the schema and reads back what this dataset wrote before,
creates only the constraints and index that are missing (while it plans),
compares what it read with the graph, and sends only what differs, in ``UNWIND $rows`` batches, one write
transaction per batch. What changed is MERGEd by key; what the read-back
proves absent is CREATEd, and a CREATE batch the database refuses (the key
constraint: someone made the node since) or cannot check (an end deleted
since) is sent again as the MERGEs. A batch is one transaction, so a batch
that is retried (the driver retries transient errors) or a run that is cut
off and started again leaves no duplicate: the next run reads back what
the cut-off one wrote. A second run sends nothing.
With ``replace=True`` it also removes what this dataset wrote before and no
longer has; nothing of another dataset, and nothing without a ``dataset``
property, is ever matched, let alone changed.

:func:`plan_push` builds the same batches without a database (``--dry-run``
and the Cypher script use it).
"""

from __future__ import annotations

import gc
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import networkx as nx

from graph.cypher_runner import ConnectionLost, CypherRunner, DatabaseError, Result, StatementFailed, prepare, send_writes
from graph.neo4j_mapping import DATE_FIELDS, ENTITY, KEY_FIELDS, SOURCE, SOURCE_FIELDS, TYPE_FIELDS, Neo4jMapping

DEFAULT_BATCH_SIZE = 1000
T = TypeVar("T")


@dataclass
class Counts:
    """What happened to one kind of record."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    #: written earlier, gone from the facts, still in the database (no --replace,
    #: or something else links to it)
    stale: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "removed": self.removed, "stale": self.stale}


@dataclass(frozen=True)
class Batch:
    """One statement with its parameters: one transaction."""

    phase: str  # schema, sources, entities, relocate, relationships, remove-{relationships,entities,sources}
    text: str
    params: Mapping[str, Any]
    rows: int
    #: what to send instead when this statement fails or (``checked``) returns no row: the same
    #: rows as idempotent MERGEs by key (a CREATE batch whose read-back went out of date); built
    #: only if needed
    fallback: Callable[[], list[Batch]] | None = None
    checked: bool = False
    #: a CREATE batch's entity keys: those it creates (entities); those whose element ids go
    #: in ``$ids`` (relationships)
    keys: tuple[str, ...] = ()


@dataclass
class Plan:
    """The batches a push sends, in order, and the counts it expects."""

    mapping: Neo4jMapping
    batches: list[Batch]
    counts: dict[str, Counts]

    @property
    def rows(self) -> int:
        return sum(b.rows for b in self.batches)


@dataclass
class PushSummary:
    """The outcome of :func:`push`."""

    dataset: str
    target: str
    entities: Counts
    sources: Counts
    relationships: Counts
    batches: int = 0
    rows: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated or c.removed for c in (self.entities, self.sources, self.relationships))

    def as_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "target": self.target,
                "entities": self.entities.as_dict(), "sources": self.sources.as_dict(),
                "relationships": self.relationships.as_dict(),
                "batches": self.batches, "rows": self.rows, "seconds": round(self.seconds, 3)}

    def __str__(self) -> str:
        lines = [f"dataset {self.dataset!r} -> {self.target}"]
        for name in ("entities", "sources", "relationships"):
            c: Counts = getattr(self, name)
            line = (f"  {name + ':':<15}{c.created:>6} created {c.updated:>6} updated "
                    f"{c.unchanged:>6} unchanged {c.removed:>6} removed")
            if c.stale:
                line += f" ({c.stale} stale kept)"
            lines.append(line)
        lines.append(f"  {self.rows} rows in {self.batches} batches, {self.seconds:.2f} s")
        if any(c.stale for c in (self.entities, self.sources, self.relationships)):
            lines.append("  stale: written by an earlier run, gone from the facts; --replace removes them "
                         "(a node that other data links to is always kept)")
        return "\n".join(lines)


@dataclass
class Existing:
    """What the database holds for one dataset (read back before writing)."""

    entities: dict[str, tuple[frozenset[str], dict[str, Any]]] = field(default_factory=dict)
    #: each entity's element id, as read (valid only as long as nobody else deletes the node)
    entity_ids: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    relations: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = field(default_factory=dict)


@contextmanager
def _gc_paused() -> Iterator[None]:
    # A read-back and a plan build millions of small acyclic objects (reply
    # arrays, rows, dicts); each young collection the allocations trigger
    # walks them again, which was 90% of a 100k read-back's client time.
    # None of them is garbage in a cycle, so nothing is lost by waiting.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_existing(runner: CypherRunner, mapping: Neo4jMapping) -> Existing:
    """Read what ``mapping.dataset`` holds in the database."""
    with _gc_paused():
        return _read_existing(runner, mapping)


def missing_schema(runner: CypherRunner, mapping: Neo4jMapping) -> list[str]:
    """The schema statements of ``mapping`` that the database lacks (read once, see :meth:`Neo4jMapping.missing_schema`).

    Every statement when the schema cannot be listed (a user without the
    privilege to see indexes): each is idempotent anyway.
    """
    try:
        rows = runner.read(mapping.read_schema(), {}).records()
    except ConnectionLost:
        raise
    except DatabaseError:
        return mapping.constraints()
    return mapping.missing_schema(rows)


def _read_existing(runner: CypherRunner, mapping: Neo4jMapping) -> Existing:
    params = {"dataset": mapping.dataset}
    out = Existing()
    for rec in runner.read(mapping.read_entities(), params).records():
        out.entities[rec["id"]] = (frozenset(rec["labels"]), dict(rec["props"]))
        out.entity_ids[rec["id"]] = rec["eid"]
    for rec in runner.read(mapping.read_sources(), params).records():
        out.sources[rec["id"]] = dict(rec["props"])
    for rec in runner.read(mapping.read_relations(), params).records():
        out.relations.setdefault(rec["id"], []).append((rec["type"], rec["source"], rec["target"], dict(rec["props"])))
    return out


def _same(a: Any, b: Any) -> bool:
    # True == 1 in Python; a stored 1 must not pass for a flag
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_same, a, b))
    return a == b


def _same_props(want: Mapping[str, Any], have: Mapping[str, Any], keys: Iterable[str]) -> bool:
    mine = {k: have[k] for k in keys if k in have}
    # == is looser than _same (True == 1 == 1.0): unequal is different, equal still needs the types
    return mine == want and all(map(_same, want.values(), [mine[k] for k in want]))


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _grouped_chunks(groups: Mapping[Any, list[T]], size: int) -> Iterator[list[tuple[Any, list[T]]]]:
    """Chunks of at most ``size`` rows over the groups in sorted order, each as (group, rows) pairs."""
    chunk: list[tuple[Any, list[T]]] = []
    room = size
    for group in sorted(groups):
        rows = groups[group]
        while rows:
            part, rows = rows[:room], rows[room:]
            chunk.append((group, part))
            room -= len(part)
            if room == 0:
                yield chunk
                chunk, room = [], size
    if chunk:
        yield chunk


def _source_fallback(m: Neo4jMapping, params: Mapping[str, Any], rows: list[dict[str, Any]]) -> list[Batch]:
    return [Batch("sources", m.source_upsert(), {**params, "rows": rows}, len(rows))]


def _entity_create_batch(m: Neo4jMapping, params: Mapping[str, Any],
                         chunk: list[tuple[Any, list[list[Any]]]]) -> Batch:
    def fallback() -> list[Batch]:
        nodes = m.G.nodes
        return [Batch("entities", m.entity_upsert(labels),
                      {**params, "rows": [m.entity_row(row[0], nodes[row[0]]) for row in rows]}, len(rows))
                for labels, rows in chunk]

    return Batch("entities", m.entity_create([labels for labels, _ in chunk]),
                 {**params, **{f"rows{i}": rows for i, (_, rows) in enumerate(chunk)}},
                 sum(len(rows) for _, rows in chunk), fallback,
                 keys=tuple(row[0] for _, rows in chunk for row in rows))


def _relation_create_batch(m: Neo4jMapping, params: Mapping[str, Any],
                           chunk: list[tuple[Any, list[tuple[str, str, str, Mapping[str, Any]]]]]) -> Batch:
    keys: dict[str, int] = {}
    statement_params: dict[str, Any] = {**params}
    for i, (rtype, records) in enumerate(chunk):
        statement_params[f"rows{i}"] = [
            [key, keys.setdefault(u, len(keys)), keys.setdefault(v, len(keys)), *m.relation_values(rtype, attrs)]
            for u, v, key, attrs in records]
        statement_params.update({f"{k}{i}": value for k, value in zip(TYPE_FIELDS, m.type_values(rtype))})
    statement_params["keys"] = list(keys)

    def fallback() -> list[Batch]:
        return [Batch("relationships", m.relation_upsert(rtype),
                      {**params, "rows": [m.relation_row(u, v, key, attrs) for u, v, key, attrs in records]},
                      len(records))
                for rtype, records in chunk]

    return Batch("relationships", m.relation_create([rtype for rtype, _ in chunk]), statement_params,
                 sum(len(records) for _, records in chunk), fallback, checked=True, keys=tuple(keys))


def plan_push(
    G: nx.MultiDiGraph,
    *,
    dataset: str | None = None,
    existing: Existing | None = None,
    replace: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    mapping: Neo4jMapping | None = None,
    create: bool = False,
) -> Plan:
    """The batches that bring the database from ``existing`` to ``G``.

    With ``existing=None`` (an empty database, a dry run, the Cypher script)
    every record is written.

    With ``create=True`` (the push, which has just read ``existing`` back),
    entities and relations that ``existing`` proves absent are written with
    CREATE, all label sets or types of a batch in one statement, each batch
    carrying the MERGE batches to send instead if it fails (see
    :func:`push`). Otherwise, and always with ``batch_size=1`` (one row per
    statement), every record is MERGEd by key, one statement per label set
    or type.

    Examples
    --------
    >>> from graph.core import load
    >>> G = load("facts/chicago-sanctuary")
    >>> plan = plan_push(G)
    >>> [b.phase for b in plan.batches][:4]
    ['schema', 'schema', 'schema', 'sources']
    >>> plan.counts["entities"].created == G.number_of_nodes()
    True
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    m = mapping or Neo4jMapping.of(G, dataset=dataset)
    have = existing or Existing()
    counts = {name: Counts() for name in ("entities", "sources", "relationships")}
    batches = [Batch("schema", text, {}, 0) for text in m.constraints()]
    params = {"dataset": m.dataset}

    def add(phase: str, text: str, rows: list[dict[str, Any]]) -> None:
        for chunk in _chunks(rows, batch_size):
            batches.append(Batch(phase, text, {**params, "rows": chunk}, len(chunk)))

    # what the read-back proves absent is CREATEd, many label sets or types a statement
    combined = create and batch_size > 1
    source_keys = (*KEY_FIELDS, *SOURCE_FIELDS, *DATE_FIELDS)
    rows = []
    new_sources = []
    for row in m.source_rows():
        old = have.sources.get(row["id"])
        if old is None:
            counts["sources"].created += 1
            if combined:
                new_sources.append(row)
                continue
        elif _same_props(m.stored(row, m.dataset), old, source_keys):
            counts["sources"].unchanged += 1
            continue
        else:
            counts["sources"].updated += 1
        rows.append(row)
    add("sources", m.source_upsert(), rows)
    for new_chunk in _chunks(new_sources, batch_size):
        batches.append(Batch("sources", m.source_create(), {**params, "rows": [m.source_values(r) for r in new_chunk]},
                             len(new_chunk), partial(_source_fallback, m, params, new_chunk)))
    entity_keys = (*KEY_FIELDS, *m.entity_keys, *DATE_FIELDS)
    by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    new_by_labels: dict[tuple[str, ...], list[list[Any]]] = defaultdict(list)
    for labels, node, attrs in m.entity_records():
        old_entity = have.entities.get(node)
        if old_entity is None:
            counts["entities"].created += 1
            if combined:
                new_by_labels[labels].append(m.entity_values(labels, node, attrs))
                continue
            row = m.entity_row(node, attrs)
        else:
            row = m.entity_row(node, attrs)
            if (old_entity[0] & m.labels) == set(labels) and _same_props(m.stored(row, m.dataset), old_entity[1], entity_keys):
                counts["entities"].unchanged += 1
                continue
            counts["entities"].updated += 1
        by_labels[labels].append(row)
    for labels in sorted(by_labels):
        add("entities", m.entity_upsert(labels), by_labels[labels])
    for labelled in _grouped_chunks(new_by_labels, batch_size):
        batches.append(_entity_create_batch(m, params, labelled))

    relation_keys = (*KEY_FIELDS, *m.relation_keys, *DATE_FIELDS)
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    new_by_type: dict[str, list[tuple[str, str, str, Mapping[str, Any]]]] = defaultdict(list)
    moved: list[dict[str, Any]] = []
    wanted: set[str] = set()
    for rtype, u, v, key, attrs in m.relation_records():
        wanted.add(key)
        olds = have.relations.get(key)
        if not olds:
            counts["relationships"].created += 1
            if combined and m.has_type_values(rtype, attrs):
                new_by_type[rtype].append((u, v, key, attrs))
            else:
                by_type[rtype].append(m.relation_row(u, v, key, attrs))
            continue
        place = (rtype, u, v)
        # an explicit id kept while type or ends changed: the old relationship goes
        moved += [{"id": key, "type": t, "source": s, "target": o}
                  for t, s, o, _ in olds if (t, s, o) != place]
        same_place = [p for t, s, o, p in olds if (t, s, o) == place]
        row = m.relation_row(u, v, key, attrs)
        if len(olds) == 1 and same_place and _same_props(m.stored(row, m.dataset), same_place[0], relation_keys):
            counts["relationships"].unchanged += 1
            continue
        counts["relationships"].updated += 1
        by_type[rtype].append(row)
    add("relocate", m.relation_delete(), moved)
    for rtype in sorted(by_type):
        add("relationships", m.relation_upsert(rtype), by_type[rtype])
    for rchunk in _grouped_chunks(new_by_type, batch_size):
        batches.append(_relation_create_batch(m, params, rchunk))

    stale_relations = [{"id": rid, "type": t, "source": s, "target": o}
                       for rid, olds in sorted(have.relations.items()) if rid not in wanted for t, s, o, _ in olds]
    entity_ids = set(m.G.nodes)
    stale_entities = [{"id": i} for i in sorted(have.entities) if i not in entity_ids]
    source_ids = set(m.G.graph.get("sources", {}))
    stale_sources = [{"id": i} for i in sorted(have.sources) if i not in source_ids]
    counts["relationships"].stale = len(stale_relations)
    counts["entities"].stale = len(stale_entities)
    counts["sources"].stale = len(stale_sources)
    if replace:
        add("remove-relationships", m.relation_delete(), stale_relations)
        add("remove-entities", m.node_delete(ENTITY), stale_entities)
        add("remove-sources", m.node_delete(SOURCE), stale_sources)
    return Plan(m, batches, counts)


def _write(runner: CypherRunner, batch: Batch, element_ids: dict[str, Any], ahead: Batch | None = None) -> Result:
    """Send one batch; if it is a CREATE batch that the database refused, send its MERGE batches instead.

    The read-back is not a lock: a node another client made since (a key
    the CREATE breaks) or deleted (an end the relations' statement does
    not find, so it writes nothing) sends the same rows by key, idempotently.
    ``element_ids`` (entity key -> element id) gains the entities created.
    While the database creates entities, the parameters of the batch
    ``ahead`` are made ready (see :func:`graph.cypher_runner.prepare`).
    """
    if batch.fallback is None:
        return runner.write(batch.text, batch.params)
    params = batch.params
    try:
        if batch.checked:
            ids = [element_ids.get(key) for key in batch.keys]
            if None in ids:
                raise LookupError  # an end written by key (a fallback): found by key too
            params = {**params, "ids": ids}
        if batch.checked:
            result = runner.write(batch.text, params)
        else:
            created = send_writes(runner, [(batch.text, params)])
            if ahead is not None:
                prepare(runner, ahead.params)
            result = created()[0]
        if not batch.checked:
            # [key, element id] of each node created: an id not given is found by key instead
            if result.rows and isinstance(result.rows[0][0], list):
                element_ids.update((pair[0], pair[1]) for pair in result.rows[0][0]
                                   if isinstance(pair, list) and len(pair) == 2)
            return result
        if result.rows:
            return result
    except (StatementFailed, LookupError):
        pass
    for fallback in batch.fallback():
        result = runner.write(fallback.text, fallback.params)
    return result


def push(
    G: nx.MultiDiGraph,
    runner: CypherRunner,
    *,
    dataset: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    replace: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> PushSummary:
    """Write ``G`` to the database behind ``runner`` as one dataset.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The core graph (read, never changed).
    runner : CypherRunner
        A :class:`graph.neo4j_bolt.Neo4jRunner` or :class:`graph.falkordb_engine.FalkorDBRunner`.
    dataset : str, optional
        The dataset name every node and relationship records (default: the
        fact base's name).
    batch_size : int
        Rows per ``UNWIND $rows`` statement (one transaction each).
    replace : bool
        Also remove what this dataset wrote before and no longer has.
    progress : callable, optional
        ``progress(rows, total)``: called with the rows of each batch once
        it is written, and the total rows to write.

    Raises
    ------
    graph.cypher_runner.DatabaseError
        With a sentence naming what failed; :class:`ConnectionLost` when the
        connection fails midway (re-running then completes the export).

    Examples
    --------
    >>> from graph.core import load
    >>> from graph.falkordb_engine import EmbeddedFalkorDB
    >>> G = load("facts/chicago-sanctuary")
    >>> with EmbeddedFalkorDB() as db:
    ...     first = push(G, db)
    ...     again = push(G, db)
    >>> first.relationships.created == G.number_of_edges(), again.changed
    (True, False)
    """
    started = time.perf_counter()
    mapping = Neo4jMapping.of(G, dataset=dataset)
    with _gc_paused():
        # read before the schema is made: a database that has nothing yet answers at once
        schema = missing_schema(runner, mapping)
        existing = _read_existing(runner, mapping)
    # the server makes the schema while the batches are planned here
    schema_made = send_writes(runner, [(text, {}) for text in schema])
    try:
        with _gc_paused():
            plan = plan_push(G, existing=existing, replace=replace, batch_size=batch_size, mapping=mapping,
                             create=True)
    finally:
        schema_made()
    data = [b for b in plan.batches if b.phase != "schema"]
    counts = plan.counts
    element_ids = dict(existing.entity_ids)
    for done, batch in enumerate(data):
        try:
            with _gc_paused():
                result = _write(runner, batch, element_ids, data[done + 1] if done + 1 < len(data) else None)
        except ConnectionLost as exc:
            raise ConnectionLost(
                f"{exc} - after {done} of {len(data)} batches were written. Nothing is half-written and "
                "every statement is idempotent: run the same command again to finish."
            ) from None
        if batch.phase in ("remove-entities", "remove-sources"):
            # a node that other data still links to is kept: count what went
            deleted = int(result.rows[0][0]) if result.rows else 0
            c = counts["entities" if batch.phase == "remove-entities" else "sources"]
            c.removed += deleted
            c.stale -= deleted
        if progress:
            progress(batch.rows, plan.rows)
    if replace:
        counts["relationships"].removed = counts["relationships"].stale
        counts["relationships"].stale = 0
    return PushSummary(mapping.dataset, runner.target, counts["entities"], counts["sources"],
                       counts["relationships"], batches=len(data), rows=plan.rows,
                       seconds=time.perf_counter() - started)
