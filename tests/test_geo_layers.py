"""Shipped schematic layers: validation, areas, tiling, anchors, names, determinism."""
from __future__ import annotations

import itertools

import geopandas as gpd
import pytest
import shapely

from geo import schematic_plan as plan
from geo.build_schematic import main as build_main
from geo.layers import (LAYER_DIR, LAYER_NAMES, area_km2, buffer_metric, feature_records, load_all, load_layer,
                        meters_between, to_metric)
from geo.schematic_geometry import railway_x_at, shared_boundary_line
from geo.validate import assert_valid, validate_layers
from lib.errors import GeometryError


@pytest.fixture(scope="module")
def layers():
    return load_all()


def _named(gdf):
    return dict(zip(gdf["name"], gdf.geometry))


def test_validation_passes_on_shipped_layers(layers):
    assert validate_layers(layers) == []
    assert_valid(layers)


def test_every_layer_is_wgs84_and_marked(layers):
    assert tuple(layers) == LAYER_NAMES
    for key, gdf in layers.items():
        assert gdf.crs.to_epsg() == 4326, key
        assert len(gdf) > 0, key
        for _, row in gdf.iterrows():
            assert isinstance(row["name"], str) and row["name"], key
            assert row["source"], (key, row["name"])
            if key != "context":
                assert row["schematic"] is True and row["layer"] == key


def test_total_area_in_metric_crs(layers):
    total = float(area_km2(layers["outline"]).sum())
    assert total == pytest.approx(8.5, rel=0.03)
    assert to_metric(layers["outline"]).crs.is_projected
    minx, miny, maxx, maxy = to_metric(layers["outline"]).total_bounds
    assert 3200 < maxx - minx < 3800  # ~3.4 km east-west
    assert 2900 < maxy - miny < 3400  # ~3.1 km north-south


def test_zhongxing_area_and_position(layers):
    comms = layers["communities"].set_index("name")
    areas = area_km2(layers["communities"])
    by_name = dict(zip(layers["communities"]["name"], areas))
    assert by_name["中兴"] == pytest.approx(0.45, rel=0.05)
    assert sum(by_name.values()) == pytest.approx(8.5, rel=0.03)
    outline = layers["outline"].geometry.iloc[0]
    zx = comms.loc["中兴", "geometry"]
    assert zx.bounds[2] == pytest.approx(outline.bounds[2], abs=0.004)  # touches the east edge
    assert zx.intersection(outline.exterior).length > 0.003


def test_communities_tile_the_outline(layers):
    outline = to_metric(layers["outline"]).geometry.iloc[0]
    comms = list(to_metric(layers["communities"]).geometry)
    assert shapely.unary_union(comms).symmetric_difference(outline).area < 1.0  # m²
    for a, b in itertools.combinations(comms, 2):
        assert a.intersection(b).area < 1e-3
    assert all(g.is_valid and g.geom_type == "Polygon" for g in comms)


@pytest.mark.parametrize("layer,names", [
    ("communities", plan.COMMUNITIES),
    ("roads", ("人民路", "工业路", "车站路", "百里奚路", "建设路", "光武大道", "张衡大道", "范蠡路")),
    ("railway", ("焦枝铁路",)),
    ("rivers", ("三里河", "梅溪河")),
    ("reservoirs", ("洛洼水库", "榆树庄水库")),
    ("pois", ("南阳站", "综合养老服务中心", "中兴社区日间照料中心", "星光大排档", "摩天中心", "诸葛书屋", "清风巷",
              "三里河健康步道", "梅溪河小游园", "环湖游园", *[f"专业批发市场{i}" for i in range(1, 12)])),
    ("projects", ("文化路北延",)),
    ("context", ("卧龙区", "宛城区")),
])
def test_named_features_present(layers, layer, names):
    present = list(layers[layer]["name"])
    assert sorted(present) == sorted(names)


def test_community_properties(layers):
    comms = layers["communities"].set_index("name")
    assert len(comms) == 11
    for name in plan.COMMUNITIES:
        assert comms.loc[name, "full_name"] == f"{name}社区"
    assert comms.loc["榆树庄", "side"] == comms.loc["光彩", "side"] == "铁路以西"
    for name in plan.L_CLUSTER:
        assert comms.loc[name, "side"] == "铁路以东"
    for a, b in zip(plan.L_CLUSTER, plan.L_CLUSTER[1:]):  # the L is one chain
        assert comms.loc[a, "geometry"].intersection(comms.loc[b, "geometry"]).length > 0.001
    roads = layers["roads"].set_index("name")
    assert set(roads["direction"]) == {"南北", "东西"}
    assert "未给出位置" in roads.loc["范蠡路", "source"]


