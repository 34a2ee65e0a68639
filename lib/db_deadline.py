"""A client-side deadline for every PostgreSQL round trip, so a server that stops answering cannot hold a page or
a write: its host stuck on storage or paused, or a network cut the client's kernel has not noticed.

PostgreSQL's statement_timeout is kept by the server, which then does not run; the connection stays open (the
server's kernel still acknowledges), and psycopg would wait for ever. lib.db arms each statement, commit and
rollback here with its limit plus GRACE_SECONDS, and the pool's check of an idle connection with GRACE_SECONDS;
one watchdog thread shuts the socket of a connection whose deadline passes. psycopg's wait then ends at once
with a connection error, which lib.db turns into a Chinese message (`expired()` says which deadline passed), and
the pool drops the connection.

Only the socket is shut, under the same lock that disarms: once `disarm` returns, the watchdog cannot touch that
file descriptor, so a connection closed afterwards (its number reused by another socket) is never hit.
"""
from __future__ import annotations

import heapq
import itertools
import os
import socket
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass

GRACE_SECONDS = 2.0  # beyond the server's own limit: the server answers first whenever it runs at all
STATEMENT, COMMIT, CHECK = "statement", "commit", "check"


@dataclass(frozen=True)
class Expired:
    kind: str  # STATEMENT, COMMIT (its outcome is unknown) or CHECK (the pool's ping)
    seconds: float  # the deadline it passed


class _Watchdog:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int]] = []  # (deadline, token); disarmed tokens are skipped lazily
        self._armed: dict[int, tuple[int, object, Expired]] = {}  # token -> (fd, connection, what expires)
        self._tokens = itertools.count(1)
        self._thread: threading.Thread | None = None
        self.expired: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # connection -> Expired

    def arm(self, conn: object, seconds: float, kind: str) -> int | None:
        """Shut `conn`'s socket unless disarmed within `seconds`; the token to disarm with (None: not armed)."""
        if seconds <= 0:
            return None  # no limit (a migration, or limits switched off)
        conn = getattr(conn, "dbapi_connection", conn)  # the pool's proxy (do_commit gets it) or psycopg's own
        try:
            fd = conn.pgconn.socket  # type: ignore[attr-defined]  # psycopg: the libpq socket
        except Exception:  # noqa: BLE001 - closed or not a psycopg connection: nothing to watch
            return None
        token, deadline = next(self._tokens), time.monotonic() + seconds
        with self._cond:
            self._armed[token] = (fd, conn, Expired(kind, seconds))
            heapq.heappush(self._heap, (deadline, token))
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="db-deadline", daemon=True)
                self._thread.start()
            elif self._heap[0][1] == token:
                self._cond.notify()
        return token

    def disarm(self, token: int | None) -> None:
        if token is not None:
            with self._cond:
                self._armed.pop(token, None)

    def _watch(self) -> None:
        with self._cond:
            while True:
                while self._heap and self._heap[0][1] not in self._armed:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                fd, conn, what = self._armed.pop(heapq.heappop(self._heap)[1])
                self.expired[conn] = what
                _shut(fd)


def _shut(fd: int) -> None:
    try:
        sock = socket.socket(fileno=os.dup(fd))
    except OSError:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()


_watchdog = _Watchdog()
arm, disarm = _watchdog.arm, _watchdog.disarm


def expired(conn: object) -> Expired | None:
    """The deadline that ended `conn` (a DBAPI connection), if one did."""
    try:
        return _watchdog.expired.get(conn)
    except TypeError:  # not weak-referenceable: never armed
        return None


def guarded(call: Callable, seconds: float, kind: str) -> Callable:
    """`call(dbapi_connection, ...)` (a dialect's do_commit, do_rollback or do_ping) under a deadline of `seconds`."""
    def run(conn, *args, **kwargs):
        token = arm(conn, seconds, kind)
        try:
            return call(conn, *args, **kwargs)
        finally:
            disarm(token)

    return run
