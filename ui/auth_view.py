"""Sign-in form, the signed-in account card, and (only when configured) single sign-on via st.login.

Local accounts sign in through ui.session_view's HTML form, POSTed to /session/login (a session cookie that
survives reloads). A wrong username or password gets one message (「用户名或密码错误」) whichever was wrong;
too many failures lock the name / client for a while; lib.auth audits every attempt. Everything goes through
ui.bridge.
"""
from __future__ import annotations

import functools
import logging

import streamlit as st

from ui import bridge, flash, session_view, widgets

log = logging.getLogger("guangwu.ui")

KEYS = {
    "sign_out": "account.sign_out",
    "sso": "account.sso",
}


def _sso_sign_out() -> None:
    bridge.sign_out()
    st.logout()  # otherwise the provider's session would sign the person straight back in


def sign_in_form() -> None:
    """The sign-in form (ui.session_view: a cookie session that survives reloads), leading to ?next= or this page."""
    session_view.signin_form(str(st.query_params.get("next", "")) or None)
    st.caption("账号由街道管理员在「用户管理」中创建，系统没有默认账号和默认密码。首次部署时，在服务器上运行 "
               "`python -m lib.users create-admin --username <用户名>` 创建第一个街道管理员账号。"
               "忘记密码请联系街道管理员重设。")


def account_card(actor) -> None:
    st.success(f"已登录：{widgets.md_escape(actor.display_name)}", icon=":material/verified_user:")
    with st.container(border=True):
        where = f"{actor.community}社区" if actor.community else "全街道"
        st.markdown(f"用户名：**{widgets.md_escape(actor.username)}**  \n角色：**{widgets.md_escape(actor.role)}**  \n"
                    f"所属社区：**{widgets.md_escape(where)}**")
    if actor.can_edit:
        st.caption("在侧栏「工作台」中录入数据、登记现场核查。" +
                   ("社区工作人员只能录入本社区的数据。" if not actor.is_admin else "街道管理员可以录入各社区和全街道的数据。"))
        l1, l2 = st.columns(2)
        l1.page_link("pages/check_form.py", label="现场核查登记", icon=":material/add_location_alt:", width="stretch")
        l2.page_link("pages/entry.py", label="数据录入", icon=":material/edit_note:", width="stretch")
    else:
        st.caption("领导账号可查看全部看板，不能修改数据。")
    if sso_configured() and st.user.is_logged_in:
        st.button("退出统一身份认证", key=KEYS["sign_out"], on_click=_sso_sign_out, icon=":material/logout:",
                  width="stretch")
    else:
        session_view.sign_out_buttons()


# ---- optional single sign-on (only when .streamlit/secrets.toml has an [auth] section) ----
@functools.cache
def sso_configured() -> bool:
    """Whether secrets.toml has an [auth] section; decided once per process (Streamlit re-reads a missing
    secrets file on every access: ~0.6 ms a run). Adding single sign-on takes a restart, as any setting."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def sso_panel() -> None:
    """Offer st.login; once the provider has signed the person in, map them to their local account."""
    if not sso_configured():
        return
    st.divider()
    if not st.user.is_logged_in:
        st.button("使用统一身份认证登录", key=KEYS["sso"], on_click=st.login, icon=":material/key:", width="stretch")
        return
    identities = [st.user.get("email"), st.user.get("preferred_username")]
    try:
        actor = bridge.sso_actor(identities)
    except bridge.DashboardError as exc:
        flash.error(exc.message, exc.details)  # the one way an error is shown: as text
        return
    if actor is None:
        st.error(f"统一身份账号（{widgets.md_escape(identities[0] or identities[1] or '未知')}）尚未在本系统开通，请联系街道管理员创建同名账号。",
                 icon=":material/error:")
        st.button("退出统一身份认证", key=f"{KEYS['sso']}.logout", on_click=st.logout)
        return
    bridge.sign_in(actor)
    st.rerun()
