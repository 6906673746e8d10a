"""Strict YAML reading that remembers where every value came from.

PyYAML's own loaders are too forgiving for hand-written facts: duplicate
keys silently keep the last value, ``no`` becomes False, an unquoted date
becomes a ``datetime.date`` and an alias bomb expands on use. Here the C
parser only produces *events* (fast, with marks); we build the tree from
them ourselves, without recursion, so:

* every scalar stays the text the user wrote (typing is the vocabulary's job);
* a plain empty scalar, ``~`` or ``null`` is ``None``;
* duplicate keys, anchors, aliases, explicit tags and non-scalar keys are
  errors, each reported where it is written; an alias is never expanded;
* nesting deeper than ``max_depth`` and more than ``max_nodes`` values are
  errors, found while reading, so a hostile file costs bounded time and memory;
* every mapping and list records the 1-based line/column of each entry.
"""

from __future__ import annotations

import re
import struct
from typing import Any, NamedTuple, Union

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from loaders.errors import Diagnostic

try:  # the C parser is several times faster; marks are as exact as the pure one's
    _Parser: type = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.BaseLoader

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# What a double-quoted escape ("\x01", "\e") can smuggle past the YAML
# reader: invisible, unprintable in XML 1.0 (GraphML), and a terminal or
# spreadsheet hazard. Tab, newline and carriage return stay allowed.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

#: default nesting bound: fact files are five levels deep, and a hostile
#: file must not exhaust the memory or stack of whoever walks it.
MAX_DEPTH = 32
#: default bound on the values (scalars, lists, mappings) of one file.
MAX_NODES = 1_000_000


class Mark(NamedTuple):
    """A 1-based line and column (a tuple: cheap to make by the million)."""

    line: int
    col: int


#: the (line, col) pairs of MarkedMap._packed
_PAIRS = struct.Struct("=ii").iter_unpack


class MarkedMap(dict[str, Any]):
    """A mapping that knows the place of itself, its keys and its values.

    ``key_marks`` is only read to report a problem, so the fast reader does
    not store it: in a block mapping every key sits in the mapping's column,
    on its value's line unless the value is a block below it (those lines
    are kept in ``_key_lines``), and the marks are worked out when asked for.

    ``value_marks`` is mostly read to report a problem too: the compiled
    reader keeps the values' lines and columns packed in one bytes object
    (``_packed``, two int32 per key, in the keys' order), and the dict of
    marks is made when asked for. A tree is read-only once read, so the
    order holds.
    """

    __slots__ = ("mark", "path", "_value_marks", "_packed", "_key_marks", "_key_lines")
    mark: Mark
    path: str
    _value_marks: dict[str, Mark]
    _packed: bytes
    _key_marks: dict[str, Mark]
    _key_lines: dict[str, int]

    @property
    def value_marks(self) -> dict[str, Mark]:
        try:
            return self._value_marks
        except AttributeError:
            pass
        try:
            packed = self._packed
        except AttributeError:
            marks: dict[str, Mark] = {}
        else:
            marks = {k: Mark(line, col) for k, (line, col) in zip(self, _PAIRS(packed))}
        self._value_marks = marks
        return marks

    @value_marks.setter
    def value_marks(self, marks: dict[str, Mark]) -> None:
        self._value_marks = marks

    @property
    def key_marks(self) -> dict[str, Mark]:
        try:
            return self._key_marks
        except AttributeError:
            lines = getattr(self, "_key_lines", {})
            col = self.mark.col
            marks = self.value_marks
            self._key_marks = {k: Mark(lines.get(k) or marks[k].line, col) for k in self}
            return self._key_marks

    @key_marks.setter
    def key_marks(self, marks: dict[str, Mark]) -> None:
        self._key_marks = marks


class MarkedList(list[Any]):
    """A list that knows the place of itself and of each item."""

    __slots__ = ("mark", "item_marks")
    mark: Mark
    item_marks: list[Mark]


