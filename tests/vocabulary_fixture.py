"""A synthetic fact base with one entity of every kind and one relation of
every type, every property set: the vocabulary's whole surface, for tests of
the loader and of every view and exporter.

It is generated from the vocabulary rather than written by hand, so a kind
or relation type added to schema/ is exercised without anyone remembering to.
The facts are placeholders, not claims about anyone.
"""

from __future__ import annotations

from pathlib import Path

from loaders import Vocabulary, load_vocabulary

VALUES = {"string": "text of {name}", "date": "2024-06", "integer": "7", "list": "[one, two]"}


def _value(prop, entity_for_place: str) -> str:
    if prop.values:
        return prop.values[0]
    if prop.type == "reference":
        return entity_for_place
    return VALUES.get(prop.type, "text").format(name=prop.name)


def write_every_kind(folder: Path, vocabulary: Vocabulary | None = None) -> Path:
    """Write ``folder/every-kind.yaml`` and return the folder."""
    vocab = vocabulary or load_vocabulary()
    place = next(k for k in vocab.kinds if vocab.is_a(k, "place"))
    lines = [
        "sources:",
        "  - id: src-1",
        "    title: A placeholder source",
        "    published: 2024-06-01",
        "entities:",
    ]
    for kind in vocab.kinds.values():
        lines += [f"  - id: e-{kind.name.replace('_', '-')}", f"    kind: {kind.name}",
                  f"    name: Example {kind.name}", f"    aliases: [Alias of {kind.name}]",
                  f"    description: One {kind.name} for the vocabulary fixture."]
        for prop in kind.properties.values():
            lines.append(f"    {prop.name}: {_value(prop, 'e-' + place)}")
    lines.append("relations:")
    for rel in vocab.relations.values():
        frm = next(k for k in vocab.kinds if any(vocab.is_a(k, r) for r in rel.from_kinds))
        to = next(k for k in vocab.kinds if any(vocab.is_a(k, r) for r in rel.to_kinds) and k != frm)
        lines += [f"  - type: {rel.name}", f"    from: e-{frm.replace('_', '-')}",
                  f"    to: e-{to.replace('_', '-')}", "    start: 2024-01", "    end: 2024-06",
                  f"    description: One {rel.name} relation."]
        for prop in rel.properties.values():
            lines.append(f"    {prop.name}: {_value(prop, 'e-' + place)}")
        lines += ["    cite:", "      - source: src-1", f"        quote: a quote for {rel.name}"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "every-kind.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
