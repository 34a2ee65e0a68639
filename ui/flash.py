"""The one way to show the outcome of a write: a one-shot message from the write's callback to the next render.

Writes run in widget callbacks (before the page draws, so lists below show fresh data); the callback
calls `run(ns, fn, …)` and the page calls `show(ns)` where the message belongs. Kinds: success (saved),
info (nothing new: 「已保存（重复提交已忽略）」), error (a Chinese message, one caption per detail line).
Messages are shown whole, never cut; only the list of error details is capped. They are text: they quote what
was typed (a finding, a name, a file name), so Markdown in them is shown as typed (ui.widgets.md_escape) —
callers pass them unescaped.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import streamlit as st

from lib.errors import DashboardError, DatabaseUnavailable
from ui import bridge
from ui.widgets import md_escape

log = logging.getLogger("guangwu.ui")
MAX_DETAILS = 20
ICONS = {"success": ":material/check_circle:", "info": ":material/content_copy:", "error": ":material/error:"}


def _key(ns: str) -> str:
    return f"{ns}.flash"


def put(ns: str, kind: str, message: str, details: list[str] | None = None, result: Any = None) -> None:
    st.session_state[_key(ns)] = {"kind": kind, "message": message, "details": list(details or []), "result": result}


def run(ns: str, fn: Callable[[], Any], success: Callable[[Any], str], *, failed: str = "操作失败",
        repeat: Callable[[Any], bool] | None = None, details: Callable[[Any], list[str]] | None = None) -> bool:
    """Call the write `fn`; store its success message (kind info when `repeat(result)`: nothing new was
    stored) or its Chinese error. Caches are cleared either way (a refusal may report another writer's new data),
    except when the database could not be reached: emptied then, every page and wall of the process would read the
    unreachable database at once; a write that did land changes the data version, which renews them anyway."""
    reachable = True
    try:
        result = fn()
    except DashboardError as exc:
        reachable = not isinstance(exc, DatabaseUnavailable)
        put(ns, "error", exc.message, exc.details)
        return False
    except Exception:  # never a traceback on screen
        log.exception("%s: write failed", ns)
        put(ns, "error", f"{failed}：系统内部错误，数据未改动。请稍后重试或联系管理员。")
        return False
    finally:
        if reachable:
            bridge.clear_caches()
    kind = "info" if repeat is not None and repeat(result) else "success"
    put(ns, kind, success(result), details(result) if details else [], result)
    return True


def add_detail(ns: str, line: str) -> None:
    """One more line under the pending message of `ns` (e.g. that a failed form's contents were kept)."""
    item = st.session_state.get(_key(ns))
    if item is not None:
        item["details"].append(line)


def show(ns: str) -> dict | None:
    """Draw (and forget) the pending message of `ns`; returns it ({kind, message, details, result}) so the
    page can draw what was saved."""
    item = st.session_state.pop(_key(ns), None)
    if not item:
        return None
    if item["kind"] == "error":
        error(item["message"], item["details"])
    else:
        (st.success if item["kind"] == "success" else st.info)(md_escape(item["message"]), icon=ICONS[item["kind"]])
        for line in item["details"]:
            st.caption(md_escape(line))
    return item


def error(message: str, details: list[str] | None = None) -> None:
    """A Chinese error with one caption per detail line (e.g. per bad row)."""
    st.error(md_escape(message), icon=ICONS["error"])
    details = list(details or [])
    for line in details[:MAX_DETAILS]:
        st.caption(md_escape(line))
    if len(details) > MAX_DETAILS:
        st.caption(f"……另有 {len(details) - MAX_DETAILS} 处")
