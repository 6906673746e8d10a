"""The thin client of the actorgraph daemon, and what client and daemon share.

When a daemon runs (``actorgraph daemon start``, :mod:`graph.daemon`), the
``actorgraph`` command sends its arguments, working directory, environment
and umask to it, with its own stdin, stdout and stderr file descriptors
(SCM_RIGHTS). The daemon forks a child that runs the command on those
descriptors, so pipes, terminals and exit codes are the client's own; the
client forwards Ctrl-C and termination to the child and exits with the
child's status.

This module runs in every ``actorgraph`` process before the command line is
imported, so it imports only what the interpreter has already loaded or
builds in (no networkx, click, typing or socket module: ``_socket`` is the
C module underneath it). Linux only: the peer's user is checked with
SO_PEERCRED, on both sides, besides the private folder of the socket.

Protocol, on a Unix stream socket: the client sends one frame (a 4-byte
big-endian length, then a :mod:`marshal` dict) with its three descriptors
attached; the daemon answers lines: ``R`` (ready), then after the client's
``G`` (go) the child runs and the daemon sends ``X code`` (exited) or
``S signal`` (killed by a signal); ``E reason`` refuses, and the client runs
the command itself. While the child runs, the client sends ``K signal`` for
each signal it gets.
"""

from __future__ import annotations

import _socket
import marshal
import os
import stat
import sys

#: bumped when the frames change
PROTOCOL = 1
#: seconds to wait for the daemon's ``R`` (it may be busy reloading a base)
READY_TIMEOUT = 60.0
#: signals the client passes on to the command's process
FORWARDED = (2, 15, 1)  # SIGINT, SIGTERM, SIGHUP (Linux numbers)
#: arguments that need the client's own terminal (a hidden password prompt
#: opens /dev/tty, which a daemon's child does not have)
LOCAL_ONLY = frozenset({"--ask-password"})
_ON = {"1", "on", "yes", "true"}
_OFF = {"0", "off", "no", "false"}
_SO_PEERCRED = 17  # Linux


class Unavailable(Exception):
    """The daemon cannot run this command; the message says why."""


def mode(env: dict[str, str] | os._Environ[str] | None = None) -> str:
    """``"off"``, ``"on"`` (asked for: say why when not used) or ``"auto"``, from ``ACTORGRAPH_DAEMON``.

    Examples
    --------
    >>> mode({}), mode({"ACTORGRAPH_DAEMON": "off"}), mode({"ACTORGRAPH_DAEMON": "1"})
    ('auto', 'off', 'on')
    """
    value = (os.environ if env is None else env).get("ACTORGRAPH_DAEMON", "").strip().lower()
    return "off" if value in _OFF else "on" if value in _ON else "auto"


def runtime_dir(env: dict[str, str] | os._Environ[str] | None = None) -> str:
    """The private folder of the socket: ``$ACTORGRAPH_DAEMON_DIR``, else
    ``$XDG_RUNTIME_DIR/actorgraph``, else ``/tmp/actorgraph-UID``.

    Examples
    --------
    >>> runtime_dir({"ACTORGRAPH_DAEMON_DIR": "/run/x"})
    '/run/x'
    >>> runtime_dir({"XDG_RUNTIME_DIR": "/run/user/1000"})
    '/run/user/1000/actorgraph'
    """
    env = os.environ if env is None else env
    if env.get("ACTORGRAPH_DAEMON_DIR"):
        return env["ACTORGRAPH_DAEMON_DIR"]
    if env.get("XDG_RUNTIME_DIR"):
        return os.path.join(env["XDG_RUNTIME_DIR"], "actorgraph")
    return f"/tmp/actorgraph-{os.getuid()}"


def _package_dirs() -> tuple[str, str]:
    here = os.path.dirname(os.path.abspath(__file__))
    return here, os.path.join(os.path.dirname(here), "loaders")


def install_id() -> str:
    """Names this installation (its code and its Python): one daemon each.

    Examples
    --------
    >>> len(install_id())
    8
    """
    import zlib

    return f"{zlib.crc32(repr((_package_dirs()[0], sys.prefix)).encode()):08x}"


