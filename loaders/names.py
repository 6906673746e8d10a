"""Matching of references: ids, names and aliases, forgiving of case and accents."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = {ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201a"): "'", ord("\u201b"): "'",
           ord("\u201c"): '"', ord("\u201d"): '"', ord("\u201e"): '"', ord("\u201f"): '"',
           ord("\u00b4"): "'", ord("\u2032"): "'"}
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """The matching key of a name: case, accents, dashes and spacing folded.

    Examples
    --------
    >>> fold("Raymond  López") == fold("raymond lopez")
    True
    >>> fold("Lopez–Tabares")
    'lopez-tabares'
    """
    if text.isascii():  # no accents, dashes or curly quotes to fold
        return _SPACE.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.translate(_DASHES).translate(_QUOTES))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", stripped.casefold()).strip()


def closest(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` choices that look like ``word`` (for did-you-mean hints)."""
    pool = list(choices)
    folded = {fold(c): c for c in pool}
    hits = difflib.get_close_matches(fold(word), list(folded), n=n, cutoff=0.6)
    return [folded[h] for h in hits]


class NameIndex:
    """Resolves an id, a name or an alias to entity ids.

    Examples
    --------
    >>> idx = NameIndex()
    >>> idx.add("raymond-lopez", ["Raymond Lopez", "Ray Lopez"])
    >>> idx.add("byron-sigcho-lopez", ["Byron Sigcho Lopez"])
    >>> idx.lookup("ray lópez")
    ['raymond-lopez']
    >>> idx.partial("Lopez")
    ['byron-sigcho-lopez', 'raymond-lopez']
    """

    def __init__(self) -> None:
        self._ids: set[str] = set()
        self._names: dict[str, set[str]] = {}
        self._labels: dict[str, list[str]] = {}

    def add(self, entity_id: str, names: Iterable[str]) -> None:
        self._ids.add(entity_id)
        labels = [entity_id, *names]
        self._labels[entity_id] = labels
        for label in labels:
            self._names.setdefault(fold(label), set()).add(entity_id)

    @property
    def ids(self) -> set[str]:
        """Every entity id (a reference equal to one needs no folding)."""
        return self._ids

    def lookup(self, ref: str) -> list[str]:
        if ref in self._ids:
            return [ref]
        return sorted(self._names.get(fold(ref), ()))

    def partial(self, ref: str) -> list[str]:
        """Entities one of whose names contains every word of ``ref``."""
        words = fold(ref).replace("-", " ").split()
        if not words:
            return []
        hits = set()
        for entity_id, labels in self._labels.items():
            for label in labels:
                tokens = fold(label).replace("-", " ").split()
                if all(w in tokens for w in words):
                    hits.add(entity_id)
                    break
        return sorted(hits)

    def suggestions(self, ref: str) -> list[str]:
        by_label = {label: eid for eid, labels in self._labels.items() for label in labels}
        seen: list[str] = []
        for label in closest(ref, by_label, n=6):
            if by_label[label] not in seen:
                seen.append(by_label[label])
        return seen[:3]
