"""用户管理 (administrators): list, create, change role/community, reset password, deactivate — through ui.bridge
(lib.auth re-checks that the signed-in account is an administrator on every call)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import bridge, display_link_view, flash, forms, widgets
from ui.bridge import MIN_PASSWORD, ROLES, STAFF_ROLE

bridge.ensure_entrypoint()

NS = "users"
NEW = {f: f"users.new.{f}" for f in ("username", "display", "role", "community", "password", "password2", "submit")}
PICK = "users.edit.user"
ROLE_HELP = "领导：只能查看；社区工作人员：录入、导入本社区数据；街道管理员：全部数据、用户管理、地图数据导入"
COMMUNITY_HELP = "仅「社区工作人员」需要选择；其他角色不绑定社区"


def _community_for(role: str, community: str | None) -> str | None:
    return community if role == STAFF_ROLE else None


def _passwords_match(first: str, second: str) -> bool:
    if first != second:
        flash.put(NS, "error", "两次输入的密码不一致，未保存。")
        return False
    return True


def _create() -> None:
    s = st.session_state
    if not _passwords_match(s[NEW["password"]], s[NEW["password2"]]):
        return
    role = s[NEW["role"]]
    values = {f: s[NEW[f]] for f in ("username", "display", "role", "community", "password")}
    key = forms.submit_token(NS, values)  # a double-click resends the same values: the same submission
    ok = flash.run(NS, lambda: bridge.create_user(s[NEW["username"]], s[NEW["password"]], role=role,
                                                  display_name=s[NEW["display"]] or None,
                                                  community=_community_for(role, s[NEW["community"]]),
                                                  submission_key=key),
                   lambda new: (f"已创建用户“{new.actor.username}”（{new.actor.display_name}，{new.actor.role}"
                                f"{'·' + new.actor.community if new.actor.community else ''}），请将初始密码当面告知本人。"
                                + ("（重复提交已忽略）" if new.repeated else "")),
                   repeat=lambda new: new.repeated, failed="创建用户失败")
    if ok:
        forms.remember_submit(NS, values, key)
        for f in ("username", "display", "password", "password2"):
            s[NEW[f]] = ""
        s[NEW["community"]] = None


def _update(username: str, prefix: str) -> None:
    s = st.session_state
    role = s[f"{prefix}.role"]
    flash.run(NS, lambda: bridge.update_user(username, role=role,
                                             community=_community_for(role, s[f"{prefix}.community"]),
                                             display_name=s[f"{prefix}.display"]),
              lambda a: f"已更新用户“{a.username}”：{a.display_name}，{a.role}{'·' + a.community if a.community else ''}。"
                        "对方需重新登录后生效。",
              failed="修改用户失败")


def _reset(username: str, prefix: str) -> None:
    s = st.session_state
    if not _passwords_match(s[f"{prefix}.password"], s[f"{prefix}.password2"]):
        return
    if flash.run(NS, lambda: bridge.set_password(username, s[f"{prefix}.password"]),
                 lambda _: f"已重置用户“{username}”的密码。", failed="重置密码失败"):
        s[f"{prefix}.password"] = s[f"{prefix}.password2"] = ""


def _deactivate(username: str) -> None:
    flash.run(NS, lambda: bridge.deactivate_user(username),
              lambda _: f"已停用用户“{username}”：不能再登录，其已录入的数据保留署名。", failed="停用失败")


def _reactivate(username: str) -> None:
    flash.run(NS, lambda: bridge.update_user(username, active=True),
              lambda _: f"已重新启用用户“{username}”。", failed="启用失败")


def users_table(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"用户名": df["username"], "显示名称": df["display_name"], "角色": df["role"],
                         "所属社区": df["community"].fillna(""), "状态": df["active"].map({True: "启用", False: "停用"}),
                         "创建时间": df["created_at"].map(bridge.stamp_text)})


st.title("用户管理")
if not bridge.is_admin():
    st.warning("用户管理仅街道管理员可用，请先以管理员账号登录。", icon=":material/lock:")
    st.stop()
st.caption(f"角色说明：{ROLE_HELP}。密码至少 {MIN_PASSWORD} 个字符，只保存加密后的摘要；每次修改都记入审计日志。")
flash.show(NS)
communities = bridge.community_options()

users = pd.DataFrame()
with widgets.guard("用户列表"):
    users = bridge.list_users()
    users["community"] = users["community"].astype(object).where(users["community"].notna(), None)
    st.subheader(f"全部用户（{len(users)}）")
    st.dataframe(users_table(users), hide_index=True, width="stretch")

st.subheader("新建用户")
with st.form("users.new.form"):
    c1, c2 = st.columns(2)
    c1.text_input("用户名", key=NEW["username"], help="2–64个字符：字母、数字、汉字或 _ . @ -，创建后不能修改")
    c2.text_input("显示名称", key=NEW["display"], placeholder="如 中兴社区录入员；留空则同用户名")
    c1.selectbox("角色", ROLES, index=ROLES.index(STAFF_ROLE), key=NEW["role"], help=ROLE_HELP)
    c2.selectbox("所属社区", communities, index=None, key=NEW["community"], placeholder="（社区工作人员必选）",
                 help=COMMUNITY_HELP)
    c1.text_input("初始密码", type="password", key=NEW["password"], help=f"至少 {MIN_PASSWORD} 个字符，由管理员设定")
    c2.text_input("再次输入初始密码", type="password", key=NEW["password2"])
    st.form_submit_button("创建用户", type="primary", on_click=_create, key=NEW["submit"], icon=":material/person_add:")

display_link_view.section()

st.subheader("修改已有用户")
if users.empty:
    st.stop()
labels = {r.username: f"{r.username}（{r.display_name}，{r.role}{'·' + r.community if r.community else ''}"
                      f"{'' if r.active else '，已停用'}）" for r in users.itertuples()}
username = st.selectbox("选择用户", list(labels), format_func=labels.get, key=PICK, index=None,
                        placeholder="请选择要修改的用户")
if username is None:
    st.stop()
row = users.set_index("username").loc[username]  # community: a name or None
prefix = f"users.edit.{username}"  # per user, so each form starts from that user's current values
if username == bridge.current_actor().username:
    st.caption("这是你自己的账号：不能降低自己的角色或停用自己（请由其他管理员操作）。")
tab_role, tab_password, tab_active = st.tabs(["角色与社区", "重置密码", "停用 / 启用"])
with tab_role, st.form(f"{prefix}.form"):
    st.text_input("显示名称", value=row["display_name"], key=f"{prefix}.display")
    st.selectbox("角色", ROLES, index=ROLES.index(row["role"]), key=f"{prefix}.role", help=ROLE_HELP)
    st.selectbox("所属社区", communities, key=f"{prefix}.community", placeholder="（社区工作人员必选）",
                 index=communities.index(row["community"]) if row["community"] in communities else None,
                 help=COMMUNITY_HELP)
    st.form_submit_button("保存修改", type="primary", on_click=_update, args=(username, prefix),
                          key=f"{prefix}.save")
with tab_password, st.form(f"{prefix}.password_form"):
    st.text_input("新密码", type="password", key=f"{prefix}.password", help=f"至少 {MIN_PASSWORD} 个字符")
    st.text_input("再次输入新密码", type="password", key=f"{prefix}.password2")
    st.form_submit_button("重置密码", on_click=_reset, args=(username, prefix), key=f"{prefix}.reset")
with tab_active:
    if row["active"]:
        sure = st.checkbox(f"确认停用“{widgets.md_escape(username)}”（停用后不能登录，已录入的数据保留）", key=f"{prefix}.sure")
        st.button("停用账号", disabled=not sure, on_click=_deactivate, args=(username,), key=f"{prefix}.deactivate",
                  icon=":material/person_off:")
    else:
        st.caption("该账号已停用。")
        st.button("重新启用", on_click=_reactivate, args=(username,), key=f"{prefix}.reactivate")
