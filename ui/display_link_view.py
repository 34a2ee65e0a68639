"""用户管理 → 大屏链接: create a named read-only wall link, list links with their last use, revoke one.

The link's address is shown once, right after creation (only its hash is stored). Writes go through
ui.bridge to lib.display_links, which checks the permission and audits creation, opening and revocation.
"""
from __future__ import annotations

import urllib.parse

import pandas as pd
import streamlit as st

from lib.fmt import stamp_text
from lib.display_links import MAX_DAYS, STATE_LABELS
from ui import bridge, flash, forms, widgets

NS = "display_links"
KEYS = {f: f"display_links.{f}" for f in ("name", "days", "create", "new", "pick", "sure", "revoke")}


def _base_url() -> str:
    try:
        parts = urllib.parse.urlsplit(st.context.url or "")
    except Exception:  # noqa: BLE001 - no browser context
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def _create() -> None:
    s = st.session_state
    name, days = s[KEYS["name"]], int(s[KEYS["days"]] or 0)
    values = {"name": name, "days": days}
    key = forms.submit_token(NS, values)  # a double-click resends the same values: the same submission
    created = []

    def make():
        created.append(bridge.create_display_link(name, days, submission_key=key))
        return created[0]

    def message(new) -> str:
        if not new.usable:  # revoked (or expired) between the two clicks: its address must not be offered again
            done = "随后已被撤销" if new.state == "revoked" else "现已过期"
            return f"大屏链接“{new.name}”已创建，但{done}（重复提交已忽略），不再显示其地址；如需使用请重新创建。"
        if new.repeated:
            return f"大屏链接“{new.name}”已创建（重复提交已忽略），地址与刚才相同："
        return (f"已创建大屏链接“{new.name}”，有效 {days} 天。请把下面的地址复制到会议室大屏的浏览器中打开"
                "（地址只显示这一次，系统只保存其摘要）。")

    if flash.run(NS, make, message, repeat=lambda new: new.repeated, failed="创建大屏链接失败"):
        forms.remember_submit(NS, values, key)
        if created[0].usable:
            s[KEYS["new"]] = _base_url() + created[0].path
        s[KEYS["name"]] = ""


def _revoke(link_id: int, name: str) -> None:
    flash.run(NS, lambda: bridge.revoke_display_link(link_id),
              lambda done: f"已撤销大屏链接“{name}”，使用它的大屏将在下次刷新时停止显示。" if done
              else f"大屏链接“{name}”此前已被撤销。", failed="撤销大屏链接失败")
    st.session_state[KEYS["sure"]] = False


def _local(value) -> str:
    return stamp_text(value)


def section() -> None:
    st.subheader("大屏链接")
    st.caption("为会议室、大厅的大屏生成只读链接：打开后只显示大屏模式，不需要输入密码（开启“查看需登录”时同样有效）。"
               "链接有有效期，可随时撤销；创建、每次打开和撤销都记入审计日志。")
    flash.show(NS)
    new = st.session_state.pop(KEYS["new"], None)
    if new:
        st.code(new, language=None)
    with st.form("display_links.form"):
        c1, c2 = st.columns([3, 1])
        c1.text_input("名称", key=KEYS["name"], max_chars=64, placeholder="如 三楼会议室大屏")
        c2.number_input("有效天数", min_value=1, max_value=MAX_DAYS, step=1,
                        value=bridge.app_settings().display_link_days, key=KEYS["days"])
        st.form_submit_button("创建大屏链接", on_click=_create, key=KEYS["create"], icon=":material/add_link:")
    with widgets.guard("大屏链接列表"):
        links = bridge.display_links_table()
        if links.empty:
            st.caption("尚未创建大屏链接。")
            return
        st.dataframe(pd.DataFrame({
            "名称": links["name"], "状态": links["state"], "最近使用": links["last_used_at"].map(_local).replace("", "从未使用"),
            "到期时间": links["expires_at"].map(_local), "创建人": links["created_by"],
            "创建时间": links["created_at"].map(_local)}), hide_index=True, width="stretch")
        active = links[links["state"] == STATE_LABELS["active"]]
        if active.empty:
            return
        names = dict(zip(active["id"].astype(int), active["name"], strict=True))
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        pick = c1.selectbox("撤销大屏链接", list(names), format_func=lambda i: f"{names[i]}（编号 {i}）", index=None,
                            key=KEYS["pick"], placeholder="选择要撤销的链接")
        sure = c2.checkbox("确认撤销", key=KEYS["sure"], disabled=pick is None)
        st.button("撤销", key=KEYS["revoke"], disabled=pick is None or not sure, on_click=_revoke,
                  args=(pick, names.get(pick, "")), icon=":material/link_off:")
