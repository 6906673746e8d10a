"""Loading again after an edit: redo only the files whose content changed.

A fact base is loaded file by file: each file's sources and entities, and
its relations resolved against the whole base (:class:`FilePart`). What a
part resolves to depends on the file's bytes and on the *exports* of the
whole base - every entity's id, kind, name and aliases and every source's
id, in order - and on nothing else. So when the exports are unchanged, the
parts of unchanged files are still right, and only the edited files are
read, checked and resolved again; the relations are then merged afresh and
the fact base is exactly the one a full load gives (``tests/test_cache.py``
compares them after many kinds of edits).

Anything else - a file added, removed or renamed, an entity or source
added, renamed or moved, any problem in the input - makes a full load,
which also produces the diagnostics, so they never come from a cache.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from loaders.errors import Diagnostic, FactError
from loaders.factbase import (
    Limits, _entity_records, _fact_files, _index_names, _load, _merge, paused_gc, _read_bytes, _read_file,
    _relations, _Run, _Citations, _TooManyErrors,
)
from loaders.names import NameIndex
from loaders.records import Entity, FactBase, Location, Relation, Source
from loaders.vocabulary import Vocabulary, load_vocabulary

if TYPE_CHECKING:
    from loaders.cache import PartStore

_R = TypeVar("_R")

#: (id, kind, name, aliases) of each entity of a file, in order
Names = tuple[tuple[str, str, str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class FilePart:
    """What one fact file contributes, resolved against the base's exports."""

    path: str
    digest: bytes
    exports: bytes
    source_ids: tuple[str, ...]
    names: Names
    sources: tuple[Source, ...]
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]  # each record, resolved, before merging


@dataclass(frozen=True)
class LoadState:
    """A loaded fact base and what is needed to load it again quickly."""

    key: str
    files: tuple[str, ...]
    parts: tuple[FilePart, ...]
    exports: bytes
    factbase: FactBase
    index: NameIndex | None = field(default=None, compare=False)
    #: ids of relations that may differ from the previous state's (None: any)
    touched: frozenset[str] | None = field(default=None, compare=False)
    #: each file's signature (size, times, inode...) when it was read, and when that was
    stats: tuple[tuple[int, ...] | None, ...] = field(default=(), compare=False)
    read_ns: int = field(default=0, compare=False)




def fingerprint(*values: object) -> str:
    """A stable digest of values with a deterministic ``repr``."""
    return hashlib.sha256(repr(values).encode("utf-8", "surrogatepass")).hexdigest()


def state_key(paths: Iterable[str], vocabulary: Vocabulary, limits: Limits) -> str:
    """What, besides file contents, a load depends on: the paths as given, the
    working directory they are relative to, the vocabulary and the limits."""
    return fingerprint(tuple(paths), os.getcwd(), vocabulary, limits)


def _exports(parts: Iterable[tuple[Names, tuple[str, ...]]]) -> bytes:
    return hashlib.sha256(repr(tuple(parts)).encode("utf-8", "surrogatepass")).digest()


