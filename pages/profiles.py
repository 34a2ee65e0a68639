"""社区档案: the subdistrict profile and the 11 communities, or everything known about one community
(the view: ui/views/profiles.py)."""
from __future__ import annotations

import streamlit as st

from ui import bridge, charts, kpi_grid, styled_tables, widgets
from ui.views import profiles

bridge.ensure_entrypoint()

community = bridge.selected_community()
as_of = bridge.as_of()
signed_in = bridge.signed_in()  # cards name staff to signed-in viewers only
stamp = bridge.header()
latest = stamp.latest  # the 「最新数据」 date: a card's tag names its own date when it differs

st.title(f"社区档案 · {bridge.full_name(community)}" if community else "社区档案 · 光武街道")
widgets.as_of_stamp(stamp)


def show(grid: profiles.Grid) -> None:
    """A grid of fact cards (one element), with its subject above, its notes and its sources below."""
    if grid.title:
        st.markdown(f"**{grid.title}**")
    kpi_grid.grid(list(grid.cards), columns=grid.columns)
    for note in grid.notes:
        st.caption(note)
    if grid.source:
        st.caption(grid.source)


def subdistrict() -> None:
    with widgets.guard("街道概况"):
        st.subheader("街道概况")
        overview = profiles.overview(as_of, signed_in, latest)
        if overview is None:
            widgets.no_data("截至所选日期的街道概况")
        else:
            show(overview)
    for subject, title in profiles.ECONOMY:
        with widgets.guard(title):
            st.subheader(title)
            grid = profiles.economy(subject, as_of, signed_in, latest)
            if grid is None:
                widgets.no_data(f"截至所选日期的{subject}数字")
            else:
                show(grid)
    with widgets.guard("各社区一览"):
        st.subheader("11个社区一览")
        table, caption = profiles.communities(as_of)
        styled = styled_tables.styled_table(table, key=("profiles.communities", as_of),
                                            colors=charts.MODEL_STATUS_COLORS, status_cols=["示范社区状态"])
        st.dataframe(styled, hide_index=True, width="stretch", height=charts.table_height(len(table)),
                     column_config={"荣誉": st.column_config.TextColumn(width="large"),
                                    "设施与场所": st.column_config.TextColumn(width="large")})
        st.caption(caption)


def one_community(name: str) -> None:
    profile = None
    with widgets.guard("社区档案"):
        profile = bridge.community_profile(name, as_of=as_of)
    if profile is None:
        return
    said = f" · 原文：“{widgets.md_escape(profile.side_quote)}”" if profile.side_quote else ""
    st.caption(f"{profile.full_name} · {profile.side}{said}")
    with widgets.guard("状态"):
        status = profiles.status(name, as_of, signed_in, latest)
        for missing in status.missing:
            widgets.no_data(missing)
        kpi_grid.grid(list(status.cards), columns=2)  # one element for both cards
        if status.stars_note:
            st.caption(status.stars_note)
    with widgets.guard("公开数字"):
        figures = profiles.figures(name, as_of, signed_in, latest)
        if not figures.published:
            st.info(figures.empty_note, icon=":material/info:")
        else:
            if figures.own is not None:
                st.subheader("社区概况")
                show(figures.own)
            for grid in figures.others:
                show(grid)
    with widgets.guard("荣誉与概况"):
        notes = profiles.notes(name, as_of)
        if notes.honours:
            st.subheader("荣誉")
            st.markdown(notes.honours)
            for quote in notes.quotes:
                st.caption(quote)
        for line, quote in notes.lines:
            st.markdown(line)
            st.caption(quote)
    with widgets.guard("辖区设施"):
        facilities = profiles.facilities(name, as_of, signed_in, latest)
        if facilities is not None:
            st.subheader("辖区养老设施")
            st.dataframe(facilities.table, hide_index=True, width="stretch")


if community:
    one_community(community)
else:
    subdistrict()
