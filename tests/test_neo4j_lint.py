"""Every statement the Neo4j exporter sends, and every Cypher script it writes,
linted by Neo4j's own parser (@neo4j-cypher/language-support, from npm).

One run of the linter for the whole set: loading the parser is the slow part.
"""

from __future__ import annotations

import graph
from graph.export_cypher import generate_cypher
from graph.falkordb_engine import EmbeddedFalkorDB
from graph.neo4j_push import push
from neo4j_support import RecordingRunner, lint, readme_queries, write_hostile_facts

BROKEN = "UNWIND $rows AS row MERGE (n:`Entity` {dataset: $dataset, id: row.id} SET n += row.props"


def test_every_statement_sent_and_every_script_lint_clean(core, tmp_path):
    hostile = graph.load(write_hostile_facts(tmp_path / "hostile"))
    with EmbeddedFalkorDB() as engine:
        runner = RecordingRunner(engine)
        push(core, runner)                                   # fresh database
        push(core, runner)                                   # nothing to do: reads only
        push(hostile, runner, batch_size=2)                  # a second dataset beside it
        push(hostile, runner, dataset="chicago-sanctuary", replace=True)  # replaces everything: deletes
        sent = runner.sent
    phases = {kind for kind, *_ in sent}
    assert phases == {"read", "write"}
    assert any(text.startswith("UNWIND $rows AS row\nMATCH (a:") and "DELETE r" in text for _, text, _ in sent)
    assert any("DELETE n" in text for _, text, _ in sent)

    # each distinct statement once, with parameters of the shape it was sent with
    statements: dict[str, dict] = {}
    for _, text, params in sent:
        statements.setdefault(text, params)
    scripts = [generate_cypher(core), generate_cypher(hostile)]
    # a script is linted statement by statement, to share the work between processes; the
    # split is exact because a literal never holds a raw line break (it is written \\n)
    parts = [part + ";" for s in scripts for part in s.split(";\n") if part.strip()]
    assert "".join(p + "\n" for p in parts) == "".join(scripts)
    docs = readme_queries()
    items = [*statements.items(), *((p, {}) for p in parts), *((q, {}) for q in docs),
             (BROKEN, {"rows": [], "dataset": "x"})]
    results = lint(items)

    *clean, broken = results
    assert broken, "the linter must flag a broken statement (else this test could not fail)"
    bad = [(text, diags) for (text, _), diags in zip(items, clean) if diags]
    assert not bad, "\n\n".join(f"{text[:2000]}\n  -> {diags}" for text, diags in bad[:5])
    print(f"\nlinted {len(statements)} distinct statements ({len(sent)} sent) and "
          f"{len(parts)} script statements and {len(docs)} README queries: 0 diagnostics")