class _Invalid:
    """A value already reported as an error; readers skip it silently."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "INVALID"


INVALID = _Invalid()

Value = Union[MarkedMap, MarkedList, str, None, _Invalid]


class _Abort(Exception):
    """The file crossed a bound; its diagnostic is already recorded."""


def _mark(event: yaml.Event) -> Mark:
    start = event.start_mark  # libyaml's events always carry their marks
    return Mark(start.line + 1, start.column + 1)  # type: ignore[union-attr]


def _tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


class _NoKey:
    """Stands for a key already reported as an error: its value is dropped."""


_NO_KEY = _NoKey()


class _Builder:
    """Builds the marked tree from parser events, iteratively."""

    def __init__(self, parser: Any, path: str, diagnostics: list[Diagnostic], max_depth: int, max_nodes: int) -> None:
        self.parser = parser
        self.path = path
        self.diagnostics = diagnostics
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.nodes = 0
        self.anchors: dict[str, Mark] = {}
        self.aliased: set[str] = set()
        self.too_deep = False

    def error(self, mark: Mark, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, mark.line, mark.col, message))

    def document(self) -> Value:
        parser = self.parser
        parser.get_event()  # StreamStart
        if parser.check_event(StreamEndEvent):
            return None
        parser.get_event()  # DocumentStart
        if parser.check_event(DocumentEndEvent):  # `---` and nothing else
            root: Value = None
        else:
            root = self._node()
        parser.get_event()  # DocumentEnd
        if parser.check_event(DocumentStartEvent):
            self.error(_mark(parser.peek_event()), "a fact file holds one YAML document; remove this `---` and what follows, or move it to its own file")
        for name, mark in self.anchors.items():
            if name not in self.aliased:
                self.error(mark, f"anchor `&{name}`: anchors and aliases are not allowed in fact files; remove it")
        return root

    def _scalar(self, event: ScalarEvent) -> Value:
        if event.tag is not None and event.tag != _STR:
            self.error(_mark(event), f"YAML tags ({_tag(event.tag)}) are not allowed in fact files; remove the tag")
            return INVALID
        if event.style in (None, "") and event.value in _NULLS:
            return None
        bad = _CONTROL.search(event.value)
        if bad:
            self.error(_mark(event), f"the control character U+{ord(bad.group()):04X} is not allowed in fact files, "
                       "not even as an escape; remove it")
            return INVALID
        return str(event.value)

    def _count(self, event: yaml.Event) -> None:
        self.nodes += 1
        if self.nodes > self.max_nodes:
            self.error(_mark(event), f"more than {self.max_nodes:,} values in one file; split it into smaller files "
                       "(or raise ACTORGRAPH_MAX_NODES)")
            raise _Abort
        anchor = getattr(event, "anchor", None)
        if anchor is not None and not isinstance(event, AliasEvent) and anchor not in self.anchors:
            self.anchors[anchor] = _mark(event)

    def _skip(self) -> None:
        """Consume the rest of a collection whose start was just read."""
        level = 1
        while level:
            event = self.parser.get_event()
            self._count(event)
            if isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                level += 1
            elif isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                level -= 1

    def _alias(self, event: AliasEvent) -> Value:
        name = str(event.anchor)
        if name not in self.aliased:
            self.aliased.add(name)
            where = self.anchors.get(name)
            what = f"repeats the value anchored at line {where.line}" if where else "names no anchor"
            self.error(_mark(event), f"alias `*{name}` {what}; anchors and aliases are not allowed in fact files "
                       "- write the value out in full")
        return INVALID

    def _open(self, event: MappingStartEvent | SequenceStartEvent, depth: int) -> Value:
        """A new collection for a start event, or INVALID (subtree skipped)."""
        mark = _mark(event)
        is_map = isinstance(event, MappingStartEvent)
        if event.tag is not None and event.tag != (_MAP if is_map else _SEQ):
            self.error(mark, f"YAML tags ({_tag(str(event.tag))}) are not allowed in fact files; remove the tag")
            self._skip()
            return INVALID
        if depth > self.max_depth:
            self.error(mark, f"nesting deeper than {self.max_depth} levels; fact files are at most a few levels deep")
            self.too_deep = True
            self._skip()
            return INVALID
        if is_map:
            m = MarkedMap()
            m.mark, m.key_marks, m.value_marks = mark, {}, {}
            return m
        items = MarkedList()
        items.mark, items.item_marks = mark, []
        return items

    def _node(self) -> Value:
        # One explicit stack instead of recursion: each frame is
        # [collection, pending key (maps), its mark]; the key slot is None
        # while a map waits for its next key.
        stack: list[list[Any]] = []
        while True:
            event = self.parser.get_event()
            if isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                value: Value = stack.pop()[0]
                mark = value.mark  # type: ignore[union-attr]
            else:
                self._count(event)
                mark = _mark(event)
                if isinstance(event, ScalarEvent):
                    value = self._scalar(event)
                elif isinstance(event, AliasEvent):
                    value = self._alias(event)
                else:
                    value = self._open(event, len(stack) + 1)
                    if value is not INVALID:
                        stack.append([value, None, None])
                        continue
            if not stack:
                return value
            frame = stack[-1]
            parent = frame[0]
            if isinstance(parent, MarkedList):
                parent.append(value)
                parent.item_marks.append(mark)
            elif frame[1] is None:
                frame[1], frame[2] = self._key(parent, event, value, mark), mark
            else:
                key = frame[1]
                frame[1] = None
                if key is not _NO_KEY:
                    parent[key] = value
                    parent.key_marks[key] = frame[2]
                    parent.value_marks[key] = mark

    def _key(self, parent: MarkedMap, event: yaml.Event, value: Value, mark: Mark) -> Any:
        if not isinstance(event, ScalarEvent) or value is INVALID:
            if value is not INVALID:
                self.error(mark, "a key must be a plain word such as `name:`")
            return _NO_KEY
        key = str(event.value)
        if key in parent:
            first = parent.key_marks[key]
            self.error(mark, f"duplicate key {key!r} (first at line {first.line}); "
                       "YAML would silently keep only the last one - remove or rename one")
            return _NO_KEY
        return key


def _line_col(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _syntax_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = exc.problem or "invalid YAML"
    mark = exc.problem_mark
    lines = text.splitlines()
    at = lines[mark.line][mark.column : mark.column + 1] if mark and mark.line < len(lines) else ""
    if "\t" in problem or at == "\t":
        return "a tab character cannot indent YAML; indent with spaces"
    if "maximum nesting depth" in problem:
        return "nesting too deep to read; fact files are at most a few levels deep"
    parts = [problem]
    if exc.context:
        parts.append(f"({exc.context}")
        if exc.context_mark is not None:
            parts[-1] += f" at line {exc.context_mark.line + 1}"
        parts[-1] += ")"
    return "invalid YAML: " + " ".join(parts) + "; check indentation, colons and quotes"


def read_yaml(
    path: str,
    data: bytes,
    diagnostics: list[Diagnostic],
    *,
    max_depth: int = MAX_DEPTH,
    max_nodes: int = MAX_NODES,
    fast: bool = True,
) -> Value:
    """Parse one file's bytes; problems are appended to ``diagnostics``.

    Returns the document (``None`` for an empty or comment-only file, or
    when the file cannot be read as YAML at all). With ``fast`` (the
    default) plain block YAML is read by :mod:`loaders.yamlfast`, which
    gives the same tree and marks; anything else, and every file with a
    problem, is read from libyaml's events and checked here, so
    diagnostics are the reference reader's.

    Examples
    --------
    >>> found = []
    >>> doc = read_yaml("f.yaml", b"a: no\\nb: [1, ~]\\n", found)
    >>> doc, doc.value_marks["b"], found
    ({'a': 'no', 'b': ['1', None]}, Mark(line=2, col=4), [])
    >>> read_yaml("f.yaml", b"a: &x 1\\nb: *x\\n", found)["b"]
    INVALID
    >>> print(found[0])
    f.yaml:2:4: error: alias `*x` repeats the value anchored at line 1; anchors and aliases are not allowed in fact files - write the value out in full
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        diagnostics.append(
            Diagnostic(path, line, col, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8")
        )
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if fast:
        from loaders.yamlfast import UNSUPPORTED, read_fast

        doc = read_fast(text, max_depth=max_depth, max_nodes=max_nodes)
        if doc is not UNSUPPORTED:
            return doc  # type: ignore[return-value]
    return _read_events(path, text, diagnostics, max_depth, max_nodes)


def _read_events(path: str, text: str, diagnostics: list[Diagnostic], max_depth: int, max_nodes: int) -> Value:
    """The reference reader: libyaml's events, built and checked here."""
    parser = _Parser(text)
    builder = _Builder(parser, path, diagnostics, max_depth, max_nodes)
    try:
        return builder.document()
    except _Abort:
        return None
    except yaml.MarkedYAMLError as exc:
        if builder.too_deep and "maximum nesting depth" in str(exc.problem):
            return None  # the same mistake, already reported where it starts
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        diagnostics.append(Diagnostic(path, line, col, _syntax_message(exc, text)))
        return None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        diagnostics.append(Diagnostic(path, line, col, f"the control character U+{char:04X} is not allowed in YAML; "
                                      "remove it (inside double quotes it can be written as an escape such as \\t)"))
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error so far is one of the above
        diagnostics.append(Diagnostic(path, 1, 1, f"invalid YAML: {str(exc).splitlines()[0]}"))
        return None
    finally:
        parser.dispose()
