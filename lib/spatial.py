"""Tiny spatial helpers for the query layer (no streamlit, no file parsing)."""
from __future__ import annotations

from collections.abc import Mapping

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry


def representative_lonlat(geometry: Mapping) -> tuple[float, float] | None:
    """A (lon, lat) inside/on a GeoJSON geometry: the point itself, or a representative point."""
    if not geometry:
        return None
    geom = shape(geometry)
    if geom.is_empty:
        return None
    pt = geom if geom.geom_type == "Point" else geom.representative_point()
    return round(pt.x, 6), round(pt.y, 6)


def containing_area(lon: float, lat: float, areas: Mapping[str, Mapping | BaseGeometry]) -> str | None:
    """Name of the first area (GeoJSON geometry or shapely geometry) that covers the point, else None."""
    from shapely.geometry import Point

    pt = Point(lon, lat)
    for name, geom in areas.items():
        g = geom if isinstance(geom, BaseGeometry) else shape(geom)
        if g.covers(pt):
            return name
    return None
