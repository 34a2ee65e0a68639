"""Big-screen views: the briefing layout and one large view per panel, for the carousel.

Everything is sized from the viewport (see `_SCREEN_CSS` in ui/chrome.py): text in rem, the map and the
charts in keyed containers whose height is a share of the screen height, chart text from the chart width.
So one layout fits 1920×1080 and 3840×2160 alike without scrolling.
"""
from __future__ import annotations

import datetime as dt
import html

import streamlit as st

from ui import bridge, map_view, summary, wall_chart, wall_css, widgets
from ui.wall_care import care_view
from ui.wall_model import model_view
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
        map_view.render(key_prefix="screen", height=460, controls=False, checks=False, metric="model",
                        label_px=wall_css.MAP_LABEL_PX, fit_width=wall_css.MAP_FIT_WIDTH_PX, note=False)
    with right:
        with widgets.guard("征迁"):
            summary.relocation_metric(panel, warnings=False)  # said by the 较上次汇报 strip above (no room for both)
        with widgets.guard("养老"):
            summary.care_metric(panel)
    with widgets.guard("街道概况"):
        if panel.overview:
            _figures_strip(panel.overview, panel.header.latest)


VIEWS = {
    "总览": briefing,
    "五星支部": stars_view,
    "示范社区": model_view,
    "征迁": relocation_view,
    "养老": care_view,
}
