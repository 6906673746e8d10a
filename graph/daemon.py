"""The actorgraph daemon: everything imported once, fact bases kept loaded.

A new ``actorgraph`` process spends a third of a second importing networkx
and friends and then reloads its fact base from scratch (or from the disk
cache). The daemon, started with ``actorgraph daemon start``, pays both once:
it imports every module, listens on a Unix socket in a private folder, and
for each command a client sends (:mod:`graph.daemon_client`) it forks a
child that runs the command with the client's own stdin, stdout and stderr,
arguments, working directory, environment and umask. The child inherits the
loaded fact bases, so ``graph.load`` only re-reads the files edited since
(:mod:`graph.cache`). After the child ends, the daemon loads the bases the
child loaded, so that the next command starts from the edited state too; it
also looks at their files every second and reloads a base as soon as one
changes, and once more right before each command, so a command after an
edit usually finds it loaded already.

Fork safety: the daemon process runs no thread and opens no driver, server
or connection of its own; it only loads fact bases. The children do
everything else. A client of another user is refused (SO_PEERCRED), the
socket lives in a folder only its user can enter, and the daemon stops after
``idle`` seconds without a command, when asked, or when a client runs other
code (actorgraph was changed or reinstalled).

Examples
--------
>>> parse_duration("30m"), parse_duration("90s"), parse_duration("2h")
(1800.0, 90.0, 7200.0)
"""

from __future__ import annotations

import gc
import marshal
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from graph import daemon_client
from graph.daemon_client import Unavailable, frame
from loaders import ActorgraphError

#: seconds without a command before the daemon stops, by default
DEFAULT_IDLE = 30 * 60.0
#: seconds a connection may take to send its request or its ``G``
_HANDSHAKE_TIMEOUT = 5.0
#: variables a reload never needs, so the daemon never holds them longer
_SECRETS = ("NEO4J_PASSWORD",)
#: the most a child reports about the loads it made (bytes)
_LOADS_LIMIT = 60_000
#: seconds between two looks at the files of the bases kept loaded
_POLL = 1.0
#: seconds without a command before everything is collected (a second at 10^5 relations)
_COLLECT_WHEN_IDLE = 300.0
#: as many bases as graph.cache keeps in memory
_MEMORY_SIZE = 4
_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(text: str) -> float:
    """Seconds in ``"90s"``, ``"30m"``, ``"2h"``, ``"1d"`` or a plain number of seconds.

    Raises
    ------
    ActorgraphError
        When ``text`` is not a positive duration.
    """
    value = text.strip().lower()
    unit = _UNITS.get(value[-1:], None) if value else None
    number = value[:-1] if unit is not None else value
    try:
        seconds = float(number) * (unit or 1.0)
    except ValueError:
        seconds = -1.0
    if not seconds > 0 or seconds == float("inf"):
        raise ActorgraphError(f"{text!r} is not a duration: write a positive number with s, m, h or d, e.g. 30m.")
    return seconds


@dataclass(frozen=True)
class DaemonStatus:
    """What a running daemon reports about itself."""

    pid: int
    socket: str
    started: float
    idle_timeout: float
    commands: int
    #: reloads of kept bases (after a command, or on seeing their files change)
    reloads: int
    #: (working directory, paths) of each fact base it keeps loaded
    bases: tuple[tuple[str, tuple[str, ...]], ...]
    log: str

    def as_dict(self) -> dict[str, Any]:
        return {"pid": self.pid, "socket": self.socket, "started": self.started,
                "idle_timeout": self.idle_timeout, "commands": self.commands, "reloads": self.reloads,
                "bases": [{"cwd": cwd, "paths": list(paths)} for cwd, paths in self.bases], "log": self.log}

    def __str__(self) -> str:
        up = _human(time.time() - self.started)
        lines = [f"actorgraph daemon running: pid {self.pid}, up {up}, {self.commands} commands run, {self.reloads} reloads, "
                 f"stops after {_human(self.idle_timeout)} idle",
                 f"socket: {self.socket}", f"log: {self.log}"]
        lines += [f"loaded: {' '.join(paths)} (in {cwd})" for cwd, paths in self.bases]
        return "\n".join(lines)


def _human(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.3g}{unit}"
    return f"{seconds:.0f}s"


