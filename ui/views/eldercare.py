"""The 养老服务 page's view per (community, as-of, threshold, window, data version): facilities, cards, captions,
chart inputs and tables, built once and kept (ui/kept.py) so a selection change only draws them. Cards are kept per
viewer kind (`signed_in`); frames come out as copies that cannot change the kept one."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from ui import arrow_bytes, bridge, kpi_grid, widgets
from ui.bridge import TTL_SECONDS, cn_date, cn_number, percent
from ui.kept import kept

CENTRE_SUBJECT = "综合养老服务中心"
CENTRE_FIGS = ["care_area_m2", "care_beds", "care_residents"]
WINDOWS = {"近90天": 90, "近1年": 365, "全部": None}  # the daily chart's span, ending on the shown day
DEFAULT_WINDOW = "近1年"


@dataclass(frozen=True)
class Facility:
    key: str
    name: str
    caption: str  # 「综合养老服务中心 · 位于中兴社区 · 来源：新闻报道」
    beds: int | None  # the bed count on the latest residents' day (lib.queries.care.beds_on); None: none known
    part_of: str  # for one without beds: the quote naming it part of the centre, or ""


@dataclass(frozen=True)
class Facilities:
    facilities: tuple[Facility, ...]
    missing: str  # the no-data subject (「中兴社区的养老服务设施」), or ""
    where: str  # where the reported facilities are, when the selected community has none; or ""


@dataclass(frozen=True)
class Overview:
    """Every facility with beds (a district with many): four summary cards and the table, fewest free beds first."""
    cards: tuple[kpi_grid.Card, ...]
    table: pa.Table
    rows: int
    caption: str
    choices: tuple[tuple[str, str], ...]  # (key, name) for the details picker


@dataclass(frozen=True)
class Centre:
    """A facility with beds on the shown day: its cards, and the free-bed status for the threshold `warn`."""
    cards: tuple[kpi_grid.Card, ...]
    reported: bool  # the report's area / beds hold on the day
    day: dt.date | None  # the occupancy's day; None: no count by the shown day
    warning: str  # the free-bed warning (an error), or ""
    status: str  # 「入住率 96%：空床 2 张（预警值 2 张）。」 when there is no warning
    caption: str  # source, quote and the change in a week


@dataclass(frozen=True)
class Trend:
    beds: int  # the bed count of the window's last day (the grey line; lib.queries.care.beds_on)
    threshold: int  # the warning line (residents): those beds less the warning
    sparse: str  # what a sparse window holds and where the rest is, or ""
    legend: str  # the lines and red days
    exception: str  # the days that are not demo data, or ""


def _facilities(community: str | None) -> Facilities:
    df = bridge.care_facilities(community=community)
    if df.empty:
        if not community:
            return Facilities((), "养老服务设施", "")
        where = bridge.full_name("、".join(sorted(set(bridge.care_facilities()["community"].dropna()))))
        return Facilities((), f"{bridge.full_name(community)}的养老服务设施",
                          f"报道提到的养老服务设施均位于{where}；选择“全街道”或{where}可查看。")
    overview = bridge.notes_q(subject=CENTRE_SUBJECT, kind="概况")
    held = bridge.occupancy_overview(community=community)  # facilities with beds, each with its count (lib)
    counts = {k: int(b) for k, b in zip(held["key"], held["beds"], strict=True)}

    def part_of(name: str) -> str:
        quotes = overview.loc[overview["quote"].str.contains(name, regex=False), "quote"]
        return str(quotes.iloc[0]) if not quotes.empty else ""

    return Facilities(tuple(
        Facility(key, name, f"{kind} · 位于{bridge.full_name(where)} · 来源：{widgets.kind_label(source)}",
                 counts.get(key), "" if key in counts else part_of(name))
        for key, name, kind, where, source in zip(df["key"], df["name"], df["kind"], df["community"],
                                                  df["source_kind"], strict=True)), "", "")


def _overview(community: str | None, as_of: dt.date | None, warn: int, signed_in: bool,
              latest: dt.date | None) -> Overview | None:
    """`latest`: the page's 「最新数据」 date (a card's tag names its own date when it differs)."""
    beds = bridge.occupancy_overview(as_of=as_of, community=community, free_beds_warning=warn)
    if beds.empty:
        return None
    reported = beds[beds["reported"]]
    residents, counts = list(reported["source_kind"].dropna()), list(beds["beds_kind"].dropna())

    def src(kinds: list) -> dict:  # a count over facilities: the kinds of the records it counts (lib)
        kind = bridge.combined_kind(kinds)
        demo = kind in ("demo", "mixed")
        return {"source_kind": kind, "is_demo": demo,
                "source_title": "含示例数据（固定随机种子生成，非官方数字）" if demo else "各设施上报"}

    demo = bool(reported["is_demo"].any()) or "demo" in counts
    cards = tuple(kpi_grid.card(bridge.figure({"label": label, "display": display, **src(kinds)}),
                                signed_in=signed_in, header=latest) for label, display, kinds in [
        ("有床位的设施", f"{len(beds)}家", counts), ("床位合计", f"{cn_number(int(beds['beds'].sum()))}张", counts),
        ("入住合计", f"{cn_number(int(reported['occupied'].sum()))}人", residents),
        (f"空床少于{warn}张的设施", f"{int(beds['low_free'].sum())}家", residents + counts)])
    table = pd.DataFrame({
        "设施": beds["name"], "社区": beds["community"], "床位": beds["beds"], "入住": beds["occupied"],
        "空床": beds["free"], "入住率": beds["rate"] * 100,
        "日期": [cn_date(d) if d is not None and d == d else "暂无" for d in beds["day"]],
        "预警": beds["low_free"].map({True: "空床不足", False: ""}),
        "来源": [widgets.kind_label(k) if r else "暂无" for k, r in zip(beds["source_kind"], beds["reported"],
                                                                       strict=True)],
        "床位来源": [widgets.kind_label(k) for k in beds["beds_kind"]]})
    caption = f"按空床从少到多排列；预警值 {warn} 张取自系统设置。" + ("示例设施的床位与入住为示例数据，非官方数字。" if demo else "")
    return Overview(cards, arrow_bytes.table(table), len(table), caption,
                    tuple(zip(beds["key"], beds["name"], strict=True)))


def _centre(key: str, as_of: dt.date | None, warn: int, signed_in: bool, latest: dt.date | None) -> Centre:
    """The area and bed figures (reported), the residents on the latest day with their change in a week;
    `latest`: the page's 「最新数据」 date (a card's tag names its own date when it differs)."""
    figs = bridge.facts_q(subject=CENTRE_SUBJECT, indicators=CENTRE_FIGS, as_of=as_of)
    cards = [kpi_grid.card(bridge.figure(r), signed_in=signed_in, header=latest)
             for r in figs[figs["indicator"] == "care_area_m2"].to_dict("records")]
    beds = bridge.facility_beds(key, as_of=as_of).shown  # None before its report: the page says there is no data
    if beds is not None:
        cards.append(kpi_grid.card(beds, signed_in=signed_in, header=latest))
    occ = bridge.current_occupancy(facility=key, as_of=as_of)
    if occ.occupied is None:
        return Centre(tuple(cards), not figs.empty, None, "", "", "")
    now = occ.figure(f"入住（{cn_date(occ.day)}）").for_viewer(signed_in)  # with the article's words (lib)
    target = occ.day - dt.timedelta(days=7)
    week = bridge.current_occupancy(facility=key, as_of=target)
    delta = bridge.compare(now, week.figure("") if week.occupied is not None else None, target, unit="人")
    # 「46/50」 is two records: tagged with both sources (含示例, 多来源 …), as the overview's card (lib derived)
    pair = occ.pair_figure(f"入住（{cn_date(occ.day)}）").for_viewer(signed_in)
    cards.append(kpi_grid.card(pair, header=latest, display=f"{occ.occupied}/{occ.beds}", delta=delta.text,
                               flat=delta.flat))
    rate = percent(occ.occupied, occ.beds)
    warning = occ.figure("", free_beds_warning=warn).warning  # decided in lib (Occupancy.figure)
    held = occ.beds_part()  # the beds of the residents' day, with their own source and date
    basis = f"。床位 {occ.beds} 张：{widgets.md_escape(held.for_viewer(signed_in).badge(latest))}" if held else ""
    caption = (f"来源：{widgets.md_escape(now.badge())}" + ("（示例数据，非官方数字）" if occ.is_demo else "")
               + (f"。原文：“{widgets.md_escape(occ.quote)}”" if occ.quote else "") + basis
               + f"。入住增减：{delta.sentence}")
    return Centre(tuple(cards), not figs.empty, occ.day, f"入住率 {rate}：{warning}。" if warning else "",
                  f"入住率 {rate}：空床 {occ.free} 张（预警值 {warn} 张）。", caption)


def _trend(key: str, beds: int | None, as_of: dt.date | None, warn: int,
           window: str) -> tuple[Trend | None, pd.DataFrame]:
    """The daily residents in `window` up to the shown day, with the warning line and what the chart shows. The
    lines use the beds of the window's last day, as the series does (`beds`, the page's count, is not read)."""
    day = bridge.current_occupancy(facility=key, as_of=as_of).day
    days = WINDOWS[window]
    start = day - dt.timedelta(days=days - 1) if days and day else None
    series = bridge.occupancy_watch(facility=key, free_beds_warning=warn, start=start, as_of=as_of)
    if series.empty:
        return None, series
    sparse = ""
    if start is not None and len(series) < days // 2:  # a sparse window: say what it holds and where the rest is
        prior = bridge.current_occupancy(facility=key, as_of=start - dt.timedelta(days=1))
        sparse = (f"{window}（{cn_date(start)}起）仅有 {len(series)} 天的数据。"
                  + (f"此前最近的数据为{cn_date(prior.day)}，选择「全部」查看。" if prior.day else ""))
    beds = int(series["beds"].iloc[-1])
    earlier = series.loc[series["beds"] != beds, "beds"]  # the bed count changed inside the window
    beds_note = f"（此前为 {int(earlier.iloc[-1])} 张，红点按当日床位计）" if not earlier.empty else ""
    legend = (f"灰色虚线：床位 {beds} 张{beds_note}；红色虚线：预警线 {beds - warn} 人（空床少于 {warn} 张即预警）；"
              f"红点：空床少于 {warn} 张的日子（共 {int(series['low_free'].sum())} 天）。入住人数从不超过床位数。")
    known = widgets.not_demo_days(series)
    exception = f"例外：{known}，非示例。" if known else ""
    return Trend(beds, int(series["threshold"].iloc[-1]), sparse, legend, exception), series


def _services() -> tuple[tuple[tuple[str, tuple[str, ...], str], ...], tuple[tuple[str, str], ...]]:
    """The reported services as boxes (title, no lines, the quote), and the other notes as (Markdown line,
    caption with the quote)."""
    notes = list(bridge.notes_q(subject=CENTRE_SUBJECT)[["kind", "text", "quote"]].itertuples(index=False, name=None))
    boxes = tuple((t, (), f"原文：“{q}”") for k, t, q in notes if k == "服务")
    lines = tuple((f"- **{k}**：{widgets.md_escape(t)}", f"　原文：“{widgets.md_escape(q)}”")
                  for k, t, q in notes if k in ("概况", "合作"))
    return boxes, lines


facilities = kept(_facilities, ttl=TTL_SECONDS)
overview = kept(_overview, ttl=TTL_SECONDS)
centre = kept(_centre, ttl=TTL_SECONDS)
trend = kept(_trend, ttl=TTL_SECONDS)
services = kept(_services, ttl=TTL_SECONDS)
