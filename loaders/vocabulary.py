"""The vocabulary: node kinds and relation types, read from schema/ YAML.

Nothing is read at import time: :func:`load_vocabulary` builds a fresh,
immutable :class:`Vocabulary` each call (callers cache it if they wish).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from loaders.errors import Diagnostic, FactError
from loaders.yamlread import MarkedList, MarkedMap, Mark, read_yaml

PROPERTY_TYPES = ("string", "integer", "date", "list", "reference", "boolean")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_LABEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")

#: fields every entity or relation has; a vocabulary property may not reuse them
ENTITY_FIELDS = ("id", "kind", "name", "aliases", "description")
RELATION_FIELDS = ("id", "type", "from", "to", "date", "start", "end", "description", "cite")


@dataclass(frozen=True)
class Property:
    name: str
    type: str
    description: str = ""
    values: tuple[str, ...] | None = None
    minimum: int | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    description: str
    extends: str | None
    lineage: tuple[str, ...]
    properties: Mapping[str, Property] = field(default_factory=dict)


@dataclass(frozen=True)
class RelationType:
    name: str
    label: str
    inverse: str
    description: str
    polarity: int
    symmetric: bool
    from_kinds: tuple[str, ...]
    to_kinds: tuple[str, ...]
    properties: Mapping[str, Property] = field(default_factory=dict)

    @property
    def neo4j_type(self) -> str:
        """The Neo4j relationship type: the name in UPPER_SNAKE case."""
        return self.name.upper()


@dataclass(frozen=True)
class Vocabulary:
    """Kinds and relation types; immutable once built.

    Examples
    --------
    >>> v = load_vocabulary()
    >>> v.labels("police")
    ('Organization', 'Agency', 'Police')
    >>> v.is_a("police", "organization"), v.is_a("person", "organization")
    (True, False)
    >>> v.relations["sponsors"].neo4j_type, v.relations["opposes"].polarity
    ('SPONSORS', -1)
    """

    kinds: Mapping[str, Kind]
    relations: Mapping[str, RelationType]

    def is_a(self, kind: str, ancestor: str) -> bool:
        return ancestor in self.kinds[kind].lineage

    def labels(self, kind: str) -> tuple[str, ...]:
        return tuple(self.kinds[k].label for k in self.kinds[kind].lineage)

    def admits(self, allowed: Iterable[str], kind: str) -> bool:
        lineage = self.kinds[kind].lineage
        return any(a in lineage for a in allowed)


def shipped_schema_dir() -> Path:
    """Where the shipped vocabulary lives.

    In a wheel it is packaged as ``loaders/_schema``; in a source checkout it
    is the top-level ``schema/`` folder beside ``loaders/``.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "_schema"
    return packaged if packaged.is_dir() else here.parent / "schema"


