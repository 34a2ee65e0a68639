"""Sign-in as a person lives with it, in Debian's Chromium: reload, new tab and bookmark keep it; sign-out
everywhere, expiry and deactivation end it; deep links lead through sign-in; a 大屏链接 opens the wall.

One server for the module with REQUIRE_LOGIN_TO_VIEW=true (the strictest setting: every page needs
sign-in, the display link is the one way past it), on its own copy of the seeded database with accounts.
"""
from __future__ import annotations

import datetime as dt
import shutil
import urllib.parse

import pytest
from browser_helpers import screenshot_dir
from sqlalchemy import update

from devtools import streamlit_server
from lib import auth, clock, display_links
from lib.auth import Actor
from lib.db import get_engine, session_scope
from lib.models import UserSession

pytestmark = pytest.mark.browser
PASSWORD = "browser-pass-1"
ADMIN = Actor("admin", "街道管理员", "街道管理员", None)
WAIT_MS = 40_000


@pytest.fixture(scope="module")
def site(seeded_db, tmp_path_factory):
    """(base URL, database URL): a server with REQUIRE_LOGIN_TO_VIEW=true and accounts admin, zx (中兴), boss (领导)."""
    tmp = tmp_path_factory.mktemp("signin")
    path = tmp / "signin.db"
    shutil.copyfile(seeded_db.removeprefix("sqlite:///"), path)
    db_url = f"sqlite:///{path}"
    engine = get_engine(db_url)
    for name, role, display, community in (("admin", "街道管理员", "街道管理员", None),
                                           ("zx", "社区工作人员", "中兴录入员", "中兴"), ("boss", "领导", "街道领导", None)):
        auth.create_user(name, PASSWORD, role=role, display_name=display, community=community, by=auth.SYSTEM,
                         engine=engine, rounds=4)
    srv = streamlit_server.start(db_url, tmp / "streamlit.log", extra_env={"REQUIRE_LOGIN_TO_VIEW": "true"},
                                 extra_args=["--server.fileWatcherType", "none"])
    try:
        try:
            srv.wait_healthy(streamlit_server.START_SECONDS)
        except streamlit_server.ServerError as exc:
            pytest.fail(str(exc))
        yield srv.url, db_url
    finally:
        srv.stop()


@pytest.fixture
def device(browser, request):
    """device() -> a new browser context (one tablet or PC: its own cookies)."""
    contexts = []

    def make():
        ctx = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN", timezone_id="Asia/Shanghai")
        ctx.set_default_timeout(WAIT_MS)
        contexts.append(ctx)
        return ctx
    yield make
    failed = getattr(request.node, "browser_call_failed", False)  # set by the browser conftest
    for i, ctx in enumerate(contexts):
        try:
            for j, page in enumerate(ctx.pages if failed else []):
                page.screenshot(path=str(screenshot_dir() / f"failed-{request.node.name}-{i}-{j}.png"))
            ctx.close()
        except Exception:  # noqa: BLE001, S110 - closed by the test already
            pass


def visit(ctx_or_page, base: str, path: str):
    page = ctx_or_page.new_page() if hasattr(ctx_or_page, "new_page") else ctx_or_page
    page.goto(base + path, wait_until="domcontentloaded")
    return page


def see(page, text: str) -> None:
    page.get_by_text(text).first.wait_for(state="visible", timeout=WAIT_MS)


def main_text(page) -> str:
    page.locator('[data-testid="stMain"]').first.wait_for(state="visible")
    return page.locator('[data-testid="stMain"]').first.inner_text()


def submit_sign_in(page, username: str, password: str = PASSWORD) -> None:
    form = page.locator("form.gw-signin")
    form.wait_for(state="visible")
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation(wait_until="domcontentloaded"):
        form.locator('button[type="submit"]').click()


def signed_in_on_check_form(page) -> None:
    see(page, "提交核查记录")
    see(page, "当前账号：中兴录入员")
    assert page.locator("form.gw-signin").count() == 0


def signed_in_on_entry(page) -> None:
    see(page, "当前账号：中兴录入员")
    assert page.locator("form.gw-signin").count() == 0


