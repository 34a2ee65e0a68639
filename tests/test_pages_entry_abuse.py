"""数据录入 / 现场核查登记 through AppTest (issue #11 and #12): a 中兴 staff account cannot change anything
outside its community through the forms, even with forged session state; hostile text gets a Chinese
message naming the field; every outcome is shown whole through ui/flash.py; a double submit is one row.
"""
# ruff: noqa: F811 - pytest fixtures are imported from staff_apptest and named as parameters
from __future__ import annotations

from pathlib import Path

import pytest
from abuse_helpers import assert_unchanged, row_counts
from staff_apptest import _staff_templates, count, engine, sign_in, submit, texts  # noqa: F401 - fixtures
from lib.models import CareOccupancy, Fact, SiteCheck


def _fill_fact(at, label="常住人口", value="1.2万") -> None:
    at.text_input(key="entry.fact.label").input(label)
    at.text_input(key="entry.fact.value").input(value)
    at.text_input(key="entry.fact.unit").input("人")
    at.text_input(key="entry.fact.source").input("台账")


def _fill_star(at) -> None:
    at.text_input(key="entry.star.score").input("90")


def _fill_check(at) -> None:
    at.selectbox(key="checkform.category").set_value("环境卫生")
    at.text_area(key="checkform.finding").input("越权登记")


# (case, page, forged session state, how to fill the form, submit button, the refusal)
FORGED = [
    ("star-other-community", "entry", {"entry.community": "华盛"}, _fill_star, "entry.star.submit", "不能修改「华盛」社区"),
    ("model-other-community", "entry", {"entry.community": "华盛"}, None, "entry.model.submit", "不能修改「华盛」社区"),
    ("household-other-community", "entry", {"entry.community": "华盛"}, None, "entry.household.submit",
     "不能修改「华盛」社区"),
    ("fact-other-community", "entry", {"entry.community": "华盛"}, _fill_fact, "entry.fact.submit", "不能修改「华盛」社区"),
    ("fact-subdistrict-checkbox", "entry", {"entry.fact.subdistrict": True}, _fill_fact, "entry.fact.submit",
     "街道级数据须由街道管理员录入"),
    ("check-other-community", "check_form", {"checkform.community": "华盛"}, _fill_check, "checkform.submit",
     "不能修改「华盛」社区"),
]


@pytest.mark.parametrize("case", FORGED, ids=[c[0] for c in FORGED])
def test_staff_form_cannot_write_outside_its_community(engine, case):
    _id, page, forged, fill, button, message = case
    at = sign_in("zx", page)
    for key, value in forged.items():
        at.session_state[key] = value
    at.run()
    if fill:
        fill(at)
    before = row_counts(engine)
    submit(at, button)
    assert any(message in e for e in texts(at.error)), texts(at.error)
    assert not at.success
    assert_unchanged(engine, before)


# (case, fill: key → text, submit button, the field's message)
HOSTILE = [
    ("fact-label-nul", {"entry.fact.label": "常住\x00人口", "entry.fact.value": "1", "entry.fact.unit": "人",
                        "entry.fact.source": "台账"}, "entry.fact.submit", "「指标名称」：含有不可见的控制字符"),
    ("fact-source-nul", {"entry.fact.label": "常住人口", "entry.fact.value": "1", "entry.fact.unit": "人",
                         "entry.fact.source": "台\x00账"}, "entry.fact.submit", "「来源」：含有不可见的控制字符"),
    ("fact-value-bound", {"entry.fact.label": "常住人口", "entry.fact.value": "5亿", "entry.fact.unit": "人",
                          "entry.fact.source": "台账"}, "entry.fact.submit", "「数值」：“5亿”不能大于200万人"),
    ("model-note-nul", {"entry.model.note": "批复\x00"}, "entry.model.submit", "「备注」：含有不可见的控制字符"),
    ("occupancy-approx", {"entry.occupancy.occupied": "约45"}, "entry.occupancy.submit", "「入住人数」：“约45”是约数"),
    ("star-score-approx", {"entry.star.score": "90多"}, "entry.star.submit", "「得分」：“90多”是约数"),
]


@pytest.mark.parametrize("case", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_form_text_gets_a_message_naming_the_field(engine, case):
    _id, fields, button, message = case
    at = sign_in("zx", "entry")
    for key, value in fields.items():
        at.text_input(key=key).input(value)
    before = row_counts(engine)
    submit(at, button)
    assert any(e.startswith(message) for e in texts(at.error)), texts(at.error)
    assert_unchanged(engine, before)


def test_check_form_nul_in_finding(engine):
    at = sign_in("zx", "check_form")
    at.selectbox(key="checkform.category").set_value("环境卫生")
    at.text_area(key="checkform.finding").input("楼道\x00堆物")
    before = row_counts(engine)
    submit(at, "checkform.submit")
    assert "「问题描述」：含有不可见的控制字符（如 NUL），请删除后重新填写" in texts(at.error)
    assert_unchanged(engine, before)


def test_success_message_is_whole_and_a_resubmit_is_ignored(engine):
    at = sign_in("zx", "check_form")
    finding = "3号楼东侧楼道长期堆放纸箱和废旧家具，堵塞消防通道，住户多次反映，需要物业在本周内清理并复查。"
    at.selectbox(key="checkform.category").set_value("消防安全")
    at.text_area(key="checkform.finding").input(finding)
    submit(at, "checkform.submit")
    assert any(finding in s and s.startswith("已保存") for s in texts(at.success)), texts(at.success)
    # the same form sent again (a second click that arrives after the first was stored)
    at.selectbox(key="checkform.category").set_value("消防安全")
    at.text_area(key="checkform.finding").input(finding)
    submit(at, "checkform.submit")
    assert any(i.startswith("已保存（重复提交已忽略）") for i in texts(at.info)), texts(at.info)
    assert count(engine, SiteCheck, SiteCheck.created_by == "zx") == 1


def test_occupancy_double_click_is_one_row_and_a_new_value_is_new(engine):
    at = sign_in("zx", "entry")
    at.text_input(key="entry.occupancy.occupied").input("44")
    submit(at, "entry.occupancy.submit")
    submit(at, "entry.occupancy.submit")  # double-click: the same submission
    assert any(i.startswith("已保存（重复提交已忽略）") for i in texts(at.info))
    assert count(engine, CareOccupancy, CareOccupancy.recorded_by == "zx") == 1
    at.text_input(key="entry.occupancy.occupied").input("45")  # a correction: a new submission
    submit(at, "entry.occupancy.submit")
    at.text_input(key="entry.occupancy.occupied").input("44")  # and back again: new too
    submit(at, "entry.occupancy.submit")
    assert count(engine, CareOccupancy, CareOccupancy.recorded_by == "zx") == 3
    assert count(engine, Fact, Fact.recorded_by == "zx") == 0


_ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("page", sorted(p.relative_to(_ROOT).as_posix() for p in [
    _ROOT / "app.py", *_ROOT.glob("pages/*.py"), *_ROOT.glob("ui/views/*.py")]))
def test_pages_and_their_views_reach_lib_only_through_the_bridge(page):
    import ast
    tree = ast.parse((_ROOT / page).read_text(encoding="utf-8"))
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | \
        {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not [m for m in modules if m and (m == "lib" or m.startswith("lib."))], modules
