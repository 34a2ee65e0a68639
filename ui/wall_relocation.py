"""The wall's 征迁 view: signed / total with its trend, the countdown to the staff-set deadline, unsigned
households per 专班 group, and signings per day against the daily target. Every figure says its source
(示例 until staff enter it). Drawing only: the counts, the deadline and the target come from lib via ui/bridge."""
from __future__ import annotations

import datetime as dt
import html

import altair as alt
import pandas as pd
import streamlit as st

from lib.figures import Figure
from ui import bridge, charts, summary, wall_chart, widgets
from ui.bridge import cn_date

SERIES = ("已签约", "已交钥匙", "已拆除")
_CSS = """<style>
.gw-reloc { font-size: 2.4vh; line-height: 1.3; color: #e5e7eb; margin-top: 0.8vh; }
.gw-reloc .big { font-size: 4.6vh; font-weight: 700; white-space: nowrap; }
.gw-reloc .row { display: flex; flex-wrap: wrap; gap: 0.3vh 1.2vw; white-space: nowrap; }
.gw-reloc .row span { white-space: nowrap; word-break: keep-all; }
.gw-reloc b { font-size: 3.2vh; }
.gw-reloc .gw-tag { font-size: 2.3vh !important; }
.st-key-screen-reloc-trend, .st-key-screen-reloc-daily { height: 54vh !important; flex: 0 0 auto !important; }
</style>"""


def _demo(kind: str) -> Figure:
    return Figure("", "", kind)


def countdown_html(deadline, *, as_of: dt.date | None, last_record: dt.date | None) -> str:
    """「距截止 N 天（截止日期 2023年11月30日，示例；按最新记录日 2023年11月22日计）」 — the deadline's own source tag,
    and the day counted from when it is not the one shown (lib.relocation_plan.counted_from)."""
    day, note = bridge.counted_from(deadline, as_of=as_of, last_record=last_record, today=bridge.local_today())
    said = "；".join(p for p in (deadline.figure.badge(), note) if p)
    return (f"<div class='gw-reloc gw-countdown'><div class='big'>{html.escape(bridge.countdown(deadline.day, day))}"
            f"</div><div>（截止日期 {cn_date(deadline.day)}，{html.escape(said)}）</div></div>")


def groups_html(groups: pd.DataFrame, headline: int | None = None) -> str:
    """Unsigned households per 专班 group, counted in the household records, with the grouping's source (示例 until
    staff record it). `headline`: the card's 未签约 (it rests on the article's 已签约): when the records count
    otherwise, the line names it, so two numbers side by side are never left unexplained (the card's note says why)."""
    total = int(groups["households"].sum())
    tag = wall_chart.tag_html(_demo(bridge.combined_kind(groups["source_kind"])))
    cells = "".join(f"<span>{html.escape(r.group)} <b>{int(r.households)}</b>户</span>" for r in groups.itertuples())
    differs = f"，上方为{headline}户" if headline is not None and headline != total else ""
    return (f"<div class='gw-reloc gw-groups'><div>未签约 <b>{total}</b>户 · 按专班分组（逐户记录{differs}） {tag}</div>"
            f"<div class='row'>{cells}</div></div>")


def trend_chart(burn: pd.DataFrame) -> alt.LayerChart:
    """Signed / keys / demolished, cumulative, against the total (dashed); colours as on the 征迁 page."""
    long = burn.melt(id_vars=["date"], value_vars=list(SERIES), var_name="状态", value_name="户数")
    lines = alt.Chart(long).mark_line(strokeWidth=4).encode(
        x=alt.X("date:T", title="日期", axis=alt.Axis(format="%-m月%-d日")),
        y=alt.Y("户数:Q", title="户数", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("状态:N", scale=alt.Scale(domain=list(SERIES),
                                                  range=[charts.HOUSEHOLD_COLORS[s] for s in SERIES]),
                        legend=alt.Legend(orient="top", title=None)))
    total = alt.Chart(burn).mark_rule(strokeDash=[8, 6], color="#e5e7eb").encode(y=alt.Y("总户数:Q"))
    return lines + total


def target_chart(daily: pd.DataFrame) -> alt.LayerChart:
    """New signings per day (bars, the 已签约 colour) and the day's target (white ticks)."""
    data = daily.assign(日=[f"{d.month}/{d.day}" for d in daily["date"]])
    x = alt.X("日:N", sort=None, title="日期", axis=alt.Axis(labelAngle=0))
    top = int(max(data["实际签约"].max(), data["目标"].max(skipna=True) if data["目标"].notna().any() else 0)) + 1
    bars = alt.Chart(data).mark_bar(color=charts.HOUSEHOLD_COLORS["已签约"]).encode(
        x=x, y=alt.Y("实际签约:Q", title="每日签约户数", scale=alt.Scale(domain=[0, top]),
                     axis=alt.Axis(tickMinStep=1, format="d")))
    target = alt.Chart(data[data["目标"].notna()]).mark_tick(color="#ffffff", thickness=5, size=40).encode(
        x=x, y=alt.Y("目标:Q"))
    return bars + target


def relocation_view(*, community: str | None, as_of: dt.date | None) -> None:
    scope = bridge.Scope.of(community, as_of)
    st.subheader(f"文化路北延提升改造 · 征迁进度 · {scope.label}")
    st.html(_CSS)
    left, middle, right = st.columns([1.05, 1.6, 1.35], gap="medium")
    burn = bridge.relocation_burnup(community=community, as_of=as_of)
    with left:
        summary.relocation_metric(bridge.summary_panel(scope))
        with widgets.guard("截止日期"):
            last = None if burn.empty else burn["date"].iloc[-1]
            st.html(countdown_html(bridge.relocation_deadline(), as_of=as_of, last_record=last))
        if sum(bridge.household_counts(community=community, as_of=as_of).values()):  # none yet: no 「0户」
            with widgets.guard("专班分组"):
                st.html(groups_html(bridge.unsigned_by_group(community=community, as_of=as_of),
                                    bridge.relocation_headline(community=community, as_of=as_of).pending))
    if burn.empty:
        with middle:
            widgets.no_data("所选日期的逐日进度")
        return
    with middle:
        records = str(burn["source_kind"].iloc[0])  # the household records' source (示例, 含示例, 录入 …)
        tag = wall_chart.tag_html(_demo(records))
        st.html(f"<div class='gw-reloc'>累计进度（逐户记录，虚线为涉迁户总数）{tag}</div>")
        wall_chart.chart(trend_chart(burn), key="screen-reloc-trend")
    with right:
        deadline = bridge.relocation_deadline()
        daily = bridge.daily_target(burn, total=int(burn["总户数"].iloc[0]), deadline_day=deadline.day)
        last = daily.iloc[-1]
        goal = "—" if pd.isna(last["目标"]) else f"{int(last['目标'])}户"
        tag = wall_chart.tag_html(_demo(bridge.combined_kind((records, deadline.figure.kind))))
        st.html(f"<div class='gw-reloc gw-daily'><div>{cn_date(last['date'])} 签约 <b>{int(last['实际签约'])}</b>户 · "
                f"目标 <b>{goal}</b> {tag}</div><div>白线为每日目标：剩余户数 ÷ 剩余天数</div></div>")
        wall_chart.chart(target_chart(daily), key="screen-reloc-daily")
