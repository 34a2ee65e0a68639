"""The map-data import page (pages/geo_import.py) under careless and hostile files, as an administrator sees it:
the zone-prefix message and its one-click CRS, a GCJ-02 file's warning and correction, file text shown as text.
The lib-level refusals are in tests/test_abuse_geo.py."""
from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from abuse_helpers import assert_unchanged, row_counts
from db_helpers import private_app_db
from shapely.geometry import shape
from streamlit.testing.v1 import AppTest
from test_abuse_geo import _geojson, _layer, _shifted

from geo.crs import wgs84_to_gcj02
from lib import auth, db
from lib.queries.map_data import map_layers
from ui.widgets import md_escape

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(scope="module")
def admin_app(app_db, tmp_path_factory):
    """A private copy of the seeded app database with an administrator, for the page tests below."""
    with private_app_db(app_db, tmp_path_factory.mktemp("abuse-geo-page")) as url:
        admin = auth.create_user("geo_abuse_admin", "correct-horse-42", role="街道管理员", display_name="测试管理员",
                                 by=auth.SYSTEM, rounds=4)
        yield admin, db.get_engine(url)


def _page(admin, layer: str, upload: tuple[str, bytes]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth.actor"] = admin
    at.run()
    at.switch_page("pages/geo_import.py").run()
    at.selectbox(key="geoimport.layer").set_value(layer).run()
    at.file_uploader[0].set_value((upload[0], upload[1], "application/geo+json")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _buttons(at: AppTest) -> dict:
    return {b.key: b for b in at.button}


def test_page_shows_the_zone_prefix_message_and_offers_the_right_crs(admin_app):
    admin, eng = admin_app
    before = row_counts(eng)
    data = _geojson(_layer("communities").to_crs(4526), "urn:ogc:def:crs:EPSG::4547")
    at = _page(admin, "communities", ("社区_4526.geojson", data))
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and md_escape("文件「社区_4526.geojson」") in errors[0]
    assert md_escape("符合 EPSG:4526") in errors[0] and "带有带号" in errors[0]
    offer = _buttons(at)["geoimport.suggest"]
    assert offer.label == "改用 EPSG:4526" and "geoimport.save" not in _buttons(at)
    offer.click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.text_input(key="geoimport.crs").value == "EPSG:4526"
    assert {m.label: m.value for m in at.metric}["同名要素最大偏移"] == "0米"
    assert_unchanged(eng, before)


def test_page_warns_of_a_gcj02_file_and_applies_the_offered_correction(admin_app):
    admin, eng = admin_app
    at = _page(admin, "roads", ("高德道路.geojson", _shifted("roads", wgs84_to_gcj02)))
    warning = [w.value for w in at.warning if md_escape("高德/腾讯地图") in w.value]
    assert len(warning) == 1 and md_escape("文件「高德道路.geojson」") in warning[0]
    assert md_escape("建议改用「GCJ-02 → WGS-84 纠偏」") in warning[0]
    at.text_input(key="geoimport.title").set_value("高德导出（测试）").run()
    assert _buttons(at)["geoimport.save"].disabled, "saving an offset layer needs the correction or a confirmation"
    fix = _buttons(at)["geoimport.fix_offset"]
    assert fix.label == "改用「GCJ-02 高德·腾讯 → WGS-84」"
    fix.click().run()
    assert at.radio(key="geoimport.correction").value == "gcj02"
    assert not [w for w in at.warning if md_escape("高德/腾讯地图") in w.value] and not at.error
    before = row_counts(eng)
    _buttons(at)["geoimport.save"].click().run()
    assert any("保存为新版本" in s.value for s in at.success), [e.value for e in at.error]
    after = row_counts(eng)
    assert after["map_layer_version"] == before["map_layer_version"] + 1
    assert after["map_feature"] == before["map_feature"] + 8
    stored = {f["name"]: shape(f["geometry"]) for f in map_layers(engine=eng)["roads"]}
    for name, geom in zip(_layer("roads")["name"], _layer("roads").geometry):
        assert shapely.hausdorff_distance(stored[name], geom) < 5e-6, name


def test_page_shows_file_text_as_text(admin_app):
    """A feature name written as a Markdown image must reach the screen escaped (no URL fetched)."""
    admin, _ = admin_app
    pois = _layer("pois")
    pois.loc[pois.index[0], "name"] = "![x](http://198.51.100.7/t.png)"
    at = _page(admin, "pois", ("点位.geojson", _geojson(pois)))
    captions = [c.value for c in at.caption if "新出现的名称" in c.value]
    assert captions and md_escape("![x](http://198.51.100.7/t.png)") in captions[0]
    assert not any("![x](http" in m for m in [*[c.value for c in at.caption], *[m.value for m in at.markdown]])



def test_an_administrator_restores_the_schematic_roads_and_the_map_says_so(admin_app):
    """Going back to the shipped 示意 roads: a version history pick and one button, not the shipped file uploaded
    again (which was stored as survey data). The map's note calls the roads 示意 again."""
    from geo.importer import read_geometry_file
    from lib import map_origin
    from lib.geometry_store import save_layer
    from lib.queries.map_data import layer_versions

    admin, eng = admin_app
    gdf = read_geometry_file(_geojson(_layer("roads")), "道路实测.geojson", layer="roads")
    save_layer(admin, layer="roads", gdf=gdf, source_title="道路实测（恢复测试）", engine=eng)
    assert not map_origin.read(engine=eng).schematic("roads")
    seeded = int(layer_versions(layer="roads", engine=eng)["id"].iloc[-1])
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth.actor"] = admin
    at.run()
    at.switch_page("pages/geo_import.py").run()
    at.selectbox(key="geoimport.layer").set_value("roads").run()
    at.selectbox(key="geoimport.restore_pick").set_value(seeded).run()
    _buttons(at)["geoimport.restore"].click().run()
    assert not at.exception and any(f"恢复为版本 {seeded}" in s.value for s in at.success), [e.value for e in at.error]
    assert map_origin.read(engine=eng).schematic("roads")
    assert "道路实测" not in " ".join(m.value for m in at.markdown if "violet-badge" in m.value)
