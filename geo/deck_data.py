"""Turning layer inputs (GeoDataFrames or feature dicts) into small, rounded deck.gl rows."""
from __future__ import annotations

import math

import geopandas as gpd
import shapely
import shapely.ops
from shapely.errors import GEOSException
from shapely.geometry import shape

from geo.layers import jsonable

NDIGITS = 5  # ~1 m; enough for a schematic map and keeps the spec small
SIMPLIFY_DEG = 2e-5  # ~2 m


def normalise(layer) -> list[tuple[str, object, dict]]:
    """[(name, shapely geometry in WGS-84, properties)] from a GeoDataFrame or feature dicts."""
    if layer is None:
        return []
    out = []
    if isinstance(layer, gpd.GeoDataFrame):
        if layer.crs is not None and layer.crs.to_epsg() != 4326:
            layer = layer.to_crs(epsg=4326)
        for _, row in layer.iterrows():
            props = row.get("properties") if "properties" in layer.columns else None
            if not isinstance(props, dict):
                props = {k: jsonable(v) for k, v in row.items() if k not in ("geometry", "properties")}
            out.append((str(row.get("name", "")), row.geometry, dict(props)))
        return out
    for feat in layer:
        geom = feat.get("geometry")
        geom = shape(geom) if isinstance(geom, dict) else geom
        props = dict(feat.get("properties") or {})
        name = feat.get("name") or props.get("name") or ""
        out.append((str(name), geom, props))
    return out


def simplify_coverage(geoms: list) -> list:
    """Simplify polygons that tile an area without opening gaps (shared edges stay shared)."""
    if not geoms:
        return geoms
    try:
        return list(shapely.coverage_simplify(geoms, SIMPLIFY_DEG, simplify_boundary=True))
    except (GEOSException, ValueError, AttributeError):
        return [g.simplify(SIMPLIFY_DEG, preserve_topology=True) for g in geoms]


def round_deg(v: float) -> float:
    v = round(float(v), NDIGITS)
    return 0.0 if v == 0 else v


def ring_coords(ring) -> list[list[float]]:
    """Rounded ring without consecutive duplicates (deck.gl closes rings itself)."""
    pts: list[list[float]] = []
    for x, y in ring.coords:
        p = [round_deg(x), round_deg(y)]
        if not pts or p != pts[-1]:
            pts.append(p)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    return pts


def polygon_parts(geom) -> list[list[list[list[float]]]]:
    """Each polygon part as [outer ring, *holes] of rounded coordinates."""
    parts = []
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        rings = [ring_coords(poly.exterior)] + [ring_coords(h) for h in poly.interiors]
        if len(rings[0]) >= 3:
            parts.append(rings)
    return parts


def line_parts(geom) -> list[list[list[float]]]:
    parts = []
    for line in shapely.get_parts(geom):
        if line.geom_type == "LinearRing":
            line = shapely.LineString(line.coords)
        if line.geom_type != "LineString" or line.is_empty:
            continue
        pts: list[list[float]] = []
        for x, y in line.coords:
            p = [round_deg(x), round_deg(y)]
            if not pts or p != pts[-1]:
                pts.append(p)
        if len(pts) >= 2:
            parts.append(pts)
    return parts


def point_xy(geom) -> list[float] | None:
    if geom is None or geom.is_empty:
        return None
    pt = geom if geom.geom_type == "Point" else geom.representative_point()
    return [round_deg(pt.x), round_deg(pt.y)]


def dash_segments(path: list[list[float]], dash_m: float = 60.0) -> list[list[list[float]]]:
    """Cut a path into alternating pieces of ~dash_m metres (every other piece kept)."""
    line = shapely.LineString(path)
    lat = line.centroid.y
    deg_per_m = 1.0 / (111_320.0 * math.cos(math.radians(lat)))
    step = dash_m * deg_per_m  # close enough for a mostly north-south line
    n = int(line.length / step)
    dashes = []
    for k in range(0, n, 2):
        seg = shapely.ops.substring(line, k * step, min((k + 1) * step, line.length))
        dashes.extend(line_parts(seg))
    return dashes

