"""概览与地图: the subdistrict's real figures, the map, and the selected community's card."""
from __future__ import annotations

import streamlit as st

from ui import alerts_view, bridge, briefing_downloads, map_view, summary, widgets

bridge.ensure_entrypoint()

community = bridge.selected_community()
as_of = bridge.as_of()

st.title("光武街道基层治理看板" if community is None else bridge.scope().title)
widgets.as_of_stamp(bridge.header())
briefing_downloads.section(community=community, as_of=as_of)

with widgets.guard("预警"):
    alerts_view.strip(community=community, as_of=as_of)

with widgets.guard("街道概况"):
    summary.overview_grid(community, as_of)

map_col, card_col = st.columns([3, 2], gap="medium")
with map_col, widgets.guard("地图"):
    map_view.render(key_prefix="overview")
with card_col, widgets.guard("社区卡片"):
    if community is None:
        summary.panel_summaries(None, as_of)
    else:
        summary.community_card(community, as_of=as_of)
    briefing_downloads.png_button(community=community, as_of=as_of, key="overview", width="stretch")