def _log_path(sock_path: str) -> str:
    return sock_path[:-len(".sock")] + ".log"


# -- the commands ----------------------------------------------------------

def status() -> DaemonStatus | None:
    """The running daemon's status, or None when none runs (for this installation).

    Examples
    --------
    >>> import os
    >>> status() if os.environ.get("ACTORGRAPH_DAEMON_DIR") == "/nonexistent" else None
    """
    try:
        doc = daemon_client.ask("status")
    except Unavailable:
        return None
    except daemon_client.NoAnswer as exc:
        raise ActorgraphError(f"{exc}; it may be busy loading a large fact base: try again.") from None
    if not isinstance(doc, dict):
        return None
    return DaemonStatus(pid=doc["pid"], socket=doc["socket"], started=doc["started"],
                        idle_timeout=doc["idle_timeout"], commands=doc["commands"], reloads=doc["reloads"],
                        bases=tuple((cwd, tuple(paths)) for cwd, paths in doc["bases"]), log=doc["log"])


def stop() -> int | None:
    """Stop the running daemon (commands it runs finish first); its pid, or None when none ran."""
    try:
        doc = daemon_client.ask("stop", timeout=600.0)
    except Unavailable:
        return None
    except daemon_client.NoAnswer as exc:
        raise ActorgraphError(f"{exc}; it may still be running commands.") from None
    return doc.get("pid") if isinstance(doc, dict) else None


def start(*, idle: float = DEFAULT_IDLE) -> tuple[DaemonStatus, bool]:
    """Start the daemon unless one runs; return its status and whether it was started now.

    Raises
    ------
    ActorgraphError
        When the socket's folder is not private, or the daemon fails to start.
    """
    if not sys.platform.startswith("linux"):
        raise ActorgraphError("the daemon needs Linux (it checks its clients with SO_PEERCRED).")
    running = status()
    if running is not None:
        return running, False
    path = daemon_client.socket_path()
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise ActorgraphError(f"cannot create {folder}: {exc.strerror}; set ACTORGRAPH_DAEMON_DIR "
                              "to a folder of yours.") from None
    problem = daemon_client.private_dir_problem(folder)
    if problem is not None:
        raise ActorgraphError(f"{problem}: the daemon's socket needs a folder only you can enter "
                              f"(chmod 700 {folder}, or set ACTORGRAPH_DAEMON_DIR).")
    if len(path.encode()) > 100:
        raise ActorgraphError(f"the socket path {path} is too long for a Unix socket; "
                              "set ACTORGRAPH_DAEMON_DIR to a shorter folder.")
    if os.path.lexists(path):
        os.unlink(path)  # no daemon answers there: a stale socket
    log = _log_path(path)
    read_end, write_end = os.pipe()
    env = {k: v for k, v in os.environ.items() if k not in _SECRETS}
    with open(os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab") as log_file:
        launcher = subprocess.Popen(
            [sys.executable, "-c", "from graph.daemon import serve_main; serve_main()",
             path, repr(idle), str(write_end)],
            stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file, pass_fds=(write_end,),
            start_new_session=True, cwd="/", env=env)
    os.close(write_end)
    launcher.wait()  # it forks the daemon and exits at once
    with open(read_end, "rb") as ready:
        answer = ready.read().decode("utf-8", "replace").strip()
    if not answer.startswith("ready"):
        raise ActorgraphError(f"the daemon did not start: {answer or 'no answer'} (see {log}).")
    started = status()
    if started is None:
        raise ActorgraphError(f"the daemon started but does not answer (see {log}).")
    return started, True


# -- the daemon process ----------------------------------------------------

def serve_main() -> None:
    """The daemon process (``python -c ... SOCKET IDLE READY_FD``), started by :func:`start`."""
    path, idle, ready_fd = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    if os.fork() > 0:
        os._exit(0)  # the daemon is the grandchild: `start` is not its parent
    try:
        daemon = Daemon(path, idle=idle)
    except BaseException as exc:
        os.write(ready_fd, f"{type(exc).__name__}: {exc}".encode())
        traceback.print_exc()
        os._exit(1)
    os.write(ready_fd, b"ready %d" % os.getpid())
    os.close(ready_fd)
    _log(f"started, pid {os.getpid()}, socket {path}")
    try:
        daemon.serve()
    except BaseException:
        traceback.print_exc()
    finally:
        daemon.close()
        _log("stopped")
        sys.stderr.flush()
        os._exit(0)


def _log(message: str) -> None:
    # Events only: never arguments or environment (they may hold secrets).
    sys.stderr.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} actorgraph daemon: {message}\n")
    sys.stderr.flush()