def load_state(
    paths: Iterable[str | Path],
    *,
    vocabulary: Vocabulary | None = None,
    limits: Limits | None = None,
    previous: LoadState | None = None,
    store: PartStore | None = None,
) -> LoadState:
    """Load a fact base, reusing ``previous`` and the ``store`` where still right.

    Returns ``previous`` itself when no file changed. Raises
    :class:`FactError` exactly as :func:`loaders.load_factbase` does.

    Examples
    --------
    >>> state = load_state(["facts/chicago-sanctuary"])
    >>> load_state(["facts/chicago-sanctuary"], previous=state) is state
    True
    """
    names = [str(p) for p in paths]
    vocab = vocabulary or load_vocabulary()
    limits = limits or Limits()
    key = state_key(names, vocab, limits)
    read_ns = time.time_ns()
    with paused_gc():
        run = _Run(vocab, limits)
        try:
            files = _fact_files(names, run, limits) if names else []
            same = previous is not None and previous.key == key and previous.files == tuple(files)
            stats = [_signature(path) for path in files]
            # A file whose signature is unchanged since the previous read, and
            # was last changed well before it, is not read again (git's rule
            # for its index); any other file is read and known by content.
            trusted = [same and s is not None and s == old and s[1] < previous.read_ns - _RACY_NS  # type: ignore[union-attr]
                       for s, old in zip(stats, previous.stats if same else stats)]  # type: ignore[union-attr]
            datas = [None if t else _read_bytes(path, run, limits) for path, t in zip(files, trusted)]
        except _TooManyErrors:
            return _full(names, vocab, limits, key)  # reports the problem
        if not names or run.diagnostics:
            return _full(names, vocab, limits, key)  # reports the problem
        digests = [previous.parts[i].digest if t else hashlib.sha256(d).digest()  # type: ignore[union-attr, arg-type]
                   for i, (t, d) in enumerate(zip(trusted, datas))]
        signed = tuple(stats)
        if same:
            known: list[FilePart | None] = [p if p.digest == d else None for p, d in zip(previous.parts, digests)]  # type: ignore[union-attr]
            if all(known):
                if signed == previous.stats:  # type: ignore[union-attr]
                    return previous  # type: ignore[return-value]
                return _stamped(previous, signed, read_ns)  # type: ignore[arg-type]
            state = _update(names, files, datas, digests, known, previous.exports, vocab, limits, key,  # type: ignore[arg-type, union-attr]
                            previous.index, store, previous)  # type: ignore[union-attr]
            if state is not None:
                return _stamped(state, signed, read_ns)
        elif store is not None:
            known = [store.get(path, d) for path, d in zip(files, digests)]
            reused = {p.exports for p in known if p is not None}
            if len(reused) == 1:
                state = _update(names, files, datas, digests, known, reused.pop(), vocab, limits, key,  # type: ignore[arg-type]
                                None, store)
                if state is not None:
                    return _stamped(state, signed, read_ns)
        state = _full(names, vocab, limits, key, datas, digests)
        if store is not None:
            for part in state.parts:
                store.put(part)
        return _stamped(state, signed, read_ns)


#: how long after its last change a file's signature is trusted to mean its
#: content: coarser than any file system's timestamps (FAT's are 2 s)
_RACY_NS = 3_000_000_000


def _signature(path: str) -> tuple[int, ...] | None:
    """What changes when a file is written, renamed over, or has its mode changed."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev, info.st_mode)


def _copy(mapping: Mapping[str, _R]) -> dict[str, _R]:
    """A dict copy: the dict's own (C speed); ``dict(a mapping proxy)`` goes key by key."""
    if isinstance(mapping, (dict, MappingProxyType)):
        return mapping.copy()  # type: ignore[return-value]
    return dict(mapping)


def _stamped(state: LoadState, stats: tuple[tuple[int, ...] | None, ...], read_ns: int) -> LoadState:
    return replace(state, stats=stats, read_ns=read_ns)


def _name_index(names: Iterable[Names]) -> NameIndex:
    index = NameIndex()
    for file_names in names:
        for eid, _kind, name, aliases in file_names:
            index.add(eid, [name, *aliases])
    return index


def _read_part(path: str, data: bytes, vocab: Vocabulary, limits: Limits) -> _Run | None:
    run = _Run(vocab, limits)
    try:
        _read_file(path, run, limits, data)
    except _TooManyErrors:
        return None
    return None if run.diagnostics else run


def _names(run: _Run) -> tuple[Names, tuple[str, ...]]:
    names = tuple((str(f["id"]), str(f["kind"]), str(f["name"]), f["aliases"]) for f, _ in run.entities)
    return names, tuple(s.id for s, _ in run.sources)  # type: ignore[return-value]


