"""The map's community tooltips say what the colour means, with its source and date (a leader hovering at a desk
must be able to defend it): the 示范 colouring showed a rank (「示范社区状态：3」), no tooltip named 示例/报道/录入
or a date (a staff occupancy looked like any other), and the side of the railway read as fact."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _tips(metric: str) -> dict[str, str]:
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.selectbox(key="overview.map.metric").set_value(metric).run()
    assert not at.exception
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    layer = next(lay for lay in spec["layers"] if lay["id"] == "communities")
    return {row["name"]: row["tip"] for row in layer["data"]}


@pytest.mark.parametrize("metric, name, expected", [
    ("model", "中兴", "铁路以东（示意） · 示范社区状态：已命名示范社区（报道 · 2023年9月23日）"),
    ("model", "榆树庄", "铁路以西（报道） · 示范社区状态：先行先试（报道 · 2023年1月1日）"),
    ("stars", "中兴", "铁路以东（示意） · 五星达标数：4颗星已达标（示例 · "),
    ("care", "中兴", "铁路以东（示意） · 养老床位入住率：48/50 床（96%）（报道 · 2023年11月22日）"),
    ("care", "华盛", "铁路以东（示意） · 养老床位入住率：无数据"),
    ("relocation", "华盛", "铁路以东（示意） · 征迁签约进度：已签约 62/78 户（示例 · 2023年11月15日）"),  # as the card
])
def test_a_community_tooltip_names_the_value_its_source_and_date(app_db, metric, name, expected):
    tip = _tips(metric)[name]
    assert tip.startswith(expected), tip
