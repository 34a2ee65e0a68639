"""The pydeck map spec: offline, deterministic, small, with Chinese labels."""
from __future__ import annotations

import json
import math

import pytest

from geo.deck import build_deck, label_characters, legend_items, spec_size_bytes
from geo.deck_json import SerializedDeck
from geo.deck_style import DEFAULT_SCALE, NO_DATA_COLOR
from geo.layers import feature_records, load_all, LAYER_NAMES

ALL_VISIBLE = {*LAYER_NAMES, "labels"}


@pytest.fixture(scope="module")
def layers():
    return load_all()


@pytest.fixture(scope="module")
def values(layers):
    vals = {name: float(i) * 2.5 for i, name in enumerate(layers["communities"]["name"])}
    vals["麒麟"] = None
    return vals


def _deck(layers, values, **kwargs):
    args = dict(layers=layers, community_values=values, metric_label="老年人口占比（%）", selected="中兴",
                visible=ALL_VISIBLE, extra_points=[{"lon": 112.52, "lat": 33.0, "name": "核查点"}])
    args.update(kwargs)
    return build_deck(**args)


def _spec(deck) -> dict:
    return json.loads(deck.to_json())


def test_layers_present_by_stable_id(layers, values):
    ids = [layer["id"] for layer in _spec(_deck(layers, values))["layers"]]
    for expected in ("context", "communities", "outline", "reservoirs", "rivers", "roads", "railway",
                     "railway-dash", "projects", "pois", "checks", "selected", "labels"):
        assert expected in ids
    assert len(ids) == len(set(ids))


def test_no_outside_requests_without_tiles(layers, values):
    deck = _deck(layers, values)
    text = deck.to_json()
    spec = json.loads(text)
    assert spec.get("mapProvider") is None
    # pydeck's sentinel: Streamlit draws no basemap for it (None would fetch a Carto style)
    assert spec.get("mapStyle") in (None, "__MAP_STYLE__")
    assert "http" not in text.lower()
    assert "cartocdn" not in text and "mapbox" not in text.lower()


def test_self_hosted_tiles_become_bitmap_layers(layers, values):
    url = "http://tiles.intranet/guangwu/{z}/{x}/{y}.png"
    spec = _spec(_deck(layers, values, tile_url=url))
    tiles = [layer for layer in spec["layers"] if layer["id"].startswith("tiles-")]
    assert 4 <= len(tiles) <= 100
    assert all(t["@@type"] == "BitmapLayer" and t["image"].startswith("http://tiles.intranet/guangwu/15/")
               for t in tiles)
    assert spec["layers"][0]["id"].startswith("tiles-")  # drawn underneath everything


def test_spec_is_small_and_deterministic(layers, values):
    first = _deck(layers, values)
    second = _deck(load_all(), dict(values))
    assert first.to_json() == second.to_json()
    assert spec_size_bytes(first) < 150_000
    assert spec_size_bytes(first) == len(first.to_json().encode("utf-8"))


def test_serialized_deck_sends_what_the_deck_would(layers, values):
    import pickle

    from streamlit.elements.deck_gl_json_chart import _get_pydeck_tooltip

    deck = _deck(layers, values, height=420)
    frozen = pickle.loads(pickle.dumps(SerializedDeck(deck)))  # as st.cache_data keeps it
    assert json.loads(frozen.to_json()) == json.loads(deck.to_json())  # the same map, compact (no indent, UTF-8)
    assert "\n" not in frozen.to_json() and len(frozen.to_json()) < len(deck.to_json()) / 2
    assert json.loads(frozen.to_json())["layers"]  # the whole map, not the empty shell's layers
    assert frozen.layers == []
    assert _get_pydeck_tooltip(frozen) == _get_pydeck_tooltip(deck) and _get_pydeck_tooltip(frozen)


def test_feature_dicts_give_the_same_spec(layers, values):
    records = {name: feature_records(name) for name in LAYER_NAMES}
    assert _deck(records, values).to_json() == _deck(layers, values).to_json()


