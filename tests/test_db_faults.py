"""Database faults: a hung server, a stopped and restarted server, a read-only database, NUL in text and a
writer killed with SIGKILL mid-import. Each must end in a Chinese message (or a quiet placeholder on the big
screen), never a hang, a traceback or a half-written import."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fault_helpers import reset_caches as _reset, texts as _texts
import streamlit as st
from abuse_helpers import assert_unchanged, row_counts
from fault_helpers import hung_server, seeded_cluster
from kpi_cards import grid_cards
from sqlalchemy import text
from sqlalchemy.engine import make_url
from staff_apptest import form_sign_in
from staff_fixtures import PASSWORD, _staff_templates, world  # noqa: F401
from streamlit.testing.v1 import AppTest

from lib import auth, config, db, db_errors, ledger
from lib.db import session_scope
from lib.errors import DashboardError, DatabaseUnavailable, ValidationError
from lib.models import AuditLog
from lib.queries.communities import community_names
from lib.writes import file_site_check
from ui import chrome

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PROMISE_SECONDS = 10  # the promise: a Chinese message within 10 s


@pytest.fixture
def app_url(monkeypatch):
    """Point the app (and lib.config) at a database URL; caches are reset before and after."""
    def point(url: str, **env: str) -> None:
        monkeypatch.setenv("DATABASE_URL", url)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        _reset()
    yield point
    monkeypatch.undo()
    _reset()


def _dashboard(at) -> bool:
    """The overview drew its figures: st.metric cards or the one-element KPI grid (ui/kpi_grid.py)."""
    return bool(at.metric or grid_cards(at))


# ---- a server that accepts the connection and never answers ----
def test_hung_database_gives_chinese_message_within_timeout_data_layer(app_url):
    with hung_server() as port:
        app_url(f"postgresql+psycopg://postgres@127.0.0.1:{port}/guangwu", DB_CONNECT_TIMEOUT_SECONDS="2")
        engine = db.get_engine()
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable) as read_err:
            community_names(engine=engine)
        with pytest.raises(DatabaseUnavailable) as write_err:  # a write (the sign-in audit row) as well
            auth.authenticate("admin", PASSWORD, engine=engine)
        elapsed = time.monotonic() - started
    assert read_err.value.message.startswith("数据库连接超时（2 秒内无响应）")
    assert "数据库连接超时" in write_err.value.message
    assert elapsed < PROMISE_SECONDS, "the second call fails at once instead of waiting again"


def test_hung_database_app_shows_chinese_message(app_url):
    with hung_server() as port:
        app_url(f"postgresql+psycopg://postgres@127.0.0.1:{port}/guangwu", DB_CONNECT_TIMEOUT_SECONDS="2")
        at = AppTest.from_file(APP, default_timeout=PROMISE_SECONDS).run()  # a hang would time out here
        assert not at.exception
        assert _texts(at.error) == [_texts(at.error)[0]] and _texts(at.error)[0].startswith(
            "看板暂时无法读取数据：数据库连接超时")
        st.cache_data.clear()
        screen = AppTest.from_file(APP, default_timeout=PROMISE_SECONDS)
        screen.query_params["screen"] = "1"
        screen.run()
    assert not screen.exception and not screen.error, "the wall shows a quiet placeholder, not an error"
    assert "数据暂时无法显示，稍后自动重试。" in _texts(screen.caption)


def test_default_timeouts_keep_the_promise():
    defaults = config.Settings()
    assert defaults.db_connect_timeout_seconds < PROMISE_SECONDS
    assert defaults.db_statement_timeout_seconds < PROMISE_SECONDS  # page reads
    # a write's statement, plus the deadline's 2 s grace (lib.db_deadline): a server frozen mid-write (was 30 + 2 s)
    assert defaults.db_write_timeout_seconds + 2 <= PROMISE_SECONDS
    assert defaults.db_lock_wait_seconds < PROMISE_SECONDS


# ---- a database that answers but a statement waits on another writer's lock ----
def test_write_blocked_by_a_lock_ends_in_chinese_message(world, monkeypatch):
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT_SECONDS", "1")
    monkeypatch.setenv("DB_WRITE_TIMEOUT_SECONDS", "3")  # the lock wait (1 s) ends first: lock_timeout
    monkeypatch.setenv("DB_LOCK_WAIT_SECONDS", "1")
    _reset()
    url = world.engine.url.render_as_string(hide_password=False)
    engine = db.get_engine(url)  # a new engine with the 1-second settings
    before = row_counts(world.engine)
    blocker = world.engine.connect()
    try:  # another writer holds the lock (SQLite: the database; PostgreSQL: the account's row)
        if world.backend == "sqlite":
            blocker.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            blocker.execute(text("SELECT 1 FROM app_user WHERE username = 'zx' FOR UPDATE"))
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable) as err:
            auth.set_password("zx", "another-pass-9", by=world.admin, engine=engine, rounds=4)
        elapsed = time.monotonic() - started
    finally:
        blocker.rollback()
        blocker.close()
        engine.dispose()
        monkeypatch.undo()
        _reset()
    assert err.value.message.startswith("数据库正忙（其他人正在写入，等待 1 秒仍未完成）"), err.value.message
    assert "本次操作未写入任何数据" in err.value.message
    assert elapsed < PROMISE_SECONDS
    assert_unchanged(world.engine, before)
    assert auth.authenticate("zx", PASSWORD, engine=world.engine) == world.staff, "the old password still holds"


# ---- a server stopped and restarted (a private cluster on its own port; never the one on 5432) ----
@pytest.fixture(scope="module")
def cluster():
    with seeded_cluster() as c:
        yield c


def test_database_stopped_and_restarted(cluster, app_url):
    app_url(cluster.url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and not at.error and _dashboard(at), "the overview draws while the server runs"
    cluster.stop()
    try:
        time.sleep(chrome.HEALTH_TTL + 0.1)  # the last good health check expires
        at.run()
        assert not at.exception and not _dashboard(at)
        assert _texts(at.error)[0].startswith("看板暂时无法读取数据：数据库无法连接")
        with pytest.raises(DatabaseUnavailable, match="数据库无法连接"):
            community_names(engine=db.get_engine())
        data = "机构,日期,入住人数\r\n光武街道综合养老服务中心,2015-01-01,40\r\n".encode()
        with pytest.raises(DatabaseUnavailable, match="数据库无法连接"):  # the ledger preview during an outage
            ledger.read_ledger(data, "入住.csv", "每日入住", engine=db.get_engine())
    finally:
        cluster.start()
    # Recovery within 5 s: the failed health check is kept HEALTH_TTL s, the fail-fast window FAIL_FAST_SECONDS.
    assert chrome.HEALTH_TTL + db.FAIL_FAST_SECONDS < 5
    time.sleep(max(chrome.HEALTH_TTL, db.FAIL_FAST_SECONDS) + 0.1)
    at.run()
    assert not at.exception and not at.error and _dashboard(at), "pages recover on the first run after the wait"


# ---- read-only databases ----
def _read_only_sqlite(engine) -> str:
    path = make_url(engine.url.render_as_string(hide_password=False)).database
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def _read_only(world) -> object:
    if world.backend == "sqlite":
        return db.get_engine(_read_only_sqlite(world.engine))
    name = world.engine.url.database
    with world.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    world.engine.dispose()
    return world.engine


def test_read_only_database_says_read_only(world):
    before = row_counts(world.engine)
    engine = _read_only(world)
    assert community_names(engine=engine), "reading still works"
    with pytest.raises(DatabaseUnavailable) as err:
        file_site_check(world.staff, community="中兴", category="其他", finding="只读测试", lon=112.53, lat=33.01,
                        engine=engine, today=world.today)
    assert err.value.message.startswith("数据库当前为只读") and "本次操作未写入任何数据" in err.value.message
    with pytest.raises(DatabaseUnavailable, match="只读"):  # the sign-in audit row cannot be written either
        auth.authenticate("zx", PASSWORD, engine=engine)
    data = "机构,日期,入住人数\r\n光武街道综合养老服务中心,2015-01-01,40\r\n".encode()
    with pytest.raises(DatabaseUnavailable, match="只读"):  # the ledger preview's dry run: one message, not per row
        ledger.read_ledger(data, "入住.csv", "每日入住", actor=world.admin, engine=engine, today=world.today)
    assert_unchanged(world.engine, before)


def test_read_only_sqlite_in_the_app(world, app_url):
    if world.backend != "sqlite":
        pytest.skip("the app test needs only one backend")
    app_url(_read_only_sqlite(world.engine))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and not at.error and _dashboard(at), "a read-only database still shows the dashboards"
    at.switch_page("pages/account.py").run()
    form_sign_in(at, "zx")
    assert not at.exception
    assert any(t.startswith("数据库当前为只读") for t in _texts(at.error)), _texts(at.error)


# ---- NUL in text (PostgreSQL refuses it; SQLite would store it): the data layer's own guard ----
def test_nul_in_text_is_refused_by_the_data_layer(world):
    """Forms check each field first (lib/writes); any write that still carries a NUL is refused in lib.db."""
    before = row_counts(world.engine)
    with pytest.raises(ValidationError) as err, session_scope(world.engine) as s:
        s.add(AuditLog(username="zx", action="insert", table_name="site_check", record_key="井盖\x00破损"))
        s.flush()
    assert err.value.message.startswith("输入的文字中含有空字符（NUL），未保存") and err.value.details == ["字段：record_key"]
    assert_unchanged(world.engine, before)


# ---- kill -9 mid-import ----
ROWS = 150  # dates from 2015-01-01, long before the seeded occupancy
CHILD = r"""
import datetime as dt, sys, time
from sqlalchemy import event
from lib import db, ledger
from lib.auth import Actor
url, marker, when = sys.argv[1:4]
engine = db.get_engine(url)
rows = "".join(f"光武街道综合养老服务中心,{dt.date(2015, 1, 1) + dt.timedelta(days=i)},40\r\n" for i in range(ROWS))
data = ("机构,日期,入住人数\r\n" + rows).encode("utf-8")
admin = Actor("admin", "街道管理员", "街道管理员", None)
preview = ledger.read_ledger(data, "大台账.csv", "每日入住", actor=admin, engine=engine, today=dt.date(2024, 3, 1))
assert preview.ok and preview.inserts == ROWS, preview.errors[:3]

