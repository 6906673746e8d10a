"""Fact files to a validated :class:`~loaders.records.FactBase`.

Three passes, all errors collected before anything is returned:

1. read every file (strict YAML) and check each record's shape and values;
2. index ids, names and aliases, then resolve every reference;
3. merge relations that share an identity, then (optionally) check quotes.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import gc
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import cast

from loaders.dates import DateFormatError, PartialDate
from loaders.errors import Diagnostic, FactError
from loaders.fastmake import maker
from loaders.limits import Limits, describe_size
from loaders.names import Hints, NameIndex, closest, fold
from loaders.records import Citation, Entity, FactBase, Location, PropertyValue, Relation, Source
from loaders.vocabulary import ENTITY_FIELDS, RELATION_FIELDS, Kind, Property, Vocabulary, load_vocabulary
from loaders.yamlread import INVALID, Mark, MarkedList, MarkedMap, read_yaml

#: the properties of a record that has none (read-only, so one can be shared)
_NO_PROPERTIES: MappingProxyType[str, PropertyValue] = MappingProxyType({})

# PartialDate is immutable and a fact base repeats its dates thousands of times.
_parse_date = functools.lru_cache(maxsize=1 << 16)(PartialDate.parse)

SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,199}$")
SOURCE_FIELDS = ("id", "text", "title", "publisher", "author", "published", "url")
CITATION_FIELDS = ("source", "quote")
SECTIONS = ("sources", "entities", "relations")
FACT_SUFFIXES = (".yaml", ".yml")
_INTEGER = re.compile(r"^[+-]?[0-9]{1,18}$")
_NOT_REGULAR = "not a regular file (a device, pipe or socket); fact files must be plain files"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

__all__ = ["Limits", "load_factbase"]


class _TooManyErrors(Exception):
    """The run reached ``Limits.max_errors``."""


class _Diagnostics(list[Diagnostic]):
    """The run's diagnostics; stops the run when there are enough to act on."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def append(self, diagnostic: Diagnostic) -> None:
        super().append(diagnostic)
        if len(self) >= self.limit:
            raise _TooManyErrors


class _Run:
    """State of one load: the diagnostics and the records found so far."""

    def __init__(self, vocabulary: Vocabulary, limits: Limits) -> None:
        self.vocab = vocabulary
        self.limits = limits
        self.diagnostics: list[Diagnostic] = _Diagnostics(limits.max_errors)
        self.sources: list[tuple[Source, MarkedMap]] = []
        self.entities: list[tuple[dict[str, object], MarkedMap]] = []
        # (fields, record) of pass 1's Python path, or the compiled pass 1's tuple
        self.relations: list[tuple[object, ...]] = []
        self.names: dict[str, str] | None = None  # id -> name, for messages
        self.relation_keys = frozenset(RELATION_FIELDS)
        self.entity_kinds: dict[str, tuple[Kind | None, frozenset[str]]] = {}
        self._quick: _QuickRelations | None | bool = False

    @property
    def quick(self) -> _QuickRelations | None:
        """The compiled quick path for this run's relations, or None (not built)."""
        if self._quick is False:
            self._quick = _QuickRelations.make(self)
        return self._quick  # type: ignore[return-value]

    def error(self, path: str, mark: Mark, message: str) -> None:
        self.diagnostics.append(Diagnostic(path, mark.line, mark.col, message))


# -- finding files ---------------------------------------------------------

def _fact_files(paths: Iterable[str | Path], run: _Run, limits: Limits) -> list[str]:
    files: list[str] = []
    paths = list(paths)
    linked = len(paths) != 1  # whether a file may have been reached twice
    for raw in paths:
        path = str(raw)
        if os.path.isdir(path):
            before = len(files)
            linked = _walk(path, run, files, limits) or linked
            if len(files) == before and not any(d.path.startswith(path) for d in run.diagnostics):
                run.error(path, Mark(1, 1), "no fact files (*.yaml, *.yml) in this directory; check the path")
        elif os.path.isfile(path):
            files.append(path)
        elif _is_link_loop(path):
            run.error(path, Mark(1, 1), "a symbolic link loop (the link leads back to itself); remove the link")
        elif os.path.exists(path):
            run.error(path, Mark(1, 1), _NOT_REGULAR)
        elif os.path.lexists(path):
            run.error(path, Mark(1, 1), "not a file or directory (a broken link?); pass fact files or folders")
        else:
            run.error(path, Mark(1, 1), "no such file or directory; check the path")
        if len(files) > limits.max_files:
            break
    # One file reached twice (named twice, or through a link) is read once;
    # one folder walked without a link reaches each file once (and realpath
    # costs a system call per path component: 5 ms for 200 files).
    unique = list({os.path.realpath(f): f for f in reversed(files)}.values())[::-1] if linked else files
    if len(unique) > limits.max_files:
        run.error(str(next(iter(paths), "<arguments>")), Mark(1, 1),
                  f"more than {limits.max_files:,} fact files; pass fewer folders (or raise ACTORGRAPH_MAX_FILES)")
        return []
    return unique


def _is_link_loop(path: str) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _walk(root: str, run: _Run, files: list[str], limits: Limits) -> bool:
    """Collect the fact files under ``root``, in sorted order; whether a link was followed.

    Links are followed only where they stay inside ``root``: a shared
    folder must not make the loader read files elsewhere on the machine,
    and a link back to a parent (a loop) is reported, not walked forever.
    """
    top = os.path.realpath(root)
    inside = top.rstrip(os.sep) + os.sep
    stack = [(root, frozenset({top}))]
    linked = False
    while stack:
        folder, ancestors = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            run.error(folder, Mark(1, 1), f"cannot list this folder: {exc.strerror or exc}; check its permissions")
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            is_fact = entry.name.endswith(FACT_SUFFIXES)
            if entry.is_symlink():
                linked = True
                real = os.path.realpath(entry.path)
                if _is_link_loop(entry.path):
                    run.error(entry.path, Mark(1, 1), "a symbolic link loop (the link leads back to itself); remove the link")
                    continue
                if not (real + os.sep).startswith(inside):
                    if is_fact or os.path.isdir(entry.path):
                        run.error(entry.path, Mark(1, 1), f"a symbolic link out of {root} (to {real}); links inside a fact "
                                  "folder must stay inside it - pass the other folder as its own PATH instead")
                    continue
                if os.path.isdir(entry.path):
                    if real in ancestors:
                        run.error(entry.path, Mark(1, 1), "a symbolic link loop (the link leads back to a folder that "
                                  "contains it); remove the link")
                        continue
                    subfolders.append((entry.path, ancestors | {real}))
                elif is_fact:
                    files.append(entry.path)
            elif entry.is_dir(follow_symlinks=False):
                subfolders.append((entry.path, ancestors | {os.path.realpath(entry.path)}))
            elif is_fact:
                files.append(entry.path)
            if len(files) > limits.max_files:
                return linked
        stack.extend(reversed(subfolders))
    return linked


