"""A fast reader for the plain block YAML that fact files are written in.

:func:`loaders.yamlread.read_yaml` hands every file here first. This reader
understands only a strict subset of YAML - block mappings and sequences,
one-line plain, single- and double-quoted scalars, one-line flow lists of
such scalars, comments - and returns exactly the tree, values and marks
that the marked reference reader (libyaml's composer plus our walker)
returns for the same text. For anything outside the subset, and for
anything the reference reader would report (duplicate keys, aliases, tags,
tabs, odd characters, syntax errors), it gives up and returns
:data:`UNSUPPORTED`, and the reference reader reads the file instead, so
diagnostics keep their exact ``path:line:col``. ``tests/test_fastpath.py``
proves the two agree on the shipped dataset, generated fact bases, every
broken case and a fuzzed corpus.

The reader exists twice: :func:`read_fast_py` here, the specification,
and ``loaders/_yamlfast.c``, the same rules compiled (four to five times
faster again; built by ``hatch_build.py`` when the package is installed,
left out with a warning where no C compiler is found). :func:`read_fast`
uses the compiled one when it is there; the tests hold the two to the same
trees, marks and give-ups.

Why our own: PyPI's fast YAML parsers (yaml-rs, py-yaml12, fastyaml-rs)
return typed values (``027`` comes back as the number 27, its text lost)
and no marks; rapidyaml keeps the text, but walking its tree from Python
cost more here than this reader. Reading the subset line by line (one
regular expression splits every line into indent, dash, key and rest) is
about four times faster than libyaml's composer plus the marking walker.
"""

from __future__ import annotations

import functools
import re
from typing import Callable, Final

from loaders.yamlread import MAX_DEPTH, MAX_NODES, Mark, MarkedList, MarkedMap

#: returned when the text is outside the subset; the caller reads it the slow way
UNSUPPORTED: Final = object()

# Plain ``~``, ``null`` and empty values are None in the reference reader;
# they are rare in fact files, so this reader leaves every file holding one
# to it rather than repeat the rule.
_NULLS = frozenset({"~", "null", "Null", "NULL"})

