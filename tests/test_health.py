"""/readyz: ready only when the database can be read, within a timeout; liveness stays /_stcore/health."""
from __future__ import annotations

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
        if health.idle():
            break
        time.sleep(0.05)


def test_hung_database_reports_not_ready_after_the_timeout(silent_server):
    from sqlalchemy import create_engine
    engine = create_engine(f"postgresql+psycopg://u@127.0.0.1:{silent_server}/x")
    first = health.check(engine, timeout=0.5)
    assert not first.ready and first.detail.startswith("超时")
    # while that check is still stuck, the next probe starts no second one: it waits its own timeout for it
    second = health.check(engine, timeout=0.5)
    assert not second.ready and second.detail == "上一次检查仍未返回" and second.ms >= 450


def test_probes_arriving_together_share_one_check_and_its_answer(monkeypatch):
    """/readyz (every second, from nginx's watcher) and the /metrics scrape's `guangwu_ready` can arrive
    together: the second must get the first's answer, not "not ready" because a check was running — nginx
    would have taken a healthy replica out of rotation."""
    reads = []

    def slow_read(_engine):
        reads.append(1)
        time.sleep(0.3)
        return "ok"
    monkeypatch.setattr(health, "_read", slow_read)
    results, engine = [], object()
    threads = [threading.Thread(target=lambda: results.append(health.check(engine, timeout=2)))
               for _ in range(3)]
    for t in threads:
        t.start()
        time.sleep(0.02)
    for t in threads:
        t.join()
    assert [r.ready for r in results] == [True, True, True] and reads == [1]


def test_a_check_of_another_database_is_not_shared(monkeypatch):
    """Only probes of the same database share a running check: one of another database (a restored copy, a
    test's own) gets that database's answer, not the first one's."""
    release = threading.Event()
    stuck, other = object(), object()

    def read(engine):
        if engine is stuck:
            release.wait(5)
            return "无法读取：OperationalError"
        return "ok"
    monkeypatch.setattr(health, "_read", read)
    try:
        first = health.check(stuck, timeout=0.2)
        assert not first.ready and first.detail.startswith("超时")
        second = health.check(other, timeout=2)
        assert second.ready and second.detail == "ok"
    finally:
        release.set()


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


# A rolling upgrade: new code must not serve a database its migration has not reached yet (its queries would
# fail panel by panel); old code keeps serving a database migrated ahead of it (migrations add, they do not
# take away), or the first migrated host would take every old replica out of rotation at once.
@pytest.mark.parametrize("stored, ready, says", [
    (None, True, "ok"),                       # at the code's newest revision
    ("0005", False, "数据库结构版本 0005 落后于程序所需的 0009"),
    ("9999_from_a_newer_release", True, "ok（数据库结构 9999_from_a_newer_release 比程序新）"),
])
def test_readiness_and_the_pages_check_follow_the_schema_revision(empty_engine, stored, ready, says):
    from sqlalchemy import text

    from lib.db import check_database
    from lib.errors import DatabaseUnavailable
    from lib.seed import seed

    seed(empty_engine, with_demo=False)
    if stored:
        with empty_engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": stored})
    result = health.check(empty_engine, timeout=10)
    assert result.ready is ready
    assert result.detail == says if ready else result.detail.startswith(says)
    if ready:
        check_database(empty_engine)
    else:
        with pytest.raises(DatabaseUnavailable, match=f"^{says}：请管理员先运行数据库迁移"):
            check_database(empty_engine)
