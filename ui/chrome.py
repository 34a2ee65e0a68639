"""App chrome: theme CSS, the database check, and the shared sidebar filters."""
from __future__ import annotations

import streamlit as st

from lib.db import check_database
from lib.errors import DashboardError
from ui import bridge
from ui.bridge import KEYS

_BASE_CSS = """
<style>
/* Touch-sized controls (tablets): at least 44 px high. */
.stButton button, .stDownloadButton button, [data-baseweb="select"] > div, .stDateInput input,
.stTextInput input, .stNumberInput input { min-height: 44px; }
[data-testid="stMetricValue"] { font-size: 2.0rem; }
[data-testid="stMetricLabel"] p { font-size: 1.0rem; }
</style>
"""

_SCREEN_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"],
[data-testid="stHeader"], [data-testid="stDecoration"], #MainMenu, footer { display: none !important; }
.block-container { padding: 0.6rem 1.2rem 0 1.2rem !important; max-width: 100% !important; }
html { font-size: calc(14px + 0.45vw); }
[data-testid="stMetricValue"] { font-size: calc(1.6rem + 1.2vw) !important; }
[data-testid="stMetricLabel"] p { font-size: calc(0.9rem + 0.35vw) !important; }
</style>
"""


def apply_theme(*, screen: bool) -> None:
    st.html(_BASE_CSS + (_SCREEN_CSS if screen else ""))


@st.cache_data(ttl=30, show_spinner=False)
def _db_problem() -> str | None:
    try:
        check_database()
    except DashboardError as exc:
        return exc.message
    return None


def database_ready() -> bool:
    problem = _db_problem()
    if problem:
        st.error(f"看板暂时无法读取数据：{problem}", icon=":material/database:")
        st.caption("请管理员检查数据库连接（DATABASE_URL）后刷新页面。")
        return False
    return True


def _clear_community() -> None:
    st.session_state[KEYS["community"]] = None


def sidebar_filters() -> None:
    """The one community selection and the as-of date, mirrored in the URL (?community=…&as_of=…)."""
    options = bridge.community_options()
    if st.session_state.get(KEYS["community"]) not in (None, *options):
        st.session_state[KEYS["community"]] = None
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