#: characters libyaml rejects or reads as line breaks, and a BOM past the
#: start: any of these sends the file to the reference reader (compiled
#: when first needed: the wide ranges take milliseconds to compile, and a
#: printable text never needs it)
_UNUSUAL = "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
# One row per line: indent, "- ", key, and the rest of the line.
_ROWS = re.compile(r"^( *)(-(?: +|$))?(?:([A-Za-z_][A-Za-z0-9_-]*):( +|$))?(.*)$", re.M)
#: first characters of a value that the subset leaves to the reference reader
_SPECIAL = frozenset("{&*!|>-?:%@`,]}#")
#: first characters of a value that is not a plain scalar the quick path takes
_NOT_PLAIN_FIRST = _SPECIAL | frozenset("\"'[")
# A plain scalar that means the same in block and flow context: no indicator
# first, no ": ", " #", trailing ":" or flow punctuation anywhere.
_PLAIN = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@` ][^,\[\]{}#:]*")
_PLAIN_BLOCK = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@` ](?:[^:#]|:(?! |$)|(?<! )#)*")
_DQ = re.compile(r'"([^"\\]*)"')
_SQ = re.compile(r"'((?:[^']|'')*)'")


class _Bail(Exception):
    pass


def _scalar(rest: str) -> str:
    """The value of a one-line block scalar (plain or quoted); raises _Bail."""
    first = rest[0]
    if first == '"':
        m = _DQ.match(rest)
        if m is None:
            raise _Bail
        value = m.group(1)
        tail = rest[m.end():]
    elif first == "'":
        m = _SQ.match(rest)
        if m is None:
            raise _Bail
        value = m.group(1).replace("''", "'")
        tail = rest[m.end():]
    else:
        m = _PLAIN_BLOCK.match(rest)
        if m is None:
            raise _Bail
        value = m.group(0).rstrip(" ")
        tail = rest[m.end():]
        if tail and tail[0] != "#":  # the match stops at " #" (a comment) or ": " (bail)
            raise _Bail
        if value in _NULLS:
            raise _Bail
        return value
    if tail and tail.strip(" ") and not (tail[0] == " " and tail.lstrip(" ").startswith("#")):
        raise _Bail
    return value


def _flow_list(rest: str, line: int, col: int) -> MarkedList:
    """``[a, "b", 'c']`` on one line; ``col`` is the 1-based column of ``[``."""
    close = rest.rfind("]")
    if close < 0:
        raise _Bail
    tail = rest[close + 1:]
    if tail.strip(" ") and not (tail[0] == " " and tail.lstrip(" ").startswith("#")):
        raise _Bail
    items = MarkedList()
    items.mark = Mark(line, col)
    marks: list[Mark] = []
    items.item_marks = marks
    body = rest[1:close]
    if not body.strip(" "):
        return items
    if "'" in body or '"' in body:
        # Quoted items may hold commas; rare enough to leave to libyaml.
        raise _Bail
    offset = col + 1
    for part in body.split(","):
        stripped = part.lstrip(" ")
        if not stripped:
            raise _Bail
        value = stripped.rstrip(" ")
        if not _PLAIN.fullmatch(value) or value in _NULLS:
            raise _Bail
        items.append(value)
        marks.append(Mark(line, offset + len(part) - len(stripped)))
        offset += len(part) + 1
    return items


def read_fast(text: str, *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> MarkedMap | object:
    """The document of ``text`` as the reference reader gives it, or :data:`UNSUPPORTED`.

    A text that might cross ``max_depth`` or ``max_nodes`` is left to the
    reference reader, which reports the bound where it is crossed. The
    compiled reader answers when it is built, :func:`read_fast_py` otherwise;
    both give the same answer.

    Examples
    --------
    >>> doc = read_fast("a: b\\nc: [d, e]\\n")
    >>> doc, doc.value_marks["c"], doc["c"].item_marks
    ({'a': 'b', 'c': ['d', 'e']}, Mark(line=2, col=4), [Mark(line=2, col=5), Mark(line=2, col=8)])
    >>> read_fast("a: &x b\\n") is UNSUPPORTED
    True
    """
    compiled = compiled_reader()
    if compiled is not None:
        return compiled(text, max_depth, max_nodes)
    return read_fast_py(text, max_depth=max_depth, max_nodes=max_nodes)


@functools.cache
def compiled_reader() -> Callable[[str, int, int], MarkedMap | object] | None:
    """``loaders._yamlfast.read`` ready to use, or None when it is not built."""
    try:
        from loaders import _yamlfast
    except ImportError:
        return None
    _yamlfast.setup(MarkedMap, MarkedList, Mark, UNSUPPORTED)
    return _yamlfast.read


def read_fast_py(text: str, *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> MarkedMap | object:
    """:func:`read_fast` in Python: the specification of the compiled reader."""
    if "\t" in text or "\r" in text:
        return UNSUPPORTED
    # The reference reader counts every scalar and collection start. A line
    # makes at most four (`- key: [x]`) plus one per comma of a flow list,
    # and one more where it opens the block of a `key:` line above (which
    # made at most two); with the document's mapping, 4 per line + commas +
    # 1 bounds the count: a cheap bound, checked before any work.
    if 4 * (text.count("\n") + 1) + text.count(",") + 1 > max_nodes:
        return UNSUPPORTED
    # Printable (in Python's sense) implies allowed by libyaml; only a text
    # that fails the quick test pays for the exact one.
    if not text.replace("\n", "").isprintable() and re.search(_UNUSUAL, text):
        return UNSUPPORTED
    try:
        return _read(text, max_depth)
    except _Bail:
        return UNSUPPORTED


def _read(text: str, max_depth: int) -> MarkedMap | object:
    rows = _ROWS.findall(text)
    if len(rows) != text.count("\n") + 1:
        raise _Bail  # a line the row pattern cannot take
    new = tuple.__new__
    root: MarkedMap | None = None
    # Open containers, innermost last, with their indents and kinds.
    indents: list[int] = []
    containers: list[MarkedMap | MarkedList] = []
    is_map: list[bool] = []
    # A `key:` with nothing after it: its map, key, indent and where its null would be.
    pending: tuple[MarkedMap, str, int, int, int] | None = None
    top_indent = -1
    top: MarkedMap | MarkedList | None = None
    top_is_map = False
    special = _SPECIAL
    simple = _NOT_PLAIN_FIRST
    lineno = 0
    for indent_s, dash, key, gap, rest in rows:
        lineno += 1
        # The common line first: `key: plain text` in the mapping being read.
        if key and not dash and pending is None and top_is_map and len(indent_s) == top_indent and rest:
            first = rest[0]
            if first not in simple:
                value = rest if ": " not in rest and " #" not in rest and rest[-1] != " " and rest[-1] != ":" else None
                if value in _NULLS:
                    raise _Bail
            elif first == '"' and rest[-1] == '"' and len(rest) > 1 and rest.count('"') == 2 and "\\" not in rest:
                value = rest[1:-1]  # "text" alone on its line, no escapes
            else:
                value = None
            if value is not None:
                if key in top:  # type: ignore[operator]
                    raise _Bail  # duplicate key: the reference reader reports it
                top[key] = value  # type: ignore[index]
                top.value_marks[key] = new(Mark, (lineno, top_indent + len(key) + len(gap) + 2))  # type: ignore[union-attr]
                continue
        if not dash and not key:
            if not rest or rest[0] == "#":
                continue  # blank or comment line
            raise _Bail  # a scalar on its own line: continuation or odd layout
        indent = len(indent_s)
        if root is None:
            if indent or dash:
                raise _Bail  # the document is not a mapping at column 1
            root = MarkedMap()
            root.mark = new(Mark, (lineno, 1))
            root.value_marks = {}
            indents.append(0)
            containers.append(root)
            is_map.append(True)
            top, top_indent, top_is_map = root, 0, True
        if pending is not None:
            pmap, pkey, pindent, pline, pcol = pending
            pending = None
            if dash and indent >= pindent:
                items = MarkedList()
                items.mark = new(Mark, (lineno, indent + 1))
                items.item_marks = []
                child: MarkedMap | MarkedList = items
                kind = False
            elif key and indent > pindent:
                child = MarkedMap()
                child.mark = new(Mark, (lineno, indent + 1))
                child.value_marks = {}
                kind = True
            else:
                raise _Bail  # an empty value (null)
            if child is not None:
                if len(indents) + 1 >= max_depth:
                    raise _Bail
                pmap[pkey] = child
                pmap.value_marks[pkey] = child.mark
                try:  # the key is not on its value's line: remember where it is
                    pmap._key_lines[pkey] = pline
                except AttributeError:
                    pmap._key_lines = {pkey: pline}
                indents.append(indent)
                containers.append(child)
                is_map.append(kind)
                top, top_indent, top_is_map = child, indent, kind
        # Close what this line's indentation ends.
        while top_indent > indent or (top_indent == indent and not top_is_map and not dash):
            indents.pop()
            containers.pop()
            is_map.pop()
            if not indents:
                raise _Bail
            top, top_indent, top_is_map = containers[-1], indents[-1], is_map[-1]
        if top_indent != indent:
            raise _Bail
        container = top
        if dash:
            if top_is_map:
                raise _Bail  # a `- ` where a key belongs
            if key:
                col = indent + len(dash)
                item = MarkedMap()
                item.mark = mark = new(Mark, (lineno, col + 1))
                item.value_marks = {}
                container.append(item)  # type: ignore[union-attr]
                container.item_marks.append(mark)  # type: ignore[union-attr]
                if len(indents) + 1 >= max_depth:
                    raise _Bail
                indents.append(col)
                containers.append(item)
                is_map.append(True)
                top, top_indent, top_is_map = item, col, True
                container = item
                indent = col
            else:
                if not rest or rest[0] in "#[{-":
                    raise _Bail  # empty item, nested list or flow mapping
                container.append(_scalar(rest))  # type: ignore[union-attr]
                container.item_marks.append(new(Mark, (lineno, indent + len(dash) + 1)))  # type: ignore[union-attr]
                continue
        elif not top_is_map:
            raise _Bail  # a key where a `- ` belongs
        if key in container:  # type: ignore[operator]
            raise _Bail  # duplicate key: the reference reader reports it
        key_col = indent + 1
        if not rest:
            pending = (container, key, indent, lineno, key_col + len(key) + 1)  # type: ignore[assignment]
            container[key] = None  # type: ignore[index]  # a placeholder keeps the key order
            continue
        first = rest[0]
        value_col = key_col + len(key) + len(gap) + 1
        if first in special:
            if first == "#":  # `key:  # comment`: the value is on the lines below, or null
                pending = (container, key, indent, lineno, key_col + len(key) + 1)  # type: ignore[assignment]
                container[key] = None  # type: ignore[index]
                continue
            raise _Bail
        # The common case, a one-line plain scalar, without a regex.
        if first != '"' and first != "'" and first != "[" and ": " not in rest and " #" not in rest \
                and rest[-1] != " " and rest[-1] != ":":
            value = rest
            if value in _NULLS:
                raise _Bail
        elif first == "[":
            value = _flow_list(rest, lineno, value_col)
        else:
            value = _scalar(rest)
        container[key] = value  # type: ignore[index]
        container.value_marks[key] = new(Mark, (lineno, value_col))  # type: ignore[union-attr]
    if pending is not None:
        raise _Bail  # an empty value (null) at the end
    if root is None:
        raise _Bail  # empty or comment-only: the reference reader says so
    return root
