"""「汇报材料」 (PDF and xlsx) and 「简报图片」 (PNG) of the selected scope, on the overview and the big screen.

Built when asked: the callback of a 「生成…」 button, run in this session's run as the app's writes are
(ui/flash.py), so inside the app's Chinese error handling and as this viewer may read it (staff names for signed-in
viewers only). Never a callable for `data=`: Streamlit runs that in its own download handler, outside both (a
fault there is its English 「Failed to generate file for download」, and it sees no signed-in viewer). The built
bytes are kept in session_state with the stamp they were built for (scope, data version, day, viewer); files of
another stamp are dropped, never offered.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from lib.errors import DashboardError, DatabaseUnavailable
from ui import bridge, flash, metrics, summary

log = logging.getLogger("guangwu.ui")

PDF_MIME = "application/pdf"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG_MIME = "image/png"
Build = Callable[[], tuple[bytes, ...]]  # the files of one 「生成…」 (PDF and xlsx, or the PNG)


@dataclass(frozen=True)
class _Built:
    stamp: tuple
    files: tuple[bytes, ...]


def _stamp(community: str | None, as_of: dt.date | None) -> tuple:
    """What the files depend on besides their code: the scope, the data (its version: any write on any replica,
    the 上次汇报日期 included, changes it), the day (alerts count days up to today) and who reads them."""
    return community, as_of, bridge.data_token(), bridge.now_local().date(), bridge.current_actor()


def _build(ns: str, what: str, community: str | None, as_of: dt.date | None, build: Build) -> None:
    """The 「生成…」 button's callback: runs in this session's run, before the page draws (as the app's writes do,
    ui/flash.py), so it sees the signed-in viewer. Keeps the files under the stamp read before building; a fault
    leaves a Chinese message naming `what` for `_on_request` to show, and nothing kept."""
    st.session_state.pop(ns, None)
    stamp = _stamp(community, as_of)  # read first: data written meanwhile makes the files stale, never current
    try:
        files = tuple(build())
    except DashboardError as exc:
        metrics.record_panel_failure("database" if isinstance(exc, DatabaseUnavailable) else "domain")
        flash.put(ns, "error", f"生成{what}失败：{exc.message}", exc.details)
        return
    except Exception:  # noqa: BLE001 - never a traceback or Streamlit's English on screen
        log.exception("%s: building %s failed", ns, what)
        metrics.record_panel_failure("internal")
        flash.put(ns, "error", f"生成{what}失败：系统内部错误。请稍后重试或联系管理员。")
        return
    st.session_state[ns] = _Built(stamp, files)


def _on_request(ns: str, what: str, community: str | None, as_of: dt.date | None, build: Build, *, label: str,
                key: str, width: str) -> tuple[bytes, ...] | None:
    """The files kept under `ns` for this scope, data, day and viewer; else None, with a 「生成…」 button that builds
    them (`_build`) and the message of a build that failed."""
    kept = st.session_state.get(ns)
    if isinstance(kept, _Built) and kept.stamp == _stamp(community, as_of):
        return kept.files
    st.session_state.pop(ns, None)  # another scope, older data, another day or viewer: dropped, never offered
    st.button(label, key=key, on_click=_build, args=(ns, what, community, as_of, build), icon=":material/build:",
              width=width)
    flash.show(ns)
    return None


def buttons(*, community: str | None, as_of: dt.date | None, key: str, width: str = "content") -> None:
    """「生成汇报材料」, then the PDF and xlsx of the scope as built (the pack costs a build only when asked)."""
    label = f"{community}社区" if community else "全街道"
    files = _on_request(f"{key}.pack", "汇报材料", community, as_of, lambda: bridge.briefing_pack(community, as_of),
                        label=f"生成汇报材料（{label}）", key=f"{key}.pack_make", width=width)
    if files is None:
        return
    scope = bridge.Scope.of(community, as_of)
    st.download_button(f"汇报材料 PDF（{label}）", data=files[0], file_name=bridge.briefing_file_name(scope, "pdf"),
                       mime=PDF_MIME, key=f"{key}.pack_pdf", on_click="ignore", icon=":material/picture_as_pdf:",
                       width=width)
    st.download_button(f"汇报数字 Excel（{label}）", data=files[1], file_name=bridge.briefing_file_name(scope, "xlsx"),
                       mime=XLSX_MIME, key=f"{key}.pack_xlsx", on_click="ignore", icon=":material/table_view:",
                       width=width)


def png_button(*, community: str | None, as_of: dt.date | None, key: str, width: str = "content") -> None:
    """「生成简报图片」, then 「导出简报图片（PNG）」 of the scope as drawn (ui.summary.briefing_png)."""
    files = _on_request(f"{key}.png", "简报图片", community, as_of,
                        lambda: (summary.briefing_png(community=community, as_of=as_of),), label="生成简报图片",
                        key=f"{key}.export_make", width=width)
    if files is not None:
        st.download_button("导出简报图片（PNG）", data=files[0],
                           file_name=bridge.briefing_file_name(bridge.Scope.of(community, as_of)), mime=PNG_MIME,
                           key=f"{key}.export", on_click="ignore", icon=":material/download:", width=width)


def section(*, community: str | None, as_of: dt.date | None) -> None:
    """The overview's 「汇报材料」 section in the sidebar."""
    with st.sidebar:
        st.subheader("汇报材料")
        st.caption("A4 横版 PDF：封面、地图、四个板块、数据来源；Excel 为其中每个数字及来源、日期。")
        buttons(community=community, as_of=as_of, key="overview", width="stretch")
