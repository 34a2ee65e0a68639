"""read_geometry_file: CRS round trips, offset corrections and rejections."""
from __future__ import annotations

import io
import json
import zipfile

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon, mapping

from geo.crs import transform_geometry, wgs84_to_bd09, wgs84_to_gcj02
from geo.importer import read_geometry_file
from geo.layers import geom_to_metric, load_layer
from lib.errors import GeometryError


@pytest.fixture(scope="module")
def communities():
    return load_layer("communities")[["name", "geometry"]].copy()


def _max_offset_m(a, b) -> float:
    return geom_to_metric(a).hausdorff_distance(geom_to_metric(b))


def _zip_dir(path, drop=()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in sorted(path.iterdir()):
            if f.suffix not in drop:
                zf.write(f, f"nested/{f.name}")
    return buf.getvalue()


def _geojson(features, crs_name=None) -> bytes:
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": mapping(geom)} for props, geom in features]}
    if crs_name:
        data["crs"] = {"type": "name", "properties": {"name": crs_name}}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def test_geopackage_in_epsg4547_round_trip(tmp_path, communities):
    path = tmp_path / "communities.gpkg"
    communities.assign(name=[f"{n}社区" for n in communities["name"]]).to_crs(4547).to_file(path, engine="pyogrio")
    out = read_geometry_file(path.read_bytes(), "社区.gpkg", layer="communities")
    assert out.crs.to_epsg() == 4326
    assert list(out.columns) == ["name", "properties", "geometry"]
    assert list(out["name"]) == list(communities["name"])  # 中兴社区 -> 中兴
    for a, b in zip(out.geometry, communities.geometry):
        assert _max_offset_m(a, b) < 1.0


def test_zipped_shapefile_in_epsg4526_with_zone_prefix(tmp_path, communities):
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    projected = communities.to_crs(4526)
    assert projected.geometry.iloc[0].bounds[0] > 38_000_000
    projected.to_file(shp_dir / "communities.shp", engine="pyogrio")
    out = read_geometry_file(_zip_dir(shp_dir), "社区.zip", layer="communities")
    for a, b in zip(out.geometry, communities.geometry):
        assert _max_offset_m(a, b) < 1.0


def test_chinese_name_column_is_accepted():
    data = _geojson([({"名称": "南阳站", "类别": "交通枢纽"}, Point(112.50633, 33.00063))])
    out = read_geometry_file(data, "站点.geojson", layer="pois")
    assert out["name"].iloc[0] == "南阳站"
    assert out["properties"].iloc[0] == {"类别": "交通枢纽"}


@pytest.mark.parametrize("correction,shift,limit_m", [("gcj02", wgs84_to_gcj02, 5.0), ("bd09", wgs84_to_bd09, 5.0)])
def test_offset_geojson_corrected(correction, shift, limit_m):
    truth = LineString([(112.500, 32.995), (112.510, 33.000), (112.520, 33.010)])
    data = _geojson([({"name": "测试道路"}, transform_geometry(truth, shift))])
    fixed = read_geometry_file(data, "道路.geojson", layer="roads", correction=correction).geometry.iloc[0]
    raw = read_geometry_file(data, "道路.geojson", layer="roads").geometry.iloc[0]
    assert _max_offset_m(fixed, truth) < limit_m
    assert _max_offset_m(raw, truth) > 500


def test_source_crs_for_file_without_prj(tmp_path, communities):
    shp_dir = tmp_path / "noprj"
    shp_dir.mkdir()
    communities.to_crs(4547).to_file(shp_dir / "c.shp", engine="pyogrio")
    data = _zip_dir(shp_dir, drop=(".prj",))
    out = read_geometry_file(data, "c.zip", layer="communities", source_crs="EPSG:4547")
    assert _max_offset_m(out.geometry.iloc[0], communities.geometry.iloc[0]) < 1.0


def _bad_cases(tmp_path, communities):
    no_prj = tmp_path / "noprj"
    no_prj.mkdir()
    communities.to_crs(4547).to_file(no_prj / "c.shp", engine="pyogrio")
    bowtie = Polygon([(112.52, 33.00), (112.53, 33.01), (112.53, 33.00), (112.52, 33.01)])
    far = Point(112.60, 33.10)  # ~12 km away
    return {
        "no_crs": (_zip_dir(no_prj, drop=(".prj",)), "c.zip", "communities", {}, "未声明坐标系"),
        "bowtie": (_geojson([({"name": "中兴"}, bowtie)]), "c.geojson", "communities", {}, "无效几何"),
        "unknown_name": (_geojson([({"name": "幸福社区"}, communities.geometry.iloc[0])]), "c.geojson",
                         "communities", {}, "未知社区"),
        "missing_name": (_geojson([({"kind": "x"}, Point(112.52, 33.0))]), "p.geojson", "pois", {}, "名称"),
        "far_away": (_geojson([({"name": "远处"}, far)]), "p.geojson", "pois", {}, "远离"),
        "oversize": (b"{" + b" " * 2000 + b"}", "big.geojson", "pois", {"max_bytes": 1000}, "过大"),
        "wrong_type": (_geojson([({"name": "人民路"}, Point(112.53, 33.0))]), "r.geojson", "roads", {}, "几何类型不符"),
        "garbage": (b"\x00\x01garbage\xff" * 50, "x.geojson", "pois", {}, "无法读取"),
        "garbage_zip": (b"PK\x03\x04" + b"\x00" * 64, "x.zip", "pois", {}, "无法读取"),
        "unsupported": (b"hello world", "x.kml", "pois", {}, "不受支持"),
        "empty": (b"", "x.geojson", "pois", {}, "为空"),
        "duplicate": (_geojson([({"name": "中兴"}, communities.geometry.iloc[1]),
                                ({"name": "中兴社区"}, communities.geometry.iloc[1])]), "c.geojson", "communities",
                      {}, "重复"),
    }


@pytest.mark.parametrize("case", ["no_crs", "bowtie", "unknown_name", "missing_name", "far_away", "oversize",
                                  "wrong_type", "garbage", "garbage_zip", "unsupported", "empty", "duplicate"])
def test_rejections(tmp_path, communities, case):
    data, filename, layer, kwargs, expected = _bad_cases(tmp_path, communities)[case]
    with pytest.raises(GeometryError) as err:
        read_geometry_file(data, filename, layer=layer, **kwargs)
    message = err.value.message
    assert expected in message
    assert filename in message  # names the file
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


def test_bowtie_rejection_names_the_feature(communities):
    bowtie = Polygon([(112.52, 33.00), (112.53, 33.01), (112.53, 33.00), (112.52, 33.01)])
    data = _geojson([({"name": "中兴"}, communities.geometry.iloc[1]), ({"name": "西华"}, bowtie)])
    with pytest.raises(GeometryError) as err:
        read_geometry_file(data, "c.geojson", layer="communities")
    assert "第2个要素「西华」" in err.value.message


def test_geojson_with_declared_projected_crs():
    pt = gpd.GeoSeries([Point(112.50633, 33.00063)], crs=4326).to_crs(4547).iloc[0]
    data = _geojson([({"name": "南阳站"}, pt)], crs_name="urn:ogc:def:crs:EPSG::4547")
    out = read_geometry_file(data, "p.geojson", layer="pois").geometry.iloc[0]
    assert shapely.distance(geom_to_metric(out), geom_to_metric(Point(112.50633, 33.00063))) < 1.0


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_shapefile_without_cpg_in_gbk_or_utf8(tmp_path, encoding):
    gdf = gpd.GeoDataFrame({"名称": ["南阳站"], "类别": ["交通枢纽"]}, geometry=[Point(112.50633, 33.00063)], crs=4326)
    gdf.to_file(tmp_path / "p.shp", engine="pyogrio", encoding=encoding)
    out = read_geometry_file(_zip_dir(tmp_path, drop=(".cpg",)), "p.zip", layer="pois")
    assert out["name"].iloc[0] == "南阳站"
    assert out["properties"].iloc[0] == {"类别": "交通枢纽"}


def test_a_shapefile_mixing_utf8_and_gbk_rows_is_refused_naming_the_rows(tmp_path):
    """A .dbf without .cpg whose rows were saved by two programs (UTF-8, and GBK for the second record): the whole file
    was read as GBK and the UTF-8 names were stored garbled (「浜烘皯璺」) without a word."""
    gdf = gpd.GeoDataFrame({"名称": ["南阳站", "工业路站"], "类别": ["交通枢纽", "交通枢纽"]},
                           geometry=[Point(112.50633, 33.00063), Point(112.5070, 33.0010)], crs=4326)
    gdf.to_file(tmp_path / "p.shp", engine="pyogrio", encoding="utf-8")
    dbf = (tmp_path / "p.dbf").read_bytes()
    utf8, gbk = "工业路站".encode(), "工业路站".encode("gbk")
    (tmp_path / "p.dbf").write_bytes(dbf.replace(utf8, gbk + b" " * (len(utf8) - len(gbk)), 1))
    with pytest.raises(GeometryError) as err:
        read_geometry_file(_zip_dir(tmp_path, drop=(".cpg",)), "p.zip", layer="pois")
    assert "混用了 UTF-8 与 GBK" in err.value.message and "第2条记录" in err.value.message, err.value.message
