"""Immutable records the loader hands to the graph core.

These know nothing of networkx: the core turns them into a graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from loaders.dates import PartialDate
from loaders.vocabulary import Vocabulary

#: a property value after typing: text, whole number, flag, date, or list of text
PropertyValue = str | int | bool | PartialDate | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Location:
    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    loc: Location
    text: str | None = None
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: PartialDate | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    kind: str
    name: str
    loc: Location
    aliases: tuple[str, ...] = ()
    description: str | None = None
    properties: Mapping[str, PropertyValue] = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Citation:
    source: str
    loc: Location
    quote: str | None = None


@dataclass(frozen=True, slots=True)
class Relation:
    id: str
    type: str
    source: str
    target: str
    loc: Location
    citations: tuple[Citation, ...]
    date: PartialDate | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    description: str | None = None
    properties: Mapping[str, PropertyValue] = None  # type: ignore[assignment]
    explicit_id: bool = False


@dataclass(frozen=True, slots=True)
class FactBase:
    """A validated fact base: every reference resolved, every value typed."""

    name: str
    paths: tuple[str, ...]
    files: tuple[str, ...]
    vocabulary: Vocabulary
    sources: Mapping[str, Source]
    entities: Mapping[str, Entity]
    relations: Mapping[str, Relation]
