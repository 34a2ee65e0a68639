"""五星支部: star matrix, star counts, progress, what each star rests on, party network, 红色物业."""
from __future__ import annotations

import streamlit as st

from ui import bridge, chart_cache, charts, kpi_grid, styled_tables, widgets
from ui.views import stars as view

bridge.ensure_entrypoint()

STARS = list(view.STARS)

community = bridge.selected_community()
as_of = bridge.as_of()
names = bridge.community_options()
signed_in = bridge.signed_in()
key = (community, as_of)  # with the data version, what every chart's frames were read for (chart_cache.draw)

st.title("五星支部")
widgets.as_of_stamp(bridge.header(),
                    f"当前范围：{bridge.full_name(community) if community else '全街道（11个社区）'}。"
                    "「支部过硬星」「平安法治星」「共建共享星」「工业兴业星」「幸福和谐星」为报道所列五星名称。")

with widgets.guard("星级概况"):
    summary = view.summary(community, as_of, signed_in)
    if summary.missing:
        widgets.no_data(summary.missing)
    kpi_grid.grid(list(summary.cards), columns=3, note=summary.delta_note,
                  demo="各社区五星评定状态、得分与达标星数" if summary.demo else "", mixed=summary.mixed)

with widgets.guard("星级矩阵"):
    st.subheader("社区 × 五星 评定矩阵")
    matrix = bridge.star_matrix(as_of=as_of)
    if matrix.empty:
        widgets.no_data("所选日期的星级评定")
    else:
        chart_cache.draw(charts.star_matrix, matrix, stars=STARS, communities=names, highlight=community, height=460,
                         key=key)
        st.caption(widgets.source_sentence("格内得分（≥85 已达标，40–85 创建中，<40 未启动）", matrix)
                   + (f" 白框为所选的{bridge.full_name(community)}。" if community else ""))
        # Drawn only when asked for: the same cells as the chart above, as a sortable table.
        if st.toggle("表格视图（可排序）", key="stars.table"):
            wide = view.matrix_table(as_of)
            styled = styled_tables.styled_table(wide, colors=charts.STAR_STATUS_COLORS, status_cols=STARS,
                                                highlight=("社区", bridge.full_name(community)) if community else None,
                                                key=key)
            st.dataframe(styled, hide_index=True, width="stretch", height=charts.table_height(len(wide)))

left, right = st.columns(2)
with left, widgets.guard("达标星数"):
    st.subheader("各社区已达标星数")
    counts = bridge.star_counts(as_of=as_of)
    if not counts.empty:
        chart_cache.draw(charts.community_bars, counts, value="stars", title="已达标星数（颗）", communities=names,
                         highlight=community, domain_max=5, height=380, key=key)
        st.caption(widgets.source_sentence("达标星数", counts))
    else:
        widgets.no_data("达标星数")
with right, widgets.guard("创建进度"):
    st.subheader(f"{bridge.full_name(community) if community else '全街道'}创建进度")
    progress = bridge.star_progress(community=community, as_of=as_of)
    if progress.empty:
        widgets.no_data("创建进度")
    else:
        chart_cache.draw(charts.stacked_by_date, progress, columns=["已达标", "创建中", "未启动"],
                         colors=charts.STAR_STATUS_COLORS, y_title="社区×星级 项数", height=380, key=key)
        widgets.demo_caption("各评定日期的状态分布", progress["source_kind"])  # a date's distribution counts demo cells

with widgets.guard("星级举措"):
    st.subheader("每颗星依托的举措（据报道）")
    measures = view.measures()
    if not measures:
        widgets.no_data("星级举措")
    else:
        kpi_grid.boxes([(star, list(texts), note) for star, texts, note in measures])

with widgets.guard("党组织网络"):
    st.subheader("党组织网络（全街道）")
    network = view.network(community, as_of, signed_in)
    if not network:
        widgets.no_data("所选日期的党组织网络数字（报道数字截至2023年11月22日）")
    else:
        kpi_grid.grid(list(network), columns=len(network), note="来源：新闻报道（点按数字可见原文）。" + (
            f"\n报道只公布了全街道的数字，未按社区分列；{bridge.full_name(community)}的数字：暂无公开数据。"
            if community else ""))

with widgets.guard("红色物业"):
    st.subheader("“红色物业”（中兴社区）")
    if community not in (None, "中兴"):
        widgets.no_data(f"{bridge.full_name(community)}的“红色物业”")
        st.caption("报道只介绍了中兴社区的“红色物业”做法。")
    else:
        red = view.red_property(community, as_of, signed_in)
        if not red.cards:
            widgets.no_data("所选日期的“红色物业”数字")
        else:
            kpi_grid.grid(list(red.cards), columns=len(red.cards))
        if red.compounds:
            st.markdown(widgets.md_escape(red.compounds))
        if red.projects is not None:
            st.markdown(f"**工程项目明细** {widgets.DEMO_BADGE}")
            st.dataframe(red.projects, hide_index=True, width="stretch", height=300)
            widgets.demo_note(red.projects_note)
