"""Consistency checks for a full set of layers; problems are returned as Chinese lines.

Layers are named by their Chinese labels (geo.layers.LAYER_LABELS), geometry types and shapely's validity reasons
through geo.import_errors (library_text), so no line carries shapely's English.
Used by tests/test_geo_layers.py (the shipped schematic layers); `is_finite` by the importer and the store.
"""
from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString

from geo import schematic_plan as plan
from geo.import_errors import geometry_type_text, library_text
from geo.layers import LAYER_LABELS, geom_to_metric, meters_between
from lib.errors import GeometryError

TOTAL_AREA_KM2 = (plan.TARGET_AREA_KM2, 0.03)  # (target, relative tolerance)
ZHONGXING_KM2 = (plan.ZHONGXING_AREA_KM2, 0.05)
TILING_TOLERANCE_M2 = 50.0  # gaps/overlaps below this are rounding noise
STATION_TOLERANCE_M = 100.0
EAST_EDGE_TOLERANCE_M = 150.0
REQUIRED = {
    "roads": ("人民路", "工业路", "车站路", "百里奚路", "建设路", "光武大道", "张衡大道", "范蠡路"),
    "railway": ("焦枝铁路",),
    "rivers": ("三里河", "梅溪河"),
    "reservoirs": ("洛洼水库", "榆树庄水库"),
    "pois": ("南阳站", "综合养老服务中心", "中兴社区日间照料中心", "星光大排档", "摩天中心", "诸葛书屋",
             "清风巷", "三里河健康步道", "梅溪河小游园", "环湖游园"),
}
IN_ZHONGXING = ("综合养老服务中心", "中兴社区日间照料中心", "星光大排档", "诸葛书屋", "清风巷")
MARKET_CATEGORY, MARKET_COUNT = "专业批发市场", 11
POLYGON_LAYERS = ("outline", "communities", "reservoirs")


def is_finite(geom) -> bool:
    """True when every coordinate of `geom` is a finite number (no NaN, no ±Infinity)."""
    return geom is None or bool(np.isfinite(shapely.get_coordinates(geom)).all())


def _label(key: str) -> str:
    return LAYER_LABELS.get(key, key)


def _km2(geom) -> float:
    return geom_to_metric(geom).area / 1e6


def _m2(geom) -> float:
    return geom_to_metric(geom).area


def _by_name(gdf: gpd.GeoDataFrame) -> dict:
    return {str(n): g for n, g in zip(gdf["name"], gdf.geometry)}


def _x_at(line, lat: float) -> float | None:
    """Longitude where a (roughly north-south) line crosses a latitude; nearest to its mean."""
    minx, _, maxx, _ = line.bounds
    hits = shapely.get_parts(line.intersection(LineString([(minx - 1, lat), (maxx + 1, lat)])))
    xs = [p.x for p in hits if p.geom_type == "Point"]
    return float(np.mean(xs)) if xs else None


def _check_validity(layers, problems):
    for key in POLYGON_LAYERS:
        gdf = layers.get(key)
        if gdf is None:
            continue
        for i, (name, geom) in enumerate(zip(gdf["name"], gdf.geometry), start=1):
            where = f"图层「{_label(key)}」第{i}个要素「{name}」"
            if geom is None or geom.is_empty:
                problems.append(f"{where}几何为空")
            elif not geom.is_valid:
                reason = library_text(shapely.is_valid_reason(geom), "", step="validity")
                problems.append(f"{where}几何无效：{reason}")
            elif geom.geom_type not in ("Polygon", "MultiPolygon"):
                problems.append(f"{where}应为面，实为{geometry_type_text(geom.geom_type)}")


