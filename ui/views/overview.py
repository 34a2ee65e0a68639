"""The overview's cards per scope, kept per data version (ui/kept.py): the subdistrict's KPI grid, the four
panels' key figures and the selected community's card. ui/summary.py and pages/overview.py draw them.

Every builder takes `signed_in` (staff names are shown to signed-in viewers only, ui.widgets.viewer): it is part
of the key, and the figures are narrowed to it before ui.kpi_grid.card reads them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ui import bridge, kpi_grid, widgets
from ui.kept import kept

LINES = 8  # facts listed on a community's card; the rest are on 「社区档案」
GRID_NOTE = "每个数字下方标注来源（报道 / 录入 / 示例）与日期，点按数字可见原文。"
REPORTED_LATER = "所选日期早于报道：街道概况为报道所述的情况（标注「报道于…」）。"


@dataclass(frozen=True)
class Grid:
    cards: tuple[kpi_grid.Card, ...]
    note: str = ""


@dataclass(frozen=True)
class CommunityCard:
    title: str
    side: str  # the caption under the title
    lines: tuple[kpi_grid.Card, ...]  # published facts, at most LINES
    more: str  # 「另有 n 项…」 when there are more
    empty: str  # said instead of the lines when nothing is published
    honours: str  # 「**荣誉**：…」 (Markdown, stored names escaped), "" when none


def _panel(community: str | None, as_of: dt.date | None) -> bridge.SummaryPanel:
    return bridge.summary_panel(bridge.Scope.of(community, as_of))


def _overview(community: str | None, as_of: dt.date | None, signed_in: bool) -> Grid:
    panel = _panel(community, as_of)
    figs = panel.overview
    note = GRID_NOTE + (REPORTED_LATER if any(f.reported_later for f in figs) else "")
    return Grid(tuple(kpi_grid.card(f, header=panel.header.latest, signed_in=signed_in) for f in figs),
                note if figs else "")


def relocation_card(p: bridge.SummaryPanel, *, warnings: bool = True) -> kpi_grid.Card:
    """征迁签约 with 累计拆迁 under it and (`warnings`) what the household records dispute; the wall's 总览 leaves that to
    its 「较上次汇报」 strip right above it (ui/alerts_view.changes), as a 1080-line screen has no room for both."""
    if p.relocation is None:
        return kpi_grid.plain("文化路北延征迁", "无记录", p.relocation_note)
    area = p.relocation_area
    notes = (f"累计拆迁 {area.display}（{widgets.viewer(area).badge(p.header.latest)}）",) if area is not None else ()
    # a figure the household records dispute says so under the card, as on the 征迁 page (lib headline's warning;
    # 已签约/涉迁户 carries its parts')
    said = tuple(dict.fromkeys(f.warning for f in (p.relocation, area) if f is not None and f.warning))
    return kpi_grid.card(p.relocation, header=p.header.latest, label="征迁签约", notes=notes + (said if warnings else ()))


def care_card(p: bridge.SummaryPanel) -> kpi_grid.Card:
    if p.care is None:
        return kpi_grid.plain("养老床位", "暂无数据", p.care_note)
    return kpi_grid.card(p.care, header=p.header.latest, label="养老中心床位",
                         notes=(p.care_detail,))  # with the figure's warning (lib.panels)


def stars_card(p: bridge.SummaryPanel) -> kpi_grid.Card:
    if p.stars is None:
        return kpi_grid.plain("五星支部", "暂无数据")
    return kpi_grid.card(p.stars, header=p.header.latest)


def model_card(p: bridge.SummaryPanel) -> kpi_grid.Card:
    if p.model is None:
        return kpi_grid.plain("示范社区", "暂无数据", "此日期尚无示范社区创建记录")
    named = ("已命名：" + "、".join(p.model_named),) if p.model_named else ()
    said = (p.model.warning,) if p.model.warning else ()  # what the article does not give (lib.panels)
    return kpi_grid.card(p.model, header=p.header.latest, notes=named + said)


def _panel_cards(community: str | None, as_of: dt.date | None, signed_in: bool) -> Grid:  # noqa: ARG001 - key
    p = _panel(community, as_of)  # the panel's figures are already the viewer's (summary_panel's signed_in)
    return Grid((stars_card(p), model_card(p), relocation_card(p), care_card(p)))


def _community(name: str, as_of: dt.date | None, signed_in: bool) -> CommunityCard:
    p = bridge.community_profile(name, as_of=as_of)
    latest = _panel(name, as_of).header.latest
    published = p.facts[~p.facts["is_demo"]]
    # the community's own figures first; a facility's (星光大排档's 占地面积) named by it, never read as the community's
    own = published["subject"] == p.full_name
    rows = [*published[own].to_dict("records"),
            *({**r, "label": f"{r['subject']}·{r['label']}"} for r in published[~own].to_dict("records"))]
    lines = tuple(kpi_grid.card(bridge.figure(row, as_of=as_of), header=latest, signed_in=signed_in)
                  for row in rows[:LINES])
    more = f"另有 {len(published) - LINES} 项，见「社区档案」页。" if len(published) > LINES else ""
    empty = "" if lines else p.empty_note  # lib's words: a look-back before the first figure, or none at all
    honours = p.notes[p.notes["kind"] == "荣誉"] if not p.notes.empty else p.notes
    honour_text = "**荣誉**：" + "、".join(widgets.md_escape(t) for t in honours["text"]) if not honours.empty else ""
    boundary = "边界为示意" if bridge.map_origin().schematic("communities") else "边界为测绘数据"
    return CommunityCard(p.full_name, f"{p.side} · {boundary}", lines, more, empty, honour_text)


_overview_kept = kept(_overview, ttl=bridge.TTL_SECONDS)
_panel_cards_kept = kept(_panel_cards, ttl=bridge.TTL_SECONDS)
_community_kept = kept(_community, ttl=bridge.TTL_SECONDS)


def overview_grid(community: str | None, as_of: dt.date | None) -> Grid:
    """The subdistrict's figures (街道概况) as cards, with the grid's note; no cards when nothing is known."""
    return _overview_kept(community, as_of, bridge.signed_in())


def panel_cards(community: str | None, as_of: dt.date | None) -> Grid:
    """The four panels' key figures for the scope: 五星支部, 示范社区, 征迁, 养老."""
    return _panel_cards_kept(community, as_of, bridge.signed_in())


def community_card(name: str, as_of: dt.date | None) -> CommunityCard:
    """The selected community's card: its name, published facts with their tags, and honours."""
    return _community_kept(name, as_of, bridge.signed_in())
