"""Dates staff set once and change rarely (「上次汇报日期」, 「征迁截止日期」): one audited code path.

    DateSetting(key, field, allowed, who, future_ok)  — what is stored, under which Chinese name, who may set it
    read(setting, *, engine=None) -> DateEntry | None   — the date with who set it and when
    write(setting, actor, day, *, engine=None, today=None) -> DateSettingResult

The value lives in `app_setting` (one row per key, changed in place); every change leaves an audit row with
the date before and after, in the same transaction. Setting the date it already holds writes nothing (a
double click or a second tab is harmless). Concurrent setters serialise on the row (PostgreSQL: SELECT … FOR
UPDATE; SQLite: the writer turn). The permission is checked here, against the account as stored.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from lib import audit, clock
from lib.auth import Actor, verify_actor
from lib.db import session_scope
from lib.errors import PermissionDenied
from lib.fmt import cn_date
from lib.models import AppSetting, Role
from lib.writes.base import as_date, dialect_insert, take_writer_turn


@dataclass(frozen=True)
class DateSetting:
    key: str  # app_setting.key
    field: str  # the Chinese name users see (and every message names)
    allowed: tuple[Role, ...]
    who: str  # the allowed roles in words, for the refusal
    future_ok: bool = False  # a deadline lies ahead; a past briefing does not


@dataclass(frozen=True)
class DateEntry:
    day: dt.date
    updated_by: str | None  # username of the last setter
    updated_at: dt.datetime | None  # naive UTC


@dataclass(frozen=True)
class DateSettingResult:
    changed: bool
    day: dt.date
    message: str


def _parse(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def read(setting: DateSetting, *, engine: Engine | None = None) -> DateEntry | None:
    with session_scope(engine) as s:
        row = s.scalar(select(AppSetting).where(AppSetting.key == setting.key))
        day = _parse(row.value) if row is not None else None
        return DateEntry(day, row.updated_by, row.updated_at) if day else None


def may_set(setting: DateSetting, role: str | None) -> bool:
    return role in setting.allowed


def _lock_row(s: Session, key: str) -> AppSetting:
    """The setting's row, created if missing (no check-then-insert) and held until the transaction ends."""
    if s.get_bind().dialect.name == "sqlite":
        take_writer_turn(s)
    s.execute(dialect_insert(s)(AppSetting).values(key=key, value=None, updated_at=clock.now_utc())
              .on_conflict_do_nothing(index_elements=["key"]))
    return s.scalars(select(AppSetting).where(AppSetting.key == key).with_for_update()
                     .execution_options(populate_existing=True)).one()


def write(setting: DateSetting, actor: Actor | None, day, *, engine: Engine | None = None,
          today: dt.date | None = None) -> DateSettingResult:
    """Set the date (a date, or text such as 2023-11-15 / 2023年11月15日); refused for other roles,
    bad text → ValidationError naming the field; not in the future unless `setting.future_ok`."""
    when = as_date(day, setting.field, today=None if setting.future_ok else (today or clock.today()))
    field = setting.field
    with session_scope(engine) as s:
        user = verify_actor(s, actor)
        if not may_set(setting, user.role):
            raise PermissionDenied(f"只有{setting.who}可以设置「{field}」（当前账号：{actor.display_name}，{user.role}）")
        row = _lock_row(s, setting.key)
        before = _parse(row.value)
        if before == when:
            return DateSettingResult(False, when, f"「{field}」已是{cn_date(when)}，未改动")
        row.value = when.isoformat()
        row.updated_at = clock.now_utc()
        row.updated_by = actor.username
        audit.record(s, actor, "update", "app_setting", setting.key, None,
                     {field: before.isoformat() if before else None}, {field: when.isoformat()})
    return DateSettingResult(True, when, f"已保存：「{field}」为{cn_date(when)}")
