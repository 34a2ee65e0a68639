"""Which coordinate system do a file's numbers fit? Diagnosing zone-prefix and axis-order mistakes.

Survey data of 光武街道 arrives as CGCS2000 longitude/latitude or as 3-degree Gauss-Krüger in zone 37
or 38, with or without the zone prefix on the easting (112.5°E is exactly the border of the two zones).
Taking the numbers under the wrong one of these gives Infinity or a place hundreds of kilometres away;
so does writing northing first, or latitude before longitude. When that happens, the importer asks this
module which candidate (and which axis order) puts the numbers on the subdistrict, and says so in Chinese.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Transformer

from geo.layers import load_layer, meters_between

CANDIDATES: dict[int, str] = {
    4490: "CGCS2000 经纬度",
    4525: "CGCS2000 高斯-克吕格 3度带第37带，东坐标带带号 37xxxxxx",
    4526: "CGCS2000 高斯-克吕格 3度带第38带，东坐标带带号 38xxxxxx",
    4546: "CGCS2000 高斯-克吕格 中央经线111°，东坐标不带带号",
    4547: "CGCS2000 高斯-克吕格 中央经线114°，东坐标不带带号",
}
FIT_RADIUS_M = 10_000.0  # the median vertex must land within this of the subdistrict's centre


@dataclass(frozen=True)
class CrsFit:
    """A candidate the numbers fit: `epsg`, and whether x/y must be swapped first."""
    epsg: int
    swap_axes: bool

    @property
    def text(self) -> str:
        return f"EPSG:{self.epsg}（{CANDIDATES[self.epsg]}）"

    def same_as(self, crs: CRS, swapped: bool) -> bool:
        """Whether `crs` with `swapped` is this fit (any geographic CGCS2000/WGS-84 counts as 4490)."""
        if swapped != self.swap_axes:
            return False
        return crs.to_epsg() == self.epsg or (self.epsg == 4490 and crs.is_geographic)

    def as_dict(self) -> dict:
        return {"crs": f"EPSG:{self.epsg}", "epsg": self.epsg, "swap_axes": self.swap_axes}


@lru_cache(maxsize=1)
def centre() -> tuple[float, float]:
    c = shapely.union_all(list(load_layer("outline").geometry)).centroid
    return (c.x, c.y)


@lru_cache(maxsize=None)
def _epsg_to_wgs84(epsg: int) -> Transformer:
    return Transformer.from_crs(CRS.from_epsg(epsg), "EPSG:4326", always_xy=True)


def to_lonlat(crs: CRS | int, x: float, y: float) -> tuple[float, float]:
    """One point in `crs` (an EPSG code or a pyproj CRS) as (lon, lat); may be non-finite."""
    if isinstance(crs, int):
        return _epsg_to_wgs84(crs).transform(x, y)
    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(x, y)


def median_xy(geoms) -> tuple[float, float] | None:
    """Median x and y over the finite vertices of `geoms` (None when there are none)."""
    coords = shapely.get_coordinates([g for g in geoms if g is not None])
    coords = coords[np.isfinite(coords).all(axis=1)]
    if not len(coords):
        return None
    return float(np.median(coords[:, 0])), float(np.median(coords[:, 1]))


def distance_m(crs: CRS | int, x: float, y: float) -> float:
    """How far (x, y) in `crs` lands from the subdistrict's centre; inf when it is no place on Earth."""
    if not (np.isfinite(x) and np.isfinite(y)):
        return float("inf")
    lon, lat = to_lonlat(crs, x, y)
    if not (np.isfinite(lon) and np.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        return float("inf")
    return meters_between((lon, lat), centre())


def lands_near(crs: CRS | int, x: float, y: float) -> bool:
    return distance_m(crs, x, y) <= FIT_RADIUS_M


def fits(xy: tuple[float, float] | None) -> list[CrsFit]:
    """Every candidate CRS / axis order under which the median vertex lies on the subdistrict."""
    if xy is None:
        return []
    x, y = xy
    return [CrsFit(epsg, swap) for swap in (False, True) for epsg in CANDIDATES
            if lands_near(epsg, *((y, x) if swap else (x, y)))]


def looks_like(xy: tuple[float, float], fit: CrsFit, declared_epsg: int | None) -> str:
    """What the numbers look like, in Chinese (e.g. the zone prefix, or latitude written first)."""
    x, y = xy
    first = y if fit.swap_axes else x
    if CRS.from_epsg(fit.epsg).is_geographic:
        if fit.swap_axes:
            return (f"经纬度颠倒（纬度在前）：第一个数约 {x:.4f}（像纬度），第二个数约 {y:.4f}（像经度）")
        return f"像经纬度（经度约 {x:.4f}，纬度约 {y:.4f}）"
    parts = []
    if fit.swap_axes:
        parts.append(f"北坐标在前（X/Y 颠倒）：第一个数约 {x:,.0f}（像北坐标 Y），第二个数约 {y:,.0f}（像东坐标 X）")
    if fit.epsg in (4525, 4526):
        parts.append(f"东坐标约 {first:,.0f}，8位、以 {int(first) // 1_000_000} 开头，带有带号")
    else:
        parts.append(f"东坐标约 {first:,.0f}，6位，不带带号")
    if declared_epsg in (4525, 4526) and fit.epsg in (4546, 4547):
        parts.append("而声明的坐标系要求带带号")
    elif declared_epsg in (4546, 4547) and fit.epsg in (4525, 4526):
        parts.append("而声明的坐标系要求不带带号")
    return "；".join(parts)


def advice(fit: CrsFit, crs: CRS, *, swapped_now: bool) -> str:
    steps = [] if fit.same_as(crs, fit.swap_axes) else [f"在「源坐标系」中填写 {fit.epsg}"]
    if fit.swap_axes != swapped_now:
        steps.append("勾选「交换坐标顺序（X/Y）」" if fit.swap_axes else "取消「交换坐标顺序（X/Y）」")
    return "请" + "并".join(steps) + " 后重试（页面上可一键改用）"
