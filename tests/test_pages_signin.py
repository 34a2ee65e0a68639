"""The sign-in pages in AppTest: the form, its messages, sign-out buttons, gates for deep links, walls.

The cookie itself is set by ui/session_routes.py (tests/test_session_routes.py) and carried by a real
browser in tests/browser/test_signin.py; here the session's cookie value is handed to the app directly.
"""
from __future__ import annotations

import pytest
from staff_apptest import APP, STAFF_PAGES, _staff_templates, clean, engine, pages, session_cookie, texts  # noqa: F401
from streamlit.testing.v1 import AppTest

from lib import auth, sessions
from lib.auth import Actor

ADMIN = Actor("admin", "街道管理员", "街道管理员", None)


def html(at: AppTest) -> str:
    return "\n".join(e.proto.body for e in at.get("html"))


def run(path: str, *, token: str | None = None, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if token:
        at.session_state["auth.token"] = token
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if path:
        at.switch_page(path).run()
    return clean(at)


def test_account_page_posts_the_form_to_the_session_route(engine):
    at = run("pages/account.py")
    body = html(at)
    assert 'action="/session/login"' in body and 'method="post"' in body
    assert 'name="username"' in body and 'type="password"' in body and 'autocomplete="current-password"' in body
    assert 'name="next" value="/' in body
    assert any("create-admin" in c for c in texts(at.caption))


def test_failed_sign_in_message_keeps_the_username(engine):
    at = run("pages/account.py", query={"signin": "failed", "user": "zx<b>"})
    assert texts(at.error) == ["用户名或密码错误"]
    assert 'value="zx&lt;b&gt;"' in html(at)  # shown as text, never as markup
    assert "signin" not in at.query_params and "user" not in at.query_params  # shown once


def test_signed_in_card_has_both_sign_out_buttons_and_ends_with_the_session(engine):
    token = session_cookie("zx")
    at = run("pages/account.py", token=token)
    assert STAFF_PAGES <= pages(at) and "users" not in pages(at)
    card = " ".join(texts(at.markdown))
    assert all(part in card for part in ("用户名：**zx**", "角色：**社区工作人员**", "所属社区：**中兴社区**"))
    body = html(at)
    assert 'action="/session/logout"' in body and 'action="/session/logout-all"' in body
    devices = next(d.value for d in at.dataframe if "设备" in d.value.columns)
    assert list(devices["设备"]) == ["未知设备（本设备）"] and "本账号当前在 1 个浏览器中登录：" in texts(at.caption)
    assert "退出登录" in body and "在所有设备上退出" in body
    sessions.sign_out_everywhere(token)
    at.run()
    assert not pages(at) & STAFF_PAGES
    assert any("登录已失效" in w for w in texts(at.warning)) and 'action="/session/login"' in html(at)


def test_password_change_signs_out_the_open_tab(engine):
    token = session_cookie("zx")
    at = run("pages/check_form.py", token=token)
    assert not texts(at.error)
    auth.set_password("zx", "another-password", by=ADMIN, rounds=4)
    at.run()
    assert "check_form" not in pages(at) and 'action="/session/login"' in html(at)


def open_path(url_path: str, token: str | None = None) -> AppTest:
    """Run the app as a browser opening /<url_path> does (Streamlit resolves the page by its url path)."""
    at = AppTest.from_file(APP, default_timeout=60)
    if token:
        at.session_state["auth.token"] = token
    at.run()
    at._page_hash = next(h for h, i in at._registered_pages.items() if i["url_pathname"] == url_path)
    return clean(at.run())


@pytest.mark.parametrize(("page", "title"), [("check_form", "现场核查登记"), ("entry", "数据录入"),
                                             ("ledgers", "台账导入导出"), ("users", "用户管理"), ("audit", "审计日志")])
def test_deep_link_while_signed_out_asks_for_sign_in(engine, page, title):
    at = open_path(page)
    assert any(t.startswith(f"「{title}」需要登录（仅限") for t in texts(at.info)), texts(at.info)
    assert f'name="next" value="/' in html(at) and not at.exception


@pytest.mark.parametrize(("who", "page", "allowed"), [("boss", "check_form", False), ("boss", "users", False),
                                                      ("zx", "users", False), ("zx", "check_form", True),
                                                      ("admin", "users", True)])
def test_deep_link_without_the_right_says_no_permission(engine, who, page, allowed):
    at = open_path(page, token=session_cookie(who))
    refused = [e for e in texts(at.warning) if e.startswith("无权限")]
    assert bool(refused) != allowed, texts(at.warning)
    assert 'action="/session/login"' not in html(at)


def test_expired_session_on_a_deep_link_says_so(engine, monkeypatch):
    import datetime as dt

    from lib import clock

    token = session_cookie("zx")
    later = clock.now_utc() + dt.timedelta(hours=200)
    monkeypatch.setattr(clock, "now_utc", lambda: later)
    at = open_path("check_form", token=token)
    assert texts(at.warning) == ["登录已超时，请重新登录。"] and 'action="/session/login"' in html(at)


def test_require_login_to_view_gates_every_page_and_the_screen(engine, monkeypatch):
    from staff_apptest import _point_app_at

    monkeypatch.setenv("REQUIRE_LOGIN_TO_VIEW", "true")
    _point_app_at(str(engine.url))
    at = open_path("stars")
    assert any(t.startswith("查看看板需要登录") for t in texts(at.info)) and 'action="/session/login"' in html(at)
    at = run("", query={"screen": "1"})
    assert 'action="/session/login"' in html(at) and not at.get("deck_gl_json_chart")
    monkeypatch.delenv("REQUIRE_LOGIN_TO_VIEW")
    _point_app_at(str(engine.url))


def test_admin_creates_lists_and_revokes_a_display_link(engine):
    from lib import display_links
    from lib.audit import audit_log

    at = run("pages/users.py", token=session_cookie("admin"))
    at.text_input(key="display_links.name").input("三楼会议室")
    at.number_input(key="display_links.days").set_value(30)
    clean(at.button(key="display_links.create").click().run())
    assert any("已创建大屏链接“三楼会议室”，有效 30 天" in s for s in texts(at.success))
    shown = [c.value for c in at.code]
    assert len(shown) == 1 and display_links.PATH_PREFIX in shown[0]
    value = shown[0].split(display_links.PATH_PREFIX)[1]
    assert display_links.check(value) == "三楼会议室"
    links = next(d.value for d in at.dataframe if "最近使用" in d.value.columns)
    assert links.iloc[0][["名称", "状态", "最近使用"]].tolist() == ["三楼会议室", "有效", "从未使用"]
    at.run()
    assert not at.code  # the address is shown once

    link_id = int(display_links.list_links().iloc[0]["id"])
    at.selectbox(key="display_links.pick").set_value(link_id).run()
    at.checkbox(key="display_links.sure").check().run()
    clean(at.button(key="display_links.revoke").click().run())
    assert any("已撤销大屏链接“三楼会议室”" in s for s in texts(at.success))
    assert display_links.check(value) is None
    assert list(audit_log(table="display_link")["action"]) == ["revoke_display_link", "create_display_link"]


def test_wall_shows_the_screen_only_and_stops_when_revoked(engine, monkeypatch):
    from lib import display_links
    from ui import bridge

    value = display_links.create("大厅", days=1, by=ADMIN).removeprefix(display_links.PATH_PREFIX)
    for where in (bridge, bridge.wall_links):  # AppTest cannot send the cookie: app.py and the bridge's callers
        monkeypatch.setattr(where, "wall_cookie", lambda: value)
    at = run("")
    assert {i["script_path"].rsplit("/", 1)[-1] for i in at._registered_pages.values()} == {"screen.py"}  # only
    assert at.get("deck_gl_json_chart") and not texts(at.error)
    at._page_hash = next(h for h, i in at._registered_pages.items() if i["url_pathname"] == "users")
    at.run()  # an address typed on the wall: the big screen again, not 用户管理 nor "Page not found"
    assert at.toggle(key="screen.pause") and not at.title and not texts(at.error)  # the carousel turned on
    display_links.revoke(int(display_links.list_links().iloc[0]["id"]), by=ADMIN)
    at.run()
    assert texts(at.error) == ["该大屏链接已过期或已被撤销，大屏已停止显示。请联系街道管理员在「用户管理」中重新创建大屏链接。"]


@pytest.mark.parametrize(("code", "message"), [("locked", "登录失败次数过多，已暂时锁定"), ("unavailable", "数据库暂时无法访问")])
def test_sign_in_refusals_are_explained(engine, code, message):
    at = run("pages/account.py", query={"signin": code})
    assert len(at.error) == 1 and message in at.error[0].value
