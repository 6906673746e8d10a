"""Errors and diagnostics shared by every part of actorgraph.

The loader never stops at the first problem: it collects
:class:`Diagnostic` records and raises one :class:`FactError` carrying all of
them, so a user fixes a whole file in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass


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

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

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

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        count = len(self.diagnostics)
        super().__init__(
            "\n".join(str(d) for d in self.diagnostics)
            + f"\n{count} error{'s' if count != 1 else ''}"
        )


class ReferenceNotFound(ActorgraphError):
    """A reference (id, alias or name) names no entity, or more than one."""

    def __init__(self, ref: str, message: str, candidates: tuple[str, ...] = ()) -> None:
        self.ref = ref
        self.candidates = candidates
        super().__init__(message)