def _import_everything() -> None:
    import importlib
    import pkgutil

    import graph
    import loaders

    for package in (loaders, graph):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
    # what the commands import only when they run
    for name in ("neo4j", "falkordb", "pyvis.network", "jinja2", "redis"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass


@dataclass
class _Job:
    conn: socket.socket
    pid: int
    pidfd: int
    loads: int  # read end of the pipe the child reports its loads on
    cwd: str
    env: dict[str, str]
    umask: int


@dataclass
class Daemon:
    """The listening daemon (see the module's docstring)."""

    path: str
    idle: float = DEFAULT_IDLE
    listener: socket.socket = field(init=False)
    selector: selectors.BaseSelector = field(init=False)
    jobs: dict[int, _Job] = field(default_factory=dict, init=False)
    refresh: dict[tuple[Any, ...], tuple[str, dict[str, str], int, tuple[str, ...], tuple[str, ...]]] = field(
        default_factory=dict, init=False)
    #: the bases kept loaded, most recent last: how to reload each, and its files' signature then
    bases: dict[tuple[Any, ...], tuple[str, dict[str, str], int, tuple[str, ...], tuple[str, ...], object]] = field(
        default_factory=dict, init=False)
    next_poll: float = field(default=0.0, init=False)
    commands: int = field(default=0, init=False)
    reloads: int = field(default=0, init=False)
    collected: int = field(default=0, init=False)  # reloads at the last full collection
    stopping: bool = field(default=False, init=False)
    started: float = field(default_factory=time.time, init=False)
    last: float = field(default_factory=time.monotonic, init=False)

    def __post_init__(self) -> None:
        # The code as it is now is what this daemon imports.
        self.code = daemon_client.code_token()
        self.interpreter = daemon_client.interpreter_token()
        _import_everything()
        if threading.active_count() != 1:
            raise RuntimeError("importing actorgraph started a thread: forking would not be safe")
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_w, False)
        signal.set_wakeup_fd(self.wake_w)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)  # the socket: rw for this user only
        try:
            self.listener.bind(self.path)
        finally:
            os.umask(old)
        self.inode = os.stat(self.path).st_ino
        self.listener.listen(64)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ, "accept")
        self.selector.register(self.wake_r, selectors.EVENT_READ, "wake")
        gc.collect()
        gc.freeze()  # children then never scan (and so copy) what was loaded before

    def _on_signal(self, signum: int, frame: object) -> None:
        self.stopping = True

    # The loop: serve connections first; reload bases when nothing waits.
    def serve(self) -> None:
        while True:
            if self.stopping and self.listener.fileno() >= 0:
                self._stop_listening()
            if self.stopping and not self.jobs:
                return
            now = time.monotonic()
            if self.refresh and not self.stopping:
                timeout: float | None = 0.0
            elif self.stopping:
                timeout = None
            else:
                timeout = self.last + self.idle - now if not self.jobs else None
                if self.bases:
                    timeout = min(timeout if timeout is not None else _POLL, max(0.0, self.next_poll - now))
                timeout = max(0.0, timeout) if timeout is not None else None
            events = self.selector.select(timeout)
            for key, _ in events:
                self._event(key.data, key.fileobj)
            if not events and not self.stopping:
                if self.refresh:
                    self._refresh_one()
                elif self.bases and time.monotonic() >= self.next_poll:
                    self._poll()
                    if self.collected < self.reloads and time.monotonic() >= self.last + _COLLECT_WHEN_IDLE:
                        self.collected = self.reloads
                        gc.unfreeze()
                        gc.collect()
                        gc.freeze()
                elif not self.jobs and time.monotonic() >= self.last + self.idle:
                    _log("idle timeout")
                    self.stopping = True

    def _event(self, what: Any, fileobj: Any) -> None:
        if what == "accept":
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            try:
                self._accept(conn)
            except Exception:
                traceback.print_exc()
                conn.close()
        elif what == "wake":
            try:
                os.read(self.wake_r, 4096)
            except BlockingIOError:
                pass
        elif isinstance(what, tuple) and what[0] == "exit":
            self._reap(self.jobs[what[1]])
        elif isinstance(what, tuple) and what[0] == "client":
            self._from_client(self.jobs[what[1]])

    def _accept(self, conn: socket.socket) -> None:
        if daemon_client.peer_uid(conn) != os.getuid():
            _log("refused a connection from another user")
            conn.close()
            return
        conn.settimeout(_HANDSHAKE_TIMEOUT)
        doc, fds = _receive(conn)
        try:
            op = doc.get("op") if isinstance(doc, dict) else None
            if op == "status":
                conn.sendall(frame(self._status()))
                conn.close()
            elif op == "stop":
                _log("stop requested")
                self.stopping = True
                self._stop_listening()
                self.stopper = conn  # answered when the daemon has stopped
                conn.sendall(frame({"pid": os.getpid()}))
            elif op == "run" and len(fds) == 3:
                self._run(conn, doc, fds)
            else:
                conn.sendall(b"E the daemon did not understand the request\n")
                conn.close()
        finally:
            for fd in fds:
                os.close(fd)

    def _run(self, conn: socket.socket, doc: dict[str, Any], fds: list[int]) -> None:
        if doc.get("protocol") != daemon_client.PROTOCOL or doc.get("code") != self.code:
            conn.sendall(b"E the daemon runs older code (actorgraph changed since it started); it stops now\n")
            conn.close()
            _log("a client runs other code: stopping")
            self.stopping = True
            return
        if doc.get("interpreter") != self.interpreter:
            conn.sendall(b"E the daemon runs another Python or other interpreter flags\n")
            conn.close()
            return
        if self.stopping:
            conn.sendall(b"E the daemon is stopping\n")
            conn.close()
            return
        if threading.active_count() != 1:
            conn.sendall(b"E the daemon holds a thread and cannot fork safely\n")
            conn.close()
            return
        # The child starts from the bases as they are now: edits since the
        # last reload are loaded here (where nothing is copied on write), not
        # in the child, and no reload waits behind it.
        self._poll()
        while self.refresh:
            self._refresh_one()
        conn.sendall(b"R\n")
        if conn.recv(2) != b"G\n":
            conn.close()  # the client gave up before the command ran
            return
        loads_r, loads_w = os.pipe()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(loads_r)
            self._child(conn, doc, fds, loads_w)  # never returns
        os.close(loads_w)
        self.commands += 1
        self.last = time.monotonic()
        env = {k: v for k, v in doc["env"].items() if k not in _SECRETS}
        job = _Job(conn, pid, os.pidfd_open(pid), loads_r, doc["cwd"], env, doc["umask"])
        self.jobs[pid] = job
        conn.setblocking(False)
        self.selector.register(job.pidfd, selectors.EVENT_READ, ("exit", pid))
        self.selector.register(conn, selectors.EVENT_READ, ("client", pid))

    def _from_client(self, job: _Job) -> None:
        try:
            data = job.conn.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            # The client is gone (killed): so goes the command, as it would
            # have with the client's own process.
            self.selector.unregister(job.conn)
            _signal_group(job.pid, signal.SIGTERM)
            return
        for line in data.splitlines():
            kind, _, value = line.partition(b" ")
            if kind == b"K" and value.isdigit() and int(value) in daemon_client.FORWARDED:
                _signal_group(job.pid, int(value))

    def _reap(self, job: _Job) -> None:
        _, wait_status = os.waitpid(job.pid, 0)
        code = os.waitstatus_to_exitcode(wait_status)
        self.selector.unregister(job.pidfd)
        os.close(job.pidfd)
        try:
            self.selector.unregister(job.conn)
        except KeyError:
            pass
        try:
            job.conn.setblocking(True)
            job.conn.sendall(b"S %d\n" % -code if code < 0 else b"X %d\n" % code)
        except OSError:
            pass
        job.conn.close()
        del self.jobs[job.pid]
        self.last = time.monotonic()
        loads = _read_all(job.loads)
        try:
            reported = marshal.loads(loads) if loads else []
        except (ValueError, EOFError, TypeError):
            reported = []
        for paths, schemas in reported:
            limits = tuple(sorted((k, v) for k, v in job.env.items()  # what the load depends on
                                  if k.startswith("ACTORGRAPH_") and not k.startswith("ACTORGRAPH_DAEMON")))
            key = (job.cwd, tuple(paths), tuple(schemas), limits)
            if key in self.bases:  # kept already: reloaded when its files change
                self.bases[key] = self.bases.pop(key)  # most recently used
            else:
                self.refresh[key] = (job.cwd, job.env, job.umask, tuple(paths), tuple(schemas))

    def _refresh_one(self) -> None:
        """Load again one fact base a child loaded, as that child did."""
        from graph import clikit

        key = next(iter(self.refresh))
        cwd, env, umask, paths, schemas = self.refresh.pop(key)
        saved_env, saved_umask = dict(os.environ), os.umask(umask)
        self.bases.pop(key, None)
        try:
            signature = _signature(cwd, paths + schemas)  # before: an edit while loading is seen next time
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update({k: v for k, v in env.items() if k not in _SECRETS})
            clikit.load_graph(paths, schemas)
            self.bases[key] = (cwd, env, umask, paths, schemas, signature)
            while len(self.bases) > _MEMORY_SIZE:
                del self.bases[next(iter(self.bases))]
        except Exception as exc:  # the child reported it already; the next command loads afresh
            _log(f"reload failed ({type(exc).__name__})")
        finally:
            clikit.loads.clear()
            os.environ.clear()
            os.environ.update(saved_env)
            os.umask(saved_umask)
            os.chdir("/")
        # Everything loaded so far is frozen: children then never scan (and
        # so copy) it. Cycles among frozen states no longer held are
        # collected when the daemon is idle (_collect_all).
        self.reloads += 1
        gc.collect()
        gc.freeze()

    def _poll(self) -> None:
        """Queue a reload of each kept base whose files changed (an edit, a file added or removed)."""
        self.next_poll = time.monotonic() + _POLL
        for key, (cwd, env, umask, paths, schemas, signature) in list(self.bases.items()):
            if key not in self.refresh and _signature(cwd, paths + schemas) != signature:
                self.refresh[key] = (cwd, env, umask, paths, schemas)

    def _status(self) -> dict[str, Any]:
        bases = [[cwd, list(paths)] for cwd, _env, _umask, paths, _schemas, _sig in self.bases.values()]
        return {"pid": os.getpid(), "socket": self.path, "started": self.started, "idle_timeout": self.idle,
                "commands": self.commands, "reloads": self.reloads, "bases": bases, "log": _log_path(self.path)}

    def _child(self, conn: socket.socket, doc: dict[str, Any], fds: list[int], loads_w: int) -> None:
        code = 70
        try:
            # Nothing of the daemon's: its socket, other clients, signals.
            signal.set_wakeup_fd(-1)
            for sig in (signal.SIGTERM, signal.SIGHUP):
                signal.signal(sig, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            self.listener.close()
            self.selector.close()
            for job in self.jobs.values():
                job.conn.close()
                os.close(job.pidfd)
                os.close(job.loads)
            os.close(self.wake_r)
            os.close(self.wake_w)
            conn.close()
            os.setpgid(0, 0)  # its own group, as a shell gives a command (signals reach its helpers)
            code = _run_command(doc, fds, loads_w)
        except SystemExit as exc:
            code = _exit_code(exc.code)
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)

    def _stop_listening(self) -> None:
        if self.listener.fileno() < 0:
            return
        self.selector.unregister(self.listener)
        self.listener.close()
        try:
            if os.stat(self.path).st_ino == self.inode:
                os.unlink(self.path)
        except OSError:
            pass

    def close(self) -> None:
        self._stop_listening()
        stopper = getattr(self, "stopper", None)
        if stopper is not None:
            stopper.close()


