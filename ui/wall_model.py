"""The wall's 示范 view: the communities by status, the L-shaped 大官庄—中兴—工业路—西华 cluster and the
榆树庄 pilot outlined on the map (each named in the legend as 报道), and the naming date with its quote (issue #14).

Facts come from lib.wall_content (the article's words), the map from ui/map_view.py (extra layers, no fork).
"""
from __future__ import annotations

import datetime as dt
import html

import streamlit as st

from geo.deck_style import HIGHLIGHT_COLORS
from ui import bridge, map_view, wall_chart, wall_css, widgets
from ui.bridge import cn_date

STATUSES = ("已命名示范社区", "先行先试", "创建中", "未命名")
CLUSTER_LABEL = "L形连片打造（报道）"
# Text from 4 m: nothing below 2.2 % of the screen height (ui/wall_css.py), the tags included.
CSS = """<style>
.gw-model-groups, .gw-model-status { font-size: 2.4vh; line-height: 1.3; color: #e5e7eb; }
.gw-model-status { border-collapse: collapse; width: 100%; margin-bottom: 0.6vh; }
.gw-model-status td { padding: 0.3vh 0.6vw 0.3vh 0; vertical-align: baseline; border-bottom: 1px solid #374151; }
.gw-model-status td.s { white-space: nowrap; }
.gw-model-status td.n { font-size: 3.6vh; font-weight: 700; white-space: nowrap; }
.gw-model-status .nm { white-space: nowrap; }
.gw-model-status .gw-tag { font-size: 2.3vh !important; }
.gw-model-groups .gw-tag { font-size: 2.3vh !important; }
.gw-model-groups b { white-space: nowrap; }
</style>"""


def pilot_label(m) -> str:
    """「铁路以西先行先试区 · 榆树庄（报道）、麒麟（录入）」: each pilot with its own source's tag word."""
    parts = [f"{'、'.join(p.communities)}（{bridge.figure({'source_kind': p.kind}).tag}）" for p in m.pilots]
    return f"铁路以西先行先试区 · {'、'.join(parts)}"


def highlights(m) -> list[tuple[str, tuple[str, ...], tuple[int, ...], str]]:
    """The map's outlined groups: (layer id, communities, RGBA, legend label)."""
    out = []
    if m.cluster:
        out.append(("cluster", tuple(m.cluster), tuple(HIGHLIGHT_COLORS["cluster"]), CLUSTER_LABEL))
    if m.pilot:
        out.append(("pilot", tuple(m.pilot), tuple(HIGHLIGHT_COLORS["pilot"]), pilot_label(m)))
    return out


def _statuses_html(status, kinds_of: dict[str, tuple[str, ...]]) -> str:
    """One row per status: its source tags (its members' records and those that took a community out: lib's
    named_basis), the count (large) and the communities (never split inside a name)."""
    rows = []
    for s in STATUSES:
        part = status[status["status"] == s]
        kinds = list(kinds_of.get(s) or sorted(set(part["source_kind"]))) or ["article"]
        tags = "".join(wall_chart.tag_html(bridge.figure({"source_kind": k}), None) for k in kinds)
        names = "、".join(f"<span class='nm'>{html.escape(n)}</span>" for n in part["community"]) or "—"
        rows.append(f"<tr><td class='s'>{html.escape(s)} {tags}</td><td class='n'>{len(part)}个</td>"
                    f"<td>{names}</td></tr>")
    return f"{CSS}<table class='gw-model-status'>{''.join(rows)}</table>"


def _groups_html(m) -> str:
    rows = []
    for n in m.namings:  # each naming on its own date with its own source; the article's words only for its own
        quote = m.quote_of(n)
        rows.append(f"<div class='gw-named'><b>{cn_date(n.day)}</b>，{html.escape('、'.join(n.communities))}"
                    f"被命名为示范社区 {wall_chart.tag_html(bridge.figure({'source_kind': n.kind}), None)}</div>"
                    + (f"<div class='gw-quote'>原文：“{html.escape(quote)}”</div>" if quote else ""))
    for said, kind in [*m.changes, *m.pilot_changes]:  # who left the named set or the pilot, by whose word
        rows.append(f"<div class='gw-named'>{html.escape(said)} "
                    f"{wall_chart.tag_html(bridge.figure({'source_kind': kind}), None)}</div>")
    for label, names, quote in ((CLUSTER_LABEL, m.cluster, m.cluster_quote),
                                (pilot_label(m), m.pilot, m.pilot_quote)):
        if names:
            rows.append(f"<div class='gw-group'><b>{html.escape(label)}</b>：{html.escape('—'.join(names))}</div>"
                        + (f"<div class='gw-quote'>原文：“{html.escape(quote)}”</div>" if quote else ""))
    return f"{CSS}<div class='gw-model-groups'>{''.join(rows)}</div>"


def model_view(*, community: str | None, as_of: dt.date | None) -> None:
    none = community and not bridge.wall_has_model(community=community, as_of=as_of)
    # Said in the heading (not a line of its own): the view must still fit the screen.
    st.subheader("示范社区创建 · L形连片与先行先试"
                 + (f"（报道未提及{community}社区的示范社区创建情况；以下为全街道）" if none else ""))
    status = bridge.model_status(as_of=as_of)
    m = bridge.wall_model_map(as_of=as_of)
    map_col, figures_col = st.columns([1.35, 1], gap="large")
    with figures_col:
        with widgets.guard("示范社区状态"):
            st.html(_statuses_html(status, m.status_kinds))
        st.html(_groups_html(m))
    with map_col, st.container(key="screen-map"):  # 43 % of the height: room for the legend's two outlines
        map_view.render(key_prefix="screen.model", height=420, controls=False, checks=False, metric="model",
                        highlights=highlights(m), label_px=wall_css.MAP_LABEL_PX,
                        fit_width=wall_css.MAP_FIT_WIDTH_PX)
