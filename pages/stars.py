"""五星支部: star matrix, star counts, progress, what each star rests on, party network, 红色物业."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.bridge import cn_date, cn_number
from ui import bridge, chart_cache, charts, kpi_grid, styled_tables, widgets

bridge.ensure_entrypoint()

STARS = ["支部过硬星", "平安法治星", "共建共享星", "工业兴业星", "幸福和谐星"]
RED_INDICATORS = ["red_property_compounds", "red_property_projects", "red_property_investment_yuan"]

community = bridge.selected_community()
as_of = bridge.as_of()
names = bridge.community_options()

st.title("五星支部")
widgets.as_of_stamp(bridge.header())
st.caption(f"当前范围：{bridge.full_name(community) if community else '全街道（11个社区）'}。"
           "「支部过硬星」「平安法治星」「共建共享星」「工业兴业星」「幸福和谐星」为报道所列五星名称。")


def _card(label: str, display: str, delta: tuple[str, str] | None = None) -> kpi_grid.Card:
    """A card derived from the stars figure: its source tag (示例, 录入 after a staff import, 含示例 when mixed)."""
    text, colour = delta or (None, "normal")
    return kpi_grid.card(stars_fig, header=bridge.header().latest, label=label, display=display, delta=text,
                         flat=colour == "off")


def _delta(progress: pd.DataFrame, unit: str) -> tuple[str, str] | None:
    """Change in stars reached since the previous assessment date (text, colour)."""
    if len(progress) < 2:
        return None
    now, before = progress.iloc[-1], progress.iloc[-2]
    diff = int(now["已达标"]) - int(before["已达标"])
    return (f"{diff:+d}{unit}", "normal") if diff else ("持平", "off")


counts = progress = pd.DataFrame()
with widgets.guard("星级概况"):
    counts = bridge.star_counts(as_of=as_of)
    stars_fig = bridge.summary_panel(bridge.Scope.of(community, as_of)).stars
    progress = bridge.star_progress(community=community, as_of=as_of)
    if counts.empty:
        widgets.no_data("所选日期的五星支部评定")
    else:
        if community:
            row = counts[counts["community"] == community]
            if row.empty:
                widgets.no_data(f"{bridge.full_name(community)}的星级评定")
            else:
                rank = counts["stars"].rank(ascending=False, method="min")
                kpi_grid.grid([
                    _card(f"{bridge.full_name(community)}已达标星数", f"{int(row['stars'].iloc[0])}/5颗",
                          _delta(progress, "颗")),
                    _card("全街道排名", f"第{int(rank[row.index[0]])}名/共{len(counts)}个"),
                    _card("五星平均得分", f"{row['avg_score'].iloc[0]:.1f}分")], columns=3)
        else:
            kpi_grid.grid([
                _card("全街道已达标星数", f"{int(counts['stars'].sum())}/{len(counts) * 5}颗", _delta(progress, "颗")),
                _card("五星全部达标社区", f"{int((counts['stars'] == 5).sum())}个"),
                _card("五星平均得分", f"{counts['avg_score'].mean():.1f}分")], columns=3)
        if stars_fig is not None and stars_fig.is_demo:
            widgets.demo_note("各社区五星评定状态、得分与达标星数")
        if len(progress) >= 2:
            st.caption(f"增减：较上一评定日（{cn_date(progress['date'].iloc[-2])}）。")

with widgets.guard("星级矩阵"):
    st.subheader("社区 × 五星 评定矩阵")
    matrix = bridge.star_matrix(as_of=as_of)
    if matrix.empty:
        widgets.no_data("所选日期的星级评定")
    else:
        chart_cache.draw(charts.star_matrix, matrix, stars=STARS, communities=names, highlight=community, height=460)
        st.caption(f"{widgets.DEMO_BADGE} 格内数字为示例得分（≥85 已达标，40–85 创建中，<40 未启动）。"
                   + (f" 白框为所选的{bridge.full_name(community)}。" if community else ""))
        # Drawn only when asked for: the same cells as the chart above, as a sortable table.
        if st.toggle("表格视图（可排序）", key="stars.table"):
            table = matrix.assign(cell=[f"{s} {v:.0f}" if pd.notna(v) else f"{s}"
                                        for s, v in zip(matrix["status"], matrix["score"], strict=True)])
            assessed = set(table["community"])
            wide = table.pivot(index="community", columns="star", values="cell").reindex(
                index=[n for n in names if n in assessed], columns=STARS)
            wide.index = [f"{bridge.full_name(n)}" for n in wide.index]
            wide.index.name = "社区"
            styled = styled_tables.styled_table(wide.reset_index(), colors=charts.STAR_STATUS_COLORS,
                                                status_cols=STARS, highlight=("社区", f"{bridge.full_name(community)}") if community else None)
            st.dataframe(styled, hide_index=True, width="stretch", height=charts.table_height(len(wide)))

left, right = st.columns(2)
with left, widgets.guard("达标星数"):
    st.subheader("各社区已达标星数")
    if not counts.empty:
        chart_cache.draw(charts.community_bars, counts, value="stars", title="已达标星数（颗）", communities=names,
                         highlight=community, domain_max=5, height=380)
        widgets.demo_note("达标星数")
    else:
        widgets.no_data("达标星数")
with right, widgets.guard("创建进度"):
    st.subheader(f"{bridge.full_name(community) if community else '全街道'}创建进度")
    if progress.empty:
        widgets.no_data("创建进度")
    else:
        chart_cache.draw(charts.stacked_by_date, progress, columns=["已达标", "创建中", "未启动"],
                         colors=charts.STAR_STATUS_COLORS, y_title="社区×星级 项数", height=380)
        widgets.demo_note("各评定日期的状态分布")

with widgets.guard("星级举措"):
    st.subheader("每颗星依托的举措（据报道）")
    measures = bridge.notes_q(kind="星级举措")
    if measures.empty:
        widgets.no_data("星级举措")
    else:
        kpi_grid.boxes([(star, list(rows["text"]), f"原文：“{rows['quote'].iloc[0]}”" if not rows.empty else "")
                        for star in STARS for rows in [measures[measures["subject"] == star]]])

with widgets.guard("党组织网络"):
    st.subheader("党组织网络（全街道）")
    network = bridge.party_network(as_of=as_of)
    if network.empty:
        widgets.no_data("所选日期的党组织网络数字（报道数字截至2023年11月22日）")
    else:
        if community:
            st.caption(f"报道只公布了全街道的数字，未按社区分列；{bridge.full_name(community)}的数字：暂无公开数据。")
        kpi_grid.grid([kpi_grid.card(bridge.figure({**r, "label": r["kind"], "display": f"{r['count']}{r['unit']}"}),
                                     header=bridge.header().latest) for r in network.to_dict("records")],
                      columns=len(network))
        st.caption("来源：新闻报道（悬停数字可见原文）。")

with widgets.guard("红色物业"):
    st.subheader("“红色物业”（中兴社区）")
    if community not in (None, "中兴"):
        widgets.no_data(f"{bridge.full_name(community)}的“红色物业”")
        st.caption("报道只介绍了中兴社区的“红色物业”做法。")
    else:
        red = bridge.facts_q(subject="中兴社区", indicators=RED_INDICATORS, as_of=as_of)
        if red.empty:
            widgets.no_data("所选日期的“红色物业”数字")
        else:
            kpi_grid.grid([kpi_grid.card(bridge.figure(r), header=bridge.header().latest)
                           for r in red.to_dict("records")], columns=len(red))
        compounds = bridge.notes_q(subject="中兴", kind="红色物业小区")
        if not compounds.empty:
            st.markdown("“红色物业”小区：" + "、".join(compounds["text"]) + "（每周召开一次联席会议）")
        projects = bridge.red_property_projects(community="中兴", as_of=as_of)
        if not projects.empty:
            st.markdown(f"**工程项目明细** {widgets.DEMO_BADGE}")
            view = projects.sort_values("completed_on", ascending=False)
            st.dataframe(pd.DataFrame({
                "小区": view["compound"], "项目": view["title"], "类别": view["category"],
                "投资": view["investment_yuan"].map(lambda v: cn_number(v) + "元"),
                "完成日期": view["completed_on"].map(cn_date)}), hide_index=True, width="stretch", height=300)
            widgets.demo_note(f"项目明细（{len(projects)}项，合计{cn_number(projects['investment_yuan'].sum())}元）")