def socket_path(env: dict[str, str] | os._Environ[str] | None = None) -> str:
    """Where this installation's daemon listens."""
    return os.path.join(runtime_dir(env), f"daemon-{install_id()}.sock")


def interpreter_token() -> str:
    """The interpreter and its flags: a daemon's children run with the daemon's."""
    return f"{sys.version}\n{sys.executable}\n{tuple(sys.flags)!r}"


def code_token() -> str:
    """What the running code depends on: every module and vocabulary file
    (name, size, mtime). A daemon started before an edit of any of them is
    not used (and stops).

    Examples
    --------
    >>> code_token() == code_token()
    True
    """
    graph_dir, loaders_dir = _package_dirs()
    parts = []
    for folder in (graph_dir, loaders_dir, os.path.join(loaders_dir, "_schema"),
                   os.path.join(os.path.dirname(graph_dir), "schema")):
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith((".py", ".yaml", ".yml", ".json")):
                info = entry.stat()
                parts.append(f"{folder}/{entry.name}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


def private_dir_problem(path: str) -> str | None:
    """Why ``path`` may not hold the socket (None: it may): it must be a real
    folder of this user that nobody else can enter."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return f"{path} does not exist"
    if not stat.S_ISDIR(info.st_mode):
        return f"{path} is not a folder"
    if info.st_uid != os.getuid():
        return f"{path} belongs to another user"
    if info.st_mode & 0o077:
        return f"{path} is open to other users (mode {stat.S_IMODE(info.st_mode):o}; it must be 700)"
    return None


def peer_uid(sock: _socket.socket) -> int:
    """The user id of the process at the other end (SO_PEERCRED)."""
    cred = sock.getsockopt(_socket.SOL_SOCKET, _SO_PEERCRED, 12)
    return int.from_bytes(cred[4:8], sys.byteorder)


def frame(doc: dict[str, object]) -> bytes:
    """One message: its length, then the marshalled dict."""
    data = marshal.dumps(doc)  # type: ignore[arg-type]  # (marshal's stub wants its own union)
    return len(data).to_bytes(4, "big") + data


def connect(path: str, *, timeout: float = READY_TIMEOUT) -> _socket.socket:
    """Connect to the daemon at ``path``; raise :class:`Unavailable` saying why not."""
    problem = private_dir_problem(os.path.dirname(path))
    if problem is not None:
        raise Unavailable("no daemon is running" if problem.endswith("does not exist") else
                          f"its folder is not private: {problem}")
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        try:
            sock.connect(path)
        except FileNotFoundError:
            raise Unavailable("no daemon is running") from None
        except ConnectionRefusedError:
            raise Unavailable(f"no daemon answers at {path} (a stale socket)") from None
        except OSError as exc:
            raise Unavailable(f"cannot connect to {path}: {exc.strerror or exc}") from None
        if peer_uid(sock) != os.getuid():
            raise Unavailable(f"the daemon at {path} runs as another user")
    except BaseException:
        sock.close()
        raise
    return sock


class LineReader:
    """Lines from a socket, one at a time."""

    def __init__(self, sock: _socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def line(self) -> bytes | None:
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                return None
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line


class NoAnswer(Exception):
    """A daemon runs there but did not answer in time."""


def ask(op: str, *, env: dict[str, str] | os._Environ[str] | None = None, timeout: float = READY_TIMEOUT) -> object:
    """Send a control request (``status``, ``stop``) and return the answer
    (after ``stop``: once the daemon has gone). Raises :class:`Unavailable`
    when no daemon runs, :class:`NoAnswer` when it does not answer in time
    (busy loading a large fact base)."""
    sock = connect(socket_path(env), timeout=timeout)
    try:
        sock.sendall(frame({"protocol": PROTOCOL, "op": op}))
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except TimeoutError:
        raise NoAnswer(f"the daemon (socket {socket_path(env)}) did not answer within {timeout:.0f} s") from None
    except OSError as exc:
        raise Unavailable(f"the daemon closed the connection: {exc.strerror or exc}") from None
    finally:
        sock.close()
    if len(data) < 4:
        raise Unavailable("the daemon closed the connection without answering")
    return marshal.loads(data[4:4 + int.from_bytes(data[:4], "big")])


def _prog_name(argv: list[str]) -> str:
    # as click names the program in usage lines (click.utils._detect_program_name)
    main = sys.modules.get("__main__")
    path = argv[0] if argv else ""
    package = getattr(main, "__package__", None)
    if package in (None, ""):
        return os.path.basename(path)
    name = os.path.splitext(os.path.basename(path))[0]
    module = package if name == "__main__" else f"{package}.{name}"
    return f"python -m {module.lstrip('.')}"


def _stream(name: str) -> tuple[str, str, bool, bool]:
    stream = getattr(sys, name)
    if stream is None:
        raise Unavailable(f"{name} is closed")
    return stream.encoding, stream.errors, stream.line_buffering, stream.write_through


def request(argv: list[str]) -> dict[str, object]:
    """What the child needs to run ``argv`` as this process would."""
    umask = os.umask(0o077)
    os.umask(umask)
    try:
        cwd = os.getcwd()
    except OSError as exc:
        raise Unavailable(f"the working directory is gone ({exc.strerror})") from None
    return {
        "protocol": PROTOCOL, "op": "run", "interpreter": interpreter_token(), "code": code_token(), "argv": list(argv), "prog": _prog_name(argv),
        "cwd": cwd, "env": dict(os.environ), "umask": umask,
        "stdio": [_stream("stdin"), _stream("stdout"), _stream("stderr")], "ignored": _ignored(),
    }


def _ignored() -> list[int]:
    # Signals this process ignores (as `cmd &` ignores Ctrl-C): the command ignores them too.
    import _signal

    return [sig for sig in FORWARDED if _signal.getsignal(sig) == _signal.SIG_IGN]


def run(argv: list[str]) -> int:
    """Run ``argv`` in the daemon; return the exit status, or raise
    :class:`Unavailable` before anything ran."""
    if any(arg in LOCAL_ONLY for arg in argv[1:]):
        raise Unavailable(f"{' / '.join(sorted(LOCAL_ONLY))} needs this terminal")
    sock = connect(socket_path())
    try:
        return _run(sock, request(argv))
    finally:
        sock.close()


def _run(sock: _socket.socket, doc: dict[str, object]) -> int:
    import _signal

    data = frame(doc)
    fds = b"".join(fd.to_bytes(4, sys.byteorder, signed=True) for fd in (0, 1, 2))
    try:
        sent = sock.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)])
        if sent < len(data):  # (sendall sends even nothing, and fails once the daemon has answered)
            sock.sendall(data[sent:])
    except OSError as exc:
        raise Unavailable(f"cannot send the command to the daemon: {exc.strerror or exc}") from None
    reader = LineReader(sock)
    try:
        answer = reader.line()
    except OSError as exc:
        raise Unavailable(f"the daemon did not answer: {exc.strerror or exc}") from None
    if answer is None:
        raise Unavailable("the daemon closed the connection")
    if answer.startswith(b"E "):
        raise Unavailable(answer[2:].decode("utf-8", "replace"))
    if answer != b"R":
        raise Unavailable(f"the daemon answered {answer[:40]!r}")

    # From here on the command runs there: signals go to it, and nothing is
    # run here again whatever happens.
    def forward(signum: int, frame: object) -> None:
        try:
            sock.sendall(b"K %d\n" % signum)
        except OSError:
            pass

    previous = {sig: _signal.signal(sig, forward) for sig in FORWARDED if sig not in doc["ignored"]}  # type: ignore[operator]
    try:
        sock.settimeout(None)
        sock.sendall(b"G\n")
        while True:
            try:
                line = reader.line()
            except OSError:
                line = None
            if line is None:
                sys.stderr.write("actorgraph: the daemon stopped before the command finished\n")
                return 1
            kind, _, value = line.partition(b" ")
            if kind == b"X":
                return int(value)
            if kind == b"S":
                return -int(value)
    finally:
        for sig, handler in previous.items():
            _signal.signal(sig, handler)
