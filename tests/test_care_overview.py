"""Many elder-care facilities: the per-facility summary query (both backends) and the 养老服务 page
that shows one summary table and the details of the facility picked (AppTest)."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import select
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from lib import config, db
from lib.db import session_scope
from lib.models import CareFacility, CareOccupancy, Community, Source
from lib.queries import care
from lib.seed import seed
from tests.test_pages_apptest import APP, assert_clean, metrics, texts

D = dt.date(2023, 11, 20)


def add_home(engine, *, beds: int = 10) -> None:
    """A second facility with beds (demo) in 西华: 9 residents on D−1; on D first 7, then corrected to 12
    (more than its beds: shown capped at 10)."""
    with session_scope(engine) as s:
        demo = s.scalar(select(Source.id).where(Source.kind == "demo"))
        xihua = s.scalar(select(Community.id).where(Community.name == "西华"))
        home = CareFacility(key="test_home", name="测试养老院", community_id=xihua, beds=beds, kind="养老机构",
                            source_id=demo)
        s.add(home)
        s.flush()
        s.add_all([
            CareOccupancy(facility_id=home.id, day=D - dt.timedelta(days=1), occupied=9, source_id=demo,
                          recorded_at=dt.datetime(2023, 11, 19, 9)),
            CareOccupancy(facility_id=home.id, day=D, occupied=7, source_id=demo, recorded_at=dt.datetime(2023, 11, 20, 9)),
            CareOccupancy(facility_id=home.id, day=D, occupied=12, source_id=demo,
                          recorded_at=dt.datetime(2023, 11, 20, 17)),
        ])


@pytest.fixture
def two_homes(empty_engine):
    seed(empty_engine)
    add_home(empty_engine)
    return empty_engine


def test_overview_one_row_per_facility_with_beds(two_homes):
    df = care.occupancy_overview(engine=two_homes).set_index("key")
    assert list(df.index) == ["test_home", "care_centre"]  # fewest free beds first (0, then 2)
    home, centre = df.loc["test_home"], df.loc["care_centre"]
    assert (home["occupied"], home["beds"], home["free"], home["day"]) == (10, 10, 0, D)  # newest record, capped
    assert bool(home["is_demo"]) and home["community"] == "西华"
    assert (centre["occupied"], centre["free"], bool(centre["is_demo"])) == (48, 2, False)  # the article's 48/50
    assert centre["rate"] == pytest.approx(0.96)
    assert "day_care" not in df.index and len(df) == 2  # the day-care centre has no beds
    warned = care.occupancy_overview(free_beds_warning=2, engine=two_homes).set_index("key")["low_free"]
    assert warned.to_dict() == {"test_home": True, "care_centre": False}  # 0 < 2 free; 2 is not < 2


@pytest.mark.parametrize(("as_of", "expected"), [
    (D - dt.timedelta(days=1), 9),  # the day before: that day's only record
    (D, 10),  # the corrected record of D, capped at 10 beds
    (dt.date(2020, 1, 1), None),  # before any report: listed, with no figures
])
def test_overview_as_of(two_homes, as_of, expected):
    row = care.occupancy_overview(as_of=as_of, engine=two_homes).set_index("key").loc["test_home"]
    assert bool(row["reported"]) is (expected is not None)
    assert (None if pd.isna(row["occupied"]) else int(row["occupied"])) == expected


def test_overview_by_community(two_homes):
    assert list(care.occupancy_overview(community="西华", engine=two_homes)["key"]) == ["test_home"]
    assert care.occupancy_overview(community="刘庄", engine=two_homes).empty


@pytest.fixture
def app_two_homes(app_db, tmp_path, monkeypatch):
    """A private copy of the app database with the second facility; the app pointed at it."""
    target = tmp_path / "care.db"
    src, dst = sqlite3.connect(make_url(app_db).database), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    url = f"sqlite:///{target}"
    add_home(db.get_engine(url))
    monkeypatch.setenv("DATABASE_URL", url)
    for clear in (config.settings.cache_clear, db.get_engine.cache_clear, st.cache_data.clear):
        clear()
    yield url
    monkeypatch.undo()
    for clear in (config.settings.cache_clear, db.get_engine.cache_clear, st.cache_data.clear):
        clear()


def test_page_many_facilities_table_and_picker(app_two_homes):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/eldercare.py").run()
    assert_clean(at, "eldercare")
    table = at.dataframe[0].value
    assert list(table["设施"]) == ["测试养老院", "光武街道综合养老服务中心"]
    assert list(table["空床"]) == [0, 2] and list(table["预警"]) == ["空床不足", "空床不足"]
    assert list(table["来源"]) == ["示例数据", "新闻报道"]
    m = metrics(at)
    assert m["有床位的设施 · 含示例"] == "2家" and m["床位合计 · 含示例"] == "60张" and m["入住合计 · 含示例"] == "58人"
    picker = at.selectbox(key="care.facility")
    assert picker.value == "care_centre"  # the article's facility first
    assert m["入住（2023年11月22日）"] == "48/50"
    picker.set_value("test_home").run()
    assert_clean(at, "eldercare")
    m = metrics(at)
    assert m["入住（2023年11月20日） · 示例"] == "10/10"
    assert "入住率 100%：空床仅 0 张，少于预警值 3 张。" in texts(at.error)
    assert "光武街道综合养老服务中心" not in texts(at.subheader)  # one facility's details at a time


def test_page_one_facility_has_no_picker(app_db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/eldercare.py").run()
    assert_clean(at, "eldercare")
    assert not [s for s in at.selectbox if s.key == "care.facility"]
    assert "床位概况" not in texts(at.subheader)


def _red_days(at: AppTest) -> int:
    caption = next(c for c in texts(at.caption) if c.startswith("灰色虚线"))
    return int(caption.split("共 ")[1].split(" 天")[0])


def test_chart_window(app_db):
    """The daily chart spans 近1年 by default (all of the seed's 2023 days); 近90天 narrows it."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/eldercare.py").run()
    window = at.segmented_control(key="care.window")
    assert window.value == "近1年" and window.options == ["近90天", "近1年", "全部"]
    year = _red_days(at)
    window.set_value("近90天").run()
    assert_clean(at, "eldercare")
    assert 0 < _red_days(at) < year  # fewer warning days inside 90 days than in the year
    at.segmented_control(key="care.window").set_value("全部").run()
    assert _red_days(at) == year  # the seed's series is shorter than a year
