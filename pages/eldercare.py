"""养老服务: the care centre (beds, residents, occupancy trend with a free-bed warning), the day-care
centre, services (六助, 15分钟养老服务站) and facility notes (the view: ui/views/eldercare.py)."""
from __future__ import annotations

import streamlit as st

from ui import bridge, chart_cache, charts, kpi_grid, widgets
from ui.views import eldercare

bridge.ensure_entrypoint()

community = bridge.selected_community()
as_of = bridge.as_of()
signed_in = bridge.signed_in()  # cards name staff to signed-in viewers only
stamp = bridge.header()

st.title("养老服务")
widgets.as_of_stamp(stamp, f"当前范围：{bridge.full_name(community) if community else '全街道'}")

facilities: tuple[eldercare.Facility, ...] = ()
with widgets.guard("养老设施"):
    found = eldercare.facilities(community)
    facilities = found.facilities
    if found.missing:
        widgets.no_data(found.missing)
    if found.where:
        st.caption(found.where)


def _centre(fac: eldercare.Facility) -> None:
    """The one facility with a bed count: figures, occupancy card, trend with the warning line."""
    cards, pick = st.columns([3.5, 1])
    default = int(bridge.app_settings().care_free_beds_warning)
    warn = pick.number_input("空床预警值（张）", min_value=0, max_value=fac.beds, value=min(default, fac.beds), step=1,
                             key="care.threshold" + ("" if fac.key == "care_centre" else f".{fac.key}"),
                             help="空床少于该数时标红；默认值取自系统设置")  # one widget per facility with beds
    view = eldercare.centre(fac.key, as_of, warn, signed_in, stamp.latest)
    with cards:
        kpi_grid.grid(list(view.cards), columns=3)  # one element
    if not view.reported:
        st.caption("报道数字截至2023年11月22日；所选日期之前：暂无公开数据。")
    if view.day is None:
        widgets.no_data("所选日期的入住人数")
        return
    if view.warning:
        st.error(view.warning, icon=":material/warning:")
    else:
        st.success(view.status, icon=":material/check_circle:")
    st.caption(view.caption)
    head, pick = st.columns([3, 2], vertical_alignment="bottom")
    head.markdown("**每日入住趋势**")
    window = pick.segmented_control("时间范围", list(eldercare.WINDOWS), default=eldercare.DEFAULT_WINDOW,
                                    key="care.window", label_visibility="collapsed") or eldercare.DEFAULT_WINDOW
    trend, series = eldercare.trend(fac.key, fac.beds, as_of, warn, window)
    if trend is None:
        return
    chart_cache.draw(charts.occupancy, series, beds=trend.beds, threshold=trend.threshold, height=360,
                     key=("eldercare", fac.key, as_of, warn, window))
    if trend.sparse:
        st.caption(trend.sparse)
    st.caption(trend.legend)
    widgets.demo_note("每日入住人数")
    if trend.exception:
        st.caption(trend.exception)


bedded = [f for f in facilities if f.beds is not None]
if len(bedded) > 1:  # many facilities: one summary table, then the details of the one picked
    overview = None
    with widgets.guard("床位概况"), st.container(border=True):
        st.subheader("床位概况")
        warn = int(bridge.app_settings().care_free_beds_warning)
        overview = eldercare.overview(community, as_of, warn, signed_in, stamp.latest)
        if overview is not None:
            kpi_grid.grid(list(overview.cards), columns=4)
            st.dataframe(overview.table, hide_index=True, width="stretch", height=charts.table_height(overview.rows),
                         column_config={"入住率": st.column_config.ProgressColumn("入住率", format="%.0f%%",
                                                                                 min_value=0, max_value=100)})
            st.caption(overview.caption)
    if overview is not None:
        names = dict(overview.choices)
        keys = list(names)
        chosen = st.selectbox("查看设施详情", keys, index=keys.index("care_centre") if "care_centre" in names else 0,
                              format_func=names.get, key="care.facility")
        facilities = tuple(f for f in facilities if f.key == chosen or f.beds is None)

for fac in facilities:
    with widgets.guard(fac.name), st.container(border=True):
        st.subheader(widgets.md_escape(fac.name))
        st.caption(fac.caption)
        if fac.beds is not None:
            _centre(fac)
        else:
            st.info("床位数：暂无公开数据（报道未公布该设施的床位数）。", icon=":material/info:")
            if fac.part_of:
                st.write(f"是光武街道{eldercare.CENTRE_SUBJECT}的组成部分。")
                st.caption(f"来源：新闻报道。原文：“{widgets.md_escape(fac.part_of)}”")

if facilities:
    with widgets.guard("服务与合作"):
        st.subheader("服务内容（据报道）")
        boxes, lines = eldercare.services()
        kpi_grid.boxes(list(boxes), empty="")  # one element for every service
        for line, quote in lines:
            st.markdown(line)
            st.caption(quote)
