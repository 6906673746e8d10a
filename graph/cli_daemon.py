"""``actorgraph daemon start|stop|status``: keep actorgraph loaded in the background."""

from __future__ import annotations

import click

from graph.clikit import Group, print_json


@click.group(cls=Group)
def daemon() -> None:
    """Run commands in a background process that keeps fact bases loaded.

    Opt-in: once started, every `actorgraph` command of this user runs in it
    (started warm: nothing to import, only edited files to re-read) with the
    command's own input, output and exit status. ACTORGRAPH_DAEMON=off skips
    it; ACTORGRAPH_DAEMON=on says on stderr why it was not used.
    """


@daemon.command()
@click.option("--idle", default="30m", show_default=True, metavar="DURATION",
              help="Stop after this long without a command (90s, 30m, 2h, 1d).")
def start(idle: str) -> None:
    """Start the daemon (nothing happens when one runs already)."""
    from graph.daemon import parse_duration, start as start_daemon

    status, started = start_daemon(idle=parse_duration(idle))
    verb = "started" if started else "already running"
    click.echo(f"actorgraph daemon {verb}: pid {status.pid}, socket {status.socket}")


@daemon.command()
def stop() -> None:
    """Stop the daemon once the commands it runs have finished."""
    from graph.daemon import stop as stop_daemon

    pid = stop_daemon()
    click.echo("actorgraph daemon: not running" if pid is None else f"actorgraph daemon stopped (pid {pid})")


@daemon.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def status(as_json: bool) -> None:
    """Say whether the daemon runs, and what it keeps loaded; exit 1 when it does not run."""
    from graph.daemon import status as daemon_status

    current = daemon_status()
    if as_json:
        print_json({"running": False} if current is None else {"running": True, **current.as_dict()})
    else:
        click.echo("actorgraph daemon: not running" if current is None else str(current))
    if current is None:
        raise SystemExit(1)
