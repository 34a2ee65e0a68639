"""Names on the map (geo.deck_labels via geo.deck.build_deck): every road, the railway, both rivers, both
reservoirs and 南阳站 are written on the map at the page, tablet and wall map widths, and no two labels
(nor a label and a community name) overlap."""
from __future__ import annotations

import json

import pytest

from geo import deck_data as dd
from geo.deck import FEATURE_LABEL_PX, build_deck
from geo.deck_labels import _box, boxes, metres_per_pixel
from geo.layers import load_all

MUST = {"人民路", "工业路", "车站路", "百里奚路", "建设路", "光武大道", "范蠡路", "张衡大道", "焦枝铁路", "三里河", "梅溪河",
        "洛洼水库", "榆树庄水库", "南阳站", "文化路北延"}


@pytest.fixture(scope="module")
def layers():
    return load_all()


def _overlap(a, b) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


@pytest.mark.parametrize("size", [(640, 480), (984, 560), (1400, 700), (1967, 1166)], ids=str)
def test_every_layer_is_named_without_collisions(layers, size):
    deck = build_deck(layers=layers, width=size[0], height=size[1])
    zoom = deck.initial_view_state.zoom
    layer = next(lay for lay in deck.layers if lay.id == "feature-labels")
    rows = layer.data
    names = [r["name"] for r in rows]
    assert MUST <= set(names), f"missing on the map: {MUST - set(names)}"
    assert not [n for n in names if n.startswith("专业批发市场")]  # invented positions: legend, not 11 labels
    placed = boxes(rows, zoom=zoom, size=FEATURE_LABEL_PX)
    mpp = metres_per_pixel(33.0, zoom)
    communities = [_box(*dd.point_xy(g), n, mpp=mpp, size=FEATURE_LABEL_PX)
                   for n, g, _ in dd.normalise(layers["communities"])]
    for i, a in enumerate(placed):
        for j, b in enumerate(placed[i + 1:], i + 1):
            assert not _overlap(a, b), f"labels overlap: {names[i]} / {names[j]}"
        for c in communities:
            assert not _overlap(a, c), f"{names[i]} covers a community name"
    # CJK glyphs come from the exact character set (deck.gl draws nothing for characters outside it)
    spec = json.loads(deck.to_json())
    text = next(lay for lay in spec["layers"] if lay["id"] == "feature-labels")
    assert set("".join(names)) <= set(text["characterSet"]) and "Noto Sans CJK SC" in text["fontFamily"]
    assert text["getPixelOffset"] == "@@=offset" and text["getTextAnchor"] == "@@=anchor"


@pytest.mark.parametrize("width", [440, 800], ids=["desk-width", "wall-width"])
@pytest.mark.parametrize("height", [460, 420], ids=["overview-map", "model-map"])
def test_wall_names_are_large_and_never_overlap(layers, height, width):
    """The wall's maps (ui/screen_views.py): names at MAP_LABEL_PX (≥ 2.2 % of the 1080-line reference height,
    zoomed with the screen), every community named, no two names overlapping (at 24 px 榆树庄 and 小铁路
    would cover 光彩: they move aside), and the big names still include 南阳站, the railway and the rivers."""
    from ui.wall_css import MAP_FIT_WIDTH_PX, MAP_LABEL_PX, MIN_SHARE, REFERENCE_HEIGHT_PX

    assert MAP_LABEL_PX >= MIN_SHARE * REFERENCE_HEIGHT_PX
    assert MAP_FIT_WIDTH_PX == 800
    deck = build_deck(layers=layers, width=width, height=height, label_px=MAP_LABEL_PX,
                      community_values={})
    zoom = deck.initial_view_state.zoom
    spec = json.loads(deck.to_json())
    text_layers = {lay["id"]: lay for lay in spec["layers"] if lay["@@type"] == "TextLayer"}
    assert set(text_layers) == {"labels", "feature-labels"}
    assert {lay["getSize"] for lay in text_layers.values()} == {MAP_LABEL_PX}
    rows = text_layers["labels"]["data"] + text_layers["feature-labels"]["data"]
    names = [r["name"] for r in rows]
    assert {n for n, _, _ in dd.normalise(layers["communities"])} <= set(names)
    assert {"南阳站", "焦枝铁路", "梅溪河", "三里河"} <= set(names)
    placed = boxes(rows, zoom=zoom, size=MAP_LABEL_PX)
    for i, a in enumerate(placed):
        for j, b in enumerate(placed[i + 1:], i + 1):
            assert not _overlap(a, b), f"labels overlap: {names[i]} / {names[j]}"


def test_desk_maps_keep_their_label_size(layers):
    spec = json.loads(build_deck(layers=layers, width=440, height=560, community_values={}).to_json())
    assert {lay["getSize"] for lay in spec["layers"] if lay["@@type"] == "TextLayer"} == {FEATURE_LABEL_PX}


def test_a_name_due_north_of_another_has_the_same_east_west_box():
    """Label boxes share one east-west scale: with each label's own latitude, a box 0.003° further north
    moved ~300 m west at 112.5° E, so the wall's 百里奚路 was placed over the moved-up 光彩."""
    mpp = metres_per_pixel(33.0, 13.0)
    south, north = (_box(112.5, lat, "百里奚路", mpp=mpp, size=24) for lat in (33.0, 33.003))
    assert north[0] == pytest.approx(south[0], abs=0.5) and north[2] == pytest.approx(south[2], abs=0.5)
    assert north[1] > south[1]