# -- pass 1: shapes and values ---------------------------------------------

def _read_bytes(path: str, run: _Run, limits: Limits) -> bytes | None:
    """The file's bytes, read with a bound; None (and a diagnostic) otherwise.

    The size is checked on the open file and again while reading, so a file
    that grows, a FIFO or a device cannot make the read block or unbounded.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            run.error(path, Mark(1, 1), "a symbolic link loop (the link leads back to itself); remove the link")
        else:
            run.error(path, Mark(1, 1), f"cannot read the file: {exc.strerror or exc}; check its permissions")
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            run.error(path, Mark(1, 1), _NOT_REGULAR)
            return None
        limit = limits.max_file_bytes
        if info.st_size > limit:
            run.error(path, Mark(1, 1), f"the file is {describe_size(info.st_size)}, over the limit of {describe_size(limit)}; "
                      "split it into smaller files (or raise ACTORGRAPH_MAX_FILE_BYTES)")
            return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            run.error(path, Mark(1, 1), f"the file grew past the limit of {describe_size(limit)} while being read; "
                      "split it into smaller files (or raise ACTORGRAPH_MAX_FILE_BYTES)")
            return None
        return b"".join(chunks)
    except OSError as exc:
        run.error(path, Mark(1, 1), f"cannot read the file: {exc.strerror or exc}; check that the disk is readable")
        return None
    finally:
        os.close(fd)


def _read_file(path: str, run: _Run, limits: Limits, data: bytes | None = None) -> None:
    if data is None:
        data = _read_bytes(path, run, limits)
        if data is None:
            return
    doc = read_yaml(path, data, run.diagnostics, max_depth=limits.max_depth, max_nodes=limits.max_nodes)
    empty = "the file holds no facts; add `sources:`, `entities:` or `relations:`, or remove it"
    if doc is None:
        if not any(d.path == path for d in run.diagnostics):
            run.error(path, Mark(1, 1), empty)
        return
    if doc is INVALID:
        return
    if isinstance(doc, MarkedMap) and not doc:
        if not any(d.path == path for d in run.diagnostics):
            run.error(path, doc.mark, empty)
        return
    if not isinstance(doc, MarkedMap):
        what = "a list" if isinstance(doc, MarkedList) else "a single value"
        run.error(path, Mark(1, 1), f"a fact file is a mapping with `sources:`, `entities:` and/or `relations:`, not {what}")
        return
    _unknown_keys(run, path, doc, SECTIONS, "a fact file")
    for section in SECTIONS:
        if section not in doc:
            continue
        items = doc[section]
        if items is None or items is INVALID:
            continue
        if not isinstance(items, MarkedList):
            run.error(path, doc.value_marks[section], f"`{section}:` must be a list of records, each starting with `- `")
            continue
        quick = run.quick if section == "relations" else None
        if quick is None:
            for item, mark in zip(items, items.item_marks):
                _read_item(run, path, section, item, mark)
            continue
        # The compiled pass 1 takes the records up to one it leaves to Python.
        i, n = 0, len(items)
        while i < n:
            i = quick.fields_from(items, i, path, run.relations)
            if i < n:
                _read_item(run, path, section, items[i], items.item_marks[i])
                i += 1


def _read_item(run: _Run, path: str, section: str, item: object, mark: Mark) -> None:
    if isinstance(item, MarkedMap):
        item.path = path
    elif item is INVALID:
        return
    else:
        run.error(path, mark, f"each item of `{section}:` must be a mapping such as `- id: ...`")
        return
    if section == "sources":
        _read_source(run, path, item)
    elif section == "entities":
        fields = _clean_entity(run, item)
        if fields is not None:
            run.entities.append((fields, item))
        else:
            _read_entity(run, path, item)
    else:
        fields = _clean_relation(run, item) or _read_relation(run, path, item)
        if fields is not None:
            run.relations.append((fields, item))


def _unknown_keys(run: _Run, path: str, m: MarkedMap, allowed: Iterable[str], what: str) -> None:
    allowed = tuple(allowed)
    for key in m:
        if key not in allowed:
            hint = closest(key, allowed, n=1)
            fix = f"did you mean `{hint[0]}`?" if hint else f"allowed keys: {', '.join(allowed)}"
            run.error(path, m.key_marks[key], f"unknown key `{key}` in {what}; {fix}")


def _text(run: _Run, path: str, m: MarkedMap, key: str, what: str, *, required: bool = False) -> str | None:
    if m.get(key) is INVALID:
        return None
    if key not in m or m[key] is None:
        if required:
            where = m.value_marks.get(key, m.mark)
            run.error(path, where, f"{what} needs `{key}:`" + (" (it is empty)" if key in m else ""))
        return None
    value = m[key]
    if not isinstance(value, str):
        run.error(path, m.value_marks[key], f"`{key}` of {what} must be text, not a {'list' if isinstance(value, list) else 'mapping'}")
        return None
    if not value.strip():
        run.error(path, m.value_marks[key], f"`{key}` of {what} is blank; write a value or remove the key")
        return None
    return value


def _slug(run: _Run, path: str, m: MarkedMap, what: str, *, required: bool = True) -> str | None:
    value = _text(run, path, m, "id", what, required=required)
    if value is not None and not SLUG.match(value):
        suggestion = re.sub(r"[^a-z0-9._-]+", "-", fold(value)).strip("-._") or "an-id"
        run.error(path, m.value_marks["id"], f"id {value!r} is not a slug: use lower-case letters, digits, '.', '_' and '-' (e.g. {suggestion!r})")
        return None
    return value


def _date(run: _Run, path: str, m: MarkedMap, key: str) -> PartialDate | None:
    value = _text(run, path, m, key, "a date")
    if value is None:
        return None
    try:
        return _parse_date(value)
    except DateFormatError as exc:
        run.error(path, m.value_marks[key], f"`{key}`: {exc}")
        return None


def _inside_texts(name: str) -> bool:
    """Whether a source's `text` names a file inside the --texts folder.

    A shared fact file must not make ``validate --texts`` read (and quote
    back, in its hints) a file elsewhere on the reader's machine.
    """
    if name.startswith(("/", "~")) or "\\" in name or _CONTROL.search(name) or re.match(r"^[A-Za-z]:", name):
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


def _where(path: str, m: MarkedMap) -> Location:
    return Location(path, m.mark.line, m.mark.col)


def _read_source(run: _Run, path: str, m: MarkedMap) -> None:
    _unknown_keys(run, path, m, SOURCE_FIELDS, "a source")
    sid = _slug(run, path, m, "a source")
    values = {k: _text(run, path, m, k, "a source") for k in ("text", "title", "publisher", "author", "url")}
    if values["text"] is not None and not _inside_texts(values["text"]):
        run.error(path, m.value_marks["text"], f"`text` {values['text']!r} must name a file inside the --texts folder: "
                  "a relative path without '..', such as 000_article.txt")
        values["text"] = None
    published = _date(run, path, m, "published")
    if sid is not None:
        run.sources.append((Source(sid, _where(path, m), published=published, **values), m))


def _property(run: _Run, path: str, m: MarkedMap, spec: Property, what: str) -> object:
    key = spec.name
    value = m[key]
    mark = m.value_marks[key]
    if value is INVALID:
        return None
    if value is None:
        run.error(path, mark, f"`{key}` of {what} is empty; write a value or remove the key")
        return None
    if spec.type == "list":
        if isinstance(value, str):
            value = [value]
        if INVALID in value:
            return None
        if not isinstance(value, MarkedList) and not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            run.error(path, mark, f"`{key}` of {what} must be a list of text, e.g. [a, b]")
            return None
        return tuple(value)
    if not isinstance(value, str):
        run.error(path, mark, f"`{key}` of {what} must be a single {spec.type} value, not a list or mapping")
        return None
    if spec.type == "integer":
        if not _INTEGER.match(value.strip()):
            run.error(path, mark, f"`{key}` of {what} must be a whole number, not {value!r}")
            return None
        number = int(value)
        if spec.minimum is not None and number < spec.minimum:
            run.error(path, mark, f"`{key}` of {what} is {number}; it cannot be less than {spec.minimum}")
            return None
        return number
    if spec.type == "boolean":
        if value not in ("true", "false"):
            run.error(path, mark, f"`{key}` of {what} must be true or false, not {value!r}")
            return None
        return value == "true"
    if spec.type == "date":
        return _date(run, path, m, key)
    if spec.values is not None and value not in spec.values:
        hint = closest(value, spec.values, n=1)
        fix = f"did you mean {hint[0]!r}?" if hint else f"use one of: {', '.join(spec.values)}"
        run.error(path, mark, f"`{key}` of {what} is {value!r}; {fix}")
        return None
    if not value.strip():
        run.error(path, mark, f"`{key}` of {what} is blank; write a value or remove the key")
        return None
    return value  # string, or a reference resolved in pass 2


def _read_entity(run: _Run, path: str, m: MarkedMap) -> None:
    eid = _slug(run, path, m, "an entity")
    what = f"entity {eid!r}" if eid else "an entity"
    kind = _text(run, path, m, "kind", what, required=True)
    props: dict[str, Property] = {}
    if kind is not None:
        if kind not in run.vocab.kinds:
            hint = closest(kind, run.vocab.kinds, n=1)
            fix = f"did you mean {hint[0]!r}?" if hint else "see schema/kinds.yaml"
            run.error(path, m.value_marks["kind"], f"unknown kind {kind!r}; {fix}")
            kind = None
        else:
            props = dict(run.vocab.kinds[kind].properties)
    allowed = ENTITY_FIELDS + tuple(props)
    if kind is not None:
        _unknown_keys(run, path, m, allowed, f"{what} (kind {kind})")
    name = _text(run, path, m, "name", what, required=True)
    aliases: tuple[str, ...] = ()
    if m.get("aliases") is not None:
        raw = m["aliases"]
        if raw is INVALID or isinstance(raw, MarkedList) and INVALID in raw:
            pass  # reported where the bad value is
        elif not isinstance(raw, MarkedList) or not all(isinstance(a, str) and a.strip() for a in raw):
            run.error(path, m.value_marks["aliases"], f"`aliases` of {what} must be a list of names, e.g. [Ray Lopez, R. Lopez]")
        else:
            aliases = tuple(dict.fromkeys(raw))
    description = _text(run, path, m, "description", what)
    values = {k: _property(run, path, m, props[k], what) for k in props if k in m}
    if eid is None or kind is None or name is None or any(v is None for v in values.values()):
        return
    run.entities.append(({"id": eid, "kind": kind, "name": name, "aliases": aliases,
                          "description": description, "properties": values}, m))


def _clean_entity(run: _Run, m: MarkedMap) -> dict[str, object] | None:
    """The fields of an entity that has no problem at all, quickly; None to look closer.

    :func:`_read_entity` gives the same fields for such a record (the
    reference path of ``tests/test_fastpath.py`` takes it for every record)
    and reports what is wrong with any other.
    """
    get = m.get
    eid, kind, name = get("id"), get("kind"), get("name")
    if eid.__class__ is not str or not SLUG.match(eid) or kind.__class__ is not str:  # type: ignore[arg-type]
        return None
    known = run.entity_kinds.get(kind)  # type: ignore[arg-type]
    if known is None:
        known = run.entity_kinds[kind] = _entity_kind(run.vocab, kind)  # type: ignore[index]
    spec, allowed = known
    if spec is None or not allowed.issuperset(m) or name.__class__ is not str or not name.strip():  # type: ignore[attr-defined]
        return None
    aliases: tuple[str, ...] = ()
    raw = get("aliases")
    if raw is not None:
        if raw.__class__ is not MarkedList or not all(a.__class__ is str and a.strip() for a in raw):
            return None
        aliases = tuple(dict.fromkeys(raw))
    description = get("description")
    if description is not None and (description.__class__ is not str or not description.strip()):
        return None
    values: dict[str, object] = {}
    if len(m) > 3 + (raw is not None) + ("description" in m):
        for key, prop in spec.properties.items():
            if key in m:
                value = _clean_property(prop, m[key])
                if value is _CLOSER:
                    return None
                values[key] = value
    return {"id": eid, "kind": spec.name, "name": name, "aliases": aliases, "description": description,
            "properties": values}


def _entity_kind(vocab: Vocabulary, kind: str) -> tuple[Kind | None, frozenset[str]]:
    spec = vocab.kinds.get(kind)
    return spec, frozenset(ENTITY_FIELDS + tuple(spec.properties) if spec is not None else ())


def _read_relation(run: _Run, path: str, m: MarkedMap) -> dict[str, object] | None:
    """The fields of a relation record, or None when something is reported."""
    rtype = _text(run, path, m, "type", "a relation", required=True)
    spec = None
    if rtype is not None:
        spec = run.vocab.relations.get(rtype)
        if spec is None:
            hint = closest(rtype, run.vocab.relations, n=1)
            fix = f"did you mean {hint[0]!r}?" if hint else "see schema/relations.yaml"
            run.error(path, m.value_marks["type"], f"unknown relation type {rtype!r}; {fix}")
    what = f"this {rtype} relation" if spec else "a relation"
    props = dict(spec.properties) if spec else {}
    if spec is not None:
        _unknown_keys(run, path, m, RELATION_FIELDS + tuple(props), what)
    rid = _slug(run, path, m, what, required=False)
    ends = {k: _text(run, path, m, k, what, required=True) for k in ("from", "to")}
    dates = {k: _date(run, path, m, k) for k in ("date", "start", "end")}
    if dates["date"] is not None and (dates["start"] is not None or dates["end"] is not None):
        run.error(path, m.value_marks["date"], "give either `date:` or `start:`/`end:`, not both")
    if dates["start"] and dates["end"] and dates["end"].last < dates["start"].first:
        run.error(path, m.value_marks["end"], f"`end` {dates['end']} is before `start` {dates['start']}; swap them")
    description = _text(run, path, m, "description", what)
    values = {k: _property(run, path, m, props[k], what) for k in props if k in m}
    citations = _read_citations(run, path, m, what)
    if spec is None or None in ends.values() or citations is None or any(v is None for v in values.values()):
        return None
    return {"id": rid, "type": rtype, "from": ends["from"], "to": ends["to"], **dates,
            "description": description, "properties": values, "citations": citations}


def _clean_relation(run: _Run, m: MarkedMap) -> dict[str, object] | None:
    """The fields of a relation that has no problem at all, quickly; None to look closer.

    The common case of a large fact base: every key known, every value
    plain text, dates well formed, no type properties. Anything else -
    including every case that would be reported - goes through
    :func:`_read_relation`, which gives the same record for clean input
    (``tests/test_fastpath.py`` checks both agree).
    """
    get = m.get
    rtype = get("type")
    spec = run.vocab.relations.get(rtype) if rtype.__class__ is str else None  # type: ignore[arg-type]
    if spec is None:
        return None
    properties: dict[str, object] = {}
    if not run.relation_keys.issuperset(m):
        if not spec.properties:
            return None
        for key in m:
            if key in run.relation_keys:
                continue
            prop = spec.properties.get(key)
            if prop is None:
                return None
            value = _clean_property(prop, m[key])
            if value is _CLOSER:
                return None
            properties[key] = value
        # In the vocabulary's order, as _read_relation gives them.
        properties = {k: properties[k] for k in spec.properties if k in properties}
    rid = get("id")
    src, dst = get("from"), get("to")
    if (rid is not None and (rid.__class__ is not str or not SLUG.match(rid))
            or src.__class__ is not str or dst.__class__ is not str or not src.strip() or not dst.strip()):
        return None
    description = get("description")
    if description is not None and (description.__class__ is not str or not description.strip()):
        return None
    date = start = end = None
    try:
        if (value := get("date")) is not None:
            date = _parse_date(value) if value.__class__ is str else None
            if date is None:
                return None
        if (value := get("start")) is not None:
            start = _parse_date(value) if value.__class__ is str else None
            if start is None:
                return None
        if (value := get("end")) is not None:
            end = _parse_date(value) if value.__class__ is str else None
            if end is None:
                return None
    except DateFormatError:
        return None
    if date is not None and (start is not None or end is not None):
        return None
    if start and end and end.last < start.first:
        return None
    raw = get("cite")
    if raw.__class__ is not MarkedList or not raw:
        return None
    citations = []
    for item in raw:
        if item.__class__ is not MarkedMap or not _CITATION_KEYS.issuperset(item):
            return None
        source = item.get("source")
        if source.__class__ is not str or not source.strip():
            return None
        quote = item.get("quote")
        if quote is not None:
            if quote.__class__ is not str or not quote.strip():
                return None
        elif "quote" in item:
            return None
        citations.append((source, quote, item))
    return {"id": rid, "type": spec.name, "from": src, "to": dst, "date": date, "start": start,
            "end": end, "description": description, "properties": properties, "citations": citations}


#: what :func:`_clean_property` returns for a value :func:`_property` must look at
_CLOSER = object()


def _clean_property(spec: Property, value: object) -> object:
    """The typed value :func:`_property` gives a good ``value``, or :data:`_CLOSER`."""
    kind = spec.type
    if kind == "list":
        if value.__class__ is str:
            return (value,)
        if value.__class__ is MarkedList and all(v.__class__ is str for v in value):  # type: ignore[attr-defined]
            return tuple(value)  # type: ignore[call-overload]
        return _CLOSER
    if value.__class__ is not str or not value.strip():  # type: ignore[attr-defined]
        return _CLOSER
    text: str = value  # type: ignore[assignment]
    if kind == "integer":
        if not _INTEGER.match(text.strip()):
            return _CLOSER
        number = int(text)
        return _CLOSER if spec.minimum is not None and number < spec.minimum else number
    if kind == "boolean":
        return text == "true" if text in ("true", "false") else _CLOSER
    if kind == "date":
        try:
            return _parse_date(text)
        except DateFormatError:
            return _CLOSER
    if spec.values is not None and text not in spec.values:
        return _CLOSER
    return text


_CITATION_KEYS = frozenset(CITATION_FIELDS)


def _read_citations(run: _Run, path: str, m: MarkedMap, what: str) -> list[tuple[str, str | None, MarkedMap]] | None:
    raw = m.get("cite")
    if raw is INVALID:
        return None
    if raw is None:
        run.error(path, m.value_marks.get("cite", m.mark), f"{what} needs `cite:` with at least one `- source: <id>` (and the quote that states it)")
        return None
    if isinstance(raw, MarkedMap):
        raw_list: list[object] = [raw]
        marks = [raw.mark]
    elif isinstance(raw, MarkedList):
        raw_list, marks = list(raw), raw.item_marks
    else:
        run.error(path, m.value_marks["cite"], "`cite:` must be a list of `- source: <id>` entries with a `quote:`")
        return None
    if not raw_list:
        run.error(path, m.value_marks["cite"], f"{what} needs at least one citation under `cite:`")
        return None
    out = []
    for item, mark in zip(raw_list, marks):
        if item is INVALID:
            continue
        if not isinstance(item, MarkedMap):
            run.error(path, mark, "each citation must be a mapping: `- source: <id>` with `quote: \"...\"`")
            continue
        _unknown_keys(run, path, item, CITATION_FIELDS, "a citation")
        source = _text(run, path, item, "source", "a citation", required=True)
        quote = None
        if "quote" in item:
            quote = _text(run, path, item, "quote", "a citation", required=True)
        if source is not None and (quote is not None or "quote" not in item):
            out.append((source, quote, item))
    return out if len(out) == len(raw_list) else None


# -- pass 2: identity and references ---------------------------------------

def _index(run: _Run) -> tuple[dict[str, Source], dict[str, Entity], NameIndex]:
    sources, index, pending = _index_names(run)
    return sources, _entity_records(run, index, pending), index


_Pending = list[tuple[dict[str, object], MarkedMap, Location]]


def _index_names(run: _Run) -> tuple[dict[str, Source], NameIndex, _Pending]:
    # Each id's first record; its place is worked out only for a duplicate
    # (reading a record's value marks costs, and ids are mostly unique).
    seen: dict[str, MarkedMap] = {}
    sources: dict[str, Source] = {}
    for source, m in run.sources:
        if source.id in seen:
            run.error(source.loc.path, m.value_marks["id"], f"id {source.id!r} is already used at "
                      f"{_id_place(seen[source.id])}; ids must be unique in the fact base")
            continue
        seen[source.id] = m
        sources[source.id] = source
    index = NameIndex()
    pending: list[tuple[dict[str, object], MarkedMap, Location]] = []
    location = maker(Location)
    for fields, m in run.entities:
        eid = str(fields["id"])
        path = m.path
        if eid in seen:
            run.error(path, m.value_marks["id"], f"id {eid!r} is already used at {_id_place(seen[eid])}; "
                      "ids must be unique in the fact base")
            continue
        seen[eid] = m
        index.add(eid, [str(fields["name"]), *fields["aliases"]])  # type: ignore[list-item, misc]
        line, col = m.mark
        pending.append((fields, m, location(path, line, col)))
    return sources, index, pending


def _id_place(m: MarkedMap) -> Location:
    line, col = m.value_marks["id"]
    return Location(m.path, line, col)


def _entity_records(run: _Run, index: NameIndex, pending: _Pending) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    make_entity = maker(Entity)
    for fields, m, loc in pending:
        props = dict(fields["properties"])  # type: ignore[call-overload]
        spec = run.vocab.kinds[str(fields["kind"])].properties
        for key, value in list(props.items()):
            if spec[key].type == "reference":
                resolved = _resolve(run, index, loc.path, m.value_marks[key], str(value), f"`{key}`")
                if resolved is None:
                    props.pop(key)
                else:
                    props[key] = resolved
        entities[str(fields["id"])] = make_entity(
            str(fields["id"]), str(fields["kind"]), str(fields["name"]), loc,
            fields["aliases"], fields["description"], MappingProxyType(props),  # type: ignore[arg-type]
        )
    return entities


def _resolve(run: _Run, index: NameIndex, path: str, mark: Mark, ref: str, what: str) -> str | None:
    hits = index.lookup(ref)
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        run.error(path, mark, f"{what} {ref!r} is ambiguous: it names {_list(hits, run)}; use the id")
        return None
    partial = index.partial(ref)
    if len(partial) > 1:
        run.error(path, mark, f"{what} {ref!r} is ambiguous: it could be {_list(partial, run)}; use the id")
        return None
    near = partial or index.suggestions(ref)
    hint = f"; did you mean {_list(near, run)}?" if near else "; define it under `entities:` or fix the spelling"
    run.error(path, mark, f"{what} {ref!r} names no entity{hint}")
    return None


def _list(ids: list[str], run: _Run) -> str:
    if run.names is None:
        run.names = {str(f["id"]): str(f["name"]) for f, _ in run.entities}
    names = run.names
    parts = [f"{i} ({names[i]})" if i in names else i for i in ids]
    return ", ".join(parts[:-1]) + " or " + parts[-1] if len(parts) > 1 else parts[0]


def _relations(run: _Run, sources: Mapping[str, Source], entities: Mapping[str, Entity], index: NameIndex,
               contributions: list[Relation] | None = None) -> dict[str, Relation]:
    """Check, resolve and merge the relations; ``contributions`` collects each record before merging."""
    out: dict[str, Relation] = {}
    # Citations of merged records accumulate here, so that many records of
    # one relation cost linear, not quadratic, time.
    citations_of = _Citations()
    resolve = _Resolver(run, sources, entities, index)
    quick = run.quick.resolver(resolve) if run.quick is not None else None
    entries = run.relations
    i, n = 0, len(entries)
    while i < n:
        if quick is not None:
            # the compiled pass 2 takes the entries up to one it leaves to Python
            i = quick.relations_from(entries, i, out, contributions)
            if i >= n:
                break
        entry = entries[i]
        i += 1
        if len(entry) == 2:  # (fields, record) of the Python path
            fields, m = cast("tuple[dict[str, object], MarkedMap]", entry)
            relation = resolve(fields, m, m.path)
        else:  # the compiled pass 1's tuple: a name to learn, a problem to report, or a merge
            relation = quick(entry) if quick is not None else None
            if relation is None:
                relation = resolve(*_closer_look(entry))
        if relation is None:
            continue
        if contributions is not None:
            contributions.append(relation)
        rid = relation.id
        if rid in out:
            earlier = out[rid]
            merged = _merge(run, earlier, relation)
            if merged is not None:
                citations_of.add(earlier, relation)
                out[rid] = merged
        else:
            out[rid] = relation
    return citations_of.apply(out)


class _Resolver:
    """The Python path from a relation's checked fields to its Relation, reporting what is wrong."""

    def __init__(self, run: _Run, sources: Mapping[str, Source], entities: Mapping[str, Entity],
                 index: NameIndex) -> None:
        self.run, self.sources, self.entities, self.index = run, sources, entities, index
        self.source_hints: Hints | None = None
        self.source_ids = {sid: source.id for sid, source in sources.items()}  # each to the source's own string
        self.named: dict[str, str] = {}  # names and aliases resolved so far (a failure is reported at each place)
        self.kind_of: dict[str, str] = {}  # filled as needed: a re-read file names few entities
        self.fits: dict[tuple[tuple[str, ...], str], bool] = {}  # (range, kind) -> allowed, computed once
        self.location, self.citation, self.relation = maker(Location), maker(Citation), maker(Relation)

    def end(self, m: MarkedMap, path: str, key: str, ref: str) -> str | None:
        found = self.index.ids.get(ref) or self.named.get(ref)
        if found is None:
            found = _resolve(self.run, self.index, path, m.value_marks[key], str(ref), f"`{key}`")
            if found is not None:
                self.named[ref] = found
        return found

    def __call__(self, fields: dict[str, object], m: MarkedMap, path: str) -> Relation | None:
        run = self.run
        spec = run.vocab.relations[fields["type"]]  # type: ignore[index]
        a = self.end(m, path, "from", fields["from"])  # type: ignore[arg-type]
        b = self.end(m, path, "to", fields["to"])  # type: ignore[arg-type]
        ok = a is not None and b is not None
        for end, key, allowed in ((a, "from", spec.from_kinds), (b, "to", spec.to_kinds)):
            if end is None:
                continue
            kind = self.kind_of.get(end)
            if kind is None:
                kind = self.kind_of[end] = self.entities[end].kind
            fit = self.fits.get((allowed, kind))
            if fit is None:
                fit = self.fits[(allowed, kind)] = run.vocab.admits(allowed, kind)
            if not fit:
                ok = False
                run.error(path, m.value_marks[key], f"a {spec.name} relation cannot go {key} {end} (a {kind}); "
                          f"`{key}` must be a {' or '.join(allowed)}")
        if ok and a == b:
            ok = False
            run.error(path, m.value_marks["to"], f"a relation cannot go from {a} to itself; check `from:` and `to:`")
        citations: list[Citation] = []
        for source, quote, cm in fields["citations"]:  # type: ignore[attr-defined]
            known = self.source_ids.get(source)
            if known is None:
                if self.source_hints is None:
                    self.source_hints = Hints(self.sources)
                near = self.source_hints.closest(source, n=2)
                hint = f"did you mean {' or '.join(near)}?" if near else "define it under `sources:`"
                run.error(path, cm.value_marks["source"], f"citation names unknown source {source!r}; {hint}")
                ok = False
                continue
            line, col = cm.mark
            citations.append(self.citation(known, self.location(path, line, col), quote))
        props = fields["properties"]
        if props:
            for key, value in list(props.items()):  # type: ignore[attr-defined]
                if spec.properties[key].type == "reference":
                    resolved = _resolve(run, self.index, path, m.value_marks[key], str(value), f"`{key}`")
                    ok = ok and resolved is not None
                    props[key] = resolved  # type: ignore[index]
        if not ok:
            return None
        if spec.symmetric and b < a:  # type: ignore[operator]
            a, b = b, a
        rid = fields["id"]
        date, start, end_ = fields["date"], fields["start"], fields["end"]
        if not rid:
            # A record that names no id: type, ends, and the date when there is one.
            if date is not None:
                rid = f"{spec.name}:{a}:{b}:{date}"
            elif start is not None or end_ is not None:
                rid = f"{spec.name}:{a}:{b}:{start or ''}..{end_ or ''}"
            else:
                rid = f"{spec.name}:{a}:{b}"
        line, col = m.mark
        return self.relation(
            rid, spec.name, a, b, self.location(path, line, col), tuple(citations),
            date, start, end_, fields["description"],
            MappingProxyType(dict(props)) if props else _NO_PROPERTIES, bool(fields["id"]),  # type: ignore[call-overload]
        )


