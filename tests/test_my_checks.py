"""「我的核查」: a 网格员's own open checks, overdue first, with the photo (SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt

import pytest
import staff_apptest
from staff_apptest import engine, on_today  # noqa: F401 - fixtures
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import auth, clock, writes
from lib.fmt import cn_date, cn_datetime
from lib.queries import checks as checks_q
from lib.queries.checks import my_open_checks, photo_bytes

pytestmark = pytest.mark.usefixtures("on_today")  # TODAY stays today when the run crosses midnight in China


PNG = staff_apptest.png()


def _file(world, actor, finding, *, due=None, status="待整改", photo=None):
    return writes.file_site_check(actor, community=actor.community, category="环境卫生", finding=finding,
                                  status=status, lon=112.52, lat=33.0, due_on=due, photo=photo,
                                  photo_mime="image/png" if photo else None, engine=world.engine,
                                  today=world.today).id


def test_my_open_checks_order_owner_and_photo(world):  # noqa: F811
    today = world.today
    later = _file(world, world.staff, "期限未到", due=today + dt.timedelta(days=5))
    no_due = _file(world, world.staff, "没有期限", photo=PNG)
    old_overdue = _file(world, world.staff, "早已超期", due=today - dt.timedelta(days=9))
    overdue = _file(world, world.staff, "刚超期", due=today - dt.timedelta(days=1))
    closed = _file(world, world.staff, "已办结的", due=today - dt.timedelta(days=3), status="已办结")
    _file(world, world.staff_hs, "别人的", due=today - dt.timedelta(days=20))

    df = my_open_checks("zx", today=today, engine=world.engine)
    assert df["id"].tolist()[:4] == [old_overdue, overdue, later, no_due]
    assert closed not in df["id"].tolist() and "别人的" not in df["finding"].tolist()
    flags = df.set_index("id")["overdue"]
    assert [bool(flags[i]) for i in (old_overdue, overdue, later, no_due)] == [True, True, False, False]
    pid = df.set_index("id").loc[no_due, "photo_id"]
    assert pid is not None and photo_bytes(int(pid), engine=world.engine) == ("image/png", PNG)
    assert df.set_index("id").loc[later, "photo_id"] is None
    assert photo_bytes(10**9, engine=world.engine) is None
    assert my_open_checks("nobody", today=today, engine=world.engine).empty


def test_my_checks_page(engine):  # noqa: F811 - staff_apptest's per-test app database
    """A 网格员 files an overdue check with a photo and another; 「我的核查」 lists the overdue one first, with
    its photo and deadline; a 领导 and a signed-out viewer get no such page."""
    today = staff_apptest.TODAY
    zx = auth.authenticate("zx", staff_apptest.PASSWORD, engine=engine)
    for finding, due, photo in [("消防通道堆物", today + dt.timedelta(days=3), None),
                                ("楼道灯坏了", today - dt.timedelta(days=2), staff_apptest.png())]:
        writes.file_site_check(zx, community="中兴", category="消防安全", finding=finding, status="待整改",
                               lon=112.52, lat=33.0, due_on=due, photo=photo,
                               photo_mime="image/png" if photo else None, engine=engine, today=today)
    at = staff_apptest.sign_in("zx")
    assert "my_checks" in staff_apptest.pages(at)
    at.switch_page("pages/my_checks.py").run()
    staff_apptest.clean(at)
    texts = [t.value for t in at.text]
    assert texts.index("楼道灯坏了") < texts.index("消防通道堆物")  # overdue first
    assert any("**1** 项已超期" in m.value for m in at.markdown)
    captions = " ".join(c.value for c in at.caption)
    assert f"整改期限 {cn_date(today - dt.timedelta(days=2))}" in captions and "无照片" in captions
    assert len(at.image) == 1  # the photo thumbnail
    assert "my_checks" not in staff_apptest.pages(staff_apptest.sign_in("boss"))
    assert "my_checks" not in staff_apptest.pages(staff_apptest.sign_in(None))


def test_cn_datetime_is_the_one_chinese_time():
    assert cn_datetime(dt.datetime(2023, 9, 3, 8, 5)) == "2023年9月3日 08:05"
    assert cn_datetime(None) == "—"


def test_check_list_columns_photo_and_masked_recorder(engine):  # noqa: F811
    """现场核查 list: photo thumbnail, 状态, 整改期限; 登记人 masked for anonymous viewers only."""
    zx = auth.authenticate("zx", staff_apptest.PASSWORD, engine=engine)
    writes.file_site_check(zx, community="中兴", category="消防安全", finding="灭火器过期", status="待整改",
                           lon=112.52, lat=33.0, due_on=staff_apptest.TODAY, photo=staff_apptest.png(),
                           photo_mime="image/png", engine=engine, today=staff_apptest.TODAY)
    signed = staff_apptest.sign_in("zx", "checks")
    table = signed.dataframe[0].value
    assert list(table.columns) == ["照片", "社区", "类别", "问题", "状态", "整改期限", "登记时间", "登记人", "来源"]
    mine = table[table["问题"] == "灭火器过期"].iloc[0]
    assert mine["照片"].startswith("data:image/jpeg;base64,") and mine["登记人"] != "工作人员"
    assert mine["整改期限"] == cn_date(staff_apptest.TODAY)
    filed = checks_q.site_checks(community="中兴", open_only=True, engine=engine)
    created = filed[filed["finding"] == "灭火器过期"].iloc[0]["created_at"]
    assert mine["登记时间"] == cn_datetime(clock.to_local(created.to_pydatetime()))  # 2026年12月5日 14:05
    anon = staff_apptest.sign_in(None, "checks").dataframe[0].value
    assert anon[anon["问题"] == "灭火器过期"].iloc[0]["登记人"] == "工作人员"  # masked (lib.panels)


def test_database_down_lists_no_raw_page_files(monkeypatch):
    """Database down: the navigation is still app.py's (hidden), never Streamlit's list of pages/ file names."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from lib import config, db

    monkeypatch.setenv("DATABASE_URL", "sqlite:////etc/hostname/guangwu.db")
    config.settings.cache_clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(staff_apptest.APP, default_timeout=60).run()
        assert [e.value for e in at.error][0].startswith("看板暂时无法读取数据")
        registered = staff_apptest.pages(at)
        assert "checks" in registered and not registered & {"users", "audit", "geo_import", "my_checks", "screen"}
    finally:
        config.settings.cache_clear()
        st.cache_data.clear()
        db.get_engine.cache_clear()


