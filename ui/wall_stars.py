"""The wall's 五星支部 view: the five named stars × the 11 communities as a coloured matrix (status written
in each cell, readable from 4 m), the source of each row, and the stars reached per assessment date on an
integer axis. Drawing only: the statuses, dates and sources come from lib through ui/bridge."""
from __future__ import annotations

import datetime as dt
import html

import altair as alt
import pandas as pd
import streamlit as st

from ui import bridge, charts, wall_chart, widgets
from ui.bridge import cn_date

STARS = ("支部过硬星", "平安法治星", "共建共享星", "工业兴业星", "幸福和谐星")
# Dark text where the status colour is light; the colours themselves are ui/charts.py's (the 五星 page's).
_INK = {"创建中": "#111318"}
_CSS = """<style>
.gw-stars { border-collapse: separate; border-spacing: 0.4vh 0.4vh; width: 100%; font-size: 2.9vh;
  line-height: 1.2; }
.gw-stars th, .gw-stars td { padding: 0.6vh 0.5vw; white-space: nowrap; word-break: keep-all; text-align: center; }
.gw-stars th { font-weight: 700; color: #e5e7eb; }
.gw-stars td.c { text-align: left; font-weight: 700; color: #e5e7eb; }
.gw-stars td.s { border-radius: 0.4vh; font-weight: 700; }
.gw-stars tr.sel td.c { color: #f2dd4e; }
.gw-stars tr.sel td.s { outline: 0.35vh solid #ffffff; }
.gw-stars .gw-tag, .gw-stars-note .gw-tag { font-size: 2.3vh !important; }
.gw-stars-note { font-size: 2.3vh; color: #e5e7eb; margin-top: 0.6vh; }
.st-key-screen-stars-progress { height: 56vh !important; flex: 0 0 auto !important; }
</style>"""


def _figure(row, kind: str | None = None):
    """A matrix row (one cell, or the newest of a community's cells) as a Figure this viewer may see."""
    return widgets.viewer(bridge.figure({**row, "source_kind": kind or row["source_kind"]}))


def _row_figure(rows: pd.DataFrame):
    """The source of one community's five cells (示例 / 录入 · who · when / 含示例)."""
    kind = bridge.combined_kind(rows["source_kind"])
    return _figure(rows.sort_values(["valid_from", "recorded_at"]).iloc[-1].to_dict(), kind)


def matrix_html(matrix: pd.DataFrame, *, selected: str | None) -> str:
    """Rows: communities (their order); columns: the five stars; each cell its status word on the status colour;
    last column: the row's source tag (the wall cannot hover). In a row of several sources the cells staff
    entered carry 「*」, and a line under the table names them with who entered each and when."""
    head = "".join(f"<th>{html.escape(s)}</th>" for s in STARS)
    body, entered = [], []
    for community, rows in matrix.groupby("community", sort=False):
        by_star = {r["star"]: r for r in rows.to_dict("records")}
        mixed = rows["source_kind"].nunique() > 1
        cells = []
        for star in STARS:
            r = by_star.get(star)
            status = r["status"] if r else None
            mark = ""
            if r and mixed and r["source_kind"] == "staff":
                mark = "*"
                entered.append(f"{community} {star} · {_figure(r).badge()}")
            colour = charts.STAR_STATUS_COLORS.get(status, charts.MUTED)
            cells.append(f"<td class='s' style='background:{colour};color:{_INK.get(status, '#ffffff')}'>"
                         f"{html.escape(status or '—')}{mark}</td>")
        tag = wall_chart.tag_html(_row_figure(rows))
        cls = " class='sel'" if community == selected else ""
        body.append(f"<tr{cls}><td class='c'>{html.escape(community)}</td>{''.join(cells)}<td>{tag}</td></tr>")
    table = f"{_CSS}<table class='gw-stars'><tr><th>社区</th>{head}<th>来源</th></tr>{''.join(body)}</table>"
    if entered:
        more = f" 等{len(entered)}格" if len(entered) > 3 else ""
        table += f"<div class='gw-stars-note'>* 工作人员录入：{html.escape('；'.join(entered[:3]))}{more}</div>"
    return table


def progress_chart(progress: pd.DataFrame) -> alt.Chart:
    """Stars reached (已达标) per assessment date: whole stars on an integer axis."""
    # Two-line date labels (「2023年」 over 「3月31日」): four whole dates fit under four bars.
    data = pd.DataFrame({"日期": [f"{d.year}年|{d.month}月{d.day}日" for d in progress["date"]],
                         "已达标星数": progress["已达标"].astype(int)})
    bars = alt.Chart(data).mark_bar(color=charts.STAR_STATUS_COLORS["已达标"]).encode(
        x=alt.X("日期:N", sort=None, title="评定日期",
                axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, '|')", labelLineHeight=wall_chart.TEXT)),
        y=alt.Y("已达标星数:Q", title="已达标星数", axis=alt.Axis(tickMinStep=1, format="d")))
    text = bars.mark_text(dy=-12, color="#e5e7eb", fontSize=wall_chart.TEXT).encode(text=alt.Text("已达标星数:Q",
                                                                                                 format="d"))
    return bars + text


def stars_view(*, community: str | None, as_of: dt.date | None) -> None:
    scope = bridge.Scope.of(community, as_of)
    fig = bridge.summary_panel(scope).stars
    st.subheader("五星支部创建 · 五星 × 11个社区" + (f" · {scope.label}{fig.display}" if fig else ""))
    matrix = bridge.star_matrix(as_of=as_of)
    if matrix.empty:
        widgets.no_data("所选日期的五星评定")
        return
    left, right = st.columns([1.55, 1], gap="large")
    with left, st.container(key="screen-stars-matrix"):
        st.html(matrix_html(matrix, selected=community))
        latest = cn_date(max(matrix["valid_from"]))
        st.html(f"<div class='gw-stars-note'>最近评定 {latest} · 格内为评定状态</div>")
    with right:
        progress = bridge.star_progress(community=community, as_of=as_of)
        if progress.empty:
            return
        tag = bridge.figure({"source_kind": bridge.combined_kind(progress["source_kind"])}).tag  # 示例, 含示例, 录入 …
        st.html(f"<div class='gw-stars-note'>{html.escape(scope.label)} 已达标星数（共{5 * (1 if community else 11)}颗）"
                f" · {html.escape(tag)}</div>")
        wall_chart.chart(progress_chart(progress), key="screen-stars-progress")
