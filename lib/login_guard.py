"""What keeps password guessing slow and uninformative (used by lib.auth's sign-in).

    lockout(session, key, client) -> 'account' | 'client' | None   # too many recent failures
    dummy_hash(session, default_rounds) -> str   # a hash to check an unknown name against, at the stored cost
"""
from __future__ import annotations

import datetime as dt
import re

import bcrypt
from sqlalchemy import select
from sqlalchemy.orm import Session

from lib import audit, clock
from lib.config import settings
from lib.models import User

_DUMMY_HASH: dict[int, bytes] = {}


def lockout(session: Session, key: str, client: str | None) -> str | None:
    """'account' or 'client' when that one has too many recent failures, else None."""
    cfg = settings()
    since = clock.now_utc() - dt.timedelta(minutes=cfg.login_lockout_minutes)
    if audit.failed_logins(session, since=since, username=key) >= cfg.login_max_failures:
        return "account"
    if client and audit.failed_logins(session, since=since, client=client) >= cfg.login_max_failures_per_client:
        return "client"
    return None


def dummy_hash(session: Session, default_rounds: int) -> str:
    """A hash of the same cost as stored ones, so an unknown username takes as long as a wrong password."""
    sample = session.scalar(select(User.password_hash).order_by(User.id).limit(1)) or ""
    match = re.match(r"^\$2[aby]\$(\d\d)\$", sample)
    rounds = int(match.group(1)) if match else default_rounds
    if rounds not in _DUMMY_HASH:
        _DUMMY_HASH[rounds] = bcrypt.hashpw(b"not-a-password", bcrypt.gensalt(rounds))
    return _DUMMY_HASH[rounds].decode("ascii")
