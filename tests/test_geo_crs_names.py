"""地图数据导入: a GeoJSON whose `crs` member names a CRS that cannot be resolved is refused in Chinese, never read
as EPSG:4326 (which GDAL does silently, so survey data in a projected CRS would land in the wrong place).

The message names the file and the declared name and says to fill 「源坐标系」; with 「源坐标系」 filled, the file is
read in that CRS. A GeoJSON without `crs` is EPSG:4326 (RFC 7946); a resolvable declared name keeps working.
Files are written to tmp_path and read back as an upload; refused imports leave every table's row count as it was.
"""
from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from abuse_helpers import assert_unchanged, row_counts
from db_helpers import fresh_engine, private_app_db
from shapely.geometry import mapping, shape
from shown_text import texts
from streamlit.testing.v1 import AppTest

from geo.importer import read_geometry_file
from geo.layers import load_layer
from lib import auth
from lib.auth import Actor
from lib.errors import GeometryError
from lib.geometry_store import save_layer
from lib.queries.map_data import map_layers
from lib.seed import seed

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ADMIN = Actor("crs_names_admin", "测试管理员", "街道管理员")
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")


def _roads(epsg: int) -> gpd.GeoDataFrame:
    return load_layer("roads")[["name", "geometry"]].copy().to_crs(epsg)


def _write(folder: Path, filename: str, epsg: int, crs_member) -> bytes:
    """The roads layer in `epsg` as a GeoJSON file on disk with `crs_member` (omitted when it is ...)."""
    gdf = _roads(epsg)
    features = [{"type": "Feature", "properties": {"name": n}, "geometry": mapping(g)}
                for n, g in zip(gdf["name"], gdf.geometry)]
    data = {"type": "FeatureCollection", "features": features}
    if crs_member is not ...:
        data["crs"] = crs_member
    path = folder / filename
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path.read_bytes()


def _named(name: str) -> dict:
    return {"type": "name", "properties": {"name": name}}


# name -> (coordinates' EPSG, crs member, the declared name as the message must quote it)
UNRESOLVABLE = {
    "garbled EPSG code, projected data": (4547, _named("EPSG:45x7"), "EPSG:45x7"),
    "garbled EPSG code, lon/lat data": (4326, _named("EPSG:45x7"), "EPSG:45x7"),
    "EPSG URN with a code that does not exist": (4326, _named("urn:ogc:def:crs:EPSG::99999"),
                                                 "urn:ogc:def:crs:EPSG::99999"),
    "EPSG URN with a code that does not exist, projected data": (4547, _named("urn:ogc:def:crs:EPSG::99999"),
                                                                 "urn:ogc:def:crs:EPSG::99999"),
    "a name that is not a CRS": (4326, _named("国家2000高斯投影"), "国家2000高斯投影"),
    "empty name": (4326, _named(""), "（空）"),
    "old-style EPSG member with a code that does not exist": (
        4326, {"type": "EPSG", "properties": {"code": 99999}}, "EPSG:99999"),
    "crs member GDAL does not read (a bare string)": (4547, "EPSG:4547", "EPSG:4547"),
    "crs member of an unknown type": (4547, {"type": "proj4", "properties": {"proj4": "+proj=tmerc"}}, "proj4"),
}