def test_audit_log_shows_names_not_internal_keys():
    import pandas as pd

    from ui import audit_view

    names = {"care_centre": "光武街道综合养老服务中心", "subdistrict": "全街道", "area_km2": "辖区面积"}
    raw = pd.DataFrame([
        {"at": "2026-12-05 01:00:00", "username": "zx", "action_label": "新增", "table_name": "care_occupancy",
         "record_key": "care_centre/2026-12-05", "community": "中兴", "before": None,
         "after": {"facility": "care_centre", "day": "2026-12-05", "occupied": 48}},
        {"at": "2026-12-05 02:00:00", "username": "admin", "action_label": "新增", "table_name": "fact",
         "record_key": "subdistrict/area_km2/2026-12-05", "community": None, "before": {"value": 8.4},
         "after": {"subject": "subdistrict", "indicator": "area_km2", "value": 8.5}},
    ])
    view = audit_view.audit_table(raw, names)
    assert view["记录"].tolist() == ["光武街道综合养老服务中心 · 2026-12-05", "全街道 · 辖区面积 · 2026-12-05"]
    assert view["修改后"].tolist() == ["机构：光武街道综合养老服务中心；日期：2026-12-05；入住人数：48",
                                    "对象：全街道；指标：辖区面积；数值：8.5"]
    assert view["修改前"].tolist() == ["", "数值：8.4"] and view["数据表"].tolist() == ["每日入住", "指标数据"]


def test_my_checks_page_tells_none_filed_from_all_closed(engine):  # noqa: F811
    """A 网格员 who has filed nothing read 「您登记的核查事项都已办结」 — as if there had been some; it says which."""
    today = staff_apptest.TODAY

    def info() -> list[str]:
        at = staff_apptest.sign_in("zx")
        at.switch_page("pages/my_checks.py").run()
        return [i.value for i in staff_apptest.clean(at).info]

    assert info() == ["您还没有登记过核查事项。"]
    zx = auth.authenticate("zx", staff_apptest.PASSWORD, engine=engine)
    done = writes.file_site_check(zx, community="中兴", category="消防安全", finding="消防通道堆物", status="待整改",
                                  lon=112.52, lat=33.0, engine=engine, today=today)
    writes.update_site_check(zx, done.id, status="已办结", engine=engine, today=today)
    assert info() == ["您登记的 1 项核查事项都已办结。"]