def _check_presence(layers, problems):
    for key in ("outline", "communities", *REQUIRED):
        if key not in layers or layers[key] is None or len(layers[key]) == 0:
            problems.append(f"缺少图层「{_label(key)}」或图层为空")
    comms = layers.get("communities")
    if comms is not None:
        names = [str(n) for n in comms["name"]]
        missing = [n for n in plan.COMMUNITIES if n not in names]
        extra = sorted(set(names) - set(plan.COMMUNITIES))
        if missing:
            problems.append(f"社区图层缺少：{'、'.join(missing)}")
        if extra:
            problems.append(f"社区图层含未知社区：{'、'.join(extra)}")
        if len(names) != len(set(names)):
            problems.append("社区图层存在重名要素")
    for key, required in REQUIRED.items():
        gdf = layers.get(key)
        if gdf is None:
            continue
        names = set(str(n) for n in gdf["name"])
        missing = [n for n in required if n not in names]
        if missing:
            problems.append(f"图层「{_label(key)}」缺少：{'、'.join(missing)}")
    pois = layers.get("pois")
    if pois is not None and "category" in pois.columns:
        count = int((pois["category"] == MARKET_CATEGORY).sum())
        if count < MARKET_COUNT:
            problems.append(f"设施点位中「{MARKET_CATEGORY}」只有{count}个，应为{MARKET_COUNT}个")


def _check_areas_and_tiling(layers, problems):
    outline_gdf, comms = layers.get("outline"), layers.get("communities")
    if outline_gdf is None or comms is None or len(outline_gdf) == 0 or len(comms) == 0:
        return
    if not all(g is not None and g.is_valid for g in (*outline_gdf.geometry, *comms.geometry)):
        return
    outline = shapely.unary_union(list(outline_gdf.geometry))
    target, tol = TOTAL_AREA_KM2
    total = _km2(outline)
    if abs(total - target) > target * tol:
        problems.append(f"街道总面积 {total:.3f} 平方公里，超出 {target}±{tol:.0%} 的范围")
    union = shapely.unary_union(list(comms.geometry))
    gap = _m2(union.symmetric_difference(outline))
    if gap > TILING_TOLERANCE_M2:
        problems.append(f"社区拼合与街道范围不一致：差异面积 {gap:.0f} 平方米（允许 {TILING_TOLERANCE_M2:.0f}）")
    items = list(_by_name(comms).items())
    for (na, ga), (nb, gb) in itertools.combinations(items, 2):
        if ga.intersects(gb):
            overlap = _m2(ga.intersection(gb))
            if overlap > TILING_TOLERANCE_M2:
                problems.append(f"社区「{na}」与「{nb}」重叠 {overlap:.0f} 平方米")
    by_name = dict(items)
    if "中兴" in by_name:
        target, tol = ZHONGXING_KM2
        area = _km2(by_name["中兴"])
        if abs(area - target) > target * tol:
            problems.append(f"中兴社区面积 {area:.3f} 平方公里，超出 {target}±{tol:.0%} 的范围")


def _check_anchors(layers, problems, boundary_line):
    rail = layers.get("railway")
    rail_geom = shapely.unary_union(list(rail.geometry)) if rail is not None and len(rail) else None
    pois = _by_name(layers["pois"]) if layers.get("pois") is not None else {}
    station = pois.get("南阳站")
    if station is not None:
        dist = meters_between((station.x, station.y), plan.STATION)
        if dist > STATION_TOLERANCE_M:
            problems.append(f"南阳站距锚点 {dist:.0f} 米，超过 {STATION_TOLERANCE_M:.0f} 米")
        x_rail = _x_at(rail_geom, station.y) if rail_geom is not None else None
        if x_rail is not None and station.x >= x_rail:
            problems.append("南阳站应位于铁路西侧")
    if rail_geom is not None:
        mean_x = float(np.mean([c[0] for g in shapely.get_parts(rail_geom) for c in g.coords]))
        if not 112.503 <= mean_x <= 112.510:
            problems.append(f"焦枝铁路平均经度 {mean_x:.4f}，应在东经112.506°附近")
    comms = _by_name(layers["communities"]) if layers.get("communities") is not None else {}
    if rail_geom is not None:
        for name in ("榆树庄", "光彩", *plan.L_CLUSTER):
            if name not in comms:
                continue
            pt = comms[name].representative_point()
            x_rail = _x_at(rail_geom, pt.y)
            west = name in ("榆树庄", "光彩")
            if x_rail is not None and (pt.x < x_rail) != west:
                problems.append(f"社区「{name}」应位于铁路以{'西' if west else '东'}")
    for a, b in zip(plan.L_CLUSTER, plan.L_CLUSTER[1:]):
        if a in comms and b in comms and comms[a].intersection(comms[b]).length <= 0:
            problems.append(f"L形片区不连续：「{a}」与「{b}」不相邻")
    if "中兴" in comms and "outline" in layers and boundary_line is not None:
        outline = shapely.unary_union(list(layers["outline"].geometry))
        lat = comms["中兴"].representative_point().y
        if abs(_east_x(comms["中兴"], lat) - _east_x(outline, lat)) > 1e-5:
            problems.append("中兴社区应紧贴街道东界（人民路）")
    if "outline" in layers and boundary_line is not None:
        _check_east_edge(shapely.unary_union(list(layers["outline"].geometry)), boundary_line, problems)


