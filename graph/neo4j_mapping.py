"""The Neo4j mapping: how the core graph becomes labelled nodes and typed relationships.

One mapping feeds every Neo4j-shaped output (Bolt push, Cypher script,
neo4j-admin CSV) and the embedded query engine, so that they agree.

- An entity is a node ``:Entity`` plus the labels of its kind's lineage,
  from the vocabulary only (a ``police`` entity is
  ``:Entity:Organization:Agency:Police``).
- A source is a node ``:Source``.
- A relation is a relationship whose type is the relation type in
  UPPER_SNAKE (``SPONSORS``), from the vocabulary only. Its citations are
  two parallel lists, ``sources`` (source ids) and ``quotes`` (the quote, or
  ``""`` when the citation has none: Neo4j lists cannot hold null).
- Every node and relationship carries ``dataset``; nodes are keyed by
  ``(dataset, id)`` behind a uniqueness constraint, relationships are MERGEd
  on ``(dataset, id)`` between their two nodes, so parallel relations of one
  type stay distinct and two datasets never write to each other's data.
- Partial dates stay as written (``date``, ``start``, ``end``,
  ``published``) and are also stored as Neo4j ``date`` bounds ``firstDate``
  and ``lastDate`` (the first and last day of the interval they cover).

Labels and types are checked against the vocabulary and backtick-quoted;
every value travels as a query parameter (``$dataset``, ``$rows``). Nothing
from a fact file ever becomes query text.

Examples
--------
>>> from graph.core import load
>>> G = load("facts/chicago-sanctuary")
>>> m = Neo4jMapping.of(G)
>>> m.dataset, m.node_labels("chicago-police-department")
('chicago-sanctuary', ('Entity', 'Organization', 'Agency', 'Police'))
>>> print(m.relation_upsert("SPONSORS"))
UNWIND $rows AS row
MATCH (a:`Entity` {dataset: $dataset, id: row.source})
MATCH (b:`Entity` {dataset: $dataset, id: row.target})
MERGE (a)-[r:`SPONSORS` {dataset: $dataset, id: row.id}]->(b)
SET r += row.props, r.firstDate = date(row.firstDate), r.lastDate = date(row.lastDate)
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from operator import itemgetter
from typing import Any

import networkx as nx

from loaders import ActorgraphError, PartialDate, Vocabulary

ENTITY = "Entity"
SOURCE = "Source"

#: node properties every entity gets besides ``dataset`` and ``id``
ENTITY_FIELDS = ("kind", "name", "aliases", "description")
#: relationship properties every relation gets besides ``dataset`` and ``id``
RELATION_FIELDS = ("type", "label", "inverse", "polarity", "symmetric", "date", "start", "end",
                   "description", "sources", "quotes")
#: relation properties the vocabulary gives a type, the same on every relation of it:
#: :meth:`Neo4jMapping.relation_create` sends them once a type, not once a row
TYPE_FIELDS = RELATION_FIELDS[:5]
# relation_values writes the citations' two lists after these (RELATION_FIELDS ends with them)
_ROW_FIELDS = RELATION_FIELDS[len(TYPE_FIELDS):-2]
_TYPE_VALUES = itemgetter(*TYPE_FIELDS)
_SOURCE, _QUOTE = itemgetter("source"), itemgetter("quote")
#: node properties every source gets besides ``dataset`` and ``id``
SOURCE_FIELDS = ("text", "title", "publisher", "author", "published", "url")
#: properties the mapping adds: the owning dataset and the date bounds
KEY_FIELDS = ("dataset", "id")
DATE_FIELDS = ("firstDate", "lastDate")

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class SchemaItem:
    """One index or uniqueness constraint of the mapping."""

    name: str
    label: str
    properties: tuple[str, ...]
    unique: bool

    @property
    def statement(self) -> str:
        props = ", ".join(f"n.{p}" for p in self.properties)
        if self.unique:
            return (f"CREATE CONSTRAINT {self.name} IF NOT EXISTS FOR (n:`{self.label}`) "
                    f"REQUIRE ({props}) IS UNIQUE")
        return f"CREATE INDEX {self.name} IF NOT EXISTS FOR (n:`{self.label}`) ON ({props})"

    def held_by(self, row: Mapping[str, Any]) -> bool:
        """Whether a row of :meth:`Neo4jMapping.read_schema` is this item, or does its work."""
        owner = row.get("owningConstraint")
        if (owner if self.unique else row.get("name")) == self.name:
            return True  # the name is taken: IF NOT EXISTS would do nothing
        same = (row.get("entityType") == "NODE" and row.get("type") == "RANGE"
                and list(row.get("labelsOrTypes") or ()) == [self.label]
                and tuple(row.get("properties") or ()) == self.properties)
        # a constraint's own index serves lookups too; a plain index never makes keys unique
        return same and (owner is not None or not self.unique)


#: the schema of every dataset, created before any data
SCHEMA = (
    SchemaItem("actorgraph_entity_key", ENTITY, ("dataset", "id"), unique=True),
    SchemaItem("actorgraph_source_key", SOURCE, ("dataset", "id"), unique=True),
    # lookups by id alone (`MATCH (n:Entity {id: 'ice'})`) are the common user query
    SchemaItem("actorgraph_entity_id", ENTITY, ("id",), unique=False),
)


class MappingError(ActorgraphError):
    """The vocabulary cannot be mapped to Neo4j (a reserved label or property)."""


def quote_name(name: str, allowed: Collection[str]) -> str:
    """Backtick-quote a label or relationship type, after checking it.

    Only names from the vocabulary (``allowed``) ever reach query text.

    Examples
    --------
    >>> quote_name("Police", {"Police"})
    '`Police`'
    >>> quote_name("Police`) DETACH DELETE (n", {"Police"})
    Traceback (most recent call last):
    ...
    graph.neo4j_mapping.MappingError: 'Police`) DETACH DELETE (n' is not a label or type of the vocabulary
    """
    if name not in allowed or not _NAME.match(name):
        raise MappingError(f"{name!r} is not a label or type of the vocabulary")
    return f"`{name}`"


def _props(attrs: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    get = attrs.get
    return {k: list(v) if type(v) is tuple else v for k in keys for v in (get(k),)}


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_YEAR = re.compile(r"[0-9]{4}")


def _iso_days(text: str) -> tuple[str, str]:
    """The first and last day of a partial date, ISO-written: :class:`loaders.PartialDate`'s, faster.

    Examples
    --------
    >>> _iso_days("2024-02"), _iso_days("2025"), _iso_days("2025-01-15")
    (('2024-02-01', '2024-02-29'), ('2025-01-01', '2025-12-31'), ('2025-01-15', '2025-01-15'))
    """
    # a push meets as many dates as records; PartialDate.parse was a third of building the rows
    try:
        if _DAY.fullmatch(text):
            date.fromisoformat(text)
            return text, text
        if _MONTH.fullmatch(text):
            first = date.fromisoformat(text + "-01")
            return text + "-01", f"{text}-{monthrange(first.year, first.month)[1]:02d}"
        if _YEAR.fullmatch(text) and text != "0000":
            return text + "-01-01", text + "-12-31"
    except ValueError:
        pass
    span = PartialDate.parse(text)  # anything else: its own answer, or its error
    return span.first.isoformat(), span.last.isoformat()


def _iso_bounds(when: str | None, start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """:func:`graph.core.interval` of these date fields, ISO-written."""
    if when:
        return _iso_days(when)
    return (_iso_days(start)[0] if start else None, _iso_days(end)[1] if end else None)


def quote_key(name: str) -> str:
    """Backtick-quote a property key of the vocabulary (lower_snake words), after checking it."""
    if not _NAME.match(name):
        raise MappingError(f"{name!r} is not a property name of the vocabulary")
    return f"`{name}`"


@dataclass(frozen=True)
class Neo4jMapping:
    """The mapping of one core graph, as one dataset.

    Build it with :meth:`of`; it holds the graph, the dataset name and the
    property sets derived from the vocabulary.
    """

    G: nx.MultiDiGraph
    dataset: str
    entity_keys: tuple[str, ...]
    relation_keys: tuple[str, ...]
    labels: frozenset[str]
    types: frozenset[str]

    @classmethod
    def of(cls, G: nx.MultiDiGraph, *, dataset: str | None = None) -> Neo4jMapping:
        """The mapping of ``G`` as dataset ``dataset`` (default: the fact base's name).

        Raises
        ------
        MappingError
            When the vocabulary uses a label or property name the mapping reserves.
        """
        vocab: Vocabulary = G.graph["vocabulary"]
        name = dataset if dataset is not None else G.graph.get("name") or "default"
        if not isinstance(name, str) or not name.strip():
            raise MappingError("the dataset name is empty; pass --dataset NAME")
        labels = {k.label for k in vocab.kinds.values()}
        for reserved in (ENTITY, SOURCE):
            if reserved in labels:
                raise MappingError(f"a kind of the vocabulary is labelled {reserved!r}, which the Neo4j mapping "
                                   f"reserves for its own nodes; give that kind another label")
        entity_props = sorted({p for k in vocab.kinds.values() for p in k.properties})
        relation_props = sorted({p for r in vocab.relations.values() for p in r.properties})
        for what, props, taken in (("kind", entity_props, (*KEY_FIELDS, *ENTITY_FIELDS)),
                                   ("relation type", relation_props, (*KEY_FIELDS, *RELATION_FIELDS))):
            clash = sorted(set(props) & set(taken))
            if clash:
                raise MappingError(f"a {what} of the vocabulary has a property named {clash[0]!r}, which the Neo4j "
                                   f"mapping uses for its own data; rename that property")
        return cls(
            G=G, dataset=name,
            entity_keys=(*ENTITY_FIELDS, *entity_props),
            relation_keys=(*RELATION_FIELDS, *relation_props),
            labels=frozenset({ENTITY, SOURCE, *labels}),
            types=frozenset(r.neo4j_type for r in vocab.relations.values()),
        )

    @property
    def vocabulary(self) -> Vocabulary:
        return self.G.graph["vocabulary"]

    @cached_property
    def _seen_bounds(self) -> dict[tuple[Any, Any, Any], tuple[str | None, str | None]]:
        return {}

    def _bounds(self, attrs: Mapping[str, Any]) -> tuple[str | None, str | None]:
        # records share few dates, and parsing one was most of a row's cost
        get = attrs.get
        fields = (get("date"), get("start"), get("end"))
        out = self._seen_bounds.get(fields)
        if out is None:
            out = self._seen_bounds[fields] = _iso_bounds(*fields)
        return out

    # -- what goes in ---------------------------------------------------

    def node_labels(self, node: str) -> tuple[str, ...]:
        """All labels of an entity's node, ``Entity`` first."""
        return (ENTITY, *self.vocabulary.labels(self.G.nodes[node]["kind"]))

    def entity_rows(self) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
        """``(labels, row)`` for each entity; ``row`` has ``id``, ``props`` and the date bounds."""
        for labels, node, attrs in self.entity_records():
            yield labels, self.entity_row(node, attrs)

    def entity_records(self) -> Iterator[tuple[tuple[str, ...], str, Mapping[str, Any]]]:
        """``(labels, id, attributes)`` for each entity (labels computed once a kind)."""
        vocab = self.vocabulary
        labels_of: dict[str, tuple[str, ...]] = {}
        for node, attrs in self.G.nodes(data=True):
            kind = attrs["kind"]
            labels = labels_of.get(kind)
            if labels is None:
                labels = labels_of[kind] = (ENTITY, *vocab.labels(kind))
            yield labels, node, attrs

    def entity_row(self, node: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
        """An entity's row for :meth:`entity_upsert`."""
        first, last = self._bounds(attrs)
        return {"id": node, "props": _props(attrs, self.entity_keys), "firstDate": first, "lastDate": last}

    def entity_values(self, labels: tuple[str, ...], node: str, attrs: Mapping[str, Any]) -> list[Any]:
        """An entity's row for :meth:`entity_create`: id, the date bounds, then :meth:`entity_kind_keys`."""
        get = attrs.get
        return [node, *self._bounds(attrs),
                *[list(v) if type(v) is tuple else v for v in map(get, self._kind_keys[labels])]]

    def source_rows(self) -> Iterator[dict[str, Any]]:
        """A row for each source: ``id``, ``props`` and the bounds of ``published``."""
        for sid, source in self.G.graph.get("sources", {}).items():
            props = {key: source.get(key) for key in SOURCE_FIELDS}
            published = source.get("published")
            first, last = _iso_days(published) if published else (None, None)
            yield {"id": sid, "props": props, "firstDate": first, "lastDate": last}

    def relation_rows(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(relationship type, row)`` for each relation; ``row`` has ``id``, ``source``, ``target``, ``props``."""
        for rtype, u, v, key, attrs in self.relation_records():
            yield rtype, self.relation_row(u, v, key, attrs)

    def relation_records(self) -> Iterator[tuple[str, str, str, str, Mapping[str, Any]]]:
        """``(relationship type, source, target, id, attributes)`` for each relation."""
        types = {name: r.neo4j_type for name, r in self.vocabulary.relations.items()}
        for u, v, key, attrs in self.G.edges(keys=True, data=True):
            yield types[attrs["type"]], u, v, key, attrs

    def relation_row(self, u: str, v: str, key: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
        """A relation's row for :meth:`relation_upsert`."""
        props: dict[str, Any] = {}
        for name in self.relation_keys:
            if name == "sources":
                props[name] = [c["source"] for c in attrs["citations"]]
            elif name == "quotes":
                props[name] = [c["quote"] or "" for c in attrs["citations"]]
            else:
                value = attrs.get(name)
                props[name] = list(value) if type(value) is tuple else value
        first, last = self._bounds(attrs)
        return {"id": key, "source": u, "target": v, "props": props, "firstDate": first, "lastDate": last}

    def relation_values(self, rtype: str, attrs: Mapping[str, Any]) -> list[Any]:
        """A relation's date bounds, then :meth:`relation_type_keys` in order but :data:`TYPE_FIELDS`
        (see :meth:`relation_create`)."""
        get = attrs.get
        citations = attrs["citations"]
        quotes = list(map(_QUOTE, citations))
        if None in quotes:
            quotes = [q or "" for q in quotes]
        # RELATION_FIELDS hold no lists but the citations'; a type's own properties may
        return [*self._bounds(attrs), *map(get, _ROW_FIELDS), list(map(_SOURCE, citations)), quotes,
                *[list(v) if type(v) is tuple else v for v in map(get, self._type_tails[rtype])]]

    def type_values(self, rtype: str) -> tuple[Any, ...]:
        """The values of :data:`TYPE_FIELDS` that the vocabulary gives relationship type ``rtype``."""
        return self._type_values[rtype]

    def has_type_values(self, rtype: str, attrs: Mapping[str, Any]) -> bool:
        """Whether a relation holds its type's :meth:`type_values` (a core's relations always do)."""
        try:
            values = _TYPE_VALUES(attrs)
        except KeyError:
            return False
        # == alone takes True for 1
        return values == self._type_values[rtype] and tuple(map(type, values)) == self._type_types[rtype]

    @cached_property
    def _type_values(self) -> dict[str, tuple[Any, ...]]:
        return {r.neo4j_type: (name, r.label, r.inverse, r.polarity, r.symmetric)
                for name, r in self.vocabulary.relations.items()}

    @cached_property
    def _type_types(self) -> dict[str, tuple[type, ...]]:
        return {rtype: tuple(map(type, values)) for rtype, values in self._type_values.items()}

    @cached_property
    def _type_tails(self) -> dict[str, tuple[str, ...]]:
        return {rtype: keys[len(RELATION_FIELDS):] for rtype, keys in self._type_keys.items()}

    # -- statements -------------------------------------------------------

    def constraints(self) -> list[str]:
        """Schema statements, run before any data (each is idempotent)."""
        return [item.statement for item in SCHEMA]

    @staticmethod
    def read_schema() -> str:
        """List the indexes, constraints' own included (``owningConstraint`` names the constraint)."""
        return "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, owningConstraint"

    def missing_schema(self, rows: Iterable[Mapping[str, Any]]) -> list[str]:
        """The statements of :meth:`constraints` whose schema ``rows`` (of :meth:`read_schema`) lack.

        A statement is left out when its name is taken (``IF NOT EXISTS`` would
        then do nothing) or when the same schema is there under another name.

        Examples
        --------
        >>> from graph.core import load
        >>> m = Neo4jMapping.of(load("facts/chicago-sanctuary"))
        >>> rows = [{"name": "actorgraph_entity_key", "type": "RANGE", "entityType": "NODE",
        ...          "labelsOrTypes": ["Entity"], "properties": ["dataset", "id"],
        ...          "owningConstraint": "actorgraph_entity_key"},
        ...         {"name": "by_id", "type": "RANGE", "entityType": "NODE",
        ...          "labelsOrTypes": ["Entity"], "properties": ["id"], "owningConstraint": None}]
        >>> [text.split()[2] for text in m.missing_schema(rows)]
        ['actorgraph_source_key']
        """
        rows = list(rows)
        return [item.statement for item in SCHEMA if not any(item.held_by(row) for row in rows)]

    def entity_upsert(self, labels: tuple[str, ...]) -> str:
        """MERGE a batch of entities that share one label set.

        Labels of the vocabulary the node no longer has are removed, so an
        entity whose kind changed is relabelled; other labels are left alone.
        """
        own = [quote_name(label, self.labels) for label in labels if label != ENTITY]
        others = sorted(self.labels - set(labels) - {ENTITY, SOURCE})
        lines = [
            "UNWIND $rows AS row",
            f"MERGE (n:`{ENTITY}` {{dataset: $dataset, id: row.id}})",
            "SET n += row.props, n.firstDate = date(row.firstDate), n.lastDate = date(row.lastDate)",
        ]
        if own:
            lines.append("SET n:" + ":".join(own))
        if others:
            lines.append("REMOVE n:" + ":".join(quote_name(label, self.labels) for label in others))
        return "\n".join(lines)

    @staticmethod
    def source_values(row: Mapping[str, Any]) -> list[Any]:
        """A source's row (of :meth:`source_rows`) for :meth:`source_create`: a list, as for :meth:`entity_values`."""
        props = row["props"]
        return [row["id"], row["firstDate"], row["lastDate"], *[props[k] for k in SOURCE_FIELDS]]

    @staticmethod
    def source_create() -> str:
        """CREATE sources the read-back proved absent (rows of :meth:`source_values`).

        A source that appeared since the read-back breaks the key
        constraint: :func:`graph.neo4j_push.push` then sends :meth:`source_upsert`.
        """
        props = ", ".join(f"{quote_key(k)}: row[{i}]" for i, k in enumerate(SOURCE_FIELDS, start=3))
        return "\n".join([
            "UNWIND $rows AS row",
            f"CREATE (s:`{SOURCE}` {{dataset: $dataset, id: row[0], "
            f"firstDate: date(row[1]), lastDate: date(row[2]), {props}}})",
        ])

    def source_upsert(self) -> str:
        """MERGE a batch of sources."""
        return "\n".join([
            "UNWIND $rows AS row",
            f"MERGE (s:`{SOURCE}` {{dataset: $dataset, id: row.id}})",
            "SET s += row.props, s.firstDate = date(row.firstDate), s.lastDate = date(row.lastDate)",
        ])

    def relation_upsert(self, rtype: str) -> str:
        """MERGE a batch of relations of one type between their (existing) nodes."""
        t = quote_name(rtype, self.types)
        return "\n".join([
            "UNWIND $rows AS row",
            f"MATCH (a:`{ENTITY}` {{dataset: $dataset, id: row.source}})",
            f"MATCH (b:`{ENTITY}` {{dataset: $dataset, id: row.target}})",
            f"MERGE (a)-[r:{t} {{dataset: $dataset, id: row.id}}]->(b)",
            "SET r += row.props, r.firstDate = date(row.firstDate), r.lastDate = date(row.lastDate)",
        ])

    # writing what the read-back proved absent: CREATE, many label sets or types a statement

    def entity_create(self, label_sets: list[tuple[str, ...]]) -> str:
        """CREATE entities the read-back proved absent; ``$rows<i>`` holds those of ``label_sets[i]``.

        One statement for every label set (a statement costs about as much
        as a few hundred rows inside one): a ``UNION ALL`` branch a label set
        in one subquery, which costs less to plan and to run than a
        subquery each. A row is a list, not a map (see
        :meth:`entity_values`): a list of values is cheaper to send and to
        parse; and it names only its kind's properties, as each property of
        a clause costs planning time. A null property is not stored, as
        with ``SET n += row.props``. (Creating the nodes in one clause and
        labelling them after cost far more: adding a label is slow on FalkorDB.)

        It returns ``[id, element id]`` of each new node, for
        :meth:`relation_create`. A node that appeared since the read-back
        breaks the key constraint and fails the whole statement, which
        :func:`graph.neo4j_push.push` then replaces by :meth:`entity_upsert`.
        """
        branches = []
        for i, labels in enumerate(label_sets):
            quoted = ":".join(quote_name(label, self.labels) for label in labels)
            props = ", ".join(f"{quote_key(k)}: row[{j}]" for j, k in enumerate(self.entity_kind_keys(labels), start=3))
            branches.append("\n".join([
                f"  UNWIND $rows{i} AS row",
                f"  CREATE (n:{quoted} {{dataset: $dataset, id: row[0], "
                f"firstDate: date(row[1]), lastDate: date(row[2]), {props}}})",
                "  RETURN n",
            ]))
        return "\n".join(["CALL () {", "\n  UNION ALL\n".join(branches), "}",
                          "RETURN collect([n.id, elementId(n)]) AS created"])

    def entity_kind_keys(self, labels: tuple[str, ...]) -> tuple[str, ...]:
        """The properties an entity labelled ``labels`` can have, in the order of :attr:`entity_keys`."""
        return self._kind_keys[labels]

    @cached_property
    def _kind_keys(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        kinds = self.vocabulary.kinds
        return {(ENTITY, *self.vocabulary.labels(name)):
                tuple(k for k in self.entity_keys if k in ENTITY_FIELDS or k in kind.properties)
                for name, kind in kinds.items()}

    def relation_type_keys(self, rtype: str) -> tuple[str, ...]:
        """The properties a relationship of type ``rtype`` can have, in the order of :attr:`relation_keys`."""
        return self._type_keys[rtype]

    @cached_property
    def _type_keys(self) -> dict[str, tuple[str, ...]]:
        return {r.neo4j_type: tuple(k for k in self.relation_keys if k in RELATION_FIELDS or k in r.properties)
                for r in self.vocabulary.relations.values()}

    def relation_create(self, rtypes: list[str]) -> str:
        """CREATE relations the read-back proved absent; ``$rows<i>`` holds those of ``rtypes[i]``.

        The ends are found once a statement, not twice a row, and by
        element id (``$ids``: from the read-back, or returned by
        :meth:`entity_create`), each checked against its key (``$keys``):
        an id from another transaction may since name no node or another
        one. A row (a list: id, the places of its ends in ``$ids``, then
        :meth:`relation_values`) names its ends by place; what every
        relation of a type holds (:meth:`type_values`) is sent once, as
        ``$type<i>``, ``$label<i>``, ... Unless every end
        is found and checked, in order, the statement writes nothing and
        returns no row: :func:`graph.neo4j_push.push` then sends
        :meth:`relation_upsert` (by key) instead.
        """
        lines = [
            "UNWIND $ids AS eid",
            f"MATCH (n:`{ENTITY}`) WHERE elementId(n) = eid",
            "WITH collect(n) AS ends",
            "WHERE size(ends) = size($keys)",
            "  AND all(i IN range(0, size(ends) - 1) WHERE ends[i].dataset = $dataset AND ends[i].id = $keys[i])",
        ]
        for i, rtype in enumerate(rtypes):
            t = quote_name(rtype, self.types)
            per_row = iter(range(5, 5 + len(self.relation_type_keys(rtype))))
            props = ", ".join(f"{quote_key(k)}: " + (f"${k}{i}" if k in TYPE_FIELDS else f"row[{next(per_row)}]")
                              for k in self.relation_type_keys(rtype))
            lines += [
                "CALL (ends) {",
                f"  UNWIND $rows{i} AS row",
                "  WITH ends[row[1]] AS a, ends[row[2]] AS b, row",
                f"  CREATE (a)-[r:{t} {{dataset: $dataset, id: row[0], "
                f"firstDate: date(row[3]), lastDate: date(row[4]), {props}}}]->(b)",
                "}",
            ]
        lines.append("RETURN size(ends) AS ends")
        return "\n".join(lines)

    # reading back what this dataset wrote before (for the diff and --replace)

    @staticmethod
    def read_entities() -> str:
        return (f"MATCH (n:`{ENTITY}` {{dataset: $dataset}})\n"
                "RETURN n.id AS id, labels(n) AS labels, properties(n) AS props, elementId(n) AS eid")

    @staticmethod
    def read_sources() -> str:
        return (f"MATCH (s:`{SOURCE}` {{dataset: $dataset}})\n"
                "RETURN s.id AS id, properties(s) AS props")

    @staticmethod
    def read_relations() -> str:
        return (f"MATCH (a:`{ENTITY}` {{dataset: $dataset}})-[r]->(b:`{ENTITY}` {{dataset: $dataset}})\n"
                "WHERE r.dataset = $dataset\n"
                "RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props")

    # removing what this dataset wrote before and no longer has

    @staticmethod
    def relation_delete() -> str:
        """Delete relationships of this dataset by id, type and ends (type as a value, never as text)."""
        return "\n".join([
            "UNWIND $rows AS row",
            f"MATCH (a:`{ENTITY}` {{dataset: $dataset, id: row.source}})-[r]->"
            f"(b:`{ENTITY}` {{dataset: $dataset, id: row.target}})",
            "WHERE r.dataset = $dataset AND r.id = row.id AND type(r) = row.type",
            "DELETE r",
        ])

    @staticmethod
    def node_delete(label: str) -> str:
        """Delete nodes of this dataset that nothing links to any more.

        Run after this dataset's stale relationships are gone, so any link
        left is someone else's: such a node is kept, not detached.
        """
        node = quote_name(label, (ENTITY, SOURCE))
        return "\n".join([
            "UNWIND $rows AS row",
            f"MATCH (n:{node} {{dataset: $dataset, id: row.id}})",
            "OPTIONAL MATCH (n)-[x]-()",
            "WITH n, count(x) AS links",
            "WHERE links = 0",
            "DELETE n",
            "RETURN count(*) AS deleted",
        ])

    # -- what comes back --------------------------------------------------

    @staticmethod
    def stored(row: Mapping[str, Any], dataset: str) -> dict[str, Any]:
        """The properties a row leaves on its node or relationship, as read back.

        Nulls are absent (setting null removes a property) and the date
        bounds are ``datetime.date`` values.
        """
        out: dict[str, Any] = {"dataset": dataset, "id": row["id"]}
        out.update({k: v for k, v in row["props"].items() if v is not None})
        for key in DATE_FIELDS:
            if row.get(key):
                out[key] = date.fromisoformat(row[key])
        return out
