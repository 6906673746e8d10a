"""The ``actorgraph`` console script: through the daemon when one runs, else here.

Importing the command line costs a third of a second (networkx, numpy,
click...). So this entry point imports nothing more than the interpreter
already has, asks a running daemon (:mod:`graph.daemon`) to run the command,
and only when there is none - or it cannot be used - imports
:mod:`graph.cli` and runs the command itself. ``ACTORGRAPH_DAEMON=off``
never uses a daemon; ``ACTORGRAPH_DAEMON=on`` says on stderr why one was not
used; by default a daemon is used silently when one runs.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run ``actorgraph`` with ``sys.argv``; exit with the command's status."""
    from graph import daemon_client

    argv = list(sys.argv)
    mode = daemon_client.mode()
    # `actorgraph daemon ...` manages the daemon, so it always runs here.
    if mode != "off" and argv[1:2] != ["daemon"]:
        try:
            status = daemon_client.run(argv)
        except daemon_client.Unavailable as exc:
            if mode == "on":
                sys.stderr.write(f"actorgraph: not using the daemon: {exc}\n")
        else:
            sys.stdout.flush()
            if status < 0:
                _die_by(-status)
            sys.exit(status)
    from graph.cli import main as cli

    cli()


def _die_by(signum: int) -> None:
    # The command was killed by a signal: so is this process, so that the
    # shell sees what it would have seen without the daemon.
    import _signal

    _signal.signal(signum, _signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    sys.exit(128 + signum)
