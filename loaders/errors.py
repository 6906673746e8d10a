"""Errors and diagnostics shared by every part of actorgraph.

The loader never stops at the first problem: it collects
:class:`Diagnostic` records and raises one :class:`FactError` carrying all of
them, so a user fixes a whole file in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


#: longest diagnostic message kept in full
MAX_MESSAGE = 600

# Characters that would let a fact file or a file name write to the
# terminal (escape sequences, carriage returns, bidi overrides) or split one
# diagnostic into several lines.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""``text`` with control and bidi characters shown as escapes.

    Examples
    --------
    >>> printable("a\x1b[2Jb\nc\u202e")
    'a\\x1b[2Jb\\nc\\u202e'
    """
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class ActorgraphError(Exception):
    """Base class of every error actorgraph raises on purpose.

    The CLI prints ``Error: <message>`` for these and exits 1; anything else
    is a bug.
    """


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one place of a fact or vocabulary file.

    ``line`` and ``col`` are 1-based, as editors count them.
    """

    path: str
    line: int
    col: int
    message: str
    severity: str = "error"

    def __post_init__(self) -> None:
        # A hostile value (a 50 MB name, a pasted article) must not make a
        # 50 MB diagnostic: keep both ends, where the value and the fix are.
        if len(self.message) > MAX_MESSAGE:
            keep = MAX_MESSAGE // 2 - 20
            cut = len(self.message) - 2 * keep
            object.__setattr__(self, "message", f"{self.message[:keep]} [... {cut:,} characters ...] {self.message[-keep:]}")

    def __str__(self) -> str:
        return printable(f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}")

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
        }


class FactError(ActorgraphError):
    """Invalid input: carries every diagnostic of the run, sorted by place."""

    def __init__(self, diagnostics: list[Diagnostic], *, note: str | None = None) -> None:
        self.diagnostics = sorted(diagnostics)
        #: said after the diagnostics, e.g. that the run stopped early
        self.note = note
        count = len(self.diagnostics)
        super().__init__(
            "\n".join(str(d) for d in self.diagnostics)
            + (f"\n{note}" if note else "")
            + f"\n{count} error{'s' if count != 1 else ''}"
        )


class ReferenceNotFound(ActorgraphError):
    """A reference (id, alias or name) names no entity, or more than one."""

    def __init__(self, ref: str, message: str, candidates: tuple[str, ...] = ()) -> None:
        self.ref = ref
        self.candidates = candidates
        super().__init__(message)
