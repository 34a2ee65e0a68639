"""Map features (the newest saved version of each layer) and per-community map metrics."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, func, select

from lib.days import as_day
from lib.figures import TAGS
from lib.fmt import cn_date, percent
from lib.models import MapFeature, MapLayerVersion, Source
from lib.queries.care import current_occupancy, facilities
from lib.queries.common import frame
from lib.queries.communities import list_communities
from lib.queries.model_communities import STATUS_ORDER, model_status
from lib.queries.relocation import headline, signed_by_community
from lib.queries.stars import star_counts

METRICS = {
    "stars": "五星达标数",
    "model": "示范社区状态",
    "relocation": "征迁签约进度",
    "care": "养老床位入住率",
}


def map_layers(*, engine: Engine | None = None) -> dict[str, list[dict]]:
    """{layer: [feature records]} from each layer's newest version."""
    newest = select(func.max(MapLayerVersion.id)).group_by(MapLayerVersion.layer)
    stmt = (select(MapFeature.layer, MapFeature.name, MapFeature.geometry, MapFeature.properties,
                   MapFeature.schematic, MapFeature.source_text, Source.title.label("version_source"))
            .join(MapLayerVersion, MapLayerVersion.id == MapFeature.version_id)
            .join(Source, Source.id == MapLayerVersion.source_id)
            .where(MapFeature.version_id.in_(newest))
            .order_by(MapFeature.layer, MapFeature.id))
    out: dict[str, list[dict]] = {}
    for r in frame(stmt, engine).itertuples(index=False):
        props = dict(r.properties or {})
        props.update(name=r.name, source=r.source_text or r.version_source, schematic=bool(r.schematic))
        out.setdefault(r.layer, []).append({"name": r.name, "geometry": r.geometry, "properties": props})
    return out


def layer_versions(*, layer: str | None = None, engine: Engine | None = None) -> pd.DataFrame:
    stmt = (select(MapLayerVersion.id, MapLayerVersion.layer, MapLayerVersion.schematic, MapLayerVersion.note,
                   MapLayerVersion.recorded_at, MapLayerVersion.recorded_by, Source.title.label("source_title"),
                   func.count(MapFeature.id).label("features"))
            .join(Source, Source.id == MapLayerVersion.source_id)
            .outerjoin(MapFeature, MapFeature.version_id == MapLayerVersion.id)
            .group_by(MapLayerVersion.id, Source.title)
            .order_by(MapLayerVersion.layer, MapLayerVersion.id.desc()))
    if layer:
        stmt = stmt.where(MapLayerVersion.layer == layer)
    return frame(stmt, engine)


def _source(kind: str | None, day) -> str:
    """「报道 · 2023年9月23日」: the tag word and date of what a community's colour counts (no names: a map is
    for every viewer)."""
    tag = TAGS.get(kind or "", ("未知来源", ""))[0]
    return f"{tag} · {cn_date(as_day(day))}" if as_day(day) else tag


def community_metric(metric: str, *, as_of: dt.date | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """One row per community: value (for colour, None = no data), display text, is_demo, source (「示例 ·
    2023年6月30日」, empty without data) and side (its side of the railway with its basis, lib.railway_side)."""
    names = list_communities(engine=engine)
    rows: dict[str, tuple[float | None, str, bool, str]] = {n: (None, "无数据", False, "") for n in names["name"]}
    if metric == "stars":
        for r in star_counts(as_of=as_of, engine=engine).itertuples():
            rows[r.community] = (float(r.stars), f"{r.stars}颗星已达标", bool(r.is_demo),
                                 _source(r.source_kind, r.valid_from))
    elif metric == "model":
        for r in model_status(as_of=as_of, engine=engine).itertuples():
            rank = len(STATUS_ORDER) - 1 - STATUS_ORDER.index(r.status)
            rows[r.community] = (float(rank), r.status, bool(r.is_demo), _source(r.source_kind, r.valid_from))
    elif metric == "relocation":
        for r in signed_by_community(as_of=as_of, engine=engine).itertuples():
            fig = headline(community=r.community, as_of=as_of, engine=engine).progress()  # the card's figure
            rows[r.community] = (r.signed / r.households, f"已签约 {r.signed}/{r.households} 户", bool(r.is_demo),
                                 _source(fig.kind, fig.holds_from))
    elif metric == "care":
        fac = facilities(engine=engine)
        for r in fac.dropna(subset=["beds", "community"]).itertuples():
            occ = current_occupancy(facility=r.key, as_of=as_of, engine=engine)
            if occ.rate is not None:
                rows[r.community] = (occ.rate, f"{occ.occupied}/{occ.beds} 床（{percent(occ.occupied, occ.beds)}）",
                                     occ.is_demo, _source(occ.source_kind, occ.day))
    else:
        raise ValueError(f"unknown metric {metric!r}")
    side = dict(zip(names["name"], names["side"], strict=True))
    return pd.DataFrame([{"community": n, "value": v, "display": d, "is_demo": demo, "source": src, "side": side[n]}
                         for n, (v, d, demo, src) in rows.items()])
