"""Geometry import: pages/geo_import.py reaches geo.importer and lib.geometry_store only here."""
from __future__ import annotations

import logging

from geo.importer import read_geometry_file
from geo.layers import EAST_EDGE_NOTE  # noqa: F401 - the map's one sentence on its east edge, for the pages
from lib.config import settings
from lib.errors import DashboardError, GeometryError
from lib.geometry_store import save_layer
from ui.bridge import user
from ui.bridge import _cache


def read_geometry_upload(data: bytes, filename: str, **options):
    """`read_geometry_file` -> (GeoDataFrame, None) or (None, its Chinese DashboardError).

    A `CrsMismatch` carries `.suggestion` ({"crs", "swap_axes"}) for the page to offer."""
    try:
        return read_geometry_file(data, filename, max_bytes=settings().max_upload_mb * 1_000_000, **options), None
    except DashboardError as exc:
        return None, exc
    except Exception:  # noqa: BLE001 - never an English page
        logging.getLogger("guangwu.ui").exception("geometry import: reading %s failed", filename)
        return None, GeometryError(f"无法读取文件「{filename}」：系统内部错误，未保存任何数据。请检查文件后重试。")


def save_map_layer(layer: str, gdf, *, source_title: str, note: str | None):
    """`save_layer` as the signed-in user -> (SavedLayer, None) or (None, DashboardError); caches cleared."""
    try:
        return save_layer(user.current_actor(), layer=layer, gdf=gdf, source_title=source_title, note=note), None
    except DashboardError as exc:
        return None, exc
    except Exception:  # noqa: BLE001
        logging.getLogger("guangwu.ui").exception("geometry import: saving %s failed", layer)
        return None, GeometryError("保存失败：系统内部错误，数据未改动。请稍后重试或联系管理员。")
    finally:
        _cache.clear_caches()
