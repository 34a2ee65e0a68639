"""Big-screen views: the briefing layout and one large view per panel, for the carousel.

Everything is sized from the viewport (see `_SCREEN_CSS` in ui/chrome.py): text in rem, the map and the
charts in keyed containers whose height is a share of the screen height, chart text from the chart width.
So one layout fits 1920×1080 and 3840×2160 alike without scrolling.
"""
from __future__ import annotations

import datetime as dt
import html

import altair as alt
import streamlit as st

from ui import bridge, map_view, summary, wall_chart, widgets
from ui.bridge import cn_date
from ui.wall_relocation import relocation_view
from ui.wall_stars import stars_view

_chart = wall_chart.chart
tag_html = wall_chart.tag_html


def _figures_strip(figures, header) -> None:
    """The subdistrict's figures in one row, each sized to its text (no truncation), each with its tag."""
    cells = []
    for fig in figures:
        source = html.escape(fig.provenance().replace("  \n", " "))
        cells.append(f"<div class='gw-figure' title='{source}'><div class='l'>{html.escape(fig.label)} "
                     f"{tag_html(fig, header)}</div><div class='v'>{html.escape(fig.display)}</div></div>")
    st.html(f"<div class='gw-figures'>{''.join(cells)}</div>")


def briefing(*, community: str | None, as_of: dt.date | None) -> None:
    panel = bridge.summary_panel(bridge.Scope.of(community, as_of))
    left, centre, right = st.columns([1, 2.4, 1], gap="medium")
    with left:
        with widgets.guard("五星支部"):
            summary.stars_metric(panel)
        with widgets.guard("示范社区"):
            summary.model_metric(panel)
    with centre, widgets.guard("地图"), st.container(key="screen-map"):
        map_view.render(key_prefix="screen", height=460, controls=False, checks=False, metric="model")
    with right:
        with widgets.guard("征迁"):
            summary.relocation_metric(panel)
        with widgets.guard("养老"):
            summary.care_metric(panel)
    with widgets.guard("街道概况"):
        if panel.overview:
            _figures_strip(panel.overview, panel.header.latest)


def model_view(*, community: str | None, as_of: dt.date | None) -> None:
    st.subheader("示范社区创建")
    status = bridge.model_status(as_of=as_of)
    map_col, figures_col = st.columns([1.35, 1], gap="large")
    with figures_col:
        for pair in (["已命名示范社区", "先行先试"], ["创建中", "未命名"]):
            for col, s in zip(st.columns(2), pair, strict=True):
                names = status[status["status"] == s]["community"].tolist()
                part = status[status["status"] == s]
                kinds = {bridge.figure({"source_kind": k}).tag for k in part["source_kind"]} or {"报道"}
                col.metric(f"{s} · {'、'.join(sorted(kinds))}", f"{len(names)}个", border=True)
                col.markdown("、".join(widgets.md_escape(n) for n in names) or "—")
        named = status[status["status"] == "已命名示范社区"]
        if not named.empty:
            first = named[named["valid_from"] == named["valid_from"].min()]
            st.markdown(f"**{cn_date(first['valid_from'].iloc[0])}，{'、'.join(first['community'])}被命名为示范社区**")
    with map_col, st.container(key="screen-model-map"):
        map_view.render(key_prefix="screen.model", height=420, controls=False, checks=False, metric="model")


def care_view(*, community: str | None, as_of: dt.date | None) -> None:
    st.subheader("综合养老服务中心 · 床位入住")
    left, right = st.columns([1, 3.2], gap="large")
    with left:
        summary.care_metric(bridge.summary_panel(bridge.Scope.of(community, as_of)))
    series = bridge.occupancy_series(facility="care_centre", as_of=as_of)
    if series.empty:
        return
    with right:
        recent = series.tail(90)
        line = alt.Chart(recent).mark_area(line={"color": "#f2dd4e"}, color="#f2dd4e33").encode(
            x=alt.X("day:T", title="日期", axis=alt.Axis(format="%m月%d日")),
            y=alt.Y("occupied:Q", title="入住人数", scale=alt.Scale(domain=[0, int(recent["beds"].max())])))
        beds = alt.Chart(recent).mark_rule(color="#E8463A", strokeWidth=3).encode(y=alt.Y("beds:Q"))
        _chart(line + beds)
    with left:
        widgets.demo_note("每日入住（最后一天为报道数字）")


VIEWS = {
    "总览": briefing,
    "五星支部": stars_view,
    "示范社区": model_view,
    "征迁": relocation_view,
    "养老": care_view,
}
