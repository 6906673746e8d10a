"""Run the real `actorgraph` command in a child process, bounded and observed.

Used where an in-process CliRunner cannot tell the truth: memory and CPU
bounds (resource limits on the child), a process killed by a signal, and a
root user that must not bypass file permissions.
"""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

#: address space and CPU time granted to a bounded run: far above what a
#: correct loader needs for the hostile corpus (it peaks near 300 MB on the
#: 50 MB scalar), far below what an exploding one would take.
MEMORY_LIMIT = 1024 * 1024 * 1024
CPU_SECONDS = 60

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    max_rss_kib: int


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def _no_permission_bypass() -> None:
    """Drop root's power to ignore file modes, for this child only."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")
    _limits()


def can_drop_permission_bypass() -> bool:
    """Whether a child can be made to obey file modes (always, unless root cannot drop capabilities)."""
    if os.geteuid() != 0:
        return True
    probe = subprocess.run([sys.executable, "-c", "pass"], preexec_fn=_no_permission_bypass, check=False)
    return probe.returncode == 0


def command() -> list[str]:
    """The installed console script, or the entry point through this Python."""
    script = Path(sys.executable).with_name("actorgraph")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from graph.cli import main; main()"]


def run_cli(args: Sequence[str], *, cwd: str | Path, env: Mapping[str, str] | None = None,
            obey_file_modes: bool = False, timeout: float = 300) -> Run:
    """Run ``actorgraph ARGS`` under memory and CPU limits; report its peak memory.

    A child that is still running after ``timeout`` seconds (blocked, not
    computing: the CPU limit covers that) is killed and the run fails.
    """
    full_env = {**os.environ, **(env or {})}
    setup = _no_permission_bypass if obey_file_modes and os.geteuid() == 0 else _limits
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([*command(), *args], cwd=cwd, env=full_env, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, preexec_fn=setup)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, out.read(), err.read(), usage.ru_maxrss)