def test_station_and_railway_anchor(layers):
    station = _named(layers["pois"])["南阳站"]
    assert meters_between((station.x, station.y), (112.50633, 33.00063)) < 1.0
    rail = layers["railway"].geometry.iloc[0]
    rail_x = railway_x_at(station.y)
    assert station.x < rail_x  # station building west of the tracks
    assert 20 < meters_between((station.x, station.y), (rail_x, station.y)) < 150
    outline = layers["outline"].geometry.iloc[0]
    assert rail.bounds[1] < outline.bounds[1] and rail.bounds[3] > outline.bounds[3]  # spans the whole area
    assert len(shapely.get_parts(rail.difference(outline))) == 2  # enters and leaves once
    xs = [c[0] for c in rail.coords]
    assert 112.504 < sum(xs) / len(xs) < 112.509


def test_east_edge_follows_district_boundary(layers):
    outline = layers["outline"].geometry.iloc[0]
    boundary = shared_boundary_line()
    worst = 0.0
    for lat in [32.990 + 0.001 * k for k in range(27)]:  # 32.990 .. 33.016
        scan = shapely.LineString([(112.50, lat), (112.56, lat)])
        east_x = outline.intersection(scan).bounds[2]
        ref_x = min((p.x for p in shapely.get_parts(boundary.intersection(scan))), key=lambda x: abs(x - east_x))
        worst = max(worst, meters_between((east_x, lat), (ref_x, lat)))
    assert worst < 150
    assert outline.bounds[0] == pytest.approx(112.494, abs=0.001)  # west edge


def test_pois_in_zhongxing_and_night_market_offset(layers):
    zx = _named(layers["communities"])["中兴"]
    pois = _named(layers["pois"])
    for name in ("综合养老服务中心", "中兴社区日间照料中心", "星光大排档", "诸葛书屋", "清风巷"):
        assert zx.contains(pois[name]), name
    guangwu = _named(layers["roads"])["光武大道"]
    cross = max(guangwu.coords, key=lambda c: c[0])
    market = pois["星光大排档"]
    assert market.y > cross[1]  # 路北
    assert 90 < meters_between((market.x, cross[1]), cross) < 110  # 西100米
    markets = layers["pois"][layers["pois"]["category"] == "专业批发市场"]
    assert len(markets) == 11


def test_validation_reports_problems(layers):
    broken = dict(layers)
    broken["communities"] = layers["communities"][layers["communities"]["name"] != "白庄"]
    problems = validate_layers(broken)
    assert any("白庄" in p for p in problems)
    assert any("差异面积" in p for p in problems)
    with pytest.raises(GeometryError) as err:
        assert_valid(broken)
    assert "图层校验未通过" in err.value.message and err.value.details


def test_feature_records_are_db_ready(layers):
    recs = feature_records("communities")
    assert len(recs) == 11
    rec = next(r for r in recs if r["name"] == "中兴")
    assert rec["geometry"]["type"] == "Polygon"
    assert rec["properties"]["full_name"] == "中兴社区" and rec["properties"]["layer"] == "communities"


@pytest.mark.parametrize("meters", [500, 1000])
def test_buffer_metric_radius(meters):
    circle = buffer_metric((112.5262, 33.0032), meters)
    ring = to_metric(gpd.GeoDataFrame(geometry=[circle], crs=4326)).geometry.iloc[0]
    assert ring.area == pytest.approx(3.14159 * meters ** 2, rel=0.01)
    with pytest.raises(GeometryError):
        buffer_metric((112.5, 33.0), -1)


def test_build_is_deterministic_and_matches_shipped(tmp_path):
    build_main(tmp_path)
    for name in LAYER_NAMES:
        assert (tmp_path / f"{name}.geojson").read_bytes() == (LAYER_DIR / f"{name}.geojson").read_bytes(), name


def test_load_layer_rejects_unknown():
    with pytest.raises(GeometryError):
        load_layer("nonexistent")


def test_east_edge_note_tells_where_the_edge_comes_from():
    """The east edge follows the 高德 line (converted to WGS-84); the caption says so and how far 天地图's is."""
    from pathlib import Path

    from geo.layers import EAST_EDGE_NOTE, geom_to_metric
    from geo.schematic_geometry import reference_polygon

    lo, hi = plan.EAST_EDGE_LAT_RANGE
    outline = load_layer("outline").geometry.iloc[0]
    east = [shapely.Point(x, y) for x, y in outline.exterior.coords if lo <= y <= hi and x > 112.525]
    window = shapely.box(112.52, lo - 0.003, 112.545, hi + 0.003)
    tianditu = geom_to_metric(reference_polygon("411303_tianditu.geojson").exterior.intersection(window))
    amap = geom_to_metric(shared_boundary_line())
    assert len(east) >= 5 and max(amap.distance(geom_to_metric(p)) for p in east) < 1.0
    gap = max(tianditu.distance(geom_to_metric(p)) for p in east)
    assert "高德" in EAST_EDGE_NOTE and f"最多相差约 {round(gap)} 米" in EAST_EDGE_NOTE
    root = Path(__file__).resolve().parent.parent
    for path in [root / "README.md", *root.glob("ui/**/*.py"), *root.glob("pages/*.py")]:
        assert "东界（人民路）取自天地图" not in path.read_text(encoding="utf-8"), path
