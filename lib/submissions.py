"""Form submission keys for writes outside lib.writes (accounts): a key claimed with the row it stored, under the
primary key of `write_submission`, so a repeat of one submission — a double-click, even on two connections at
once — fails in the database and is answered with the row the first one stored.

    form_key(submission_key) -> str | None        # the form's token as stored (validated), or None
    claim(session, key, table, record_id, username)   # flushed (unless flush=False); IntegrityError when claimed
    claimed_record(session, key) -> int | None
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lib.models import WriteSubmission


def form_key(submission_key: str | None) -> str | None:
    from lib.writes.fields import as_text  # lib.writes builds on lib.auth, which uses this module

    key = as_text(submission_key, "提交标识", max_len=64, required=False)
    return f"form-{key}" if key else None


def claim(session: Session, key: str | None, table: str, record_id: int | None, username: str, *,
          flush: bool = True) -> None:
    """`flush=False`: the caller flushes it with the row it stored (one round trip, not two)."""
    if key:
        session.add(WriteSubmission(key=key[:80], table_name=table[:40], record_id=record_id, username=username[:64]))
        if flush:
            session.flush()


def claimed_record(session: Session, key: str | None) -> int | None:
    if not key:
        return None
    return session.scalar(select(WriteSubmission.record_id).where(WriteSubmission.key == key[:80]))
