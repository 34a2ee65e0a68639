"""Coordinate conversions: PROJ-known CRSs plus the Chinese GCJ-02 / BD-09 offsets.

GCJ-02 (Amap, Tencent, DataV) and BD-09 (Baidu) are obfuscated datums that PROJ does
not model. The forward formulas below are the widely published ones; the inverses are
solved by fixed-point iteration until the residual is below 1e-7 degree (~1 cm).
"""
from __future__ import annotations

from typing import Callable

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from geo.import_errors import library_text
from lib.errors import GeometryError

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = np.pi * 3000.0 / 180.0
_TOLERANCE_DEG = 1e-7
_MAX_ITER = 50

CORRECTIONS = (None, "gcj02", "bd09")


def _as_arrays(lon, lat):
    scalar = np.ndim(lon) == 0 and np.ndim(lat) == 0
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float), scalar


def _out(lon, lat, scalar):
    if scalar:
        return float(lon), float(lat)
    return lon, lat


def _outside_china(lon, lat):
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _transform_lat(x, y):
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x, y):
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def _gcj_delta(lon, lat):
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    outside = _outside_china(lon, lat)
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


def wgs84_to_gcj02(lon, lat):
    """WGS-84 -> GCJ-02 (scalars or arrays); points outside China are unchanged."""
    lon, lat, scalar = _as_arrays(lon, lat)
    dlon, dlat = _gcj_delta(lon, lat)
    return _out(lon + dlon, lat + dlat, scalar)


def _invert(forward, lon, lat, first_guess):
    """Solve forward(w) == (lon, lat) for w by fixed-point iteration."""
    wlon, wlat = first_guess
    for _ in range(_MAX_ITER):
        flon, flat = forward(wlon, wlat)
        elon, elat = flon - lon, flat - lat
        wlon, wlat = wlon - elon, wlat - elat
        if np.all(np.abs(elon) < _TOLERANCE_DEG) and np.all(np.abs(elat) < _TOLERANCE_DEG):
            break
    return wlon, wlat


def gcj02_to_wgs84(lon, lat):
    """GCJ-02 -> WGS-84, iterated until the forward residual is < 1e-7 degree."""
    lon, lat, scalar = _as_arrays(lon, lat)
    wlon, wlat = _invert(wgs84_to_gcj02, lon, lat, (lon, lat))
    return _out(wlon, wlat, scalar)


def gcj02_to_bd09(lon, lat):
    """GCJ-02 -> BD-09 (Baidu)."""
    lon, lat, scalar = _as_arrays(lon, lat)
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return _out(z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006, scalar)


def bd09_to_gcj02(lon, lat):
    """BD-09 -> GCJ-02: the published closed form, refined to < 1e-7 degree."""
    lon, lat, scalar = _as_arrays(lon, lat)
    x, y = lon - 0.0065, lat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    guess = (z * np.cos(theta), z * np.sin(theta))
    glon, glat = _invert(gcj02_to_bd09, lon, lat, guess)
    return _out(glon, glat, scalar)


def bd09_to_wgs84(lon, lat):
    """BD-09 -> WGS-84."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def wgs84_to_bd09(lon, lat):
    """WGS-84 -> BD-09 (used by tests and for exporting to Baidu-based tools)."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def transform_geometry(geom, func: Callable):
    """Apply a (lon, lat) -> (lon, lat) array function to every vertex of a shapely geometry."""
    if geom is None or geom.is_empty:
        return geom

    def _apply(coords: np.ndarray) -> np.ndarray:
        lon, lat = func(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geom, _apply)


_CORRECTION_FUNCS = {"gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}


def parse_crs(value) -> CRS:
    """Accept 'EPSG:4547', 4547, a WKT/PROJ string or a pyproj CRS (what was typed in 「源坐标系」);
    raise GeometryError in Chinese (PROJ's English goes to the server log)."""
    try:
        if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
            return CRS.from_epsg(int(value))
        return CRS.from_user_input(value)
    except (CRSError, TypeError, ValueError) as exc:
        raise GeometryError(library_text(exc, "", step="crs", subject=str(value).strip())) from exc


def crs_text(crs: CRS, unnamed: str = "无 EPSG 代码的坐标系") -> str:
    """A CRS as a person reads it: EPSG:4547, IAU_2015:30100, else `unnamed` (PROJ's own names are English)."""
    epsg = crs.to_epsg()
    if epsg:
        return f"EPSG:{epsg}"
    authority = crs.to_authority()
    return f"{authority[0]}:{authority[1]}" if authority else unnamed


def to_wgs84(gdf: gpd.GeoDataFrame, *, source_crs=None, correction: str | None = None) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326 and optionally undo a GCJ-02 / BD-09 offset.

    `source_crs` overrides the file's declared CRS (for files that declare none or the
    wrong one). `correction` names the offset still present after reprojection: data
    copied from Amap/Tencent is GCJ-02, from Baidu BD-09; both are stored as "EPSG:4326".
    """
    if correction not in CORRECTIONS:
        raise GeometryError(f"不支持的坐标纠偏方式「{correction}」，可选：gcj02、bd09 或不纠偏")
    if source_crs is not None:
        gdf = gdf.set_crs(parse_crs(source_crs), allow_override=True)
    elif gdf.crs is None:
        raise GeometryError("文件未声明坐标系（缺少 .prj 或 CRS 信息），请在导入时指定坐标系，例如 EPSG:4490 或 EPSG:4547")
    crs = CRS.from_user_input(gdf.crs)
    if crs.is_geographic:
        _check_degrees(gdf, crs)
    out = gdf.to_crs(epsg=4326)
    if correction is not None:
        func = _CORRECTION_FUNCS[correction]
        out = out.set_geometry([transform_geometry(g, func) for g in out.geometry], crs="EPSG:4326")
    return out


def _check_degrees(gdf: gpd.GeoDataFrame, crs: CRS) -> None:
    """A geographic CRS with coordinates beyond ±180/±90 is really projected data."""
    if gdf.empty:
        return
    minx, miny, maxx, maxy = gdf.total_bounds
    if not np.all(np.isfinite([minx, miny, maxx, maxy])):
        return
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise GeometryError(
            f"坐标值超出经纬度范围（声明为 {crs_text(crs)}），数据可能是投影坐标（如 CGCS2000 高斯-克吕格），请指定正确的坐标系",
            details=[f"范围：x {minx:.1f}～{maxx:.1f}，y {miny:.1f}～{maxy:.1f}"],
        )
