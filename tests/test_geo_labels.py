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