def _signature(cwd: str, paths: tuple[str, ...]) -> object:
    """What the files under ``paths`` look like (name, size, mtime, inode),
    to see cheaply that a base changed. Only when to reload depends on it:
    a load itself compares contents."""
    entries: list[tuple[str, int, int, int]] = []

    def add(path: str) -> None:
        try:
            info = os.stat(path)
        except OSError:
            entries.append((path, -1, -1, -1))
        else:
            entries.append((path, info.st_size, info.st_mtime_ns, info.st_ino))

    for path in paths:
        full = os.path.join(cwd, path)
        if os.path.isdir(full):
            for root, _dirs, files in os.walk(full):
                for name in files:
                    if name.endswith((".yaml", ".yml")):
                        add(os.path.join(root, name))
        else:
            add(full)
    return sorted(entries)


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except OSError:
        try:
            os.kill(pid, signum)
        except OSError:
            pass


def _receive(conn: socket.socket) -> tuple[Any, list[int]]:
    """One frame and the descriptors sent with it."""
    fds: list[int] = []
    data = b""
    size = None
    while size is None or len(data) < 4 + size:
        chunk, ancillary, _flags, _ = conn.recvmsg(1 << 16, socket.CMSG_SPACE(3 * 4))
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                usable = len(payload) - len(payload) % 4
                fds += [int.from_bytes(payload[i:i + 4], sys.byteorder, signed=True) for i in range(0, usable, 4)]
        if not chunk:
            break
        data += chunk
        if size is None and len(data) >= 4:
            size = int.from_bytes(data[:4], "big")
    if size is None or len(data) < 4 + size:
        return None, fds
    try:
        return marshal.loads(data[4:4 + size]), fds
    except (ValueError, EOFError, TypeError):
        return None, fds


