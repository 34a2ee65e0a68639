"""A fact's 对象 naming the community (「中兴」, 「中兴社区」) is stored as the community's full name, so it
continues the community's series (bug: fact_subject / fact_subject_ledger)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import ledger, writes
from lib.db import session_scope
from lib.models import Fact

D = dt.date
SUBJECTS = ["中兴", "中兴社区", " 中兴 "]


def series(world) -> list[tuple[str, str, float]]:
    with session_scope(world.engine) as s:
        return [tuple(r) for r in s.execute(select(Fact.subject, Fact.indicator, Fact.value)
                                            .where(Fact.label == "常住人口", Fact.community_id.is_not(None))
                                            .order_by(Fact.valid_from, Fact.id))]


SEEDED = ("中兴社区", "resident_population", 7000.0)


@pytest.mark.parametrize("subject", SUBJECTS)
def test_form_subject_naming_the_community_continues_its_series(world, subject):
    result = writes.record_fact(world.staff, community="中兴", subject=subject, label="常住人口", value=8000,
                                unit="人", source_title="人口台账", valid_from=D(2024, 2, 1),
                                engine=world.engine, today=world.today)
    assert result.inserted and result.key == "中兴社区/resident_population/2024-02-01"
    assert series(world) == [SEEDED, ("中兴社区", "resident_population", 8000.0)]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_ledger_subject_naming_the_community_continues_its_series(world, subject):
    csv = ("社区,对象,指标名称,指标代码,数值,单位,日期,来源\n"
           f"中兴,{subject},常住人口,,8000,人,2024-02-01,人口台账\n").encode()
    preview = ledger.read_ledger(csv, "人口.csv", "指标数据", actor=world.staff, engine=world.engine,
                                 today=world.today)
    assert preview.ok, preview.errors
    assert ledger.commit_ledger(world.staff, preview, engine=world.engine, today=world.today).inserted == 1
    assert series(world) == [SEEDED, ("中兴社区", "resident_population", 8000.0)]
