"""lib.numparse with a declared unit: a value written in that unit is read in it (832万元 under 万元 is 832, not
8 320 000), and a value written in another unit is refused naming both units (62人 under 户)."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib.db import session_scope
from lib.errors import ValidationError
from lib.models import Fact
from lib.numparse import parse_number
from lib.writes import record_fact

READ = [
    # text, declared unit, value, words the note must hold ("" = no note)
    ("832万元", "万元", 832, "单位“万元”已去掉"),
    ("832万", "万元", 832, "读作 832"),
    ("832", "万元", 832, ""),
    ("800余万元", "万元", 800, "限定词“余”"),
    ("3亿元", "亿元", 3, "单位“亿元”已去掉"),
    ("1.2亿", "亿元", 1.2, "读作 1.2"),
    ("3亿元", "万元", 30000, "按单位“万元”换算"),
    ("8320000元", "万元", 832, "按单位“万元”换算"),
    ("5万元", "元", 50000, "读作 50000"),
    ("4.96万人", "万人", 4.96, "读作 4.96"),
    ("4.96万", "人", 49600, "“4.96万”读作 49600"),
    ("4.96万人", "人", 49600, "单位“人”已去掉"),
    ("6100余", "人", 6100, "限定词“余”"),
    ("62户", "户", 62, "单位“户”已去掉"),
    ("12㎡", "平方米", 12, "单位“平方米”已去掉"),
    ("12平米", "平方米", 12, "单位“平方米”已去掉"),
    ("48名", "人", 48, "“48名”读作 48"),
    ("3册", "册", 3, "单位“册”已去掉"),
    ("77%", "%", 77, "百分比"),
    ("5人次", "人次", 5, "单位“人次”已去掉"),
]

REFUSED = [
    # text, kwargs, the whole message
    ("62人", {"unit": "户"}, "「数值」：“62人”的单位“人”与所填单位“户”不一致"),
    ("5万元", {"unit": "平方米"}, "「数值」：“5万元”的单位“万元”与所填单位“平方米”不一致"),
    ("5人次", {"unit": "人", "field": "入住人数"}, "「入住人数」：“5人次”的单位“人次”与所填单位“人”不一致"),
    ("5人", {"unit": "人次"}, "「数值」：“5人”的单位“人”与所填单位“人次”不一致"),
    ("3平方公里", {"unit": "平方米"}, "「数值」：“3平方公里”的单位“平方公里”与所填单位“平方米”不一致"),
    ("5平方米", {"unit": "米"}, "「数值」：“5平方米”的单位“平方米”与所填单位“米”不一致"),
    ("20张", {"unit": "%"}, "「数值」：“20张”的单位“张”与所填单位“%”不一致"),
    ("100元", {"unit": "户", "field": "拆迁户"}, "「拆迁户」：“100元”的单位“元”与所填单位“户”不一致"),
]


@pytest.mark.parametrize(("text", "unit", "value", "note"), READ)
def test_value_in_the_declared_unit_is_read_in_it(text, unit, value, note):
    parsed = parse_number(text, unit=unit)
    assert parsed.value == pytest.approx(value)
    if note:
        assert note in parsed.note
    else:
        assert parsed.note == ""


@pytest.mark.parametrize(("text", "unit", "note"), [("4.96万", "人", "“4.96万”读作 49600"),
                                                    ("48张", "张", "“48张”读作 48（单位“张”已去掉）")])
def test_unit_without_magnitude_gives_the_note_as_before(text, unit, note):
    assert parse_number(text, unit=unit).note == note


@pytest.mark.parametrize(("text", "kwargs", "message"), REFUSED)
def test_value_in_another_unit_is_refused_naming_both(text, kwargs, message):
    with pytest.raises(ValidationError) as err:
        parse_number(text, **kwargs)
    assert err.value.message == message


@pytest.mark.parametrize(("typed", "unit", "stored"), [("832万元", "万元", 832), ("832万", "万元", 832),
                                                       ("0.5亿元", "亿元", 0.5)])
def test_fact_in_wanyuan_is_stored_as_typed(world, typed, unit, stored):
    record_fact(world.staff, community="中兴", label="“红色物业”投入（2024年）", value=typed, unit=unit,
                source_title="社区财务台账", valid_from="2024-02-01", engine=world.engine, today=world.today)
    with session_scope(world.engine) as s:
        fact = s.scalars(select(Fact).where(Fact.label == "“红色物业”投入（2024年）")).one()
        assert (fact.value, fact.unit) == (pytest.approx(stored), unit)


def test_fact_in_another_unit_is_refused_and_nothing_written(world):
    with pytest.raises(ValidationError) as err:
        record_fact(world.staff, community="中兴", label="低保户", value="62人", unit="户", source_title="台账",
                    valid_from="2024-02-01", engine=world.engine, today=world.today)
    assert err.value.message == "「数值」：“62人”的单位“人”与所填单位“户”不一致"
    with session_scope(world.engine) as s:
        assert s.scalars(select(Fact).where(Fact.label == "低保户")).first() is None
