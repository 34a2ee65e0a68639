"""The 社区档案 page's view per (community, as-of, data version): the subdistrict's or one community's cards,
captions and tables, built once and kept (ui/kept.py) so a selection change only draws them. Cards are kept per
viewer kind (`signed_in`); frames come out as copies that cannot change the kept one."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from ui import arrow_bytes, bridge, kpi_grid, widgets
from ui.bridge import TTL_SECONDS, cn_date
from ui.kept import kept

ECONOMY = [("专业批发市场", "专业批发市场（11个）"), ("摩天中心", "摩天中心创业大厦"), ("星光大排档", "南阳市星光大排档（夜市）")]
NOTE_KINDS = {"概况": "概况", "红色物业小区": "“红色物业”小区"}


@dataclass(frozen=True)
class Grid:
    """Fact rows as KPI cards (each card's hover shows its source quote), `columns` to a row."""
    cards: tuple[kpi_grid.Card, ...]
    columns: int
    title: str = ""  # a subject's name above its cards (Markdown-escaped), or ""
    notes: tuple[str, ...] = ()  # captions under the cards (Markdown-escaped)
    source: str = ""  # the caption naming the cards' sources (`_source_note`), or ""


@dataclass(frozen=True)
class Status:
    cards: tuple[kpi_grid.Card, ...]  # 示范社区状态, 五星支部已达标
    missing: tuple[str, ...]  # no-data subjects (「示范社区状态」 / 「五星评定」)
    stars_demo: bool
    stars_note: str = ""  # what of the stars count is demo data (a caption with its tag), or ""


@dataclass(frozen=True)
class Figures:
    published: bool  # there are figures about the community other than demo data (报道, 录入 …)
    empty_note: str  # when not: why (lib: a look-back before the first figure, or none at all)
    own: Grid | None  # 社区概况: figures about the community itself
    others: tuple[Grid, ...]  # per facility or place in it


@dataclass(frozen=True)
class Notes:
    honours: str  # the honours as badges (Markdown), or ""
    quotes: tuple[str, ...]  # the honours' sources
    lines: tuple[tuple[str, str], ...]  # (「**概况**：…」, its quote) per note kind


@dataclass(frozen=True)
class Facilities:
    table: pa.Table  # 辖区养老设施, converted to Arrow once


def _grid(df: pd.DataFrame, signed_in: bool, latest: dt.date | None, *, columns: int = 4, **kw) -> Grid:
    """`latest`: the page's 「最新数据」 date (a card's tag names its own date when it differs)."""
    return Grid(tuple(kpi_grid.card(bridge.figure(r), signed_in=signed_in, header=latest, label=r["label"])
                      for r in df.to_dict("records")), columns, **kw)


def _source_note(df: pd.DataFrame) -> str:
    """The caption under fact cards naming their sources (lib.figures.KIND_NAMES via widgets.kind_label): 「来源：新闻报道
    （点按数字可见原文）。」 when all are the article's; else the figures of each other source by name, the most common
    source as the rest: 「来源：常住人口为工作人员录入，其余为新闻报道（点按数字可见原文）。」"""
    kinds = df["source_kind"].fillna("")
    order = kinds.value_counts(sort=True).index.tolist()  # the most common first (ties: first shown)
    main = order[0]
    quoted = "（点按数字可见原文）" if bridge.SourceKind.ARTICLE.value in order else "（点按数字可见出处）"
    named = [f"{'、'.join(widgets.md_escape(t) for t in df.loc[kinds == k, 'label'])}为{widgets.kind_label(k)}"
             for k in order[1:]]
    return "来源：" + "，".join([*named, ("其余为" if named else "") + widgets.kind_label(main)]) + quoted + "。"


def _overview(as_of: dt.date | None, signed_in: bool, latest: dt.date | None) -> Grid | None:
    """街道概况 (None before any report), its sources under it."""
    overview = bridge.subdistrict_overview(as_of=as_of)
    return None if overview.empty else _grid(overview, signed_in, latest, source=_source_note(overview))


def _economy(subject: str, as_of: dt.date | None, signed_in: bool, latest: dt.date | None) -> Grid | None:
    """A market's or a building's figures with its notes (None before any report)."""
    figs = bridge.facts_q(subject=subject, as_of=as_of)
    if figs.empty:
        return None
    notes = bridge.notes_q(subject=subject)
    return _grid(figs, signed_in, latest, columns=min(len(figs), 3), notes=tuple(
        f"{widgets.md_escape(t)}（原文：“{widgets.md_escape(q)}”）" for t, q in zip(notes["text"], notes["quote"],
                                                                                 strict=True)))


def _communities(as_of: dt.date | None) -> tuple[pd.DataFrame, str]:
    """The 11 communities' table (styled by the page) and the caption naming those with the article's figures,
    those with staff-entered ones, and the stars' sources (each row's is in 星数来源)."""
    summary = bridge.community_summary(as_of=as_of)
    known, entered = summary["published_figures"] > 0, summary["entered_figures"] > 0
    table = pd.DataFrame({
        "社区": summary["full_name"], "位置": summary["side"],
        "示范社区状态": summary["model_status"].fillna("暂无记录"),
        "已达标星数": [f"{int(n)}颗" if pd.notna(n) else "暂无" for n in summary["stars"]],
        "星数来源": [widgets.kind_label(k) if isinstance(k, str) else "—" for k in summary["stars_kind"]],
        "报道公布的数字": [f"{n}项" if n else "暂无公开数据" for n in summary["published_figures"]],
        "录入的数字": [f"{n}项" if n else "—" for n in summary["entered_figures"]],
        "荣誉": summary["honours"].replace("", "—"), "设施与场所": summary["places"].replace("", "—")})
    assessed = summary[summary["stars_kind"].notna()]
    caption = (f"报道公布了具体数字的社区：{'、'.join(summary.loc[known, 'name']) or '无'}；"
               f"其余{int((~known).sum())}个社区暂无公开数据。"
               + (f"工作人员录入了数字的社区：{'、'.join(summary.loc[entered, 'name'])}。" if entered.any() else "")
               + (" " + widgets.source_sentence("达标星数", pd.DataFrame(
                   {"community": assessed["name"], "source_kind": assessed["stars_kind"]})) if len(assessed) else ""))
    return table, caption


def _status(name: str, as_of: dt.date | None, signed_in: bool, latest: dt.date | None) -> Status:
    ms = bridge.community_profile(name, as_of=as_of).model_status
    stars = bridge.summary_panel(bridge.Scope.of(name, as_of)).stars
    cards, missing = [], []
    if ms is None:
        missing.append("示范社区状态")
    else:
        fig = bridge.figure({**ms.to_dict(), "label": "示范社区状态", "display": ms["status"]})
        cards.append(kpi_grid.card(fig, signed_in=signed_in, header=latest,
                                   delta=f"自{cn_date(ms['valid_from'])}起", flat=True))
    if stars is None:
        missing.append("五星评定")
    else:
        cards.append(kpi_grid.card(stars, signed_in=signed_in, header=latest, label="五星支部已达标"))
    return Status(tuple(cards), tuple(missing), stars is not None and stars.is_demo, _stars_note(name, as_of))


def _stars_note(name: str, as_of: dt.date | None) -> str:
    """「:orange-badge[示例数据] 五星达标星数为示例数据…」 when the community's counted assessments are all demo data;
    with some entered or reported, which stars are of which source and that the rest are demo data; else ""."""
    cells = bridge.star_matrix(as_of=as_of)
    cells = cells[cells["community"] == name]
    kinds = set(cells["source_kind"])
    demo = bridge.SourceKind.DEMO.value
    if demo not in kinds:
        return ""
    if kinds == {demo}:
        return f"{widgets.DEMO_BADGE} {widgets.demo_sentence('五星达标星数')}"
    known = cells[cells["source_kind"] != demo]
    return (f":orange-badge[含示例] 五星达标星数中{'、'.join(known['star'])}为"
            f"{widgets.kind_label(bridge.combined_kind(known['source_kind']))}，其余为示例数据（固定种子生成），"
            "报道未公布，不作正式数字引用。")


def _figures(name: str, as_of: dt.date | None, signed_in: bool, latest: dt.date | None) -> Figures:
    profile = bridge.community_profile(name, as_of=as_of)
    if not profile.has_published_figures:
        return Figures(False, profile.empty_note, None, ())
    figs = profile.facts[~profile.facts["is_demo"]]
    own = figs[figs["subject"] == profile.full_name]
    return Figures(True, "", _grid(own, signed_in, latest, source=_source_note(own)) if not own.empty else None, tuple(
        _grid(g, signed_in, latest, title=widgets.md_escape(subject))
        for subject, g in figs[figs["subject"] != profile.full_name].groupby("subject", sort=False)))


def _notes(name: str, as_of: dt.date | None) -> Notes:
    notes = bridge.community_profile(name, as_of=as_of).notes
    honours = notes[notes["kind"] == "荣誉"]
    lines = tuple((f"**{title}**：" + "；".join(widgets.md_escape(t) for t in part["text"]),
                   f"原文：“{widgets.md_escape(part['quote'].iloc[0])}”")
                  for kind, title in NOTE_KINDS.items() if not (part := notes[notes["kind"] == kind]).empty)
    return Notes("　".join(f":red-badge[{widgets.md_escape(t)}]" for t in honours["text"]),
                 tuple(f"来源：新闻报道。原文：“{widgets.md_escape(q)}”" for q in honours["quote"].drop_duplicates()),
                 lines)


def _beds(key: str, as_of: dt.date | None, signed_in: bool, latest: dt.date | None) -> tuple[str, str]:
    """A facility's 床位 cell and its source on `as_of`: the bed count holding then (lib.queries.care.beds_on: a 床位
    figure, else the register's) with its own tag and date, as the 养老 page shows it; none before it holds."""
    held = bridge.facility_beds(key, as_of=as_of)
    if held.shown is None:
        return ("暂无公开数据" if held.value is None else "所选日期暂无数据"), "—"
    return held.shown.display, held.shown.for_viewer(signed_in).badge(latest)


def _facilities(name: str, as_of: dt.date | None, signed_in: bool, latest: dt.date | None) -> Facilities | None:
    """The community's elder-care facilities (None when it has none): the register (来源), each with its bed count on
    `as_of` and that count's source (床位来源); `latest`: the page's 「最新数据」 date."""
    fac = bridge.care_facilities(community=name)
    if fac.empty:
        return None
    beds = [_beds(k, as_of, signed_in, latest) for k in fac["key"]]
    return Facilities(arrow_bytes.table(pd.DataFrame({
        "设施": fac["name"], "类型": fac["kind"], "床位": [b for b, _ in beds], "床位来源": [t for _, t in beds],
        "来源": fac["source_kind"].map(widgets.kind_label)})))


overview = kept(_overview, ttl=TTL_SECONDS)
economy = kept(_economy, ttl=TTL_SECONDS)
communities = kept(_communities, ttl=TTL_SECONDS)
status = kept(_status, ttl=TTL_SECONDS)
figures = kept(_figures, ttl=TTL_SECONDS)
notes = kept(_notes, ttl=TTL_SECONDS)
facilities = kept(_facilities, ttl=TTL_SECONDS)
