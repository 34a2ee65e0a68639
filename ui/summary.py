"""Key figures of the four panels, and the selected community's card (overview and big screen)."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from lib.panels import SummaryPanel
from ui import bridge, kpi_grid, widgets


def relocation_card(p: SummaryPanel) -> kpi_grid.Card:
    if p.relocation is None:
        return kpi_grid.plain("文化路北延征迁", "无记录", p.relocation_note)
    area = p.relocation_area
    notes = (f"累计拆迁 {area.display}（{widgets.viewer(area).badge(p.header.latest)}）",) if area is not None else ()
    return kpi_grid.card(p.relocation, header=p.header.latest, label="征迁签约", notes=notes)


def care_card(p: SummaryPanel) -> kpi_grid.Card:
    if p.care is None:
        return kpi_grid.plain("养老床位", "暂无数据", p.care_note)
    return kpi_grid.card(p.care, header=p.header.latest, label="养老中心床位",
                         notes=(p.care_detail + (f"。{p.care.warning}" if p.care.warning else ""),))


def stars_card(p: SummaryPanel) -> kpi_grid.Card:
    if p.stars is None:
        return kpi_grid.plain("五星支部", "暂无数据")
    return kpi_grid.card(p.stars, header=p.header.latest)


def model_card(p: SummaryPanel) -> kpi_grid.Card:
    named = ("已命名：" + "、".join(p.model_named),) if p.model_named else ()
    return kpi_grid.card(p.model, header=p.header.latest, notes=named)


def relocation_metric(p: SummaryPanel) -> None:
    kpi_grid.metric(relocation_card(p))


def care_metric(p: SummaryPanel) -> None:
    kpi_grid.metric(care_card(p))


def stars_metric(p: SummaryPanel) -> None:
    kpi_grid.metric(stars_card(p))


def model_metric(p: SummaryPanel) -> None:
    kpi_grid.metric(model_card(p))


def panel_summaries(p: SummaryPanel) -> None:
    """The four panels' key figures in a 2 × 2 grid, drawn as one element."""
    with widgets.guard("四个板块"):
        kpi_grid.grid([stars_card(p), model_card(p), relocation_card(p), care_card(p)], columns=2)


def community_card(name: str, *, as_of: dt.date | None) -> None:
    p = bridge.community_profile(name, as_of=as_of)
    panel = bridge.summary_panel()
    with st.container(border=True):
        st.subheader(p.full_name)
        st.caption(f"{p.side} · 位置与边界为示意")
        published = p.facts[~p.facts["is_demo"]]
        if published.empty:
            st.info(f"{p.full_name}暂无公开数据（报道仅列出社区名称）。", icon=":material/info:")
        else:
            cards = [kpi_grid.card(bridge.figure(row, as_of=as_of), header=panel.header.latest)
                     for row in published.head(8).to_dict("records")]
            kpi_grid.lines(cards, more=f"另有 {len(published) - 8} 项，见「社区档案」页。" if len(published) > 8 else "")
        honours = p.notes[p.notes["kind"] == "荣誉"] if not p.notes.empty else p.notes
        if not honours.empty:
            st.markdown("**荣誉**：" + "、".join(widgets.md_escape(t) for t in honours["text"]))
    panel_summaries(panel)


def briefing_png(*, community: str | None, as_of: dt.date | None) -> bytes:
    from geo.deck_style import DEFAULT_SCALE, class_breaks, color_for
    from ui.briefing_png import render_briefing

    values = bridge.community_metric("model", as_of=as_of).set_index("community")["value"]
    breaks = class_breaks(range(4), len(DEFAULT_SCALE))
    colors = {n: color_for(v, breaks, DEFAULT_SCALE) for n, v in values.items() if v == v and v is not None}
    legend = [(s, color_for(i, breaks, DEFAULT_SCALE)) for i, s in
              enumerate(["未命名", "创建中", "先行先试", "已命名示范社区"])]
    panel = bridge.summary_panel(bridge.Scope.of(community, as_of))
    title = "光武街道基层治理简报" + (f" · {panel.scope.label}" if community else "")
    return render_briefing(title=title, stamp=panel.header.text, figures=panel.figures(), header=panel.header.latest,
                           layers=bridge.map_layers(), colors=colors, selected=community, legend=legend)