class _QuickRelations:
    """The compiled quick path for the relations of a run (``loaders/_yamlfast.c``).

    Pass 1 (:meth:`fields_from`) checks records as :func:`_clean_relation`
    does, while their file's tree is fresh, and keeps only what pass 2
    needs; pass 2 (:meth:`resolver`) resolves them as :class:`_Resolver`
    does. Both stop at a record that needs a closer look: the Python path
    then gives the same Relation, or reports what is wrong.
    ``tests/test_quickpath.py`` and ``tests/test_fastpath.py`` load random
    records and every corpus both ways.
    """

    def __init__(self, fields_from: Callable[..., int], relation: Callable[..., Relation | None],
                 relations_from: Callable[..., int], context: tuple[object, ...]) -> None:
        self._fields_from, self._relation, self._relations_from = fields_from, relation, relations_from
        self.context = context

    @classmethod
    def make(cls, run: _Run) -> _QuickRelations | None:
        compiled = _compiled_relations()
        if compiled is None:
            return None
        # The order of the compiled side's C1_* indexes; the {} caches dates for this run.
        context: tuple[object, ...] = (run.relation_keys, _relation_types(run.vocab), {}, _parse_date, DateFormatError,
                                       _clean_property, _CLOSER, maker(Location), maker(Citation), _CITATION_KEYS)
        return cls(*compiled, context)

    def fields_from(self, items: MarkedList, start: int, path: str, out: list[tuple[object, ...]]) -> int:
        """Pass 1 of ``items[start:]`` onto ``out``, up to one left to Python: its index."""
        return self._fields_from(items, start, path, self.context, out)

    def resolver(self, python: _Resolver) -> _QuickResolver:
        """Pass 2 for the fact base ``python`` resolves, sharing its names learned and source ids."""
        from loaders import _yamlfast

        entities, index = python.entities, python.index
        by_id = entities if type(entities) is dict else dict(entities)
        # The order of the compiled side's C2_* indexes.
        context: tuple[object, ...] = (index.ids, python.named, by_id, python.source_ids, maker(Relation),
                                       _NO_PROPERTIES, MappingProxyType, Entity, index.folded)
        _yamlfast.check_context(self.context, context)
        return _QuickResolver(self._relation, self._relations_from, context, index, python.named)


