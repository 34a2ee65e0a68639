"""A database server that stops answering in the middle of a conversation (its host stuck on storage, paused, or
cut off without the client's kernel noticing): the connection stays open and PostgreSQL's own statement_timeout
cannot fire, because the server does not run. Every statement, commit and pool check still ends in a Chinese
message within seconds (lib/db_deadline.py), never a hang; a commit whose answer never came says it cannot tell
whether it was saved, and sending the same form again stores it once. Runs against a private cluster frozen with
SIGSTOP (never the server on 5432)."""
from __future__ import annotations

import time

import pytest
from fault_helpers import seeded_cluster
from fault_helpers import reset_caches as _reset
from fault_helpers import texts as _texts
from sqlalchemy import event, func, select, text
from streamlit.testing.v1 import AppTest

from lib import auth, db
from lib.errors import DatabaseUnavailable
from lib.models import SiteCheck
from lib.queries.communities import community_names
from lib.writes import file_site_check
from ui import chrome

from test_db_faults import APP, PROMISE_SECONDS

LIMITS = {"DB_STATEMENT_TIMEOUT_SECONDS": "2", "DB_WRITE_TIMEOUT_SECONDS": "2", "DB_CONNECT_TIMEOUT_SECONDS": "2"}


@pytest.fixture(scope="module")
def cluster():
    with seeded_cluster() as c:
        yield c


@pytest.fixture
def engine(cluster, monkeypatch):
    """The app's engine on the private cluster, with 2-second limits (deadlines of 2 + GRACE seconds)."""
    monkeypatch.setenv("DATABASE_URL", cluster.url)
    for name, value in LIMITS.items():
        monkeypatch.setenv(name, value)
    _reset()
    engine = db.get_engine()
    assert community_names(engine=engine), "the server answers before it is frozen"
    yield engine
    engine.dispose()
    monkeypatch.undo()
    _reset()


def _recovered(engine) -> None:
    deadline = time.monotonic() + PROMISE_SECONDS
    while True:
        try:
            assert community_names(engine=engine)
            return
        except DatabaseUnavailable:
            assert time.monotonic() < deadline, "reads did not come back after the server did"
            time.sleep(0.5)


def _read_refused(engine) -> tuple[float, DatabaseUnavailable]:
    """How long a page's read takes to end in the Chinese message, and the message."""
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable) as err:
        community_names(engine=engine)
    return time.monotonic() - started, err.value


def test_a_statement_on_a_frozen_server_ends_in_a_chinese_message(cluster, engine):
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        pids = cluster.freeze()
        try:
            started = time.monotonic()
            with pytest.raises(DatabaseUnavailable) as err:
                conn.execute(text("SELECT count(*) FROM community"))
            elapsed = time.monotonic() - started
        finally:
            cluster.thaw(pids)
    assert elapsed < PROMISE_SECONDS
    assert err.value.message.startswith("数据库 4 秒内没有响应"), err.value.message
    assert "本次操作未写入任何数据" in err.value.message
    _recovered(engine)


def test_a_pooled_connection_to_a_frozen_server_is_given_up_within_seconds(cluster, engine):
    pids = cluster.freeze()  # between two runs: the pool's check of its idle connection meets the frozen server
    try:
        elapsed, error = _read_refused(engine)
    finally:
        cluster.thaw(pids)
    assert elapsed < PROMISE_SECONDS
    assert error.message.startswith("数据库连接超时（2 秒内无响应）"), error.message
    _recovered(engine)


def test_a_commit_without_an_answer_says_so_and_the_same_form_saves_once(cluster, engine):
    admin = auth.create_user("frozenadmin", "Frozen-Test-1", role="街道管理员", display_name="冻结测试",
                             by=auth.SYSTEM, engine=engine, rounds=4)
    finding = "冻结时提交的核查"
    frozen: list[int] = []

    def freeze_once(_conn) -> None:  # the statements reached the server; its answer to COMMIT never comes
        if not frozen:
            frozen.extend(cluster.freeze())

    def submit():
        return file_site_check(admin, community="中兴", category="其他", finding=finding, lon=112.53, lat=33.0,
                               client_token="frozen-form-1", engine=engine)

    event.listen(engine, "commit", freeze_once)
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable) as err:
            submit()
        elapsed = time.monotonic() - started
    finally:
        event.remove(engine, "commit", freeze_once)
        cluster.thaw(frozen)
    assert frozen and elapsed < PROMISE_SECONDS
    assert err.value.message.startswith("数据库 4 秒内没有确认保存"), err.value.message
    assert "未写入" not in err.value.message and "再次提交不会重复记录" in err.value.message
    _recovered(engine)
    submit()  # the user sends the same form again
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SiteCheck).where(SiteCheck.finding == finding)
                            ).scalar_one() == 1


def test_the_app_on_a_frozen_server_shows_the_chinese_message(cluster, engine):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and not at.error
    pids = cluster.freeze()
    try:
        time.sleep(chrome.HEALTH_TTL + 0.1)  # the last good health check expires
        started = time.monotonic()
        at.run(timeout=PROMISE_SECONDS)  # a hang would time out here
        elapsed = time.monotonic() - started
    finally:
        cluster.thaw(pids)
    assert elapsed < PROMISE_SECONDS and not at.exception
    assert _texts(at.error)[0].startswith("看板暂时无法读取数据："), _texts(at.error)


def test_a_connection_handed_back_to_a_frozen_server_is_let_go_at_the_read_deadline(cluster, engine, monkeypatch):
    """Handing a connection back to the pool rolls it back. A rollback never waits on another writer, so it gets
    the reads' deadline, not the writes' (here 20 + 2 s): the end of a page run is not held that long."""
    monkeypatch.setenv("DB_WRITE_TIMEOUT_SECONDS", "20")
    _reset()
    slow_writes = db.get_engine()
    conn = slow_writes.connect()
    conn.execute(text("SELECT 1"))
    pids = cluster.freeze()
    try:
        started = time.monotonic()
        try:
            conn.close()  # the pool's rollback meets the frozen server
        except DatabaseUnavailable as err:  # said in Chinese, as any other end of a round trip
            assert err.message.startswith("数据库 4 秒内没有响应"), err.message
        elapsed = time.monotonic() - started
    finally:
        cluster.thaw(pids)
        slow_writes.dispose()
    assert elapsed < 8, elapsed  # the read deadline: 2 + 2 s
    _recovered(slow_writes)


def test_after_a_round_trip_ends_at_its_deadline_new_connections_fail_at_once(cluster, engine):
    """A server that froze mid-import: the import ended at its deadline with a Chinese message, then the page's next
    run opened a fresh connection and waited its whole connect timeout before saying so (15 s in all against the
    promised ~10). A round trip ended at its deadline now starts the fail-fast window a failed connect starts."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        pids = cluster.freeze()
        try:
            with pytest.raises(DatabaseUnavailable):
                conn.execute(text("SELECT count(*) FROM community"))
            engine.dispose()  # no idle connection left: the next run connects afresh
            elapsed, error = _read_refused(engine)
        finally:
            cluster.thaw(pids)
    assert elapsed < 1, elapsed
    assert "没有响应" in error.message and "已保存" not in error.message, error.message
    time.sleep(db.FAIL_FAST_SECONDS)
    _recovered(engine)
