"""One-shot messages from a write callback to the next render ("已保存…" / a Chinese error with details).

Writes run in widget callbacks (before the page draws, so lists below show fresh data); the callback
calls `run(ns, fn, …)` and the page calls `show(ns)` where the message belongs.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import streamlit as st

from lib.errors import DashboardError
from ui import bridge

log = logging.getLogger("guangwu.ui")
MAX_DETAILS = 20


def _key(ns: str) -> str:
    return f"{ns}.flash"


def put(ns: str, kind: str, message: str, details: list[str] | None = None) -> None:
    st.session_state[_key(ns)] = (kind, message, list(details or []))


def run(ns: str, fn: Callable[[], Any], success: Callable[[Any], str], *, failed: str = "操作失败") -> bool:
    """Call the write `fn`; store its success message or its Chinese error. Caches are cleared either way."""
    try:
        result = fn()
    except DashboardError as exc:
        put(ns, "error", exc.message, exc.details)
        return False
    except Exception:  # never a traceback on screen
        log.exception("%s: write failed", ns)
        put(ns, "error", f"{failed}：系统内部错误，数据未改动。请稍后重试或联系管理员。")
        return False
    finally:
        bridge.clear_caches()
    put(ns, "success", success(result))
    return True


def show(ns: str) -> None:
    """Draw (and forget) the pending message of `ns`."""
    item = st.session_state.pop(_key(ns), None)
    if not item:
        return
    kind, message, details = item
    if kind == "success":
        st.success(message, icon=":material/check_circle:")
    else:
        error(message, details)


def error(message: str, details: list[str] | None = None) -> None:
    """A Chinese error with one caption per detail line (e.g. per bad row)."""
    st.error(message, icon=":material/error:")
    details = list(details or [])
    for line in details[:MAX_DETAILS]:
        st.caption(line)
    if len(details) > MAX_DETAILS:
        st.caption(f"……另有 {len(details) - MAX_DETAILS} 处")
