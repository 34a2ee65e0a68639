"""Saving an administrator's geometry import as a new layer version (one transaction, audited, idempotent).

The previous version stays in `map_layer_version` / `map_feature`; the map draws the newest one.
Reading and checking the file is `geo.importer.read_geometry_file`'s job; this module stores it, and
refuses again what must never reach the map (non-finite coordinates), whoever the caller is, and checks the
administrator's stored account in the saving transaction (lib.auth.verify_actor), as every write does.

A repeat of an identical save is not a new version: when the newest version of the layer already holds
the same content it is returned as a duplicate; two identical saves racing on two connections both name
their source `geo-<layer>-<previous version>-<content hash>`, and the unique `source.key` lets one win.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import geopandas as gpd
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from geo.layers import LAYER_LABELS, LAYER_NAMES, feature_records
from geo.validate import is_finite
from lib import audit
from lib.auth import Actor, require, verify_actor
from lib.db import session_scope
from lib.errors import GeometryError
from lib.models import Community, MapFeature, MapLayerVersion, Source, SourceKind
from lib.text import clean, refused

_MAX_LISTED = 5
MAX_NOTE_CHARS = 2000


def _text(value: str | None, field: str, max_len: int) -> str | None:
    text = clean(value or "")  # the one text rule (lib.text)
    if refused(text):
        raise GeometryError(f"「{field}」含不可见的控制字符，未保存")
    if len(text) > max_len:
        raise GeometryError(f"「{field}」过长（{len(text)}个字，最多{max_len}个字），未保存")
    return text or None


@dataclass(frozen=True)
class SavedLayer:
    version_id: int
    features: int
    duplicate: bool = False  # an identical submission was already saved; nothing was written


def _check_features(layer: str, gdf: gpd.GeoDataFrame) -> None:
    """What a caller other than the importer could still hand over: bad names, no or non-finite geometry."""
    max_name = MapFeature.__table__.c.name.type.length
    names = [f"第{i}个要素" for i, n in enumerate(gdf["name"], start=1)
             if not clean(str(n)) or refused(str(n)) or len(str(n)) > max_name]
    if names:
        raise GeometryError(f"图层「{LAYER_LABELS[layer]}」有要素名称为空、过长（最多{max_name}个字）或含控制字符，未保存："
                            + "；".join(names[:_MAX_LISTED]), details=names)
    bad = [f"第{i}个要素「{name}」" for i, (name, geom) in enumerate(zip(gdf["name"], gdf.geometry), start=1)
           if geom is None or geom.is_empty or not is_finite(geom)]
    if bad:
        shown = "；".join(bad[:_MAX_LISTED]) + (f" 等共{len(bad)}处" if len(bad) > _MAX_LISTED else "")
        raise GeometryError(f"图层「{LAYER_LABELS[layer]}」有要素的坐标为空或不是有效数值（NaN 或无穷大），未保存：{shown}",
                            details=bad)


def _content_hash(layer: str, records: list[dict], title: str, note: str | None, schematic: bool) -> str:
    blob = json.dumps([layer, title, note, schematic, records], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def _newest(s, layer: str) -> tuple[int | None, str | None]:
    row = s.execute(select(MapLayerVersion.id, Source.key).join(Source, Source.id == MapLayerVersion.source_id)
                    .where(MapLayerVersion.layer == layer).order_by(MapLayerVersion.id.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (None, None)


def save_layer(actor: Actor | None, *, layer: str, gdf: gpd.GeoDataFrame, source_title: str,
               note: str | None = None, schematic: bool = False, engine: Engine | None = None) -> SavedLayer:
    """Store `gdf` (EPSG:4326, checked) as the newest version of `layer`."""
    require(actor, "import_geometry")
    if layer not in LAYER_NAMES:
        raise GeometryError(f"未知图层「{layer}」，可选：{'、'.join(LAYER_NAMES)}")
    title = _text(source_title, "数据来源", Source.__table__.c.title.type.length)
    if title is None:
        raise GeometryError("请填写数据来源（如：某年某单位测绘成果）")
    note = _text(note, "备注", MAX_NOTE_CHARS)
    if gdf is None or len(gdf) == 0:
        raise GeometryError("文件中没有要素，未保存")
    _check_features(layer, gdf)
    records = feature_records(layer, gdf)
    digest = _content_hash(layer, records, title, note, schematic)
    try:
        return _store(actor, layer, records, title, note, schematic, digest, engine)
    except IntegrityError:  # the same submission committed first on another connection
        if (done := _settled(engine, layer, f"-{digest}", len(records))) is not None:
            return done
        raise


def _settled(engine: Engine | None, layer: str, suffix: str, features: int) -> SavedLayer | None:
    """After a unique-key race: the duplicate answer when the layer's newest version is the same submission's (its
    source key ends with `suffix`), else None (the caller re-raises)."""
    with session_scope(engine) as s:
        newest, key = _newest(s, layer)
    return SavedLayer(newest, features, duplicate=True) if (key or "").endswith(suffix) else None


def _new_version(s, actor: Actor, layer: str, previous: int | None, src: Source, *, schematic: bool,
                 note: str | None, features: list[dict], action: str, extra: dict | None = None) -> SavedLayer:
    """Add `src`, a version of `layer` resting on it and its features (MapFeature columns), audited as `action`."""
    s.add(src)
    s.flush()
    version = MapLayerVersion(layer=layer, schematic=schematic, source_id=src.id, note=note, recorded_by=actor.username)
    s.add(version)
    s.flush()
    for f in features:
        s.add(MapFeature(version_id=version.id, layer=layer, **f))
    audit.record(s, actor, action, "map_layer_version", f"{layer}#{version.id}", None,
                 {"layer": layer, "version": previous},
                 {"layer": layer, "version": version.id, "features": len(features), "source": src.title,
                  **(extra or {})})
    return SavedLayer(version.id, len(features))


def _store(actor: Actor, layer: str, records: list[dict], title: str, note: str | None, schematic: bool,
           digest: str, engine: Engine | None) -> SavedLayer:
    with session_scope(engine) as s:
        verify_actor(s, actor)  # the stored account: a deactivated, demoted or forged administrator is refused
        previous, key = _newest(s, layer)
        if key is not None and key.endswith(f"-{digest}"):
            return SavedLayer(previous, len(records), duplicate=True)
        if layer == "communities":
            known = set(s.scalars(select(Community.name)))
            missing = sorted(known - {r["name"] for r in records})
            if missing:
                raise GeometryError(f"社区图层须包含全部 {len(known)} 个社区，缺少：{'、'.join(missing)}")
        src = Source(key=f"geo-{layer}-{previous or 0}-{digest}", kind=SourceKind.SURVEY.value, title=title,
                     publisher=actor.display_name, note=note)
        features = [{"name": r["name"], "geometry": r["geometry"], "schematic": schematic, "source_text": title,
                     "properties": {k: v for k, v in r["properties"].items() if k not in {"name", "source"}}}
                    for r in records]
        return _new_version(s, actor, layer, previous, src, schematic=schematic, note=note, features=features,
                            action="import")


def restore_version(actor: Actor | None, *, layer: str, version_id: int, engine: Engine | None = None) -> SavedLayer:
    """Make an earlier version of `layer` the newest again: a new version with its features, its 示意/测绘 flag and
    a copy of its source (title, kind, publisher), so the map says what that data is — going back to the shipped 示意
    by uploading its file again would call it survey data. Audited (action 「restore」); a repeat of the same restore
    (a double-click, even on two connections) is a duplicate: the new source's key names the version it follows."""
    require(actor, "import_geometry")
    try:
        with session_scope(engine) as s:
            verify_actor(s, actor)
            old = s.get(MapLayerVersion, version_id)
            if old is None or old.layer != layer:
                raise GeometryError(f"图层「{LAYER_LABELS.get(layer, layer)}」没有编号为 {version_id} 的版本")
            previous, key = _newest(s, layer)
            if previous == version_id or (key or "").endswith(f"-restore-{version_id}"):
                return SavedLayer(previous, 0, duplicate=True)
            was = s.get(Source, old.source_id)
            src = Source(key=f"geo-{layer}-{previous}-restore-{version_id}", kind=was.kind, title=was.title,
                         publisher=was.publisher, note=was.note)
            rows = s.scalars(select(MapFeature).where(MapFeature.version_id == version_id).order_by(MapFeature.id))
            features = [{"name": f.name, "geometry": f.geometry, "properties": f.properties, "schematic": f.schematic,
                         "source_text": f.source_text} for f in rows]
            return _new_version(s, actor, layer, previous, src, schematic=old.schematic,
                                note=f"恢复自版本 #{version_id}", features=features, action="restore",
                                extra={"from_version": version_id, "schematic": old.schematic})
    except IntegrityError:  # the same restore committed first on another connection
        if (done := _settled(engine, layer, f"-restore-{version_id}", 0)) is not None:
            return done
        raise
