"""Strict YAML reading that remembers where every value came from.

PyYAML's own loaders are too forgiving for hand-written facts: duplicate
keys silently keep the last value, ``no`` becomes False, an unquoted date
becomes a ``datetime.date`` and an alias bomb expands on use. Here the C
parser only *composes* the node tree (fast, and marks survive); we walk that
tree ourselves, so:

* every scalar stays the text the user wrote (typing is the vocabulary's job);
* a plain empty scalar, ``~`` or ``null`` is ``None``;
* duplicate keys, aliases, explicit tags and non-scalar keys are errors;
* every mapping and list records the 1-based line/column of each entry.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Union

import yaml

from loaders.errors import Diagnostic

try:  # the C parser is ~6x faster; marks are as exact as the pure one's
    _Loader: type = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.BaseLoader

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

#: nesting deeper than this is refused: fact files are three levels deep,
#: and a hostile file must not exhaust the stack of whoever walks it.
MAX_DEPTH = 64


class Mark(NamedTuple):
    """A 1-based line and column (a tuple: cheap to make by the million)."""

    line: int
    col: int


class MarkedMap(dict[str, Any]):
    """A mapping that knows the place of itself, its keys and its values.

    ``key_marks`` is only read to report a problem, so the fast reader does
    not store it: in a block mapping every key sits in the mapping's column,
    on its value's line unless the value is a block below it (those lines
    are kept in ``_key_lines``), and the marks are worked out when asked for.
    """

    __slots__ = ("mark", "path", "value_marks", "_key_marks", "_key_lines")
    mark: Mark
    path: str
    value_marks: dict[str, Mark]

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


_make_mark = Mark._make


def _mark(node: yaml.Node) -> Mark:
    start = node.start_mark
    return _make_mark((start.line + 1, start.column + 1))


class _Walker:
    def __init__(self, path: str, diagnostics: list[Diagnostic]) -> None:
        self.path = path
        self.diagnostics = diagnostics
        self.seen: set[int] = set()

    def error(self, mark: Mark, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, mark.line, mark.col, message))

    def walk(self, node: yaml.Node, depth: int = 0) -> Value:
        mark = _mark(node)
        if id(node) in self.seen:
            self.error(mark, "this value is reused through a YAML alias (*name); anchors and aliases are not allowed in fact files - write the value out in full")
            return INVALID
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self.error(mark, f"nesting deeper than {MAX_DEPTH} levels; fact files are at most a few levels deep")
            return INVALID
        if isinstance(node, yaml.ScalarNode):
            if node.tag != _STR:
                self.error(mark, f"YAML tags ({node.tag}) are not allowed in fact files; remove the tag")
                return INVALID
            if node.style is None and node.value in _NULLS:
                return None
            return str(node.value)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.error(mark, f"YAML tags ({node.tag}) are not allowed in fact files; remove the tag")
                return INVALID
            items = MarkedList()
            items.mark = mark
            items.item_marks = []
            for child in node.value:
                items.append(self.walk(child, depth + 1))
                items.item_marks.append(_mark(child))
            return items
        assert isinstance(node, yaml.MappingNode)
        if node.tag != _MAP:
            self.error(mark, f"YAML tags ({node.tag}) are not allowed in fact files; remove the tag")
            return INVALID
        result = MarkedMap()
        result.mark = mark
        result.key_marks = {}
        result.value_marks = {}
        for key_node, value_node in node.value:
            key_mark = _mark(key_node)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                self.error(key_mark, "a key must be a plain word such as `name:`")
                continue
            key = str(key_node.value)
            if key in result:
                first = result.key_marks[key]
                self.error(
                    key_mark,
                    f"duplicate key {key!r} (first at line {first.line}); "
                    "YAML would silently keep only the last one - remove or rename one",
                )
                continue
            result[key] = self.walk(value_node, depth + 1)
            result.key_marks[key] = key_mark
            result.value_marks[key] = _mark(value_node)
        return result


def _syntax_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = exc.problem or "invalid YAML"
    mark = exc.problem_mark
    at = text.splitlines()[mark.line][mark.column : mark.column + 1] if mark and mark.line < len(text.splitlines()) else ""
    if "\t" in problem or at == "\t":
        return "a tab character cannot indent YAML; indent with spaces"
    parts = [problem]
    if exc.context:
        parts.append(f"({exc.context}")
        if exc.context_mark is not None:
            parts[-1] += f" at line {exc.context_mark.line + 1}"
        parts[-1] += ")"
    return "invalid YAML: " + " ".join(parts) + "; check indentation, colons and quotes"


def read_yaml(path: str, data: bytes, diagnostics: list[Diagnostic], *, fast: bool = True) -> Value:
    """Parse one file's bytes; problems are appended to ``diagnostics``.

    Returns the document (``None`` for an empty or comment-only file, or
    when the file cannot be read as YAML at all). With ``fast`` (the
    default) plain block YAML is read by :mod:`loaders.yamlfast`, which
    gives the same tree and marks; anything else, and every file with a
    problem, is read by libyaml and checked here, so diagnostics are the
    reference reader's.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        diagnostics.append(
            Diagnostic(path, line, col, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8")
        )
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if fast:
        from loaders.yamlfast import UNSUPPORTED, read_fast

        doc = read_fast(text)
        if doc is not UNSUPPORTED:
            return doc  # type: ignore[return-value]
    return _read_marked(path, text, diagnostics)


def _read_marked(path: str, text: str, diagnostics: list[Diagnostic]) -> Value:
    """The reference reader: libyaml composes, our walker checks and marks."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        diagnostics.append(Diagnostic(path, line, col, _syntax_message(exc, text)))
        return None
    except yaml.YAMLError as exc:
        diagnostics.append(Diagnostic(path, 1, 1, f"invalid YAML: {exc}"))
        return None
    except RecursionError:
        diagnostics.append(Diagnostic(path, 1, 1, "nesting too deep to read; fact files are a few levels deep"))
        return None
    finally:
        loader.dispose()
    if node is None:
        return None
    return _Walker(path, diagnostics).walk(node)
