"""A tiny Bolt 4.4 server on 127.0.0.1 that fails on purpose, for the driver's error paths.

No Neo4j server can run here, so the official driver's behaviour on bad
credentials, a missing database and a connection cut mid-export is checked
against this stand-in: it speaks just enough Bolt (handshake, HELLO, RUN,
PULL, BEGIN, COMMIT, RESET) to answer like Neo4j does in those cases.
Reads return no rows; writes succeed until ``hangup_after`` of them, then
every connection is closed in the middle of a write.
"""

from __future__ import annotations

import socket
import struct
import threading
from typing import Any

HELLO, GOODBYE, RESET, RUN, BEGIN, COMMIT, ROLLBACK, DISCARD, PULL = 0x01, 0x02, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x2F, 0x3F
SUCCESS, RECORD, IGNORED, FAILURE = 0x70, 0x71, 0x7E, 0x7F


def pack(value: Any) -> bytes:
    if value is None:
        return b"\xc0"
    if value is True:
        return b"\xc3"
    if value is False:
        return b"\xc2"
    if isinstance(value, int):
        return bytes([value]) if 0 <= value < 128 else b"\xcb" + struct.pack(">q", value)
    if isinstance(value, str):
        data = value.encode()
        head = bytes([0x80 + len(data)]) if len(data) < 16 else b"\xd1" + struct.pack(">H", len(data))
        return head + data
    if isinstance(value, list):
        return bytes([0x90 + len(value)]) + b"".join(pack(v) for v in value)
    if isinstance(value, dict):
        return bytes([0xA0 + len(value)]) + b"".join(pack(k) + pack(v) for k, v in value.items())
    raise TypeError(value)


def message(signature: int, *fields: Any) -> bytes:
    data = bytes([0xB0 + len(fields), signature]) + b"".join(pack(f) for f in fields)
    return struct.pack(">H", len(data)) + data + b"\x00\x00"


class FakeBolt:
    """``mode``: "ok", "unauthorized" or "no-database"."""

    def __init__(self, mode: str = "ok", *, hangup_after: int | None = None) -> None:
        self.mode = mode
        self.hangup_after = hangup_after
        self.writes = 0
        self.seen_passwords: list[bytes] = []
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen()
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self.uri = f"bolt://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> FakeBolt:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._connection, args=(conn,), daemon=True).start()

    @staticmethod
    def _read(conn: socket.socket, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def _request(self, conn: socket.socket) -> bytes:
        data = b""
        while True:
            (size,) = struct.unpack(">H", self._read(conn, 2))
            if size == 0:
                if data:
                    return data
                continue
            data += self._read(conn, size)

    def _connection(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        failed = False
        in_write = False
        try:
            self._read(conn, 20)            # magic and four version proposals
            conn.sendall(b"\x00\x00\x04\x04")  # Bolt 4.4
            while not self._stop.is_set():
                request = self._request(conn)
                sig = request[1]
                if sig == GOODBYE:
                    return
                if sig == RESET:
                    failed = False
                    conn.sendall(message(SUCCESS, {}))
                elif failed:
                    conn.sendall(message(IGNORED))
                elif sig == HELLO:
                    if self.mode == "unauthorized":
                        self.seen_passwords.append(request)
                        conn.sendall(message(FAILURE, {
                            "code": "Neo.ClientError.Security.Unauthorized",
                            "message": "The client is unauthorized due to authentication failure."}))
                        return
                    conn.sendall(message(SUCCESS, {"server": "Neo4j/4.4.0", "connection_id": "bolt-1"}))
                elif sig in (RUN, BEGIN) and self.mode == "no-database":
                    failed = True
                    conn.sendall(message(FAILURE, {
                        "code": "Neo.ClientError.Database.DatabaseNotFound",
                        "message": "Database does not exist. Database name: 'nope'."}))
                elif sig == BEGIN:
                    in_write = b"\x84mode\x81r" not in request
                    conn.sendall(message(SUCCESS, {}))
                elif sig == RUN:
                    if in_write:
                        self.writes += 1
                        if self.hangup_after is not None and self.writes > self.hangup_after:
                            return                  # the server "dies" mid-write
                    conn.sendall(message(SUCCESS, {"fields": [], "t_first": 0}))
                elif sig in (PULL, DISCARD):
                    conn.sendall(message(SUCCESS, {"has_more": False, "t_last": 0}))
                elif sig in (COMMIT, ROLLBACK):
                    in_write = False
                    conn.sendall(message(SUCCESS, {"bookmark": "fake:1"}))
                else:
                    conn.sendall(message(SUCCESS, {}))
        except (ConnectionError, OSError, IndexError, struct.error):
            pass
        finally:
            conn.close()
