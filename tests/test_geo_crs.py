"""GCJ-02 / BD-09 conversions and reprojection to WGS-84."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point

from geo.crs import (bd09_to_gcj02, bd09_to_wgs84, gcj02_to_bd09, gcj02_to_wgs84, to_wgs84, transform_geometry,
                     wgs84_to_bd09, wgs84_to_gcj02)
from geo.layers import meters_between
from lib.errors import GeometryError

STATION = (112.50633, 33.00063)


def test_gcj_offset_here_is_about_590_m():
    g = wgs84_to_gcj02(*STATION)
    assert g[0] - STATION[0] == pytest.approx(0.0058, abs=0.0003)
    assert g[1] - STATION[1] == pytest.approx(-0.0020, abs=0.0003)
    assert 500 < meters_between(g, STATION) < 700


def test_published_station_point_converts_near_anchor():
    # the GCJ-02 station point from the public SQL dump lands within ~15 m of the anchor
    w = gcj02_to_wgs84(112.512163, 32.998621)
    assert meters_between(w, STATION) < 20


@pytest.mark.parametrize("forward,inverse", [
    (wgs84_to_gcj02, gcj02_to_wgs84),
    (gcj02_to_bd09, bd09_to_gcj02),
    (wgs84_to_bd09, bd09_to_wgs84),
])
def test_round_trips_below_1e7_degree(forward, inverse):
    lon = np.linspace(112.48, 112.55, 200)
    lat = np.linspace(32.97, 33.03, 200)
    back_lon, back_lat = inverse(*forward(lon, lat))
    assert np.abs(back_lon - lon).max() < 1e-7
    assert np.abs(back_lat - lat).max() < 1e-7


def test_scalars_stay_scalars_and_outside_china_is_unchanged():
    lon, lat = gcj02_to_wgs84(112.5, 33.0)
    assert isinstance(lon, float) and isinstance(lat, float)
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)


def test_bd09_is_further_shifted_than_gcj():
    g = wgs84_to_gcj02(*STATION)
    b = gcj02_to_bd09(*g)
    assert 500 < meters_between(b, g) < 1000
    assert meters_between(bd09_to_wgs84(*b), STATION) < 0.05


def test_transform_geometry_applies_to_every_vertex():
    line = LineString([(112.50, 33.00), (112.52, 33.01)])
    shifted = transform_geometry(line, wgs84_to_gcj02)
    for (x, y), (sx, sy) in zip(line.coords, shifted.coords):
        assert (sx, sy) == pytest.approx(wgs84_to_gcj02(x, y), abs=1e-12)


@pytest.mark.parametrize("epsg", [4490, 4525, 4526, 4546, 4547, 32649, 3857])
def test_to_wgs84_from_projected_crs(epsg):
    gdf = gpd.GeoDataFrame({"name": ["站"]}, geometry=[Point(STATION)], crs=4326).to_crs(epsg)
    back = to_wgs84(gdf)
    assert back.crs.to_epsg() == 4326
    p = back.geometry.iloc[0]
    assert meters_between((p.x, p.y), STATION) < 0.01


def test_zone_prefix_coordinates_look_like_zone_38():
    x = gpd.GeoSeries([Point(STATION)], crs=4326).to_crs(4526).iloc[0].x
    assert 38_000_000 < x < 39_000_000


@pytest.mark.parametrize("correction,shift", [("gcj02", wgs84_to_gcj02), ("bd09", wgs84_to_bd09)])
def test_to_wgs84_with_correction(correction, shift):
    gdf = gpd.GeoDataFrame(geometry=[Point(shift(*STATION))], crs=4326)
    p = to_wgs84(gdf, correction=correction).geometry.iloc[0]
    assert meters_between((p.x, p.y), STATION) < 1


def test_to_wgs84_needs_a_crs_and_known_options():
    gdf = gpd.GeoDataFrame(geometry=[Point(STATION)])
    with pytest.raises(GeometryError, match="未声明坐标系"):
        to_wgs84(gdf)
    assert to_wgs84(gdf, source_crs="EPSG:4490").crs.to_epsg() == 4326
    with pytest.raises(GeometryError, match="纠偏"):
        to_wgs84(gdf, source_crs=4326, correction="wgs")
    with pytest.raises(GeometryError, match="坐标系"):
        to_wgs84(gdf, source_crs="EPSG:999999")


def test_projected_numbers_declared_as_degrees_are_rejected():
    gdf = gpd.GeoDataFrame(geometry=[Point(38_500_000, 3_650_000)], crs=4326)
    with pytest.raises(GeometryError, match="投影坐标"):
        to_wgs84(gdf)
