"""Matching of references: ids, names and aliases, forgiving of case and accents."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = {ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201a"): "'", ord("\u201b"): "'",
           ord("\u201c"): '"', ord("\u201d"): '"', ord("\u201e"): '"', ord("\u201f"): '"',
           ord("\u00b4"): "'", ord("\u2032"): "'"}
_SPACE = re.compile(r"\s+")
_MAX_HINT_LENGTH = 200
#: comparisons one index spends on did-you-mean hints in its lifetime (a
#: few seconds): a file with thousands of broken references against a big
#: fact base gets hints for the first ones, then plain messages.
HINT_BUDGET = 500_000


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
        # split() breaks at exactly the characters \s matches: the same as
        # the substitution below, at half the cost on every reference
        return " ".join(text.lower().split())
    text = text.translate(_DASHES).translate(_QUOTES)
    if text.isascii():  # only dashes or quotes were not (a hyphenated name, say)
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", stripped.casefold()).strip()


def closest(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` choices that look like ``word`` (for did-you-mean hints)."""
    return Hints(choices).closest(word, n=n)


class Hints:
    """Did-you-mean hints among fixed choices, folded once for many questions.

    Examples
    --------
    >>> Hints(["person", "place"]).closest("persn", n=1)
    ['person']
    """

    def __init__(self, choices: Iterable[str]) -> None:
        self._folded = {fold(c): c for c in choices}
        self._budget = HINT_BUDGET

    def closest(self, word: str, *, n: int = 3) -> list[str]:
        return [self._folded[h] for h in self._close(fold(word), self._folded, n)]

    def _close(self, folded: str, pool: Iterable[str] | dict[str, object], n: int) -> list[str]:
        if len(folded) > _MAX_HINT_LENGTH or self._budget <= 0:  # hints are a courtesy, not worth a hang
            return []
        choices = list(pool)
        self._budget -= len(choices)
        return difflib.get_close_matches(folded, choices, n=n, cutoff=0.6)


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
        self._hints = Hints(())
        self._ids: dict[str, str] = {}  # each id to itself: the very string the entity holds
        self._names: dict[str, set[str]] = {}
        self._labels: dict[str, list[str]] = {}
        # word -> entities with a name holding that word: partial lookups
        # and hints cost the words of the reference, not the whole index
        # (a fact base with many broken references must not go quadratic).
        # Only a reference that names nothing needs it, so it is made then.
        self._words: dict[str, set[str]] | None = None
        self._label_words: dict[str, list[frozenset[str]]] = {}

    def add(self, entity_id: str, names: Iterable[str]) -> None:
        self._ids[entity_id] = entity_id
        labels = [entity_id, *names]
        self._labels[entity_id] = labels
        index = self._names
        for label in labels:
            folded = fold(label)
            holders = index.get(folded)
            if holders is None:
                index[folded] = {entity_id}
            else:
                holders.add(entity_id)
        self._words = None

    def _word_index(self) -> dict[str, set[str]]:
        if self._words is None:
            self._words, self._label_words = {}, {}
            for entity_id, labels in self._labels.items():
                word_sets = self._label_words[entity_id] = []
                for label in labels:
                    words = frozenset(fold(label).replace("-", " ").split())
                    word_sets.append(words)
                    for word in words:
                        self._words.setdefault(word, set()).add(entity_id)
        return self._words

    @property
    def ids(self) -> Mapping[str, str]:
        """Every entity id, mapped to the entity's own string for it.

        A reference equal to an id needs no folding; replacing it with the
        entity's string lets every later lookup match by identity.
        """
        return self._ids

    @property
    def folded(self) -> dict[str, set[str]]:
        """Each folded id, name and alias, mapped to the entities it names (read only)."""
        return self._names

    def lookup(self, ref: str) -> list[str]:
        if ref in self._ids:
            return [ref]
        return sorted(self._names.get(fold(ref), ()))

    def partial(self, ref: str) -> list[str]:
        """Entities one of whose names contains every word of ``ref``."""
        words = fold(ref).replace("-", " ").split()
        if not words:
            return []
        index = self._word_index()
        candidates = set.intersection(*(index.get(w, set()) for w in words))
        wanted = set(words)
        return sorted(e for e in candidates if any(wanted <= ws for ws in self._label_words[e]))

    def suggestions(self, ref: str) -> list[str]:
        """Up to three entities whose id, name or alias looks like ``ref``."""
        seen: list[str] = []
        for label in self._hints._close(fold(ref), self._names, 6):
            for eid in sorted(self._names[label]):
                if eid not in seen:
                    seen.append(eid)
        return seen[:3]
