"""A replica that stops in the middle of a write (frozen, or cut off from the database by the network) holds its
row locks while its transaction stays open: every other replica's write to those rows — the same form sent again
after a failover — waited behind it until the server's TCP keepalive gave up, hours later. PostgreSQL now ends a
transaction idle for DB_IDLE_TRANSACTION_SECONDS (lib.db), which lets the locks go; the frozen side, if it comes
back, gets a Chinese message. A backup's snapshot transaction, idle while pg_dump runs, is exempt."""
from __future__ import annotations

import time

import psycopg
import pytest
from db_helpers import fresh_engine
from fault_helpers import reset_caches as _reset
from sqlalchemy import text

from lib import backup, config, db
from lib.errors import DatabaseUnavailable
from lib.seed import seed


@pytest.fixture
def pg_url(tmp_path, monkeypatch):
    """An empty PostgreSQL database; `limited()` then gives its engine a 1-second idle limit."""
    url = fresh_engine("postgresql", tmp_path).url.render_as_string(hide_password=False)
    yield url
    db.get_engine(url).dispose()
    monkeypatch.undo()
    _reset()


def limited(url: str, monkeypatch):
    db.get_engine(url).dispose()
    monkeypatch.setenv("DB_IDLE_TRANSACTION_SECONDS", "1")
    _reset()
    return db.get_engine(url)


def test_a_transaction_left_open_lets_its_locks_go(pg_url, monkeypatch):
    raw = pg_url.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(raw, autocommit=True) as setup:
        setup.execute("CREATE TABLE held (id int PRIMARY KEY, note text)")
        setup.execute("INSERT INTO held VALUES (1, 'before')")
    engine = limited(pg_url, monkeypatch)
    frozen = engine.connect()
    frozen.execute(text("SELECT id FROM held WHERE id = 1 FOR UPDATE"))  # then it goes quiet, lock held
    try:
        with psycopg.connect(raw, autocommit=True) as other:
            other.execute("SET lock_timeout = '8s'")
            started = time.monotonic()
            other.execute("UPDATE held SET note = 'after' WHERE id = 1")  # waited for ever before
            assert time.monotonic() - started < 5
        with pytest.raises(DatabaseUnavailable) as err:
            frozen.execute(text("SELECT 1"))
        assert err.value.message.startswith("数据库连接在事务中闲置超过 1 秒，已被数据库关闭"), err.value.message
        assert "本次操作未写入任何数据" in err.value.message
    finally:
        frozen.close()


def test_a_backup_outlives_the_idle_limit_while_pg_dump_runs(pg_url, tmp_path, monkeypatch):
    seed(db.get_engine(pg_url))
    engine = limited(pg_url, monkeypatch)
    real_run = backup.subprocess.run

    def slow_dump(*args, **kwargs):  # a dump longer than the limit, while the snapshot's transaction waits
        time.sleep(2)
        return real_run(*args, **kwargs)

    monkeypatch.setattr(backup.subprocess, "run", slow_dump)
    path = backup.backup(tmp_path / "backups", engine=engine)
    assert path.exists() and path.with_name(path.name + ".json").exists()
    assert config.settings().db_idle_transaction_seconds == 1
