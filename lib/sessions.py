"""Sign-in sessions that survive reloads, new tabs and bookmarks.

The browser keeps a signed, HttpOnly cookie (COOKIE) whose random token names one `user_session`
row; the row decides: a session ends after SESSION_IDLE_MINUTES without use, SESSION_MAX_HOURS
after sign-in, on 「退出登录」 (this browser), 「在所有设备上退出」 (all of the user's browsers), and
when the user's password is changed or the account is deactivated (lib.auth calls end_user_sessions).

    sign_in(username, password, *, user_agent=None, client=None, engine=None) -> (cookie_value, Actor) | None
    resolve(cookie_value, *, engine=None) -> Resolved(actor, state)   # state: none/ok/expired/ended
    open_sessions(cookie_value, *, engine=None) -> DataFrame      # the user's signed-in browsers
    sign_out(cookie_value, *, engine=None) -> bool
    sign_out_everywhere(cookie_value, *, engine=None) -> int
    end_user_sessions(session, user_id, reason, *, by) -> int
    safe_next(path) -> str; landing(path, actor) -> str
"""
from __future__ import annotations

import datetime as dt
import urllib.parse
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from lib import audit, clock
from lib.auth import Actor, check_password, still_holds
from lib.config import settings
from lib.db import session_scope, touch
from lib.models import Community, User, UserSession
from lib.signing import new_token, token_hash

COOKIE = "gw_session"
PURPOSE = "session"
TOUCH_SECONDS = 60  # last_seen_at is written at most once a minute per session
PURGE_AFTER_DAYS = 30
DEFAULT_NEXT = "/account"
END_REASONS = {"sign_out": "退出登录", "sign_out_all": "在所有设备上退出", "password": "密码已修改",
               "deactivated": "账号已停用"}


@dataclass(frozen=True)
class Resolved:
    actor: Actor | None
    state: str  # none: no cookie; ok; expired: idle or past its lifetime; ended: signed out, revoked, or forged

    @property
    def message(self) -> str | None:
        """Why a browser that had a session no longer has one (Chinese), or None."""
        return {"expired": "登录已超时，请重新登录。", "ended": "登录已失效（已退出或账号已变更），请重新登录。"}.get(self.state)


def _idle() -> dt.timedelta:
    return dt.timedelta(minutes=settings().session_idle_minutes)


def sign_in(username: str, password: str, *, user_agent: str | None = None, client: str | None = None,
            engine: Engine | None = None) -> tuple[str, Actor] | None:
    """Check the password (lib.auth audits the attempt and applies the lockout, raising PermissionDenied);
    on success start a session and return its cookie value. The session is stored only if the password checked
    still holds, confirmed with the account row locked (lib.auth.still_holds): a password change or deactivation
    committed after the check leaves no session (None, audited), one committed later ends it."""
    checked = check_password(username, password, client=client, engine=engine)
    if checked is None:
        return None
    value, hashed = new_token(PURPOSE, engine)
    now = clock.now_utc()
    with session_scope(engine) as s:
        if not still_holds(s, checked):
            audit.record(s, checked.actor.username, "login_failed", "app_user", checked.actor.username, None, None,
                         {"reason": "changed", **({"client": client} if client else {})})
            return None
        # Rows of sessions that ended or expired long ago are of no further use (the audit log keeps the story).
        s.execute(delete(UserSession).where(UserSession.expires_at < now - dt.timedelta(days=PURGE_AFTER_DAYS)))
        s.add(UserSession(token_hash=hashed, user_id=checked.user_id, created_at=now, last_seen_at=now,
                          expires_at=now + dt.timedelta(hours=settings().session_max_hours),
                          user_agent=(user_agent or "")[:200] or None))
    return value, checked.actor


def _row(s: Session, value: str | None, engine: Engine | None) -> tuple[UserSession, User] | None:
    hashed = token_hash(value, PURPOSE, engine)
    if hashed is None:
        return None
    found = s.execute(select(UserSession, User).join(User, User.id == UserSession.user_id)
                      .where(UserSession.token_hash == hashed)).first()
    return None if found is None else (found[0], found[1])