class _Checker:
    def __init__(self, path: str, diagnostics: list[Diagnostic]) -> None:
        self.path = path
        self.diagnostics = diagnostics

    def error(self, mark: Mark, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, mark.line, mark.col, message))

    def keys(self, m: MarkedMap, allowed: tuple[str, ...], what: str) -> None:
        for key in m:
            if key not in allowed:
                self.error(m.key_marks[key], f"unknown key {key!r} in {what}; allowed: {', '.join(allowed)}")

    def text(self, m: MarkedMap, key: str, what: str, *, required: bool = True) -> str | None:
        value = m.get(key)
        if value is None:
            if required:
                self.error(m.mark, f"{what} needs `{key}:`")
            return None
        if not isinstance(value, str):
            self.error(m.value_marks[key], f"`{key}` of {what} must be text")
            return None
        return value

    def names(self, m: MarkedMap, key: str, what: str) -> tuple[str, ...]:
        value = m.get(key)
        if not isinstance(value, MarkedList) or not all(isinstance(v, str) for v in value):
            self.error(m.value_marks.get(key, m.mark), f"{what} needs `{key}:` as a list of kind names")
            return ()
        return tuple(value)

    def properties(self, m: MarkedMap, what: str, reserved: tuple[str, ...]) -> dict[str, Property]:
        raw = m.get("properties")
        if raw is None:
            return {}
        if not isinstance(raw, MarkedMap):
            self.error(m.value_marks["properties"], f"`properties` of {what} must be a mapping")
            return {}
        out: dict[str, Property] = {}
        for name, spec in raw.items():
            where = raw.key_marks[name]
            if not _NAME.match(name) or name in reserved:
                self.error(where, f"property name {name!r} of {what} must be a lower_snake word other than {', '.join(reserved)}")
                continue
            if not isinstance(spec, MarkedMap):
                self.error(where, f"property {name!r} of {what} needs a mapping such as {{type: string}}")
                continue
            self.keys(spec, ("type", "description", "values", "minimum"), f"property {name!r}")
            ptype = self.text(spec, "type", f"property {name!r}")
            if ptype is not None and ptype not in PROPERTY_TYPES:
                self.error(spec.value_marks["type"], f"property type {ptype!r} is unknown; use one of {', '.join(PROPERTY_TYPES)}")
                continue
            values = spec.get("values")
            if values is not None and not (isinstance(values, MarkedList) and all(isinstance(v, str) for v in values)):
                self.error(spec.value_marks["values"], f"`values` of property {name!r} must be a list of words")
                values = None
            minimum = spec.get("minimum")
            if minimum is not None:
                if ptype != "integer" or not isinstance(minimum, str) or not re.fullmatch(r"[+-]?[0-9]{1,18}", minimum):
                    self.error(spec.value_marks["minimum"], f"`minimum` of property {name!r} must be a whole number, "
                               "and only an integer property can have one")
                    minimum = None
                else:
                    minimum = int(minimum)
            out[name] = Property(name, ptype or "string", spec.get("description") or "", tuple(values) if values else None,
                                 minimum)
        return out


def _read_file(path: Path, diagnostics: list[Diagnostic]) -> MarkedMap | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        diagnostics.append(Diagnostic(str(path), 1, 1, f"cannot read vocabulary file: {exc.strerror}"))
        return None
    doc = read_yaml(str(path), data, diagnostics)
    if doc is None:
        return None
    if not isinstance(doc, MarkedMap):
        diagnostics.append(Diagnostic(str(path), 1, 1, "a vocabulary file is a mapping with `kinds:` and/or `relations:`"))
        return None
    return doc


def load_vocabulary(extra: Iterable[str | Path] = (), *, base: bool = True) -> Vocabulary:
    """Read the shipped vocabulary, plus any user files that extend it.

    A user file has the same layout as ``schema/kinds.yaml`` and
    ``schema/relations.yaml`` (top-level ``kinds:`` and/or ``relations:``);
    it may add kinds and relation types but not redefine shipped ones.
    Raises :class:`~loaders.errors.FactError` listing every problem.
    """
    files: list[Path] = []
    if base:
        root = shipped_schema_dir()
        files += [root / "kinds.yaml", root / "relations.yaml"]
    files += [Path(p) for p in extra]
    # Every load reads the vocabulary; reading and checking it again is a
    # tenth of a warm rebuild, so a vocabulary is kept per exact file text.
    try:
        key = tuple((str(path), path.read_bytes()) for path in files)
    except OSError:
        key = None  # _read_file reports it
    if key is not None and key in _MEMO:
        return _MEMO[key]
    vocabulary = _load(files)
    if key is not None:
        if len(_MEMO) >= 8:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = vocabulary
    return vocabulary


#: vocabularies read in this process, by the exact paths and texts they came from
_MEMO: dict[tuple[tuple[str, bytes], ...], Vocabulary] = {}


def _load(files: list[Path]) -> Vocabulary:
    diagnostics: list[Diagnostic] = []
    raw_kinds: dict[str, tuple[str, MarkedMap, Mark]] = {}
    raw_relations: dict[str, tuple[str, MarkedMap, Mark]] = {}
    for path in files:
        doc = _read_file(path, diagnostics)
        if doc is None:
            continue
        check = _Checker(str(path), diagnostics)
        check.keys(doc, ("kinds", "relations"), "a vocabulary file")
        for section, target in (("kinds", raw_kinds), ("relations", raw_relations)):
            block = doc.get(section)
            if block is None:
                continue
            if not isinstance(block, MarkedMap):
                check.error(doc.value_marks[section], f"`{section}:` must be a mapping of names to definitions")
                continue
            for name, spec in block.items():
                where = block.key_marks[name]
                if not _NAME.match(name):
                    check.error(where, f"{section[:-1]} name {name!r} must be lower_snake_case")
                elif name in target:
                    other_path, _, other = target[name]
                    check.error(where, f"{section[:-1]} {name!r} is already defined at {other_path}:{other.line}:{other.col}")
                elif not isinstance(spec, MarkedMap):
                    check.error(where, f"{section[:-1]} {name!r} needs a mapping of its settings")
                else:
                    target[name] = (str(path), spec, where)

    kinds = _build_kinds(raw_kinds, diagnostics)
    relations = _build_relations(raw_relations, kinds, diagnostics)
    if diagnostics:
        raise FactError(diagnostics)
    return Vocabulary(MappingProxyType(kinds), MappingProxyType(relations))


