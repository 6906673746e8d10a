"""Shared plumbing of the command line: error reporting, PATH arguments, output.

Every command module builds on these so that all commands report errors the
same way (one place turns library errors into sentences) and take their fact
paths the same way.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import click
import networkx as nx

from loaders import ActorgraphError, FactError, Limits, load_vocabulary
from loaders.errors import printable

F = TypeVar("F", bound=Callable[..., Any])

#: (paths, schemas) of each load this process made through the caches: the
#: daemon (graph.daemon) loads them again after a command, to stay warm
loads: list[tuple[tuple[str, ...], tuple[str, ...]]] = []


class Group(click.Group):
    """A click group that reports library errors as sentences, not tracebacks."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # A polite kill (SIGTERM, a closed terminal) unwinds like Ctrl-C, so
        # that temporary outputs are removed; the handlers are the CLI's
        # only while it runs.
        previous = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGHUP):
                previous[sig] = signal.signal(sig, _terminate)
        try:
            return super().main(*args, **kwargs)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FactError as exc:
            for diagnostic in exc.diagnostics:
                click.echo(str(diagnostic), err=True)
            if exc.note:
                click.echo(exc.note, err=True)
            count = len(exc.diagnostics)
            shown = " shown" if exc.note else ""
            click.echo(f"{count} error{'s' if count != 1 else ''}{shown}; nothing was written", err=True)
            ctx.exit(1)
        except ActorgraphError as exc:
            click.echo(f"Error: {printable(str(exc))}", err=True)
            ctx.exit(1)
        except BrokenPipeError:
            # The reader went away (`actorgraph ... | head`): that is not an
            # error to report, and Python must not try to flush into it again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(1)
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            click.echo(printable(f"Error: cannot write{where}: {exc.strerror or exc}"), err=True)
            ctx.exit(1)


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def fact_paths(command: F) -> F:
    """The PATH... arguments and --schema option every data command takes."""
    command = click.option(
        "--schema", "schemas", multiple=True, type=click.Path(dir_okay=False),
        help="An extra vocabulary file (kinds/relations) extending the shipped one; repeatable.",
    )(command)
    # readable=False: the loader reports an unreadable path as a diagnostic
    # (exit 1, path:line:col), like every other problem with the facts.
    return click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False))(command)  # type: ignore[return-value]


def load_graph(paths: tuple[str, ...], schemas: tuple[str, ...] = (), texts: str | None = None) -> nx.MultiDiGraph:
    """Load the core for a command (vocabulary extended by --schema files).

    The loader's bounds come from ``ACTORGRAPH_MAX_*`` environment variables
    (see :class:`loaders.Limits`).
    """
    from graph.core import load

    vocabulary = load_vocabulary(schemas) if schemas else None
    G = load(paths, vocabulary=vocabulary, texts=texts, limits=Limits.from_env())
    if texts is None:
        loads.append((tuple(paths), tuple(schemas)))
    return G


def emit(text: str, output: str) -> None:
    """Write ``text`` to stdout for ``-``, else atomically to the file."""
    from graph.io import atomic_write

    if output == "-":
        click.echo(text, nl=not text.endswith("\n"))
    else:
        atomic_write(output, text)


def print_json(doc: Any) -> None:
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
