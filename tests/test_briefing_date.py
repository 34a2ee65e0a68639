"""「上次汇报日期」 (lib.briefing_date): who may set it, that it is stored and audited once, that bad input
writes nothing, and the change sentence names both dates or says there is no data. Both backends."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from abuse_helpers import assert_unchanged, row_counts
from sqlalchemy import select
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib.audit import audit_log
from lib.briefing_date import last_briefing_date, set_last_briefing_date
from lib.db import session_scope
from lib.errors import PermissionDenied, ValidationError
from lib.models import AppSetting

D = dt.date


def _audit(engine):
    df = audit_log(table="app_setting", engine=engine)
    return [(r.username, r.before, r.after) for r in df.itertuples()]


def test_leader_and_admin_set_it_once_audited(world):
    e = world.engine
    assert last_briefing_date(engine=e) is None
    res = set_last_briefing_date(world.leader, "2023年11月15日", engine=e, today=world.today)
    assert res.changed and res.day == D(2023, 11, 15) and "2023年11月15日" in res.message
    assert last_briefing_date(engine=e) == D(2023, 11, 15)
    again = set_last_briefing_date(world.leader, D(2023, 11, 15), engine=e, today=world.today)
    assert not again.changed and "未改动" in again.message
    set_last_briefing_date(world.admin, "2024-01-05", engine=e, today=world.today)
    assert last_briefing_date(engine=e) == D(2024, 1, 5)
    assert _audit(e) == [("admin", {"上次汇报日期": "2023-11-15"}, {"上次汇报日期": "2024-01-05"}),
                         ("boss", {"上次汇报日期": None}, {"上次汇报日期": "2023-11-15"})]


@pytest.mark.parametrize("who", ["staff", None])
def test_staff_and_anonymous_are_refused(world, who):
    e = world.engine
    before = row_counts(e)
    with pytest.raises(PermissionDenied) as err:
        set_last_briefing_date(getattr(world, who) if who else None, D(2023, 11, 15), engine=e, today=world.today)
    assert "领导或街道管理员" in err.value.message or "未登录" in err.value.message
    assert_unchanged(e, before)
    assert last_briefing_date(engine=e) is None


@pytest.mark.parametrize("value, words", [("2099-01-01", "晚于今天"), ("明天", "不是有效日期"), ("", "不能为空"),
                                          ("1900-01-01", "过早")])
def test_bad_dates_write_nothing(world, value, words):
    e = world.engine
    before = row_counts(e)
    with pytest.raises(ValidationError) as err:
        set_last_briefing_date(world.admin, value, engine=e, today=world.today)
    assert "上次汇报日期" in err.value.message and words in err.value.message
    assert_unchanged(e, before)


def test_concurrent_setters_leave_one_row_and_one_audit_each_change(world):
    e = world.engine
    results, errors = [], []

    def go():
        try:
            results.append(set_last_briefing_date(world.admin, D(2023, 11, 15), engine=e, today=world.today))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r.changed for r in results) == 1
    with session_scope(e) as s:
        assert len(s.scalars(select(AppSetting)).all()) == 1
    assert len(_audit(e)) == 1


def test_key_figures_change_since_the_last_briefing(world):
    from lib import writes
    from lib.briefing_date import key_figure_changes
    e = world.engine
    # before any data on the briefing date: each figure says so
    early = {k.label: k for k in key_figure_changes(as_of=D(2023, 11, 22), on=D(2022, 6, 1), engine=e)}
    assert early["养老空床"].change.brief == "2022年6月1日无数据"
    # a new report moves free beds: the change names both dates
    writes.record_occupancy(world.admin, facility="care_centre", day=D(2024, 2, 1), occupied=47, engine=e,
                            today=world.today)
    writes.record_occupancy(world.admin, facility="care_centre", day=D(2024, 2, 20), occupied=44, engine=e,
                            today=world.today)
    figs = {k.label: k for k in key_figure_changes(community="中兴", as_of=D(2024, 2, 20), on=D(2024, 2, 1),
                                                   engine=e)}
    free = figs["养老空床"]
    assert free.figure.display == "6张" and free.change.text == "+3张"
    # entered residents, the article's beds: 空床 carries both sources
    assert free.change.brief == "较2024年2月1日 +3张（2024年2月20日）" and free.figure.tag == "多来源"
    # no date set: figures without a change
    assert all(k.change is None for k in key_figure_changes(as_of=D(2024, 2, 20), on=None, engine=e))