def _update(paths: list[str], files: list[str], datas: list[bytes], digests: list[bytes],
            known: list[FilePart | None], exports: bytes, vocab: Vocabulary, limits: Limits, key: str,
            index: NameIndex | None, store: PartStore | None, previous: LoadState | None = None) -> LoadState | None:
    """Re-read the files without a known part; None when a full load is needed."""
    runs: dict[int, _Run] = {}
    for i, part in enumerate(known):
        if part is None:
            run = _read_part(files[i], datas[i], vocab, limits)
            if run is None:
                return None
            runs[i] = run
    pairs = {i: _names(run) for i, run in runs.items()}
    if previous is not None:
        if any(pairs[i] != (previous.parts[i].names, previous.parts[i].source_ids) for i in runs):
            return None  # names or ids moved: every reference may resolve differently
    else:
        every = [(p.names, p.source_ids) if p is not None else pairs[i] for i, p in enumerate(known)]
        if _exports(every) != exports:
            return None
    if index is None:
        index = _name_index(p.names if p is not None else pairs[i][0] for i, p in enumerate(known))
    fresh: dict[int, tuple[tuple[Source, ...], tuple[Entity, ...]]] = {}
    for i, run in runs.items():
        pending = [(f, m, Location(m.path, m.mark.line, m.mark.col)) for f, m in run.entities]
        new_sources = tuple(s for s, _ in run.sources)
        new_entities = tuple(_entity_records(run, index, pending).values())
        if run.diagnostics:
            return None
        if previous is not None:
            # Records equal to the earlier ones stay the earlier objects, so
            # that everything downstream sees them as unchanged.
            new_sources = _same(new_sources, previous.parts[i].sources)
            new_entities = _same(new_entities, previous.parts[i].entities)
        fresh[i] = (new_sources, new_entities)
    if previous is not None:
        # The same ids in the same places (checked above): the earlier maps
        # with the re-read files' records in place.
        sources, entities = _copy(previous.factbase.sources), _copy(previous.factbase.entities)
        for new_sources, new_entities in fresh.values():
            sources.update((s.id, s) for s in new_sources)
            entities.update((e.id, e) for e in new_entities)
    else:
        sources = {s.id: s for i, p in enumerate(known) for s in (p.sources if p is not None else fresh[i][0])}
        entities = {e.id: e for i, p in enumerate(known) for e in (p.entities if p is not None else fresh[i][1])}
    parts: list[FilePart] = []
    for i, part in enumerate(known):
        if part is None:
            run = runs[i]
            contributions: list[Relation] = []
            _relations(run, sources, entities, index, contributions)
            if run.diagnostics:
                return None
            if previous is not None:
                contributions = list(_same(tuple(contributions), previous.parts[i].relations))
            part = FilePart(files[i], digests[i], exports, pairs[i][1], pairs[i][0], fresh[i][0],
                            fresh[i][1], tuple(contributions))
            if store is not None:
                store.put(part)
        parts.append(part)
    relations = _merge_quick(parts, previous, runs, vocab) if previous is not None else None
    if relations is None:
        relations = _merge_all(parts, vocab, previous, runs)
    if relations is None:
        return None
    touched = frozenset(r.id for i in runs for r in parts[i].relations)
    if previous is not None:
        touched |= {r.id for i in runs for r in previous.parts[i].relations}
        # Only what is not the very same object can differ.
        old = previous.factbase.relations
        touched = frozenset(rid for rid in touched if relations.get(rid) is not old.get(rid))
    state = LoadState(key, tuple(files), tuple(parts), exports,
                      _factbase(paths, files, vocab, sources, entities, relations), index, touched)
    return state


def _same(new: tuple[_R, ...], old: tuple[_R, ...]) -> tuple[_R, ...]:
    return tuple(o if j < len(old) and (o := old[j]) == n else n for j, n in enumerate(new))


def _merge_quick(parts: list[FilePart], previous: LoadState, fresh: Iterable[int],
                 vocab: Vocabulary) -> dict[str, Relation] | None:
    """The merged relations when the edited files kept their relation ids, in order:
    the earlier result with the new records in place, and the relations
    stated by several records merged again from those records alone."""
    old = previous.factbase.relations
    again: set[str] = set()
    for i in fresh:
        before = previous.parts[i].relations
        if tuple(r.id for r in parts[i].relations) != tuple(r.id for r in before):
            return None
        again.update(r.id for r in before if old.get(r.id) is not r)
    out = _copy(old)
    for i in fresh:
        for relation in parts[i].relations:
            out[relation.id] = relation
    if again:
        # Every record of those relations, in file order: one pass over the
        # ids (an index of every relation's records would cost ten times
        # this to build, for the few relations an edit touches).
        found: dict[str, list[Relation]] = {rid: [] for rid in again}
        for part in parts:
            for relation in part.relations:
                if relation.id in found:
                    found[relation.id].append(relation)
        run = _Run(vocab, Limits())
        citations_of = _Citations()
        for rid, records in found.items():
            merged = records[0]
            for record in records[1:]:
                next_ = _merge(run, merged, record)
                if next_ is None:
                    return None  # the full load reports the disagreement
                citations_of.add(merged, record)
                merged = next_
            out[rid] = merged
        citations_of.apply(out)
    return out


