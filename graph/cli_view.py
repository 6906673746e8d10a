"""``actorgraph view``: the interactive map, written to one HTML file."""

from __future__ import annotations

import click

from graph.clikit import fact_paths, load_graph


def _names(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...] | None:
    """``--kinds a,b --kinds c`` -> ("a", "b", "c"); None when not given."""
    names = tuple(n.strip() for v in value for n in v.split(",") if n.strip())
    return names or None


@click.command("view")
@fact_paths
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), metavar="FILE.html",
              help="The HTML file to write (nothing else is written).")
@click.option("--focus", metavar="REF", help="Show only this entity (id, name or alias) and its neighbourhood.")
@click.option("--hops", type=click.IntRange(0, 9), default=1, show_default=True,
              help="Radius of --focus, in relations.")
@click.option("--as-of", "as_of", metavar="DATE",
              help="Show the relations in force on DATE (YYYY, YYYY-MM or YYYY-MM-DD; undated ones stay).")
@click.option("--kinds", multiple=True, callback=_names, metavar="KIND[,KIND...]",
              help="Entity kinds to show (a kind includes its sub-kinds); repeatable.")
@click.option("--types", multiple=True, callback=_names, metavar="TYPE[,TYPE...]",
              help="Relation types to show; repeatable.")
@click.option("--title", help="The map's heading.")
@click.option("--layout", type=click.Choice(["auto", "browser", "python"]), default="auto", show_default=True,
              help="Who lays the map out: the browser's physics, or Python (physics off); "
                   "auto picks Python for large maps.")
def view(paths: tuple[str, ...], schemas: tuple[str, ...], output: str, focus: str | None, hops: int,
         as_of: str | None, kinds: tuple[str, ...] | None, types: tuple[str, ...] | None,
         title: str | None, layout: str) -> None:
    """Write the interactive map: one self-contained HTML file.

    It opens from disk with no network at all. Click an entity, a relation or
    a source for its citations; filter by kind, relation type, polarity and
    source; slide through dates; focus on a neighbourhood.
    """
    from graph.view import write_html

    G = load_graph(paths, schemas)
    summary = write_html(G, output, focus=focus, hops=hops, as_of=as_of, kinds=kinds, types=types,
                         title=title, layout=layout)
    click.echo(str(summary))
