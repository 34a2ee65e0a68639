"""Query results kept per data version and shared by all sessions (ui/kept.py, issue #15): a reader's edits
never reach the kept result, a write still shows at once, and pages show the same values as before."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from ui import kept


def _frame():
    return pd.DataFrame({"community": ["中兴", "西华"], "stars": [3, 5]})


def test_edits_to_a_handed_out_frame_leave_the_kept_one_as_it_was():
    calls = []

    def q(n):
        calls.append(n)
        return _frame()

    read = kept.kept(q, ttl=60)
    read.clear()
    a = read(1)
    a["stars"] = [0, 0]
    a["extra"] = 1
    a.loc[0, "community"] = "改"
    a.index = [9, 8]  # an in-place relabelling (sort_values(inplace=True) is deprecated in pandas 3.1)
    del a["extra"]
    b = read(1)
    assert calls == [1]  # kept: not queried again
    pd.testing.assert_frame_equal(b, _frame())
    arr = b["stars"].to_numpy()
    assert not arr.flags.writeable
    with pytest.raises(ValueError):
        arr[0] = 99  # a write through numpy fails loudly rather than changing the shared frame
    assert read(1)["stars"].tolist() == [3, 5]


def test_containers_are_handed_out_as_new_containers_and_frozen_values_as_is():
    @dataclasses.dataclass(frozen=True)
    class Fig:
        value: int

    fig = Fig(3)
    value = {"rows": [_frame(), fig], "day": dt.date(2026, 12, 5), "pair": ("中兴", 3)}
    read = kept.kept(lambda: value, ttl=60)
    read.clear()
    out = read()
    out["rows"].append("x")
    out["rows"][0]["stars"] = [9, 9]
    out["new"] = 1
    again = read()
    assert set(again) == {"rows", "day", "pair"} and len(again["rows"]) == 2
    assert again["rows"][0]["stars"].tolist() == [3, 5]
    assert again["rows"][1] is fig and again["day"] == dt.date(2026, 12, 5)


def test_a_new_data_version_reads_afresh(monkeypatch):
    from lib import data_version

    token = {"v": "db|1"}
    monkeypatch.setattr(data_version, "source_token", lambda: token["v"])
    calls = []

    def q():
        calls.append(token["v"])
        return _frame().assign(stars=[len(calls), 0])

    read = kept.kept(q, ttl=60)
    read.clear()
    assert read()["stars"].iloc[0] == 1 and read()["stars"].iloc[0] == 1
    token["v"] = "db|2"  # a write anywhere changes the version
    assert read()["stars"].iloc[0] == 2
    assert calls == ["db|1", "db|2"]


def test_bridge_queries_are_kept_and_a_reader_edit_stays_local(app_db):
    """The dashboard's queries through the bridge: one result kept, a reader's edits stay local."""
    from ui import bridge

    bridge.clear_caches()
    first = bridge.star_matrix()
    n, index = len(first), first.index.copy()
    first.index = index[::-1]  # an in-place relabelling (sort_values(inplace=True) is deprecated in pandas 3.1)
    first["bogus"] = 1
    again = bridge.star_matrix()
    assert len(again) == n > 0 and "bogus" not in again.columns and again.index.equals(index)
    for col in again.columns:  # numbers come out read-only; text columns (pandas str) come out as copies
        arr = again[col].to_numpy()
        if arr.flags.writeable:
            arr[:] = None
    pd.testing.assert_frame_equal(bridge.star_matrix(), again)
    assert bridge.list_communities() is not bridge.list_communities()  # a fresh view each read …
    pd.testing.assert_frame_equal(bridge.list_communities(), bridge.list_communities())  # … of one result


def test_a_write_in_the_database_shows_on_the_next_read(app_db, tmp_path, monkeypatch):
    """No cache clearing: the write changes the data version, and the kept result is read afresh."""
    import sqlite3

    from sqlalchemy.engine import make_url

    from lib import config, data_version, db
    from tests.test_care_overview import add_home
    from ui import bridge

    target = tmp_path / "kept.db"
    src, dst = sqlite3.connect(make_url(app_db).database), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{target}")
    monkeypatch.setattr(data_version, "POLL_SECONDS", 0.0)
    config.settings.cache_clear()
    db.get_engine.cache_clear()
    try:
        before = bridge.care_facilities()
        assert "测试养老院" not in set(before["name"])
        assert bridge.care_facilities() is not before and len(bridge.care_facilities()) == len(before)
        add_home(db.get_engine(f"sqlite:///{target}"))
        after = bridge.care_facilities()
        assert "测试养老院" in set(after["name"]) and len(after) == len(before) + 1
    finally:
        monkeypatch.undo()
        config.settings.cache_clear()
        db.get_engine.cache_clear()
        bridge.clear_caches()


def test_simple_arguments_are_keyed_as_one_text_and_kept_apart_by_type_and_value(monkeypatch):
    """A kept read hashes one key text (Streamlit's hasher costs a call per argument name and value, and an
    inspect.signature per positional one): equal arguments share an entry, positional or keyword; values that
    print alike but differ in type or order do not."""
    from streamlit.runtime.caching import cache_utils

    calls = []

    def q(community=None, as_of=None, kinds=()):
        calls.append((community, as_of, kinds))
        return len(calls)

    read = kept.kept(q, ttl=60)
    read.clear()
    monkeypatch.setattr(kept.data_version, "source_token", lambda: "db|1")
    day = dt.date(2024, 1, 1)
    assert read("中兴", day) == read(community="中兴", as_of=day) == 1
    assert read("中兴", dt.datetime(2024, 1, 1)) == 2  # a datetime is not the date
    assert read("1") == 3 and read(1) == 4 and read(None) == 5 and read("None") == 6
    assert read(kinds=("a", "b")) == 7 and read(kinds=("b", "a")) == 8 and read(kinds=("a", "b")) == 7
    hashed = []
    real = cache_utils.update_hash
    monkeypatch.setattr(cache_utils, "update_hash", lambda v, **kw: (hashed.append(v), real(v, **kw))[1])
    assert read("中兴", day) == 1
    assert hashed == []  # a dict lookup on the key text: Streamlit's hasher is not called at all
    monkeypatch.setattr(kept.data_version, "source_token", lambda: "db|2")  # a write anywhere: read afresh
    assert read("中兴", day) == 9


def test_other_arguments_still_key_by_content():
    calls = []

    def q(frame):
        calls.append(1)
        return int(frame["stars"].sum())

    read = kept.kept(q, ttl=60)
    read.clear()
    assert read(_frame()) == 8 and read(_frame()) == 8 and len(calls) == 1
    assert read(_frame().assign(stars=[1, 1])) == 2 and len(calls) == 2


def test_a_scope_is_a_plain_argument():
    """bridge.header / summary_panel take a Scope: kept under its text, apart by community and date."""
    from lib.scope import Scope

    calls = []
    read = kept.kept(lambda s: calls.append(s) or len(calls), ttl=60)
    a, b, c = Scope("中兴", None), Scope("中兴", dt.date(2024, 1, 1)), Scope(None, None)
    assert [read(a), read(b), read(c), read(a), read(Scope.of("中兴社区"))] == [1, 2, 3, 1, 1]
    assert len(read.store) == 3


def test_store_keeps_the_newest_entries_for_their_time(monkeypatch):
    now = {"t": 100.0}
    monkeypatch.setattr(kept.time, "monotonic", lambda: now["t"])
    store = kept.Store(ttl=10, max_entries=2)
    made = []

    def make(v):
        return lambda: made.append(v) or v

    assert [store.get("a", make("a")), store.get("b", make("b")), store.get("a", make("x"))] == ["a", "b", "a"]
    store.get("c", make("c"))  # a third key: "b", read least recently, goes
    assert store.get("b", make("b2")) == "b2" and made == ["a", "b", "c", "b2"]
    now["t"] += 10  # past the ttl: computed again
    assert store.get("a", make("a2")) == "a2"
    kept.clear_all()
    assert len(store) == 0


def test_store_computes_a_missing_value_once_for_concurrent_readers():
    import threading
    import time

    store = kept.Store(ttl=60, max_entries=8)
    calls, started = [], threading.Event()

    def slow():
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return "v"

    out = []
    readers = [threading.Thread(target=lambda: out.append(store.get("k", slow))) for _ in range(8)]
    for r in readers:
        r.start()
    for r in readers:
        r.join()
    assert out == ["v"] * 8 and calls == [1]


def test_store_keeps_nothing_when_the_computation_fails():
    store = kept.Store(ttl=60, max_entries=8)

    def broken():
        raise RuntimeError("数据库无法连接")

    with pytest.raises(RuntimeError):
        store.get("k", broken)
    assert len(store) == 0 and store.get("k", lambda: 3) == 3  # the next reader computes afresh


def test_store_computes_once_even_for_a_reader_arriving_as_the_first_finishes(monkeypatch):
    """The value is kept, and the key no longer marked as computing, in one step: a reader arriving between the
    two once computed the value a second time."""
    store = kept.Store(ttl=60, max_entries=8)
    calls = []
    real_lock = store._lock

    class Watching:
        """The store's lock; after the computation's first release, another reader comes in."""

        def __init__(self):
            self.after_compute = False

        def __enter__(self):
            return real_lock.__enter__()

        def __exit__(self, *exc):
            out = real_lock.__exit__(*exc)
            if self.after_compute and calls == [1]:
                self.after_compute = False
                store.get("k", lambda: calls.append(2) or "again")
            return out

    watching = Watching()
    store._lock = watching

    def compute():
        calls.append(1)
        watching.after_compute = True
        return "v"

    assert store.get("k", compute) == "v"
    assert calls == [1] and store.get("k", compute) == "v"


@pytest.mark.parametrize("arg", ["plain", pd.DataFrame({"a": [1]})], ids=["text-keyed", "hashed"])
def test_a_kept_result_does_not_outlive_its_day(arg):
    """Results that count days up to today (alerts, countdowns, a pack's 生成时间) are kept per day too: a wall left on
    over midnight (China time) with no write showed yesterday's until the six-hour TTL."""
    from unittest import mock

    from lib import clock

    def days_left(_arg) -> dt.date:
        return clock.today()

    q = kept.kept(days_left, ttl=3600)
    evening = dt.datetime(2026, 12, 7, 15, 59)  # naive UTC: 23:59 in China
    with mock.patch.object(clock, "now_utc", return_value=evening):
        assert q(arg) == dt.date(2026, 12, 7)
    with mock.patch.object(clock, "now_utc", return_value=evening + dt.timedelta(minutes=2)):
        assert q(arg) == dt.date(2026, 12, 8)
