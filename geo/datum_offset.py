"""Is an imported layer offset from the known positions the way GCJ-02 or BD-09 shifts it?

Coordinates copied from Amap/Tencent (GCJ-02) sit about 590 m east-south-east of the truth here, from
Baidu (BD-09) about 1.1 km; a BD-09 file corrected as GCJ-02 keeps about 900 m. Comparing the imported
features with the same-named features of the current layer (the schematic is anchored to the real east
edge and station within 150 m) tells which datum the file was really in: when most features move by the
same vector, and that vector is what a datum would leave after the chosen correction, say so.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from geo.crs import bd09_to_wgs84, gcj02_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02
from geo.layers import geom_to_metric

DATUMS = {None: "WGS-84/CGCS2000", "gcj02": "GCJ-02", "bd09": "BD-09"}
ORIGIN = {None: "测绘成果或 GPS", "gcj02": "高德/腾讯地图", "bd09": "百度地图"}
FIX = {None: "不纠偏", "gcj02": "GCJ-02 → WGS-84 纠偏", "bd09": "BD-09 → WGS-84 纠偏"}
_TO = {None: lambda x, y: (x, y), "gcj02": wgs84_to_gcj02, "bd09": wgs84_to_bd09}
_FROM = {None: lambda x, y: (x, y), "gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}
MIN_SHIFT_M = 150.0  # smaller offsets are within the schematic's own tolerance
MATCH_M = 100.0  # the median offset must be this close to what the datum predicts
CONSISTENT_SHARE = 0.7  # and this share of the features must agree with it


@dataclass(frozen=True)
class OffsetHint:
    correction: str | None  # the correction that removes the offset (None = none at all)
    applied: str | None
    pairs: int
    shift_m: float
    east_m: float
    north_m: float
    residual_m: float  # what is left after `correction`
    message: str


def _anchor_point(geom) -> tuple[float, float]:
    c = geom_to_metric(geom).centroid
    return c.x, c.y


def expected_shift_m(lon: float, lat: float, datum: str | None, applied: str | None) -> np.ndarray:
    """(east, north) metres a truly-`datum` point moves when read with correction `applied`."""
    moved = shapely.Point(*_FROM[applied](*_TO[datum](lon, lat)))
    a, b = geom_to_metric(moved), geom_to_metric(shapely.Point(lon, lat))
    return np.array([a.x - b.x, a.y - b.y])


def _direction(east: float, north: float) -> str:
    return (f"向{'东' if east >= 0 else '西'} {abs(east):,.0f} 米、"
            f"向{'北' if north >= 0 else '南'} {abs(north):,.0f} 米")


def detect_offset(names, geoms, reference: dict, *, applied: str | None, filename: str) -> OffsetHint | None:
    """An `OffsetHint` when the features named in `reference` (name -> shapely geometry, WGS-84) sit
    consistently where another datum than the one implied by `applied` would put them; else None."""
    vectors, where = [], []
    for name, geom in zip(names, geoms):
        ref = reference.get(str(name))
        if ref is None or geom is None or ref.is_empty or geom.is_empty:
            continue
        (nx, ny), (rx, ry) = _anchor_point(geom), _anchor_point(ref)
        vectors.append((nx - rx, ny - ry))
        where.append(ref.centroid.coords[0])
    if not vectors:
        return None
    vectors = np.array(vectors)
    median = np.median(vectors, axis=0)
    if np.hypot(*median) < MIN_SHIFT_M:
        return None
    lon, lat = np.mean(np.array(where), axis=0)
    expected = {d: expected_shift_m(lon, lat, d, applied) for d in DATUMS}
    best = min(expected, key=lambda d: np.hypot(*(median - expected[d])))
    residual = float(np.hypot(*(median - expected[best])))
    agree = float(np.mean(np.hypot(*(vectors - expected[best]).T) <= 1.5 * MATCH_M))
    if best == applied or residual > MATCH_M or agree < CONSISTENT_SHARE:
        return None
    how = "未纠偏" if applied is None else f"按 {DATUMS[applied]} 纠偏"
    shift = float(np.hypot(*median))
    message = (f"文件「{filename}」的 {len(vectors)} 个同名要素相对当前图层一致地偏移约 {shift:,.0f} 米"
               f"（{_direction(*median)}），与 {DATUMS[best]} 坐标{how}时的偏移相符，数据可能来自{ORIGIN[best]}。"
               f"建议改用「{FIX[best]}」（改后偏移约 {residual:,.0f} 米）。")
    return OffsetHint(correction=best, applied=applied, pairs=len(vectors), shift_m=shift, east_m=float(median[0]),
                      north_m=float(median[1]), residual_m=residual, message=message)
