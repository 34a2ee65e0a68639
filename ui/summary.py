"""Key figures of the four panels, and the selected community's card (overview and big screen).
The cards themselves are built and kept per scope in ui/views/overview.py; this module draws them."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from lib.panels import SummaryPanel
from ui import bridge, kpi_grid, widgets
from ui.views import overview as views


def relocation_metric(p: SummaryPanel, *, warnings: bool = True) -> None:
    kpi_grid.metric(views.relocation_card(p, warnings=warnings))


def care_metric(p: SummaryPanel) -> None:
    kpi_grid.metric(views.care_card(p))


def stars_metric(p: SummaryPanel) -> None:
    kpi_grid.metric(views.stars_card(p))


def model_metric(p: SummaryPanel) -> None:
    kpi_grid.metric(views.model_card(p))


def overview_grid(community: str | None, as_of: dt.date | None) -> None:
    """The subdistrict's figures (街道概况), one element, with the note on their tags. Not drawn for a community:
    its card and four panels stand there instead, and 「街道概况：暂无公开数据」 would deny the published figures."""
    if community is not None:
        st.empty()  # keeps the slot: the map below stays where it was, so a new selection does not remount it
        return
    grid = views.overview_grid(community, as_of)
    if not grid.cards:
        widgets.no_data("街道概况")
    else:
        kpi_grid.grid(list(grid.cards), columns=5, note=grid.note)


def panel_summaries(community: str | None, as_of: dt.date | None) -> None:
    """The four panels' key figures in a 2 × 2 grid, drawn as one element."""
    with widgets.guard("四个板块"):
        kpi_grid.grid(list(views.panel_cards(community, as_of).cards), columns=2)


def community_card(name: str, *, as_of: dt.date | None) -> None:
    card = views.community_card(name, as_of)
    with st.container(border=True):
        st.subheader(card.title)
        st.caption(card.side)
        if card.empty:
            st.info(card.empty, icon=":material/info:")
        else:
            kpi_grid.lines(list(card.lines), more=card.more)
        if card.honours:
            st.markdown(card.honours)
    panel_summaries(name, as_of)


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
                           layers=bridge.map_layers(), colors=colors, selected=community, legend=legend,
                           origin=bridge.map_origin())
