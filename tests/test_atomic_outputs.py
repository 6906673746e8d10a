"""Interrupted writes: the previous output survives, and nothing is left behind.

The real command is killed in the middle of writing a big export: it is
stopped (SIGSTOP) at the moment it holds an open file in the output folder,
then killed. Whatever the signal, the previous output must be intact and
the folder must hold nothing else. The same for a write that fails (the
file size limit of the process stands in for a full disk), and for the
leftovers of a writer that died on a system without nameless files.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import time
from pathlib import Path

import pytest

from cli_process import command
from graph.io import atomic_dir, atomic_write, sweep

# ~30 MB of JSON from few, long values: loading is quick, writing is not.
ENTITIES, DESCRIPTION = 300, "lorem ipsum dolor sit amet, " * 3600


@pytest.fixture(scope="module")
def big_facts(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("big") / "facts"
    folder.mkdir()
    for part in range(3):  # three files, each under the default size limit
        with open(folder / f"people-{part}.yaml", "w", encoding="utf-8") as handle:
            handle.write("entities:\n")
            for i in range(part, ENTITIES, 3):
                handle.write(f"  - id: p{i}\n    kind: person\n    name: Person {i}\n    description: {DESCRIPTION}\n")
    return folder


def _open_in(pid: int, folder: Path) -> bool:
    """Whether process ``pid`` holds a file in ``folder`` open (named or not)."""
    inside = str(folder.resolve()) + os.sep
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith(inside):
                return True
        except OSError:
            continue
    return False


def _kill_mid_write(args: list[str], out_dir: Path, sig: int) -> int | None:
    """Run ``args``; stop it while it writes into ``out_dir``, send ``sig``.

    Returns the exit status, or None when the run finished writing before
    it could be caught (the caller tries again).
    """
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while proc.poll() is None and not _open_in(proc.pid, out_dir):
            time.sleep(0.0005)
        if proc.poll() is not None:
            return None
        os.kill(proc.pid, signal.SIGSTOP)
        if not _open_in(proc.pid, out_dir):  # closed just before the stop: too late
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return None
        os.kill(proc.pid, sig)
        os.kill(proc.pid, signal.SIGCONT)
        return proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to see the open output file")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_run_killed_mid_write_leaves_the_previous_output(big_facts, tmp_path, sig):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "graph.json"
    previous = b'{"the previous export": true}\n'
    target.write_bytes(previous)
    args = [*command(), "export", "json", str(big_facts), "-o", str(target)]
    for _ in range(5):
        status = _kill_mid_write(args, out_dir, sig)
        if status is not None:
            break
        target.write_bytes(previous)  # it finished: put the old output back and try again
    else:
        pytest.fail("the export was never caught while writing")
    assert status == -sig if sig == signal.SIGKILL else status == 128 + sig
    assert target.read_bytes() == previous
    assert os.listdir(out_dir) == ["graph.json"], "no temporary file may be left"
    # And the next run completes normally.
    done = subprocess.run(args, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    assert target.stat().st_size > 10 * len(DESCRIPTION) and os.listdir(out_dir) == ["graph.json"]


def test_a_failed_write_is_an_error_and_keeps_the_previous_output(big_facts, tmp_path):
    target = tmp_path / "graph.json"
    previous = b"previous\n"
    target.write_bytes(previous)
    limit = 1024 * 1024  # stands in for a full disk: writes past 1 MB fail (EFBIG)
    done = subprocess.run([*command(), "export", "json", str(big_facts), "-o", str(target)], capture_output=True,
                          text=True, check=False,
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))
    assert done.returncode == 1
    assert done.stderr == f"Error: cannot write {target}: File too large\n"
    assert target.read_bytes() == previous
    assert os.listdir(tmp_path) == ["graph.json"]


def test_leftovers_of_dead_writers_are_swept_and_live_ones_kept(tmp_path):
    target = tmp_path / "map.html"
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f".map.html.{dead.pid}.0123abcd.tmp"
    stale.write_text("half a map")
    live = tmp_path / f".map.html.{os.getppid()}.89abcdef.tmp"
    live.write_text("another writer, still running")
    atomic_write(target, "<html>")
    assert target.read_text() == "<html>"
    assert not stale.exists() and live.exists()


def test_a_folder_left_aside_by_a_dead_writer_comes_back(tmp_path):
    target = tmp_path / "csv"
    dead = subprocess.Popen(["true"])
    dead.wait()
    aside = tmp_path / f".csv.{dead.pid}.0123abcd.old"
    aside.mkdir()
    (aside / "nodes.csv").write_text("previous")
    assert sweep(target) == [aside]
    assert (target / "nodes.csv").read_text() == "previous"


def test_an_interrupted_folder_write_keeps_the_previous_folder(tmp_path):
    target = tmp_path / "csv"
    target.mkdir()
    (target / "nodes.csv").write_text("previous")
    with pytest.raises(KeyboardInterrupt):
        with atomic_dir(target) as tmp:
            (tmp / "nodes.csv").write_text("half")
            raise KeyboardInterrupt
    assert os.listdir(tmp_path) == ["csv"] and (target / "nodes.csv").read_text() == "previous"


def test_new_files_follow_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        atomic_write(tmp_path / "private.json", "{}")
        with atomic_dir(tmp_path / "private") as folder:
            (folder / "x").write_text("1")
    finally:
        os.umask(old)
    assert (tmp_path / "private.json").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "private").stat().st_mode & 0o777 == 0o700


def test_without_nameless_files_the_temporary_carries_the_pid_and_is_swept(tmp_path, monkeypatch):
    import graph.io

    monkeypatch.setattr(graph.io, "_open_nameless", lambda folder: None)  # a system without O_TMPFILE
    target = tmp_path / "graph.json"
    with pytest.raises(KeyboardInterrupt):
        with graph.io.atomic_open(target) as handle:
            handle.write("half")
            (temporary,) = os.listdir(tmp_path)
            assert temporary.startswith(f".graph.json.{os.getpid()}.") and temporary.endswith(".tmp")
            raise KeyboardInterrupt
    assert os.listdir(tmp_path) == []
    atomic_write(target, "whole")
    assert os.listdir(tmp_path) == ["graph.json"] and target.read_text() == "whole"
    # what a writer killed at that moment would leave is swept by the next write
    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / temporary.replace(str(os.getpid()), str(dead.pid))).write_text("half")
    atomic_write(target, "again")
    assert os.listdir(tmp_path) == ["graph.json"]
