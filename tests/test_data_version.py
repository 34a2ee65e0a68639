"""lib.data_version: changes with every write (seed included); caches keyed on it."""
from __future__ import annotations

import streamlit as st

from lib import auth, data_version
from lib.seed import seed
from lib.writes.community import record_star_assessment


def test_version_changes_with_each_write(empty_engine):
    seed(empty_engine)
    v0 = data_version.read(empty_engine)
    assert data_version.read(empty_engine) == v0
    admin = auth.create_user("dvadmin", "Data-Version-1", role="街道管理员", by=auth.SYSTEM, engine=empty_engine,
                             rounds=4)
    v1 = data_version.read(empty_engine)  # the account's audit row is a data change (audit page)
    record_star_assessment(admin, community="中兴", star="支部过硬星", status="已达标", engine=empty_engine)
    v2 = data_version.read(empty_engine)
    assert v2 != v1 != v0


def test_keyed_caches_do_not_collide_and_follow_the_version():
    calls: list[str] = []

    def a(x):
        calls.append("a")
        return ("a", x)

    def b(x):
        calls.append("b")
        return ("b", x)

    ca = st.cache_data(data_version.keyed(a))
    cb = st.cache_data(data_version.keyed(b))
    assert ca(1, 5) == ("a", 5) and cb(1, 5) == ("b", 5)
    assert ca(1, 5) == ("a", 5) and calls == ["a", "b"]  # cached
    assert ca(2, 5) == ("a", 5) and calls == ["a", "b", "a"]  # a new version recomputes
    st.cache_data.clear()


def test_current_follows_writes_and_survives_a_missing_database(tmp_path, monkeypatch):
    import time

    from db_helpers import fresh_engine

    from lib.errors import DatabaseUnavailable

    engine = fresh_engine("sqlite", tmp_path)
    seed(engine)
    monkeypatch.setattr(data_version, "get_engine", lambda: engine)
    seen: list[int] = []
    monkeypatch.setattr(data_version, "_listeners", [lambda: seen.append(1)])
    first = data_version.current()
    assert first == data_version.read(engine)
    admin = auth.create_user("dv2", "Data-Version-2", role="街道管理员", by=auth.SYSTEM, engine=engine, rounds=4)
    record_star_assessment(admin, community="西华", star="支部过硬星", status="已达标", engine=engine)
    time.sleep(data_version.POLL_SECONDS + 0.05)
    assert data_version.current() == data_version.read(engine) != first
    assert seen == [1], "listeners (emptying the other caches) ran once for the new version"

    def broken():
        raise DatabaseUnavailable("数据库无法连接")
    monkeypatch.setattr(data_version, "get_engine", broken)
    assert data_version.current() is None


def test_token_follows_every_new_version(monkeypatch):
    """token() joins a version once and reuses the text while the version is the same object."""
    versions = iter([(1, 2), (1, 2), (1, 3), (1, 3)])
    seen = []
    monkeypatch.setattr(data_version, "current", lambda: seen[-1])
    for v in versions:
        seen.append(v)
        assert data_version.token() == ",".join(map(str, v))
    seen.append(None)
    assert data_version.token() is None


def test_a_database_replaced_under_the_same_address_is_read_again_at_once(tmp_path, monkeypatch):
    """A database dropped and re-created at the same URL (a test's fresh copy of one template; a restore) can
    carry the very version an earlier one had: `forget()` drops the version this process holds and empties
    what was kept under it, so the next run reads the new database instead of serving the old one's results
    for up to POLL_SECONDS (seen: the profiles page missing a figure just entered, in a fast full run)."""
    from db_helpers import fresh_engine

    engine = fresh_engine("sqlite", tmp_path)
    seed(engine, with_demo=False)
    monkeypatch.setattr(data_version, "get_engine", lambda: engine)
    emptied: list[int] = []
    monkeypatch.setattr(data_version, "_listeners", [lambda: emptied.append(1)])
    reads: list[int] = []
    real_read = data_version.read
    monkeypatch.setattr(data_version, "read", lambda e=None: reads.append(1) or real_read(e))
    data_version.current()
    data_version.current()  # fresh for POLL_SECONDS: not read again
    assert reads == [1]
    data_version.forget()
    assert emptied == [1]
    assert data_version.current() == real_read(engine) and reads == [1, 1]
