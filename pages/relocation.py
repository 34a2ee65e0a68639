"""文化路北延征迁: headline figures with quotes, milestones, burn-up, per-household table (the view: ui/views)."""
from __future__ import annotations

import streamlit as st

from ui import bridge, chart_cache, charts, kpi_grid, styled_tables, widgets
from ui.views import relocation

bridge.ensure_entrypoint()

community = bridge.selected_community()
as_of = bridge.as_of()
stamp = bridge.data_as_of(as_of=as_of, community=community)
signed_in = bridge.signed_in()  # cards name staff to signed-in viewers only

st.title("文化路北延提升改造征迁")

# Households are recorded per community (demo); a community without any gets the project-wide view.
reach = None
with widgets.guard("范围"):
    reach = relocation.reach(community, as_of)
widgets.as_of_stamp(bridge.header(), reach.caption if reach else "")  # 「当前范围」 under 「最新数据」
if reach and reach.missing:
    widgets.no_data(f"{reach.missing}的文化路北延征迁")
    st.caption("逐户记录中没有登记在该社区的涉迁户；以下为项目整体情况。")
scope = reach.scope if reach else None

with widgets.guard("征迁概况"):
    if not (reach and reach.has_headline):
        widgets.no_data("所选日期的征迁进度（文化路北延工程建设指挥部于2023年11月成立）")
    else:
        compare = st.columns([1, 2])[0].date_input("签约数对比日期（留空为7天前）", value=None, format="YYYY-MM-DD",
                                                   key="relocation.compare", max_value=stamp)
        headline = relocation.headline(scope, as_of, compare, signed_in)
        # one element, its notes included: what is demo data, or where the figures come from; the comparison
        kpi_grid.grid(list(headline.cards), columns=4,
                      demo="所选日期或社区的签约户数与拆迁面积（报道数字截至2023年11月22日）" if headline.demo else "",
                      mixed=headline.mixed,
                      note=headline.since if headline.demo else
                      f"来源见各数字下方标注（点按数字可见原文）。尚在签订中 = 涉迁户 − 已签订协议。{headline.since}")
        if headline.day_cards:
            st.markdown("**2023年11月22日 集中拆除**")
            kpi_grid.grid(list(headline.day_cards), columns=len(headline.day_cards))
        if headline.official is not None:
            with st.expander("报道中的全部征迁数字（附原文）"):
                st.dataframe(headline.official, hide_index=True, width="stretch")

with widgets.guard("时间线"):
    st.subheader("工作时间线")
    timeline = relocation.timeline(as_of)
    if not timeline:
        widgets.no_data("所选日期之前的征迁节点")
    else:
        st.html(timeline)  # every milestone in one element

with widgets.guard("进度曲线"):
    st.subheader("签约 / 交钥匙 / 拆除 累计进度（逐户记录）")
    progress, burn = relocation.progress(scope, as_of)
    if progress is None:
        widgets.no_data("所选日期的逐日进度")
    else:
        chart_cache.draw(charts.burnup, burn, series=relocation.SERIES, total=progress.total,
                         total_label=progress.total_label, height=380, key=("relocation", scope, as_of))
        if progress.demo:
            widgets.demo_note(progress.note)
        else:
            st.caption(progress.note)
        if progress.calibrated:
            st.caption(relocation.CALIBRATED)
        for warning in progress.warnings:  # the cards above say it too: the curve must not contradict them silently
            st.warning(widgets.md_escape(warning), icon=":material/warning:")

with widgets.guard("逐户状态"):
    st.subheader("逐户状态（匿名编号）")
    households, table = relocation.households(scope, as_of)
    if households is None:
        widgets.no_data("所选日期的逐户状态")
    else:
        st.markdown(households.counts)
        if households.more:  # district size: the table lists the first rows, the counts above cover all
            st.caption(households.more)
        styled = styled_tables.styled_table(table, key=("relocation.households", scope, as_of),
                                            colors=relocation.LADDER_COLORS, status_cols=["状态"])
        st.dataframe(styled, hide_index=True, width="stretch", height=charts.table_height(len(table), max_rows=10),
                     column_config={"建筑面积（平方米）": st.column_config.NumberColumn(format="%.1f"),
                                    "拆除面积（平方米）": st.column_config.NumberColumn(format="%.1f")})
        widgets.demo_caption("逐户编号、状态与面积", households.kinds)