def _read_all(fd: int) -> bytes:
    chunks = []
    try:
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def _exit_code(code: object) -> int:
    # as the interpreter turns SystemExit into a status
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    sys.stderr.write(f"{code}\n")
    return 1


def _stdio(fd: int, name: str, mode: str, settings: tuple[str, str, bool, bool]) -> Any:
    # as the interpreter makes sys.stdin/stdout/stderr (create_stdio in pylifecycle.c)
    import io

    encoding, errors, line_buffering, write_through = settings
    unbuffered = write_through and mode == "w"  # python -u, PYTHONUNBUFFERED
    buffer = io.open(fd, mode + "b", buffering=0 if unbuffered else -1, closefd=False)
    raw = buffer if unbuffered else buffer.raw  # type: ignore[attr-defined]
    raw.name = name  # type: ignore[misc]
    text = io.TextIOWrapper(buffer, encoding=encoding, errors=errors, line_buffering=line_buffering,
                            write_through=write_through)
    text.mode = mode  # type: ignore[misc]
    return text


def _run_command(doc: dict[str, Any], fds: list[int], loads_w: int) -> int:
    """In the child: become the client's process, run the command, report its loads."""
    import atexit
    import locale

    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    fds.clear()
    os.chdir(doc["cwd"])
    os.environ.clear()
    os.environ.update(doc["env"])
    os.umask(doc["umask"])
    for sig in doc["ignored"]:
        signal.signal(sig, signal.SIG_IGN)
    try:
        locale.setlocale(locale.LC_CTYPE, "")
    except locale.Error:
        pass
    streams = [_stdio(0, "<stdin>", "r", doc["stdio"][0]), _stdio(1, "<stdout>", "w", doc["stdio"][1]),
               _stdio(2, "<stderr>", "w", doc["stdio"][2])]
    sys.stdin, sys.stdout, sys.stderr = streams
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = streams  # type: ignore[misc]
    sys.argv = list(doc["argv"])

    from graph import clikit
    from graph.cli import main

    code = 0
    try:
        main(args=sys.argv[1:], prog_name=doc["prog"])
    except SystemExit as exc:
        code = _exit_code(exc.code)
    except KeyboardInterrupt:
        traceback.print_exc()
        code = -signal.SIGINT
    except BaseException:
        traceback.print_exc()
        code = 1
    report = marshal.dumps([list(load) for load in clikit.loads])
    if len(report) <= _LOADS_LIMIT:
        os.write(loads_w, report)
    os.close(loads_w)
    atexit._run_exitfuncs()
    # The interpreter's last flush, and its status when that fails.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception as exc:
            if stream is sys.stdout:
                try:
                    sys.stderr.write(f"Exception ignored in: {stream!r}\n{type(exc).__name__}: {exc}\n")
                    sys.stderr.flush()
                except Exception:
                    pass
            code = 120
    if code < 0:  # killed by Ctrl-C, as Python dies of an uncaught KeyboardInterrupt
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code
