"""What the map is made of, said once for every surface that shows it (the desk map's note, the wall, the 数据来源
page, the briefing pack's map, PDF and PNG): each layer's newest saved version is either the shipped 示意 geometry or
an administrator's survey import, with its source and the day it was saved.

    read(engine=) -> MapOrigin
    MapOrigin.tag            「示意图，非测绘成果」 / 「示意图，部分图层为测绘数据」 / 「测绘数据」
    MapOrigin.note           the sentence under the map: what is 示意, what is surveyed (source, day saved)
    MapOrigin.schematic(layer)

Until a layer is replaced the note is the shipped one, word for word. Names of the people who saved a layer are not
said: a map is for every viewer (the admin's version history names them).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select

from geo.layers import EAST_EDGE_NOTE
from lib.clock import local_day
from lib.db import get_engine
from lib.fmt import cn_date
from lib.models import MapLayerVersion, Source

NOT_SURVEYED = "示意图，非测绘成果"
PART_SURVEYED = "示意图，部分图层为测绘数据"
SURVEYED = "测绘数据"
# The note's word for each layer it speaks of, in its order; the shipped note names the first four as 示意.
WORDS = {"communities": "社区边界", "roads": "道路", "rivers": "河流", "reservoirs": "水库", "railway": "铁路",
         "outline": "街道范围", "pois": "设施点位", "projects": "重点项目线位"}
SHIPPED_SCHEMATIC = ("communities", "roads", "rivers", "reservoirs")


@dataclass(frozen=True)
class LayerOrigin:
    layer: str
    schematic: bool
    title: str
    saved_on: dt.date | None  # the China day the version was saved


@dataclass(frozen=True)
class MapOrigin:
    layers: dict[str, LayerOrigin] = field(default_factory=dict)

    def schematic(self, layer: str) -> bool:
        """True unless the layer's newest version is a survey import (a layer never saved is the shipped 示意)."""
        found = self.layers.get(layer)
        return found is None or found.schematic

    @property
    def surveyed(self) -> list[LayerOrigin]:
        return [o for layer in WORDS if (o := self.layers.get(layer)) is not None and not o.schematic]

    @property
    def tag(self) -> str:
        if not self.surveyed:
            return NOT_SURVEYED
        return SURVEYED if not any(self.schematic(layer) for layer in WORDS) else PART_SURVEYED

    @property
    def note(self) -> str:
        """「东界（人民路）沿…，南阳站为公开位置；社区边界、道路为测绘数据（某测绘院地形图，2024年5月6日导入）；其余界线与
        位置为示意。」 — the shipped sentence until a layer is replaced."""
        head = [EAST_EDGE_NOTE] if self.schematic("outline") else []
        head += ["南阳站为公开位置"] if self.schematic("pois") else []
        groups: dict[tuple[str, dt.date | None], list[str]] = {}
        for o in self.surveyed:
            groups.setdefault((o.title, o.saved_on), []).append(WORDS[o.layer])
        said = [f"{'、'.join(words)}为测绘数据（{title}" + (f"，{cn_date(day)}导入" if day else "") + "）"
                for (title, day), words in groups.items()]
        if not said:
            said = [f"{'、'.join(WORDS[layer] for layer in SHIPPED_SCHEMATIC)}为示意"]
        elif any(self.schematic(layer) for layer in WORDS):
            said.append("其余界线与位置为示意")
        return "，".join(head) + ("；" if head else "") + "；".join(said) + "。"


def read(*, engine: Engine | None = None) -> MapOrigin:
    """Each layer's newest saved version: 示意 or surveyed, its source's title and the day it was saved."""
    newest = select(func.max(MapLayerVersion.id)).group_by(MapLayerVersion.layer)
    stmt = (select(MapLayerVersion.layer, MapLayerVersion.schematic, MapLayerVersion.recorded_at, Source.title)
            .join(Source, Source.id == MapLayerVersion.source_id).where(MapLayerVersion.id.in_(newest)))
    with (engine or get_engine()).connect() as conn:
        rows = list(conn.execute(stmt))
    return MapOrigin({r.layer: LayerOrigin(r.layer, bool(r.schematic), r.title,
                                           local_day(r.recorded_at) if r.recorded_at else None) for r in rows})
