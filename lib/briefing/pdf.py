"""The pack as a PDF: A4 landscape, light theme, Noto Sans CJK embedded; typeset by Typst (see README).

Pages: cover (scope, 最新数据, 上次汇报日期, key figures, 预警) · map with legend · 五星 · 示范 · 征迁 · 养老
(chart, key figures, deltas, alerts) · sources (every figure with its source kind, citation or author, date).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path

import typst

from lib import briefing_date, clock
from lib.briefing.fonts import FAMILY, font_dir
from lib.briefing.mapsvg import render_map
from lib.briefing.model import NOT_SET, Pack, PackFigure
from lib.fmt import cn_date
from lib.panels import Header

TEMPLATE = Path(__file__).with_name("pack.typ").read_bytes()
DISCLAIMER = "标注「示例」的数字为示例数据（报道未公布，固定随机种子生成），不作正式引用。"  # after the map's own words
COVER_ALERTS = 8  # more would push the cover onto a second page (lines name community, kind and date): the rest are in the xlsx
PANEL_ALERTS = 6  # the same on a panel page (beside its key figures)
PANEL_PAGES = 4
PAGES = 1 + 1 + PANEL_PAGES + 1  # cover, map, one per panel, sources (one page at the seeded data's size)


def _figure(f: PackFigure) -> dict:
    out = asdict(f)
    out["date"] = ("报道于" if f.reported_later else "") + cn_date(f.date) if f.date else ""
    return out


def _since(pack: Pack) -> str:
    """The cover's line on 「较上次汇报」, by lib.briefing_date.comparison's rule (as the figures below it)."""
    if not pack.last_briefing:
        return f"上次汇报日期{NOT_SET}，不显示变化"
    since = briefing_date.comparison(pack.last_briefing, pack.as_of)
    if since.on is None:
        return since.note + "。"
    return (f"上次汇报日期 {cn_date(since.on)} · 较上次汇报（{cn_date(since.on)}）的变化写在各数字下，"
            "括号内为该数字的日期；该日无记录的写「无数据」")


def _first(alerts: list[str], n: int) -> list[str]:
    """The first `n` alerts (most urgent first), and a line saying where the rest are."""
    return alerts[:n] + ([f"另有 {len(alerts) - n} 条预警，见 Excel「预警」表"] if len(alerts) > n else [])


def _data(pack: Pack, charts: dict[str, str]) -> dict:
    scope = pack.scope_label
    stamp = cn_date(pack.data_as_of) if pack.data_as_of else "暂无数据"
    return {
        "font": FAMILY,
        "title": f"光武街道基层治理汇报材料 · {scope}",
        "scope": scope,
        "data_as_of": stamp,
        "last_briefing": cn_date(pack.last_briefing) if pack.last_briefing else NOT_SET,
        "generated": (lambda t: f"{cn_date(t)} {t:%H:%M}")(clock.now_local()),
        # the screen's words (lib.panels.Header), never 「数据截至」: each figure carries its own date
        "footer": f"光武街道 · {scope} · 简报 · {Header(pack.data_as_of, pack.as_of).text}",
        # each card carries its own source (报道, 录入 …); a community's list is cut at the pack's first ten
        "overview_title": "街道概况" if pack.community is None else f"{scope}概况" + (
            f"（列出 {len(pack.overview)} 项，另有 {pack.overview_more} 项见看板「社区档案」页）" if pack.overview_more else ""),
        "overview_empty": f"报道未公布{scope}的具体数字。",
        "overview": [_figure(f) for f in pack.overview],
        "headlines": [{**_figure(p.figures[0]), "label": f"{p.title.split(' ')[0]}·{p.figures[0].label}"}
                      for p in pack.panels if p.figures],
        "alerts": _first(pack.alerts, COVER_ALERTS),
        "alerts_note": "整改逾期、空床不足、现场核查未办结、数据超过规定天数未更新",
        "since": _since(pack),
        "map_note": pack.map_origin.tag,
        "panels": [{"title": p.title, "note": p.note, "alerts": _first(p.alerts, PANEL_ALERTS),
                    "figures": [_figure(f) for f in p.figures],
                    "chart": f"chart_{p.key}" if p.key in charts else ""} for p in pack.panels],
        "figures": [_figure(f) for f in pack.figures],
        "source_titles": pack.source_titles,
        "disclaimer": f"地图为{pack.map_origin.tag}；{DISCLAIMER}",
    }


def render_pdf(pack: Pack, *, charts: dict[str, str], map_svg: str | None = None) -> bytes:
    """PDF bytes. `charts`: panel key → SVG of its chart (see lib.briefing.charts)."""
    svg = map_svg or render_map(pack.layers, status=pack.community_status, selected=pack.community,
                                checks=pack.open_checks, origin=pack.map_origin)
    inputs = {"pack": json.dumps(_data(pack, charts), ensure_ascii=False, default=str), "map": svg,
              **{f"chart_{k}": v for k, v in charts.items()}}
    return typst.compile(TEMPLATE, font_paths=[font_dir()], ignore_system_fonts=True, sys_inputs=inputs,
                         timestamp=int(clock.now_utc().replace(tzinfo=dt.UTC).timestamp()))
