"""The page-run wrapper (app.py, one place): any exception a page or the shared chrome lets through becomes
a Chinese message — a quiet placeholder on the big screen — never Streamlit's English error page or a
traceback; the login gate for REQUIRE_LOGIN_TO_VIEW on every route."""
from __future__ import annotations

import contextlib
import contextvars
import logging
import time
from collections.abc import Iterator

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from lib.db_errors import database_error
from lib.errors import DatabaseUnavailable
from ui import admission, auth_view, metrics, nav, reconnect

log = logging.getLogger("guangwu.ui")
RETRY_KEY = "page_guard.retry"
HIDDEN_KEY = "page_guard.hidden"
_OUTCOME: contextvars.ContextVar[str] = contextvars.ContextVar("page_run_outcome", default="ok")
RETRY_SECONDS = 2  # while the database is away (or a wall shows a placeholder), rerun the page this often


@contextlib.contextmanager
def page_run(*, screen: bool) -> Iterator[None]:
    """Run the page inside; Streamlit's own control flow (st.stop, st.rerun, st.switch_page) passes through.
    Runs take turns (ui/admission.py). Each run is timed, its wait for a turn included, and counted for /metrics
    (ui/metrics.py): a run cut short by st.rerun or st.switch_page is not counted (the run that follows is), one
    ended by st.stop is."""
    started, token, counted = time.perf_counter(), _OUTCOME.set("ok"), True
    # This process's runs take turns, a redraw for a browser from a lost process after the others (ui/reconnect.py);
    # the wait counts in the run's time.
    with admission.slot(deferred=reconnect.moved_here()):
        try:
            yield
        except Exception as exc:  # the one catch-all; ScriptControlException is a BaseException
            known = database_error(exc)
            _OUTCOME.set("database" if known is not None else "error")
            if known is None or known is not exc:
                log.exception("page run failed")
            message = known.message if known is not None else "页面出现内部错误（已记录日志），请稍后刷新；如反复出现请联系管理员。"
            if screen:
                quiet_placeholder()
            else:
                st.error(f"页面暂时无法显示：{message}", icon=":material/error:")
                if isinstance(known, DatabaseUnavailable):
                    retry_later()
        except BaseException as exc:  # Streamlit's control flow: st.stop ends this run, the others start another
            counted = isinstance(exc, StopException)
            raise
        finally:
            if counted:
                metrics.record_run(metrics.page_name(), time.perf_counter() - started, _OUTCOME.get())
            _OUTCOME.reset(token)


def database_unavailable() -> None:
    """This run showed the database message instead of the page (ui.chrome.database_ready): /metrics counts
    it as outcome `database`."""
    _OUTCOME.set("database")


def quiet_placeholder() -> None:
    """The wall's placeholder: no error styling, no details; it retries the whole page by itself."""
    st.markdown("")
    st.caption("数据暂时无法显示，稍后自动重试。")
    retry_later()


@st.fragment(run_every=RETRY_SECONDS)
def retry_later() -> None:
    """Rerun the whole page every RETRY_SECONDS (an invisible fragment), so it recovers by itself."""
    if st.session_state.get(RETRY_KEY):  # a timed rerun of this fragment: rerun the whole page
        st.session_state[RETRY_KEY] = False
        st.rerun()
    st.session_state[RETRY_KEY] = True


# Work pages by URL path → (title, who may use them): registered hidden for everyone else (see hidden_pages).
WORK_PAGES = {
    "check_form": ("pages/check_form.py", "现场核查登记", "社区工作人员和街道管理员"),
    "my_checks": ("pages/my_checks.py", "我的核查", "社区工作人员和街道管理员"),
    "entry": ("pages/entry.py", "数据录入", "社区工作人员和街道管理员"),
    "ledgers": ("pages/ledgers.py", "台账导入导出", "社区工作人员和街道管理员"),
    "audit": ("pages/audit.py", "审计日志", "街道管理员"),
    "users": ("pages/users.py", "用户管理", "街道管理员"),
    "geo_import": ("pages/geo_import.py", "地图数据导入", "街道管理员"),
}


def hidden_pages(*, exclude: list) -> list:
    """The work pages this session may not use, as hidden pages (not in the menu; their URL shows the gate)."""
    shown = {p.url_path for p in exclude}
    hidden = [url for url in WORK_PAGES if url not in shown]
    st.session_state[HIDDEN_KEY] = hidden  # which registered pages are only a gate (tests read it)
    return [nav.page(WORK_PAGES[url][0], title=WORK_PAGES[url][1], url_path=url, visibility="hidden") for url in hidden]


def login_gate(*, screen: bool, page: str | None = None, signed_in: bool = False) -> None:
    """The sign-in form (or, when signed in, a Chinese refusal) instead of a page this session may not see."""
    who = next((w for _p, title, w in WORK_PAGES.values() if title == page), None)
    if signed_in and who:
        st.warning(f"无权限：「{page}」仅限{who}使用，当前账号无权访问。", icon=":material/lock:")
        return
    st.title("光武街道基层治理看板")
    if who:
        st.info(f"「{page}」需要登录（仅限{who}使用）。", icon=":material/lock:")
    else:
        st.info("查看看板需要登录。" + ("请登录后显示大屏。" if screen else "登录后显示所请求的页面。"),
                icon=":material/lock:")
    auth_view.sign_in_form()
    auth_view.sso_panel()
