"""Abuse suite, geometry import: the project's own layers written out wrongly, on SQLite and PostgreSQL.

Every case goes through what the admin page does — `read_geometry_file`, then `save_layer` — and asserts
either the exact stored result or a Chinese message naming the file and the feature/field, with every
table's row count unchanged after a refused import. The last tests drive the admin page with AppTest.
"""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from abuse_helpers import assert_unchanged, row_counts
from db_helpers import BACKENDS, fresh_engine
from shapely.geometry import Point, Polygon, mapping, shape

from geo.crs import transform_geometry, wgs84_to_bd09, wgs84_to_gcj02
from geo.importer import MAX_FEATURES, read_geometry_file
from geo.layers import load_layer
from lib import auth
from lib.auth import Actor
from lib.errors import CrsMismatch, GeometryError
from lib.geometry_store import save_layer
from lib.queries.map_data import map_layers
from lib.seed import seed
from ui import geo_preview

ADMIN = Actor("admin", "管理员", "街道管理员")
pytestmark = pytest.mark.filterwarnings("ignore:'crs' was not provided", "ignore:.*CRS mismatch")


# ---- files built from the project's own layers ----
def _layer(name: str) -> gpd.GeoDataFrame:
    return load_layer(name)[["name", "geometry"]].copy()


def _swap(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gdf.set_geometry([shapely.transform(g, lambda c: c[:, ::-1]) for g in gdf.geometry], crs=gdf.crs)


def _geojson(gdf: gpd.GeoDataFrame, crs: str | None = None) -> bytes:
    """GeoJSON text of `gdf` exactly as its numbers are (NaN/Infinity written as such), `crs` declared if given."""
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {k: v for k, v in row.items() if k != "geometry"},
         "geometry": None if row["geometry"] is None else mapping(row["geometry"])}
        for row in gdf.to_dict("records")]}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(data, ensure_ascii=False, allow_nan=True).encode("utf-8")