def _merge_all(parts: list[FilePart], vocab: Vocabulary, previous: LoadState | None = None,
               fresh: Iterable[int] = ()) -> dict[str, Relation] | None:
    """Merge every part's relations in file order.

    With ``previous``, a relation none of whose records is in a ``fresh``
    part (nor was in its earlier version) merges exactly as before, so the
    earlier merged record is kept - the same object, which lets the graph
    keep its attributes too.
    """
    run = _Run(vocab, Limits())
    out: dict[str, Relation] = {}
    earlier = previous.factbase.relations if previous is not None else {}
    touched = {r.id for i in fresh for r in parts[i].relations}
    if previous is not None:
        touched.update(r.id for i in fresh for r in previous.parts[i].relations)
    citations_of = _Citations()
    kept: set[str] = set()
    for part in parts:
        for relation in part.relations:
            rid = relation.id
            if rid in out:
                if rid not in touched and rid in earlier:
                    out[rid] = earlier[rid]
                    kept.add(rid)
                    continue
                merged = _merge(run, out[rid], relation)
                if merged is None:
                    return None
                citations_of.add(out[rid], relation)
                out[rid] = merged
            else:
                out[rid] = relation
    for rid in kept:
        citations_of.cites.pop(rid, None)
    return citations_of.apply(out)


def _factbase(paths: list[str], files: list[str], vocab: Vocabulary, sources: dict[str, Source],
              entities: dict[str, Entity], relations: dict[str, Relation]) -> FactBase:
    first = Path(paths[0]).resolve()
    name = first.name if first.is_dir() else first.stem
    return FactBase(name, tuple(paths), tuple(files), vocab, MappingProxyType(sources),
                    MappingProxyType(entities), MappingProxyType(relations))


def _full(paths: list[str], vocab: Vocabulary, limits: Limits, key: str,
          datas: list[bytes | None] | None = None, digests: list[bytes] | None = None) -> LoadState:
    """A load from scratch that remembers each file's part."""
    if not paths:
        raise FactError([Diagnostic("<arguments>", 1, 1, "no fact files given; pass one or more files or directories")])
    run = _Run(vocab, limits)
    failed = False
    try:
        files = _fact_files(paths, run, limits)
        bounds = []
        for i, path in enumerate(files):
            data = datas[i] if datas is not None and datas[i] is not None else None
            _read_file(path, run, limits, data)
            bounds.append((len(run.sources), len(run.entities), len(run.relations)))
        sources, index, pending = _index_names(run)
        entities = _entity_records(run, index, pending)
        contributions: list[Relation] = []
        relations = _relations(run, sources, entities, index, contributions)
    except _TooManyErrors:
        failed = True
    if failed or run.diagnostics:
        # Problems are reported by the reference load, so that what a user
        # sees never depends on what the cache held.
        _load(paths, vocab, None, limits)
        raise FactError(run.diagnostics)  # pragma: no cover - the reference load raised
    if digests is None:
        digests = [hashlib.sha256(_read_bytes(p, run, limits) or b"").digest() for p in files]
    source_list, entity_list = list(sources.values()), list(entities.values())
    pairs, parts = [], []
    start = (0, 0, 0)
    for i, end in enumerate(bounds):
        names: tuple[tuple[str, str, str, tuple[str, ...]], ...] = tuple(
            (str(f["id"]), str(f["kind"]), str(f["name"]), f["aliases"])  # type: ignore[misc]
            for f, _ in run.entities[start[1]:end[1]])
        sids = tuple(s.id for s in source_list[start[0]:end[0]])
        pairs.append((names, sids))
        parts.append((sids, names, tuple(source_list[start[0]:end[0]]), tuple(entity_list[start[1]:end[1]]),
                      tuple(contributions[start[2]:end[2]])))
        start = end
    exports = _exports(pairs)
    file_parts = tuple(FilePart(files[i], digests[i], exports, *p) for i, p in enumerate(parts))  # type: ignore[arg-type]
    return LoadState(key, tuple(files), file_parts, exports,
                     _factbase(paths, files, vocab, sources, entities, relations), index)
