"""Geometry import: pages/geo_import.py reaches geo.importer and lib.geometry_store only here."""
from __future__ import annotations

import logging

from geo.importer import read_geometry_file
from lib.config import settings
from lib.errors import DashboardError, GeometryError
from lib.geometry_store import restore_version, save_layer
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
    return _stored(layer, lambda: save_layer(user.current_actor(), layer=layer, gdf=gdf, source_title=source_title,
                                             note=note))


def restore_map_layer(layer: str, version_id: int):
    """`restore_version` (an earlier version the newest again, its source and 示意/测绘 flag kept) as the signed-in
    user -> (SavedLayer, None) or (None, DashboardError); caches cleared."""
    return _stored(layer, lambda: restore_version(user.current_actor(), layer=layer, version_id=version_id))


def _stored(layer: str, store):
    try:
        return store(), None
    except DashboardError as exc:
        return None, exc
    except Exception:  # noqa: BLE001
        logging.getLogger("guangwu.ui").exception("geometry import: saving %s failed", layer)
        return None, GeometryError("保存失败：系统内部错误，数据未改动。请稍后重试或联系管理员。")
    finally:
        _cache.clear_caches()
