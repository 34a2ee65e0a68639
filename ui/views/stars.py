"""The 五星支部 page's derived view: its cards, lists and captions, built once per (scope, viewer kind) and
data version and kept (ui/kept.py), so a selection change filters and formats nothing that was built before.
Each panel is its own view, so a failing query still fails only its panel (widgets.guard on the page)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd
import pyarrow as pa

from ui import arrow_bytes, bridge, kpi_grid
from ui.bridge import cn_date, cn_number
from ui.kept import kept

STARS = ("支部过硬星", "平安法治星", "共建共享星", "工业兴业星", "幸福和谐星")
RED_INDICATORS = ["red_property_compounds", "red_property_projects", "red_property_investment_yuan"]


@dataclass(frozen=True)
class Summary:
    """The three star cards, or what has no data; whether the assessments are demo data; the delta's comparison
    date."""
    cards: tuple[kpi_grid.Card, ...] = ()
    missing: str = ""  # what has no data (widgets.no_data), when there are no cards
    demo: bool = False
    delta_note: str = ""
    mixed: bool = False  # demo data is only part of the count (a staff assessment among demo ones): 含示例


@dataclass(frozen=True)
class RedProperty:
    """中兴's 红色物业: its figures, its compounds line, its demo project list (newest first) and its total."""
    cards: tuple[kpi_grid.Card, ...] = ()
    compounds: str = ""
    projects: pa.Table | None = None
    projects_note: str = ""


def _latest(community: str | None, as_of: dt.date | None) -> dt.date | None:
    return bridge.header(bridge.Scope.of(community, as_of)).latest


def _delta(progress: pd.DataFrame, unit: str) -> tuple[str, bool] | None:
    """Change in stars reached since the previous assessment date (text, flat)."""
    if len(progress) < 2:
        return None
    diff = int(progress["已达标"].iloc[-1]) - int(progress["已达标"].iloc[-2])
    return (f"{diff:+d}{unit}", False) if diff else ("持平", True)


def _summary(community: str | None, as_of: dt.date | None, signed_in: bool) -> Summary:
    counts = bridge.star_counts(as_of=as_of)
    if counts.empty:
        return Summary(missing="所选日期的五星支部评定")
    fig = bridge.summary_panel(bridge.Scope.of(community, as_of), signed_in=signed_in).stars
    progress = bridge.star_progress(community=community, as_of=as_of)
    header = _latest(community, as_of)

    def card(label: str, display: str, delta: tuple[str, bool] | None = None, *, note: str = "") -> kpi_grid.Card:
        """A card derived from the stars figure: its source tag (示例, 录入 after a staff import, 含示例 when mixed)."""
        text, flat = delta or (None, False)
        return kpi_grid.card(fig, header=header, label=label, display=display, delta=text, flat=flat,
                             notes=(note,) if note else (), signed_in=signed_in)

    demo = fig is not None and fig.is_demo
    mixed = fig is not None and fig.kind == bridge.MIXED
    note = f"增减：较上一评定日（{cn_date(progress['date'].iloc[-2])}）。" if len(progress) >= 2 else ""
    if community:
        row = counts[counts["community"] == community]
        if row.empty:
            return Summary(missing=f"{bridge.full_name(community)}的星级评定", demo=demo, delta_note=note,
                           mixed=mixed)
        rank = counts["stars"].rank(ascending=False, method="min")
        score, scored = bridge.average_score(row)  # over the scored assessments (a score is optional): never nan
        cards = (card(f"{bridge.full_name(community)}已达标星数", f"{int(row['stars'].iloc[0])}/5颗",
                      _delta(progress, "颗")),
                 kpi_grid.card(replace(fig, kind=bridge.combined_kind(counts["source_kind"])), header=header,
                               label="全街道排名", display=f"第{int(rank[row.index[0]])}名/共{len(counts)}个",
                               signed_in=signed_in),  # ranked among every community: their sources too
                 card("五星平均得分", score, note=scored))
    else:
        score, scored = bridge.average_score(counts)
        cards = (card("全街道已达标星数", f"{int(counts['stars'].sum())}/{len(counts) * 5}颗", _delta(progress, "颗")),
                 card("五星全部达标社区", f"{int((counts['stars'] == 5).sum())}个"),
                 card("五星平均得分", score, note=scored))
    return Summary(cards, demo=demo, delta_note=note, mixed=mixed)


def _measures() -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """Each star's measures (据报道) as kpi_grid.boxes items: the star, its measures, the article's words."""
    notes = bridge.notes_q(kind="星级举措")
    if notes.empty:
        return ()
    by_star = {star: rows for star, rows in notes.groupby("subject", sort=False)}
    empty = notes.iloc[:0]
    return tuple((star, tuple(rows["text"]), f"原文：“{rows['quote'].iloc[0]}”" if not rows.empty else "")
                 for star in STARS for rows in [by_star.get(star, empty)])


def _network(community: str | None, as_of: dt.date | None, signed_in: bool) -> tuple[kpi_grid.Card, ...]:
    """The party network's cards (the article's subdistrict-wide counts)."""
    header = _latest(community, as_of)
    return tuple(kpi_grid.card(bridge.figure({**r, "label": r["kind"], "display": f"{r['count']}{r['unit']}"}),
                               header=header, signed_in=signed_in)
                 for r in bridge.party_network(as_of=as_of).to_dict("records"))


def _red_property(community: str | None, as_of: dt.date | None, signed_in: bool) -> RedProperty:
    header = _latest(community, as_of)
    red = bridge.facts_q(subject="中兴社区", indicators=RED_INDICATORS, as_of=as_of)
    compounds = bridge.notes_q(subject="中兴", kind="红色物业小区")
    projects = bridge.red_property_projects(community="中兴", as_of=as_of)
    table, note = None, ""
    if not projects.empty:
        view = projects.sort_values("completed_on", ascending=False)
        table = arrow_bytes.table(pd.DataFrame({
            "小区": view["compound"], "项目": view["title"], "类别": view["category"],
            "投资": view["investment_yuan"].map(lambda v: cn_number(v) + "元"),
            "完成日期": view["completed_on"].map(cn_date)}))
        note = f"项目明细（{len(projects)}项，合计{cn_number(projects['investment_yuan'].sum())}元）"
    return RedProperty(
        tuple(kpi_grid.card(bridge.figure(r), header=header, signed_in=signed_in) for r in red.to_dict("records")),
        "“红色物业”小区：" + "、".join(compounds["text"]) + "（每周召开一次联席会议）" if not compounds.empty else "",
        table, note)


def _matrix_table(as_of: dt.date | None) -> pd.DataFrame:
    """The star matrix as a table: a row per assessed community (in their order), 「status score」 per star."""
    matrix = bridge.star_matrix(as_of=as_of)
    table = matrix.assign(cell=[f"{s} {v:.0f}" if pd.notna(v) else f"{s}"
                                for s, v in zip(matrix["status"], matrix["score"], strict=True)])
    assessed = set(table["community"])
    wide = table.pivot(index="community", columns="star", values="cell").reindex(
        index=[n for n in bridge.community_options() if n in assessed], columns=list(STARS))
    wide.index = [bridge.full_name(n) for n in wide.index]
    wide.index.name = "社区"
    return wide.reset_index()


summary = kept(_summary, ttl=bridge.TTL_SECONDS)
matrix_table = kept(_matrix_table, ttl=bridge.TTL_SECONDS)
measures = kept(_measures, ttl=bridge.TTL_SECONDS)
network = kept(_network, ttl=bridge.TTL_SECONDS)
red_property = kept(_red_property, ttl=bridge.TTL_SECONDS)
