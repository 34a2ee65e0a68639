"""大屏链接: named, read-only links that open the big screen on a wall without a password.

An administrator creates a link (name, validity in days); its URL (PATH_PREFIX + signed token) is
shown once and only the token's hash is stored. Opening it sets a signed, HttpOnly cookie (COOKIE)
that shows the big screen and nothing else, also when REQUIRE_LOGIN_TO_VIEW is on, until the link
expires or is revoked. Creation, each opening and revocation leave audit rows. Creating and revoking check the
administrator's stored account in their transaction (lib.auth.verify_actor), as every write does.

    create(name, *, days, by, engine=None) -> str             # the link's path, e.g. /display/<token>
    create_once(name, *, days, by, submission_key) -> NewLink  # a form's submit: a repeat stores nothing
    open_link(value, *, engine=None) -> str | None             # the link's name when valid (audited use)
    check(value, *, engine=None) -> str | None                 # every run of the wall: still valid?
    revoke(link_id, *, by, engine=None) -> bool
    list_links(*, engine=None) -> DataFrame
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from lib import audit, clock, submissions, text
from lib.auth import Actor, require, verify_actor
from lib.db import session_scope, touch
from lib.errors import NotFound, ValidationError
from lib.models import DisplayLink
from lib.queries.common import frame
from lib.signing import derived_token, new_token, token_hash

COOKIE = "gw_display"
PURPOSE = "display"
PATH_PREFIX = "/display/"
MAX_DAYS = 3650
SCREEN_VALUES = frozenset({"1", "true", "yes"})  # ?screen=… values that open the wall display
TOUCH_SECONDS = 60
STATE_LABELS = {"active": "有效", "expired": "已过期", "revoked": "已撤销"}


def wall_mode(screen_param: str | None, wall_cookie: str | None) -> bool:
    """The wall display: ?screen=1 (true, yes), or a browser holding a 大屏链接's cookie (which shows nothing else).
    One rule for each run of the app (ui.bridge.screen_mode) and for the page it is served (ui.page_shell)."""
    return str(screen_param or "") in SCREEN_VALUES or bool(wall_cookie)


def _who(link: DisplayLink) -> str:
    return f"大屏链接·{link.name}"[:64]


@dataclass(frozen=True)
class NewLink:
    """A created link: its path (shown once), its stored name, and whether this was a repeat of a submission
    already stored (then nothing new was written and the same path is shown again, unless the link was revoked
    or has expired meanwhile: `state`, as `_state`, says so and the path must not be offered)."""

    path: str
    name: str
    repeated: bool
    state: str = "active"

    @property
    def usable(self) -> bool:
        return self.state == "active"


def create(name: str, *, days: int, by: Actor | None, engine: Engine | None = None) -> str:
    """A new link valid for `days` days; returns its path (shown once: only the hash is kept)."""
    return create_once(name, days=days, by=by, engine=engine).path


def create_once(name: str, *, days: int, by: Actor | None, submission_key: str | None = None,
                engine: Engine | None = None) -> NewLink:
    """`create` for a form: the token is derived from the form's `submission_key`, so a double-click (even on two
    connections at once) stores one link — the unique token hash settles the race — and shows the same path."""
    require(by, "manage_users")
    name = text.clean(name or "")  # the one text rule (lib.text), as every stored name
    if not 1 <= len(name) <= 64:
        raise ValidationError("「名称」：请填写1–64个字符，如“三楼会议室大屏”")
    if text.refused(name):
        raise ValidationError("「名称」：含有不可见的控制字符或改变文字方向的字符，请删除后重新填写")
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"「有效天数」：应为1–{MAX_DAYS}之间的整数")
    key = submissions.form_key(submission_key)
    value, hashed = derived_token(PURPOSE, key, engine) if key else new_token(PURPOSE, engine)
    now = clock.now_utc()
    with session_scope(engine) as s:
        verify_actor(s, by)  # the stored account: a deactivated, demoted or forged administrator is refused
        if (held := _held(s, hashed, now)) is not None:
            return NewLink(PATH_PREFIX + value, held[0], True, held[1])
        link = DisplayLink(name=name, token_hash=hashed, created_at=now, created_by=by.username,
                           expires_at=now + dt.timedelta(days=days))
        try:
            with s.begin_nested():
                s.add(link)
                s.flush()
        except IntegrityError:  # the same submission stored meanwhile on another connection
            if link in s:
                s.expunge(link)
            if (held := _held(s, hashed, now)) is None:
                raise
            return NewLink(PATH_PREFIX + value, held[0], True, held[1])
        audit.record(s, by, "create_display_link", "display_link", f"{link.id}·{name}", None, None,
                     {"name": name, "expires_at": link.expires_at})
    return NewLink(PATH_PREFIX + value, name, False)


def _held(s, hashed: str, now: dt.datetime) -> tuple[str, str] | None:
    """The stored link of a token hash: its name and state (active / revoked / expired), or None."""
    link = s.scalar(select(DisplayLink).where(DisplayLink.token_hash == hashed))
    return None if link is None else (link.name, _state(link, now))


def _state(link: DisplayLink, now: dt.datetime) -> str:
    if link.revoked_at is not None:
        return "revoked"
    return "expired" if now >= link.expires_at else "active"


def _link(s, value: str | None, engine: Engine | None) -> DisplayLink | None:
    """The stored link a token names, or None (bad signature, unknown token)."""
    hashed = token_hash(value, PURPOSE, engine)
    return None if hashed is None else s.scalar(select(DisplayLink).where(DisplayLink.token_hash == hashed))


def open_link(value: str | None, *, engine: Engine | None = None) -> str | None:
    """A wall opens the link: its name when valid (use recorded and audited), else None (refusal audited)."""
    now = clock.now_utc()
    with session_scope(engine) as s:
        link = _link(s, value, engine)
        if link is None:
            return None
        state = _state(link, now)
        if state != "active":
            audit.record(s, _who(link), "display_link_refused", "display_link", f"{link.id}·{link.name}", None,
                         None, {"state": STATE_LABELS[state]})
            return None
        link.last_used_at = now
        audit.record(s, _who(link), "display_link_use", "display_link", f"{link.id}·{link.name}", None, None, None)
        return link.name


def check(value: str | None, *, engine: Engine | None = None) -> str | None:
    """On every run of a wall: the link's name while it is valid, else None (last use kept fresh)."""
    now = clock.now_utc()
    with session_scope(engine) as s:
        link = _link(s, value, engine)
        if link is None or _state(link, now) != "active":
            return None
        due = link.last_used_at is None or (now - link.last_used_at).total_seconds() >= TOUCH_SECONDS
        name, link_id = link.name, link.id
    if due:  # on its own: a read-only or busy database still shows a valid link's wall (lib.db.touch)
        touch(DisplayLink, link_id, engine=engine, last_used_at=now)
    return name