class _QuickResolver:
    """The compiled pass 2 of a load (see :class:`_QuickRelations`)."""

    def __init__(self, relation: Callable[..., Relation | None], relations_from: Callable[..., int],
                 context: tuple[object, ...], index: NameIndex, named: dict[str, str]) -> None:
        self._relation, self._relations_from = relation, relations_from
        self.context, self.index, self.named = context, index, named

    def relations_from(self, entries: list[tuple[object, ...]], start: int, out: dict[str, Relation],
                       contributions: list[Relation] | None) -> int:
        """Relations of ``entries[start:]`` into ``out``, up to an entry left to Python: its index."""
        return self._relations_from(entries, start, self.context, out, contributions)

    def __call__(self, fields: tuple[object, ...]) -> Relation | None:
        found = self._relation(fields, self.context)
        if found is None:
            # Ends given by name (not id) are resolved here, once each, where
            # the name is unambiguous; anything else is reported by the
            # Python path.
            learned = False
            for ref in (fields[2], fields[3]):
                if ref not in self.index.ids and ref not in self.named:
                    hits = self.index.lookup(ref)  # type: ignore[arg-type]
                    if len(hits) == 1:
                        self.named[ref] = hits[0]  # type: ignore[index]
                        learned = True
            if learned:
                found = self._relation(fields, self.context)
        return found


