"""Cross-field checks (lib.writes.bounds) against every date the new figure would hold on (bug: inv_future),
and on the code the seed stores the centre's residents under, care_residents (bug: inv_care)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import ledger, writes
from lib.db import session_scope
from lib.errors import ValidationError
from lib.models import Fact

D = dt.date
PROJECT = "文化路北延"  # seeded 2023-11-22: 涉迁户 78, 已签订协议 62 (报道)


def fact(world, actor, label: str, value, unit: str, when: dt.date, subject: str = PROJECT, **extra):
    return writes.record_fact(actor, subject=subject, label=label, value=value, unit=unit, source_title="专班台账",
                              valid_from=when, engine=world.engine, today=world.today, **extra)


def stored(world, subject: str) -> int:
    with session_scope(world.engine) as s:
        return s.scalar(select(func.count()).select_from(Fact).where(Fact.subject == subject))


# (figures stored first, the back-dated figure, the words the refusal must hold; None = accepted)
LATER_CASES = {
    "larger_below_a_later_smaller": (
        [("已签订协议", 70, D(2024, 1, 1))], ("涉迁户", 65, D(2023, 12, 1)),
        ["「涉迁户」65", "2023年12月1日", "不能小于2024年1月1日有效的「已签订协议」70户"]),
    "smaller_above_a_later_larger": (
        [("涉迁户", 70, D(2024, 1, 1))], ("已签订协议", 75, D(2023, 12, 1)),
        ["「已签订协议」75", "2023年12月1日", "不能大于2024年1月1日有效的「涉迁户」70户"]),
    "later_pair_beyond_own_next_row": (
        [("已签订协议", 70, D(2024, 1, 1)), ("涉迁户", 80, D(2024, 1, 1))], ("涉迁户", 65, D(2023, 12, 1)), None),
    "later_pair_superseded_on_its_day": (
        [("已签订协议", 70, D(2024, 1, 1)), ("已签订协议", 60, D(2024, 1, 1))], ("涉迁户", 65, D(2023, 12, 1)), None),
}


@pytest.mark.parametrize("case", list(LATER_CASES))
def test_back_dated_figure_is_checked_against_later_paired_figures(world, case):
    first, (label, value, when), words = LATER_CASES[case]
    for lab, val, day in first:
        assert fact(world, world.admin, lab, val, "户", day).inserted
    before = stored(world, PROJECT)
    if words is None:
        assert fact(world, world.admin, label, value, "户", when).inserted
        return
    with pytest.raises(ValidationError) as err:
        fact(world, world.admin, label, value, "户", when)
    assert all(w in err.value.message for w in words), err.value.message
    assert stored(world, PROJECT) == before


def test_back_dated_figure_in_a_ledger_is_checked_too(world):
    assert fact(world, world.admin, "已签订协议", 70, "户", D(2024, 1, 1)).inserted
    csv = ("社区,对象,指标名称,指标代码,数值,单位,日期,来源\n"
           f",{PROJECT},涉迁户,,65,户,2023-12-01,专班台账\n").encode()
    preview = ledger.read_ledger(csv, "涉迁户.csv", "指标数据", actor=world.admin, engine=world.engine,
                                 today=world.today)
    assert not preview.ok and any("2024年1月1日有效的「已签订协议」70户" in e for e in preview.errors), preview.errors


CENTRE = "综合养老服务中心"  # seeded 2023-11-22: 床位 50 张 (care_beds), 入住老人 48 名 (care_residents)
CARE_CASES = {
    "residents_above_seeded_beds": ("入住老人", 500, "名", "不能大于2024年2月1日有效的「床位」50张"),
    "occupied_label_above_seeded_beds": ("入住", 51, "名", "不能大于2024年2月1日有效的「床位」50张"),
    "beds_below_seeded_residents": ("床位", 10, "张", "不能小于2024年2月1日有效的「入住老人」48名"),
}


@pytest.mark.parametrize("case", list(CARE_CASES))
def test_residents_never_exceed_beds_on_the_seeded_code(world, case):
    label, value, unit, words = CARE_CASES[case]
    before = stored(world, CENTRE)
    with pytest.raises(ValidationError, match=words):
        fact(world, world.staff, label, value, unit, D(2024, 2, 1), subject=CENTRE, community="中兴")
    assert stored(world, CENTRE) == before


def test_residents_within_beds_continue_the_seeded_series(world):
    result = fact(world, world.staff, "入住", 49, "名", D(2024, 2, 1), subject=CENTRE, community="中兴")
    assert result.inserted
    with session_scope(world.engine) as s:
        assert s.get(Fact, result.id).indicator == "care_residents"