def _east_x(poly, lat: float) -> float:
    minx, _, maxx, _ = poly.bounds
    seg = poly.intersection(LineString([(minx - 1, lat), (maxx + 1, lat)]))
    return seg.bounds[2] if not seg.is_empty else float("nan")


def _check_east_edge(outline, boundary_line, problems):
    _, miny, _, maxy = outline.bounds
    worst = 0.0
    for lat in np.linspace(miny + 0.05 * (maxy - miny), maxy - 0.05 * (maxy - miny), 25):
        east = _east_x(outline, lat)
        xs = [p.x for p in shapely.get_parts(boundary_line.intersection(
            LineString([(east - 0.02, lat), (east + 0.02, lat)]))) if p.geom_type == "Point"]
        dist = min((meters_between((east, lat), (x, lat)) for x in xs), default=float("inf"))
        worst = max(worst, dist)
    if worst > EAST_EDGE_TOLERANCE_M:
        problems.append(f"街道东界与卧龙区/宛城区界线（人民路）最大偏差 {worst:.0f} 米，超过 {EAST_EDGE_TOLERANCE_M:.0f} 米")


def _check_zhongxing_pois(layers, problems):
    comms = _by_name(layers["communities"]) if layers.get("communities") is not None else {}
    pois = _by_name(layers["pois"]) if layers.get("pois") is not None else {}
    zx = comms.get("中兴")
    for name in IN_ZHONGXING:
        if zx is not None and name in pois and not zx.buffer(1e-6).contains(pois[name]):
            problems.append(f"点位「{name}」应位于中兴社区内")
    outline = layers.get("outline")
    if outline is not None and len(outline):
        region = shapely.unary_union(list(outline.geometry)).buffer(1e-6)
        for key in ("pois", "reservoirs"):
            if layers.get(key) is None:
                continue
            for name, geom in _by_name(layers[key]).items():
                if not region.contains(geom):
                    problems.append(f"图层「{_label(key)}」要素「{name}」不在街道范围内")
    if "reservoirs" in layers and "榆树庄" in comms:
        res = _by_name(layers["reservoirs"]).get("榆树庄水库")
        if res is not None and not comms["榆树庄"].buffer(1e-6).contains(res):
            problems.append("榆树庄水库应位于榆树庄社区内")


def validate_layers(layers: dict[str, gpd.GeoDataFrame], *, boundary_line=None) -> list[str]:
    """Return Chinese problem lines (empty list = all checks pass).

    `boundary_line` is the 卧龙区/宛城区 boundary to compare the east edge with;
    by default the amap reference shipped in geo/reference/.
    """
    if boundary_line is None:
        from geo.schematic_geometry import shared_boundary_line
        boundary_line = shared_boundary_line()
    problems: list[str] = []
    _check_presence(layers, problems)
    invalid: list[str] = []
    _check_validity(layers, invalid)
    if invalid:  # area/overlay checks on invalid polygons would be meaningless
        return problems + invalid
    _check_areas_and_tiling(layers, problems)
    _check_anchors(layers, problems, boundary_line)
    _check_zhongxing_pois(layers, problems)
    return problems


def assert_valid(layers: dict[str, gpd.GeoDataFrame], **kwargs) -> None:
    problems = validate_layers(layers, **kwargs)
    if problems:
        raise GeometryError(f"图层校验未通过：共{len(problems)}项问题", details=problems)
