"""「使用本机定位」: a device's WGS-84 fix is taken only inside the subdistrict (geo.pick.device_point)."""
from __future__ import annotations

import math

import pytest

from geo.layers import load_layer
from geo.pick import area_geometry, device_point
from lib.errors import GeometryError


@pytest.fixture(scope="module")
def subdistrict():
    outline = load_layer("outline")
    return area_geometry([{"name": n, "geometry": g.__geo_interface__} for n, g in zip(outline["name"],
                                                                                      outline.geometry)])


def test_inside_is_taken_rounded(subdistrict):
    p = subdistrict.representative_point()
    assert device_point(p.x + 1e-8, p.y, subdistrict) == (round(p.x, 6), round(p.y, 6))
    assert device_point(str(p.x), str(p.y), subdistrict) == (round(p.x, 6), round(p.y, 6))  # numbers as text


@pytest.mark.parametrize("lon, lat", [(112.60, 33.00), (116.40, 39.90), (112.51, 32.90)])
def test_outside_is_refused_in_chinese_naming_the_field(subdistrict, lon, lat):
    with pytest.raises(GeometryError) as err:
        device_point(lon, lat, subdistrict)
    message = str(err.value)
    assert message.startswith("「本机定位」") and "不在光武街道范围内" in message and f"东经 {lon:.5f}°" in message


@pytest.mark.parametrize("lon, lat", [(None, 33.0), ("abc", 33.0), (math.nan, 33.0), (200.0, 33.0), (112.5, math.inf)])
def test_garbage_is_refused(subdistrict, lon, lat):
    with pytest.raises(GeometryError, match="「本机定位」：浏览器返回的位置无效"):
        device_point(lon, lat, subdistrict)


def test_area_geometry_of_nothing_is_none():
    assert area_geometry([]) is None and area_geometry([{"name": "x", "geometry": None}]) is None
