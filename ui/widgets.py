"""Small shared renderers: provenance badges, KPI cards with sources, the 「数据截至」 stamp, guards."""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterator

import pandas as pd
import streamlit as st

from lib.errors import DashboardError
from lib.fmt import cn_date
from lib.models import SOURCE_KIND_LABELS, SourceKind

log = logging.getLogger("guangwu.ui")

DEMO_BADGE = ":orange-badge[示例数据]"
SCHEMATIC_BADGE = ":violet-badge[示意图，非测绘成果]"


@contextlib.contextmanager
def guard(panel: str) -> Iterator[None]:
    """Show a domain error in Chinese, and anything else as a quiet placeholder — never a traceback."""
    try:
        yield
    except DashboardError as exc:
        st.error(exc.message, icon=":material/error:")
        for line in exc.details[:20]:
            st.caption(line)
    except Exception:  # noqa: BLE001 - a wall screen must never show a traceback
        log.exception("panel %s failed", panel)
        st.info(f"「{panel}」暂时无法显示，请稍后刷新。", icon=":material/hourglass_empty:")


def kind_label(kind: str | None) -> str:
    try:
        return SOURCE_KIND_LABELS[SourceKind(kind)]
    except ValueError:
        return kind or "未知来源"


def source_text(kind: str | None, title: str | None = None, quote: str | None = None,
                recorded_by: str | None = None) -> str:
    parts = [f"来源：{kind_label(kind)}"]
    if title and kind != SourceKind.DEMO:
        parts.append(f"《{title[:40]}…》" if len(title) > 40 else f"《{title}》")
    if quote:
        parts.append(f"原文：“{quote}”")
    if recorded_by and kind == SourceKind.STAFF:
        parts.append(f"录入：{recorded_by}")
    return "  \n".join(parts)


def fact_metric(row: pd.Series | dict, *, label: str | None = None, delta: str | None = None,
                delta_color: str = "normal", delta_arrow: str = "auto") -> None:
    """A KPI card whose hover text says where the figure came from; demo figures carry a badge."""
    r = dict(row)
    title = label or r["label"]
    if r.get("is_demo"):
        title = f"{title} · 示例"
    st.metric(title, r["display"], delta=delta, delta_color=delta_color, delta_arrow=delta_arrow,
              help=source_text(r.get("source_kind"), r.get("source_title"), r.get("quote"), r.get("recorded_by")),
              border=True)


def as_of_stamp(date: dt.date | None, *, chosen: dt.date | None = None) -> None:
    text = f"数据截至 {cn_date(date)}" if date else "数据截至：暂无数据"
    if chosen:
        text += f"（按 {cn_date(chosen)} 回看）"
    st.caption(f":material/schedule: {text}")


def demo_note(what: str) -> None:
    st.caption(f"{DEMO_BADGE} {what}为示例数据（固定种子生成），报道未公布，不作正式数字引用。")


def no_data(what: str) -> None:
    st.info(f"{what}：暂无公开数据。", icon=":material/info:")
