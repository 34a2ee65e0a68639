"""示范社区: status per community, status history, the L-shaped cluster, improvement projects."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.bridge import cn_date
from ui import bridge, chart_cache, charts, styled_tables, widgets

bridge.ensure_entrypoint()

NAMED, PILOT = "已命名示范社区", "先行先试"
ARTICLE_FIGS = ["model_communities_named"]

community = bridge.selected_community()
as_of = bridge.as_of()
names = bridge.community_options()
stamp = bridge.data_as_of(as_of=as_of)

st.title("示范社区")
widgets.as_of_stamp(bridge.header())
st.caption(f"当前范围：{bridge.full_name(community) if community else '全街道（11个社区）'}")

status = named = pd.DataFrame(columns=["community", "status", "valid_from"])
with widgets.guard("命名情况"):
    status = bridge.model_status(as_of=as_of)
    named = status[status["status"] == NAMED]
    fig = bridge.facts_q(subject="光武街道", indicators=ARTICLE_FIGS, as_of=as_of)
    cols = st.columns(3)
    with cols[0]:
        if fig.empty:
            st.info("截至所选日期，尚无社区被命名为示范社区。", icon=":material/info:")
        else:
            widgets.fact_metric(fig.iloc[0], label="已命名示范社区")
    with cols[1]:
        pilot = status[status["status"] == PILOT]
        if not pilot.empty:
            quotes = bridge.notes_q(subject=pilot["community"].iloc[0], kind="示范社区")["quote"]
            widgets.fact_metric({"label": "铁路以西先行先试", "display": "、".join(pilot["community"]) + "社区",
                                 "source_kind": pilot["source_kind"].iloc[0],
                                 "source_title": pilot["source_title"].iloc[0],
                                 "is_demo": bool(pilot["is_demo"].any()),
                                 "quote": quotes.iloc[0] if len(quotes) else None})
    with cols[2]:
        if community:
            mine = status[status["community"] == community]
            if mine.empty:
                widgets.no_data(f"{bridge.full_name(community)}的示范社区状态")
            else:
                r = mine.iloc[0]
                widgets.fact_metric({**r.to_dict(), "label": f"{bridge.full_name(community)}", "display": r["status"],
                                     "quote": r["note"]},
                                    delta=f"自{cn_date(r['valid_from'])}起", delta_color="off", delta_arrow="off")
    if not named.empty:
        first = named["valid_from"].min()
        st.success(f"{cn_date(first)}，{'、'.join(named['community'])}等{len(named)}个社区被南阳市创建全国文明城市"
                   "工作指挥部命名为示范社区。", icon=":material/verified:")
        if not fig.empty:
            st.caption(f"来源：{widgets.kind_label(fig['source_kind'].iloc[0])}。原文：“{fig['quote'].iloc[0]}”")

with widgets.guard("各社区状态"):
    st.subheader("各社区示范社区状态")
    if status.empty:
        widgets.no_data("所选日期的示范社区状态")
    else:
        table = pd.DataFrame({
            "社区": status["community"] + "社区", "位置": status["side"],
            "状态": status["status"],
            "起始日期": status["valid_from"].map(cn_date), "说明": status["note"],
            "来源": status["is_demo"].map({True: "示例数据", False: "新闻报道"})})
        styled = styled_tables.styled_table(table, colors=charts.MODEL_STATUS_COLORS, status_cols=["状态"],
                                            highlight=("社区", f"{bridge.full_name(community)}") if community else None)
        st.dataframe(styled, hide_index=True, width="stretch", height=charts.table_height(len(table)))
        st.caption("“创建中”“先行先试”的起始日期报道未载明，按2023年1月1日记；“未命名”指报道未提及该社区的创建情况。")

with widgets.guard("状态变化"):
    st.subheader("状态变化时间线")
    spans = bridge.model_timeline(as_of=as_of, until=stamp)
    if spans.empty:
        widgets.no_data("所选日期的状态记录")
    else:
        firsts = named.groupby("valid_from").size()
        marks = pd.DataFrame({"date": firsts.index, "label": [f"{cn_date(d)} 命名{n}个示范社区"
                                                                for d, n in firsts.items()]})
        chart_cache.draw(charts.status_timeline, spans, colors=charts.MODEL_STATUS_COLORS, communities=names,
                         marks=marks, highlight=community, height=440)
        if community:
            mine = spans[spans["community"] == community]
            st.markdown(f"**{bridge.full_name(community)}的状态记录**")
            until = [("今" if o and not as_of else cn_date(e)) for o, e in zip(mine["open"], mine["end"], strict=True)]
            st.dataframe(pd.DataFrame({"自": mine["start"].map(cn_date), "至": until,
                                       "状态": mine["status"], "说明": mine["note"]}), hide_index=True, width="stretch")

with widgets.guard("连片打造"):
    st.subheader("连片打造与先行先试")
    left, right = st.columns(2)
    cluster = bridge.notes_q(subject="光武街道", kind="示范社区")
    pilot_note = bridge.notes_q(subject="榆树庄", kind="示范社区")
    with left, st.container(border=True):
        st.markdown("**“L”形连片：大官庄 — 中兴 — 工业路 — 西华**")
        for r in cluster.itertuples():
            st.write(r.text)
            st.caption(f"来源：新闻报道。原文：“{r.quote}”")
    with right, st.container(border=True):
        st.markdown("**铁路以西先行先试：榆树庄社区**")
        for r in pilot_note.itertuples():
            st.write(r.text)
            st.caption(f"来源：新闻报道。原文：“{r.quote}”")

with widgets.guard("改造项目"):
    st.subheader("环境改造项目")
    projects = bridge.improvement_projects(community=community)
    if projects.empty:
        widgets.no_data(f"{bridge.full_name(community)}的改造项目" if community else "改造项目")
        if community:
            st.caption("报道列出的改造项目：" + "、".join(bridge.improvement_projects()["subject"]) + "（见全街道视图）。")
    else:
        st.dataframe(pd.DataFrame({
            "项目": projects["subject"], "内容（据报道）": projects["text"],
            "报道所述社区": projects["stated_community"].map(lambda v: f"{bridge.full_name(v)}" if v else "报道未载明"),
            "示意图上所在社区": projects["map_community"].map(lambda v: f"{bridge.full_name(v)}" if v else "—"),
            "经度": projects["lon"], "纬度": projects["lat"]}),
            hide_index=True, width="stretch",
            column_config={"经度": st.column_config.NumberColumn(format="%.4f"),
                           "纬度": st.column_config.NumberColumn(format="%.4f")})
        st.caption(f"{widgets.SCHEMATIC_BADGE} 项目内容来自新闻报道；点位取自地图“设施点位”图层，为示意位置，"
                   "“示意图上所在社区”据示意社区边界推算，仅供参考。")
        with st.expander("报道原文"):
            for r in projects.itertuples():
                st.caption(f"{r.subject}：“{r.quote}”")
