"""Loading again quickly: graphs kept in memory, file parts kept on disk.

:func:`graph.load` comes here unless ``cache=False`` or ``texts`` is given
(quote checks always read the texts). Within one process the last state of
each fact base is kept, so a second ``load`` after an edit re-reads only the
edited files and rebuilds the graph around the node and edge attribute
dicts that did not change (the graphs are frozen, so sharing them is safe).
Across processes, :mod:`loaders.cache` keeps each file's resolved records on
disk, keyed by content. Both give exactly the graph a load from scratch
gives; ``tests/test_cache.py`` compares them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from loaders import Limits, Vocabulary, load_vocabulary
from loaders.cache import PartStore, cache_dir
from loaders.factbase import paused_gc
from loaders.incremental import LoadState, load_state, state_key

#: the last state and graph of the few most recently loaded fact bases
_MEMORY: OrderedDict[str, tuple[LoadState, nx.MultiDiGraph]] = OrderedDict()
_MEMORY_SIZE = 4


def clear_memory() -> None:
    """Forget the graphs kept in memory (the disk cache stays).

    Examples
    --------
    >>> clear_memory()
    """
    _MEMORY.clear()


def load_cached(
    paths: Iterable[str | Path],
    *,
    vocabulary: Vocabulary | None = None,
    limits: Limits | None = None,
    cache: str | Path | None = None,
) -> nx.MultiDiGraph:
    """Load through the caches; ``cache`` names a cache folder (default: :func:`loaders.cache.cache_dir`).

    Examples
    --------
    >>> G = load_cached(["facts/chicago-sanctuary"])
    >>> load_cached(["facts/chicago-sanctuary"]) is G
    True
    """
    with paused_gc():  # one pause for loading and building: objects settle once
        return _load_cached(paths, vocabulary, limits, cache)


def _load_cached(paths: Iterable[str | Path], vocabulary: Vocabulary | None, limits: Limits | None,
                 cache: str | Path | None) -> nx.MultiDiGraph:
    from graph.core import build

    names = [str(p) for p in paths]
    vocab = vocabulary or load_vocabulary()
    limits = limits or Limits()
    key = state_key(names, vocab, limits)
    previous = _MEMORY.get(key)
    store = PartStore.open(Path(cache) if cache is not None else cache_dir(), key)
    state = load_state(names, vocabulary=vocab, limits=limits,
                       previous=previous[0] if previous else None, store=store)
    if previous is not None and state is previous[0]:
        _MEMORY.move_to_end(key)
        return previous[1]
    G = build(state.factbase, reuse=(previous[0].factbase, previous[1]) if previous else None,
              changed=state.touched if previous else None)
    _MEMORY[key] = (state, G)
    _MEMORY.move_to_end(key)
    while len(_MEMORY) > _MEMORY_SIZE:
        _MEMORY.popitem(last=False)
    return G
