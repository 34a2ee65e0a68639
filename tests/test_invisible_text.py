"""Text that looks right must be what is stored, and a number must keep its meaning.

- Invisible characters pasted with text (zero-width space U+200B, BOM U+FEFF, direction marks U+200E) passed every
  check: 「人\\u200b」 matched no unit, so 「5亿」 人 escaped the plausibility bound; 「常住\\u200b人口」 started a second
  indicator that reads the same; a 问题描述 of two zero-width spaces was not 「空」. They are removed (what is seen is
  kept); the direction overrides that reorder what is shown stay refused, now also in a display name.
- 「77%」 was stored as 77 人: a percentage is refused under any unit but %.
- A display name over 64 characters was cut without a word.
- Messages echo typed text and file names without the characters that would reorder them.
- A check number as odd text (「²」, 「٣」, 10**20) raised Python's errors or updated check #3.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select
from staff_fixtures import PASSWORD, ROUNDS, _staff_templates, world  # noqa: F401

from lib import auth, ledger, writes
from lib.db import session_scope
from lib.errors import DashboardError, NotFound, ValidationError
from lib.models import Fact, SiteCheck, User

HIDDEN = "\u200b\u200e\ufeff\u202a\u202e\u2066\x00"


def _fact(world, **kw):
    args = {"label": "常住人口", "value": "5000", "unit": "人", "source_title": "社区统计", "community": "中兴",
            "valid_from": "2024-01-05", "engine": world.engine, "today": world.today, **kw}
    return writes.record_fact(world.staff, **args)


@pytest.mark.parametrize(("kw", "message"), [
    ({"value": "5亿", "unit": "人\u200b"}, "「数值」：“5亿”不能大于200万人（按单位的合理范围）"),
    ({"value": "77%"}, "「数值」：“77%”是百分数，单位却是“人”（百分比请把单位填为“%”）"),
    ({"label": "\u200b\u200b"}, "「指标名称」：不能为空"),
    ({"label": "常住\u202e人口"}, "「指标名称」：含有不可见的控制字符（如 NUL），请删除后重新填写"),
])
def test_a_figure_that_only_looks_right_is_refused(world, kw, message):
    with pytest.raises(ValidationError) as err:
        _fact(world, **kw)
    assert err.value.message == message


def test_invisible_characters_are_removed_not_stored(world):
    _fact(world, label="常住\u200b人口\ufeff", unit="\u200e人")
    with session_scope(world.engine) as s:
        stored = s.execute(select(Fact.label, Fact.unit, Fact.indicator).where(Fact.valid_from == world.today.replace(
            month=1, day=5), Fact.subject == "中兴社区")).all()
    assert [tuple(r) for r in stored] == [("常住人口", "人", "resident_population")]


def test_a_finding_of_invisible_characters_is_empty(world):
    with pytest.raises(ValidationError, match="「问题描述」：不能为空"):
        writes.file_site_check(world.staff, community="中兴", category="环境卫生", finding="\u200b\ufeff ",
                               lon=112.52, lat=33.0, engine=world.engine, today=world.today)


@pytest.mark.parametrize(("name", "message"), [
    ("\u202e管理员", "「显示名称」：不能包含空字符或其他控制字符"),
    ("\u200b", "「显示名称」：不能为空"),
    ("长" * 65, "「显示名称」：过长（65个字，最多64个字）"),
])
def test_display_names_follow_the_text_rule(world, name, message):
    with pytest.raises(ValidationError) as err:
        auth.create_user("zx09", PASSWORD, role="社区工作人员", display_name=name, community="中兴", by=world.admin,
                         engine=world.engine, rounds=ROUNDS)
    assert err.value.message == message
    with pytest.raises(ValidationError) as err:
        auth.update_user("zx", by=world.admin, display_name=name, engine=world.engine)
    assert err.value.message == message
    auth.update_user("zx", by=world.admin, display_name="中兴\u200b录入员", engine=world.engine)
    with session_scope(world.engine) as s:
        assert s.scalar(select(User.display_name).where(User.username == "zx")) == "中兴录入员"


def test_messages_echo_text_without_hidden_characters(world):
    with pytest.raises(ValidationError) as err:
        writes.record_occupancy(world.staff, facility="care_centre", day=world.today, occupied="\u202e04",
                                engine=world.engine, today=world.today)
    assert not set(HIDDEN) & set(err.value.message), ascii(err.value.message)
    data = "机构,日期,入住人数\n光武街道综合养老服务中心,2024-02-03,x\u202e1\n".encode()
    preview = ledger.read_ledger(data, "a\u202e\x00gpj.csv", "每日入住", actor=world.admin, engine=world.engine,
                                 today=world.today)
    shown = " ".join([preview.filename, *preview.errors])
    assert "agpj.csv" in shown and not set(HIDDEN) & set(shown), ascii(shown)


def test_a_percentage_in_a_ledger_row_under_another_unit_names_the_row(world):
    data = "社区,对象,指标名称,指标代码,数值,单位,日期,来源,原文或说明\n中兴,,常住人口,,77%,人,2024-01-05,台账,\n".encode()
    preview = ledger.read_ledger(data, "比例.csv", "指标数据", actor=world.admin, engine=world.engine,
                                 today=world.today)
    assert preview.errors == ["第2行「数值」：“77%”是百分数，单位却是“人”（百分比请把单位填为“%”）"]


@pytest.mark.parametrize("check_id", ["²", "٣", "１", 10**20, -1, "", None])
def test_an_odd_check_number_is_not_found_in_chinese(world, check_id):
    with session_scope(world.engine) as s:
        before = {c.id: c.status for c in s.scalars(select(SiteCheck))}
    with pytest.raises(NotFound) as err:
        writes.update_site_check(world.admin, check_id, status="整改中", engine=world.engine, today=world.today)
    assert err.value.message.startswith("未找到现场核查记录")
    with session_scope(world.engine) as s:
        assert {c.id: c.status for c in s.scalars(select(SiteCheck))} == before


def test_the_rule_is_one(world):
    """Every arrival of text goes through lib.text (no second list of control characters)."""
    import pathlib
    import re
    root = pathlib.Path(__file__).resolve().parents[1]
    found = [str(p.relative_to(root)) for d in ("lib", "geo", "ui", "pages") for p in (root / d).rglob("*.py")
             if re.search(r"_CONTROL\b|CONTROL_CHARS|def _hidden", p.read_text(encoding="utf-8"))
             and p.name != "text.py"]
    assert found == []
    assert issubclass(ValidationError, DashboardError)
