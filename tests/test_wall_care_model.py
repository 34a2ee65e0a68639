"""The wall's 养老 and 示范 views through AppTest (issue #14): the 15-minute walking circle on the map with its
stated radius, the four 「六助」 services the article names (报道) and the two it does not; the L-shaped cluster
and the 榆树庄 pilot outlined on the map with their legend entries, and the naming date. Plus lib.wall_content."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from geo.layers import meters_between
from geo.service_area import LEGEND, PROJECTED_CRS, WALK_RADIUS_M, service_circle, walk_radius_m
from lib import wall_content
from tests.test_pages_apptest import APP

CLUSTER = {"大官庄", "中兴", "工业路", "西华"}
CENTRE = (112.5262, 33.0032)  # the care centre's (schematic) point in the seeded pois layer


def wall_view(view: str, community: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["screen"] = "1"
    at.query_params["pause"] = "1"
    if community:
        at.query_params["community"] = community
    at.session_state["screen.view"] = view
    at.run()
    assert not at.exception, [str(e.value) for e in at.exception]
    assert not [i for i in at.info if "暂时无法显示" in str(i.value)], "a panel failed"
    return at


def html_text(at) -> str:
    return "\n".join(e.proto.body for e in at.get("html"))


def deck_layers(at) -> dict[str, dict]:
    decks = at.get("deck_gl_json_chart")
    assert decks, "the view draws the map"
    return {layer["id"]: layer for layer in json.loads(decks[-1].proto.json)["layers"]}


def test_walk_radius_and_projected_buffer():
    assert walk_radius_m() == WALK_RADIUS_M == 1125.0 and PROJECTED_CRS == "EPSG:4547"
    assert LEGEND == "15分钟步行圈（示意，按步行 4.5 km/h 约 1.1 km 半径）"
    ring = service_circle(*CENTRE)
    distances = [meters_between(CENTRE, xy) for xy in ring.exterior.coords]
    assert min(distances) == pytest.approx(1125, abs=1) and max(distances) == pytest.approx(1125, abs=1)
    # a circle in metres, not in degrees: ~20 % wider in longitude than in latitude at 33°N
    minx, miny, maxx, maxy = ring.bounds
    assert (maxx - minx) / (maxy - miny) == pytest.approx(1 / 0.8387, rel=0.01)


def test_care_view_circle_and_six_services(app_db):
    at = wall_view("养老")
    layers = deck_layers(at)
    circle = layers["circles"]["data"]
    assert len(circle) == 1 and circle[0]["radius_m"] == 1125.0 and circle[0]["name"] == LEGEND
    ring = circle[0]["polygon"][0]
    assert all(meters_between(CENTRE, xy) == pytest.approx(1125, abs=2) for xy in ring)
    body = html_text(at)
    assert LEGEND in body, "the legend states the circle's assumption"
    for service in ("理发", "洗浴", "出行", "就餐"):
        assert f"<li class='gw-service'>{service} <span class='gw-tag gw-tag-article'" in body, service
    assert body.count("<li class='gw-service'>") == 4, "only the services the article names"
    assert "“六助”中另2项报道未列明" in body and "“六助”上门服务（据报道）" in body
    assert "理发、洗浴、出行、就餐等“六助”上门服务" in body, "with the article's words"
    assert "打造“15分钟养老服务站”" in body
    shown = body + "".join(str(m.label) + str(m.value) for m in at.metric)
    assert "养老中心床位" in shown, "beds and free beds are on the view"


def test_model_view_cluster_pilot_and_naming_date(app_db):
    at = wall_view("示范社区")
    layers = deck_layers(at)
    assert {r["name"] for r in layers["cluster"]["data"]} == CLUSTER
    assert {r["name"] for r in layers["pilot"]["data"]} == {"榆树庄"}
    body = html_text(at)
    assert "L形连片打造（报道）" in body and "铁路以西先行先试区 · 榆树庄（报道）" in body  # legend and text
    assert "<b>2023年9月23日</b>，大官庄、中兴、工业路、西华被命名为示范社区" in body
    assert "2023年9月23日，该街道中兴、大官庄、西华、工业路等4个社区" in body, "the naming quote"
    assert "将大官庄—中兴—工业路—西华社区串联成“L”形进行连片打造" in body


def test_model_view_before_the_naming_date(app_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"screen": "1", "pause": "1", "as_of": "2023-09-22"})
    at.session_state["screen.view"] = "示范社区"
    at.run()
    assert not at.exception
    body = html_text(at)
    assert "被命名为示范社区" not in body and "L形连片打造（报道）" in body


@pytest.mark.parametrize("community, expected", [
    ("中兴", {"养老", "示范社区"}), ("榆树庄", {"示范社区"}), ("白庄", set()), (None, {"养老", "示范社区"})])
def test_rotation_skips_the_views_with_nothing_for_the_community(app_db, community, expected):
    """lib.wall_views: 养老 only where a care facility is, 示范社区 only where the article tells of the campaign."""
    at = wall_view("总览", community=community)
    options = set(at.pills(key="screen.view").options)
    assert options & {"养老", "示范社区"} == expected, options
    assert {"总览", "五星支部"} <= options


def test_has_care_and_model(seeded):
    assert wall_content.has_care("中兴", engine=seeded) and not wall_content.has_care("白庄", engine=seeded)
    assert wall_content.has_model("榆树庄", engine=seeded) and wall_content.has_model("西华", engine=seeded)
    assert not wall_content.has_model("华盛", engine=seeded)
    m = wall_content.model_map(engine=seeded)
    assert m.cluster == ["大官庄", "中兴", "工业路", "西华"] and m.pilot == ["榆树庄"]
    assert [(n.day, set(n.communities), n.kind) for n in m.namings] == [(dt.date(2023, 9, 23), CLUSTER, "article")]
    assert set(m.named) == CLUSTER and m.quote_of(m.namings[0]) == m.named_quote
    c = wall_content.care_circle(engine=seeded)
    assert c.services == ["理发", "洗浴", "出行", "就餐"] and c.services_total == 6 and c.unnamed == 2
    assert c.services_word == "六助"
    assert (c.lon, c.lat) == CENTRE and c.community == "中兴"


def test_care_trend_says_what_its_red_line_is(app_db):
    """Nobody hovers on the wall: the red line is labelled 「床位 50张」 on the chart, and dates read 「8月27日」 as
    on every other chart (it was an unlabelled red line over 「08月27日」)."""
    import json

    at = wall_view("养老")
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    text = json.dumps(specs, ensure_ascii=False)
    assert "床位 50张" in text, text[:2000]
    assert "%m月%d日" not in text and "%-m月%-d日" in text
