"""地图数据导入: a bad geometry file gets a Chinese message naming the file, the part or field at fault and what to do,
never PROJ/GDAL/pyogrio/shapely English or a temporary path (those go to the server log only).

Each case is a file an administrator could really upload (a garbled .prj, a GeoJSON naming a CRS PROJ does not know,
a truncated GeoPackage, a picture renamed .geojson, …): first through `read_geometry_file` (what the page calls), then
some of them through the page itself with AppTest, reading everything it draws."""
from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from db_helpers import private_app_db
from shapely.geometry import Polygon, mapping
from shown_text import texts
from streamlit.testing.v1 import AppTest

from geo.importer import read_geometry_file
from geo.layers import load_layer
from lib import auth
from lib.errors import GeometryError

APP = str(Path(__file__).resolve().parent.parent / "app.py")
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")

# What the libraries say, and where they keep the upload: none of it may reach the screen.
LIBRARY_TEXT = ("/tmp", "geo_import_", "upload.", "Error", "error", "proj_create", "Proj", "not recognized",
                "supported file format", "DRIVER", "sqlite", "database", "malformed", "Failed", "GeoJSON data",
                "Unterminated", "codec", "decode", "CONVERSION", "node", "unreadable", "corrupt", "Invalid",
                "unknown", "Self-intersection", "Traceback", "Moon", "celestial")
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}[ _-]+[A-Za-z]{2,}[ _-]+[A-Za-z]{2,}")  # three English words in a row


def assert_chinese_only(text: str) -> None:
    for fragment in LIBRARY_TEXT:
        assert fragment not in text, (fragment, text)
    assert not ENGLISH_RUN.search(text), (ENGLISH_RUN.search(text).group(0), text)


# ---- files ----
def _roads(crs: int = 4326) -> gpd.GeoDataFrame:
    return load_layer("roads")[["name", "geometry"]].copy().to_crs(crs)


def _geojson(gdf: gpd.GeoDataFrame, crs_name: str | None = None) -> bytes:
    features = [{"type": "Feature", "properties": {"name": n}, "geometry": mapping(g)}
                for n, g in zip(gdf["name"], gdf.geometry)]
    data = {"type": "FeatureCollection", "features": features}
    if crs_name:
        data["crs"] = {"type": "name", "properties": {"name": crs_name}}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _shapefile_zip(tmp: Path, gdf: gpd.GeoDataFrame, *, drop=(), replace: dict | None = None) -> bytes:
    """The layer as a zipped Shapefile; `replace` maps a suffix to new bytes (a function of the old ones)."""
    folder = tmp / "shp"
    folder.mkdir(exist_ok=True)
    gdf.to_file(folder / "道路.shp", engine="pyogrio", encoding="utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for part in sorted(folder.iterdir()):
            if part.suffix not in drop:
                data = part.read_bytes()
                zf.writestr(f"测绘/{part.name}", (replace or {}).get(part.suffix, lambda b: b)(data))
    return buf.getvalue()


def _geopackage(tmp: Path) -> bytes:
    _roads().to_file(tmp / "roads.gpkg", engine="pyogrio")
    return (tmp / "roads.gpkg").read_bytes()


def _bowtie() -> bytes:
    comms = load_layer("communities")[["name", "geometry"]].copy()
    x0, y0, x1, y1 = comms.geometry.iloc[1].bounds
    comms.loc[comms.index[1], "geometry"] = Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    return _geojson(comms)


GARBLED_PRJ = b'PROJCS["x",GEOGCS["y"]]'
POINT = b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"caf\xe9"},' \
        b'"geometry":{"type":"Point","coordinates":[112.52,33.0]}}]}'

