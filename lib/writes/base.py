"""Shared machinery of the write side: the per-transaction context, outcomes, input coercion.

A write is planned (validate, compare with what is stored) and then applied (add the new history
row, its staff source and its audit row). Forms run one plan in one transaction; a ledger import
runs many plans in one transaction. Field names in messages are the Chinese form/ledger labels.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from lib import audit, clock
from lib.auth import Actor, require, verify_actor
from lib.db import session_scope
from lib.errors import ValidationError
from lib.models import Community, Role, Source, SourceKind
from lib.numparse import ParsedNumber, parse_number

STAFF_SOURCE_TITLE = "工作人员录入"
PREVIEW_USER = "（预览）"


local_today = clock.today  # re-exported for the forms' default dates


@dataclass(frozen=True)
class WriteResult:
    """What a form submit did: `inserted` False means the same data was already stored."""

    inserted: bool
    table: str
    key: str
    id: int | None
    message: str


@dataclass
class Outcome:
    """A planned write: `obj` is the new row, or None when the stored data already says the same."""

    table: str
    key: str
    label: str
    community_id: int | None
    before: dict | None
    after: dict
    obj: Any = None
    extra: list = field(default_factory=list)  # callables (session, obj) adding dependent rows (a photo)
    existing_id: int | None = None
    action: str | None = None  # audit action; default the context's ("insert" / "import")

    @property
    def inserted(self) -> bool:
        return self.obj is not None


class WriteContext:
    """One transaction's view: who writes, today's date, community lookup, the staff source."""

    def __init__(self, session: Session, actor: Actor | None, *, today: dt.date | None = None,
                 source_title: str = STAFF_SOURCE_TITLE, action: str = "insert", check: bool = True) -> None:
        self.s = session
        self.actor = actor
        self.today = today or local_today()
        self.source_title = source_title
        self.action = action
        self.check = check
        self._sources: dict[str, int] = {}
        self._communities: dict[str, Community] = {}
        if check:
            verify_actor(session, actor)
            if actor.role != Role.ADMIN:
                require(actor, "edit", community=actor.community)

    @property
    def username(self) -> str:
        return self.actor.username if self.actor is not None else PREVIEW_USER

    def require(self, community: str | None) -> None:
        if self.check:
            require(self.actor, "edit", community=community)

    def community(self, name: Any, fieldname: str = "社区") -> Community:
        text = as_text(name, fieldname, max_len=40)
        short = text.removesuffix("社区") or text
        if short not in self._communities:
            c = self.s.scalar(select(Community).where(Community.name == short))
            if c is None:
                raise ValidationError(f"「{fieldname}」：未知社区“{text}”")
            self._communities[short] = c
        return self._communities[short]

    def source_id(self, title: str | None = None) -> int:
        """The staff Source for (this user, title), created on first use."""
        title = (title or self.source_title).strip()[:300]
        if title not in self._sources:
            digest = hashlib.sha1(f"{self.username}\x1f{title}".encode()).hexdigest()[:24]
            key = f"staff-{digest}"
            src = self.s.scalar(select(Source).where(Source.key == key))
            if src is None:
                who = self.actor.display_name if self.actor is not None else self.username
                src = Source(key=key, kind=SourceKind.STAFF.value, title=title, publisher=who,
                             note=f"由{who}（{self.username}）在本系统录入")
                self.s.add(src)
                self.s.flush()
            self._sources[title] = src.id
        return self._sources[title]

    def apply(self, outcome: Outcome, *, source_title: str | None = None) -> WriteResult:
        """Add the planned row (if any), its extras and an audit row; flushed, not committed."""
        if outcome.obj is None:
            return WriteResult(False, outcome.table, outcome.key, outcome.existing_id,
                               f"与已保存的记录相同，未重复保存（{outcome.label}）")
        obj = outcome.obj
        if hasattr(obj, "source_id") and getattr(obj, "source_id", None) is None:
            obj.source_id = self.source_id(source_title)
        for attr in ("recorded_by", "created_by"):
            if hasattr(obj, attr) and getattr(obj, attr, None) is None:
                setattr(obj, attr, self.username)
        self.s.add(obj)
        self.s.flush()
        for extra in outcome.extra:
            extra(self.s, obj)
        self.s.flush()
        after = {"id": obj.id, **outcome.after}
        audit.record(self.s, self.username, outcome.action or self.action, outcome.table, outcome.key, outcome.community_id,
                     outcome.before, after)
        return WriteResult(True, outcome.table, outcome.key, obj.id, f"已保存（{outcome.label}）")


def run_write(actor: Actor | None, plan: Callable[[WriteContext], Outcome], *, engine: Engine | None = None,
              today: dt.date | None = None) -> WriteResult:
    """Plan and apply one form submit in its own transaction (all or nothing)."""
    with session_scope(engine) as s:
        ctx = WriteContext(s, actor, today=today)
        return ctx.apply(plan(ctx))


# ---- input coercion: forms pass typed values or the text people typed; ledgers pass cell values ----

def blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def as_text(value: Any, fieldname: str, *, max_len: int, required: bool = True) -> str | None:
    if blank(value):
        if required:
            raise ValidationError(f"「{fieldname}」：不能为空")
        return None
    text = unicodedata.normalize("NFC", str(value)).strip()
    if len(text) > max_len:
        raise ValidationError(f"「{fieldname}」：过长（最多{max_len}个字）")
    return text


def as_choice(value: Any, fieldname: str, choices: list[str]) -> str:
    text = as_text(value, fieldname, max_len=40)
    squeezed = re.sub(r"\s+", "", text)
    if squeezed not in choices:
        raise ValidationError(f"「{fieldname}」：“{text}”无效，应为{'、'.join(choices)}之一")
    return squeezed


def as_number(value: Any, fieldname: str, *, integer: bool = False, minimum: float | None = 0,
              maximum: float | None = None, unit: str | None = None) -> ParsedNumber:
    parsed = parse_number(value, field=fieldname, unit=unit, integer=integer)
    shown = parsed.text or str(parsed.value)
    if minimum is not None and parsed.value < minimum:
        raise ValidationError(f"「{fieldname}」：“{shown}”不能小于{minimum:g}")
    if maximum is not None and parsed.value > maximum:
        raise ValidationError(f"「{fieldname}」：“{shown}”不能大于{maximum:g}")
    return parsed


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def as_date(value: Any, fieldname: str, *, today: dt.date | None = None, default: dt.date | None = None) -> dt.date:
    """A date from a date, datetime or text (2023-11-22, 2023/11/22, 2023.11.22, 2023年11月22日);
    with `today`, dates after today are rejected."""
    if blank(value):
        if default is None:
            raise ValidationError(f"「{fieldname}」：不能为空")
        value = default
    if isinstance(value, dt.datetime):
        when = value.date()
    elif isinstance(value, dt.date):
        when = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        text = re.sub(r"\s+", "", text)
        text = re.sub(r"T?00:00(:00)?$", "", text)
        m = _DATE.match(text)
        try:
            if not m:
                raise ValueError
            when = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise ValidationError(f"「{fieldname}」：“{value}”不是有效日期，请写成 2024-01-05") from None
    if today is not None and when > today:
        raise ValidationError(f"「{fieldname}」：{when.isoformat()} 晚于今天（{today.isoformat()}），不能录入未来日期")
    if when.year < 1990:
        raise ValidationError(f"「{fieldname}」：{when.isoformat()} 过早，请检查年份")
    return when


def same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def latest(session: Session, model, *conds, date_col: str = "valid_from"):
    """The newest-recorded row matching `conds` with the greatest date (as-of semantics)."""
    order = [getattr(model, date_col).desc()]
    if hasattr(model, "recorded_at"):
        order.append(model.recorded_at.desc())
    return session.scalar(select(model).where(*conds).order_by(*order, model.id.desc()).limit(1))


def cn_day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
