"""养老服务: the care centre (beds, residents, occupancy trend with a free-bed warning), the day-care
centre, services (六助, 15分钟养老服务站) and facility notes."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ui.bridge import cn_date, cn_number, percent
from ui import bridge, chart_cache, charts, widgets

bridge.ensure_entrypoint()

CENTRE_SUBJECT = "综合养老服务中心"
CENTRE_FIGS = ["care_area_m2", "care_beds", "care_residents"]
WINDOWS = {"近90天": 90, "近1年": 365, "全部": None}  # the daily chart's span, ending on the shown day
DEFAULT_WINDOW = "近1年"

community = bridge.selected_community()
as_of = bridge.as_of()
stamp = bridge.header()

st.title("养老服务")
widgets.as_of_stamp(stamp)
st.caption(f"当前范围：{bridge.full_name(community) if community else '全街道'}")

facilities = pd.DataFrame()
with widgets.guard("养老设施"):
    facilities = bridge.care_facilities(community=community)
    if facilities.empty and not community:
        widgets.no_data("养老服务设施")
    elif facilities.empty:
        where = "、".join(sorted(set(bridge.care_facilities()["community"].dropna())))
        widgets.no_data(f"{bridge.full_name(community)}的养老服务设施")
        st.caption(f"报道提到的养老服务设施均位于{bridge.full_name(where)}；选择“全街道”或{bridge.full_name(where)}可查看。")


def _centre(fac) -> None:
    """The one facility with a bed count: figures, occupancy card, trend with the warning line."""
    figs = bridge.facts_q(subject=CENTRE_SUBJECT, indicators=CENTRE_FIGS, as_of=as_of)
    cols = st.columns([1.2, 1, 1.3, 1])
    for col, r in zip(cols[:2], figs[figs["indicator"] != "care_residents"].to_dict("records"), strict=False):
        with col:
            widgets.fact_metric(r)
    if figs.empty:
        st.caption("报道数字截至2023年11月22日；所选日期之前：暂无公开数据。")
    beds = int(fac.beds)
    default = int(bridge.app_settings().care_free_beds_warning)
    warn = cols[3].number_input("空床预警值（张）", min_value=0, max_value=beds, value=min(default, beds), step=1,
                                key="care.threshold" + ("" if fac.key == "care_centre" else f".{fac.key}"),
                                help="空床少于该数时标红；默认值取自系统设置")  # one widget per facility with beds
    occ = bridge.current_occupancy(facility=fac.key, as_of=as_of)
    if occ.occupied is None:
        widgets.no_data("所选日期的入住人数")
        return
    residents = figs[(figs["indicator"] == "care_residents") & (figs["valid_from"] == occ.day)]
    quote = residents["quote"].iloc[0] if not residents.empty and not occ.is_demo else None
    now = occ.figure(f"入住（{cn_date(occ.day)}）", quote=quote)
    target = occ.day - dt.timedelta(days=7)
    week = bridge.current_occupancy(facility=fac.key, as_of=target)
    delta = bridge.compare(now, week.figure("") if week.occupied is not None else None, target, unit="人")
    since = f"入住增减：{delta.sentence}"
    with cols[2]:
        widgets.figure_metric(now, header=stamp.latest, display=f"{occ.occupied}/{occ.beds}",
                              delta=delta.text, flat=delta.flat)
    rate = percent(occ.occupied, occ.beds)
    warning = occ.figure("", free_beds_warning=warn).warning  # decided in lib (Occupancy.figure)
    if warning:
        st.error(f"入住率 {rate}：{warning}。", icon=":material/warning:")
    else:
        st.success(f"入住率 {rate}：空床 {occ.free} 张（预警值 {warn} 张）。", icon=":material/check_circle:")
    st.caption(f"来源：{widgets.md_escape(widgets.viewer(now).badge())}" + ("（示例数据，非官方数字）" if occ.is_demo else "")
               + (f"。原文：“{quote}”" if quote else "") + f"。{since}")
    head, pick = st.columns([3, 2], vertical_alignment="bottom")
    head.markdown("**每日入住趋势**")
    window = pick.segmented_control("时间范围", list(WINDOWS), default=DEFAULT_WINDOW, key="care.window",
                                    label_visibility="collapsed") or DEFAULT_WINDOW
    days = WINDOWS[window]
    start = occ.day - dt.timedelta(days=days - 1) if days else None
    series = bridge.occupancy_watch(facility=fac.key, free_beds_warning=warn, start=start, as_of=as_of)
    if series.empty:
        return
    chart_cache.draw(charts.occupancy, series, beds=beds, threshold=int(series["threshold"].iloc[-1]), height=360)
    if start is not None and len(series) < days // 2:  # a sparse window: say what it holds and where the rest is
        prior = bridge.current_occupancy(facility=fac.key, as_of=start - dt.timedelta(days=1))
        st.caption(f"{window}（{cn_date(start)}起）仅有 {len(series)} 天的数据。"
                   + (f"此前最近的数据为{cn_date(prior.day)}，选择「全部」查看。" if prior.day else ""))
    low = series[series["low_free"]]
    st.caption(f"灰色虚线：床位 {beds} 张；红色虚线：预警线 {beds - warn} 人（空床少于 {warn} 张即预警）；"
               f"红点：空床少于 {warn} 张的日子（共 {len(low)} 天）。入住人数从不超过床位数。")
    widgets.demo_note("每日入住人数")
    article = series[~series["is_demo"]]
    if not article.empty:
        st.caption("例外：" + "、".join(f"{cn_date(r.day)}的{r.occupied}人" for r in article.itertuples())
                   + f"来自{widgets.kind_label(article['source_kind'].iloc[0])}，非示例。")


def _bed_overview(beds: pd.DataFrame, warn: int) -> None:
    """Every facility with beds in one table (fewest free beds first), for a district with many."""
    reported = beds[beds["reported"]]
    kinds = set(reported["source_kind"].dropna())
    demo = bool(reported["is_demo"].any())
    src = {"source_kind": kinds.pop() if len(kinds) == 1 else "mixed", "is_demo": demo,
           "source_title": "含示例数据（固定随机种子生成，非官方数字）" if demo else "各设施上报"}
    cols = st.columns(4)
    figures = [("有床位的设施", f"{len(beds)}家"), ("床位合计", f"{cn_number(int(beds['beds'].sum()))}张"),
               ("入住合计", f"{cn_number(int(reported['occupied'].sum()))}人"),
               (f"空床少于{warn}张的设施", f"{int(beds['low_free'].sum())}家")]
    for col, (label, display) in zip(cols, figures, strict=True):
        with col:
            widgets.fact_metric({"label": label, "display": display, **src})
    table = pd.DataFrame({
        "设施": beds["name"], "社区": beds["community"], "床位": beds["beds"], "入住": beds["occupied"],
        "空床": beds["free"], "入住率": beds["rate"] * 100,
        "日期": [cn_date(d) if d is not None and d == d else "暂无" for d in beds["day"]],
        "预警": beds["low_free"].map({True: "空床不足", False: ""}),
        "来源": [widgets.kind_label(r.source_kind) if r.reported else "暂无" for r in beds.itertuples()]})
    st.dataframe(table, hide_index=True, width="stretch", height=charts.table_height(len(table)),
                 column_config={"入住率": st.column_config.ProgressColumn("入住率", format="%.0f%%",
                                                                         min_value=0, max_value=100)})
    st.caption(f"按空床从少到多排列；预警值 {warn} 张取自系统设置。" + ("示例设施的床位与入住为示例数据，非官方数字。"
                                                                  if demo else ""))


bedded = facilities[facilities["beds"].notna()] if not facilities.empty else facilities
if len(bedded) > 1:  # many facilities: one summary table, then the details of the one picked
    beds_now = pd.DataFrame()
    with widgets.guard("床位概况"), st.container(border=True):
        st.subheader("床位概况")
        warn = int(bridge.app_settings().care_free_beds_warning)
        beds_now = bridge.occupancy_overview(as_of=as_of, community=community, free_beds_warning=warn)
        _bed_overview(beds_now, warn)
    if not beds_now.empty:
        names = dict(zip(beds_now["key"], beds_now["name"], strict=True))
        keys = list(names)
        chosen = st.selectbox("查看设施详情", keys, index=keys.index("care_centre") if "care_centre" in names else 0,
                              format_func=names.get, key="care.facility")
        facilities = facilities[(facilities["key"] == chosen) | facilities["beds"].isna()]

for fac in facilities.itertuples():
    with widgets.guard(fac.name), st.container(border=True):
        st.subheader(fac.name)
        st.caption(f"{fac.kind} · 位于{bridge.full_name(fac.community)} · 来源：{widgets.kind_label(fac.source_kind)}")
        if fac.beds is not None and fac.beds == fac.beds:  # NaN-safe
            _centre(fac)
        else:
            st.info("床位数：暂无公开数据（报道未公布该设施的床位数）。", icon=":material/info:")
            overview = bridge.notes_q(subject=CENTRE_SUBJECT, kind="概况")
            part_of = overview[overview["quote"].str.contains(fac.name, regex=False)]
            if not part_of.empty:
                st.write(f"是光武街道{CENTRE_SUBJECT}的组成部分。")
                st.caption(f"来源：新闻报道。原文：“{part_of['quote'].iloc[0]}”")

if not facilities.empty:
    with widgets.guard("服务与合作"):
        st.subheader("服务内容（据报道）")
        notes = bridge.notes_q(subject=CENTRE_SUBJECT)
        services = notes[notes["kind"] == "服务"]
        cols = st.columns(max(1, len(services)))
        for col, r in zip(cols, services.itertuples(), strict=False):
            with col, st.container(border=True):
                st.markdown(f"**{r.text}**")
                st.caption(f"原文：“{r.quote}”")
        for r in notes[notes["kind"].isin(["概况", "合作"])].itertuples():
            st.markdown(f"- **{r.kind}**：{r.text}")
            st.caption(f"　原文：“{r.quote}”")
