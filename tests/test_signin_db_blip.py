"""A database that cannot answer for a moment is not a signed-out user nor a revoked 大屏链接 (review of session 25,
finding 3). The per-run sign-in check treated any failure as 「signed out」: a 网格员 on 数据录入 saw the sign-in form
(「「数据录入」需要登录」) and the wall opened with a 大屏链接 showed 「该大屏链接已过期或已被撤销」 — a wall that never
retries by itself. A read-only database (a replica, a full disk) refused every session and link whose last-used time
was due for renewal, since the renewal was written in the checking transaction."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from staff_apptest import _staff_templates, clean, engine, pages, session_cookie, texts  # noqa: F401
from staff_fixtures import world  # noqa: F401
from streamlit.testing.v1 import AppTest
from test_db_faults import _read_only

from lib import clock, display_links, sessions
from lib.auth import Actor
from lib.db import session_scope
from lib.errors import DatabaseUnavailable
from lib.models import DisplayLink, UserSession

APP = "app.py"
ADMIN = Actor("admin", "街道管理员", "街道管理员", None)
DOWN = DatabaseUnavailable("数据库无法连接（测试）")


def _down(*_args, **_kw):
    raise DOWN


def _app(token: str | None = None) -> AppTest:
    from staff_apptest import APP as path

    at = AppTest.from_file(path, default_timeout=60)
    if token:
        at.session_state["auth.token"] = token
    return at


def test_a_database_blip_keeps_the_signed_in_user_on_their_page(engine, monkeypatch):  # noqa: F811
    at = _app(session_cookie("zx")).run()
    at.switch_page("pages/entry.py").run()
    assert "entry" in pages(at) and not texts(at.error)
    monkeypatch.setattr(sessions, "resolve", _down)
    clean(at.run())
    assert "entry" in pages(at), "still signed in: the check could not be made, nobody signed out"
    assert not [t for t in texts(at.info) if "需要登录" in t], texts(at.info)
    assert not at.exception


def test_a_database_blip_does_not_stop_a_wall_link(engine, monkeypatch):  # noqa: F811
    from ui import bridge

    value = display_links.create("大厅", days=1, by=ADMIN).removeprefix(display_links.PATH_PREFIX)
    for where in (bridge, bridge.wall_links):  # AppTest cannot send the cookie: app.py and the bridge's callers
        monkeypatch.setattr(where, "wall_cookie", lambda: value)
    at = _app().run()
    assert at.get("deck_gl_json_chart") and not texts(at.error)
    monkeypatch.setattr(display_links, "check", _down)
    at.run()
    assert not [t for t in texts(at.error) if "已过期或已被撤销" in t], texts(at.error)
    assert "数据暂时无法显示，稍后自动重试。" in texts(at.caption) and not at.exception


def test_a_read_only_database_still_lets_sessions_and_links_through(world):  # noqa: F811
    token, _ = sessions.sign_in("zx", "correct-horse-42", engine=world.engine)
    link = display_links.create("大厅", days=1, by=world.admin, engine=world.engine)
    value = link.removeprefix(display_links.PATH_PREFIX)
    assert display_links.check(value, engine=world.engine) == "大厅"
    due = clock.now_utc() - dt.timedelta(seconds=sessions.TOUCH_SECONDS + 60)  # both due for renewal
    with session_scope(world.engine) as s:
        s.execute(update(UserSession).values(last_seen_at=due))
        s.execute(update(DisplayLink).values(last_used_at=due))
    read_only = _read_only(world)
    assert sessions.resolve(token, engine=read_only).state == "ok"
    assert display_links.check(value, engine=read_only) == "大厅"
