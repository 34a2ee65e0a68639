"""Saving an administrator's geometry import as a new layer version (one transaction, audited).

The previous version stays in `map_layer_version` / `map_feature`; the map draws the newest one.
Reading and checking the file is `geo.importer.read_geometry_file`'s job; this module stores it.
"""
from __future__ import annotations

import uuid

import geopandas as gpd
from sqlalchemy import Engine, func, select

from geo.layers import LAYER_NAMES, feature_records
from lib import audit
from lib.auth import Actor, require
from lib.db import session_scope
from lib.errors import GeometryError
from lib.models import Community, MapFeature, MapLayerVersion, Source, SourceKind


def save_layer(actor: Actor | None, *, layer: str, gdf: gpd.GeoDataFrame, source_title: str,
               note: str | None = None, schematic: bool = False, engine: Engine | None = None) -> int:
    """Store `gdf` (EPSG:4326, checked) as the newest version of `layer`; returns the version id."""
    require(actor, "import_geometry")
    if layer not in LAYER_NAMES:
        raise GeometryError(f"未知图层「{layer}」，可选：{'、'.join(LAYER_NAMES)}")
    if not source_title or not source_title.strip():
        raise GeometryError("请填写数据来源（如：某年某单位测绘成果）")
    records = feature_records(layer, gdf)
    if not records:
        raise GeometryError("文件中没有要素，未保存")
    with session_scope(engine) as s:
        if layer == "communities":
            known = set(s.scalars(select(Community.name)))
            names = {r["name"] for r in records}
            missing = sorted(known - names)
            if missing:
                raise GeometryError(f"社区图层须包含全部 {len(known)} 个社区，缺少：{'、'.join(missing)}")
        previous = s.scalar(select(func.max(MapLayerVersion.id)).where(MapLayerVersion.layer == layer))
        src = Source(key=f"survey-{layer}-{uuid.uuid4().hex[:12]}",
                     kind=SourceKind.SURVEY.value, title=source_title.strip(), publisher=actor.display_name,
                     note=note)
        s.add(src)
        s.flush()
        version = MapLayerVersion(layer=layer, schematic=schematic, source_id=src.id, note=note,
                                  recorded_by=actor.username)
        s.add(version)
        s.flush()
        for r in records:
            props = {k: v for k, v in r["properties"].items() if k not in {"name", "source"}}
            s.add(MapFeature(version_id=version.id, layer=layer, name=r["name"], geometry=r["geometry"],
                             properties=props, schematic=schematic, source_text=source_title.strip()))
        audit.record(s, actor, "import", "map_layer_version", f"{layer}#{version.id}", None,
                     {"layer": layer, "version": previous},
                     {"layer": layer, "version": version.id, "features": len(records), "source": source_title})
        return version.id
