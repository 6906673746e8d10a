"""A Neo4j server over Bolt, through the official ``neo4j`` driver.

Settings follow Neo4j's own convention (``NEO4J_URI``, ``NEO4J_USERNAME``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``), each overridable. Every statement
runs in a managed transaction (``execute_read`` / ``execute_write``), so the
driver retries transient errors. Every driver error becomes a
:class:`graph.cypher_runner.DatabaseError` whose sentence names the problem
and its fix; the password never appears in one (it is scrubbed from any
text the driver produces, and :class:`Neo4jSettings` never shows it).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from graph.cypher_runner import (
    ConnectionLost,
    DatabaseError,
    GraphNode,
    GraphPath,
    GraphRelationship,
    Result,
    StatementFailed,
)

SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


@dataclass(frozen=True)
class Neo4jSettings:
    """Where and as whom to connect. ``repr`` and :meth:`describe` never show the password.

    Examples
    --------
    >>> s = Neo4jSettings.resolve(uri="bolt://localhost:7687", user="neo4j", password="s3cret", env={})
    >>> s.describe()
    'bolt://localhost:7687 (database: server default, user: neo4j)'
    >>> "s3cret" in repr(s)
    False
    """

    uri: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None

    @classmethod
    def resolve(cls, *, uri: str | None = None, user: str | None = None, password: str | None = None,
                database: str | None = None, env: Mapping[str, str] | None = None) -> Neo4jSettings:
        """Options first, then the NEO4J_* environment variables."""
        env = os.environ if env is None else env
        uri = uri or env.get("NEO4J_URI")
        if not uri:
            raise DatabaseError("no Neo4j server given: pass --uri (e.g. neo4j://localhost:7687) or set NEO4J_URI")
        return cls(uri=uri, user=user or env.get("NEO4J_USERNAME") or None,
                   password=password if password is not None else env.get("NEO4J_PASSWORD"),
                   database=database or env.get("NEO4J_DATABASE") or None)

    @property
    def shown_uri(self) -> str:
        """The URI without any user information (which could hold a password)."""
        return re.sub(r"^([A-Za-z0-9+.-]+://)[^/@]*@", r"\1", self.uri)

    def describe(self) -> str:
        return (f"{self.shown_uri} (database: {self.database or 'server default'}, "
                f"user: {self.user or 'none'})")


class Neo4jRunner:
    """Runs statements on a Neo4j server; use as a context manager.

    Parameters
    ----------
    settings : Neo4jSettings
    max_retry_time : float
        Seconds the driver keeps retrying a transaction on transient errors.
    connection_timeout : float
        Seconds to wait for a connection.
    """

    def __init__(self, settings: Neo4jSettings, *, max_retry_time: float = 30.0,
                 connection_timeout: float = 15.0) -> None:
        self.settings = settings
        self.target = f"Neo4j at {settings.shown_uri}"
        self.max_retry_time = max_retry_time
        self.connection_timeout = connection_timeout
        self._driver: Any = None
        self._session: Any = None

    # -- connection -----------------------------------------------------

    def open(self) -> Neo4jRunner:
        """Connect and check the server, the credentials and the database."""
        from neo4j import GraphDatabase

        # the driver logs every retry to stderr; our errors say what matters
        logging.getLogger("neo4j").addHandler(logging.NullHandler())
        logging.getLogger("neo4j").propagate = False
        s = self.settings
        scheme = s.uri.split("://", 1)[0].lower() if "://" in s.uri else ""
        if scheme not in SCHEMES:
            raise DatabaseError(f"{s.shown_uri!r} is not a Neo4j Bolt URI: use neo4j://HOST:7687 "
                                f"(or {', '.join(x + '://' for x in SCHEMES[1:])})")
        auth = (s.user or "neo4j", s.password) if s.password is not None else None
        with self._errors("connect to"):
            self._driver = GraphDatabase.driver(
                s.uri, auth=auth, user_agent="actorgraph",
                max_transaction_retry_time=self.max_retry_time, connection_timeout=self.connection_timeout)
            self._driver.verify_connectivity()
            self._session = self._driver.session(database=s.database) if s.database else self._driver.session()
            # an auto-commit statement fails at once (no retries) on a missing database
            self._session.run("RETURN 1").consume()
        return self

    def close(self) -> None:
        for thing in (self._session, self._driver):
            if thing is not None:
                try:
                    thing.close()
                except Exception:
                    pass
        self._session = self._driver = None

    def __enter__(self) -> Neo4jRunner:
        return self.open()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- statements -------------------------------------------------------

    def read(self, text: str, params: Mapping[str, Any] | None = None) -> Result:
        with self._errors("read from"):
            return self._session.execute_read(_collect, text, dict(params or {}))

    def write(self, text: str, params: Mapping[str, Any] | None = None) -> Result:
        with self._errors("write to"):
            return self._session.execute_write(_collect, text, dict(params or {}))

    # -- errors -----------------------------------------------------------

    def _scrub(self, text: str) -> str:
        password = self.settings.password
        if password:
            text = text.replace(password, "***")
        return text.replace(self.settings.uri, self.settings.shown_uri) if self.settings.uri else text

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        from neo4j import exceptions as x

        s = self.settings
        where = s.shown_uri
        try:
            yield
        except x.AuthError as exc:
            raise DatabaseError(self._scrub(
                f"Neo4j at {where} refused the credentials of user {s.user or 'neo4j'!r} ({exc.message}): "
                "check NEO4J_USERNAME and NEO4J_PASSWORD, or --user and --password")) from None
        except x.ConfigurationError as exc:
            raise DatabaseError(self._scrub(f"cannot use {where!r}: {exc}")) from None
        except (x.ServiceUnavailable, x.SessionExpired, x.IncompleteCommit, OSError) as exc:
            detail = self._scrub(" ".join(str(exc).split()))
            if doing == "connect to":
                raise DatabaseError(f"cannot connect to Neo4j at {where}: {detail}. Is the server running, "
                                    "and are the host and port right?") from None
            raise ConnectionLost(f"lost the connection to Neo4j at {where} ({detail})") from None
        except x.Neo4jError as exc:
            code = exc.code or ""
            message = self._scrub(exc.message or str(exc))
            if code.endswith("DatabaseNotFound"):
                raise DatabaseError(f"the database {s.database!r} does not exist at {where}: create it "
                                    "(CREATE DATABASE ...) or name another with --database / NEO4J_DATABASE") from None
            if code.startswith("Neo.ClientError.Security."):
                raise DatabaseError(f"Neo4j at {where} did not allow user {s.user or 'neo4j'!r} to {doing.split()[0]} "
                                    f"this database: {message}") from None
            raise StatementFailed(f"Neo4j at {where} rejected a statement: {code}: {message}") from None
        except x.DriverError as exc:
            raise DatabaseError(self._scrub(f"cannot {doing} Neo4j at {where}: {exc}")) from None


def _collect(tx: Any, text: str, params: dict[str, Any]) -> Result:
    result = tx.run(text, params)
    columns = list(result.keys())
    rows = [[_plain(v) for v in record.values()] for record in result]
    return Result(columns, rows)


def _plain(value: Any) -> Any:
    from neo4j.graph import Node, Path, Relationship
    from neo4j.time import Date, DateTime, Time

    if isinstance(value, Node):
        return GraphNode(tuple(sorted(value.labels)), {k: _plain(v) for k, v in value.items()})
    if isinstance(value, Relationship):
        return GraphRelationship(value.type, {k: _plain(v) for k, v in value.items()})
    if isinstance(value, Path):
        return GraphPath(tuple(_plain(n) for n in value.nodes), tuple(_plain(r) for r in value.relationships))
    if isinstance(value, (Date, DateTime, Time)):
        return value.to_native()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