def _compiled_relations() -> tuple[Callable[..., int], Callable[..., Relation | None], Callable[..., int]] | None:
    """The extension's two steps, or None when it is not built (tests replace this to compare paths)."""
    from loaders.yamlfast import compiled_reader

    if compiled_reader() is None:  # which also sets the extension up
        return None
    from loaders import _yamlfast

    return _yamlfast.relation_fields_from, _yamlfast.relation, _yamlfast.relations_from  # type: ignore[return-value]


_TYPES: dict[int, tuple[Vocabulary, dict[str, tuple[object, ...]]]] = {}


def _relation_types(vocab: Vocabulary) -> dict[str, tuple[object, ...]]:
    """Per relation type, what the compiled pass needs: name, symmetric, kinds admitted at each end, properties."""
    known = _TYPES.get(id(vocab))
    if known is not None and known[0] is vocab:
        return known[1]
    types: dict[str, tuple[object, ...]] = {}
    for name, spec in vocab.relations.items():
        admitted = [frozenset(k for k in vocab.kinds if vocab.admits(allowed, k))
                    for allowed in (spec.from_kinds, spec.to_kinds)]
        # A record with a reference property steps aside: references are resolved in Python.
        plain = {k: p for k, p in spec.properties.items() if p.type != "reference"}
        types[name] = (spec.name, bool(spec.symmetric), *admitted, plain if spec.properties else None)
    if len(_TYPES) > 8:
        _TYPES.clear()
    _TYPES[id(vocab)] = (vocab, types)
    return types


