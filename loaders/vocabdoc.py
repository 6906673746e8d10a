"""The vocabulary as Markdown tables, for the README.

The README holds this text between ``<!-- vocabulary:start -->`` and
``<!-- vocabulary:end -->``; a test keeps the two equal. Regenerate with
``python -m loaders.vocabdoc``.
"""

from __future__ import annotations

from loaders.vocabulary import Vocabulary, load_vocabulary


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def vocabulary_markdown(vocab: Vocabulary) -> str:
    lines = [
        "#### Kinds",
        "",
        "| kind | is a | Neo4j labels | properties | meaning |",
        "|---|---|---|---|---|",
    ]
    for name, kind in vocab.kinds.items():
        own = [p for p in kind.properties.values()]
        props = ", ".join(
            f"`{p.name}` ({p.type}{': ' + '/'.join(p.values) if p.values else ''}{f' >= {p.minimum}' if p.minimum is not None else ''})" for p in own
        )
        labels = ":".join(("Entity", *vocab.labels(name)))
        lines.append(f"| `{name}` | {kind.extends or ''} | `:{labels}` | {props} | {_cell(kind.description)} |")
    lines += [
        "",
        "#### Relation types",
        "",
        "| type | reads | polarity | symmetric | from | to | properties | meaning |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in vocab.relations.items():
        props = ", ".join(f"`{p.name}` ({p.type}{f' >= {p.minimum}' if p.minimum is not None else ''})" for p in r.properties.values())
        sign = {1: "+1", 0: "0", -1: "-1"}[r.polarity]
        lines.append(
            f"| `{name}` (`{r.neo4j_type}`) | {r.label} / {r.inverse} | {sign} | {'yes' if r.symmetric else 'no'} "
            f"| {', '.join(r.from_kinds)} | {', '.join(r.to_kinds)} | {props} | {_cell(r.description)} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(vocabulary_markdown(load_vocabulary()), end="")
