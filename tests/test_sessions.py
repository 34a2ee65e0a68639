"""Sign-in sessions and wall-screen display links (lib.sessions, lib.display_links), on both backends."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from staff_fixtures import PASSWORD, _staff_templates, world  # noqa: F401

from lib import auth, clock, display_links, sessions
from lib.audit import audit_log
from lib.config import settings
from lib.db import session_scope
from lib.errors import PermissionDenied, ValidationError
from lib.models import AppSecret, UserSession

T0 = dt.datetime(2026, 12, 1, 8, 0)


@pytest.fixture
def at(monkeypatch):
    """Freeze lib.clock at T0; `at.move(hours=…)` moves it."""
    class Clock:
        now = T0

        def move(self, **delta):
            self.now += dt.timedelta(**delta)

    c = Clock()
    monkeypatch.setattr(clock, "now_utc", lambda: c.now)
    return c


def actions(engine, table):
    return list(audit_log(table=table, engine=engine)["action"])


def test_sign_in_resolves_and_survives_within_idle(world, at):
    assert sessions.sign_in("zx", "wrong-password", engine=world.engine) is None
    value, actor = sessions.sign_in("zx", PASSWORD, user_agent="tablet", engine=world.engine)
    assert actor == world.staff
    at.move(minutes=settings().session_idle_minutes - 1)
    got = sessions.resolve(value, engine=world.engine)
    assert (got.state, got.actor) == ("ok", world.staff)
    at.move(minutes=settings().session_idle_minutes - 1)  # the use above reset the idle clock
    assert sessions.resolve(value, engine=world.engine).state == "ok"
    assert sessions.resolve(None, engine=world.engine).state == "none"


def test_idle_timeout_and_absolute_lifetime(world, at):
    value, _ = sessions.sign_in("zx", PASSWORD, engine=world.engine)
    at.move(minutes=settings().session_idle_minutes + 1)
    got = sessions.resolve(value, engine=world.engine)
    assert (got.state, got.actor) == ("expired", None) and "超时" in got.message

    value, _ = sessions.sign_in("zx", PASSWORD, engine=world.engine)
    for _ in range(settings().session_max_hours // 4 - 1):  # used every 4 hours: never idle
        at.move(hours=4)
        assert sessions.resolve(value, engine=world.engine).state == "ok"
    at.move(hours=4)
    assert sessions.resolve(value, engine=world.engine).state == "expired"


def test_forged_or_unknown_cookie_is_refused(world, at):
    value, _ = sessions.sign_in("zx", PASSWORD, engine=world.engine)
    token, sig = value.split(".")
    other = "A" if token[-1] != "A" else "B"  # one character of the token changed
    for bad in (f"{token}.{sig[:-2]}{'yy' if sig.endswith('xx') else 'xx'}", f"{token[:-1]}{other}.{sig}",
                "x.y", "garbage", "a.b.c", "中.文"):
        assert sessions.resolve(bad, engine=world.engine).state == "ended", bad
    # The cookie signs a display link token differently: a session cookie is not a display link.
    assert display_links.check(value, engine=world.engine) is None


def test_sign_out_this_device_and_everywhere(world, at):
    tablet, _ = sessions.sign_in("zx", PASSWORD, engine=world.engine)
    desk, _ = sessions.sign_in("zx", PASSWORD, engine=world.engine)
    other, _ = sessions.sign_in("hs", PASSWORD, engine=world.engine)
    assert sessions.sign_out(tablet, engine=world.engine) is True
    assert sessions.sign_out(tablet, engine=world.engine) is False  # idempotent
    assert sessions.resolve(tablet, engine=world.engine).state == "ended"
    assert sessions.resolve(desk, engine=world.engine).state == "ok"
    third, _ = sessions.sign_in("zx", PASSWORD, engine=world.engine)
    assert sessions.sign_out_everywhere(third, engine=world.engine) == 2  # desk and third
    assert sessions.resolve(desk, engine=world.engine).state == "ended"
    assert sessions.resolve(third, engine=world.engine).state == "ended"
    assert sessions.resolve(other, engine=world.engine).actor == world.staff_hs  # another user: untouched
    log = audit_log(table="user_session", engine=world.engine)
    assert list(log["action"]) == ["logout_all", "logout"]
    assert log.iloc[0]["after"]["sessions"] == 2 and set(log["username"]) == {"zx"}


def test_password_change_ends_every_session(world, at):
    a, _ = sessions.sign_in("zx", PASSWORD, engine=world.engine)
    b, _ = sessions.sign_in("zx", PASSWORD, engine=world.engine)
    auth.set_password("zx", "a-new-password", by=world.staff, engine=world.engine, rounds=4)
    assert [sessions.resolve(v, engine=world.engine).state for v in (a, b)] == ["ended", "ended"]
    c, _ = sessions.sign_in("zx", "a-new-password", engine=world.engine)
    assert sessions.resolve(c, engine=world.engine).state == "ok"
    log = audit_log(table="user_session", engine=world.engine)
    assert log.iloc[0]["action"] == "end_sessions" and log.iloc[0]["after"] == {"sessions": 2, "reason": "密码已修改"}


def test_deactivation_ends_every_session_and_reactivation_does_not_revive(world, at):
    a, _ = sessions.sign_in("zx", PASSWORD, engine=world.engine)
    auth.deactivate("zx", by=world.admin, engine=world.engine)
    assert sessions.resolve(a, engine=world.engine).state == "ended"
    assert sessions.sign_in("zx", PASSWORD, engine=world.engine) is None
    auth.update_user("zx", by=world.admin, active=True, engine=world.engine)
    assert sessions.resolve(a, engine=world.engine).state == "ended"
    with session_scope(world.engine) as s:
        reasons = s.scalars(select(UserSession.end_reason)).all()
    assert reasons == ["deactivated"]


def test_role_change_is_seen_on_the_next_run(world, at):
    value, _ = sessions.sign_in("zx", PASSWORD, engine=world.engine)
    auth.update_user("zx", by=world.admin, role="领导", engine=world.engine)
    assert sessions.resolve(value, engine=world.engine).actor.role == "领导"


def test_signing_key_generated_once_and_kept_in_the_database(world):
    from lib import signing

    signing._KEYS.clear()
    first = signing.signing_key(world.engine)
    signing._KEYS.clear()
    assert signing.signing_key(world.engine) == first and len(first) >= 48
    with session_scope(world.engine) as s:
        assert s.scalars(select(AppSecret.name)).all() == ["session"]


@pytest.mark.parametrize(("path", "expected"), [
    ("/check_form", "/check_form"), ("/entry?as_of=2023-01-01", "/entry?as_of=2023-01-01"),
    ("https://evil.example/", "/account"), ("//evil.example/x", "/account"), ("/\\evil", "/account"),
    ("", "/account"), (None, "/account"), ("check_form", "/account"), ("/a\nb", "/account"),
])
def test_safe_next(path, expected):
    assert sessions.safe_next(path) == expected


def test_landing_selects_the_staff_members_community(world):
    assert sessions.landing("/check_form", world.staff) == "/check_form?community=%E4%B8%AD%E5%85%B4"
    assert sessions.landing("/check_form?community=西华", world.staff) == "/check_form?community=西华"
    assert sessions.landing("/entry", world.admin) == "/entry"


def test_display_link_lifecycle_and_audit(world, at):
    path = display_links.create(" 三楼会议室 ", days=30, by=world.admin, engine=world.engine)
    assert path.startswith(display_links.PATH_PREFIX)
    value = path.removeprefix(display_links.PATH_PREFIX)
    links = display_links.list_links(engine=world.engine)
    assert list(links["name"]) == ["三楼会议室"] and links.iloc[0]["state"] == "有效"
    assert links.iloc[0]["last_used_at"] is None or str(links.iloc[0]["last_used_at"]) in ("NaT", "None")

    at.move(hours=1)
    assert display_links.open_link(value, engine=world.engine) == "三楼会议室"
    assert display_links.check(value, engine=world.engine) == "三楼会议室"
    assert display_links.list_links(engine=world.engine).iloc[0]["last_used_at"] == T0 + dt.timedelta(hours=1)

    assert display_links.revoke(int(links.iloc[0]["id"]), by=world.admin, engine=world.engine) is True
    assert display_links.revoke(int(links.iloc[0]["id"]), by=world.admin, engine=world.engine) is False
    assert display_links.check(value, engine=world.engine) is None
    assert display_links.open_link(value, engine=world.engine) is None
    assert display_links.list_links(engine=world.engine).iloc[0]["state"] == "已撤销"
    log = audit_log(table="display_link", engine=world.engine)
    assert list(log["action"])[::-1] == ["create_display_link", "display_link_use", "revoke_display_link",
                                         "display_link_refused"]
    assert list(log["username"])[::-1] == ["admin", "大屏链接·三楼会议室", "admin", "大屏链接·三楼会议室"]


def test_display_link_expiry(world, at):
    value = display_links.create("大厅", days=2, by=world.admin, engine=world.engine).split("/")[-1]
    at.move(days=2, seconds=-1)
    assert display_links.check(value, engine=world.engine) == "大厅"
    at.move(seconds=1)
    assert display_links.check(value, engine=world.engine) is None
    assert display_links.open_link(value, engine=world.engine) is None
    assert display_links.list_links(engine=world.engine).iloc[0]["state"] == "已过期"


def test_display_links_only_by_administrators_and_valid_input(world):
    for who in (world.staff, world.leader, None):
        with pytest.raises(PermissionDenied):
            display_links.create("x", days=1, by=who, engine=world.engine)
    with pytest.raises(ValidationError, match="名称"):
        display_links.create("  ", days=1, by=world.admin, engine=world.engine)
    with pytest.raises(ValidationError, match="有效天数"):
        display_links.create("x", days=0, by=world.admin, engine=world.engine)
    path = display_links.create("x", days=1, by=world.admin, engine=world.engine)
    link_id = int(display_links.list_links(engine=world.engine).iloc[0]["id"])
    with pytest.raises(PermissionDenied):
        display_links.revoke(link_id, by=world.staff, engine=world.engine)
    assert display_links.check(path.split("/")[-1], engine=world.engine) == "x"
    assert actions(world.engine, "display_link") == ["create_display_link"]


def test_open_sessions_lists_the_users_browsers_this_one_first(world, at):
    old, _ = sessions.sign_in("zx", PASSWORD, user_agent="Chrome on a tablet", engine=world.engine)
    at.move(minutes=5)
    here, _ = sessions.sign_in("zx", PASSWORD, user_agent="Firefox on a PC", engine=world.engine)
    sessions.sign_in("hs", PASSWORD, engine=world.engine)
    at.move(minutes=5)
    sessions.resolve(old, engine=world.engine)  # the tablet was used last
    df = sessions.open_sessions(here, engine=world.engine)
    assert df[["user_agent", "this"]].values.tolist() == [["Firefox on a PC", True], ["Chrome on a tablet", False]]
    sessions.sign_out(old, engine=world.engine)
    assert list(sessions.open_sessions(here, engine=world.engine)["user_agent"]) == ["Firefox on a PC"]
    assert sessions.open_sessions("forged.value", engine=world.engine).empty


def test_long_dead_sessions_are_purged_at_sign_in(world, at):
    sessions.sign_in("zx", PASSWORD, engine=world.engine)
    at.move(hours=settings().session_max_hours, days=sessions.PURGE_AFTER_DAYS + 1)
    sessions.sign_in("zx", PASSWORD, engine=world.engine)
    with session_scope(world.engine) as s:
        assert len(s.scalars(select(UserSession)).all()) == 1
