"""App chrome: theme CSS, the database check, and the shared sidebar filters."""
from __future__ import annotations

import base64
import functools
from pathlib import Path

import streamlit as st

from lib.db import check_database
from lib.errors import DashboardError
from ui import bridge, layout, page_guard, page_shell, reconnect
from ui.bridge import KEYS

_SCREEN_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stToolbar"], [data-testid="stHeader"], [data-testid="stDecoration"], #MainMenu, footer,
[data-testid="stElementToolbar"] { display: none !important; }
/* One rem follows the screen: 22.6 px on 1920×1080, twice that on 3840×2160, limited by the height on
   very wide screens; every size below is in rem or vh, so the layout is the same at any resolution. */
html { font-size: max(12px, min(1.18vw, 2.1vh)) !important; }
[data-testid="stMain"] { overflow: hidden !important; }
.block-container { padding: 1.2vh 1.6vw 0 1.6vw !important; max-width: 100% !important; }
.block-container [data-testid="stVerticalBlock"] { gap: 0.9vh; }
[data-testid="stMetricValue"] { font-size: 2.6rem !important; line-height: 1.15; }
[data-testid="stMetricLabel"] p { font-size: 1.0rem !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 0.8rem !important; }
[data-testid="stHeading"] h3 { font-size: 1.5rem !important; }
/* Sized from the viewport (pages/screen.py, ui/screen_views.py put these keyed containers). */
.st-key-screen-map [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]),
.st-key-screen-map [data-testid="stDeckGlJsonChart"] { height: 43vh !important; }
.st-key-screen-model-map [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]),
.st-key-screen-model-map [data-testid="stDeckGlJsonChart"] { height: 62vh !important; }
.st-key-screen-chart { height: 60vh !important; flex: 0 0 auto !important; }
.gw-head { display: flex; align-items: baseline; justify-content: space-between; gap: 1.5rem;
           white-space: nowrap; }
.gw-title { font-size: 2.1rem; font-weight: 700; line-height: 1.2; overflow: hidden; text-overflow: ellipsis; }
.gw-stamp { font-size: 1.05rem; opacity: 0.9; }
.gw-figures { display: flex; gap: 0.6rem; }
.gw-figure { flex: 1 1 0; min-width: 0; padding: 0.35rem 0.6rem; border-left: 3px solid #3aa77e;
             white-space: nowrap; }
.gw-figure .l { font-size: 0.78rem; opacity: 0.85; overflow: hidden; text-overflow: ellipsis; }
.gw-figure .v { font-size: 1.45rem; font-weight: 600; line-height: 1.25; }
.gw-demo { color: #f59e0b; font-size: 0.7rem; }
</style>
"""


def apply_theme(*, screen: bool) -> None:
    """The wall's CSS with each run; the desk pages' CSS and script only where the served page does not carry
    them already (ui/page_shell.py puts both in every desk page under serve.py; `streamlit run app.py` and
    AppTest have no page shell)."""
    if screen:
        st.html(layout.BASE_CSS + _SCREEN_CSS)
    elif not page_shell.in_head():
        st.html(layout.DESK_CSS)
        st.html(layout.script(), unsafe_allow_javascript=True)


@functools.cache
def page_icon() -> str:
    """The local icon as an inline data URL, read once per process: a file path made Streamlit read and
    re-encode the image on every run, and a :material/…: icon makes the browser fetch it from outside."""
    data = (Path(__file__).parent / "assets" / "icon.png").read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


# The health check runs at most every HEALTH_TTL seconds (shared by all sessions): short, so pages recover
# within a few seconds of the database coming back; a hung database costs one connect timeout per period.
HEALTH_TTL = 2


@st.cache_data(ttl=HEALTH_TTL, show_spinner=False)
def _db_problem() -> str | None:
    try:
        check_database()
    except DashboardError as exc:
        return exc.message
    return None


def database_ready(*, screen: bool = False) -> bool:
    problem = _db_problem()
    if not problem:
        return True
    page_guard.database_unavailable()  # counted on /metrics
    if screen:  # a wall shows a quiet placeholder and retries by itself
        page_guard.quiet_placeholder()
        return False
    page_guard.retry_later()  # the page comes back by itself within seconds of the database
    st.error(f"看板暂时无法读取数据：{problem}", icon=":material/database:")
    st.caption("数据库恢复后本页会在几秒内自动恢复；长时间未恢复请联系管理员。")
    return False


def _clear_community() -> None:
    st.session_state[KEYS["community"]] = None


def sidebar_filters() -> None:
    """The one community selection and the as-of date, mirrored in the URL (?community=…&as_of=…); at their foot,
    the empty timer that has a page drawn again after a reconnect (ui/reconnect.py)."""
    options = bridge.community_options()
    # ?community=中兴社区 (or with a space): the bound widget drops a value that is not exactly an option before
    # any normalising, and the page silently showed 全街道; the one normalising rule first
    raw = st.query_params.get(KEYS["community"])
    if raw is not None and raw not in options and bridge.known_community(str(raw).strip()):
        st.session_state[KEYS["community"]] = st.query_params[KEYS["community"]] = bridge.known_community(
            str(raw).strip())
    if st.session_state.get(KEYS["community"]) is not None:  # ?community=中兴社区 → 中兴; unknown → 全街道
        st.session_state[KEYS["community"]] = bridge.known_community(st.session_state[KEYS["community"]])
    with st.sidebar:
        st.selectbox("社区", options, index=None, key=KEYS["community"], bind="query-params",
                     placeholder="全街道（未选择社区）")
        st.button("返回全街道", key="filters.clear", on_click=_clear_community, icon=":material/close:",
                  disabled=bridge.selected_community() is None, width="stretch")
        st.date_input("回看日期（留空为最新）", value=None, key=KEYS["as_of"], bind="query-params",
                      format="YYYY-MM-DD", help="各板块显示该日期当天的状态")
        community = bridge.selected_community()
        st.link_button("打开大屏模式", "/?screen=1" + (f"&community={community}" if community else ""),
                       icon=":material/tv:", width="stretch")
        reconnect.watch()  # a reconnect to another process draws the page again (ui/reconnect.py)
