"""The daemon: a command run through it is the command run without it.

Real processes throughout (the client passes its own file descriptors, so
CliRunner cannot stand in for it), each daemon in a private folder of this
test session, stopped and if need be killed when its tests end.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

import pytest

from cli_process import command
from conftest import DATASET, ROOT
from graph import daemon_client
from graph.cli import main

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the daemon needs Linux")


def run(args, env, *, mode, cwd=ROOT, stdout=subprocess.PIPE, **kwargs):
    return subprocess.run([*command(), *args], cwd=cwd, env={**env, "ACTORGRAPH_DAEMON": mode},
                          stdout=stdout, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=120, **kwargs)


def daemon_status(env):
    result = run(["daemon", "status", "--json"], env, mode="off")
    return json.loads(result.stdout)


def commands_run(env) -> int:
    return daemon_status(env)["commands"]


def kill_daemon(env):
    status = daemon_status(env)
    run(["daemon", "stop"], env, mode="off")
    if status["running"]:
        try:
            os.kill(status["pid"], signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("d")
    folder.chmod(0o700)
    env = {**os.environ, "ACTORGRAPH_DAEMON_DIR": str(folder)}
    started = run(["daemon", "start", "--idle", "10m"], env, mode="off")
    assert started.returncode == 0, started.stderr
    yield env
    kill_daemon(env)


def same_both_ways(args, env, *, cwd=ROOT):
    before = commands_run(env)
    local = run(args, env, mode="off", cwd=cwd)
    remote = run(args, env, mode="on", cwd=cwd)
    assert commands_run(env) == before + 1, remote.stderr  # it did run in the daemon
    assert (remote.returncode, remote.stdout, remote.stderr) == (local.returncode, local.stdout, local.stderr)
    return remote


@pytest.fixture
def broken(tmp_path):
    folder = tmp_path / "broken"
    shutil.copytree(DATASET, folder)
    victim = sorted(folder.glob("*.yaml"))[0]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nrelations:\n  - type: sponsors\n    from: nobody\n",
                      encoding="utf-8")
    return folder


@pytest.mark.parametrize("args", [
    ["validate", str(DATASET)],
    ["stats", str(DATASET), "--json"],
    ["path", str(DATASET), "Tom Homan", "TRUST Act", "--k", "2"],
    ["stats"],                      # usage error: exit 2
    ["stats", "no/such/folder"],    # diagnostics: exit 1
    ["--version"],
])
def test_same_stdout_stderr_and_status(env, args):
    same_both_ways(args, env)


def test_same_diagnostics_for_broken_facts(env, broken):
    result = same_both_ways(["validate", str(broken)], env)
    assert result.returncode == 1 and b"error:" in result.stderr


def test_same_output_file(env, tmp_path):
    out = {}
    for mode in ("off", "on"):
        target = tmp_path / f"{mode}.json"
        result = run(["export", "json", str(DATASET), "-o", str(target)], env, mode=mode)
        assert result.returncode == 0 and result.stderr == b""
        out[mode] = target.read_bytes()
    assert out["on"] == out["off"] and out["on"].startswith(b"{")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["off.json", "on.json"]  # no temporary left


def test_relative_paths_and_umask_are_the_clients(env, tmp_path):
    (tmp_path / "facts").symlink_to(DATASET)
    modes = {}
    for mode in ("off", "on"):
        result = subprocess.run(
            ["sh", "-c", f'umask 027 && exec "$@" export json facts -o {mode}.json', "sh", *command()],
            cwd=tmp_path, env={**env, "ACTORGRAPH_DAEMON": mode}, capture_output=True, timeout=120)
        assert result.returncode == 0, result.stderr
        modes[mode] = (tmp_path / f"{mode}.json").stat().st_mode & 0o777
    assert modes["on"] == modes["off"]


def test_closed_pipe(env):
    results = []
    for mode in ("off", "on"):
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader is gone before the first byte
        try:
            results.append(run(["export", "json", str(DATASET), "-o", "-"], env, mode=mode, stdout=write_end))
        finally:
            os.close(write_end)
    local, remote = results
    assert (remote.returncode, remote.stderr) == (local.returncode, local.stderr)
    assert remote.returncode == 1


def _pending(fd: int) -> int:
    return int.from_bytes(fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"), sys.byteorder)


def test_ctrl_c_reaches_the_command(env):
    # The command blocks writing to a full pipe until Ctrl-C reaches it.
    outcomes = []
    for mode in ("off", "on"):
        read_end, write_end = os.pipe()
        proc = subprocess.Popen([*command(), "export", "json", str(DATASET), "-o", "-"], cwd=ROOT,
                                env={**env, "ACTORGRAPH_DAEMON": mode}, stdout=write_end, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        os.close(write_end)
        try:
            deadline = time.monotonic() + 60
            while _pending(read_end) < 65536 and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(0.2)
            proc.send_signal(signal.SIGINT)
            status = proc.wait(timeout=60)  # still blocked, if the signal did not reach the command
            with os.fdopen(read_end, "rb") as pipe:
                pipe.read()
            outcomes.append((status, proc.stderr.read()))
        finally:
            proc.kill()
            proc.stderr.close()
    assert outcomes[1] == outcomes[0]
    assert outcomes[1][0] == 1 and b"Aborted!" in outcomes[1][1]


def test_an_edited_file_is_seen(env, tmp_path):
    base = tmp_path / "base"
    shutil.copytree(DATASET, base)
    first = run(["stats", str(base)], env, mode="on")
    victim = sorted(base.glob("*.yaml"))[-1]
    victim.write_text(victim.read_text(encoding="utf-8") +
                      "\nentities:\n  - id: zz-new-person\n    kind: person\n    name: Zz New Person\n",
                      encoding="utf-8")
    edited = same_both_ways(["stats", str(base)], env)
    assert edited.stdout != first.stdout and b"57 entities" in edited.stdout
    # The daemon sees an edit by itself too, and reloads before the next command.
    reloads = daemon_status(env)["reloads"]
    victim.write_text(victim.read_text(encoding="utf-8").replace("Zz New Person", "Zz Renamed"), encoding="utf-8")
    deadline = time.monotonic() + 30
    while daemon_status(env)["reloads"] == reloads and time.monotonic() < deadline:
        time.sleep(0.1)
    assert daemon_status(env)["reloads"] > reloads
    assert same_both_ways(["stats", str(base), "--json"], env).returncode == 0


def test_daemon_off_is_not_used(env):
    before = commands_run(env)
    result = run(["stats", str(DATASET)], env, mode="off")
    assert result.returncode == 0 and commands_run(env) == before


def test_the_client_imports_nothing_heavy(env):
    probe = ("import sys, atexit; sys.argv = ['actorgraph', 'stats', %r]\n"
             "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules} & "
             "{'networkx', 'numpy', 'click', 'yaml', 'loaders', 'typing'}), file=sys.stderr))\n"
             "from graph.entry import main; main()" % str(DATASET))
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env={**env, "ACTORGRAPH_DAEMON": "on"},
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == b"[]"


def test_status_and_stop(tmp_path, runner, monkeypatch):
    folder = tmp_path / "own"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("ACTORGRAPH_DAEMON_DIR", str(folder))
    try:
        assert runner.invoke(main, ["daemon", "status"]).exit_code == 1
        started = runner.invoke(main, ["daemon", "start", "--idle", "5m"])
        assert started.exit_code == 0 and "started" in started.output
        again = runner.invoke(main, ["daemon", "start"])
        assert again.exit_code == 0 and "already running" in again.output
        status = runner.invoke(main, ["daemon", "status"])
        assert status.exit_code == 0 and "running: pid" in status.output
        stopped = runner.invoke(main, ["daemon", "stop"])
        assert stopped.exit_code == 0 and "stopped" in stopped.output
        assert runner.invoke(main, ["daemon", "status"]).output.strip() == "actorgraph daemon: not running"
        assert list(folder.glob("*.sock")) == []
    finally:
        kill_daemon({**os.environ, "ACTORGRAPH_DAEMON_DIR": str(folder)})


def test_bad_duration_is_an_error(runner):
    result = runner.invoke(main, ["daemon", "start", "--idle", "soon"])
    assert result.exit_code == 1 and "not a duration" in result.output


def _fallback(tmp_path, folder):
    env = {**os.environ, "ACTORGRAPH_DAEMON_DIR": str(folder)}
    local = run(["stats", str(DATASET)], env, mode="off")
    remote = run(["stats", str(DATASET)], env, mode="on")
    assert (remote.returncode, remote.stdout) == (local.returncode, local.stdout)
    quiet = run(["stats", str(DATASET)], env, mode="auto")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (local.returncode, local.stdout, local.stderr)
    return remote.stderr.decode()


def test_a_stale_socket_is_not_used(tmp_path):
    folder = tmp_path / "stale"
    folder.mkdir(mode=0o700)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(folder / f"daemon-{daemon_client.install_id()}.sock"))
    dead.close()  # the file stays, nobody listens
    assert "stale socket" in _fallback(tmp_path, folder)


def test_a_folder_others_can_enter_is_not_used(tmp_path):
    folder = tmp_path / "open"
    folder.mkdir()
    folder.chmod(0o755)
    assert "not private" in _fallback(tmp_path, folder)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to listen as another user")
def test_a_daemon_of_another_user_is_not_used(tmp_path):
    folder = tmp_path / "foreign"
    folder.mkdir(mode=0o700)
    path = str(folder / f"daemon-{daemon_client.install_id()}.sock")
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # listens as nobody: SO_PEERCRED names the user at listen()
        try:
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.bind(path)
            os.setgid(65534)
            os.setuid(65534)
            server.listen(8)
            os.write(ready_w, b"x")
            time.sleep(120)
        finally:
            os._exit(0)
    try:
        os.close(ready_w)
        assert os.read(ready_r, 1) == b"x"
        assert "another user" in _fallback(tmp_path, folder)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(ready_r)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to connect as another user")
def test_the_daemon_refuses_another_user(env):
    # Even when its socket is opened up by mistake (here: a hard link in an
    # open folder, mode 666), the daemon answers no other user.
    path = daemon_client.socket_path(env)
    before = commands_run(env)
    open_dir = Path(tempfile.mkdtemp(dir="/tmp"))
    link = open_dir / "s"
    os.link(path, link)
    open_dir.chmod(0o755)
    os.chmod(path, 0o666)
    answer_r, answer_w = os.pipe()
    try:
        pid = os.fork()
        if pid == 0:
            try:
                os.setgid(65534)
                os.setuid(65534)
                client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                client.settimeout(2)  # the daemon closes at once; else it waits for a request
                client.connect(str(link))
                os.write(answer_w, b"answer:" + client.recv(100))
            except BaseException as exc:
                os.write(answer_w, repr(exc).encode())
            finally:
                os._exit(0)
        os.close(answer_w)
        os.waitpid(pid, 0)
        with os.fdopen(answer_r, "rb") as answer:
            assert answer.read() == b"answer:"  # connected, then closed without a word
    finally:
        os.chmod(path, 0o600)
        shutil.rmtree(open_dir)
    assert commands_run(env) == before


def test_other_code_is_not_run_and_stops_the_daemon(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir(mode=0o700)
    env = {**os.environ, "ACTORGRAPH_DAEMON_DIR": str(folder)}
    probe = ("import sys; from graph import daemon_client as c\n"
             "request = c.request(['actorgraph', '--version']); request['code'] += '\\nan edited module'\n"
             "try: c._run(c.connect(c.socket_path()), request)\n"
             "except c.Unavailable as exc: print(exc)")
    try:
        assert run(["daemon", "start"], env, mode="off").returncode == 0
        result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
        assert "older code" in result.stdout, result.stderr
        deadline = time.monotonic() + 30
        while daemon_status(env)["running"] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not daemon_status(env)["running"]
    finally:
        kill_daemon(env)


def test_it_stops_when_idle(tmp_path):
    folder = tmp_path / "idle"
    folder.mkdir(mode=0o700)
    env = {**os.environ, "ACTORGRAPH_DAEMON_DIR": str(folder)}
    try:
        assert run(["daemon", "start", "--idle", "1s"], env, mode="off").returncode == 0
        deadline = time.monotonic() + 60
        while daemon_status(env)["running"] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not daemon_status(env)["running"]
        assert "idle timeout" in next(folder.glob("*.log")).read_text()
    finally:
        kill_daemon(env)


def test_the_package_imports_lazily():
    probe = ("import sys, graph\n"
             "assert 'networkx' not in sys.modules and 'click' not in sys.modules\n"
             "import graph.stats\n"
             "assert graph.stats.__module__ == 'graph.stats' and callable(graph.stats)  # the function, not the module\n"
             "from graph import load, relations\n"
             "assert graph.io.atomic_write and 'load' in dir(graph)\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("unbuffered", ["1", None])
def test_same_bytes_buffered_or_not(env, unbuffered):
    # PYTHONUNBUFFERED changes how the interpreter makes sys.stdout; the child makes it the same way.
    env = {k: v for k, v in env.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = unbuffered
    same_both_ways(["stats", str(DATASET)], env)
    same_both_ways(["stats", "no/such/folder"], env)
