"""The 15-minute walking circle around a service point (the article's 「打造“15分钟养老服务站”」).

A schematic ring, not an isochrone: radius = walking speed × time (4.5 km/h × 15 min = 1125 m), buffered in
a projected CRS in metres — EPSG:4547, CGCS2000 / 3-degree Gauss-Krüger CM 114°E, the zone of Nanyang's
survey grid — and brought back to WGS-84 (EPSG:4326) for the map. At 112.5°E the grid scale is 1.00024, so
the 1125 m ring is true to about 0.3 m. Buffering in degrees would squash it east-west by cos(33°) ≈ 0.84.
"""
from __future__ import annotations

import math

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Point, Polygon

from lib.errors import GeometryError

GEOGRAPHIC_CRS = "EPSG:4326"
PROJECTED_CRS = "EPSG:4547"
WALK_KMH = 4.5
WALK_MINUTES = 15
_TO_GRID = Transformer.from_crs(GEOGRAPHIC_CRS, PROJECTED_CRS, always_xy=True)
_FROM_GRID = Transformer.from_crs(PROJECTED_CRS, GEOGRAPHIC_CRS, always_xy=True)


def walk_radius_m(minutes: float = WALK_MINUTES, kmh: float = WALK_KMH) -> float:
    """How far one walks in `minutes` at `kmh`, in metres (15 min at 4.5 km/h: 1125 m)."""
    return kmh * 1000.0 * minutes / 60.0


WALK_RADIUS_M = walk_radius_m()
LEGEND = (f"{WALK_MINUTES}分钟步行圈（示意，按步行 {WALK_KMH:g} km/h 约 {WALK_RADIUS_M / 1000:.1f} km 半径）")


def service_circle(lon: float, lat: float, radius_m: float = WALK_RADIUS_M, *, quad_segs: int = 32) -> Polygon:
    """A circle of `radius_m` metres around (lon, lat), buffered in EPSG:4547, as a WGS-84 polygon."""
    if not radius_m or radius_m <= 0 or not math.isfinite(radius_m):
        raise GeometryError(f"服务半径必须为正数（当前：{radius_m}）")
    x, y = _TO_GRID.transform(lon, lat)
    ring = Point(x, y).buffer(radius_m, quad_segs=quad_segs)
    return shapely.transform(ring, lambda c: np.column_stack(_FROM_GRID.transform(c[:, 0], c[:, 1])))
