"""Access: REQUIRE_LOGIN_TO_VIEW on every route (big screen included), work pages by URL, the sign-in
lockout, the explicit command-line actor, and the page-run wrapper (no English error page, ever)."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from fault_helpers import reset_caches as _reset, texts as _texts
from abuse_helpers import assert_unchanged, row_counts
from sqlalchemy.exc import OperationalError
from staff_apptest import engine, form_sign_in, has_sign_in_form  # noqa: F401 - the app on a private copy of the staff database
from staff_fixtures import PASSWORD, ROUNDS, _staff_templates, quiet_world, world  # noqa: F401
from streamlit.testing.v1 import AppTest

from lib import auth, clock
from lib.audit import audit_log
from lib.auth import Actor
from lib.errors import PermissionDenied

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
VIEW_PAGES = ["stars", "model_communities", "relocation", "eldercare", "profiles", "checks", "sources"]
WORK_PAGES = ["check_form", "entry", "ledgers", "audit", "users", "geo_import"]
LOCKED = "登录失败次数过多"


@pytest.fixture
def settings_env(monkeypatch):
    def put(**env: str) -> None:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        _reset()
    yield put
    monkeypatch.undo()
    _reset()


def _shows_data(at: AppTest) -> bool:
    return bool(at.metric or at.dataframe or at.get("deck_gl_json_chart") or at.get("arrow_vega_lite_chart")
                or at.table)


def _gate(at: AppTest, prompt: str = "查看看板需要登录") -> None:
    assert not at.exception, _texts(at.exception)
    assert not _shows_data(at), "an anonymous visitor sees no figures, tables, charts or map"
    assert any(prompt in t for t in _texts(at.info)), _texts(at.info)
    assert has_sign_in_form(at)


def _sign_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    return form_sign_in(at, username, password)


# ---- REQUIRE_LOGIN_TO_VIEW on every route ----
def test_require_login_guards_every_route(app_db, settings_env):
    settings_env(DATABASE_URL=app_db, REQUIRE_LOGIN_TO_VIEW="true")
    at = AppTest.from_file(APP, default_timeout=60).run()
    _gate(at)
    for page in VIEW_PAGES + WORK_PAGES:
        at.switch_page(f"pages/{page}.py").run()
        _gate(at, "需要登录")


@pytest.mark.parametrize("query", [{"screen": "1"}, {"screen": "1", "community": "中兴"},
                                   {"screen": "true", "community": "中兴", "rotate": "5"}])
def test_require_login_guards_the_big_screen(app_db, settings_env, query):
    settings_env(DATABASE_URL=app_db, REQUIRE_LOGIN_TO_VIEW="true")
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    _gate(at, "请登录后显示大屏")


def test_signing_in_at_the_gate_shows_the_big_screen(engine, settings_env):  # noqa: F811
    settings_env(REQUIRE_LOGIN_TO_VIEW="true")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["screen"] = "1"
    at.query_params["community"] = "中兴"
    at.run()
    _gate(at, "请登录后显示大屏")
    _sign_in(at, "boss")
    assert not at.exception and not at.info and _shows_data(at), "the leader sees the wall after signing in"


def test_work_pages_by_url_get_a_chinese_prompt(engine, settings_env):  # noqa: F811
    """Not Streamlit's English "page not found": a work page's URL asks for a sign-in, or says who may use it."""
    settings_env(REQUIRE_LOGIN_TO_VIEW="false")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert _shows_data(at), "viewing is open when sign-in is not required"
    for page in WORK_PAGES:
        at.switch_page(f"pages/{page}.py").run()
        _gate(at, "需要登录（仅限")
    _sign_in(at, "boss")  # a leader, on the last page (地图数据导入): a refusal in Chinese, no form
    assert not at.exception
    assert _texts(at.warning) == ["无权限：「地图数据导入」仅限街道管理员使用，当前账号无权访问。"]


# ---- the page-run wrapper ----
def _boom(*_args, **_kwargs):
    raise RuntimeError("boom")


def _db_fault(*_args, **_kwargs):
    raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("disk I/O error"))


@pytest.mark.parametrize(("fault", "message"), [
    (_boom, "页面暂时无法显示：页面出现内部错误（已记录日志），请稍后刷新；如反复出现请联系管理员。"),
    (_db_fault, "页面暂时无法显示：数据库操作失败"),
])
def test_a_stray_exception_becomes_a_chinese_message(app_db, settings_env, monkeypatch, fault, message):
    settings_env(DATABASE_URL=app_db)
    monkeypatch.setattr("ui.chrome.sidebar_filters", fault)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1 and _texts(at.error)[0].startswith(message)


def test_a_stray_exception_on_the_big_screen_is_a_quiet_placeholder(app_db, settings_env, monkeypatch):
    settings_env(DATABASE_URL=app_db)
    monkeypatch.setattr("ui.bridge.screen_rotate_seconds", _boom)  # pages/screen.py calls it first
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["screen"] = "1"
    at.run()
    assert not at.exception and not at.error and not at.warning
    assert "数据暂时无法显示，稍后自动重试。" in _texts(at.caption)


# ---- the sign-in lockout ----
def _fail(world, username: str, times: int, *, client: str | None = None) -> None:
    for _ in range(times):
        assert auth.authenticate(username, "wrong-password", client=client, engine=world.engine) is None


def test_account_locked_after_failures_even_with_the_right_password(world):
    _fail(world, "zx", 5)
    with pytest.raises(PermissionDenied) as err:
        auth.authenticate("zx", PASSWORD, engine=world.engine)
    assert err.value.message.startswith(f"{LOCKED}，已暂时锁定，请 15 分钟后再试")
    log = audit_log(user="zx", engine=world.engine)
    assert log["action"].tolist()[:6] == ["login_locked"] + ["login_failed"] * 5
    assert log.iloc[0]["after"] == {"reason": "account", "client": None}
    assert "login" not in log["action"].tolist()
    assert auth.authenticate("hs", PASSWORD, engine=world.engine) == world.staff_hs, "other accounts unaffected"


def test_lockout_does_not_reveal_whether_the_name_exists(world):
    _fail(world, "zx", 5)
    _fail(world, "nobody-here", 5)
    messages = []
    for name in ("zx", "nobody-here"):
        with pytest.raises(PermissionDenied) as err:
            auth.authenticate(name, PASSWORD, engine=world.engine)
        messages.append(err.value.message)
    assert messages[0] == messages[1]


def test_lock_expires_and_success_resets_the_count(world, monkeypatch):
    _fail(world, "zx", 4)
    assert auth.authenticate("zx", PASSWORD, engine=world.engine) == world.staff  # 4 < 5: not locked
    _fail(world, "zx", 4)
    assert auth.authenticate("zx", PASSWORD, engine=world.engine) == world.staff, "counted since the last success"
    _fail(world, "zx", 5)
    with pytest.raises(PermissionDenied, match=LOCKED):
        auth.authenticate("zx", PASSWORD, engine=world.engine)
    later = clock.now_utc() + dt.timedelta(minutes=16)
    monkeypatch.setattr(clock, "now_utc", lambda: later)
    assert auth.authenticate("zx", PASSWORD, engine=world.engine) == world.staff, "unlocked after the period"


def test_client_locked_after_failures_across_names(world, settings_env):
    settings_env(LOGIN_MAX_FAILURES_PER_CLIENT="6")
    for name in ("a1", "a2", "a3"):
        _fail(world, name, 2, client="10.9.8.7")
    with pytest.raises(PermissionDenied, match=LOCKED):
        auth.authenticate("hs", PASSWORD, client="10.9.8.7", engine=world.engine)
    assert audit_log(user="hs", engine=world.engine).iloc[0]["after"] == {"reason": "client", "client": "10.9.8.7"}
    assert auth.authenticate("hs", PASSWORD, client="10.9.8.8", engine=world.engine) == world.staff_hs


def test_lockout_in_the_sign_in_form(engine, settings_env):  # noqa: F811
    settings_env(LOGIN_MAX_FAILURES="2")
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/account.py").run()
    for _ in range(2):
        _sign_in(at, "zx", "wrong-password")
        assert _texts(at.error) == ["用户名或密码错误"]
    _sign_in(at, "zx")
    assert not at.exception and _texts(at.error)[0].startswith(LOCKED)
    assert has_sign_in_form(at), "still signed out"


# ---- user management: None is never the command line ----
@pytest.mark.parametrize("call", [
    lambda w, by: auth.create_user("x1", PASSWORD, role="领导", by=by, engine=w.engine, rounds=ROUNDS),
    lambda w, by: auth.set_password("zx", "another-pass-9", by=by, engine=w.engine, rounds=ROUNDS),
    lambda w, by: auth.update_user("zx", by=by, role="领导", engine=w.engine),
    lambda w, by: auth.deactivate("zx", by=by, engine=w.engine),
])
def test_user_management_refuses_none_and_forged_system(quiet_world, call):
    world = quiet_world  # writes nothing
    before = row_counts(world.engine)
    for by in (None, Actor("system", "命令行", "system", None), Actor("system", "命令行", "街道管理员", None)):
        with pytest.raises(PermissionDenied):
            call(world, by)
    assert_unchanged(world.engine, before)


def test_the_command_line_actor_is_explicit(world):
    actor = auth.create_user("cli1", PASSWORD, role="领导", by=auth.SYSTEM, engine=world.engine, rounds=ROUNDS)
    auth.set_password("cli1", "another-pass-9", by=auth.SYSTEM, engine=world.engine, rounds=ROUNDS)
    assert actor == Actor("cli1", "cli1", "领导", None)
    log = audit_log(table="app_user", engine=world.engine)
    assert log[log["record_key"] == "cli1"]["username"].tolist() == ["system", "system"]


def test_a_deactivated_administrators_old_session_cannot_manage_users(world):
    auth.create_user("admin2", PASSWORD, role="街道管理员", by=world.admin, engine=world.engine, rounds=ROUNDS)
    old = auth.authenticate("admin2", PASSWORD, engine=world.engine)
    auth.deactivate("admin2", by=world.admin, engine=world.engine)
    before = row_counts(world.engine)
    with pytest.raises(PermissionDenied, match="不存在或已停用"):
        auth.create_user("x2", PASSWORD, role="领导", by=old, engine=world.engine, rounds=ROUNDS)
    assert_unchanged(world.engine, before)