# name -> (build(tmp) -> (bytes, filename, layer, options), [Chinese texts the message must hold])
CASES = {
    "shapefile with a garbled .prj": (
        lambda tmp: (_shapefile_zip(tmp, _roads(4547), replace={".prj": lambda b: GARBLED_PRJ}), "道路.zip", "roads",
                     {}), [".prj", "坐标系", "无法识别", "「源坐标系」"]),
    "shapefile with a .prj that is not WKT": (
        lambda tmp: (_shapefile_zip(tmp, _roads(4547), replace={".prj": lambda b: b"GARBAGE[[["}), "道路.zip",
                     "roads", {}), [".prj", "无法识别", "「源坐标系」"]),
    "shapefile with a corrupt .shx": (
        lambda tmp: (_shapefile_zip(tmp, _roads(), replace={".shx": lambda b: b[:50]}), "道路.zip", "roads", {}),
        [".shx", "已损坏", "重新导出"]),
    "shapefile without .shx": (
        lambda tmp: (_shapefile_zip(tmp, _roads(), drop=(".shx",)), "道路.zip", "roads", {}), [".shx", "缺少"]),
    "shapefile without .prj": (
        lambda tmp: (_shapefile_zip(tmp, _roads(4547), drop=(".prj",)), "道路.zip", "roads", {}),
        ["未声明坐标系", "EPSG:4547"]),
    "zip whose .shp is not a shapefile": (
        lambda tmp: (_shapefile_zip(tmp, _roads(), replace={".shp": lambda b: b"junk" * 30}), "道路.zip", "roads",
                     {}), [".shp", "不是有效的", "重新导出"]),
    "GeoJSON naming a CRS that PROJ does not know": (
        lambda tmp: (_geojson(_roads(), "urn:ogc:def:crs:EPSG::5800"), "道路.geojson", "roads", {}),
        ["声明的坐标系", "无法识别", "「源坐标系」"]),
    "GeoJSON in a CRS that is not on the earth": (
        lambda tmp: (_geojson(_roads(), "urn:ogc:def:crs:IAU_2015::30100"), "道路.geojson", "roads", {}),
        ["换算到经纬度", "不是地球上的坐标系", "「源坐标系」"]),
    "typed CRS code that does not exist": (
        lambda tmp: (_geojson(_roads()), "道路.geojson", "roads", {"source_crs": "999999"}),
        ["「源坐标系」中的「999999」无法识别", "没有代码为 999999 的 EPSG 坐标系"]),
    "typed CRS that is not a CRS": (
        lambda tmp: (_geojson(_roads()), "道路.geojson", "roads", {"source_crs": "abc"}),
        ["「源坐标系」中的「abc」无法识别", "EPSG 代码"]),
    "typed CRS without an EPSG code": (
        lambda tmp: (_geojson(_roads()), "道路.geojson", "roads", {"source_crs": "+proj=geos +h=35785831"}),
        ["所填坐标系", "符合 EPSG:4490"]),
    "JSON that is not GeoJSON": (
        lambda tmp: (b'{"hello": 1}', "道路.geojson", "roads", {}), ["无法读取", "不是 GeoJSON"]),
    "table saved as .json": (lambda tmp: (b"name,x,y\n1,2,3\n", "道路.json", "roads", {}), ["无法读取", "不是 GeoJSON"]),
    "picture renamed .geojson": (
        lambda tmp: (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "照片.geojson", "roads", {}), ["无法读取", "不是 GeoJSON"]),
    "truncated GeoJSON": (
        lambda tmp: (_geojson(_roads())[:400], "道路.geojson", "roads", {}), ["不完整", "第1行", "重新导出"]),
    "truncated GeoPackage": (
        lambda tmp: (_geopackage(tmp)[:5000], "道路.gpkg", "roads", {}), ["GeoPackage", "已损坏或不完整"]),
    "SQLite file that is not a GeoPackage": (
        lambda tmp: (b"SQLite format 3\x00" + b"\x00" * 300, "道路.gpkg", "roads", {}), ["不是有效的 GeoPackage"]),
    "GeoJSON not in UTF-8": (lambda tmp: (POINT, "点位.geojson", "pois", {}), ["编码", "UTF-8"]),
    "self-intersecting polygon": (
        lambda tmp: (_bowtie(), "社区.geojson", "communities", {}), ["无效几何", "第2个要素「中兴」", "自相交"]),
    "polygons as roads": (
        lambda tmp: (_geojson(load_layer("communities")), "道路.geojson", "roads", {}),
        ["几何类型不符", "第1个要素「大官庄」为面（Polygon）"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_refused_in_chinese_naming_the_part_at_fault(tmp_path, case):
    build, expected = CASES[case]
    data, filename, layer, options = build(tmp_path)
    with pytest.raises(GeometryError) as err:
        read_geometry_file(data, filename, layer=layer, **options)
    shown = "\n".join([err.value.message, *err.value.details])
    assert f"「{filename}」" in err.value.message or "「源坐标系」" in err.value.message, shown
    for text in expected:
        assert text in shown, (text, shown)
    assert_chinese_only(shown)


def test_the_library_detail_goes_to_the_server_log(tmp_path, caplog):
    data = _shapefile_zip(tmp_path, _roads(), replace={".shx": lambda b: b[:50]})
    with caplog.at_level(logging.INFO, logger="guangwu.geo"), pytest.raises(GeometryError):
        read_geometry_file(data, "道路.zip", layer="roads")
    assert any(".shx" in r.getMessage() and "道路.zip" in r.getMessage() for r in caplog.records), caplog.text


@pytest.mark.parametrize(("crs_name", "replace"), [
    ("urn:ogc:def:crs:EPSG::5800", None),  # a GeoJSON whose declared CRS PROJ cannot read
    (None, {".prj": lambda b: GARBLED_PRJ}),  # a shapefile whose .prj PROJ cannot read
])
def test_an_unreadable_declared_crs_is_overridden_by_the_typed_one(tmp_path, crs_name, replace):
    """What the message says to do works: the file is read with the CRS typed in 「源坐标系」."""
    if replace is None:
        data, filename = _geojson(_roads(4547), crs_name), "道路.geojson"
    else:
        data, filename = _shapefile_zip(tmp_path, _roads(4547), replace=replace), "道路.zip"
    out = read_geometry_file(data, filename, layer="roads", source_crs="4547")
    truth = _roads()
    assert list(out["name"]) == list(truth["name"])
    assert max(a.hausdorff_distance(b) for a, b in zip(out.geometry, truth.geometry)) < 1e-5


# ---- the page, as an administrator sees it ----
@pytest.fixture(scope="module")
def admin(app_db, tmp_path_factory):
    with private_app_db(app_db, tmp_path_factory.mktemp("geo-messages-page")):
        yield auth.create_user("geo_msg_admin", "correct-horse-42", role="街道管理员", display_name="测试管理员",
                               by=auth.SYSTEM, rounds=4)


def _upload(admin, layer: str, filename: str, data: bytes, crs: str = "") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth.actor"] = admin
    at.run()
    at.switch_page("pages/geo_import.py").run()
    at.selectbox(key="geoimport.layer").set_value(layer).run()
    if crs:
        at.text_input(key="geoimport.crs").set_value(crs).run()
    at.file_uploader[0].set_value((filename, data, "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _screen(at: AppTest) -> str:
    return "\n".join(texts([*at.error, *at.warning, *at.info, *at.caption, *at.markdown, *at.success]))


@pytest.mark.parametrize("case", ["shapefile with a garbled .prj", "shapefile with a corrupt .shx",
                                  "GeoJSON naming a CRS that PROJ does not know", "typed CRS code that does not exist",
                                  "picture renamed .geojson", "truncated GeoPackage", "self-intersecting polygon"])
def test_the_page_shows_only_chinese(admin, tmp_path, case):
    build, expected = CASES[case]
    data, filename, layer, options = build(tmp_path)
    at = _upload(admin, layer, filename, data, crs=options.get("source_crs", ""))
    errors = texts(at.error)
    assert len(errors) == 1, errors
    for text in expected:
        assert text in _screen(at), (text, _screen(at))
    assert "未保存任何数据" in _screen(at)
    assert_chinese_only(_screen(at))
