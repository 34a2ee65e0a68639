"""Entry point: page setup, the shared filters, and navigation. No queries or business rules here."""
from __future__ import annotations

import streamlit as st

from ui import bridge, chrome, gc_tuning, nav, page_guard, session_view

bridge.ensure_entrypoint(in_app=True)
st.set_page_config(page_title="光武街道基层治理看板", page_icon=chrome.page_icon(), layout="wide",
                   initial_sidebar_state="collapsed" if bridge.screen_mode() else "auto")

# nav.page: each st.Page is built once per process (path checks, icon validation), copied per run.
PAGES = [
    nav.page("pages/overview.py", title="概览与地图", icon=":material/map:", url_path="overview", default=True),
    nav.page("pages/stars.py", title="五星支部", icon=":material/star:", url_path="stars"),
    nav.page("pages/model_communities.py", title="示范社区", icon=":material/verified:", url_path="model_communities"),
    nav.page("pages/relocation.py", title="文化路北延征迁", icon=":material/road:", url_path="relocation"),
    nav.page("pages/eldercare.py", title="养老服务", icon=":material/elderly:", url_path="eldercare"),
    nav.page("pages/profiles.py", title="社区档案", icon=":material/badge:", url_path="profiles"),
    nav.page("pages/checks.py", title="现场核查", icon=":material/fact_check:", url_path="checks"),
    nav.page("pages/sources.py", title="数据来源", icon=":material/menu_book:", url_path="sources"),
]
# Pages that write are listed only for users allowed to use them (elsewhere they stay registered but hidden, so
# their URL gets a Chinese sign-in prompt instead of Streamlit's English "page not found"); lib re-checks writes.
ACCOUNT = nav.page("pages/account.py", title="登录 / 账号", icon=":material/login:", url_path="account")
bridge.resolve_sign_in()  # who is signed in: the session cookie, checked by lib.sessions on every run
CAN_EDIT, IS_ADMIN = bridge.can_edit(), bridge.is_admin()
STAFF_PAGES = [
    nav.page("pages/check_form.py", title="现场核查登记", icon=":material/add_location_alt:", url_path="check_form"),
    nav.page("pages/my_checks.py", title="我的核查", icon=":material/assignment_ind:", url_path="my_checks"),
    nav.page("pages/entry.py", title="数据录入", icon=":material/edit_note:", url_path="entry"),
    nav.page("pages/ledgers.py", title="台账导入导出", icon=":material/table_view:", url_path="ledgers"),
] if CAN_EDIT else []
ADMIN_PAGES = [
    nav.page("pages/audit.py", title="审计日志", icon=":material/history:", url_path="audit"),
    nav.page("pages/users.py", title="用户管理", icon=":material/manage_accounts:", url_path="users"),
    nav.page("pages/geo_import.py", title="地图数据导入", icon=":material/upload_file:", url_path="geo_import"),
] if IS_ADMIN else []
NOT_PERMITTED = page_guard.hidden_pages(exclude=[*STAFF_PAGES, *ADMIN_PAGES])

SCREEN = nav.page("pages/screen.py", title="大屏模式", icon=":material/tv:", url_path="screen", default=True)

SCREEN_MODE = bridge.screen_mode()
chrome.apply_theme(screen=SCREEN_MODE)
with page_guard.page_run(screen=SCREEN_MODE):  # any stray exception: a Chinese message, never a traceback
    if chrome.database_ready(screen=SCREEN_MODE):
        may_view = bridge.view_allowed()  # REQUIRE_LOGIN_TO_VIEW, on every route (big screen included)
        if bridge.wall_cookie() is not None:  # opened with a 大屏链接: the big screen and nothing else
            if bridge.wall_name():  # any other address typed on the wall shows the big screen too
                st.navigation(session_view.wall_pages(SCREEN, [*PAGES, ACCOUNT, *STAFF_PAGES, *ADMIN_PAGES,
                                                               *NOT_PERMITTED]), position="hidden").run()
            else:
                session_view.wall_refused()
        else:
            if may_view:
                chrome.sidebar_filters()
            if SCREEN_MODE:  # ?screen=1: the wall display only, no sidebar or menus
                page = st.navigation([SCREEN], position="hidden")
            else:
                sections = {"看板": PAGES, "账号": [ACCOUNT, *NOT_PERMITTED]}
                if STAFF_PAGES:
                    sections["工作台"] = STAFF_PAGES
                if ADMIN_PAGES:
                    sections["管理"] = ADMIN_PAGES
                page = st.navigation(sections, position="sidebar" if may_view else "hidden",
                                     expanded=True)  # every page listed: no English 「View N more」
            if page is ACCOUNT or (may_view and page not in NOT_PERMITTED):
                page.run()
            else:
                page_guard.login_gate(screen=SCREEN_MODE, page=None if page is SCREEN else page.title,
                                      signed_in=bridge.current_actor() is not None)
    else:  # no navigation at all would make Streamlit list the raw pages/ file names in the sidebar
        st.navigation(PAGES, position="hidden")

gc_tuning.freeze_after_first_run()  # once per served process: modules and warm caches out of the GC's walks