def test_deep_link_signs_in_and_survives_reload_new_tab_and_bookmark(site, device):
    base, _ = site
    tablet = device()
    page = visit(tablet, base, "/check_form")
    see(page, "「现场核查登记」需要登录（仅限社区工作人员和街道管理员使用）。")
    assert "Page not found" not in main_text(page)
    submit_sign_in(page, "zx", "wrong-password")
    see(page, "用户名或密码错误")
    assert page.locator('form.gw-signin input[name="username"]').input_value() == "zx"
    submit_sign_in(page, "zx")
    signed_in_on_check_form(page)
    url = urllib.parse.urlsplit(page.url)
    assert url.path == "/check_form" and urllib.parse.parse_qs(url.query).get("community") == ["中兴"]
    sidebar = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').first
    assert sidebar.input_value() in ("中兴", "中兴社区")  # a 中兴 staff member starts on 中兴, not 全街道

    page.reload(wait_until="domcontentloaded")
    signed_in_on_check_form(page)
    second_tab = visit(tablet, base, "/entry")  # a new tab of the same browser
    see(second_tab, "数据录入")
    see(second_tab, "当前账号：中兴录入员")
    bookmark = visit(tablet, base, "/check_form")  # a bookmark / typed address, no query
    signed_in_on_check_form(bookmark)
    cookie = next(c for c in tablet.cookies() if c["name"] == "gw_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and not cookie["secure"]
    assert "gw_session" not in bookmark.evaluate("document.cookie")  # invisible to page scripts


def test_sign_out_everywhere_expiry_and_deactivation_end_the_session(site, device):
    base, db_url = site
    tablet, desk = device(), device()
    t = visit(tablet, base, "/entry")  # (the map-free work page: lighter for software WebGL)
    submit_sign_in(t, "zx")
    signed_in_on_entry(t)
    d = visit(desk, base, "/account")
    submit_sign_in(d, "zx")
    see(d, "已登录：中兴录入员")
    with d.expect_navigation(wait_until="domcontentloaded"):
        d.get_by_role("button", name="在所有设备上退出").click()
    see(d, "已在所有设备上退出登录。")
    t.reload(wait_until="domcontentloaded")
    see(t, "登录已失效（已在其他设备退出、密码已修改或账号已停用），请重新登录。")
    assert "当前账号" not in main_text(t)

    submit_sign_in(t, "zx")  # the form on the gate leads back to the page
    signed_in_on_entry(t)
    with session_scope(get_engine(db_url)) as s:  # a day passes without use
        s.execute(update(UserSession).values(last_seen_at=clock.now_utc() - dt.timedelta(days=1)))
    t.reload(wait_until="domcontentloaded")
    see(t, "登录已超时，请重新登录。")

    submit_sign_in(t, "zx")
    signed_in_on_entry(t)
    auth.deactivate("zx", by=ADMIN, engine=get_engine(db_url))
    try:
        t.reload(wait_until="domcontentloaded")
        see(t, "登录已失效")
        submit_sign_in(t, "zx")
        see(t, "用户名或密码错误")
    finally:
        auth.update_user("zx", by=ADMIN, active=True, engine=get_engine(db_url))


def test_leader_deep_link_gets_no_permission_in_chinese(site, device):
    base, _ = site
    page = visit(device(), base, "/users")
    see(page, "「用户管理」需要登录（仅限街道管理员使用）。")
    submit_sign_in(page, "boss")
    see(page, "无权限：「用户管理」仅限街道管理员使用，当前账号无权访问。")
    assert urllib.parse.urlsplit(page.url).path == "/users"


def test_display_link_shows_the_wall_and_stops_when_revoked(site, device):
    base, db_url = site
    stranger_ctx = device()
    stranger = visit(stranger_ctx, base, "/?screen=1")
    stranger.locator("form.gw-signin").wait_for(state="visible")  # REQUIRE_LOGIN_TO_VIEW: no wall without sign-in
    assert stranger.locator('[data-testid="stDeckGlJsonChart"]').count() == 0
    stranger_ctx.close()

    admin_ctx = device()
    admin = visit(admin_ctx, base, "/users")
    submit_sign_in(admin, "admin")
    see(admin, "大屏链接")
    admin.get_by_label("名称").last.fill("三楼会议室")
    admin.get_by_role("button", name="创建大屏链接").click()
    see(admin, "已创建大屏链接“三楼会议室”")
    link = admin.locator('[data-testid="stCode"]').first.inner_text().strip()
    assert link.startswith(base + display_links.PATH_PREFIX)
    admin_ctx.close()  # (the revocation itself is driven through the page in tests/test_pages_signin.py)

    wall_ctx = device()
    # The carousel turns every 5 s (paused on one view: the software-WebGL map is not redrawn each turn).
    wall = visit(wall_ctx, base, link.removeprefix(base) + "?rotate=5&pause=1")
    wall.locator('[data-testid="stDeckGlJsonChart"]').first.wait_for(state="visible")
    see(wall, "光武街道基层治理")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(wall.url).query) == {
        "screen": ["1"], "rotate": ["5"], "pause": ["1"]}
    assert wall.locator('[data-testid="stSidebar"]').is_hidden()
    assert wall.locator("form.gw-signin").count() == 0

    engine = get_engine(db_url)
    links = display_links.list_links(engine=engine)
    assert links.iloc[0]["name"] == "三楼会议室" and links.iloc[0]["last_used_at"] is not None  # its last use
    display_links.revoke(int(links.iloc[0]["id"]), by=ADMIN, engine=engine)
    see(wall, "该大屏链接已过期或已被撤销，大屏已停止显示。")  # without a reload: at the next carousel turn
    assert wall.locator('[data-testid="stDeckGlJsonChart"]').count() == 0
    again = visit(wall_ctx, base, link.removeprefix(base))
    see(again, "该大屏链接不存在、已过期或已被撤销")
