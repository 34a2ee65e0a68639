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
    st.Page("pages/model_communities.py", title="示范社区", icon=":material/verified:", url_path="model_communities"),
    st.Page("pages/relocation.py", title="文化路北延征迁", icon=":material/road:", url_path="relocation"),
    st.Page("pages/eldercare.py", title="养老服务", icon=":material/elderly:", url_path="eldercare"),
    st.Page("pages/profiles.py", title="社区档案", icon=":material/badge:", url_path="profiles"),
    st.Page("pages/checks.py", title="现场核查", icon=":material/fact_check:", url_path="checks"),
    st.Page("pages/sources.py", title="数据来源", icon=":material/menu_book:", url_path="sources"),
]
# Pages that write appear only for users allowed to use them; lib re-checks every write anyway.
ACCOUNT = st.Page("pages/account.py", title="登录 / 账号", icon=":material/login:", url_path="account")
STAFF_PAGES = [
    st.Page("pages/check_form.py", title="现场核查登记", icon=":material/add_location_alt:", url_path="check_form"),
    st.Page("pages/my_checks.py", title="我的核查", icon=":material/assignment_ind:", url_path="my_checks"),
    st.Page("pages/entry.py", title="数据录入", icon=":material/edit_note:", url_path="entry"),
    st.Page("pages/ledgers.py", title="台账导入导出", icon=":material/table_view:", url_path="ledgers"),
]
ADMIN_PAGES = [
    st.Page("pages/audit.py", title="审计日志", icon=":material/history:", url_path="audit"),
    st.Page("pages/users.py", title="用户管理", icon=":material/manage_accounts:", url_path="users"),
    st.Page("pages/geo_import.py", title="地图数据导入", icon=":material/upload_file:", url_path="geo_import"),
]

SCREEN = st.Page("pages/screen.py", title="大屏模式", icon=":material/tv:", url_path="screen", default=True)

chrome.apply_theme(screen=bridge.screen_mode())
if chrome.database_ready():
    chrome.sidebar_filters()
    if bridge.screen_mode():  # ?screen=1: the wall display only, no sidebar or menus
        st.navigation([SCREEN], position="hidden").run()
    else:
        sections = {"看板": PAGES, "账号": [ACCOUNT]}
        if bridge.app_settings().require_login_to_view and bridge.current_actor() is None:
            sections = {"账号": [ACCOUNT]}  # an administrator has turned on sign-in for viewing
        elif bridge.can_edit():
            sections["工作台"] = STAFF_PAGES
        if bridge.is_admin():
            sections["管理"] = ADMIN_PAGES
        st.navigation(sections, position="sidebar", expanded=True).run()  # no English 「View N more」
else:  # no navigation at all would make Streamlit list the raw pages/ file names in the sidebar
    st.navigation(PAGES, position="hidden")
