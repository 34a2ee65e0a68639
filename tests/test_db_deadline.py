"""lib/db_deadline.py's watchdog on a local socket pair (no database): an armed deadline that passes shuts the
socket, which ends a blocked read at once; a disarmed one never touches it; no limit arms nothing."""
from __future__ import annotations

import socket
import time
from types import SimpleNamespace

import pytest

from lib import db_deadline


class Conn:
    """What lib.db hands the watchdog: a psycopg connection, seen through its libpq socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.pgconn = SimpleNamespace(socket=sock.fileno())


@pytest.fixture
def pair():
    a, b = socket.socketpair()
    yield a, b
    a.close()
    b.close()


def test_a_passed_deadline_ends_a_blocked_read(pair):
    a, _b = pair  # _b never answers, as a frozen server
    conn = Conn(a)
    token = db_deadline.arm(conn, 0.3, db_deadline.STATEMENT)
    started = time.monotonic()
    a.settimeout(5)
    assert a.recv(1) == b""  # shut: the read returns at once instead of waiting for ever
    assert 0.2 < time.monotonic() - started < 2
    db_deadline.disarm(token)  # too late: harmless
    assert db_deadline.expired(conn) == db_deadline.Expired(db_deadline.STATEMENT, 0.3)


def test_a_disarmed_deadline_never_touches_the_socket(pair):
    a, b = pair
    conn = Conn(a)
    db_deadline.disarm(db_deadline.arm(conn, 0.2, db_deadline.COMMIT))
    time.sleep(0.4)
    b.sendall(b"ok")
    a.settimeout(2)
    assert a.recv(2) == b"ok"
    assert db_deadline.expired(conn) is None


@pytest.mark.parametrize("seconds", [0, -1])
def test_no_limit_arms_nothing(pair, seconds):
    assert db_deadline.arm(Conn(pair[0]), seconds, db_deadline.STATEMENT) is None


def test_the_pools_proxy_is_watched_as_the_connection_it_holds(pair):
    """SQLAlchemy hands do_commit the pool's proxy, do_ping the psycopg connection: both name one connection."""
    conn = Conn(pair[0])
    proxy = SimpleNamespace(dbapi_connection=conn)
    db_deadline.arm(proxy, 0.1, db_deadline.COMMIT)
    pair[0].settimeout(5)
    assert pair[0].recv(1) == b""
    assert db_deadline.expired(conn) == db_deadline.Expired(db_deadline.COMMIT, 0.1)


def test_a_closed_connection_is_not_armed():
    class Closed:
        @property
        def pgconn(self):
            raise RuntimeError("the connection is closed")

    assert db_deadline.arm(Closed(), 5, db_deadline.STATEMENT) is None
