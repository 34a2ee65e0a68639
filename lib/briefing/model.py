"""The briefing pack's input: a small, explicit set of figures, panels and alerts.

Everything the PDF and the xlsx print comes from a `Pack`; `collect.collect_pack` fills it from the
data layer (swapping that adapter for another figure source touches nothing else).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from lib.figures import MIXED, TAGS
from lib.map_origin import MapOrigin

SUBDISTRICT = "光武街道"
NOT_SET = "未设置"


def kind_label(kind: str | None) -> str:
    """The tag of a source kind (报道 / 录入 / 示例 …): the one table in lib.figures."""
    return TAGS.get(kind or "", TAGS[MIXED])[0]


@dataclass(frozen=True)
class PackFigure:
    """One figure as printed: its label, formatted value, source and date."""

    panel: str
    label: str
    value_text: str
    source_kind: str  # 报道 / 录入 / 示例
    citation: str  # the article's words, the author who entered it, or how the demo value was made
    date: dt.date | None
    value: float | None = None  # for the change since the last briefing
    unit: str = ""
    delta_text: str = ""
    alert: bool = False
    reported_later: bool = False  # the standing profile shown before its article's date (lib.figures)
    author: str | None = None  # who entered it (staff figures): named to signed-in viewers only
    recorded_at: dt.datetime | None = None  # when it was entered (naive UTC)
    continuous: bool = False  # known on every day from `date` (lib.figures.Figure.continuous)
    approximate: bool = False  # 「6100余」: its change is approximate too (lib.figures.Figure.approximate)
    warning: str = ""  # what lib knows is questionable about it (lib.figures.Figure.warning), printed beside it
    key: str = ""  # which figure it is, whatever its label (a fact's subject/indicator): changes are matched on it
    sources: str = ""  # a mixed figure's kinds (「多种来源…」), printed before who entered its staff part

    @property
    def identity(self) -> tuple[str, str]:
        return self.panel, self.key or self.label


@dataclass(frozen=True)
class PackPanel:
    key: str  # stars / model / relocation / care
    title: str
    figures: list[PackFigure]
    alerts: list[str] = field(default_factory=list)
    note: str = ""  # e.g. what the chart shows, or why it shows the whole subdistrict
    chart_data: pd.DataFrame | None = None  # the frame the panel's chart is drawn from
    chart_args: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Pack:
    community: str | None
    as_of: dt.date | None  # the date asked for (None = latest)
    data_as_of: dt.date | None  # the newest data on or before it
    last_briefing: dt.date | None
    overview: list[PackFigure]
    panels: list[PackPanel]
    alerts: list[str]  # every alert of the scope (the cover's 预警 list)
    source_titles: list[str]  # 「《title》，publisher」 of each report the profile rests on
    layers: dict[str, list[dict]] = field(default_factory=dict)  # the saved map layers (feature records)
    community_status: dict[str, str] = field(default_factory=dict)  # community → 示范社区 status (map fill)
    open_checks: list[tuple[float, float]] = field(default_factory=list)  # (lon, lat) of open site checks
    alert_rows: list[tuple[str, str, dt.date, str]] = field(default_factory=list)  # (kind, community, date, line)
    overview_more: int = 0  # the community's figures past the pack's first OVERVIEW_MAX (on the 社区档案 page)
    map_origin: MapOrigin = field(default_factory=MapOrigin)  # what of the map is 示意, what surveyed

    @property
    def scope_label(self) -> str:
        return f"{self.community}社区" if self.community else "全街道"

    @property
    def figures(self) -> list[PackFigure]:
        """Every figure printed in the pack, in print order (the sources page and the xlsx)."""
        return [*self.overview, *(f for p in self.panels for f in p.figures)]
