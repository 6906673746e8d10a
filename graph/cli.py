"""The ``actorgraph`` command line: one thin command per library call.

Exit status: 0 success, 1 invalid facts or a failed operation, 2 usage.
Every library error is turned into text in one place
(:class:`graph.clikit.Group`), so no command prints a traceback for a problem
the user can fix. Commands of each area live in their own module and are
registered at the end of this one.
"""

from __future__ import annotations

import json
import sys

import click

from graph.clikit import Group, emit, fact_paths, load_graph, print_json
from loaders import FactError


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="actorgraph")
def main() -> None:
    """Map who stands where in a public fight, from sourced YAML facts.

    Every command reads one or more fact folders or files (PATH...),
    validates them, and builds one graph from which the views are drawn.
    """


@main.command()
@fact_paths
@click.option("--texts", type=click.Path(file_okay=False), help="Folder of source texts: check every quote against it.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How to report the result.")
def validate(paths: tuple[str, ...], schemas: tuple[str, ...], texts: str | None, fmt: str) -> None:
    """Check fact files: shapes, vocabulary, references, dates, quotes.

    Prints every problem as path:line:col: error: message and exits 1.
    """
    from graph.stats import stats

    try:
        G = load_graph(paths, schemas, texts)
    except FactError as exc:
        if fmt != "json":
            raise
        print_json({"valid": False, "errors": len(exc.diagnostics),
                    "diagnostics": [d.as_dict() for d in exc.diagnostics], "note": exc.note})
        sys.exit(1)
    s = stats(G)
    checked = " (quotes verified)" if texts else ""
    if fmt == "json":
        print_json({"valid": True, "errors": 0, "diagnostics": [], "entities": s.entities,
                    "relations": s.relations, "sources": s.sources, "quotes_verified": bool(texts)})
    else:
        click.echo(f"ok: {s.entities} entities, {s.relations} relations, {s.sources} sources, "
                   f"{s.citations} citations{checked}")


@main.command("stats")
@fact_paths
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def stats_command(paths: tuple[str, ...], schemas: tuple[str, ...], as_json: bool) -> None:
    """Counts by kind, relation type and source, and the date range."""
    from graph.stats import stats

    s = stats(load_graph(paths, schemas))
    if as_json:
        print_json(s.as_dict())
    else:
        click.echo(str(s))


@main.group(cls=Group)
def export() -> None:
    """Write the graph in another format (JSON, GraphML, GEXF, Cypher, CSV, Neo4j)."""


@export.command("json")
@fact_paths
@click.option("-o", "--output", required=True, help="File to write, or - for stdout.")
def export_json(paths: tuple[str, ...], schemas: tuple[str, ...], output: str) -> None:
    """networkx node-link JSON (top-level nodes and edges)."""
    from graph.export_json import generate_json

    G = load_graph(paths, schemas)
    emit(json.dumps(generate_json(G), ensure_ascii=False, indent=2) + "\n", output)


# Commands defined in their own modules (one line per area).
from graph.cli_neo4j import export_csv, export_cypher, export_gexf, export_graphml, export_neo4j, query  # noqa: E402

export.add_command(export_neo4j)
export.add_command(export_cypher)
export.add_command(export_csv)
export.add_command(export_graphml)
export.add_command(export_gexf)
main.add_command(query)
from graph.cli_queries import COMMANDS as _QUERY_COMMANDS  # noqa: E402

for _command in _QUERY_COMMANDS:
    main.add_command(_command)
from graph.cli_view import view  # noqa: E402
main.add_command(view)
from graph.cli_daemon import daemon  # noqa: E402
main.add_command(daemon)
