"""Geometry construction for the schematic layers (outline, community tiling).

Communities are built as faces of one noded line network (outline boundary + cut
lines), snapped to a 1e-6 degree grid before polygonising, so neighbouring
communities share identical vertices and their union is exactly the outline.
"""
from __future__ import annotations

import json
import math

import shapely
from shapely.geometry import LineString, Point, Polygon, shape

from geo import schematic_plan as plan
from geo.layers import REFERENCE_DIR, geom_to_metric, geom_to_wgs84

GRID = 1e-6  # degrees; coordinates of polygons are snapped to this grid


def reference_polygon(filename: str):
    """The (first) polygon of a reference GeoJSON file."""
    with (REFERENCE_DIR / filename).open(encoding="utf-8") as fh:
        data = json.load(fh)
    geom = shape(data["features"][0]["geometry"])
    if geom.geom_type == "MultiPolygon":
        geom = max(geom.geoms, key=lambda g: g.area)
    return geom


def east_edge_vertices() -> list[tuple[float, float]]:
    """Vertices of the 卧龙区/宛城区 boundary (人民路) inside the latitude range, north to south."""
    ring = list(reference_polygon("411303_amap.geojson").exterior.coords)
    lo, hi = plan.EAST_EDGE_LAT_RANGE
    picked = [(x, y) for x, y in ring if lo <= y <= hi and 112.52 <= x <= 112.54]
    return sorted(picked, key=lambda p: -p[1])


def shared_boundary_line() -> LineString:
    """The 卧龙区 boundary near the subdistrict, for checks (amap reference)."""
    poly = reference_polygon("411303_amap.geojson")
    lo, hi = plan.EAST_EDGE_LAT_RANGE
    window = shapely.box(112.52, lo - 0.003, 112.545, hi + 0.003)
    return poly.exterior.intersection(window)


def metric_area_km2(geom) -> float:
    return geom_to_metric(geom).area / 1e6


def build_outline(p: float) -> Polygon:
    """Outline polygon for inset parameter p (degrees), clockwise from the NE corner."""
    east = east_edge_vertices()
    pts = list(east)
    for x, y, w in plan.SOUTH_EDGE:
        pts.append((x, y + w * p))
    for x, y, w in plan.WEST_EDGE:
        pts.append((x + abs(w) * p * 0.5, y + w * p))
    for x, y, w in plan.NORTH_EDGE:
        pts.append((x, y + w * p))
    poly = Polygon(pts)
    return shapely.set_precision(shapely.make_valid(poly), GRID)


