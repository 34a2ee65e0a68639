"""Queries added for the 五星/示范社区/征迁/养老/档案 pages, on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest

from lib.queries.care import occupancy_watch
from lib.queries.communities import community_summary
from lib.queries.model_communities import improvement_projects, model_timeline
from lib.spatial import containing_area, representative_lonlat

D = dt.date
L_CLUSTER = ["大官庄", "中兴", "工业路", "西华"]


def test_model_timeline_spans(seeded):
    spans = model_timeline(until=D(2023, 11, 22), engine=seeded)
    assert spans["community"].drop_duplicates().tolist()[:4] == L_CLUSTER  # community sort order
    zx = spans[spans["community"] == "中兴"].reset_index(drop=True)
    assert zx["status"].tolist() == ["创建中", "已命名示范社区"]
    assert zx.loc[0, "end"] == D(2023, 9, 23) and not zx.loc[0, "open"]
    assert zx.loc[1, "start"] == D(2023, 9, 23) and zx.loc[1, "end"] == D(2023, 11, 22) and zx.loc[1, "open"]
    assert spans[spans["community"] == "榆树庄"]["status"].tolist() == ["先行先试"]
    assert len(spans) == 15 and not spans["is_demo"].any()


def test_model_timeline_as_of(seeded):
    spans = model_timeline(as_of=D(2023, 9, 22), until=D(2023, 11, 22), engine=seeded)
    assert "已命名示范社区" not in set(spans["status"])
    assert set(spans["end"]) == {D(2023, 9, 22)}  # cut at the as-of date, not at `until`
    assert model_timeline(as_of=D(2022, 12, 31), engine=seeded).empty


def test_improvement_projects_have_locations(seeded):
    df = improvement_projects(engine=seeded).set_index("subject")
    assert list(df.index) == ["环湖游园", "三里河健康步道", "清风巷", "梅溪河小游园"]
    assert df[["lon", "lat"]].notna().all().all()
    assert df["location_schematic"].all()
    assert df.loc["清风巷", "stated_community"] == "中兴"  # the article: 中兴社区光明巷 …「清风巷」
    assert df.loc["清风巷", "map_community"] == "中兴"
    assert df.loc["环湖游园", "stated_community"] is None
    assert "120余米" in df.loc["清风巷", "text"]
    only = improvement_projects(community="中兴", engine=seeded)
    assert only["subject"].tolist() == ["清风巷"]


def test_point_in_polygon_helpers():
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    assert containing_area(0.5, 0.5, {"A": square}) == "A"
    assert containing_area(1.0, 0.5, {"A": square}) == "A"  # on the boundary counts
    assert containing_area(2, 2, {"A": square}) is None
    assert representative_lonlat({"type": "Point", "coordinates": [112.5, 33.0]}) == (112.5, 33.0)
    assert containing_area(*representative_lonlat(square), {"A": square}) == "A"


def test_community_summary(seeded):
    df = community_summary(engine=seeded).set_index("name")
    assert len(df) == 11
    assert df.loc["中兴", "published_figures"] == 25
    assert (df.drop(index="中兴")["published_figures"] == 0).all()
    assert df.loc["中兴", "honours"] == "红旗基层党组织、省级“文明单位”、曲艺先进社区"
    assert "诸葛书屋" in df.loc["中兴", "places"] and "光武街道综合养老服务中心" in df.loc["中兴", "places"]
    assert "、综合养老服务中心" not in df.loc["中兴", "places"]  # the short duplicate name is dropped
    assert df.loc[L_CLUSTER, "model_status"].eq("已命名示范社区").all()
    assert df.loc["榆树庄", "model_status"] == "先行先试"
    assert df["stars_demo"].all() and df["stars"].between(0, 5).all()


def test_community_summary_as_of(seeded):
    past = community_summary(as_of=D(2023, 9, 22), engine=seeded).set_index("name")
    assert past.loc["中兴", "model_status"] == "创建中"
    assert past.loc["中兴", "published_figures"] == 0  # the article's figures hold from 2023-11-22
    before = community_summary(as_of=D(2022, 12, 31), engine=seeded)
    assert before["model_status"].isna().all() and before["stars"].isna().all()


@pytest.mark.parametrize(("warning", "low_last"), [(3, True), (2, False), (0, False)])
def test_occupancy_watch(seeded, warning, low_last):
    df = occupancy_watch(facility="care_centre", free_beds_warning=warning, engine=seeded)
    last = df.iloc[-1]
    assert last["day"] == D(2023, 11, 22) and last["occupied"] == 48 and not last["is_demo"]
    assert last["threshold"] == 50 - warning
    assert bool(last["low_free"]) is low_last  # 2 free beds
    assert (df["occupied"] <= df["beds"]).all()
    assert (df["low_free"] == (df["free"] < warning)).all()
    assert df.iloc[:-1]["is_demo"].all()


def test_occupancy_watch_empty(seeded):
    assert occupancy_watch(facility="day_care", free_beds_warning=3, engine=seeded).empty
    assert occupancy_watch(facility="care_centre", free_beds_warning=3, as_of=D(2022, 12, 31), engine=seeded).empty