class _Marks:
    """The places of a record the compiled pass 1 let go, for the Python path's reports."""

    __slots__ = ("mark", "value_marks")

    def __init__(self, mark: Mark, value_marks: dict[str, Mark]) -> None:
        self.mark, self.value_marks = mark, value_marks


def _closer_look(fields: tuple[object, ...]) -> tuple[dict[str, object], MarkedMap, str]:
    """The compiled pass 1's tuple as the Python path's fields, record and path."""
    info, rid, src, dst, date, start, end, description, props, citations, loc, from_mark, to_mark, marks = fields
    source_marks = cast("tuple[Mark | None, ...]", marks)
    place = cast(Location, loc)
    here = Mark(place.line, place.col)
    record = _Marks(here, {"from": cast(Mark, from_mark or here), "to": cast(Mark, to_mark or here)})
    cites = [(c.source, c.quote, _Marks(Mark(c.loc.line, c.loc.col), {"source": mark or Mark(c.loc.line, c.loc.col)}))
             for c, mark in zip(cast("tuple[Citation, ...]", citations), source_marks)]
    found = {"id": rid, "type": cast("tuple[str, ...]", info)[0], "from": src, "to": dst, "date": date,
             "start": start, "end": end, "description": description,
             "properties": dict(cast("dict[str, object]", props)) if props else {}, "citations": cites}
    return found, cast(MarkedMap, record), place.path


