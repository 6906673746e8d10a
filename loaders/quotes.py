"""Quote verification: every quote must occur verbatim in its source's text.

Only differences a copy-paste may introduce are forgiven: runs of white
space, typographic quotes and apostrophes, and dashes. Anything else must
match exactly (case and accents included).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path

from loaders.errors import Diagnostic
from loaders.records import Relation, Source

_TRANSLATE = {ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"}
_TRANSLATE.update({ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033"})
_TRANSLATE.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_TRANSLATE[0xA0] = " "
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold what copy-paste changes, nothing else.

    Examples
    --------
    >>> normalise("“Our goal”  —\\n it’s")
    '"Our goal" - it\\'s'
    """
    return _SPACE.sub(" ", text.translate(_TRANSLATE)).strip()


def closest_passage(text: str, quote: str) -> str:
    """The stretch of ``text`` that best matches ``quote`` (for the hint)."""
    size = len(quote)
    if not text or not quote:
        return ""
    best, best_ratio = "", -1.0
    step = max(1, size // 4)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote)
    for start in range(0, max(1, len(text) - size + step), step):
        window = text[start : start + size]
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = window, ratio
    return best


def check_quotes(sources: dict[str, Source], relations: Iterable[Relation], texts: Path) -> list[Diagnostic]:
    """Diagnostics for every quote not found in its source's text file."""
    diagnostics: list[Diagnostic] = []
    cache: dict[str, str | None] = {}
    for source in sources.values():
        if source.text is None:
            continue
        try:
            cache[source.id] = normalise((texts / source.text).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            cache[source.id] = None
            reason = "is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else "cannot be read"
            diagnostics.append(Diagnostic(
                source.loc.path, source.loc.line, source.loc.col,
                f"text file {source.text!r} of source {source.id!r} {reason} in {texts}; check `text:` and --texts",
            ))
    for relation in relations:
        for citation in relation.citations:
            if citation.quote is None or citation.source not in cache:
                continue
            text = cache[citation.source]
            if text is None:
                continue
            quote = normalise(citation.quote)
            if quote in text:
                continue
            passage = closest_passage(text, quote)
            loc = citation.loc
            diagnostics.append(Diagnostic(
                loc.path, loc.line, loc.col,
                f"quote not found in {sources[citation.source].text} ({citation.source}); "
                f"closest passage: {passage!r}",
            ))
    return diagnostics
