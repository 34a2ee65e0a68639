"""/readyz: ready only when the database can be read, within a timeout; liveness stays /_stcore/health."""
from __future__ import annotations

import asyncio
import json
import socket
import threading
import time

import pytest
from async_helpers import run as _run
from db_helpers import fresh_engine

from lib import health


def test_ready_on_a_seeded_database(app_db):
    from lib import db
    result = health.check(db.get_engine(app_db), timeout=5)
    assert result.ready, result
    assert result.as_json()["status"] == "ready"


def test_not_ready_when_the_schema_is_missing(tmp_path):
    result = health.check(fresh_engine("sqlite", tmp_path), timeout=5)
    assert not result.ready
    assert result.detail.startswith("无法读取")


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never answers (a hung database)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(srv.accept()[0])
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield srv.getsockname()[1]
    stop.set()
    t.join()
    for c in held:
        c.close()
    srv.close()
    # the stuck check sees the closed socket, fails and frees the probe for the next test
    for _ in range(100):
        if not health._inflight.locked():
            break
        time.sleep(0.05)


def test_hung_database_reports_not_ready_after_the_timeout(silent_server):
    from sqlalchemy import create_engine
    engine = create_engine(f"postgresql+psycopg://u@127.0.0.1:{silent_server}/x")
    first = health.check(engine, timeout=0.5)
    assert not first.ready and first.detail.startswith("超时")
    # while that check is still stuck, the next probe does not queue behind it
    second = health.check(engine, timeout=0.5)
    assert not second.ready and second.detail == "上一次检查仍未返回"


def test_readyz_handler_status_codes(app_db, tmp_path, monkeypatch):
    """The Starlette handler serve.py mounts (the served route itself is hit in tests/test_deploy.py)."""
    from lib import db
    monkeypatch.setattr(health, "get_engine", lambda: db.get_engine(app_db))
    ok = _run(health.readyz(None))
    assert ok.status_code == 200 and json.loads(ok.body)["database"] == "ok"
    empty = fresh_engine("sqlite", tmp_path)
    monkeypatch.setattr(health, "get_engine", lambda: empty)
    down = _run(health.readyz(None))
    assert down.status_code == 503 and json.loads(down.body)["status"] == "not ready"
    assert down.headers["cache-control"] == "no-store"