class _Citations:
    """Citations of a relation's records, added up in linear time, each source and quote once.

    Only relations stated by more than one record are tracked: most are
    stated once, and keep their record's citations as they are.
    """

    def __init__(self) -> None:
        self.cites: dict[str, list[Citation]] = {}
        self.seen: dict[str, set[tuple[str, str | None]]] = {}

    def add(self, earlier: Relation, relation: Relation) -> None:
        """``relation`` is a further record of ``earlier``'s relation."""
        rid = relation.id
        cites = self.cites.get(rid)
        if cites is None:
            cites = self.cites[rid] = list(earlier.citations)
            seen = self.seen[rid] = {(c.source, c.quote) for c in earlier.citations}
        else:
            seen = self.seen[rid]
        for c in relation.citations:
            if (c.source, c.quote) not in seen:
                seen.add((c.source, c.quote))
                cites.append(c)

    def apply(self, relations: dict[str, Relation]) -> dict[str, Relation]:
        """``relations`` with the added-up citations, in place."""
        for rid, cites in self.cites.items():
            relation = relations[rid]
            if len(cites) != len(relation.citations):
                relations[rid] = replace(relation, citations=tuple(cites))
        return relations


def _merge(run: _Run, first: Relation, second: Relation) -> Relation | None:
    """Two records of one relation: values must agree (the caller adds up citations)."""
    for name in ("type", "source", "target", "date", "start", "end", "description"):
        a, b = getattr(first, name), getattr(second, name)
        if b is not None and a is not None and a != b:
            run.error(second.loc.path, Mark(second.loc.line, second.loc.col),
                      f"relation {first.id!r} is also defined at {first.loc} with {name} {_show(a)}, here {_show(b)}; "
                      "make the two records agree or give them different `id`s")
            return None
    props = dict(first.properties)
    for key, value in second.properties.items():
        if key in props and props[key] != value:
            run.error(second.loc.path, Mark(second.loc.line, second.loc.col),
                      f"relation {first.id!r} is also defined at {first.loc} with {key} {_show(props[key])}, here {_show(value)}; "
                      "make the two records agree or give them different `id`s")
            return None
        props[key] = value
    return replace(
        first, properties=MappingProxyType(props),
        date=first.date or second.date, start=first.start or second.start, end=first.end or second.end,
        description=first.description or second.description,
    )


