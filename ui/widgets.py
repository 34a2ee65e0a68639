"""Small shared renderers: provenance badges, KPI cards with sources, the 「数据截至」 stamp, guards."""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
from collections.abc import Iterator

import pandas as pd
import streamlit as st

from lib.errors import DashboardError, DatabaseUnavailable
from lib.figures import KIND_NAMES, MIXED, TAGS, Figure, combined_kind, from_row
from lib.fmt import cn_date
from lib.models import SourceKind
from lib.panels import Header
from ui import metrics

log = logging.getLogger("guangwu.ui")

DEMO_BADGE = ":orange-badge[示例数据]"
SCHEMATIC = "示意图，非测绘成果"
SCHEMATIC_BADGE = f":violet-badge[{SCHEMATIC}]"


@contextlib.contextmanager
def guard(panel: str, *, screen: bool = False) -> Iterator[None]:
    """Show a domain error in Chinese, and anything else as a quiet placeholder — never a traceback. `screen`: the
    big screen, whose timed fragments rerun outside app.py's page wrapper: any failure is the wall's quiet placeholder
    that retries by itself (ui.page_guard), never a red box naming the database."""
    try:
        yield
    except DashboardError as exc:
        from ui import flash  # (flash draws with md_escape, below)

        metrics.record_panel_failure("database" if isinstance(exc, DatabaseUnavailable) else "domain")
        if screen:
            _wall_placeholder()
            return
        flash.error(exc.message, exc.details)  # the one way an error is shown: as text, details capped
    except Exception:  # noqa: BLE001 - a wall screen must never show a traceback
        log.exception("panel %s failed", panel)
        metrics.record_panel_failure("internal")
        if screen:
            _wall_placeholder()
            return
        st.info(f"「{panel}」暂时无法显示，请稍后刷新。", icon=":material/hourglass_empty:")


def _wall_placeholder() -> None:
    from ui import page_guard  # (page_guard builds on the chrome, which uses this module)

    page_guard.quiet_placeholder()


def kind_label(kind: str | None) -> str:
    """新闻报道 / 示例数据 / 工作人员录入 / 多种来源…: lib.figures' one table of kind names."""
    return KIND_NAMES.get(kind or "", kind or "未知来源")


def kind_badge(kind: str | None) -> str:
    """The kind's name as a Markdown badge in its tag colour (lib.figures.TAGS), as on every card: 新闻报道 blue,
    工作人员录入 green, 示例数据 orange."""
    return f":{TAGS.get(kind or '', ('', 'gray'))[1]}-badge[{kind_label(kind)}]"


# Every ASCII punctuation character (string.punctuation: !-/ :-@ [-` {-~): CommonMark lets each be backslash-escaped,
# and any of them can start markup (setext headings "===", entities "&amp;", Streamlit's ":red[...]" and
# ":material/...:" directives, "$" math).
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def md_escape(text: object) -> str:
    """Stored text (typed by staff) shown literally inside Markdown: every ASCII punctuation character
    backslash-escaped, and a line's leading spaces / tabs made non-breaking spaces (a tab four), so that the
    indentation stays visible but never starts a code block."""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text).replace("\r\n", "\n").replace("\r", "\n"))  # a lone \r breaks too
    return re.sub(r"(?m)^[ \t]+", lambda m: m.group().replace("\t", "    ").replace(" ", "\u00a0"), escaped)


def viewer(fig: Figure) -> Figure:
    """The figure as this viewer may see it (staff names for signed-in users only: lib decides)."""
    from ui import bridge

    return fig.for_viewer(bridge.current_actor() is not None)


def tag_badge(fig: Figure, header: dt.date | None = None) -> str:
    """The coloured source tag (报道 / 录入 · who · when / 示例), plus the figure's own date when it differs
    from the header's: the tag carries the meaning without hover (a wall)."""
    text = viewer(fig).badge(header)
    return f":{fig.color}-badge[{md_escape(text)}]"


def figure_metric(fig: Figure, *, header: dt.date | None = None, label: str | None = None,
                  display: str | None = None, delta: str | None = None, flat: bool = False) -> None:
    """A KPI card for a Figure: 「 · 示例」 / 「 · 录入」 in the label, its source on hover (not on the wall,
    where nobody can hover: the tag below says it), and below it the coloured tag with its own date when that
    differs from the header's."""
    from ui import bridge

    fig = viewer(fig)
    header = header if header is not None else bridge.header().latest  # the page's 「最新数据」 date
    title = md_escape(label or fig.label)
    if fig.kind != SourceKind.ARTICLE.value:
        title = f"{title} · {fig.tag}"
    st.metric(title, display or fig.display, delta=delta, delta_color="off" if flat else "normal",
              delta_arrow="off" if flat else "auto", border=True,
              help=None if bridge.screen_mode() else md_escape(fig.provenance()))
    st.caption(tag_badge(fig, header))