def revoke(link_id: int, *, by: Actor | None, engine: Engine | None = None) -> bool:
    """Stop a link at once (audited). False when it was already revoked."""
    require(by, "manage_users")
    with session_scope(engine) as s:
        verify_actor(s, by)
        link = s.get(DisplayLink, link_id, with_for_update=True)
        if link is None:
            raise NotFound(f"未找到编号为 {link_id} 的大屏链接")
        if link.revoked_at is not None:
            return False
        link.revoked_at, link.revoked_by = clock.now_utc(), by.username
        audit.record(s, by, "revoke_display_link", "display_link", f"{link.id}·{link.name}", None,
                     {"state": "有效"}, {"state": "已撤销"})
        return True


def list_links(*, engine: Engine | None = None) -> pd.DataFrame:
    """id, name, created_at, created_by, expires_at, revoked_at, revoked_by, last_used_at, state (Chinese);
    newest first."""
    df = frame(select(DisplayLink.id, DisplayLink.name, DisplayLink.created_at, DisplayLink.created_by,
                      DisplayLink.expires_at, DisplayLink.revoked_at, DisplayLink.revoked_by,
                      DisplayLink.last_used_at).order_by(DisplayLink.id.desc()), engine)
    now = clock.now_utc()
    df["state"] = [STATE_LABELS["revoked"] if pd.notna(r) else STATE_LABELS["expired"] if e <= now
                   else STATE_LABELS["active"] for r, e in zip(df["revoked_at"], df["expires_at"], strict=True)]
    return df