def resolve(value: str | None, *, engine: Engine | None = None) -> Resolved:
    """The Actor a cookie value stands for right now (re-read from the database on every call)."""
    if not value:
        return Resolved(None, "none")
    now = clock.now_utc()
    with session_scope(engine) as s:
        found = _row(s, value, engine)
        if found is None:
            return Resolved(None, "ended")
        row, user = found
        if row.ended_at is not None or not user.active:
            return Resolved(None, "ended")
        if now >= row.expires_at or now - row.last_seen_at > _idle():
            return Resolved(None, "expired")
        due = (now - row.last_seen_at).total_seconds() >= TOUCH_SECONDS
        community = None if user.community_id is None else s.scalar(
            select(Community.name).where(Community.id == user.community_id))
        resolved, row_id = Resolved(Actor(user.username, user.display_name, user.role, community), "ok"), row.id
    if due:  # on its own: a read-only or busy database still lets a valid session through (lib.db.touch)
        touch(UserSession, row_id, engine=engine, last_seen_at=now)
    return resolved


def open_sessions(value: str | None, *, engine: Engine | None = None) -> pd.DataFrame:
    """The signed-in user's open sessions (this one first): created_at, last_seen_at, user_agent, this."""
    with session_scope(engine) as s:
        found = _row(s, value, engine)
        if found is None:
            return pd.DataFrame(columns=["created_at", "last_seen_at", "user_agent", "this"])
        now = clock.now_utc()
        rows = s.scalars(select(UserSession).where(
            UserSession.user_id == found[1].id, UserSession.ended_at.is_(None), UserSession.expires_at > now,
            UserSession.last_seen_at >= now - _idle()).order_by(UserSession.last_seen_at.desc())).all()
        df = pd.DataFrame([{"created_at": r.created_at, "last_seen_at": r.last_seen_at, "user_agent": r.user_agent,
                            "this": r.id == found[0].id} for r in rows],
                          columns=["created_at", "last_seen_at", "user_agent", "this"])
    return df.sort_values("this", ascending=False, kind="stable").reset_index(drop=True)


def sign_out(value: str | None, *, engine: Engine | None = None) -> bool:
    """End this browser's session (audited). False when there was none to end."""
    with session_scope(engine) as s:
        found = _row(s, value, engine)
        if found is None or found[0].ended_at is not None:
            return False
        row, user = found
        row.ended_at, row.end_reason = clock.now_utc(), "sign_out"
        audit.record(s, user.username, "logout", "user_session", user.username, user.community_id, None,
                     {"sessions": 1})
        return True


def sign_out_everywhere(value: str | None, *, engine: Engine | None = None) -> int:
    """End every open session of the user this cookie belongs to (audited); the number ended."""
    with session_scope(engine) as s:
        found = _row(s, value, engine)
        if found is None:
            return 0
        user = found[1]
        return end_user_sessions(s, user.id, "sign_out_all", by=user.username)


def end_user_sessions(s: Session, user_id: int, reason: str, *, by) -> int:
    """End all open sessions of `user_id` inside the caller's transaction, with one audit row."""
    user = s.get(User, user_id)
    ended = s.execute(update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
                      .values(ended_at=clock.now_utc(), end_reason=reason)).rowcount or 0
    audit.record(s, by, "logout_all" if reason == "sign_out_all" else "end_sessions", "user_session",
                 user.username if user else str(user_id), user.community_id if user else None, None,
                 {"sessions": ended, "reason": END_REASONS.get(reason, reason)})
    return ended


def safe_next(path: str | None) -> str:
    """A local path to go to after sign-in (never another site); DEFAULT_NEXT otherwise."""
    path = (path or "").strip()
    if not path.startswith("/") or path.startswith("//") or "\\" in path or any(c < " " for c in path):
        return DEFAULT_NEXT
    parts = urllib.parse.urlsplit(path)
    if parts.scheme or parts.netloc:
        return DEFAULT_NEXT
    return path


def landing(path: str | None, actor: Actor) -> str:
    """Where sign-in leads: `path`, with a community account's own community selected unless one is chosen."""
    path = safe_next(path)
    if not actor.community:
        return path
    parts = urllib.parse.urlsplit(path)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    if any(k == "community" for k, _ in query):
        return path
    query.append(("community", actor.community))
    return urllib.parse.urlunsplit(("", "", parts.path, urllib.parse.urlencode(query), ""))
