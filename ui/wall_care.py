"""The wall's 养老 view: the care centre's beds (free beds against the warning), its occupancy trend, the
15-minute walking circle on the map, and the 「六助」 services the article names (issue #14).

Facts come from lib.wall_content (the article's words); the ring is geo.service_area's (EPSG:4547 buffer).
"""
from __future__ import annotations

import datetime as dt
import html

import altair as alt
import streamlit as st

from geo.service_area import LEGEND, WALK_RADIUS_M
from ui import bridge, map_view, summary, wall_chart, widgets

ARTICLE = {"source_kind": "article"}
# Text from 4 m: nothing below 2.2 % of the screen height (ui/wall_css.py), the tags included.
CSS = """<style>
.gw-services { font-size: 2.4vh; line-height: 1.3; color: #e5e7eb; }
.gw-services li { white-space: nowrap; font-size: 2.4vh !important; }
.gw-services .gw-tag { font-size: 2.3vh !important; }
</style>"""


def _services_html(circle) -> str:
    """The named 「六助」 services, each with its 报道 tag, the quote, and what the article leaves unnamed."""
    tag = wall_chart.tag_html(bridge.figure(ARTICLE), None)
    items = "".join(f"<li class='gw-service'>{html.escape(s)} {tag}</li>" for s in circle.services)
    rest = (f"<div class='gw-service-rest'>“{circle.services_word}”中另{circle.unnamed}项报道未列明，不作列举。</div>"
            if circle.unnamed else "")
    quote = f"<div class='gw-quote'>原文：“{html.escape(circle.services_quote)}”</div>" if circle.services_quote else ""
    if circle.station_quote:  # the ring on the map rests on these words; its centre is a schematic point
        quote += f"<div class='gw-quote'>地图圆心（示意位置）：“{html.escape(circle.station_quote)}”</div>"
    return (f"{CSS}<div class='gw-services'><div class='gw-services-title'>“{circle.services_word}”上门服务（据报道）</div>"
            f"<ul style='margin:0.2em 0;padding-left:1.2em'>{items}</ul>{rest}{quote}</div>")


def _trend(as_of: dt.date | None) -> None:
    series = bridge.occupancy_series(facility="care_centre", as_of=as_of)
    if series.empty:
        return
    recent = series.tail(90)
    line = alt.Chart(recent).mark_area(line={"color": "#f2dd4e"}, color="#f2dd4e33").encode(
        x=alt.X("day:T", title="日期", axis=alt.Axis(format="%-m月%-d日")),
        y=alt.Y("occupied:Q", title="入住人数", scale=alt.Scale(domain=[0, int(recent["beds"].max())])))
    beds = alt.Chart(recent).mark_rule(color="#E8463A", strokeWidth=3).encode(y=alt.Y("beds:Q"))
    # the red line says what it is on the chart itself: nobody hovers on the wall
    named = alt.Chart(recent.tail(1)).mark_text(
        align="right", baseline="bottom", dy=-6, color="#E8463A", fontSize=wall_chart.TEXT,
        text=f"床位 {int(recent['beds'].iloc[-1])}张").encode(x="day:T", y="beds:Q")
    wall_chart.chart(line + beds + named)
    if recent["is_demo"].astype(bool).any():  # some days are demo data: say which are not, each with its source
        known = widgets.not_demo_days(recent)
        widgets.demo_note(f"每日入住（{known}除外）" if known else "每日入住")


def care_view(*, community: str | None, as_of: dt.date | None) -> None:
    circle = bridge.wall_care_circle()
    st.subheader("综合养老服务中心 · 床位入住 · 15分钟养老服务圈")
    if community and not bridge.wall_has_care(community=community, as_of=as_of):
        where = f"{circle.community}社区" if circle.community else "街道"
        st.caption(f"{community}社区没有养老服务设施；以下为全街道的{circle.centre}（位于{where}）。")
        community = None
    left, centre, right = st.columns([1, 1.8, 1.2], gap="medium")
    with left:
        summary.care_metric(bridge.summary_panel(bridge.Scope.of(community, as_of)))
        st.html(_services_html(circle))
    with centre, st.container(key="screen-map"):  # the wall's map frame, 43 % of the height (ui/wall_css.py)
        # The ring and its assumption are named in the map's legend (geo.service_area.LEGEND).
        rings = [(circle.lon, circle.lat, WALK_RADIUS_M, LEGEND)] if circle.lon is not None else []
        map_view.render(key_prefix="screen.care", height=420, controls=False, checks=False, metric="care",
                        circles=rings, note=False)
    with right:
        _trend(as_of)