def _show(value: object) -> str:
    return repr(str(value)) if isinstance(value, PartialDate) else repr(value)


# -- the entry point -------------------------------------------------------

def load_factbase(
    paths: Iterable[str | Path],
    *,
    vocabulary: Vocabulary | None = None,
    texts: str | Path | None = None,
    limits: Limits | None = None,
) -> FactBase:
    """Read, validate and resolve a fact base.

    Parameters
    ----------
    paths : iterable of str or Path
        Fact files and directories (searched recursively for ``*.yaml`` and
        ``*.yml``).
    vocabulary : Vocabulary, optional
        Defaults to the shipped vocabulary.
    texts : str or Path, optional
        A folder with the sources' text files; when given, every quote must
        occur verbatim in its source's text.
    limits : Limits, optional
        File size and count bounds.

    Raises
    ------
    FactError
        With every problem found, each at its ``path:line:col``.

    Examples
    --------
    >>> fb = load_factbase(["facts/chicago-sanctuary"])
    >>> fb.entities["raymond-lopez"].name
    'Raymond Lopez'
    """
    with paused_gc():
        return _load(paths, vocabulary, texts, limits)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while records are built.

    A load makes millions of containers and frees none of them; each
    automatic collection would walk all of them again (a third of the
    time of a large load). Reference counting still frees everything.
    At the end the new objects are filed with the old ones (:func:`_settle`).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            _settle()
            gc.enable()


def _settle() -> None:
    """File the young objects of a load with the old ones, without walking them.

    Enabled with millions of new objects counted, the very next allocation
    would start a collection that walks them all (a third of a second at
    10^5 relations) only to find them alive, and a later collection of the
    middle generation would walk them again (60 ms of a 10^4-relation
    reload). ``freeze`` then ``unfreeze`` moves every tracked object to the
    oldest generation and resets the count in constant time; they are
    walked again only by the next full collection, as any long-lived data
    is. When someone else has frozen
    objects (a server preparing to fork, say), ``unfreeze`` would undo
    their freeze, so one ordinary collection does the settling instead.
    """
    if gc.get_count()[0] <= _SETTLE:
        # A reload after an edit makes a few thousand: the ordinary young
        # collection is cheaper than asking get_freeze_count, which walks
        # every frozen object (125 ms in a daemon holding 10^5 relations).
        return
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
    else:
        gc.collect()


#: new tracked objects above which a load settles them (a cold load of 10^3
#: relations makes 17,000; a reload after an edit, 3,000)
_SETTLE = 10_000


def _load(paths: Iterable[str | Path], vocabulary: Vocabulary | None, texts: str | Path | None,
          limits: Limits | None) -> FactBase:
    from loaders.quotes import check_quotes

    paths = [str(p) for p in paths]
    vocab = vocabulary or load_vocabulary()
    limits = limits or Limits()
    run = _Run(vocab, limits)
    if not paths:
        raise FactError([Diagnostic("<arguments>", 1, 1, "no fact files given; pass one or more files or directories")])
    try:
        files = _fact_files(paths, run, limits)
        for path in files:
            _read_file(path, run, limits)
        sources, entities, index = _index(run)
        relations = _relations(run, sources, entities, index)
    except _TooManyErrors:
        raise FactError(run.diagnostics, note=f"stopped after {limits.max_errors:,} errors; fix these first "
                        "(or raise ACTORGRAPH_MAX_ERRORS to see more)") from None
    if texts is not None and not run.diagnostics:
        run.diagnostics += check_quotes(sources, relations.values(), Path(texts))[: limits.max_errors]
    if run.diagnostics:
        raise FactError(run.diagnostics)
    first = Path(paths[0]).resolve()
    name = first.name if first.is_dir() else first.stem
    return FactBase(name, tuple(str(p) for p in paths), tuple(files), vocab, MappingProxyType(sources),
                    MappingProxyType(entities), MappingProxyType(relations))
