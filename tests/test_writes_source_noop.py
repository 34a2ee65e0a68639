"""A staff entry equal to a seeded 示例/报道 figure is a new 录入 record, not 「重复提交已忽略」 (bug: src_noop).

The no-op rule (the stored row of the key already says the same) holds only when that row is itself a staff
entry (录入, any staff user); otherwise the entry is stored, labelled 录入 with who and when, and audited.
"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import writes
from lib.db import session_scope
from lib.errors import ValidationError
from lib.models import AuditLog, CareFacility, CareOccupancy, Fact, ModelCommunityStatus, Source, StarAssessment
from lib.writes.base import latest

D = dt.date
NOTE = "南阳市创建全国文明城市工作指挥部命名"

# form, its fields (equal to the seeded 示例/报道 row), the held row's query, the seeded source kind
CASES = {
    "star_demo": (writes.record_star_assessment,
                  dict(community="中兴", star="支部过硬星", status="已达标", score=100, valid_from=D(2023, 11, 22)),
                  lambda s: (StarAssessment, [StarAssessment.community_id == 2, StarAssessment.star == "支部过硬星",
                                              StarAssessment.valid_from <= D(2023, 11, 22)], "valid_from"), "demo"),
    "occupancy_demo": (writes.record_occupancy, dict(facility="care_centre", day=D(2023, 11, 21), occupied=44),
                       lambda s: (CareOccupancy, [CareOccupancy.facility_id == s.scalar(
                           select(CareFacility.id).where(CareFacility.key == "care_centre")),
                           CareOccupancy.day <= D(2023, 11, 21)], "day"), "demo"),
    "fact_article": (writes.record_fact, dict(community="中兴", label="常住人口", value="7000余", unit="人",
                                              source_title="中兴社区人口台账", valid_from=D(2023, 11, 22)),
                     lambda s: (Fact, [Fact.subject == "中兴社区", Fact.indicator == "resident_population",
                                       Fact.valid_from <= D(2023, 11, 22)], "valid_from"), "article"),
    "model_article": (writes.record_model_status,
                      dict(community="中兴", status="已命名示范社区", valid_from=D(2023, 9, 23), note=NOTE),
                      lambda s: (ModelCommunityStatus, [ModelCommunityStatus.community_id == 2,
                                                        ModelCommunityStatus.valid_from <= D(2023, 9, 23)],
                                 "valid_from"), "article"),
}


def held(world, query) -> tuple[str, str | None, int]:
    """(source kind, recorded_by, id) of the row that holds for the case's key."""
    with session_scope(world.engine) as s:
        model, conds, date_col = query(s)
        row = latest(s, model, *conds, date_col=date_col)
        return s.scalar(select(Source.kind).where(Source.id == row.source_id)), row.recorded_by, row.id


def audit_rows(world, username: str) -> int:
    with session_scope(world.engine) as s:
        return s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.username == username,
                                                                         AuditLog.action == "insert"))


@pytest.mark.parametrize("case", list(CASES))
def test_staff_entry_equal_to_seeded_figure_is_stored_as_staff(world, case):
    form, fields, query, seeded_kind = CASES[case]
    assert held(world, query)[0] == seeded_kind
    result = form(world.staff, **fields, engine=world.engine, today=world.today)
    assert result.inserted, result.message
    assert "重复提交已忽略" not in result.message
    kind, who, row_id = held(world, query)
    assert (kind, who, row_id) == ("staff", "zx", result.id)
    assert audit_rows(world, "zx") == 1


@pytest.mark.parametrize("case", list(CASES))
def test_equal_to_a_staff_entry_is_a_no_op_whoever_entered_it(world, case):
    form, fields, query, _kind = CASES[case]
    first = form(world.staff, **fields, engine=world.engine, today=world.today)
    for actor in (world.staff, world.admin):  # the same user again, and another staff user
        again = form(actor, **fields, engine=world.engine, today=world.today)
        assert not again.inserted and "重复提交已忽略" in again.message
        assert again.id == first.id
    assert held(world, query)[2] == first.id
    assert audit_rows(world, "zx") == 1 and audit_rows(world, "admin") == 0


def test_household_step_equal_to_a_demo_step_is_not_answered_as_saved(world):
    """A household has one row per step (a unique key): the demo step cannot be re-entered as 录入, so the
    answer says so instead of 「已保存（重复提交已忽略）」."""
    with pytest.raises(ValidationError, match="WH-001.*已于2023年11月13日登记为「已拆除」（示例数据）"):
        writes.record_household_step(world.staff_hs, code="WH-001", status="已拆除", on=D(2023, 11, 13),
                                     demolished_area_m2=201.2, engine=world.engine, today=world.today)
    assert audit_rows(world, "hs") == 0


def test_ledger_row_equal_to_seeded_figure_stays_unchanged(world):
    """A ledger is often an export imported again: its unedited rows confirm nothing, so they stay 示例/报道."""
    from lib import ledger
    csv = "社区,星级,状态,得分,评定日期\n中兴,支部过硬星,已达标,100,2023-11-22\n".encode()
    preview = ledger.read_ledger(csv, "星.csv", "五星评定", actor=world.staff, engine=world.engine, today=world.today)
    assert preview.ok and (preview.inserts, preview.unchanged) == (0, 1), preview.errors
    assert ledger.commit_ledger(world.staff, preview, engine=world.engine, today=world.today).inserted == 0
    assert held(world, CASES["star_demo"][2])[0] == "demo"