def pause(*_):  # tell the parent where we are, then wait to be killed
    open(marker, "w").close()
    time.sleep(120)

if when == "commit":
    event.listen(engine, "commit", pause)  # right before COMMIT goes to the database
else:
    def inserted(conn, cursor, statement, *_):
        if statement.startswith("INSERT INTO care_occupancy"):  # rows already inserted in the open transaction
            pause()
    event.listen(engine, "after_cursor_execute", inserted)
ledger.commit_ledger(admin, preview, engine=engine, today=dt.date(2024, 3, 1))
print("committed")
""".replace("ROWS", str(ROWS))


@pytest.mark.parametrize("when", ["flush", "commit"])
def test_kill_9_mid_import_leaves_nothing(world, tmp_path, when):
    before = row_counts(world.engine)
    marker = tmp_path / "inside"
    url = world.engine.url.render_as_string(hide_password=False)
    child = subprocess.Popen([sys.executable, "-c", CHILD, url, str(marker), when], cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, child.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the child never reached the commit"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    world.engine.dispose()
    assert_unchanged(world.engine, before)
    with world.engine.connect() as conn:
        if world.backend == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    # The database takes writes afterwards (no lock left), and the killed import's first row is new to it.
    data = "机构,日期,入住人数\r\n光武街道综合养老服务中心,2015-01-01,40\r\n".encode()
    preview = ledger.read_ledger(data, "一行.csv", "每日入住", actor=world.admin, engine=world.engine,
                                 today=world.today)
    result = ledger.commit_ledger(world.admin, preview, engine=world.engine, today=world.today)
    assert (result.inserted, result.unchanged) == (1, 0)


def test_every_database_error_maps_to_a_chinese_domain_error():
    """The one mapping (lib.db_errors.database_error) on driver errors of both backends."""
    import sqlite3

    import psycopg
    from sqlalchemy.exc import DataError, IntegrityError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    def sa(cls, orig):
        return cls("SELECT 1", {}, orig)

    class PgError(psycopg.OperationalError):
        def __init__(self, msg, state):
            self._state = state
            super().__init__(msg)

        @property
        def sqlstate(self):
            return self._state

    ro = sqlite3.OperationalError("attempt to write a readonly database")
    ro.sqlite_errorname = "SQLITE_READONLY"
    busy = sqlite3.OperationalError("database is locked")
    busy.sqlite_errorname = "SQLITE_BUSY"
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorname = "SQLITE_FULL"
    cases = [
        (sa(OperationalError, ro), DatabaseUnavailable, "数据库当前为只读"),
        (sa(OperationalError, PgError("cannot execute INSERT in a read-only transaction", "25006")),
         DatabaseUnavailable, "数据库当前为只读"),
        (sa(OperationalError, PgError("canceling statement due to statement timeout", "57014")),
         DatabaseUnavailable, "数据库响应超时"),
        (sa(OperationalError, busy), DatabaseUnavailable, "数据库正忙"),
        (sa(OperationalError, full), DatabaseUnavailable, "磁盘已满"),
        (sa(OperationalError, PgError("could not write: No space left on device", "53100")), DatabaseUnavailable,
         "磁盘已满"),
        (sa(OperationalError, PgError("connection timeout expired", None)), DatabaseUnavailable, "数据库连接超时"),
        (sa(OperationalError, PgError("terminating connection due to administrator command", "57P01")),
         DatabaseUnavailable, "数据库无法连接"),
        (sa(DataError, psycopg.DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")),
         ValidationError, "空字符"),
        (sa(DataError, PgError("value too long for type character varying(40)", "22001")), ValidationError,
         "文字过长"),
        (sa(IntegrityError, sqlite3.IntegrityError("UNIQUE constraint failed")), ValidationError, "与已有记录冲突"),
        (PoolTimeout("QueuePool limit"), DatabaseUnavailable, "没有空闲连接"),
    ]
    for exc, cls, message in cases:
        mapped = db_errors.database_error(exc)
        assert isinstance(mapped, cls) and message in mapped.message, (exc, mapped)
    assert db_errors.database_error(ValueError("not a database error")) is None
    same = DashboardError("已有的中文消息")
    assert db_errors.database_error(same) is same


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_failed_statement_does_not_carry_residents_data_into_the_logs(backend, tmp_path):
    """An unexpected database error is logged with its traceback (ui/page_guard, ui/flash, ui/widgets.guard), and
    SQLAlchemy wrote every parameter of the statement into the error's text: a resident's name, phone number or a
    site check's finding went to the journal with it. The engines now hide parameters (hide_parameters=True)."""
    import traceback

    from db_helpers import fresh_engine
    from sqlalchemy.exc import IntegrityError

    from lib.models import AppSetting, Base

    engine = fresh_engine(backend, tmp_path)
    Base.metadata.create_all(engine, tables=[AppSetting.__table__])
    marker = "张某某 13812345678"
    raised = []
    for statement in (text("INSERT INTO no_such_table (x) VALUES (:v)"),
                      text("INSERT INTO app_setting (key, value, updated_at) VALUES ('k', :v, CURRENT_TIMESTAMP)")):
        for _ in range(2):  # the second insert of the same key breaks the unique key
            try:
                with engine.begin() as conn:
                    conn.execute(statement, {"v": marker})
            except Exception as exc:  # noqa: BLE001
                raised.append(exc)
                break
    assert len(raised) == 2 and any(isinstance(e, IntegrityError) for e in raised), raised
    for exc in raised:
        logged = "".join(traceback.format_exception(exc))  # what log.exception writes, causes included
        assert marker not in logged and "13812345678" not in logged, logged
