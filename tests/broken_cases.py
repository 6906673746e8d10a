"""Broken fact files and the exact diagnostics each must produce.

Each case is ``(name, case.yaml text, expected stderr lines)``. Every case
is loaded together with BASE (base.yaml), which defines a source ``s1`` and
the entities raymond-lopez, byron-sigcho-lopez and amendment.
"""

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

CASES: list[tuple[str, str, list[str]]] = [
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
     ["case.yaml:2:5: error: this value is reused through a YAML alias (*name); anchors and aliases are not allowed in fact files - write the value out in full"]),
    ("yaml tag", "entities:\n  - id: x\n    kind: person\n    name: !!python/object:os.system A\n",
     ["case.yaml:4:11: error: YAML tags (tag:yaml.org,2002:python/object:os.system) are not allowed in fact files; remove the tag"]),
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
]
