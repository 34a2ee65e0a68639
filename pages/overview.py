"""概览与地图: the subdistrict's real figures, the map, and the selected community's card."""
from __future__ import annotations

import streamlit as st

from ui import bridge, briefing_downloads, map_view, summary, widgets

bridge.ensure_entrypoint()

community = bridge.selected_community()
as_of = bridge.as_of()

st.title("光武街道基层治理看板" if community is None else f"光武街道 · {community}社区")
widgets.as_of_stamp(bridge.data_as_of(as_of=as_of), chosen=as_of)
briefing_downloads.section(community=community, as_of=as_of)

with widgets.guard("街道概况"):
    figures = bridge.subdistrict_overview(as_of=as_of)
    if figures.empty:
        widgets.no_data("街道概况")
    else:
        rows = [figures.iloc[i:i + 5] for i in range(0, len(figures), 5)]  # row-major, so wrapping reads well
        for chunk in rows:
            for col, (_, row) in zip(st.columns(5), chunk.iterrows(), strict=False):
                with col:
                    widgets.fact_metric(row)
        st.caption("以上数字均出自新闻报道，悬停查看原文。")

map_col, card_col = st.columns([3, 2], gap="medium")
with map_col, widgets.guard("地图"):
    map_view.render(key_prefix="overview")
with card_col, widgets.guard("社区卡片"):
    if community is None:
        summary.panel_summaries(as_of=as_of)
    else:
        summary.community_card(community, as_of=as_of)
    st.download_button("导出简报图片（PNG）", data=lambda: summary.briefing_png(community=community, as_of=as_of),
                       file_name="光武街道简报.png", mime="image/png", key="overview.export",
                       icon=":material/download:", width="stretch")