# name -> (coordinates' EPSG, crs member)
RESOLVABLE = {
    "no crs member (RFC 7946)": (4326, ...),
    "crs null": (4326, None),
    "EPSG:4326": (4326, _named("EPSG:4326")),
    "OGC CRS84 URN": (4326, _named("urn:ogc:def:crs:OGC:1.3:CRS84")),
    "EPSG URN 4326 (what geopandas writes)": (4326, _named("urn:ogc:def:crs:EPSG::4326")),
    "EPSG:4547": (4547, _named("EPSG:4547")),
    "EPSG URN 4547": (4547, _named("urn:ogc:def:crs:EPSG::4547")),
    "old-style EPSG member 4547": (4547, {"type": "EPSG", "properties": {"code": 4547}}),
    "CGCS2000 geographic": (4490, _named("EPSG:4490")),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    eng = fresh_engine("sqlite", tmp_path_factory.mktemp("geo-crs-names"))
    seed(eng, with_demo=False)
    auth.create_user(ADMIN.username, "correct-horse-42", role=ADMIN.role, display_name=ADMIN.display_name,
                     by=auth.SYSTEM, engine=eng, rounds=4)
    return eng


def _import(engine, data: bytes, filename: str, **options):
    """What the admin page does: read and check the file, then save it as a new version."""
    gdf = read_geometry_file(data, filename, layer="roads", **options)
    return save_layer(ADMIN, layer="roads", gdf=gdf, source_title="坐标系名称测试", engine=engine)


def _assert_is_roads(gdf: gpd.GeoDataFrame) -> None:
    truth = _roads(4326)
    assert list(gdf["name"]) == list(truth["name"])
    assert max(a.hausdorff_distance(b) for a, b in zip(gdf.geometry, truth.geometry)) < 1e-5


@pytest.mark.parametrize("case", list(UNRESOLVABLE))
def test_unresolvable_declared_crs_is_refused_in_chinese(engine, tmp_path, case):
    epsg, member, quoted = UNRESOLVABLE[case]
    filename = "测绘道路.geojson"
    data = _write(tmp_path, filename, epsg, member)
    before = row_counts(engine)
    with pytest.raises(GeometryError) as err:
        _import(engine, data, filename)
    message = err.value.message
    for text in (f"文件「{filename}」", "声明的坐标系", "crs 项", f"「{quoted}」", "无法识别", "「源坐标系」"):
        assert text in message, (text, message)
    assert "经纬度范围" not in message, message  # not read as EPSG:4326 first
    assert_unchanged(engine, before)


@pytest.mark.parametrize("case", list(UNRESOLVABLE))
def test_typed_source_crs_reads_the_file(tmp_path, case):
    """What the message says to do works: the file is read in the CRS typed in 「源坐标系」."""
    epsg, member, _quoted = UNRESOLVABLE[case]
    data = _write(tmp_path, "测绘道路.geojson", epsg, member)
    _assert_is_roads(read_geometry_file(data, "测绘道路.geojson", layer="roads", source_crs=str(epsg)))


@pytest.mark.parametrize("case", list(RESOLVABLE))
def test_resolvable_or_absent_crs_keeps_working(tmp_path, case):
    epsg, member = RESOLVABLE[case]
    data = _write(tmp_path, "道路.geojson", epsg, member)
    _assert_is_roads(read_geometry_file(data, "道路.geojson", layer="roads"))


def test_a_long_declared_name_is_shortened_and_control_characters_dropped(tmp_path):
    name = "EPSG:45x7\x07" + "坐标" * 100
    data = _write(tmp_path, "道路.geojson", 4326, _named(name))
    with pytest.raises(GeometryError) as err:
        read_geometry_file(data, "道路.geojson", layer="roads")
    message = err.value.message
    assert "「EPSG:45x7坐标坐标" in message and "…」" in message and "\x07" not in message, message
    assert len(message) < 250, message


def test_the_stored_geometry_is_where_the_typed_crs_puts_it(engine, tmp_path):
    data = _write(tmp_path, "测绘道路.geojson", 4547, _named("EPSG:45x7"))
    saved = _import(engine, data, "测绘道路.geojson", source_crs="EPSG:4547")
    truth = _roads(4326)
    stored = {f["name"]: shape(f["geometry"]) for f in map_layers(engine=engine)["roads"]}
    assert saved.features == len(truth) and set(stored) == set(truth["name"])
    for name, geom in zip(truth["name"], truth.geometry):
        assert np.allclose(shapely.get_coordinates(stored[name]), shapely.get_coordinates(geom), atol=1e-6), name


# ---- the page, as an administrator sees it ----
@pytest.fixture(scope="module")
def admin(app_db, tmp_path_factory):
    with private_app_db(app_db, tmp_path_factory.mktemp("geo-crs-names-page")):
        yield auth.create_user("geo_crs_admin", "correct-horse-42", role="街道管理员", display_name="测试管理员",
                               by=auth.SYSTEM, rounds=4)


def _upload(admin, filename: str, data: bytes, crs: str = "") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth.actor"] = admin
    at.run()
    at.switch_page("pages/geo_import.py").run()
    at.selectbox(key="geoimport.layer").set_value("roads").run()
    if crs:
        at.text_input(key="geoimport.crs").set_value(crs).run()
    at.file_uploader[0].set_value((filename, data, "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_refuses_then_reads_with_the_typed_crs(admin, tmp_path):
    data = _write(tmp_path, "测绘道路.geojson", 4547, _named("EPSG:45x7"))
    at = _upload(admin, "测绘道路.geojson", data)
    errors = texts(at.error)
    assert len(errors) == 1 and "「EPSG:45x7」" in errors[0] and "「源坐标系」" in errors[0], errors
    assert "未保存任何数据" in "\n".join(texts(at.caption))
    at = _upload(admin, "测绘道路.geojson", data, crs="4547")
    assert not texts(at.error), texts(at.error)
    assert any("导入要素" in m.label for m in at.metric)
