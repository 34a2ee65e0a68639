"""Sign-in form, sign-out buttons and the browsers signed in, and the wall's pages and refusal.

The sign-in form is a plain HTML form POSTed to /session/login (ui/session_routes.py), which sets
the session cookie and sends the browser on to the page asked for. Messages after a failed sign-in
or a sign-out arrive as query parameters and are removed once shown.
"""
from __future__ import annotations

import html
import urllib.parse

import pandas as pd
import streamlit as st

from lib.fmt import stamp_text
from ui import bridge, nav, widgets

MESSAGE_PARAMS = ("signin", "user", "signout")
_CSS = """<style>
.gw-signin { display: flex; flex-direction: column; gap: 0.8rem; max-width: 28rem; }
.gw-signin label { display: flex; flex-direction: column; gap: 0.3rem; font-size: 0.95rem; }
.gw-signin input { min-height: 48px; padding: 0 0.8rem; font-size: 1.05rem; border-radius: 0.5rem;
  border: 1px solid rgba(250,250,250,0.3); background: #262730; color: #fafafa; }
.gw-signin input:focus { outline: 2px solid #E8463A; }
.gw-signin button, .gw-signout button { min-height: 48px; border-radius: 0.5rem; font-size: 1.05rem;
  cursor: pointer; padding: 0 1.2rem; width: 100%; }
.gw-signin button { background: #E8463A; color: #fff; border: none; }
.gw-signout { display: flex; gap: 0.8rem; flex-wrap: wrap; }
.gw-signout form { flex: 1 1 12rem; }
.gw-signout button { background: transparent; color: #fafafa; border: 1px solid rgba(250,250,250,0.4); }
</style>"""


def current_path() -> str:
    """This page's path and query (without the one-off message parameters), for `next`."""
    try:
        path = urllib.parse.urlsplit(st.context.url or "").path or "/"
    except Exception:  # noqa: BLE001 - no browser context
        path = "/"
    query = [(k, v) for k, v in st.query_params.to_dict().items() if k not in MESSAGE_PARAMS]
    return path + ("?" + urllib.parse.urlencode(query) if query else "")


def _pop_messages() -> dict[str, str]:
    found = {k: str(st.query_params[k]) for k in MESSAGE_PARAMS if k in st.query_params}
    for k in found:
        del st.query_params[k]
    return found


def signin_form(next_path: str | None = None) -> None:
    """Messages (failed / expired / signed out) and the HTML sign-in form leading to `next_path`."""
    messages = _pop_messages()
    if messages.get("signin") == "failed":
        st.error("用户名或密码错误", icon=":material/error:")
    elif messages.get("signin") == "locked":
        st.error("登录失败次数过多，已暂时锁定，请稍后再试。如忘记密码，请联系街道管理员重设。", icon=":material/lock:")
    elif messages.get("signin") == "readonly":
        st.error("数据库当前为只读，暂时不能登录（登录须记入审计日志）。请管理员检查数据库的写权限。",
                 icon=":material/database:")
    elif messages.get("signin") == "unavailable":
        st.error("数据库暂时无法访问，未能登录，请稍后再试。", icon=":material/database:")
    elif messages.get("signout") == "all":
        st.success("已在所有设备上退出登录。", icon=":material/logout:")
    elif messages.get("signout"):
        st.success("已退出登录。", icon=":material/logout:")
    elif bridge.sign_in_state() == "expired":
        st.warning("登录已超时，请重新登录。", icon=":material/schedule:")
    elif bridge.sign_in_state() == "ended":
        st.warning("登录已失效（已在其他设备退出、密码已修改或账号已停用），请重新登录。", icon=":material/lock:")
    target = html.escape(next_path or current_path(), quote=True)
    user = html.escape(messages.get("user", ""), quote=True)
    st.html(_CSS + f"""<form class="gw-signin" method="post" action="/session/login">
<input type="hidden" name="next" value="{target}">
<label>用户名<input name="username" autocomplete="username" required maxlength="64" value="{user}"
  autocapitalize="none" spellcheck="false"></label>
<label>密码<input name="password" type="password" autocomplete="current-password" required maxlength="72"></label>
<button type="submit">登录</button></form>""")


def _device(agent: str | None) -> str:
    agent = agent or ""
    system = next((name for key, name in (("iPad", "iPad"), ("iPhone", "iPhone"), ("Android", "安卓"),
                                          ("Windows", "Windows"), ("Mac OS", "Mac"), ("Linux", "Linux"))
                   if key in agent), "未知设备")
    browser = next((name for key, name in (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
                                           ("Chromium/", "Chromium"), ("Safari/", "Safari")) if key in agent), "")
    return f"{system} {browser}".strip()


def _stamp(value) -> str:
    return stamp_text(value)


def open_sessions_table() -> None:
    """Where this account is signed in (this browser first), so 「在所有设备上退出」 says what it will end."""
    with widgets.guard("登录设备"):
        df = bridge.my_sessions()
        if df.empty:
            return
        st.caption(f"本账号当前在 {len(df)} 个浏览器中登录：")
        st.dataframe(pd.DataFrame({
            "设备": [_device(a) + ("（本设备）" if this else "")
                   for a, this in zip(df["user_agent"], df["this"], strict=True)],
            "登录时间": df["created_at"].map(_stamp), "最近使用": df["last_seen_at"].map(_stamp)}),
            hide_index=True, width="stretch")


def sign_out_buttons() -> None:
    open_sessions_table()
    st.html(_CSS + """<div class="gw-signout">
<form method="post" action="/session/logout"><button type="submit">退出登录</button></form>
<form method="post" action="/session/logout-all"><button type="submit">在所有设备上退出</button></form></div>""")
    st.caption("「退出登录」只退出本设备；「在所有设备上退出」同时退出你在其他平板、电脑上的登录。"
               "修改密码或账号被停用时，所有设备都会自动退出。")


def _path(page) -> str:
    return page._url_path or page.url_path  # the default page's url_path reads "" (it is also served at /)


def wall_pages(screen, others: list) -> list:
    """The big screen, also under every other page's address (hidden), for a browser opened with a 大屏链接."""
    return [screen, *(nav.page(screen._page, title=screen.title, url_path=_path(p), visibility="hidden")
                      for p in others)]


def wall_refused() -> None:
    st.error("该大屏链接已过期或已被撤销，大屏已停止显示。请联系街道管理员在「用户管理」中重新创建大屏链接。",
             icon=":material/tv_off:")
