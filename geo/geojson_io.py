"""Deterministic GeoJSON writing (rounded coordinates, stable key order)."""
from __future__ import annotations

import json
from pathlib import Path

import shapely
from shapely.geometry import mapping


def _round_coords(obj, ndigits: int):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), ndigits) for v in obj]
        return [_round_coords(v, ndigits) for v in obj]
    return obj


def geometry_dict(geom, ndigits: int = 6) -> dict:
    """GeoJSON geometry dict with coordinates rounded to `ndigits` decimals."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        geom = shapely.orient_polygons(geom)  # RFC 7946: exterior rings counter-clockwise
    data = mapping(geom)
    return {"type": data["type"], "coordinates": _round_coords(data["coordinates"], ndigits)}


def feature(geom, properties: dict, ndigits: int = 6) -> dict:
    return {"type": "Feature", "properties": dict(properties), "geometry": geometry_dict(geom, ndigits)}


def write_collection(path: Path, features: list[dict], *, name: str) -> int:
    """Write a FeatureCollection with one feature per line; returns bytes written."""
    head = json.dumps({"type": "FeatureCollection", "name": name}, ensure_ascii=False)[:-1]
    lines = [json.dumps(f, ensure_ascii=False, sort_keys=True, separators=(",", ":")) for f in features]
    text = head + ', "features": [\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))
