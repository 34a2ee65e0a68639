"""The 示范社区 page's derived view: its cards, messages, tables and chart marks, built once per (scope, viewer
kind) and data version and kept (ui/kept.py), so a selection change filters and formats nothing built before.
Each panel is its own view, so a failing query still fails only its panel (widgets.guard on the page)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from ui import arrow_bytes, bridge, kpi_grid, widgets
from ui.bridge import cn_date
from ui.kept import kept

NAMED, PILOT = "已命名示范社区", "先行先试"


@dataclass(frozen=True)
class Naming:
    """The naming cards (named count, the pilot, the selected community's status) and the lines around them."""
    cards: tuple[kpi_grid.Card, ...] = ()
    none_named: bool = False  # no community named by the chosen date
    missing: str = ""  # the selected community without a status
    named: str = ""  # who was named when, by whom
    source: str = ""  # the named count's source and the article's words


@dataclass(frozen=True)
class Projects:
    """The improvement projects of the scope, their quotes; where there are none, the ones the article lists."""
    table: pa.Table | None = None
    quotes: tuple[str, ...] = ()
    listed: str = ""


@dataclass(frozen=True)
class Records:
    """The selected community's status records (frozen, so the kept view is handed out without a copy)."""
    table: pa.Table


def _naming(community: str | None, as_of: dt.date | None, signed_in: bool) -> Naming:
    header = bridge.header(bridge.Scope.of(community, as_of)).latest
    status = bridge.model_status(as_of=as_of)
    named = status[status["status"] == NAMED]

    def card(row, **kw) -> kpi_grid.Card:
        return kpi_grid.card(bridge.figure(row), header=header, signed_in=signed_in, **kw)

    cards, source = [], ""
    if not named.empty:  # the count the table lists, with every source it counts (lib.panels.model_figure)
        count = bridge.summary_panel(bridge.Scope.of(None, as_of), signed_in=signed_in).model
        cards.append(kpi_grid.card(count, header=header, signed_in=signed_in, label="已命名示范社区"))
        if count.citation:  # the article's words, where they are about this count (the article's 4, not a later 3)
            source = f"来源：{widgets.kind_label(count.kind)}。原文：“{count.citation}”"
    pilot = status[status["status"] == PILOT]
    if not pilot.empty:  # every pilot's source counted, the newest date; the article's words only when it is all
        newest = pilot.sort_values("valid_from").iloc[-1].to_dict()
        kind = bridge.combined_kind(pilot["source_kind"])
        cards.append(card({**newest, "label": "铁路以西先行先试", "display": "、".join(pilot["community"]) + "社区",
                           "source_kind": kind, "is_demo": bool(pilot["is_demo"].any()),
                           "quote": newest["quote"] if len(pilot) == 1 else None},
                          notes=tuple(n for n in (bridge.model_date_caveat(pilot["note"]),) if n)))
    else:  # every pilot has moved on: said, with the records that moved them (no card would read as never)
        gone = bridge.emptied_figure(status=PILOT, label="铁路以西先行先试", as_of=as_of)
        if gone:
            said = tuple(f"{text}（{source}）" for _, text, source in bridge.status_changes(status=PILOT, as_of=as_of))
            cards.append(kpi_grid.card(gone, header=header, signed_in=signed_in, notes=said))
    missing = ""
    if community:
        mine = status[status["community"] == community]
        if mine.empty:
            missing = f"{bridge.full_name(community)}的示范社区状态"
        else:
            r = mine.iloc[0]
            cards.append(card(r.to_dict(), label=bridge.full_name(community),  # the article's words, if any;
                              display=r["status"], delta=f"自{cn_date(r['valid_from'])}起", flat=True,  # a note
                              notes=(r["note"],) if isinstance(r["note"], str) and r["note"] else ()))
    text = bridge.naming_text(as_of=as_of)  # each naming date with its communities and source, and who left since
    return Naming(tuple(cards), named.empty, missing, text, source)


def _status_table(as_of: dt.date | None) -> pd.DataFrame:
    """Every community's status as shown (the page tints and highlights it: ui/styled_tables.py)."""
    status = bridge.model_status(as_of=as_of)
    return pd.DataFrame({
        "社区": status["community"] + "社区", "位置": status["side"], "状态": status["status"],
        "起始日期": status["valid_from"].map(cn_date), "说明": status["note"],
        "来源": status["source_kind"].map(widgets.kind_label)})


def _spans(as_of: dt.date | None) -> pd.DataFrame:
    """Status spans up to the data's own date (bridge.model_timeline)."""
    return bridge.model_timeline(as_of=as_of, until=bridge.data_as_of(as_of=as_of))


def _marks(as_of: dt.date | None) -> pd.DataFrame:
    """The timeline's dated rules: each naming date and how many were named that day, as made (lib.panels)."""
    return bridge.naming_marks(as_of=as_of)


def _records(community: str, as_of: dt.date | None) -> Records:
    """The community's status records (今 for the open one when no date is chosen)."""
    spans = _spans(as_of)
    mine = spans[spans["community"] == community]
    until = [("今" if o and not as_of else cn_date(e)) for o, e in zip(mine["open"], mine["end"], strict=True)]
    return Records(arrow_bytes.table(pd.DataFrame({"自": mine["start"].map(cn_date), "至": until, "状态": mine["status"],
                                             "说明": mine["note"]})))


@dataclass(frozen=True)
class Box:
    """A 「连片打造与先行先试」 box: its heading and its lines, each (text, its source)."""
    title: str
    lines: tuple[tuple[str, str], ...]


def _cluster(as_of: dt.date | None) -> tuple[Box, Box]:
    """The article's lines on the “L”-shaped cluster and on the pilot west of the railway; the pilot's heading names
    the pilots on `as_of`, and who left the pilot since is said under the article's words, with its source."""
    def lines(subject: str) -> tuple[tuple[str, str], ...]:
        notes = bridge.notes_q(subject=subject, kind="示范社区")
        return tuple((t, f"来源：新闻报道。原文：“{q}”") for t, q in zip(notes["text"], notes["quote"], strict=True))
    status = bridge.model_status(as_of=as_of)
    pilots = "、".join(status.loc[status["status"] == PILOT, "community"])
    left = tuple((text, f"来源：{source}") for _, text, source in bridge.status_changes(status=PILOT, as_of=as_of))
    return (Box("“L”形连片：大官庄 — 中兴 — 工业路 — 西华", lines("光武街道")),
            Box(f"铁路以西先行先试：{pilots}社区" if pilots else "铁路以西先行先试（暂无先行先试社区）",
                lines("榆树庄") + left))


def _projects(community: str | None) -> Projects:
    projects = bridge.improvement_projects(community=community)
    if projects.empty:
        listed = "、".join(bridge.improvement_projects()["subject"]) if community else ""
        return Projects(listed=f"报道列出的改造项目：{listed}（见全街道视图）。" if community else "")
    table = pd.DataFrame({
        "项目": projects["subject"], "内容（据报道）": projects["text"],
        "报道所述社区": projects["stated_community"].map(lambda v: bridge.full_name(v) if v else "报道未载明"),
        "示意图上所在社区": projects["map_community"].map(lambda v: bridge.full_name(v) if v else "—"),
        "经度": projects["lon"], "纬度": projects["lat"]})
    return Projects(arrow_bytes.table(table), tuple(f"{s}：“{q}”" for s, q in zip(projects["subject"], projects["quote"],
                                                                           strict=True)))


naming = kept(_naming, ttl=bridge.TTL_SECONDS)
status_table = kept(_status_table, ttl=bridge.TTL_SECONDS)
spans = kept(_spans, ttl=bridge.TTL_SECONDS)
marks = kept(_marks, ttl=bridge.TTL_SECONDS)
records = kept(_records, ttl=bridge.TTL_SECONDS)
cluster = kept(_cluster, ttl=bridge.TTL_SECONDS)
projects = kept(_projects, ttl=bridge.TTL_SECONDS)
