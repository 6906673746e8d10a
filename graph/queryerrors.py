"""Errors of the query functions (paths, stances, alignment, as-of).

Each message says what was asked, what is wrong, and how to ask instead;
the CLI prints it as ``Error: <message>`` and exits 1.
"""

from __future__ import annotations

from loaders import ActorgraphError


class QueryError(ActorgraphError, ValueError):
    """A query that cannot be answered as asked (bad option or value)."""


class NoPath(QueryError):
    """No path joins the two entities within the bounds of the search."""


class NotInView(QueryError):
    """The entity exists, but not in the graph as of the date asked."""
