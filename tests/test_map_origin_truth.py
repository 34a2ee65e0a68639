"""After an administrator replaces map layers with survey data, every surface says which layers are surveyed (their
source and the day saved) and which are still 示意 — the desk map's note, the wall's caption, the 数据来源 page, the
overview's community card, the briefing pack's map, PDF and PNG, and the 专业批发市场 tooltip and legend. Before this,
only the tooltips changed: everything else still said 「社区边界、道路、河流、水库为示意」 over surveyed lines
(review of session 25, findings 1 and 2)."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

from PIL import Image
from shapely.geometry import mapping
from staff_apptest import engine  # noqa: F401 - the fixture
from staff_fixtures import _staff_templates  # noqa: F401 - the fixture engine uses
from streamlit.testing.v1 import AppTest

from geo.deck import build_deck
from geo.importer import read_geometry_file
from geo.layers import EAST_EDGE_NOTE, load_layer
from lib import clock, map_origin
from lib.auth import Actor
from lib.briefing import collect_pack
from lib.briefing.mapsvg import render_map
from lib.briefing.pdf import _data
from lib.fmt import cn_date
from lib.geometry_store import save_layer
from lib.queries.map_data import map_layers
from shown_text import texts

ADMIN = Actor("admin", "街道管理员", "街道管理员")  # the seeded administrator (tests/staff_fixtures.py)
SURVEY = "2024年光武街道1:2000地形图（某测绘院）"
SHIPPED = f"{EAST_EDGE_NOTE}，南阳站为公开位置；社区边界、道路、河流、水库为示意。"
APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _survey(engine, *layers: str) -> None:  # noqa: F811
    """What the admin page does with a surveyed file of each layer: read it, save it as a new version."""
    for name in layers:
        g = load_layer(name)
        g = g[[c for c in ("name", "category", "geometry") if c in g.columns]]
        g = g.set_geometry(g.geometry.translate(xoff=0.00005))
        feats = [{"type": "Feature", "geometry": mapping(r.pop("geometry")), "properties": r}
                 for r in g.to_dict("records")]
        data = json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False).encode()
        gdf = read_geometry_file(data, f"{name}_实测.geojson", layer=name)
        save_layer(ADMIN, layer=name, gdf=gdf, source_title=SURVEY, engine=engine)


def _text(svg: str) -> str:
    return "".join(re.findall(r">([^<]*)<", svg))


def test_the_shipped_map_keeps_its_sentence(engine):  # noqa: F811
    origin = map_origin.read(engine=engine)
    assert (origin.tag, origin.note) == ("示意图，非测绘成果", SHIPPED)


def test_the_note_names_the_surveyed_layers_and_keeps_the_rest_schematic(engine):  # noqa: F811
    _survey(engine, "communities", "roads")
    origin = map_origin.read(engine=engine)
    day = cn_date(clock.today())
    assert origin.tag == "示意图，部分图层为测绘数据"
    assert origin.note == (f"{EAST_EDGE_NOTE}，南阳站为公开位置；社区边界、道路为测绘数据（{SURVEY}，{day}导入）；"
                           "其余界线与位置为示意。")
    assert not origin.schematic("communities") and origin.schematic("rivers")


def test_every_surface_says_what_was_surveyed(engine):  # noqa: F811
    _survey(engine, "communities", "roads", "pois")
    old = "社区边界、道路、河流、水库为示意"

    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["community"] = "中兴"
    at.run()
    assert not at.exception, at.exception
    legend = next(str(h.proto.body) for h in at.get("html") if "gw-legend" in str(h.proto.body))
    assert 'data-tag="示意图，部分图层为测绘数据"' in legend and SURVEY in legend and old not in legend
    assert "专业批发市场（位置为示意" not in legend  # the 专业批发市场 are surveyed points now
    shown = " ".join(texts(at.markdown) + texts(at.caption) + [str(h.proto.body) for h in at.get("html")])
    assert "边界为示意" not in shown and "边界为测绘数据" in shown  # the 中兴 card

    at.switch_page("pages/sources.py").run()
    sources = " ".join(texts(at.markdown))
    assert SURVEY in sources and old not in sources

    wall = AppTest.from_file(APP, default_timeout=60)
    wall.query_params["screen"] = "1"
    wall.run()
    assert any("示意图，部分图层为测绘数据" in c for c in texts(wall.caption)), texts(wall.caption)
    assert not any("示意图，非测绘成果" in c for c in texts(wall.caption))

    pack = collect_pack(community=None, last_briefing=None, signed_in=True, engine=engine)
    data = _data(pack, {})
    assert data["map_note"] == "示意图，部分图层为测绘数据" and "非测绘成果" not in data["disclaimer"]
    svg = _text(render_map(pack.layers, status={}, origin=pack.map_origin))
    assert SURVEY in svg and old not in svg and "专业批发市场（位置为示意" not in svg
    assert "街道边界（示意）" in svg  # the outline was not replaced

    tips = [r["tip"] for layer in json.loads(build_deck(layers=map_layers(engine=engine)).to_json())["layers"]
            if layer["id"] == "pois" for r in layer["data"]]
    assert tips and not [t for t in tips if "示意" in t], tips


def test_a_long_survey_source_is_cut_visibly_in_the_tooltip_and_whole_in_the_note(engine):  # noqa: F811
    """The tooltip cut a 58-character source at 40 with no 「…」, losing its caveat 「未经实地核验」 unseen."""
    title = "2019年南阳市中心城区1:2000地形图（南阳市测绘院）道路中心线数字化成果——未经实地核验，部分道路走向仅供参考"
    g = load_layer("roads")[["name", "geometry"]]
    feats = [{"type": "Feature", "geometry": mapping(r.pop("geometry")), "properties": r} for r in g.to_dict("records")]
    data = json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False).encode()
    save_layer(ADMIN, layer="roads", gdf=read_geometry_file(data, "roads.geojson", layer="roads"), source_title=title,
               engine=engine)
    tips = [r["tip"] for layer in json.loads(build_deck(layers=map_layers(engine=engine)).to_json())["layers"]
            if layer["id"] == "roads" for r in layer["data"]]
    assert tips and all(t.endswith("…") and title[:30] in t for t in tips), tips[:1]
    assert title in map_origin.read(engine=engine).note


def test_the_png_states_the_map_origin(engine):  # noqa: F811
    from ui.briefing_png import render_briefing

    _survey(engine, "communities")
    origin = map_origin.read(engine=engine)
    png = render_briefing(title="光武街道", stamp="", figures=[], layers=map_layers(engine=engine), colors={},
                          origin=origin, size=(960, 540))
    assert Image.open(io.BytesIO(png)).text["map"] == f"{origin.tag}：{origin.note}"
