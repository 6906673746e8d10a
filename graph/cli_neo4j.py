"""Commands of the Neo4j area: export neo4j|cypher|csv|graphml|gexf, and query.

Each is a thin wrapper over one library call; errors are sentences (see
:class:`graph.clikit.Group`). The password is read from an option, the
environment or a hidden prompt, and never printed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from graph.clikit import emit, fact_paths, load_graph, print_json

F = TypeVar("F", bound=Callable[..., Any])


def _connection_options(command: F) -> F:
    """--uri/--user/--password/--ask-password/--database, defaulting to NEO4J_* variables."""
    for decorator in reversed([
        click.option("--uri", metavar="URI", help="Bolt URI, e.g. neo4j://localhost:7687  [env: NEO4J_URI]"),
        click.option("--user", metavar="NAME", help="User name  [env: NEO4J_USERNAME]"),
        click.option("--password", metavar="TEXT", show_default=False,
                     help="Password (prefer the variable or --ask-password)  [env: NEO4J_PASSWORD]"),
        click.option("--ask-password", is_flag=True, help="Prompt for the password (input hidden)."),
        click.option("--database", metavar="NAME", help="Database name (default: the server's)  [env: NEO4J_DATABASE]"),
    ]):
        command = decorator(command)
    return command


def _settings(uri: str | None, user: str | None, password: str | None, ask: bool, database: str | None):
    from graph.neo4j_bolt import Neo4jSettings

    if ask:
        password = click.prompt("Neo4j password", hide_input=True, err=True)
    return Neo4jSettings.resolve(uri=uri, user=user, password=password, database=database)


def _dataset_option(command: F) -> F:
    return click.option("--dataset", metavar="NAME",
                        help="Dataset name recorded on every node and relationship (default: the fact folder's name).")(command)


def _batch_option(command: F) -> F:
    return click.option("--batch-size", type=click.IntRange(min=1), default=1000, show_default=True,
                        help="Rows per UNWIND statement (one transaction each).")(command)


@click.command("neo4j")
@fact_paths
@_connection_options
@_dataset_option
@_batch_option
@click.option("--replace", is_flag=True,
              help="Also remove what this dataset wrote before and no longer has (other data is never touched).")
@click.option("--dry-run", is_flag=True, help="Print what would be written, without connecting.")
@click.option("--silent", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON document.")
def export_neo4j(paths: tuple[str, ...], schemas: tuple[str, ...], uri: str | None, user: str | None,
                 password: str | None, ask_password: bool, database: str | None, dataset: str | None,
                 batch_size: int, replace: bool, dry_run: bool, silent: bool, as_json: bool) -> None:
    """Write the facts to a Neo4j database over Bolt (idempotent).

    Constraints first, then nodes, then relationships, in UNWIND batches
    inside managed write transactions. Only what differs from the
    database is sent: a second run changes nothing.
    """
    from graph.neo4j_push import plan_push, push

    G = load_graph(paths, schemas)
    if dry_run:
        _dry_run(G, uri, user, database, dataset, batch_size, replace, as_json)
        return
    from graph.neo4j_bolt import Neo4jRunner

    settings = _settings(uri, user, password, ask_password, database)
    plan_push(G, dataset=dataset, batch_size=batch_size)  # mapping problems surface before connecting
    bar: Any = None

    def progress(rows: int, total: int) -> None:
        nonlocal bar
        if silent:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="writing", file=sys.stderr)
            bar.__enter__()
        bar.update(rows)

    try:
        with Neo4jRunner(settings) as runner:
            summary = push(G, runner, dataset=dataset, batch_size=batch_size, replace=replace, progress=progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if as_json:
        print_json(summary.as_dict())
    else:
        click.echo(str(summary))


def _dry_run(G: Any, uri: str | None, user: str | None, database: str | None, dataset: str | None,
             batch_size: int, replace: bool, as_json: bool) -> None:
    import os

    from graph.neo4j_bolt import Neo4jSettings
    from graph.neo4j_push import plan_push

    plan = plan_push(G, dataset=dataset, batch_size=batch_size)
    target = "no server given"
    if uri or os.environ.get("NEO4J_URI"):
        target = Neo4jSettings.resolve(uri=uri, user=user, database=database).describe()
    statements: dict[str, dict[str, Any]] = {}
    for b in plan.batches:
        entry = statements.setdefault(b.text, {"phase": b.phase, "statement": b.text, "batches": 0, "rows": 0})
        entry["batches"] += 1
        entry["rows"] += b.rows
    counts = {k: c.created for k, c in plan.counts.items()}
    if as_json:
        print_json({"dry_run": True, "target": target, "dataset": plan.mapping.dataset, "would_write": counts,
                    "replace": replace, "statements": list(statements.values())})
        return
    click.echo(f"dry run: nothing sent to {target}")
    click.echo(f"dataset {plan.mapping.dataset!r}: {counts['entities']} entities, {counts['sources']} sources, "
               f"{counts['relationships']} relationships, {plan.rows} rows in "
               f"{sum(s['batches'] for s in statements.values())} batches of at most {batch_size} rows")
    if replace:
        click.echo("--replace: what this dataset wrote before and no longer has would then be removed")
    for s in statements.values():
        click.echo(f"\n// {s['phase']}: {s['rows']} rows in {s['batches']} batch{'es' if s['batches'] != 1 else ''}")
        click.echo(s["statement"])


@click.command("cypher")
@fact_paths
@click.option("-o", "--output", required=True, help="File to write, or - for stdout.")
@_dataset_option
@_batch_option
def export_cypher(paths: tuple[str, ...], schemas: tuple[str, ...], output: str, dataset: str | None,
                  batch_size: int) -> None:
    """A Cypher script for cypher-shell -f FILE (Neo4j 5); running it twice leaves the same graph."""
    from graph.export_cypher import generate_cypher

    emit(generate_cypher(load_graph(paths, schemas), dataset=dataset, batch_size=batch_size), output)


@click.command("csv")
@fact_paths
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Folder to write.")
@_dataset_option
def export_csv(paths: tuple[str, ...], schemas: tuple[str, ...], output: str, dataset: str | None) -> None:
    """CSV files for neo4j-admin database import, with the command in DIR/import.txt."""
    from graph.export_csv import write_csv

    written = write_csv(load_graph(paths, schemas), output, dataset=dataset)
    click.echo(f"wrote {len(written) - 1} CSV files and {written[-1]}", err=True)


def _write_binary(data: bytes, output: str) -> None:
    if output == "-":
        emit(data.decode("utf-8"), "-")
    else:
        from graph.io import atomic_write

        atomic_write(output, data)


@click.command("graphml")
@fact_paths
@click.option("-o", "--output", required=True, help="File to write, or - for stdout.")
def export_graphml(paths: tuple[str, ...], schemas: tuple[str, ...], output: str) -> None:
    """GraphML for Gephi, yEd or Cytoscape (lists as JSON text, dates as written plus ISO bounds)."""
    from graph.export_gephi import generate_graphml

    _write_binary(generate_graphml(load_graph(paths, schemas)), output)


@click.command("gexf")
@fact_paths
@click.option("-o", "--output", required=True, help="File to write, or - for stdout.")
def export_gexf(paths: tuple[str, ...], schemas: tuple[str, ...], output: str) -> None:
    """GEXF for Gephi, with a timeline (lists as JSON text, dates as written plus ISO bounds)."""
    from graph.export_gephi import generate_gexf

    _write_binary(generate_gexf(load_graph(paths, schemas)), output)


def _param(values: tuple[str, ...]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in values:
        name, sep, text = item.partition("=")
        if not sep or not name.isidentifier():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        try:
            params[name] = json.loads(text)
        except ValueError:
            params[name] = text
    return params


@click.command("query")
@fact_paths
@click.argument("cypher")
@_connection_options
@click.option("--param", "-p", "param", multiple=True, metavar="NAME=VALUE",
              help="A query parameter ($NAME); VALUE is JSON, or text when it is not JSON. Repeatable.")
@_dataset_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document: columns and rows.")
def query(paths: tuple[str, ...], schemas: tuple[str, ...], cypher: str, uri: str | None, user: str | None,
          password: str | None, ask_password: bool, database: str | None, param: tuple[str, ...],
          dataset: str | None, as_json: bool) -> None:
    """Run a read-only Cypher query on the facts: no server needed.

    Without --uri (or NEO4J_URI) the facts are loaded into a private
    embedded FalkorDB (Unix socket in a temporary folder, no TCP port) that
    lives for this command. With --uri the query runs on that Neo4j
    database as it is (push the facts first with export neo4j).
    """
    import os

    from graph.cypher_query import run_query

    params = _param(param)
    G = load_graph(paths, schemas)
    settings = None
    if uri or os.environ.get("NEO4J_URI"):
        settings = _settings(uri, user, password, ask_password, database)
    result = run_query(G, cypher, settings=settings, params=params, dataset=dataset)
    if as_json:
        print_json(result.as_json())
    else:
        click.echo(result.table())
