"""The page-run wrapper (app.py, one place): any exception a page or the shared chrome lets through becomes
a Chinese message — a quiet placeholder on the big screen — never Streamlit's English error page or a
traceback; the login gate for REQUIRE_LOGIN_TO_VIEW on every route."""
from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import streamlit as st

from lib.db import database_error
from ui import auth_view

log = logging.getLogger("guangwu.ui")
RETRY_KEY = "page_guard.retry"
SCREEN_RETRY_SECONDS = 15


@contextlib.contextmanager
def page_run(*, screen: bool) -> Iterator[None]:
    """Run the page inside; Streamlit's own control flow (st.stop, st.rerun, st.switch_page) passes through."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the one catch-all; ScriptControlException is a BaseException
        known = database_error(exc)
        if known is None or known is not exc:
            log.exception("page run failed")
        message = known.message if known is not None else "页面出现内部错误（已记录日志），请稍后刷新；如反复出现请联系管理员。"
        if screen:
            quiet_placeholder()
        else:
            st.error(f"页面暂时无法显示：{message}", icon=":material/error:")


def quiet_placeholder() -> None:
    """The wall's placeholder: no error styling, no details; it retries the whole page by itself."""
    st.markdown("")
    st.caption("数据暂时无法显示，稍后自动重试。")
    _retry_later()


@st.fragment(run_every=SCREEN_RETRY_SECONDS)
def _retry_later() -> None:
    if st.session_state.get(RETRY_KEY):  # a timed rerun of this fragment: rerun the whole page
        st.session_state[RETRY_KEY] = False
        st.rerun()
    st.session_state[RETRY_KEY] = True


def login_gate(*, screen: bool) -> None:
    """REQUIRE_LOGIN_TO_VIEW and nobody signed in: the sign-in form instead of whatever page was asked for."""
    st.title("光武街道基层治理看板")
    st.info("查看看板需要登录。" + ("请登录后显示大屏。" if screen else "登录后显示所请求的页面。"),
            icon=":material/lock:")
    auth_view.sign_in_form()
    auth_view.sso_panel()