def fact_metric(row: pd.Series | dict, *, label: str | None = None, header: dt.date | None = None,
                as_of: dt.date | None = None, delta: str | None = None, delta_color: str = "normal",
                delta_arrow: str = "auto") -> None:
    """A KPI card for a query row (facts() and the like): see `figure_metric`."""
    figure_metric(from_row(row, as_of=as_of), header=header, label=label, delta=delta,
                  flat=delta_color == "off" or delta_arrow == "off")


def as_of_stamp(header: Header, scope: str = "") -> None:
    """The page's 「最新数据」 line; `scope`, the page's 「当前范围」 line, under it in the same element."""
    st.caption(f":material/schedule: {header.text}" + (f"  \n{scope}" if scope else ""))


def demo_sentence(what: str, *, mixed: bool = False) -> str:
    """What is demo data: all of `what`, or (`mixed`) some of it beside reported or entered records."""
    if mixed:
        return f"{what}含示例数据（固定种子生成），示例部分报道未公布，不作正式数字引用；各数字来源见其标注。"
    return f"{what}为示例数据（固定种子生成），报道未公布，不作正式数字引用。"


def demo_tag(*, mixed: bool = False) -> str:
    """The badge word in front of demo_sentence."""
    return "含示例" if mixed else "示例数据"


def not_demo_days(series: pd.DataFrame) -> str:
    """The days of a daily occupancy series that are not demo data, each with its own source:
    「2023年11月22日的48人（新闻报道）、2024年2月1日的45人（工作人员录入）」; empty when every day is demo."""
    known = series[~series["is_demo"].astype(bool)]
    return "、".join(f"{cn_date(d)}的{int(n)}人（{kind_label(k)}）"
                    for d, n, k in zip(known["day"], known["occupied"], known["source_kind"], strict=True))


def source_sentence(what: str, rows: pd.DataFrame, *, by: str = "community") -> str:
    """What `rows` (one per community, or per cell, with `source_kind`) are: 「:orange-badge[示例数据] 达标星数为示例
    数据…」 when all are demo data; when some are not, which communities are entered (or reported) and that the rest
    are demo data; otherwise their source. The page's caption under a chart of several communities."""
    kinds = set(rows["source_kind"].dropna())
    demo = SourceKind.DEMO.value
    if kinds <= {demo}:
        return f"{DEMO_BADGE} {demo_sentence(what)}"
    if demo not in kinds:
        return f"{what}来源：{kind_label(combined_kind(kinds))}。"
    known = rows[rows["source_kind"] != demo]
    named = "、".join(dict.fromkeys(f"{c}社区" for c in known[by]))
    return (f":orange-badge[含示例] {what}中{named}为{kind_label(combined_kind(set(known['source_kind'])))}，"
            f"其余为示例数据（固定种子生成），报道未公布，不作正式数字引用。")


def demo_note(what: str, *, mixed: bool = False) -> None:
    st.caption(f":orange-badge[{demo_tag(mixed=mixed)}] {demo_sentence(what, mixed=mixed)}")


def demo_caption(what: str, kinds) -> None:
    """demo_note for `what` made of records of `kinds` (source kinds): 示例数据 when all are demo, 含示例 when some
    are; nothing when none is."""
    kind = combined_kind(set(kinds))
    if kind in (SourceKind.DEMO.value, MIXED):
        demo_note(what, mixed=kind == MIXED)


def no_data(what: str) -> None:
    st.info(f"{what}：暂无公开数据。", icon=":material/info:")


DATE_FORMAT = "YYYY年M月D日"  # a table's date column, as dates read everywhere (a moment.js format)
TIME_FORMAT = "YYYY年M月D日 HH:mm:ss"  # a table's time column (China wall-clock time), e.g. the audit log's


def date_columns(df: pd.DataFrame) -> dict:
    """column_config for `df`'s date and time columns: shown as 「2023年11月22日」 (a time of day as
    「2024年2月20日 10:00:05」) and still sorted as dates (st.dataframe drew 「2023-11-22」, 「2024-02-20 10:00:05」)."""
    def kind(col: pd.Series) -> str | None:
        values = col.dropna()
        if pd.api.types.is_datetime64_any_dtype(col):
            return "time" if (values != values.dt.normalize()).any() else "date"
        if values.empty or not all(isinstance(v, dt.date) for v in values):
            return None
        return "time" if any(isinstance(v, dt.datetime) and v.time() != dt.time() for v in values) else "date"
    shown = {"date": lambda: st.column_config.DateColumn(format=DATE_FORMAT),
             "time": lambda: st.column_config.DatetimeColumn(format=TIME_FORMAT)}
    return {name: shown[k]() for name in df.columns if (k := kind(df[name]))}
