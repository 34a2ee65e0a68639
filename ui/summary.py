"""Key figures of the four panels, and the selected community's card (overview and big screen)."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from lib.panels import SummaryPanel
from ui import bridge, widgets


def relocation_metric(p: SummaryPanel) -> None:
    if p.relocation is None:
        st.metric("文化路北延征迁", "无记录", border=True)
        st.caption(p.relocation_note)
        return
    widgets.figure_metric(p.relocation, header=p.header.latest, label="征迁签约")
    if p.relocation_area is not None:
        area = p.relocation_area
        st.caption(f"累计拆迁 {area.display} " + widgets.tag_badge(area, p.header.latest))


def care_metric(p: SummaryPanel) -> None:
    if p.care is None:
        st.metric("养老床位", "暂无数据", border=True)
        st.caption(p.care_note)
        return
    widgets.figure_metric(p.care, header=p.header.latest, label="养老中心床位")
    st.caption(p.care_detail + (f"。{p.care.warning}" if p.care.warning else ""))


def stars_metric(p: SummaryPanel) -> None:
    if p.stars is None:
        st.metric("五星支部", "暂无数据", border=True)
        return
    widgets.figure_metric(p.stars, header=p.header.latest)


def model_metric(p: SummaryPanel) -> None:
    widgets.figure_metric(p.model, header=p.header.latest)
    if p.model_named:
        st.caption("已命名：" + "、".join(p.model_named))


def panel_summaries(p: SummaryPanel) -> None:
    """The four panels' key figures in a 2 × 2 grid."""
    top = st.columns(2)
    with top[0], widgets.guard("五星支部"):
        stars_metric(p)
    with top[1], widgets.guard("示范社区"):
        model_metric(p)
    bottom = st.columns(2)
    with bottom[0], widgets.guard("征迁"):
        relocation_metric(p)
    with bottom[1], widgets.guard("养老"):
        care_metric(p)


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
            for row in published.head(8).to_dict("records"):
                fig = bridge.figure(row, as_of=as_of)
                st.markdown(f"**{widgets.md_escape(fig.label)}**：{widgets.md_escape(fig.display)} "
                            + widgets.tag_badge(fig, panel.header.latest), help=fig.provenance())
            if len(published) > 8:
                st.caption(f"另有 {len(published) - 8} 项，见「社区档案」页。")
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