def _build_kinds(raw: dict[str, tuple[str, MarkedMap, Mark]], diagnostics: list[Diagnostic]) -> dict[str, Kind]:
    parents: dict[str, str | None] = {}
    partial: dict[str, tuple[str, str, dict[str, Property]]] = {}
    for name, (path, spec, where) in raw.items():
        check = _Checker(path, diagnostics)
        check.keys(spec, ("label", "description", "extends", "properties"), f"kind {name!r}")
        label = check.text(spec, "label", f"kind {name!r}") or ""
        if label and not _LABEL.match(label):
            check.error(spec.value_marks["label"], f"label {label!r} of kind {name!r} must be CamelCase letters and digits")
        parent = check.text(spec, "extends", f"kind {name!r}", required=False)
        if parent is not None and parent not in raw:
            check.error(spec.value_marks["extends"], f"kind {name!r} extends unknown kind {parent!r}")
            parent = None
        parents[name] = parent
        props = check.properties(spec, f"kind {name!r}", ENTITY_FIELDS)
        partial[name] = (label, check.text(spec, "description", f"kind {name!r}", required=False) or "", props)

    kinds: dict[str, Kind] = {}
    for name in raw:
        lineage: list[str] = []
        cursor: str | None = name
        while cursor is not None and cursor not in lineage:
            lineage.append(cursor)
            cursor = parents[cursor]
        if cursor is not None:
            path, _, where = raw[name]
            diagnostics.append(Diagnostic(path, where.line, where.col, f"kind {name!r} extends itself through {' -> '.join(lineage)}"))
            continue
        lineage.reverse()
        inherited: dict[str, Property] = {}
        for ancestor in lineage:
            inherited.update(partial[ancestor][2])
        label, description, _ = partial[name]
        kinds[name] = Kind(name, label, description, parents[name], tuple(lineage), MappingProxyType(inherited))
    return kinds


def _build_relations(
    raw: dict[str, tuple[str, MarkedMap, Mark]], kinds: dict[str, Kind], diagnostics: list[Diagnostic]
) -> dict[str, RelationType]:
    relations: dict[str, RelationType] = {}
    allowed = ("label", "inverse", "description", "polarity", "symmetric", "from", "to", "properties")
    for name, (path, spec, _where) in raw.items():
        check = _Checker(path, diagnostics)
        what = f"relation type {name!r}"
        check.keys(spec, allowed, what)
        label = check.text(spec, "label", what) or name
        inverse = check.text(spec, "inverse", what) or label
        polarity_text = check.text(spec, "polarity", what)
        polarity = 0
        if polarity_text is not None:
            if polarity_text.lstrip("+") in ("1", "0", "-1"):
                polarity = int(polarity_text)
            else:
                check.error(spec.value_marks["polarity"], f"polarity of {what} must be 1, 0 or -1")
        symmetric_text = check.text(spec, "symmetric", what)
        if symmetric_text not in (None, "true", "false"):
            check.error(spec.value_marks["symmetric"], f"`symmetric` of {what} must be true or false")
        ends: dict[str, tuple[str, ...]] = {}
        for end in ("from", "to"):
            ends[end] = check.names(spec, end, what)
            for kind in ends[end]:
                if kind not in kinds:
                    check.error(spec.value_marks[end], f"{what} names unknown kind {kind!r} in `{end}:`")
        props = check.properties(spec, what, RELATION_FIELDS)
        relations[name] = RelationType(
            name, label, inverse, check.text(spec, "description", what, required=False) or "",
            polarity, symmetric_text == "true", ends["from"], ends["to"], MappingProxyType(props),
        )
    return relations