def solve(func, target: float, lo: float, hi: float, iterations: int = 60) -> float:
    """Bisection for a monotone func(x) == target on [lo, hi] (deterministic)."""
    f_lo = func(lo) - target
    for _ in range(iterations):
        mid = (lo + hi) / 2
        f_mid = func(mid) - target
        if (f_mid < 0) == (f_lo < 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return (lo + hi) / 2


def solved_outline() -> Polygon:
    p = solve(lambda v: metric_area_km2(build_outline(v)), plan.TARGET_AREA_KM2, -0.002, 0.006)
    return build_outline(p)


def railway_line() -> LineString:
    return LineString(plan.RAILWAY)


def railway_x_at(lat: float) -> float:
    """Longitude of the railway at a latitude (linear along the polyline)."""
    pts = plan.RAILWAY
    for (x1, y1), (x2, y2) in zip(pts, pts[1:]):
        if y1 <= lat <= y2:
            return x1 + (x2 - x1) * (lat - y1) / (y2 - y1)
    (x1, y1), (x2, y2) = (pts[0], pts[1]) if lat < pts[0][1] else (pts[-2], pts[-1])
    return x1 + (x2 - x1) * (lat - y1) / (y2 - y1)


def community_at(x: float, y: float, x_zx: float) -> str:
    """Which community a point belongs to in the schematic plan."""
    if x < railway_x_at(y):
        if y >= plan.Y_WEST_SPLIT:
            return "光彩" if x >= plan.X_BAILIXI else "榆树庄"
        return "麒麟"
    row = sum(y >= r for r in plan.Y_ROWS)
    col = sum(x >= c for c in (plan.X_CHEZHAN, plan.X_GONGYE, x_zx))
    return plan.EAST_TABLE[row][col]


def zhongxing_cell(outline: Polygon, x_zx: float) -> Polygon:
    return outline.intersection(shapely.box(x_zx, plan.Y_ROWS[0], 113.0, plan.Y_ROWS[1]))


def solve_zhongxing_west(outline: Polygon) -> float:
    """West edge of 中兴 such that its area is 0.45 km² (area falls as x grows)."""
    x = solve(lambda v: -metric_area_km2(zhongxing_cell(outline, v)), -plan.ZHONGXING_AREA_KM2,
              112.518, 112.5285)
    return round(x, 6)


def cut_lines(outline: Polygon, x_zx: float) -> list[LineString]:
    minx, miny, maxx, maxy = outline.bounds
    far = 0.01
    lines = [LineString([(minx - far, y), (maxx + far, y)]) for y in (*plan.Y_ROWS, plan.Y_WEST_SPLIT)]
    lines += [LineString([(x, miny - far), (x, maxy + far)])
              for x in (plan.X_BAILIXI, plan.X_CHEZHAN, plan.X_GONGYE, x_zx)]
    lines.append(railway_line())
    return lines  # not clipped: unary_union must node them with the outline itself


def build_communities(outline: Polygon) -> tuple[dict[str, Polygon], float]:
    """Tile the outline into the 11 communities; returns ({name: polygon}, 中兴 west x)."""
    x_zx = solve_zhongxing_west(outline)
    network = shapely.unary_union([outline.boundary, *cut_lines(outline, x_zx)])
    network = shapely.set_precision(network, GRID)
    faces = [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(network)))
             if outline.contains(f.representative_point())]
    groups: dict[str, list[Polygon]] = {}
    for face in faces:
        pt = face.representative_point()
        groups.setdefault(community_at(pt.x, pt.y, x_zx), []).append(face)
    merged = {name: shapely.unary_union(parts, grid_size=GRID) for name, parts in groups.items()}
    return merged, x_zx


def ellipse(lon: float, lat: float, ax_m: float, ay_m: float, n: int = 24) -> Polygon:
    """Small ellipse (semi-axes in metres) around a WGS-84 centre."""
    centre = geom_to_metric(Point(lon, lat))
    pts = [(centre.x + ax_m * math.cos(2 * math.pi * i / n), centre.y + ay_m * math.sin(2 * math.pi * i / n))
           for i in range(n)]
    return shapely.set_precision(geom_to_wgs84(Polygon(pts)), GRID)


def offset_point(lonlat: tuple[float, float], east_m: float, north_m: float) -> tuple[float, float]:
    """Move a WGS-84 point by metres east/north (via the metric CRS)."""
    p = geom_to_metric(Point(lonlat))
    q = geom_to_wgs84(Point(p.x + east_m, p.y + north_m))
    return (q.x, q.y)


def horizontal_road(outline: Polygon, lat: float) -> LineString:
    """East-west road across the outline at a latitude (clipped to the outline)."""
    minx, _, maxx, _ = outline.bounds
    clipped = LineString([(minx - 0.01, lat), (maxx + 0.01, lat)]).intersection(outline)
    return _longest(clipped)


def vertical_road(outline: Polygon, lon: float) -> LineString:
    _, miny, _, maxy = outline.bounds
    clipped = LineString([(lon, miny - 0.01), (lon, maxy + 0.01)]).intersection(outline)
    return _longest(clipped)


def _longest(geom) -> LineString:
    parts = [g for g in shapely.get_parts(geom) if g.geom_type == "LineString"]
    return max(parts, key=lambda g: g.length)
