"""Commands of the query library: path, stances, alignment, neighbours, timeline.

Each is a thin wrapper over one function of :mod:`graph.paths`,
:mod:`graph.stances`, :mod:`graph.alignment`, :mod:`graph.neighbourhood`
or :mod:`graph.timeline`; errors surface through :class:`graph.clikit.Group`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from graph.clikit import emit, fact_paths, load_graph, print_json

F = TypeVar("F", bound=Callable[..., Any])


def _names(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...] | None:
    """Repeatable options that also take comma-separated lists."""
    names = tuple(n.strip() for value in values for n in value.split(",") if n.strip())
    return names or None


def _types_option(command: F) -> F:
    return click.option("--types", multiple=True, callback=_names, metavar="TYPE[,TYPE...]",
                        help="Only these relation types (repeatable or comma-separated).")(command)


def _as_of_option(command: F) -> F:
    return click.option("--as-of", "as_of", metavar="DATE",
                        help="The graph as of YYYY, YYYY-MM or YYYY-MM-DD (undated relations are kept).")(command)


def _json_option(command: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")(command)


def _show(result: Any, G: Any, as_json: bool) -> None:
    """A query result as one JSON document, or as its cited text report."""
    if as_json:
        print_json(result.as_dict())
    else:
        click.echo(result.report(sources=G.graph["sources"]))


@click.command("path")
@fact_paths
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--max-hops", default=4, show_default=True, type=click.IntRange(1, 12),
              help="The longest path searched, in relations.")
@click.option("--k", "k", default=5, show_default=True, type=click.IntRange(1, 1000),
              help="How many paths at most, shortest first.")
@_types_option
@click.option("--kinds", multiple=True, callback=_names, metavar="KIND[,KIND...]",
              help="Pass only through entities of these kinds (sub-kinds included).")
@click.option("--forward-only", is_flag=True, help="Follow relations only from subject to object.")
@_as_of_option
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0),
              help="Seconds the search may take; the paths found by then are printed.")
@_json_option
def path_command(paths: tuple[str, ...], schemas: tuple[str, ...], source: str, target: str, max_hops: int,
                 k: int, types: tuple[str, ...] | None, kinds: tuple[str, ...] | None, forward_only: bool,
                 as_of: str | None, timeout: float, as_json: bool) -> None:
    """The k shortest paths between two entities, each relation with its quotes.

    FROM and TO are ids, names or aliases. Relations are followed in either
    direction unless --forward-only, and printed as read:
    "Tom Homan —threatens→ Brandon Johnson ←opposed by— ...". No path
    within the bounds exits 1 with a message.
    """
    from graph.paths import shortest_paths

    G = load_graph(paths, schemas)
    found = shortest_paths(G, source, target, k=k, max_hops=max_hops, types=types, kinds=kinds,
                           forward_only=forward_only, as_of=as_of, timeout=timeout)
    if found.timed_out:
        click.echo(f"note: the time budget ({timeout:g} s) ran out after {len(found)} paths", err=True)
    _show(found, G, as_json)


@click.command("stances")
@fact_paths
@click.argument("target")
@_types_option
@click.option("--no-neutral", is_flag=True, help="Leave out relations that take no side (votes on it...).")
@_as_of_option
@_json_option
def stances_command(paths: tuple[str, ...], schemas: tuple[str, ...], target: str,
                    types: tuple[str, ...] | None, no_neutral: bool, as_of: str | None, as_json: bool) -> None:
    """Who supports and who opposes TARGET, and the positions TARGET takes.

    Each stance lists its relations with dates, properties and quotes. Two
    accounts of one thing (two vote results) are both listed and flagged.
    """
    from graph.stances import positions, stances

    G = load_graph(paths, schemas)
    on = stances(G, target, types=types, neutral=not no_neutral, as_of=as_of)
    by = positions(G, target, types=types, as_of=as_of)
    if as_json:
        print_json({"target": on.subject, "on": on.as_dict(), "by": by.as_dict()})
        return
    sources = G.graph["sources"]
    click.echo(on.report(sources=sources))
    if by:
        click.echo("\n" + by.report(sources=sources))


@click.command("alignment")
@fact_paths
@click.option("--normalize", type=click.Choice(["raw", "jaccard", "cosine"]), default="raw", show_default=True,
              help="Edge weight: shared targets, or that count over the union (jaccard) or geometric mean (cosine).")
@click.option("--direct", is_flag=True, help="Also count actor-to-actor relations (allied with, opposes...).")
@click.option("--network", type=click.Choice(["signed", "congruence", "conflict"]), default="signed",
              show_default=True, help="Which network -o writes as GraphML or draws as a map (signed: both kinds of tie).")
@click.option("--actors", multiple=True, callback=_names, metavar="KIND[,KIND...]",
              help="Kinds that count as actors (default: person, organization).")
@click.option("--targets", multiple=True, callback=_names, metavar="KIND[,KIND...]",
              help="Kinds that count as targets (default: every kind that is not an actor).")
@_types_option
@_as_of_option
@_json_option
@click.option("-o", "--output", metavar="FILE",
              help="Write GraphML (FILE.graphml), JSON (FILE.json) or the interactive coalition map (FILE.html); "
                   "- for GraphML on stdout.")
def alignment_command(paths: tuple[str, ...], schemas: tuple[str, ...], normalize: str, direct: bool,
                      network: str, actors: tuple[str, ...] | None, targets: tuple[str, ...] | None,
                      types: tuple[str, ...] | None, as_of: str | None, as_json: bool, output: str | None) -> None:
    """Coalitions: actor congruence and conflict networks (Discourse Network Analysis).

    Two actors agree on a target (a policy, an event) when both support it
    or both oppose it, and conflict when they take opposite sides. Prints
    the stance matrix and the ties; --json gives the matrix and both
    networks; -o FILE.graphml writes one network for Gephi; -o FILE.html
    draws the ties on the interactive map, each with the cited relations
    behind it.
    """
    from graph.alignment import alignment, generate_alignment_graphml, write_alignment

    if as_json and output:
        raise click.UsageError("give --json or -o FILE, not both")
    G = load_graph(paths, schemas)
    A = alignment(G, normalize=normalize, direct=direct, actors=actors, targets=targets,  # type: ignore[arg-type]
                  types=types, as_of=as_of)
    if as_json:
        print_json(A.as_dict())
    elif output == "-":
        emit(generate_alignment_graphml(A, network=network), "-")  # type: ignore[arg-type]
    elif output:
        summary = write_alignment(A, output, network=network)  # type: ignore[arg-type]
        click.echo(str(summary) if summary else
                   f"wrote {output}: {len(A.actors)} actors, {A.congruence.number_of_edges()} congruence "
                   f"and {A.conflict.number_of_edges()} conflict ties", err=True)
    else:
        names = {n: attrs.get("name", n) for n, attrs in G.nodes(data=True)}
        click.echo(A.table(names))
        for title, N in (("agree", A.congruence), ("conflict", A.conflict)):
            ties = sorted(N.edges(data=True), key=lambda e: (-e[2]["weight"], names[e[0]], names[e[1]]))
            click.echo(f"\n{title} ({len(ties)} ties, {normalize}):")
            for a, b, attrs in ties:
                on = ", ".join(names[t] for t in attrs["targets"])
                click.echo(f"  {attrs['weight']:.3g}  {names[a]} — {names[b]}  (on {on})")


@click.command("neighbours")
@fact_paths
@click.argument("ref")
@_types_option
@_as_of_option
@_json_option
def neighbours_command(paths: tuple[str, ...], schemas: tuple[str, ...], ref: str,
                       types: tuple[str, ...] | None, as_of: str | None, as_json: bool) -> None:
    """Every relation of REF, grouped by type and direction, with quotes."""
    from graph.neighbourhood import neighbourhood

    G = load_graph(paths, schemas)
    _show(neighbourhood(G, ref, types=types, as_of=as_of), G, as_json)


@click.command("timeline")
@fact_paths
@click.argument("ref")
@_types_option
@click.option("--dated-only", is_flag=True, help="Leave out relations without a date.")
@_as_of_option
@_json_option
def timeline_command(paths: tuple[str, ...], schemas: tuple[str, ...], ref: str, types: tuple[str, ...] | None,
                     dated_only: bool, as_of: str | None, as_json: bool) -> None:
    """The relations of REF in date order (partial dates by the days they cover).

    With --as-of, the timeline as it stood then: every relation begun by
    that date.
    """
    from graph.timeline import timeline

    G = load_graph(paths, schemas)
    _show(timeline(G, ref, types=types, undated=not dated_only, as_of=as_of), G, as_json)


COMMANDS = (path_command, stances_command, alignment_command, neighbours_command, timeline_command)
