"""预警 (lib.alerts): each alert appears when its condition holds and disappears when it no longer does,
on SQLite and PostgreSQL, driven through the real write functions."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import alerts as alerts_mod
from lib import writes
from lib.alerts import NO_ALERTS, alerts
from lib.config import Settings

D = dt.date


@pytest.fixture
def tuned(monkeypatch):
    """Pin the thresholds the tests reason about (whatever the environment sets)."""
    def apply(**kw):
        monkeypatch.setattr(alerts_mod, "settings", lambda: replace(Settings(), **kw))
    apply(care_free_beds_warning=3, stale_days=30)
    return apply


def kinds(found, kind):
    return [a for a in found if a.kind == kind]


def test_free_beds_alert_follows_the_latest_report(world, tuned):
    e, day = world.engine, D(2024, 2, 1)
    writes.record_occupancy(world.admin, facility="care_centre", day=day, occupied=49, engine=e, today=world.today)
    low = kinds(alerts(as_of=day, engine=e), "free_beds")
    assert [(a.community, a.on) for a in low] == [("中兴", day)]
    assert "空床1张" in low[0].text and "预警线3张" in low[0].text
    assert low[0].line.startswith("中兴 · 空床不足：") and "2024年2月1日" in low[0].line
    # scoped: another community has no such alert
    assert kinds(alerts(community="光彩", as_of=day, engine=e), "free_beds") == []
    # the next day's report frees beds: the alert is gone (and the earlier date still shows it)
    writes.record_occupancy(world.admin, facility="care_centre", day=day + dt.timedelta(days=1), occupied=40,
                            engine=e, today=world.today)
    assert kinds(alerts(as_of=day + dt.timedelta(days=1), engine=e), "free_beds") == []
    assert len(kinds(alerts(as_of=day, engine=e), "free_beds")) == 1
    # the threshold is configuration
    tuned(care_free_beds_warning=11, stale_days=30)
    assert len(kinds(alerts(as_of=day + dt.timedelta(days=1), engine=e), "free_beds")) == 1


def test_overdue_and_open_checks_appear_and_clear(world, tuned, monkeypatch):
    e = world.engine
    monkeypatch.setattr("lib.clock.now_utc", lambda: dt.datetime(2024, 2, 10, 2, 0))  # filed on 2024-02-10
    res = writes.file_site_check(world.admin, community="中兴", category="环境卫生", finding="楼道堆放杂物",
                                 lon=112.52, lat=33.0, due_on=D(2024, 2, 20), client_token="alert-1",
                                 engine=e, today=world.today)
    ref = world.today  # 2024-03-01: after the deadline
    found = alerts(community="中兴", as_of=ref, engine=e)
    overdue, open_ = kinds(found, "overdue"), kinds(found, "open_checks")
    assert [(a.community, a.on) for a in overdue] == [("中兴", D(2024, 2, 20))]
    assert overdue[0].text.startswith("1项整改已过期限") and "2024年2月20日" in overdue[0].text
    assert len(open_) == 1 and open_[0].text.startswith("1项现场核查未办结")
    assert found.index(overdue[0]) < found.index(open_[0])  # most urgent first
    # before the deadline it is open but not overdue; before it was filed, neither
    before = alerts(community="中兴", as_of=D(2024, 2, 19), engine=e)
    assert kinds(before, "overdue") == [] and len(kinds(before, "open_checks")) == 1
    assert kinds(alerts(community="中兴", as_of=D(2024, 2, 9), engine=e), "open_checks") == []
    # in progress: still both; 已办结: both gone
    writes.update_site_check(world.admin, res.id, status="整改中", engine=e, today=world.today)
    assert len(kinds(alerts(community="中兴", as_of=ref, engine=e), "overdue")) == 1
    writes.update_site_check(world.admin, res.id, status="已办结", engine=e, today=world.today)
    found = alerts(community="中兴", as_of=ref, engine=e)
    assert kinds(found, "overdue") == [] and kinds(found, "open_checks") == []


def test_seed_open_checks_are_counted_per_community(world, tuned):
    found = alerts(as_of=D(2023, 11, 22), engine=world.engine)
    per = {a.community: a for a in kinds(found, "open_checks")}
    assert per, "the seed has open checks"
    assert all(a.text[0].isdigit() and "项现场核查未办结" in a.text for a in per.values())
    total = sum(int(a.text.split("项")[0]) for a in per.values())
    assert total == 4  # the seed: 1 待整改 + 3 整改中


def test_stale_figures_appear_after_stale_days_and_clear_on_update(world, tuned):
    e, last = world.engine, D(2023, 11, 22)  # the seed's last occupancy day
    fresh = kinds(alerts(community="中兴", as_of=last + dt.timedelta(days=30), engine=e), "stale")
    assert not [a for a in fresh if "每日入住" in a.text]
    stale = [a for a in kinds(alerts(community="中兴", as_of=last + dt.timedelta(days=31), engine=e), "stale")
             if "每日入住" in a.text]
    assert len(stale) == 1 and stale[0].on == last and "超过30天未更新" in stale[0].text
    # N is configuration
    tuned(care_free_beds_warning=3, stale_days=60)
    assert not [a for a in kinds(alerts(community="中兴", as_of=last + dt.timedelta(days=31), engine=e), "stale")
                if "每日入住" in a.text]
    tuned(care_free_beds_warning=3, stale_days=30)
    # a new report clears it
    writes.record_occupancy(world.admin, facility="care_centre", day=D(2024, 2, 28), occupied=30, engine=e,
                            today=world.today)
    assert not [a for a in kinds(alerts(community="中兴", as_of=world.today, engine=e), "stale") if "每日入住" in a.text]


def test_nothing_to_report_is_an_empty_list(world, tuned):
    # before any check was filed and with fresh figures on that day: no alert at all
    tuned(care_free_beds_warning=0, stale_days=10000)
    assert alerts(community="中兴", as_of=D(2023, 1, 1), engine=world.engine) == []
    assert NO_ALERTS == "无预警"
