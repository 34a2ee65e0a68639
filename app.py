"""Entry point: page setup, the shared filters, and navigation. No queries or business rules here."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import bridge, chrome

bridge.ensure_entrypoint(in_app=True)
ICON = Path(__file__).parent / "ui" / "assets" / "icon.png"
# A local icon: a :material/…: page icon makes the browser fetch the favicon from an outside host.
st.set_page_config(page_title="光武街道基层治理看板", page_icon=str(ICON), layout="wide",
                   initial_sidebar_state="collapsed" if bridge.screen_mode() else "auto")

PAGES = [
    st.Page("pages/overview.py", title="概览与地图", icon=":material/map:", url_path="overview", default=True),
    st.Page("pages/stars.py", title="五星支部", icon=":material/star:", url_path="stars"),
    st.Page("pages/model_communities.py", title="示范社区", icon=":material/verified:", url_path="model"),
    st.Page("pages/relocation.py", title="文化路北延征迁", icon=":material/road:", url_path="relocation"),
    st.Page("pages/eldercare.py", title="养老服务", icon=":material/elderly:", url_path="eldercare"),
    st.Page("pages/profiles.py", title="社区档案", icon=":material/badge:", url_path="profiles"),
    st.Page("pages/checks.py", title="现场核查", icon=":material/fact_check:", url_path="checks"),
    st.Page("pages/sources.py", title="数据来源", icon=":material/menu_book:", url_path="sources"),
]

SCREEN = st.Page("pages/screen.py", title="大屏模式", icon=":material/tv:", url_path="screen", default=True)

chrome.apply_theme(screen=bridge.screen_mode())
if chrome.database_ready():
    chrome.sidebar_filters()
    if bridge.screen_mode():  # ?screen=1: the wall display only, no sidebar or menus
        st.navigation([SCREEN], position="hidden").run()
    else:
        st.navigation(PAGES, position="sidebar").run()
