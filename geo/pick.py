"""Candidate points for picking a location on the map (a site check's place), in the metric CRS.

    pick_grid(polygon, spacing_m=60) -> [(lon, lat)]   # a square grid inside the polygon
    centre(polygon) -> (lon, lat)                      # a point guaranteed inside (the default location)
    feature_geometry(features, name) -> shapely geometry | None
    touch_spacing_m(bounds, height, min_spacing_m) -> metres   # neighbours ≥ one tap target apart on screen
    area_geometry(features) -> shapely geometry | None          # the union of map-layer records (the outline)
    device_point(lon, lat, area) -> (lon, lat)                  # a device's WGS-84 fix, checked to lie in `area`

The grid is laid out in metres (geo.layers.METRIC_CRS), centred on the polygon so its points sit
evenly inside, and thinned (wider spacing) when a large area would give more than `max_points`.
"""
from __future__ import annotations

import math

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.deck import FOCUS_MIN_ZOOM, FOCUS_WIDTH_PX, PICK_TARGET_PX, fit_view
from geo.deck_labels import metres_per_pixel
from geo.layers import METRIC_CRS, geom_to_metric
from lib.errors import GeometryError

NDIGITS = 6  # ~0.1 m
_TO_WGS84 = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)


def _geometry(polygon) -> BaseGeometry:
    geom = shape(polygon) if isinstance(polygon, dict) else polygon
    if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise GeometryError("选点范围必须是面（Polygon/MultiPolygon）")
    return geom


def feature_geometry(features: list[dict], name: str) -> BaseGeometry | None:
    """The geometry of the feature called `name` among map-layer records ({"name", "geometry", …})."""
    for feat in features or []:
        if feat.get("name") == name and feat.get("geometry"):
            geom = feat["geometry"]
            return shape(geom) if isinstance(geom, dict) else geom
    return None


def touch_spacing_m(bounds, height: int, min_spacing_m: float, *, target_px: float = PICK_TARGET_PX) -> float:
    """Grid spacing (metres) for a picker map focused on `bounds` (`build_deck(focus=…)`, `height` px): at
    least `min_spacing_m`, and wide enough that neighbouring points are `target_px` apart on screen, so each
    point's tap target (geo.deck.PICK_TARGET_PX) is a finger wide and no two overlap."""
    _, lat, zoom = fit_view(bounds, FOCUS_WIDTH_PX, height, min_zoom=FOCUS_MIN_ZOOM)
    return max(float(min_spacing_m), target_px * metres_per_pixel(lat, zoom))


def area_geometry(features: list[dict]) -> BaseGeometry | None:
    """The union of the geometries of map-layer records (e.g. the subdistrict outline), or None."""
    geoms = [shape(f["geometry"]) if isinstance(f.get("geometry"), dict) else f.get("geometry")
             for f in features or []]
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    return shapely.unary_union(geoms) if geoms else None


def device_point(lon, lat, area, *, field: str = "本机定位", place: str = "光武街道") -> tuple[float, float]:
    """A device's position (WGS-84 degrees, as the browser's Geolocation API reports it and as a site check
    stores it), rounded, after checking it is a real coordinate inside `area`; GeometryError (Chinese, naming
    `field`) otherwise."""
    try:
        x, y = float(lon), float(lat)
    except (TypeError, ValueError):
        raise GeometryError(f"「{field}」：浏览器返回的位置无效，请在地图上选点") from None
    if not (math.isfinite(x) and math.isfinite(y) and -180 <= x <= 180 and -90 <= y <= 90):
        raise GeometryError(f"「{field}」：浏览器返回的位置无效，请在地图上选点")
    geom = _geometry(area)
    if not geom.covers(shapely.Point(x, y)):
        raise GeometryError(f"「{field}」：本机位置（东经 {x:.5f}°，北纬 {y:.5f}°）不在{place}范围内，"
                            "未采用；请在地图上选点")
    return round(x, NDIGITS), round(y, NDIGITS)


def centre(polygon) -> tuple[float, float]:
    """(lon, lat) of the centroid when it lies inside the polygon, else of a representative point."""
    geom = _geometry(polygon)
    pt = geom.centroid if geom.contains(geom.centroid) else geom.representative_point()
    return round(pt.x, NDIGITS), round(pt.y, NDIGITS)


def pick_grid(polygon, spacing_m: float = 60.0, *, max_points: int = 600) -> list[tuple[float, float]]:
    """Grid points (lon, lat) every `spacing_m` metres inside `polygon` (WGS-84), west→east, south→north.

    A polygon smaller than one grid cell yields its centre, so there is always a point to pick.
    """
    if not spacing_m or not math.isfinite(spacing_m) or spacing_m <= 0:
        raise GeometryError(f"选点间距必须为正数（当前：{spacing_m}）")
    geom = _geometry(polygon)
    metric = geom_to_metric(geom)
    minx, miny, maxx, maxy = metric.bounds
    spacing = float(spacing_m)
    while (maxx - minx) * (maxy - miny) / spacing ** 2 > max_points * 2:
        spacing *= 1.25
    while True:
        nx, ny = int((maxx - minx) // spacing) + 1, int((maxy - miny) // spacing) + 1
        x0 = (minx + maxx - (nx - 1) * spacing) / 2  # centre the grid on the bounding box
        y0 = (miny + maxy - (ny - 1) * spacing) / 2
        xs, ys = np.meshgrid(x0 + spacing * np.arange(nx), y0 + spacing * np.arange(ny))
        xs, ys = xs.ravel(), ys.ravel()
        inside = shapely.contains_xy(metric, xs, ys)
        if inside.sum() <= max_points:
            break
        spacing *= 1.25
    if not inside.any():
        return [centre(geom)]
    lon, lat = _TO_WGS84.transform(xs[inside], ys[inside])
    return [(round(float(a), NDIGITS), round(float(b), NDIGITS)) for a, b in zip(lon, lat)]