def test_community_colours_and_no_data(layers, values):
    spec = _spec(_deck(layers, values))
    rows = next(layer for layer in spec["layers"] if layer["id"] == "communities")["data"]
    assert {row["name"] for row in rows} == set(layers["communities"]["name"])
    grey = [int(NO_DATA_COLOR[i:i + 2], 16) for i in (1, 3, 5)]
    qilin = next(row for row in rows if row["name"] == "麒麟")
    assert qilin["fill"][:3] == grey and "无数据" in qilin["tip"]
    top = max((v, k) for k, v in values.items() if v is not None)[1]
    top_row = next(row for row in rows if row["name"] == top)
    assert top_row["fill"][:3] == [int(DEFAULT_SCALE[-1][i:i + 2], 16) for i in (1, 3, 5)]
    layer = next(layer for layer in spec["layers"] if layer["id"] == "communities")
    assert layer["pickable"] is True and layer["autoHighlight"] is True


def test_labels_character_set_covers_every_label(layers, values):
    spec = _spec(_deck(layers, values))
    text_layer = next(layer for layer in spec["layers"] if layer["id"] == "labels")
    labels = [row["name"] for row in text_layer["data"]]
    assert set("".join(labels)) <= set(text_layer["characterSet"])
    assert text_layer["characterSet"] == label_characters(labels)
    assert "Noto Sans CJK SC" in text_layer["fontFamily"]


def test_tooltip_fields_exist_on_pickable_objects(layers, values):
    deck = _deck(layers, values)
    assert "{name}" in deck._tooltip["html"] and "{tip}" in deck._tooltip["html"]
    for layer in _spec(deck)["layers"]:
        if layer.get("pickable"):
            assert all("name" in row and "tip" in row for row in layer["data"]), layer["id"]


def test_view_is_centred_on_the_subdistrict(layers, values):
    view = _spec(_deck(layers, values))["initialViewState"]
    assert 112.505 < view["longitude"] < 112.522 and 32.995 < view["latitude"] < 33.010
    assert 13.3 <= view["zoom"] <= 14 and view["pitch"] == 0


def test_visibility_and_selection(layers, values):
    spec = _spec(_deck(layers, values, visible={"communities"}, selected=None, extra_points=None))
    assert [layer["id"] for layer in spec["layers"]] == ["communities"]


def test_legend_items():
    items = legend_items({"a": 0.0, "b": 10.0, "c": None}, value_format="{:.0f}")
    assert items[0] == ("0–2", DEFAULT_SCALE[0])
    assert items[-2] == ("8–10", DEFAULT_SCALE[-1])
    assert items[-1] == ("无数据", NO_DATA_COLOR)
    assert legend_items({"a": 3.0, "b": 3.0}) == [("3.0", DEFAULT_SCALE[2])]
    assert legend_items({}) == [("无数据", NO_DATA_COLOR)]


def _pixel(lon: float, lat: float, view: dict, width: int, height: int) -> tuple[float, float]:
    """Where deck.gl's MapView (512-px Web-Mercator tiles) draws (lon, lat) in a width×height box."""
    scale = 512 * 2 ** view["zoom"] / (2 * math.pi)

    def merc(lo, la):
        return math.radians(lo) * scale, math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) * scale

    (x, y), (cx, cy) = merc(lon, lat), merc(view["longitude"], view["latitude"])
    return width / 2 + (x - cx), height / 2 - (y - cy)


# Map boxes (CSS px): the wall at 1920×1080 (64vh), pages at 1366, 1024 and 820 wide with and without the
# sidebar, the tablet check map, the wall's model map.
@pytest.mark.parametrize(("width", "height"), [(1830, 691), (1300, 560), (1000, 560), (940, 560), (690, 560),
                                               (770, 560), (470, 560), (470, 460), (760, 420)])
def test_view_fits_the_whole_subdistrict_into_the_box(layers, width, height):
    """Given the box, the outline is drawn whole with a margin, and as large as the box allows."""
    view = _spec(build_deck(layers={"outline": layers["outline"]}, visible={"outline"}, width=width,
                            height=height))["initialViewState"]
    minx, miny, maxx, maxy = layers["outline"].total_bounds
    (left, top), (right, bottom) = _pixel(minx, maxy, view, width, height), _pixel(maxx, miny, view, width, height)
    assert 0 < left < right < width and 0 < top < bottom < height, (left, top, right, bottom)
    assert max((right - left) / width, (bottom - top) / height) >= 0.85  # fills the limiting direction
    assert abs((left + right) / 2 - width / 2) < 1 and abs((top + bottom) / 2 - height / 2) < 1  # centred


def test_view_without_a_width_keeps_the_fixed_zoom(layers):
    from geo.deck import ZOOM

    assert _spec(build_deck(layers={"outline": layers["outline"]}))["initialViewState"]["zoom"] == ZOOM
