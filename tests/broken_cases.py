"""Broken fact files and the exact diagnostics each must produce.

Two kinds of case:

* ``CASES``: ``(name, case.yaml content, expected error lines)``; each is
  loaded together with BASE (base.yaml), which defines the sources s1, s2
  and the entities raymond-lopez, byron-sigcho-lopez, amendment, council.
* ``TREE_CASES``: a :class:`TreeCase` that builds files, folders, links,
  pipes or big files in an empty folder and names the PATH arguments; for
  what a single file cannot show (folders, links, permissions, sizes,
  limits set through the environment).

Every case must exit 1 with exactly these ``path:line:col: error:`` lines,
print no traceback and write nothing (tests/test_broken_cases.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

BASE = """\
sources:
  - id: s1
  - id: s2
entities:
  - id: raymond-lopez
    kind: person
    name: Raymond Lopez
    aliases: [Ray Lopez, Raymond López]
  - id: byron-sigcho-lopez
    kind: person
    name: Byron Sigcho Lopez
  - id: amendment
    kind: amendment
    name: The amendment
  - id: council
    kind: legislature
    name: City Council
"""

REL = """\
relations:
  - type: sponsors
    from: raymond-lopez
    to: amendment
{extra}    cite:
      - source: s1
        quote: words
"""

ENTITY = "entities:\n  - id: x\n    kind: person\n    name: A\n"
LOL = ("entities:\n  - id: x\n    kind: person\n    name: A\n    aliases:\n"
       "      - &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
       + "".join(f"      - &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi")))

CASES: list[tuple[str, str | bytes, list[str]]] = [
    # -- the first rules
    ("malformed yaml", "entities:\n  - id: x\n   kind: person\n",
     ["case.yaml:3:4: error: invalid YAML: did not find expected '-' indicator (while parsing a block collection at line 2); check indentation, colons and quotes"]),
    ("tab indentation", "entities:\n\t- id: x\n",
     ["case.yaml:2:1: error: a tab character cannot indent YAML; indent with spaces"]),
    ("not utf-8", b"entities:\n  - id: caf\xe9\n",
     ["case.yaml:2:12: error: not UTF-8 text (byte 0xe9); save the file as UTF-8"]),
    ("empty file", "",
     ["case.yaml:1:1: error: the file holds no facts; add `sources:`, `entities:` or `relations:`, or remove it"]),
    ("comment-only file", "# nothing yet\n",
     ["case.yaml:1:1: error: the file holds no facts; add `sources:`, `entities:` or `relations:`, or remove it"]),
    ("top-level list", "- id: x\n",
     ["case.yaml:1:1: error: a fact file is a mapping with `sources:`, `entities:` and/or `relations:`, not a list"]),
    ("top-level scalar", "hello\n",
     ["case.yaml:1:1: error: a fact file is a mapping with `sources:`, `entities:` and/or `relations:`, not a single value"]),
    ("unknown section", "entites:\n  - id: x\n",
     ["case.yaml:1:1: error: unknown key `entites` in a fact file; did you mean `entities`?"]),
    ("section not a list", "entities:\n  id: x\n",
     ["case.yaml:2:3: error: `entities:` must be a list of records, each starting with `- `"]),
    ("duplicate key", "entities:\n  - id: x\n    kind: person\n    name: A\n    name: B\n",
     ["case.yaml:5:5: error: duplicate key 'name' (first at line 4); YAML would silently keep only the last one - remove or rename one"]),
    ("alias bomb", "entities:\n  - &a {id: x, kind: person, name: A}\n  - *a\n",
     ["case.yaml:3:5: error: alias `*a` repeats the value anchored at line 2; anchors and aliases are not allowed in fact files - write the value out in full"]),
    ("yaml tag", "entities:\n  - id: x\n    kind: person\n    name: !!python/object:os.system A\n",
     ["case.yaml:4:11: error: YAML tags (!!python/object:os.system) are not allowed in fact files; remove the tag"]),
    ("unknown entity key", "entities:\n  - id: x\n    kind: person\n    name: A\n    descripton: typo\n",
     ["case.yaml:5:5: error: unknown key `descripton` in entity 'x' (kind person); did you mean `description`?"]),
    ("unknown kind", "entities:\n  - id: x\n    kind: persn\n    name: A\n",
     ["case.yaml:3:11: error: unknown kind 'persn'; did you mean 'person'?"]),
    ("missing name", "entities:\n  - id: x\n    kind: person\n",
     ["case.yaml:2:5: error: entity 'x' needs `name:`"]),
    ("id not a slug", "entities:\n  - id: Raymond Lopez\n    kind: person\n    name: A\n",
     ["case.yaml:2:9: error: id 'Raymond Lopez' is not a slug: use lower-case letters, digits, '.', '_' and '-' (e.g. 'raymond-lopez')"]),
    ("duplicate id across files", "entities:\n  - id: council\n    kind: person\n    name: A\n",
     ["case.yaml:2:9: error: id 'council' is already used at base.yaml:15:9; ids must be unique in the fact base"]),
    ("name: no stays text but aliases must be a list", "entities:\n  - id: x\n    kind: person\n    name: no\n    aliases: Ray\n",
     ["case.yaml:5:14: error: `aliases` of entity 'x' must be a list of names, e.g. [Ray Lopez, R. Lopez]"]),
    ("integer property not a number", "entities:\n  - id: v\n    kind: vote\n    name: Vote\n    yes: many\n",
     ["case.yaml:5:10: error: `yes` of entity 'v' must be a whole number, not 'many'"]),
    ("negative tally", "entities:\n  - id: v\n    kind: vote\n    name: Vote\n    no: -3\n",
     ["case.yaml:5:9: error: `no` of entity 'v' is -3; it cannot be less than 0"]),
    ("enum property", "entities:\n  - id: v\n    kind: vote\n    name: Vote\n    result: pased\n",
     ["case.yaml:5:13: error: `result` of entity 'v' is 'pased'; did you mean 'passed'?"]),
    ("impossible date", "entities:\n  - id: v\n    kind: vote\n    name: Vote\n    date: 2025-02-30\n",
     ["case.yaml:5:11: error: `date`: '2025-02-30' is not a date: February 2025 has 28 days"]),
    ("not a date", REL.format(extra="    date: January 2025\n"),
     ["case.yaml:5:11: error: `date`: 'January 2025' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2025-01-15)"]),
    ("reversed dates", REL.format(extra="    start: 2025-03\n    end: 2025-01\n"),
     ["case.yaml:6:10: error: `end` 2025-01 is before `start` 2025-03; swap them"]),
    ("date and start", REL.format(extra="    date: 2025\n    start: 2024\n"),
     ["case.yaml:5:11: error: give either `date:` or `start:`/`end:`, not both"]),
    ("unknown relation type", REL.replace("sponsors", "sponsers").format(extra=""),
     ["case.yaml:2:11: error: unknown relation type 'sponsers'; did you mean 'sponsors'?"]),
    ("unknown relation key", REL.format(extra="    quote: misplaced\n"),
     ["case.yaml:5:5: error: unknown key `quote` in this sponsors relation; allowed keys: id, type, from, to, date, start, end, description, cite"]),
    ("dangling reference", REL.replace("amendment", "amendmnt").format(extra=""),
     ["case.yaml:4:9: error: `to` 'amendmnt' names no entity; did you mean amendment (The amendment)?"]),
    ("ambiguous reference", REL.replace("from: raymond-lopez", "from: Lopez").format(extra=""),
     ["case.yaml:3:11: error: `from` 'Lopez' is ambiguous: it could be byron-sigcho-lopez (Byron Sigcho Lopez) or raymond-lopez (Raymond Lopez); use the id"]),
    ("alias resolves, accent-insensitive", REL.replace("from: raymond-lopez", "from: raymond lopez").replace("to: amendment", "to: council").format(extra=""),
     ["case.yaml:4:9: error: a sponsors relation cannot go to council (a legislature); `to` must be a policy"]),
    ("outside range", REL.replace("to: amendment", "to: byron-sigcho-lopez").format(extra=""),
     ["case.yaml:4:9: error: a sponsors relation cannot go to byron-sigcho-lopez (a person); `to` must be a policy"]),
    ("self relation", REL.replace("sponsors", "opposes").replace("to: amendment", "to: raymond-lopez").format(extra=""),
     ["case.yaml:4:9: error: a relation cannot go from raymond-lopez to itself; check `from:` and `to:`"]),
    ("no citation", "relations:\n  - type: sponsors\n    from: raymond-lopez\n    to: amendment\n",
     ["case.yaml:2:5: error: this sponsors relation needs `cite:` with at least one `- source: <id>` (and the quote that states it)"]),
    ("empty citation list", "relations:\n  - type: sponsors\n    from: raymond-lopez\n    to: amendment\n    cite: []\n",
     ["case.yaml:5:11: error: this sponsors relation needs at least one citation under `cite:`"]),
    ("citation of unknown source", REL.replace("source: s1", "source: s3").format(extra=""),
     ["case.yaml:6:17: error: citation names unknown source 's3'; define it under `sources:`"]),
    ("empty quote", REL.replace("quote: words", 'quote: ""').format(extra=""),
     ['case.yaml:7:16: error: `quote` of a citation is blank; write a value or remove the key']),
    ("conflicting duplicate relation", REL.format(extra="    description: first\n") + REL.format(extra="    description: second\n").replace("relations:\n", ""),
     ["case.yaml:9:5: error: relation 'sponsors:raymond-lopez:amendment' is also defined at case.yaml:2:5 with description 'first', here 'second'; make the two records agree or give them different `id`s"]),
    ("source published not a date", "sources:\n  - id: s9\n    published: yesterday\n",
     ["case.yaml:3:16: error: `published`: 'yesterday' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2025-01-15)"]),
    ("several errors at once", "entities:\n  - id: x\n    kind: persn\n    name: A\n  - id: y\n    kind: person\n",
     ["case.yaml:3:11: error: unknown kind 'persn'; did you mean 'person'?",
      "case.yaml:5:5: error: entity 'y' needs `name:`"]),

    # -- encodings, characters, document shapes, YAML features, types, references, dates
    ('byte order mark: columns still count from the first real character', "\ufeffentities:\n  - id: x\n    kind: persn\n    name: A\n",
     ["case.yaml:3:11: error: unknown kind 'persn'; did you mean 'person'?"]),
    ('CRLF line ends', "entities:\r\n  - id: x\r\n    kind: persn\r\n    name: A\r\n",
     ["case.yaml:3:11: error: unknown kind 'persn'; did you mean 'person'?"]),
    ('CR-only line ends', "entities:\r  - id: x\r    kind: persn\r    name: A\r",
     ["case.yaml:3:11: error: unknown kind 'persn'; did you mean 'person'?"]),
    ('UTF-16 file', "entities:\n  - id: x\n".encode("utf-16"),
     ['case.yaml:1:1: error: not UTF-8 text (byte 0xff); save the file as UTF-8']),
    ('bad UTF-8 after accented letters: column counts characters', b"entities:\n  - id: x\n    kind: person\n    name: L\xc3\xb3pez \xc3\n",
     ['case.yaml:4:17: error: not UTF-8 text (byte 0xc3); save the file as UTF-8']),
    ('NUL byte', b"entities:\n  - id: x\n    kind: person\n    name: A\x00B\n",
     ['case.yaml:4:12: error: the control character U+0000 is not allowed in YAML; remove it (inside double quotes it can be written as an escape such as \\t)']),
    ('raw terminal escape in a value', b"entities:\n  - id: x\n    kind: person\n    name: A\x1b[2J\n",
     ['case.yaml:4:12: error: the control character U+001B is not allowed in YAML; remove it (inside double quotes it can be written as an escape such as \\t)']),
    ('control characters written as escapes', 'entities:\n  - id: x\n    kind: person\n    name: "A\\e[2J\\x07"\n    description: "\\x85 next line"\n',
     ['case.yaml:4:11: error: the control character U+001B is not allowed in fact files, not even as an escape; remove it',
      'case.yaml:5:18: error: the control character U+0085 is not allowed in fact files, not even as an escape; remove it']),
    ('terminal escapes in a key', 'entities:\n  - id: x\n    kind: person\n    name: A\n    "\\e]0;pwned\\a\\e[2J": 1\n',
     ['case.yaml:5:5: error: the control character U+001B is not allowed in fact files, not even as an escape; remove it']),
    ('newline in a key stays on one diagnostic line', 'entities:\n  - id: x\n    kind: person\n    name: A\n    "descr\\niption": 1\n',
     ["case.yaml:5:5: error: unknown key `descr\\niption` in entity 'x' (kind person); did you mean `description`?"]),
    ('bidi override in a value is shown escaped', 'entities:\n  - id: x\n    kind: "person\u202e"\n    name: A\n',
     ["case.yaml:3:11: error: unknown kind 'person\\u202e'; did you mean 'person'?"]),
    ('tab after a dash', "entities:\n  -\tid: x\n    kind: person\n",
     ['case.yaml:2:4: error: a tab character cannot indent YAML; indent with spaces']),
    ('tab in the middle of a block', ENTITY.replace("    name", "\tname"),
     ['case.yaml:4:1: error: a tab character cannot indent YAML; indent with spaces']),
    ('document marker only', "---\n",
     ['case.yaml:1:1: error: the file holds no facts; add `sources:`, `entities:` or `relations:`, or remove it']),
    ('empty mapping', "{}\n",
     ['case.yaml:1:1: error: the file holds no facts; add `sources:`, `entities:` or `relations:`, or remove it']),
    ('null document', "~\n",
     ['case.yaml:1:1: error: the file holds no facts; add `sources:`, `entities:` or `relations:`, or remove it']),
    ('flow list at top level', "[a, b]\n",
     ['case.yaml:1:1: error: a fact file is a mapping with `sources:`, `entities:` and/or `relations:`, not a list']),
    ('quoted scalar at top level', "'entities'\n",
     ['case.yaml:1:1: error: a fact file is a mapping with `sources:`, `entities:` and/or `relations:`, not a single value']),
    ('two documents', ENTITY + "---\nentities: []\n",
     ['case.yaml:5:1: error: a fact file holds one YAML document; remove this `---` and what follows, or move it to its own file']),
    ('section is a scalar', "sources: s1\n",
     ['case.yaml:1:10: error: `sources:` must be a list of records, each starting with `- `']),
    ('section item is null', "entities:\n  -\n",
     ['case.yaml:2:4: error: each item of `entities:` must be a mapping such as `- id: ...`']),
    ('relation item is a word', "relations:\n  - sponsors\n",
     ['case.yaml:2:5: error: each item of `relations:` must be a mapping such as `- id: ...`']),
    ('duplicate section', ENTITY + "entities:\n  - id: y\n    kind: person\n    name: B\n",
     ["case.yaml:5:1: error: duplicate key 'entities' (first at line 1); YAML would silently keep only the last one - remove or rename one"]),
    ('complex key', "? [a, b]\n: c\n",
     ['case.yaml:1:3: error: a key must be a plain word such as `name:`']),
    ('number as key', ENTITY + "    1: 2\n",
     ["case.yaml:5:5: error: unknown key `1` in entity 'x' (kind person); allowed keys: id, kind, name, aliases, description, party"]),
    ('anchor without alias', "entities:\n  - &a {id: x, kind: person, name: A}\n",
     ['case.yaml:2:5: error: anchor `&a`: anchors and aliases are not allowed in fact files; remove it']),
    ('billion laughs nested in a record', LOL,
     [
      "case.yaml:6:7: error: `aliases` of entity 'x' must be a list of names, e.g. [Ray Lopez, R. Lopez]",
      'case.yaml:7:13: error: alias `*a` repeats the value anchored at line 6; anchors and aliases are not allowed in fact files - write the value out in full',
      'case.yaml:8:13: error: alias `*b` repeats the value anchored at line 7; anchors and aliases are not allowed in fact files - write the value out in full',
      'case.yaml:9:13: error: alias `*c` repeats the value anchored at line 8; anchors and aliases are not allowed in fact files - write the value out in full',
      'case.yaml:10:13: error: alias `*d` repeats the value anchored at line 9; anchors and aliases are not allowed in fact files - write the value out in full',
      'case.yaml:11:13: error: alias `*e` repeats the value anchored at line 10; anchors and aliases are not allowed in fact files - write the value out in full',
      'case.yaml:12:13: error: alias `*f` repeats the value anchored at line 11; anchors and aliases are not allowed in fact files - write the value out in full',
      'case.yaml:13:13: error: alias `*g` repeats the value anchored at line 12; anchors and aliases are not allowed in fact files - write the value out in full',
      'case.yaml:14:9: error: anchor `&i`: anchors and aliases are not allowed in fact files; remove it',
      'case.yaml:14:13: error: alias `*h` repeats the value anchored at line 13; anchors and aliases are not allowed in fact files - write the value out in full',
     ]),
    ('alias to no anchor', "entities:\n  - id: x\n    kind: person\n    name: *nope\n",
     ['case.yaml:4:11: error: alias `*nope` names no anchor; anchors and aliases are not allowed in fact files - write the value out in full']),
    ('merge key', "entities:\n  - &base {id: x, kind: person, name: A}\n  - <<: *base\n    id: y\n",
     [
      "case.yaml:3:5: error: entity 'y' needs `kind:`",
      "case.yaml:3:5: error: entity 'y' needs `name:`",
      'case.yaml:3:9: error: alias `*base` repeats the value anchored at line 2; anchors and aliases are not allowed in fact files - write the value out in full',
     ]),
    ('binary tag', "entities:\n  - id: x\n    kind: person\n    name: !!binary aGVsbG8=\n",
     ['case.yaml:4:11: error: YAML tags (!!binary) are not allowed in fact files; remove the tag']),
    ('local tag on a mapping', "entities:\n  - !record {id: x, kind: person, name: A}\n",
     ['case.yaml:2:5: error: YAML tags (!record) are not allowed in fact files; remove the tag']),
    ('200-deep flow nesting', "entities:\n  - id: x\n    kind: person\n    name: " + "[" * 200 + "]" * 200 + "\n",
     [
      "case.yaml:4:11: error: `name` of entity 'x' must be text, not a list",
      'case.yaml:4:40: error: nesting deeper than 32 levels; fact files are at most a few levels deep',
     ]),
    ('40-deep block nesting', ENTITY + "    aliases:\n" + "".join("      " + "  " * i + "-\n" for i in range(40)),
     [
      "case.yaml:6:7: error: `aliases` of entity 'x' must be a list of names, e.g. [Ray Lopez, R. Lopez]",
      'case.yaml:35:65: error: nesting deeper than 32 levels; fact files are at most a few levels deep',
     ]),
    ('2000-deep nesting stops the parser', "entities:\n  - id: x\n    kind: person\n    name: " + "{a: " * 2000 + "b" + "}" * 2000 + "\n",
     ['case.yaml:4:127: error: nesting deeper than 32 levels; fact files are at most a few levels deep']),
    ('id is a list', "entities:\n  - id: [x]\n    kind: person\n    name: A\n",
     ['case.yaml:2:9: error: `id` of an entity must be text, not a list']),
    ('name is a mapping', "entities:\n  - id: x\n    kind: person\n    name: {first: A}\n",
     ["case.yaml:4:11: error: `name` of entity 'x' must be text, not a mapping"]),
    ('kind is missing', "entities:\n  - id: x\n    name: A\n",
     ["case.yaml:2:5: error: entity 'x' needs `kind:`"]),
    ('name is blank', 'entities:\n  - id: x\n    kind: person\n    name: ""\n',
     ["case.yaml:4:11: error: `name` of entity 'x' is blank; write a value or remove the key"]),
    ('alias list holds a null', ENTITY + "    aliases: [Ray, ~]\n",
     ["case.yaml:5:14: error: `aliases` of entity 'x' must be a list of names, e.g. [Ray Lopez, R. Lopez]"]),
    ('count in other digits', "entities:\n  - id: v\n    kind: vote\n    name: Vote\n    yes: \u0665\n",
     ["case.yaml:5:10: error: `yes` of entity 'v' must be a whole number, not '٥'"]),
    ('cite is a word', "relations:\n  - type: sponsors\n    from: raymond-lopez\n    to: amendment\n    cite: s1\n",
     ['case.yaml:5:11: error: `cite:` must be a list of `- source: <id>` entries with a `quote:`']),
    ('citation is a word', "relations:\n  - type: sponsors\n    from: raymond-lopez\n    to: amendment\n    cite: [s1]\n",
     ['case.yaml:5:12: error: each citation must be a mapping: `- source: <id>` with `quote: "..."`']),
    ('citation source left empty', "relations:\n  - type: sponsors\n    from: raymond-lopez\n    to: amendment\n    cite:\n      - source:\n",
     ['case.yaml:6:16: error: a citation needs `source:` (it is empty)']),
    ('quote left empty', REL.format(extra="").replace("quote: words", "quote:"),
     ['case.yaml:7:15: error: a citation needs `quote:` (it is empty)']),
    ('quote of spaces', REL.format(extra="").replace("quote: words", "quote: '   '"),
     ['case.yaml:7:16: error: `quote` of a citation is blank; write a value or remove the key']),
    ('relation without from', "relations:\n  - type: sponsors\n    to: amendment\n    cite: [{source: s1}]\n",
     ['case.yaml:2:5: error: this sponsors relation needs `from:`']),
    ('relation without type', "relations:\n  - from: raymond-lopez\n    to: amendment\n    cite: [{source: s1}]\n",
     ['case.yaml:2:5: error: a relation needs `type:`']),
    ('relation id not a slug', REL.format(extra="    id: Lopez Sponsors\n"),
     ["case.yaml:5:9: error: id 'Lopez Sponsors' is not a slug: use lower-case letters, digits, '.', '_' and '-' (e.g. 'lopez-sponsors')"]),
    ('long value in a message is cut', "entities:\n  - id: x\n    kind: " + "k" * 5000 + "\n    name: A\n",
     ["case.yaml:3:11: error: unknown kind '" + "k" * 266 + " [... 4,478 characters ...] " + "k" * 256 + "'; see schema/kinds.yaml"]),
    ('unknown key in a citation', REL.format(extra="").replace("quote: words", "qoute: words"),
     ['case.yaml:7:9: error: unknown key `qoute` in a citation; did you mean `quote`?']),
    ('duplicate key in a citation', REL.format(extra="").replace("quote: words", "source: s2"),
     ["case.yaml:7:9: error: duplicate key 'source' (first at line 6); YAML would silently keep only the last one - remove or rename one"]),
    ('property of another relation type', REL.format(extra="    action: arrest\n"),
     ['case.yaml:5:5: error: unknown key `action` in this sponsors relation; allowed keys: id, type, from, to, date, start, end, description, cite']),
    ('alias shared by two entities', "entities:\n  - id: a1\n    kind: person\n    name: Pat Doe\n  - id: a2\n    kind: person\n    name: Patricia Doe\n    aliases: [Pat Doe]\n"
     "relations:\n  - type: opposes\n    from: Pat Doe\n    to: amendment\n    cite: [{source: s1}]\n",
     ["case.yaml:11:11: error: `from` 'Pat Doe' is ambiguous: it names a1 (Pat Doe) or a2 (Patricia Doe); use the id"]),
    ('both ends unknown', "relations:\n  - type: opposes\n    from: nobody\n    to: nothing\n    cite: [{source: s1}]\n",
     [
      "case.yaml:3:11: error: `from` 'nobody' names no entity; define it under `entities:` or fix the spelling",
      "case.yaml:4:9: error: `to` 'nothing' names no entity; define it under `entities:` or fix the spelling",
     ]),
    ('symmetric relation outside its range', "relations:\n  - type: conflicts_with\n    from: amendment\n    to: council\n    cite: [{source: s1}]\n",
     ['case.yaml:4:9: error: a conflicts_with relation cannot go to council (a legislature); `to` must be a policy']),
    ('reference property names no entity', "entities:\n  - id: v\n    kind: vote\n    name: Vote\n    place: Springfield\n",
     ["case.yaml:5:12: error: `place` 'Springfield' names no entity; define it under `entities:` or fix the spelling"]),
    ('duplicate id in one file', ENTITY + "  - id: x\n    kind: person\n    name: B\n",
     ["case.yaml:5:9: error: id 'x' is already used at case.yaml:2:9; ids must be unique in the fact base"]),
    ('duplicate source id across files', "sources:\n  - id: s1\n",
     ["case.yaml:2:9: error: id 's1' is already used at base.yaml:2:9; ids must be unique in the fact base"]),
    ('one relation id, two types', REL.format(extra="    id: r1\n") + REL.format(extra="    id: r1\n").replace("relations:\n", "").replace("sponsors", "proposes"),
     ["case.yaml:9:5: error: relation 'r1' is also defined at case.yaml:2:5 with type 'sponsors', here 'proposes'; make the two records agree or give them different `id`s"]),
    ('single citation mapping naming an unknown source', "relations:\n  - type: sponsors\n    from: raymond-lopez\n    to: amendment\n    cite: {source: s9}\n",
     ["case.yaml:5:20: error: citation names unknown source 's9'; define it under `sources:`"]),
    ('date in other digits', "entities:\n  - id: v\n    kind: vote\n    name: Vote\n    date: \u0662\u0660\u0662\u0665\n",
     ["case.yaml:5:11: error: `date`: '٢٠٢٥' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2025-01-15)"]),
    ('month 13', "entities:\n  - id: v\n    kind: vote\n    name: Vote\n    date: 2025-13\n",
     ["case.yaml:5:11: error: `date`: '2025-13' is not a date: month 13 does not exist"]),
    ('year zero', "entities:\n  - id: v\n    kind: vote\n    name: Vote\n    date: 0000\n",
     ["case.yaml:5:11: error: `date`: '0000' is not a date: year 0000 does not exist"]),
    ('31 April as a start', REL.format(extra="    start: 2025-04-31\n"),
     ["case.yaml:5:12: error: `start`: '2025-04-31' is not a date: April 2025 has 30 days"]),
    ('reversed days within a month', REL.format(extra="    start: 2025-01-20\n    end: 2025-01-19\n"),
     ['case.yaml:6:10: error: `end` 2025-01-19 is before `start` 2025-01-20; swap them']),
    ('source text outside the texts folder', "sources:\n  - id: s9\n    text: ../../../etc/passwd\n",
     ["case.yaml:3:11: error: `text` '../../../etc/passwd' must name a file inside the --texts folder: a relative path without '..', such as 000_article.txt"]),
    ('source text as an absolute path', "sources:\n  - id: s9\n    text: /etc/shadow\n",
     ["case.yaml:3:11: error: `text` '/etc/shadow' must name a file inside the --texts folder: a relative path without '..', such as 000_article.txt"]),
]


# -- cases that need a folder tree, links, pipes, permissions or big files --

MIB = 1024 * 1024


@dataclass(frozen=True)
class TreeCase:
    """A broken input that is more than one file's text.

    ``build(root)`` makes it inside the empty folder ``root`` (the working
    directory of the run); ``args`` are the PATH arguments; ``expected``
    are the exact error lines, where ``{root}`` stands for the real path
    of ``root``. ``bounded`` cases run as a child process under memory
    and CPU limits; ``obey_file_modes`` ones need a user that file modes
    stop (root runs them with its permission bypass dropped).
    """

    name: str
    build: Callable[[Path], object]
    args: tuple[str, ...]
    expected: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    bounded: bool = False
    obey_file_modes: bool = False


def files(contents: Mapping[str, str | bytes] | None = None) -> Callable[[Path], None]:
    """A builder writing ``{relative path: content}``."""

    def build(root: Path) -> None:
        for name, content in (contents or {}).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            path.write_bytes(data)

    return build


def _then(*steps: Callable[[Path], object]) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        for step in steps:
            step(root)

    return build


def _link(link: str, target: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / link)

    return build


def _fifo(name: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / name)

    return build


def _chmod(name: str, mode: int) -> Callable[[Path], None]:
    return lambda root: os.chmod(root / name, mode)


_BIG_PREFIX = "entities:\n  - id: x\n    name: A\n    kind: "


def _big_scalar(name: str, size: int) -> Callable[[Path], None]:
    """A fact file whose entity's kind is ``size`` bytes long (made at test time, never committed)."""

    def build(root: Path) -> None:
        with open(root / name, "wb") as handle:
            handle.write(_BIG_PREFIX.encode())
            chunk = b"k" * MIB
            for _ in range(size // MIB):
                handle.write(chunk)
            handle.write(b"\n")

    return build


def _tiny_values(name: str, size: int) -> Callable[[Path], None]:
    """``size`` bytes of a flow list of one-letter values: the most values per byte."""

    def build(root: Path) -> None:
        with open(root / name, "wb") as handle:
            handle.write(b"entities: [")
            handle.write(b"a," * ((size - 20) // 2))
            handle.write(b"a]\n")

    return build


def _bad_entities(count: int) -> str:
    return "entities:\n" + "".join(f"  - id: x{i}\n    kind: persn\n    name: A\n" for i in range(count))


_UNKNOWN_KIND = "error: unknown kind 'persn'; did you mean 'person'?"
_NO_FACTS = "facts:1:1: error: no fact files (*.yaml, *.yml) in this directory; check the path"
_LOOP = "error: a symbolic link loop (the link leads back to itself); remove the link"
_BILLION_LAUGHS = "".join(
    [f"{k}: &{k} [" + ", ".join([f"*{p}"] * 9) + "]\n" for p, k in zip("abcdefgh", "bcdefghi")]
)

TREE_CASES: list[TreeCase] = [
    # -- folders
    TreeCase("a folder with no fact files", files({"facts/README": "notes", "facts/old/notes.txt": "not a fact file"}),
             ("facts",), (_NO_FACTS,)),
    TreeCase("an empty folder", lambda root: (root / "facts").mkdir(), ("facts",), (_NO_FACTS,)),
    TreeCase("only hidden fact files", files({"facts/.draft.yaml": "entities: [}"}), ("facts",), (_NO_FACTS,)),
    TreeCase("a path that does not exist", files(), ("nowhere",),
             ("nowhere:1:1: error: no such file or directory; check the path",)),
    TreeCase("duplicate id across files in two folders",
             files({"facts/a/people.yaml": ENTITY, "facts/b/more.yaml": ENTITY.replace("name: A", "name: B")}),
             ("facts",), ("facts/b/more.yaml:2:9: error: id 'x' is already used at facts/a/people.yaml:2:9; ids must be unique in the fact base",)),
    # -- links
    TreeCase("a broken link as PATH", _link("gone.yaml", "missing.yaml"), ("gone.yaml",),
             ("gone.yaml:1:1: error: not a file or directory (a broken link?); pass fact files or folders",)),
    TreeCase("a link loop as PATH", _then(_link("a.yaml", "b.yaml"), _link("b.yaml", "a.yaml")), ("a.yaml",),
             ("a.yaml:1:1: " + _LOOP,)),
    TreeCase("a link loop inside a folder",
             _then(files({"facts/base.yaml": BASE}), _link("facts/a.yaml", "b.yaml"), _link("facts/b.yaml", "a.yaml")),
             ("facts",), ("facts/a.yaml:1:1: " + _LOOP, "facts/b.yaml:1:1: " + _LOOP)),
    TreeCase("a folder link back to its parent",
             _then(files({"facts/sub/base.yaml": BASE}), _link("facts/sub/again", "..")), ("facts",),
             ("facts/sub/again:1:1: error: a symbolic link loop (the link leads back to a folder that contains it); remove the link",)),
    TreeCase("a file link out of the folder",
             _then(files({"facts/base.yaml": BASE, "outside/secret.yaml": ENTITY}), _link("facts/leak.yaml", "../outside/secret.yaml")),
             ("facts",), ("facts/leak.yaml:1:1: error: a symbolic link out of facts (to {root}/outside/secret.yaml); links inside "
                          "a fact folder must stay inside it - pass the other folder as its own PATH instead",)),
    TreeCase("a folder link out of the folder",
             _then(files({"facts/base.yaml": BASE, "outside/x.yaml": ENTITY}), _link("facts/ext", "/etc")),
             ("facts",), ("facts/ext:1:1: error: a symbolic link out of facts (to /etc); links inside "
                          "a fact folder must stay inside it - pass the other folder as its own PATH instead",)),
    TreeCase("a file name with terminal escapes and a line break is shown escaped",
             files({"facts/\x1b]0;pwned\x07\x1b[2J\nfake.yaml": "{}\n"}), ("facts",),
             ("facts/\\x1b]0;pwned\\x07\\x1b[2J\\nfake.yaml:1:1: error: the file holds no facts; add `sources:`, "
              "`entities:` or `relations:`, or remove it",)),
    # -- things that are not plain files
    TreeCase("a pipe named like a fact file", _then(files({"facts/base.yaml": BASE}), _fifo("facts/pipe.yaml")), ("facts",),
             ("facts/pipe.yaml:1:1: error: not a regular file (a device, pipe or socket); fact files must be plain files",)),
    TreeCase("an endless device as PATH", files(), ("/dev/zero",),
             ("/dev/zero:1:1: error: not a regular file (a device, pipe or socket); fact files must be plain files",)),
    TreeCase("an unreadable file", _then(files({"facts/base.yaml": BASE, "facts/secret.yaml": ENTITY}), _chmod("facts/secret.yaml", 0)),
             ("facts/base.yaml", "facts/secret.yaml"),
             ("facts/secret.yaml:1:1: error: cannot read the file: Permission denied; check its permissions",),
             obey_file_modes=True),
    TreeCase("an unreadable folder", _then(files({"facts/base.yaml": BASE, "facts/locked/x.yaml": ENTITY}), _chmod("facts/locked", 0)),
             ("facts",),
             ("facts/locked:1:1: error: cannot list this folder: Permission denied; check its permissions",),
             obey_file_modes=True),
    # -- sizes and limits
    TreeCase("a 50 MB scalar is over the default file size", _big_scalar("case.yaml", 50 * MIB), ("case.yaml",),
             (f"case.yaml:1:1: error: the file is {len(_BIG_PREFIX) + 50 * MIB + 1} bytes, over the limit of 16 MiB; split it into smaller files "
              "(or raise ACTORGRAPH_MAX_FILE_BYTES)",), bounded=True),
    TreeCase("a 50 MB scalar read under a raised file size", _big_scalar("case.yaml", 50 * MIB), ("case.yaml",),
             # the message keeps 280 characters at each end of the 50 MB value
             ("case.yaml:4:11: error: unknown kind '" + "k" * 266 + f" [... {50 * MIB - 522:,} characters ...] " + "k" * 256
              + "'; see schema/kinds.yaml",), env={"ACTORGRAPH_MAX_FILE_BYTES": "64M"}, bounded=True),
    TreeCase("16 MB of one-letter values under the default limits", _tiny_values("case.yaml", 16 * MIB - 64), ("case.yaml",),
             # the 1,000,001st value: the mapping, its key, the list, then 999,998 a's
             ("case.yaml:1:2000006: error: more than 1,000,000 values in one file; split it into smaller files "
              "(or raise ACTORGRAPH_MAX_NODES)",), bounded=True),
    TreeCase("the billion laughs", files({"case.yaml": "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + _BILLION_LAUGHS}),
             ("case.yaml",),
             # one error per alias name at its first use, never one per expansion
             ("case.yaml:1:1: error: unknown key `a` in a fact file; allowed keys: sources, entities, relations",)
             + tuple(line for n, (p, k) in enumerate(zip("abcdefgh", "bcdefghi"), 2) for line in (
                 f"case.yaml:{n}:1: error: unknown key `{k}` in a fact file; allowed keys: sources, entities, relations",
                 *(["case.yaml:9:4: error: anchor `&i`: anchors and aliases are not allowed in fact files; remove it"] if k == "i" else []),
                 f"case.yaml:{n}:8: error: alias `*{p}` repeats the value anchored at line {n - 1}; anchors and aliases "
                 "are not allowed in fact files - write the value out in full")),
             bounded=True),
    TreeCase("more values than ACTORGRAPH_MAX_NODES", files({"case.yaml": _bad_entities(50)}), ("case.yaml",),
             # the 101st value: 3 + 7 per entity, so the name of the 14th entity
             ("case.yaml:43:11: error: more than 100 values in one file; split it into smaller files (or raise ACTORGRAPH_MAX_NODES)",),
             env={"ACTORGRAPH_MAX_NODES": "100"}),
    TreeCase("more files than ACTORGRAPH_MAX_FILES", files({f"facts/f{i}.yaml": ENTITY.replace("id: x", f"id: x{i}") for i in range(5)}), ("facts",),
             ("facts:1:1: error: more than 3 fact files; pass fewer folders (or raise ACTORGRAPH_MAX_FILES)",),
             env={"ACTORGRAPH_MAX_FILES": "3"}),
    TreeCase("deeper than ACTORGRAPH_MAX_DEPTH", files({"base.yaml": BASE, "case.yaml": REL.format(extra="")}), ("base.yaml", "case.yaml"),
             # levels: file, relations, relation, cite, citation (5)
             ("case.yaml:6:9: error: nesting deeper than 4 levels; fact files are at most a few levels deep",),
             env={"ACTORGRAPH_MAX_DEPTH": "4"}),
    TreeCase("more errors than ACTORGRAPH_MAX_ERRORS", files({"case.yaml": _bad_entities(10)}), ("case.yaml",),
             # the note that the run stopped is said after them, not as an error
             tuple(f"case.yaml:{3 + 3 * i}:11: " + _UNKNOWN_KIND for i in range(5)),
             env={"ACTORGRAPH_MAX_ERRORS": "5"}),
    TreeCase("twenty thousand errors stop at the default limit", files({"case.yaml": _bad_entities(20_000)}), ("case.yaml",),
             tuple(f"case.yaml:{3 + 3 * i}:11: " + _UNKNOWN_KIND for i in range(1000)),
             bounded=True),
]
