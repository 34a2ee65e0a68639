"""Small lib/geo helpers behind the staff pages: phone masking, the household ladder, the map pick grid,
the pick layer of the deck, and single sign-on account mapping."""
from __future__ import annotations

import json

import pytest
from shapely.geometry import Point, box
from staff_fixtures import _staff_templates, quiet_world, world  # noqa: F401

from geo.deck import build_deck
from geo.layers import buffer_metric, load_layer, meters_between
from geo.deck_labels import metres_per_pixel
from geo.pick import centre, feature_geometry, pick_grid, touch_spacing_m
from lib.audit import audit_log
from lib.errors import GeometryError
from lib.form_options import next_household_step
from lib.privacy import mask_phone_numbers
from lib.sso import actor_for_identity


@pytest.mark.parametrize("text, masked", [
    ("联系人电话13812345678", "联系人电话***********"),
    ("请回电 138 1234 5678。", "请回电 *** **** ****。"),
    ("座机0377-63123456", "座机0377-********"),
    ("全角１３８１２３４５６７８", "全角***********"),
    ("2024-01-05 门牌12号，投入123456元", "2024-01-05 门牌12号，投入123456元"),  # dates, amounts < 7 digits stay
    ("", ""),
    (None, None),
])
def test_mask_phone_numbers(text, masked):
    assert mask_phone_numbers(text) == masked


def test_next_household_step():
    assert [next_household_step(s) for s in (None, "未签约", "已签约", "已交钥匙", "已拆除")] == \
        ["未签约", "已签约", "已交钥匙", "已拆除", None]
    with pytest.raises(ValueError):
        next_household_step("已搬走")


def test_pick_grid_spacing_and_containment():
    communities = load_layer("communities")
    geom = communities.set_index("name").geometry["中兴"]
    pts = pick_grid(geom, 60)
    assert 50 < len(pts) < 400
    assert all(geom.contains(Point(p)) for p in pts)
    assert meters_between(pts[0], pts[1]) == pytest.approx(60, abs=0.5)  # neighbours in a row, in metres
    lon, lat = centre(geom)
    assert geom.contains(Point(lon, lat))


def test_pick_grid_small_and_large_areas():
    tiny = buffer_metric((112.52, 33.0), 10)  # 20 m across: smaller than one cell → its centre
    assert pick_grid(tiny, 60) == [centre(tiny)]
    big = box(112.40, 32.90, 112.60, 33.10)  # ~19 × 22 km: thinned to stay small
    assert len(pick_grid(big, 60, max_points=300)) <= 300
    with pytest.raises(GeometryError):
        pick_grid(Point(112.5, 33.0), 60)
    with pytest.raises(GeometryError):
        pick_grid(tiny, 0)


def _communities():
    return [{"name": n, "geometry": g.__geo_interface__, "properties": {}}
            for n, g in zip(load_layer("communities")["name"], load_layer("communities").geometry)]


def test_deck_pick_layer_on_top_and_focused():
    records = _communities()
    geom = feature_geometry(records, "中兴")
    pts = [{"lon": x, "lat": y, "chosen": i == 3} for i, (x, y) in enumerate(pick_grid(geom, 60))]
    spec = json.loads(build_deck(layers={"communities": records}, selected="中兴", pick_points=pts,
                                 focus=geom.bounds, height=420).to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert [x["id"] for x in spec["layers"][-2:]] == ["pick", "pick-dots"]  # tap targets, then the dots on top
    assert layers["pick"]["pickable"] is True and layers["pick-dots"]["pickable"] is False
    rows, dots = layers["pick"]["data"], layers["pick-dots"]["data"]
    assert len(rows) == len(dots) == len(pts) and {"lon", "lat", "position"} <= set(rows[0])
    assert layers["pick"]["getRadius"] * 2 >= 44  # a finger-sized tap target (pixels)
    chosen = [r for r in dots if r["color"] == [239, 68, 68, 255]]  # red, as the caption says (红色大点)
    assert len(chosen) == 1 and dots[-1]["color"] == [239, 68, 68, 255]  # drawn last, on top
    blue = [r["color"] for r in dots[:-1]]
    assert all(c[2] > c[0] and c[2] > 200 for c in blue)  # the others blue (蓝点)
    assert chosen[0]["radius"] > max(r["radius"] for r in dots[:-1])  # larger
    assert layers["pick"].get("autoHighlight") is not True  # a highlight tinted the red point purple
    view = spec["initialViewState"]
    assert 14 <= view["zoom"] <= 17 and geom.bounds[0] < view["longitude"] < geom.bounds[2]
    assert feature_geometry(records, "不存在") is None


@pytest.mark.parametrize("name", ["中兴", "光彩", "榆树庄"])
def test_pick_grid_targets_a_finger_apart_on_screen(name):
    """At the picker map's zoom, neighbouring candidate points are ≥ 44 px apart (tap targets do not overlap)."""
    geom = feature_geometry(_communities(), name)
    spacing = touch_spacing_m(geom.bounds, 420, 60)
    pts = pick_grid(geom, spacing)
    spec = json.loads(build_deck(layers={"communities": _communities()}, pick_points=[
        {"lon": x, "lat": y} for x, y in pts], focus=geom.bounds, height=420).to_json())
    view = spec["initialViewState"]
    mpp = metres_per_pixel(view["latitude"], view["zoom"])
    if len(pts) > 1:
        nearest = min(meters_between(a, b) for i, a in enumerate(pts) for b in pts[i + 1:])
        assert nearest / mpp >= 44, (name, nearest, mpp)
    assert spacing >= 60


def test_sso_maps_only_existing_active_accounts(world):  # noqa: F811
    actor = actor_for_identity([None, "zx"], engine=world.engine)
    assert actor == world.staff
    assert actor_for_identity(["nobody@example.org"], engine=world.engine) is None
    log = audit_log(user="zx", engine=world.engine)
    assert (log["action"] == "login").any()