def _shapefile_zip(gdf: gpd.GeoDataFrame, tmp: Path, *, drop=(), truncate_shp=False, extra_shp=False) -> bytes:
    folder = tmp / "shp"
    folder.mkdir(exist_ok=True)
    gdf.to_file(folder / "layer.shp", engine="pyogrio", encoding="utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in sorted(folder.iterdir()):
            if part.suffix in drop:
                continue
            data = part.read_bytes()
            if truncate_shp and part.suffix == ".shp":
                data = data[:150]
            zf.writestr(f"测绘/{part.name}", data)
            if extra_shp and part.suffix == ".shp":
                zf.writestr("测绘/copy.shp", data)
    return buf.getvalue()


def _with_vertex(gdf: gpd.GeoDataFrame, index: int, value: float) -> gpd.GeoDataFrame:
    """Feature `index` gets its first x replaced by `value` (NaN, Infinity, …)."""
    def poke(coords):
        coords = coords.copy()
        coords[[0, -1], 0] = value  # both ends, so a ring stays closed
        return coords
    out = gdf.copy()
    out.loc[out.index[index], "geometry"] = shapely.transform(out.geometry.iloc[index], poke)
    return out


def _stray_part(gdf: gpd.GeoDataFrame, lon: float, lat: float) -> gpd.GeoDataFrame:
    """The first feature gains a 10-metre piece far away (a bad row in a survey table): its centroid moves a few
    kilometres at most, so a check of centroids alone let it through and the map opened centred far away."""
    out = gdf.copy()
    piece = shapely.LineString([(lon, lat), (lon + 0.0001, lat)])
    out.loc[out.index[0], "geometry"] = shapely.MultiLineString([out.geometry.iloc[0], piece])
    return out


def _broken_zip(tmp: Path, *, encrypted: bool) -> bytes:
    """A roads shapefile zip whose .dbf member is marked encrypted, or whose stored bytes fail their CRC (a damaged
    download): zipfile raises RuntimeError / BadZipFile on reading the member, not on opening the archive."""
    folder = tmp / "shp"
    folder.mkdir(exist_ok=True)
    _layer("roads").to_file(folder / "layer.shp", engine="pyogrio", encoding="utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for part in sorted(folder.iterdir()):
            zf.writestr(f"测绘/{part.name}", part.read_bytes())
    data = bytearray(buf.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = next(i for i in zf.infolist() if i.filename.endswith(".dbf"))
    if encrypted:  # the flag bit in the local header and in the central directory
        data[info.header_offset + 6] |= 1
        central = data.rfind(b"PK\x01\x02", 0, len(data))
        while central >= 0 and not bytes(data[central + 46:central + 46 + len(info.filename.encode())]).endswith(
                b".dbf"):
            central = data.rfind(b"PK\x01\x02", 0, central)
        data[central + 8] |= 1
    else:
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        data[start + 40] ^= 0xFF  # one byte of the stored records
    return bytes(data)


def _translated(gdf: gpd.GeoDataFrame, dx: float) -> gpd.GeoDataFrame:
    return gdf.set_geometry(gdf.geometry.translate(xoff=dx))


def _bowtie_community() -> gpd.GeoDataFrame:
    comms = _layer("communities")
    x0, y0, x1, y1 = comms.geometry.iloc[1].bounds
    comms.loc[comms.index[1], "geometry"] = Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    return comms


def _many_points() -> gpd.GeoDataFrame:
    xs = np.linspace(112.50, 112.52, MAX_FEATURES + 1)
    return gpd.GeoDataFrame({"name": [f"点{i}" for i in range(len(xs))]},
                            geometry=[Point(x, 33.0) for x in xs], crs=4326)


def _blank_name_roads() -> gpd.GeoDataFrame:
    roads = _layer("roads")
    roads.loc[roads.index[2], "name"] = "  "
    return roads


# name -> (build(tmp) -> (bytes, filename, layer, read options), [texts the message must hold])
REFUSED = {
    "zone prefix (38xxxxxx) imported as EPSG:4547": (
        lambda tmp: (_geojson(_layer("communities").to_crs(4526)), "社区_4526.geojson", "communities",
                     {"source_crs": "4547"}), ["EPSG:4547", "带有带号", "符合 EPSG:4526", "38 开头"]),
    "no zone prefix declared as EPSG:4526 in the file": (
        lambda tmp: (_geojson(_layer("roads").to_crs(4547), "urn:ogc:def:crs:EPSG::4526"), "道路.geojson", "roads",
                     {}), ["EPSG:4526", "不带带号", "符合 EPSG:4547"]),
    "zone 37 prefix imported as EPSG:4546": (
        lambda tmp: (_shapefile_zip(_layer("rivers").to_crs(4525), tmp), "河流37带.zip", "rivers",
                     {"source_crs": "EPSG:4546"}), ["符合 EPSG:4525", "37 开头"]),
    "wrong central meridian (CM 114° data as EPSG:4546)": (
        lambda tmp: (_geojson(_layer("projects").to_crs(4547)), "项目.geojson", "projects", {"source_crs": "4546"}),
        ["EPSG:4546", "位于距光武街道约", "公里处", "符合 EPSG:4547"]),
    "northing first (EPSG:4547)": (
        lambda tmp: (_geojson(_swap(_layer("communities").to_crs(4547))), "社区北东.geojson", "communities",
                     {"source_crs": "4547"}), ["北坐标在前", "符合 EPSG:4547", "勾选「交换坐标顺序（X/Y）」"]),
    "latitude before longitude": (
        lambda tmp: (_geojson(_swap(_layer("pois"))), "点位_纬经.geojson", "pois", {}),
        ["经纬度颠倒", "纬度在前", "像纬度", "像经度", "勾选「交换坐标顺序（X/Y）」"]),
    "Gauss-Krüger numbers in a GeoJSON without CRS": (
        lambda tmp: (_geojson(_layer("railway").to_crs(4547)), "铁路.geojson", "railway", {}),
        ["EPSG:4326", "符合 EPSG:4547"]),
    "numbers no candidate CRS can place (Infinity after conversion)": (
        lambda tmp: (_geojson(_translated(_layer("roads").to_crs(4547), 90_000_000)), "道路错位.geojson", "roads",
                     {"source_crs": "4547"}), ["按 EPSG:4547 换算后", "NaN 或无穷大", "第1个要素「人民路」"]),
    "NaN coordinate": (
        lambda tmp: (_geojson(_with_vertex(_layer("pois"), 0, float("nan"))), "点位NaN.geojson", "pois", {}),
        ["NaN 或无穷大", "第1个要素「南阳站」"]),
    "Infinity in a polygon": (
        lambda tmp: (_geojson(_with_vertex(_layer("communities"), 1, float("inf"))), "社区Inf.geojson",
                     "communities", {}), ["NaN 或无穷大", "第2个要素「中兴」"]),
    "empty geometry": (
        lambda tmp: (_geojson(_layer("reservoirs").assign(geometry=[None, *_layer("reservoirs").geometry[1:]])),
                     "水库.geojson", "reservoirs", {}), ["几何为空", "第1个要素「榆树庄水库」"]),
    "self-intersecting polygon": (
        lambda tmp: (_geojson(_bowtie_community()), "社区自相交.geojson", "communities", {}),
        ["无效几何", "第2个要素「中兴」", "自相交"]),
    "wrong geometry type (polygons as roads)": (
        lambda tmp: (_geojson(_layer("communities")), "道路.geojson", "roads", {}),
        ["几何类型不符", "主干道路", "第1个要素「大官庄」为面（Polygon）"]),
    "no name field": (
        lambda tmp: (_geojson(_layer("roads").rename(columns={"name": "路名"})), "道路无名.geojson", "roads", {}),
        ["缺少名称字段", "name 或 名称"]),
    "blank name": (
        lambda tmp: (_geojson(_blank_name_roads()), "道路空名.geojson", "roads", {}), ["缺少名称", "第3个要素"]),
    "unknown community": (
        lambda tmp: (_geojson(_layer("communities").replace({"name": {"刘庄": "幸福"}})), "社区.geojson",
                     "communities", {}), ["未知社区名称", "第5个要素「幸福」"]),
    "duplicate community": (
        lambda tmp: (_geojson(_layer("communities").replace({"name": {"刘庄": "中兴社区"}})), "社区.geojson",
                     "communities", {}), ["社区名称重复", "中兴"]),
    "name longer than the column": (
        lambda tmp: (_geojson(_layer("pois").replace({"name": {"南阳站": "南" * 81}})), "点位长名.geojson", "pois",
                     {}), ["名称过长", "81个字，最多80个字", "第1个要素"]),
    "control character in a name": (
        lambda tmp: (_geojson(_layer("roads").replace({"name": {"人民路": "人民\x07路"}})), "道路.geojson", "roads",
                     {}), ["控制字符", "第1个要素"]),
    "bidi override in a name (shown reordered)": (
        lambda tmp: (_geojson(_layer("roads").replace({"name": {"人民路": "\u202e人民路"}})), "道路.geojson", "roads",
                     {}), ["控制字符", "第1个要素"]),
    "NUL in a GeoJSON name": (
        lambda tmp: (_geojson(_layer("roads").replace({"name": {"人民路": "人民\x00路"}})), "道路NUL.geojson",
                     "roads", {}), ["NUL 字符"]),
    "far away (0.5° east)": (
        lambda tmp: (_geojson(_translated(_layer("pois"), 0.5)), "点位远.geojson", "pois", {}),
        ["远离光武街道", "第1个要素「南阳站」距街道"]),
    "a 10 m piece of a road far away (in Beijing)": (
        lambda tmp: (_geojson(_stray_part(_layer("roads"), 116.40, 39.90)), "道路一段远.geojson", "roads", {}),
        ["远离光武街道", "第1个要素「", "有部分距街道"]),
    "encrypted zip member": (
        lambda tmp: (_broken_zip(tmp, encrypted=True), "道路加密.zip", "roads", {}), ["已加密或已损坏", "layer.dbf"]),
    "zip member failing its CRC (a damaged download)": (
        lambda tmp: (_broken_zip(tmp, encrypted=False), "道路损坏.zip", "roads", {}), ["已加密或已损坏", "layer.dbf"]),
    "a field of 100 000 characters on every feature": (
        lambda tmp: (_geojson(_layer("roads").assign(说明="长" * 100_000)), "道路长字段.geojson", "roads", {}),
        ["属性字段过长", "第1个要素「"]),
    "file over the size cap": (
        lambda tmp: (_geojson(_layer("communities")) + b" " * 200_000, "大文件.geojson", "communities",
                     {"max_bytes": 100_000}), ["过大", "上限"]),
    "too many features": (
        lambda tmp: (_geojson(_many_points()), "海量点.geojson", "pois", {}), ["要素过多", f"上限 {MAX_FEATURES}"]),
    "corrupt shapefile in a zip": (
        lambda tmp: (_shapefile_zip(_layer("roads"), tmp, truncate_shp=True), "道路坏.zip", "roads", {}),
        ["所有要素的几何都为空", "已损坏"]),
    "zip without .dbf": (
        lambda tmp: (_shapefile_zip(_layer("roads"), tmp, drop=(".dbf",)), "道路缺dbf.zip", "roads", {}),
        ["缺少 Shapefile 组成文件", ".dbf"]),
    "zip with two .shp": (
        lambda tmp: (_shapefile_zip(_layer("roads"), tmp, extra_shp=True), "道路两份.zip", "roads", {}),
        ["恰有一个 .shp"]),
    "shapefile without .prj": (
        lambda tmp: (_shapefile_zip(_layer("roads").to_crs(4547), tmp, drop=(".prj",)), "道路无prj.zip", "roads", {}),
        ["未声明坐标系", "EPSG:4547"]),
    "not a zip at all": (
        lambda tmp: (b"PK\x03\x04" + b"\x00" * 64, "坏包.zip", "roads", {}), ["无法读取"]),
    "empty upload": (lambda tmp: (b"", "空.geojson", "roads", {}), ["为空"]),
}


@pytest.fixture(scope="module", params=BACKENDS)
def engine(request, tmp_path_factory):
    """One seeded database per backend; a refused import must leave every table as it was."""
    eng = fresh_engine(request.param, tmp_path_factory.mktemp(f"abuse-geo-{request.param}"),
                       database="guangwu_abuse_geo")
    seed(eng, with_demo=False)
    auth.create_user(ADMIN.username, "correct-horse-42", role=ADMIN.role, display_name=ADMIN.display_name,
                     by=auth.SYSTEM, engine=eng, rounds=4)  # save_layer checks the stored account
    return eng


def import_file(engine, data: bytes, filename: str, layer: str, *, title: str = "测绘（测试）", **options):
    """What the admin page does: read and check the file, then save it as a new version."""
    gdf = read_geometry_file(data, filename, layer=layer, **options)
    return save_layer(ADMIN, layer=layer, gdf=gdf, source_title=title, engine=engine)


def test_the_suite_is_large_enough():
    assert len(REFUSED) >= 15


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_with_a_chinese_message(engine, tmp_path, case):
    build, expected = REFUSED[case]
    data, filename, layer, options = build(tmp_path)
    before = row_counts(engine)
    with pytest.raises(GeometryError) as err:
        import_file(engine, data, filename, layer, **options)
    message = err.value.message
    assert f"文件「{filename}」" in message, message
    for text in expected:
        assert text in message + "".join(err.value.details), (text, message)
    assert_unchanged(engine, before)


@pytest.mark.parametrize(("case", "suggestion"), [
    ("zone prefix (38xxxxxx) imported as EPSG:4547", {"crs": "EPSG:4526", "swap_axes": False}),
    ("no zone prefix declared as EPSG:4526 in the file", {"crs": "EPSG:4547", "swap_axes": False}),
    ("northing first (EPSG:4547)", {"crs": "EPSG:4547", "swap_axes": True}),
    ("latitude before longitude", {"crs": "EPSG:4490", "swap_axes": True}),
])
def test_mismatch_suggestion_is_right(engine, tmp_path, case, suggestion):
    """Following the suggestion stores exactly the project's own geometry (no Infinity, no offset)."""
    data, filename, layer, options = REFUSED[case][0](tmp_path)
    with pytest.raises(CrsMismatch) as err:
        read_geometry_file(data, filename, layer=layer, **options)
    got = err.value.suggestion
    assert {k: got[k] for k in suggestion} == suggestion
    options = {**options, "source_crs": got["crs"], "swap_axes": got["swap_axes"]}
    saved = import_file(engine, data, filename, layer, title=f"按建议导入：{case}", **options)
    stored = {f["name"]: shape(f["geometry"]) for f in map_layers(engine=engine)[layer]}
    truth = _layer(layer)
    assert saved.features == len(truth) and set(stored) == set(truth["name"])
    for name, geom in zip(truth["name"], truth.geometry):
        assert np.allclose(shapely.get_coordinates(stored[name]), shapely.get_coordinates(geom), atol=1e-6), name


def test_store_refuses_non_finite_coordinates_from_any_caller(engine):
    roads = _with_vertex(_layer("roads"), 3, float("inf")).assign(properties=[{}] * 8)
    before = row_counts(engine)
    with pytest.raises(GeometryError) as err:
        save_layer(ADMIN, layer="roads", gdf=roads, source_title="直接调用", engine=engine)
    assert "NaN 或无穷大" in err.value.message and f"第4个要素「{roads['name'].iloc[3]}」" in err.value.message
    assert_unchanged(engine, before)


@pytest.mark.parametrize(("title", "note", "expected"), [
    ("测绘\x00成果", None, "「数据来源」含不可见的控制字符"),
    ("长" * 301, None, "「数据来源」过长（301个字，最多300个字）"),
    ("测绘", "备注\x00", "「备注」含不可见的控制字符"),
    ("\u202e测绘", None, "「数据来源」含不可见的控制字符"),
    ("\u200b\ufeff", None, "请填写数据来源"),  # only invisible characters: nothing to read
    ("  ", None, "请填写数据来源"),
])
def test_store_refuses_bad_source_text(engine, title, note, expected):
    gdf = read_geometry_file(_geojson(_layer("roads")), "道路.geojson", layer="roads")
    before = row_counts(engine)
    with pytest.raises(GeometryError, match=expected):
        save_layer(ADMIN, layer="roads", gdf=gdf, source_title=title, note=note, engine=engine)
    assert_unchanged(engine, before)


# ---- GCJ-02 / BD-09: warned with the correction offered; following it stores the true positions ----
def _shifted(layer: str, shift) -> bytes:
    gdf = _layer(layer)
    return _geojson(gdf.set_geometry([transform_geometry(g, shift) for g in gdf.geometry], crs=4326))


def _current(engine, layer: str) -> list[dict]:
    return map_layers(engine=engine)[layer]


@pytest.mark.parametrize(("layer", "shift", "applied", "offered", "metres"), [
    ("roads", wgs84_to_gcj02, None, "gcj02", (560, 620)),  # Amap file taken as WGS-84: ~595 m
    ("pois", wgs84_to_bd09, "gcj02", "bd09", (860, 940)),  # Baidu file corrected as GCJ-02: ~914 m
    ("communities", wgs84_to_bd09, None, "bd09", (1180, 1300)),
    ("rivers", lambda x, y: (x, y), "gcj02", None, (560, 620)),  # a true WGS-84 file "corrected" anyway
])
def test_datum_offset_is_warned_and_the_correction_offered(engine, layer, shift, applied, offered, metres):
    data = _shifted(layer, shift)
    before = row_counts(engine)
    gdf = read_geometry_file(data, "高德导出.geojson", layer=layer, correction=applied)
    hint = geo_preview.summarize(_current(engine, layer), gdf, filename="高德导出.geojson", correction=applied).offset
    assert hint is not None and hint.correction == offered
    assert metres[0] <= hint.shift_m <= metres[1] and hint.residual_m < 20
    assert "文件「高德导出.geojson」" in hint.message and "建议改用" in hint.message
    assert_unchanged(engine, before)
    fixed = read_geometry_file(data, "高德导出.geojson", layer=layer, correction=offered)
    assert geo_preview.summarize(_current(engine, layer), fixed, correction=offered).offset is None
    save_layer(ADMIN, layer=layer, gdf=fixed, source_title="纠偏后导入", engine=engine)
    stored = {f["name"]: shape(f["geometry"]) for f in _current(engine, layer)}
    for name, geom in zip(_layer(layer)["name"], _layer(layer).geometry):
        assert shapely.hausdorff_distance(stored[name], geom) < 5e-6, name  # < 0.5 m


def test_a_true_survey_nearby_is_not_warned(engine):
    """A real survey differs from the schematic feature by feature, not by one datum vector: no false alarm."""
    comms = _layer("communities")
    rng = np.random.default_rng(7)
    moved = comms.set_geometry([shapely.affinity.translate(g, *rng.normal(0, 0.003, 2)) for g in comms.geometry])
    assert geo_preview.summarize(_current(engine, "communities"), moved, filename="x").offset is None
