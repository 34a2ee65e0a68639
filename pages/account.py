"""登录 / 账号: sign in (local accounts; single sign-on only when configured), who is signed in, sign out."""
from __future__ import annotations

import streamlit as st

from ui import auth_view, bridge, forms, widgets

bridge.ensure_entrypoint()

st.title("登录 / 账号")
forms.touch_css()
actor = bridge.current_actor()
with widgets.guard("账号"):
    if actor is None:
        st.caption("查看看板需要登录。" if bridge.app_settings().require_login_to_view
                   else "查看看板无需登录；录入数据、登记现场核查需要登录。")
        auth_view.sign_in_form()
        auth_view.sso_panel()
    else:
        auth_view.account_card(actor)
