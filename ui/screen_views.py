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

from ui import bridge, charts, map_view, summary, widgets
from ui.bridge import cn_date  # noqa: F401
from ui.wall_care import care_view
from ui.wall_model import model_view

# Chart text follows the window: never below 2.2 % of the screen height (24 px at 1080, 49 px at 2160; issue #14).
_TEXT = alt.ExprRef(expr="max(windowSize()[1] * 0.0225, min(windowSize()[0] / 80, windowSize()[1] / 45))")
_LABEL = {"labelFontSize": _TEXT, "titleFontSize": _TEXT, "labelColor": "#e5e7eb", "titleColor": "#e5e7eb"}
AXIS = {**_LABEL, "labelLimit": 0}
_SYMBOL = alt.ExprRef(expr="pow(max(windowSize()[1] * 0.0225, min(windowSize()[0] / 80, windowSize()[1] / 45)), 2)")


def _chart(chart: alt.Chart) -> None:
    """A chart filling the `screen-chart` container (60 % of the screen height)."""
    with st.container(key="screen-chart"):
        st.altair_chart(charts.unvalidated(chart.configure_axis(**AXIS)
                                           .configure_legend(**_LABEL, symbolSize=_SYMBOL, labelLimit=0)
                                           .configure_view(strokeWidth=0)), width="stretch", height="stretch")


def tag_html(fig, header) -> str:
    """The coloured source tag as HTML (the wall cannot hover): 报道 / 录入 · who · when / 示例, plus the
    figure's own date when it differs from the header's."""
    text = fig.badge(header)
    r, g, b = fig.rgb
    return (f"<span class='gw-tag gw-tag-{fig.kind}' style='background:rgb({r},{g},{b});color:#111318;"
            f"border-radius:0.3em;padding:0 0.35em;font-size:0.8em'>{html.escape(text)}</span>")


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


def stars_view(*, community: str | None, as_of: dt.date | None) -> None:
    fig = bridge.summary_panel(bridge.Scope.of(None, as_of)).stars
    st.subheader("五星支部创建 · 各社区达标星数" + (f" · {fig.tag}" if fig else ""))
    counts = bridge.star_counts(as_of=as_of)
    counts["selected"] = counts["community"] == community
    chart = alt.Chart(counts).mark_bar().encode(
        x=alt.X("community:N", sort=None, title="社区", axis=alt.Axis(labelAngle=0)), y=alt.Y("stars:Q", title="已达标星数",
                                                             scale=alt.Scale(domain=[0, 5])),
        color=charts.when_selected(alt.ColorValue, "#f2dd4e", "#3aa77e"))
    _chart(chart)
    if fig is not None and fig.is_demo:
        widgets.demo_note("星级评定")


def relocation_view(*, community: str | None, as_of: dt.date | None) -> None:
    st.subheader("文化路北延提升改造 · 征迁进度")
    left, right = st.columns([1, 3.2], gap="large")
    with left:
        summary.relocation_metric(bridge.summary_panel(bridge.Scope.of(community, as_of)))
    burn = bridge.relocation_burnup(community=community, as_of=as_of)
    if burn.empty:
        return
    with right:
        long = burn.melt(id_vars=["date"], value_vars=["已签约", "已交钥匙", "已拆除"], var_name="状态",
                         value_name="户数")
        chart = alt.Chart(long).mark_line(strokeWidth=4).encode(
            x=alt.X("date:T", title="日期", axis=alt.Axis(format="%m月%d日")), y=alt.Y("户数:Q", title="户数"),
            color=alt.Color("状态:N", scale=alt.Scale(range=["#f2dd4e", "#3aa77e", "#E8463A"]),
                            legend=alt.Legend(orient="top")))
        total = alt.Chart(burn).mark_rule(strokeDash=[8, 6], color="#e5e7eb").encode(y=alt.Y("总户数:Q"))
        _chart(chart + total)
    with left:
        widgets.demo_note("逐日进度")


VIEWS = {
    "总览": briefing,
    "五星支部": stars_view,
    "示范社区": model_view,
    "征迁": relocation_view,
    "养老": care_view,
}
