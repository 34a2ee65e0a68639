"""文化路北延征迁: headline figures with quotes, milestones, burn-up, per-household table."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ui.bridge import cn_date, cn_number
from ui import bridge, chart_cache, charts, kpi_grid, styled_tables, widgets

bridge.ensure_entrypoint()

SERIES = ["已签约", "已交钥匙", "已拆除"]
LADDER_COLORS = {"未签约": charts.MUTED, **charts.HOUSEHOLD_COLORS}
DAY_FIGS = ["demolition_1122_buildings", "demolition_1122_rooms", "demolition_1122_m2"]
TABLE_ROWS = 200  # households listed at most; the database returns only these (household_status(limit=))

community = bridge.selected_community()
as_of = bridge.as_of()
stamp = bridge.data_as_of(as_of=as_of)

st.title("文化路北延提升改造征迁")
widgets.as_of_stamp(bridge.header())


def _card(fig, label: str, *, display: str | None = None, delta=None) -> kpi_grid.Card:
    """A KPI card for a Figure; `delta` (lib.figures.Delta) only when the comparison date has data."""
    return kpi_grid.card(fig, header=stamp, label=label, display=display,
                         delta=delta.text if delta and delta.has_data else None, flat=bool(delta and delta.flat))


# Households are recorded per community (demo); a community without any gets the project-wide view.
scope = None
with widgets.guard("范围"):
    if community:
        if not sum(bridge.household_counts(community=community, as_of=as_of).values()):
            widgets.no_data(f"{bridge.full_name(community)}的文化路北延征迁")
            st.caption("示例逐户数据中没有登记在该社区的涉迁户；以下为项目整体情况。")
        else:
            scope = community
    st.caption(f"当前范围：{scope + '社区（涉迁户所在社区依示意线位推定）' if scope else '项目整体（全街道）'}")

headline = None
with widgets.guard("征迁概况"):
    headline = bridge.relocation_headline(community=scope, as_of=as_of)
    if not headline.total.value:
        headline = None
        widgets.no_data("所选日期的征迁进度（文化路北延工程建设指挥部于2023年11月成立）")
    else:
        compare = st.columns([1, 2])[0].date_input("签约数对比日期（留空为7天前）", value=None, format="YYYY-MM-DD",
                                                   key="relocation.compare", max_value=stamp)
        base_day = as_of or stamp
        compare = compare or (base_day - dt.timedelta(days=7) if base_day else None)
        delta = None
        if compare and base_day and compare < base_day:
            before = bridge.relocation_headline(community=scope, as_of=compare)
            delta = bridge.compare(headline.signed, before.signed if before.total.value else None, compare, unit="户")
        kpi_grid.grid([_card(headline.total, "涉迁户"), _card(headline.signed, "已签订协议", delta=delta),
                       _card(headline.signed, "尚在签订中", display=f"{headline.pending}户"),
                       _card(headline.demolished_m2, "累计完成拆迁")], columns=4)  # one element
        since = f"签约增减：{delta.sentence}" if delta else ""
        if headline.signed.is_demo or headline.total.is_demo:
            widgets.demo_note("所选日期或社区的签约户数与拆迁面积（报道数字截至2023年11月22日）")
            st.caption(since)
        else:
            st.caption(f"来源见各数字下方标注（悬停可见原文）。尚在签订中 = 涉迁户 − 已签订协议。{since}")
        day = headline.official[headline.official["indicator"].isin(DAY_FIGS)] if scope is None else pd.DataFrame()
        if not day.empty:
            st.markdown("**2023年11月22日 集中拆除**")
            kpi_grid.grid([kpi_grid.card(bridge.figure(r), header=stamp, label=r["label"].replace("11月22日", ""))
                           for r in day.to_dict("records")], columns=len(day))
        if not headline.official.empty:
            with st.expander("报道中的全部征迁数字（附原文）"):
                off = headline.official
                st.dataframe(pd.DataFrame({"指标": off["label"], "数值": off["display"], "报道原文": off["quote"]}),
                             hide_index=True, width="stretch")

with widgets.guard("时间线"):
    st.subheader("工作时间线")
    ms = bridge.relocation_milestones(as_of=as_of)
    if ms.empty:
        widgets.no_data("所选日期之前的征迁节点")
    else:
        for r in ms.itertuples():
            with st.container(border=True):
                st.markdown(f"**{cn_date(r.happened_on, precision=r.date_precision)}** · {r.title}")
                if r.detail:
                    st.write(r.detail)
                st.caption(f"来源：{widgets.kind_label(r.source_kind)}。原文：“{r.quote}”")

with widgets.guard("进度曲线"):
    st.subheader("签约 / 交钥匙 / 拆除 累计进度")
    burn = bridge.relocation_burnup(community=scope, as_of=as_of)
    if burn.empty or headline is None:
        widgets.no_data("所选日期的逐日进度")
    else:
        total = float(headline.total.value)
        label = f"涉迁户 {int(total)} 户（{headline.total.tag}）"
        chart_cache.draw(charts.burnup, burn, series=SERIES, total=total, total_label=label, height=380)
        last = burn.iloc[-1]
        widgets.demo_note(f"逐日进度（{cn_date(last['date'])}：已签约{last['已签约']}户、已交钥匙{last['已交钥匙']}户、"
                          f"已拆除{last['已拆除']}户、拆除面积{cn_number(last['拆除面积'])}平方米）")
        st.caption("示例数据按报道总数校准：2023年11月22日已签约62户、累计拆迁6100余平方米。")

with widgets.guard("逐户状态"):
    st.subheader("逐户状态（匿名编号）")
    counts = bridge.household_counts(community=scope, as_of=as_of)  # all households, counted in the database
    total = sum(counts.values())
    hh = bridge.household_status(community=scope, as_of=as_of, limit=TABLE_ROWS) if total else pd.DataFrame()
    if hh.empty:
        widgets.no_data("所选日期的逐户状态")
    else:
        st.markdown("　".join(f"{s}：**{int(counts.get(s, 0))}户**" for s in LADDER_COLORS) + f"　{widgets.DEMO_BADGE}")
        if total > len(hh):  # district size: the table lists the first rows, the counts above cover all
            st.caption(f"共 {total:,} 户，表中列出按编号排序的前 {len(hh):,} 户；在侧栏选择社区可缩小范围。")
        table = pd.DataFrame({
            "编号": hh["code"], "所在社区（示意）": hh["community"].map(lambda v: f"{bridge.full_name(v)}" if v else "—"),
            "状态": hh["status"], "状态日期": hh["since"].map(cn_date), "建筑面积（平方米）": hh["floor_area_m2"],
            "拆除面积（平方米）": hh["demolished_area_m2"]})
        st.dataframe(styled_tables.styled_table(table, colors=LADDER_COLORS, status_cols=["状态"]), hide_index=True,
                     width="stretch", height=charts.table_height(len(table), max_rows=10),
                     column_config={"建筑面积（平方米）": st.column_config.NumberColumn(format="%.1f"),
                                    "拆除面积（平方米）": st.column_config.NumberColumn(format="%.1f")})
        widgets.demo_note("逐户编号、状态与面积")
