"""征迁 against its deadline (lib.relocation_plan) and the staff-set dates' one code path (lib.date_settings):
the deadline is 示例 until a 街道管理员 enters it (audited, once, Chinese errors naming the field; 领导 and
社区工作人员 refused); unsigned households per 专班 group add up to the unsigned total; the daily target; the
countdown; and which wall views a community has (lib.wall_views). Both backends."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from abuse_helpers import assert_unchanged, row_counts
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import briefing_date, date_settings, relocation_plan
from lib.audit import audit_log
from lib.errors import PermissionDenied, ValidationError
from lib.figures import Figure
from lib.queries.relocation import burnup, status_counts
from lib.wall_views import shown

D = dt.date


def test_deadline_is_demo_until_an_admin_enters_it_once_audited(world):
    e = world.engine
    first = relocation_plan.deadline(engine=e)
    assert first.day == relocation_plan.DEMO_DEADLINE and first.is_demo and first.figure.tag == "示例"
    res = relocation_plan.set_deadline(world.admin, "2027年3月31日", engine=e)  # a deadline may lie ahead
    assert res.changed and res.day == D(2027, 3, 31) and res.message == "已保存：「征迁截止日期」为2027年3月31日"
    again = relocation_plan.set_deadline(world.admin, D(2027, 3, 31), engine=e)
    assert not again.changed and "未改动" in again.message
    now = relocation_plan.deadline(engine=e)
    assert now.day == D(2027, 3, 31) and not now.is_demo
    assert now.figure.badge().startswith("录入 · 街道管理员 · ")  # who entered it, and when
    df = audit_log(table="app_setting", engine=e)
    assert [(r.username, r.record_key, r.before, r.after) for r in df.itertuples()] == [
        ("admin", "relocation_deadline", {"征迁截止日期": None}, {"征迁截止日期": "2027-03-31"})]
    # the other staff-set date is untouched: one row per key
    assert briefing_date.last_briefing_date(engine=e) is None


@pytest.mark.parametrize("who", ["leader", "staff", "staff_hs", None])
def test_leaders_and_community_staff_are_refused(world, who):
    e = world.engine
    before = row_counts(e)
    with pytest.raises(PermissionDenied) as err:
        relocation_plan.set_deadline(getattr(world, who) if who else None, D(2027, 1, 1), engine=e)
    assert "只有街道管理员可以设置「征迁截止日期」" in err.value.message or "未登录" in err.value.message
    assert_unchanged(e, before)
    assert relocation_plan.deadline(engine=e).is_demo


@pytest.mark.parametrize("value, words", [("下个月", "不是有效日期"), ("", "不能为空"), ("1900-01-01", "过早"),
                                          ("2027-02-30", "不是有效日期")])
def test_bad_deadlines_write_nothing_and_name_the_field(world, value, words):
    e = world.engine
    before = row_counts(e)
    with pytest.raises(ValidationError) as err:
        relocation_plan.set_deadline(world.admin, value, engine=e)
    assert err.value.message.startswith("「征迁截止日期」") and words in err.value.message
    assert_unchanged(e, before)


def test_both_staff_set_dates_take_the_one_code_path(world, monkeypatch):
    calls = []
    real = date_settings.write
    monkeypatch.setattr(date_settings, "write",
                        lambda setting, *a, **k: calls.append(setting.key) or real(setting, *a, **k))
    briefing_date.set_last_briefing_date(world.leader, D(2023, 11, 15), engine=world.engine, today=world.today)
    relocation_plan.set_deadline(world.admin, D(2023, 11, 30), engine=world.engine)
    assert calls == ["last_briefing_date", "relocation_deadline"]


def test_unsigned_households_by_group_add_up_to_the_unsigned_total(world):
    e = world.engine
    for as_of in (None, D(2023, 11, 10)):
        groups = relocation_plan.unsigned_by_group(as_of=as_of, engine=e)
        unsigned = status_counts(as_of=as_of, engine=e)["未签约"]
        assert list(groups["group"]) == ["第1组", "第2组", "第3组"]
        assert int(groups["households"].sum()) == unsigned and unsigned > 0
        assert set(groups["source_kind"]) == {"demo"}  # the article gives no split: 示例 until staff record it
    # the seed's 16 unsigned households WH-063 … WH-078, round-robin over the three groups
    assert relocation_plan.unsigned_by_group(engine=e)["households"].tolist() == [5, 5, 6]
    assert relocation_plan.unsigned_by_group(community="中兴", engine=e)["households"].sum() == 0


def test_daily_target_is_remaining_over_days_left():
    days = [D(2023, 11, 20), D(2023, 11, 21), D(2023, 11, 22)]
    burn = pd.DataFrame({"date": days, "已签约": [10, 14, 14]})
    out = relocation_plan.daily_target(burn, total=20, deadline_day=D(2023, 11, 21))
    # 11-20: 20 unsigned at the start, 2 days left → 10; 11-21: 10 left, 1 day → 10; 11-22: past the deadline
    assert out["实际签约"].tolist() == [10, 4, 0]
    assert out["目标"].tolist()[:2] == [10, 10] and pd.isna(out["目标"].iloc[2])


def test_daily_target_on_the_seed(world):
    burn = burnup(engine=world.engine)
    out = relocation_plan.daily_target(burn, total=78, deadline_day=D(2023, 11, 30))
    assert len(out) == 14 and out["date"].iloc[-1] == D(2023, 11, 22)
    assert int(burn["已签约"].iloc[-1]) == 62 and out["实际签约"].iloc[-1] == 0
    assert out["目标"].iloc[-1] == 2  # 16 unsigned over 9 days (11-22 … 11-30), rounded up


def test_countdown_words():
    assert relocation_plan.countdown(D(2026, 12, 31), D(2026, 12, 5)) == "距截止 26 天"
    assert relocation_plan.countdown(D(2026, 12, 5), D(2026, 12, 5)) == "今天截止"
    assert relocation_plan.countdown(D(2026, 12, 1), D(2026, 12, 5)) == "已过截止 4 天"


_DEMO = relocation_plan.Deadline(D(2023, 11, 30), Figure("征迁截止日期", "", "demo"))
_ENTERED = relocation_plan.Deadline(D(2026, 12, 31), Figure("征迁截止日期", "", "staff"))


@pytest.mark.parametrize("deadline,as_of,last,expected", [
    (_DEMO, None, D(2023, 11, 22), (D(2023, 11, 22), "按最新记录日 2023年11月22日计")),  # the demo world's day
    (_DEMO, D(2023, 10, 1), D(2023, 11, 22), (D(2023, 10, 1), "")),  # a look-back day is the day shown
    (_DEMO, None, None, (D(2026, 12, 5), "")),  # no records yet: today
    (_ENTERED, None, D(2023, 11, 22), (D(2026, 12, 5), "")),  # a real deadline counts in real days
])
def test_a_countdown_counts_from(deadline, as_of, last, expected):
    assert relocation_plan.counted_from(deadline, as_of=as_of, last_record=last, today=D(2026, 12, 5)) == expected


def test_wall_views_skip_relocation_where_no_household_is(world):
    names = ["总览", "五星支部", "示范社区", "征迁", "养老"]
    assert shown(names, engine=world.engine) == names
    assert shown(names, community="中兴", engine=world.engine) == ["总览", "五星支部", "示范社区", "养老"]
    # the demo households are in 华盛 (no care facility there, not in the 示范 campaign: lib.wall_content)
    assert shown(names, community="华盛", engine=world.engine) == ["总览", "五星支部", "征迁"]
    assert "征迁" not in shown(names, community="华盛", as_of=D(2023, 10, 1), engine=world.engine)  # before any
