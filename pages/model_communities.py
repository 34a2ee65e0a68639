"""示范社区: status per community, status history, the L-shaped cluster, improvement projects."""
from __future__ import annotations

import streamlit as st

from ui import bridge, chart_cache, charts, kpi_grid, styled_tables, widgets
from ui.views import model_communities as view

bridge.ensure_entrypoint()

community = bridge.selected_community()
as_of = bridge.as_of()
names = bridge.community_options()
key = (community, as_of)  # with the data version, what the chart's and table's frames were read for

st.title("示范社区")
widgets.as_of_stamp(bridge.header(), f"当前范围：{bridge.full_name(community) if community else '全街道（11个社区）'}")

with widgets.guard("命名情况"):
    naming = view.naming(community, as_of, bridge.signed_in())
    kpi_grid.grid(list(naming.cards), columns=3)
    if naming.none_named:
        st.info("截至所选日期，尚无社区被命名为示范社区。", icon=":material/info:")
    if naming.missing:
        widgets.no_data(naming.missing)
    if naming.named:
        st.success(widgets.md_escape(naming.named), icon=":material/verified:")
        if naming.source:
            st.caption(widgets.md_escape(naming.source))

with widgets.guard("各社区状态"):
    st.subheader("各社区示范社区状态")
    table = view.status_table(as_of)
    if table.empty:
        widgets.no_data("所选日期的示范社区状态")
    else:
        styled = styled_tables.styled_table(table, colors=charts.MODEL_STATUS_COLORS, status_cols=["状态"],
                                            highlight=("社区", bridge.full_name(community)) if community else None,
                                            key=key)
        st.dataframe(styled, hide_index=True, width="stretch", height=charts.table_height(len(table)))
        st.caption("“创建中”“先行先试”的起始日期报道未载明，按2023年1月1日记；“未命名”指报道未提及该社区的创建情况。")

with widgets.guard("状态变化"):
    st.subheader("状态变化时间线")
    spans = view.spans(as_of)
    if spans.empty:
        widgets.no_data("所选日期的状态记录")
    else:
        chart_cache.draw(charts.status_timeline, spans, colors=charts.MODEL_STATUS_COLORS, communities=names,
                         marks=view.marks(as_of), highlight=community, height=440, key=key)
        if community:
            st.markdown(f"**{bridge.full_name(community)}的状态记录**")
            st.dataframe(view.records(community, as_of).table, hide_index=True, width="stretch")

with widgets.guard("连片打造"):
    st.subheader("连片打造与先行先试")
    left, right = st.columns(2)
    for column, box in zip((left, right), view.cluster(as_of), strict=True):
        with column, st.container(border=True):  # one element a box: title, then each text with its source
            st.markdown("\n\n".join([f"**{widgets.md_escape(box.title)}**",
                                       *(f"{widgets.md_escape(text)}  \n:small[:gray[{widgets.md_escape(source)}]]"
                                         for text, source in box.lines)]))

with widgets.guard("改造项目"):
    st.subheader("环境改造项目")
    projects = view.projects(community)
    if projects.table is None:
        widgets.no_data(f"{bridge.full_name(community)}的改造项目" if community else "改造项目")
        if projects.listed:
            st.caption(widgets.md_escape(projects.listed))
    else:
        st.dataframe(projects.table, hide_index=True, width="stretch",
                     column_config={"经度": st.column_config.NumberColumn(format="%.4f"),
                                    "纬度": st.column_config.NumberColumn(format="%.4f")})
        origin = bridge.map_origin()  # the points and boundaries as the map's layers now are (示意 or surveyed)
        points, bounds = (("为示意位置" if origin.schematic("pois") else "为测绘点位"),
                          ("示意社区边界" if origin.schematic("communities") else "测绘社区边界"))
        st.caption(f":violet-badge[{origin.tag}] 项目内容来自新闻报道；点位取自地图“设施点位”图层，{points}，"
                   f"“示意图上所在社区”据{bounds}推算，仅供参考。")
        with st.expander("报道原文"):
            for quote in projects.quotes:
                st.caption(widgets.md_escape(quote))
