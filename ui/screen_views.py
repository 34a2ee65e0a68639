"""Big-screen views: the briefing layout and one large view per panel, for the carousel."""
from __future__ import annotations

import datetime as dt

import altair as alt
import streamlit as st

from lib.fmt import cn_date
from ui import bridge, map_view, summary, widgets

AXIS = {"labelFontSize": 16, "titleFontSize": 18, "labelColor": "#e5e7eb", "titleColor": "#e5e7eb"}


def _chart(chart: alt.Chart, height: int = 420) -> None:
    st.altair_chart(chart.properties(height=height).configure_axis(**AXIS).configure_legend(
        labelFontSize=16, titleFontSize=16, labelColor="#e5e7eb", titleColor="#e5e7eb").configure_view(
        strokeWidth=0), width="stretch")


def briefing(*, community: str | None, as_of: dt.date | None) -> None:
    left, centre, right = st.columns([1, 2.4, 1], gap="medium")
    with left:
        with widgets.guard("五星支部"):
            summary.stars_metric(community=community, as_of=as_of)
        with widgets.guard("示范社区"):
            summary.model_metric(community=community, as_of=as_of)
    with centre, widgets.guard("地图"):
        map_view.render(key_prefix="screen", height=560, controls=False, checks=False, metric="model")
    with right:
        with widgets.guard("征迁"):
            summary.relocation_metric(community=community, as_of=as_of)
        with widgets.guard("养老"):
            summary.care_metric(community=community, as_of=as_of)
    with widgets.guard("街道概况"):
        figures = bridge.subdistrict_overview(as_of=as_of)
        cols = st.columns(len(figures) or 1)
        for col, (_, row) in zip(cols, figures.iterrows(), strict=False):
            with col:
                st.metric(row["label"], row["display"], help=widgets.source_text(row["source_kind"], None,
                                                                                  row["quote"]))


def stars_view(*, community: str | None, as_of: dt.date | None) -> None:
    st.subheader("五星支部创建 · 各社区达标星数" + (" · 示例数据" if True else ""))
    counts = bridge.star_counts(as_of=as_of)
    counts["selected"] = counts["community"] == community
    chart = alt.Chart(counts).mark_bar().encode(
        x=alt.X("community:N", sort=None, title="社区"), y=alt.Y("stars:Q", title="已达标星数",
                                                             scale=alt.Scale(domain=[0, 5])),
        color=alt.condition("datum.selected", alt.value("#f2dd4e"), alt.value("#3aa77e")))
    _chart(chart)
    widgets.demo_note("星级评定")


def model_view(*, community: str | None, as_of: dt.date | None) -> None:
    st.subheader("示范社区创建")
    status = bridge.model_status(as_of=as_of)
    cols = st.columns(4)
    for col, s in zip(cols, ["已命名示范社区", "先行先试", "创建中", "未命名"], strict=True):
        names = status[status["status"] == s]["community"].tolist()
        col.metric(s, f"{len(names)}个", help="来源：新闻报道", border=True)
        col.markdown("、".join(names) or "—")
    named = status[status["status"] == "已命名示范社区"]
    if not named.empty:
        st.markdown(f"### {cn_date(named['valid_from'].min())}，中兴、大官庄、西华、工业路被命名为示范社区")
    map_view.render(key_prefix="screen.model", height=420, controls=False, checks=False, metric="model")


def relocation_view(*, community: str | None, as_of: dt.date | None) -> None:
    st.subheader("文化路北延提升改造 · 征迁进度")
    summary.relocation_metric(community=community, as_of=as_of)
    burn = bridge.relocation_burnup(community=community, as_of=as_of)
    if not burn.empty:
        long = burn.melt(id_vars=["date"], value_vars=["已签约", "已交钥匙", "已拆除"], var_name="状态",
                         value_name="户数")
        chart = alt.Chart(long).mark_line(strokeWidth=4).encode(
            x=alt.X("date:T", title="日期", axis=alt.Axis(format="%m月%d日")), y=alt.Y("户数:Q", title="户数"),
            color=alt.Color("状态:N", scale=alt.Scale(range=["#f2dd4e", "#3aa77e", "#E8463A"])))
        total = alt.Chart(burn).mark_rule(strokeDash=[8, 6], color="#e5e7eb").encode(y="总户数:Q")
        _chart(chart + total, height=380)
        widgets.demo_note("逐日进度")


def care_view(*, community: str | None, as_of: dt.date | None) -> None:
    st.subheader("综合养老服务中心 · 床位入住")
    summary.care_metric(community=community, as_of=as_of)
    series = bridge.occupancy_series(facility="care_centre", as_of=as_of)
    if not series.empty:
        recent = series.tail(90)
        line = alt.Chart(recent).mark_area(line={"color": "#f2dd4e"}, color="#f2dd4e33").encode(
            x=alt.X("day:T", title="日期", axis=alt.Axis(format="%m月%d日")),
            y=alt.Y("occupied:Q", title="入住人数", scale=alt.Scale(domain=[0, int(recent["beds"].max())])))
        beds = alt.Chart(recent).mark_rule(color="#E8463A", strokeWidth=3).encode(y="beds:Q")
        _chart(line + beds, height=380)
        widgets.demo_note("每日入住（最后一天为报道数字）")


VIEWS = {
    "总览": briefing,
    "五星支部": stars_view,
    "示范社区": model_view,
    "征迁": relocation_view,
    "养老": care_view,
}
