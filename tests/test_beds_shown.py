"""The bed count shown is the one holding on the day concerned (lib.queries.care.beds_on), with its own source: after
中兴录入员 sets 床位 60张 from 2024-01-05, the 养老入住 entry form and the 社区档案's 辖区养老设施 table no longer show the
register's 50 beds for a day the 60 holds — and still show the reported 50 for a day before it."""
from __future__ import annotations

import datetime as dt

from staff_apptest import engine, sign_in, submit  # noqa: F401 - fixtures
from staff_fixtures import _staff_templates  # noqa: F401 - fixture

from lib import writes
from lib.auth import Actor
from shown_text import texts
from tests.page_runs import open_page

D = dt.date
BEDS_DAY = D(2024, 1, 5)
STAFF = Actor("zx", "中兴录入员", "社区工作人员", "中兴")  # the seeded 中兴 account (tests/staff_fixtures.py)
CENTRE = "光武街道综合养老服务中心"
NS = "entry.occupancy"


def _beds_60(e) -> None:
    result = writes.record_fact(STAFF, label="床位", value="60", unit="张", source_title="区民政局床位备案",
                                subject="综合养老服务中心", valid_from=BEDS_DAY, engine=e, today=D(2024, 3, 1))
    assert result.inserted, result.message


def _beds_caption(at) -> str:
    found = [c for c in texts(at.caption) if c.startswith("床位")]
    assert len(found) == 1, texts(at.caption)
    return found[0]


def test_the_entry_form_shows_the_bed_count_of_its_day(engine):  # noqa: F811 - the imported fixture
    _beds_60(engine)
    at = sign_in("zx", "entry")
    picker = at.selectbox(key=f"{NS}.facility")
    assert picker.options == [f"{CENTRE}（床位 60 张）"], picker.options  # was 「床位 50 张」
    caption = _beds_caption(at)
    assert "60张" in caption and "录入 · 中兴录入员" in caption and "2024年1月5日" in caption, caption
    assert at.text_input(key=f"{NS}.occupied").label == "入住人数（0–60）"
    # a day before the 60 holds: the form says that day's 50 (the article's), and lib refuses 55 by it
    at.date_input(key=f"{NS}.date").set_value(D(2024, 1, 4))
    at.text_input(key=f"{NS}.occupied").input("55")
    submit(at, f"{NS}.submit")
    assert any("床位数 50" in e for e in texts(at.error)), texts(at.error)
    caption = _beds_caption(at)
    assert "50张" in caption and "报道" in caption and "2024年1月4日" in caption, caption
    assert at.text_input(key=f"{NS}.occupied").label == "入住人数（0–50）"
    assert at.selectbox(key=f"{NS}.facility").options == [f"{CENTRE}（床位 50 张）"]
    # a day the 60 holds: stored, and the confirmation names that day's 60
    at.date_input(key=f"{NS}.date").set_value(D(2024, 1, 10))
    submit(at, f"{NS}.submit")
    assert any(s.startswith("已保存") for s in texts(at.success)), texts(at.success)
    assert any(c.startswith("内容：") and "入住 55 人（床位 60 张）" in c for c in texts(at.caption)), texts(at.caption)
    assert "60张" in _beds_caption(at) and "2024年1月10日" in _beds_caption(at)


def _facilities(at) -> dict:
    table = at.dataframe[-1].value
    return {r["设施"]: r for r in table.to_dict("records")}


def test_the_profile_shows_the_bed_count_holding_with_its_source(engine):  # noqa: F811 - the imported fixture
    _beds_60(engine)
    rows = _facilities(open_page("profiles", "中兴"))
    centre = rows[CENTRE]
    assert centre["床位"] == "60张", centre  # was the register's 50张
    assert centre["床位来源"].startswith("录入 · 工作人员 · "), centre  # who entered it: signed-in viewers only
    assert (rows["中兴社区日间照料中心"]["床位"], rows["中兴社区日间照料中心"]["床位来源"]) == ("暂无公开数据", "—")
    before = _facilities(open_page("profiles", "中兴", D(2024, 1, 4)))[CENTRE]
    assert before["床位"] == "50张" and before["床位来源"].startswith("报道"), before
    # before the article's date its 50 is not yet reported: no number, as on the 养老 page
    early = _facilities(open_page("profiles", "中兴", D(2023, 11, 10)))[CENTRE]
    assert (early["床位"], early["床位来源"]) == ("所选日期暂无数据", "—"), early
