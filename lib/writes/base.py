"""Shared machinery of the write side: the per-transaction context, outcomes, input coercion.

A write is planned (validate, compare with what is stored) and then applied (add the new history
row, its staff source and its audit row). Forms run one plan in one transaction; a ledger import
runs many plans in one transaction. Field names in messages are the Chinese form/ledger labels.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lib import audit, clock, submissions
from lib.auth import Actor, require, verify_actor
from lib.config import settings
from lib.db import session_scope
from lib.db_errors import UNSAVED
from lib.errors import DatabaseUnavailable, ValidationError
from lib.models import SOURCE_KIND_LABELS, Community, Role, Source, SourceKind, WriteSubmission
from lib.scope import short_name
from lib.writes.fields import (  # noqa: F401 - the write paths import them from here
    as_choice, as_date, as_number, as_text, blank, bound_text, printable, same_number)

STAFF_SOURCE_TITLE = "工作人员录入"
PREVIEW_USER = "（预览）"


local_today = clock.today  # re-exported for the forms' default dates


REPEAT_TEXT = "已保存（重复提交已忽略）"
REUSED_FORM_TEXT = "该表单已提交过；本次内容与已保存的不同（内容不同），未写入，如需修改请刷新页面后重新填写"


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
    basis: int | None = None  # id of the stored row with the same key that this write supersedes (in its derived key)

    @property
    def inserted(self) -> bool:
        return self.obj is not None

    def derived_key(self) -> str:
        """The submission key of this write's content: the same change to the same stored state is the same
        submission, whoever sends it and on whatever connection."""
        body = json.dumps([self.table, self.key, self.after, self.basis], sort_keys=True, ensure_ascii=False,
                          default=str)
        return "w-" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:40]


def repeat_result(table: str, key: str, record_id: int | None, label: str) -> WriteResult:
    return WriteResult(False, table, key, record_id, f"{REPEAT_TEXT}：{label}")


def conflict(label: str) -> ValidationError:
    """Another writer stored different content for the same key at the same moment."""
    return ValidationError(f"「{label}」刚被其他人同时保存了不同的内容，本次未写入，请刷新页面核对后再提交")


def lock_id(*parts: str) -> int:
    """A PostgreSQL advisory lock id (signed 64-bit) for a table, or a table and a key."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class WriteContext:
    """One transaction's view: who writes, today's date, community lookup, the staff source.

    On SQLite the context first takes this process's writer turn, then the database's write lock, and
    holds both until its transaction ends: what a write plans from is what it commits on, and its
    SAVEPOINTs sit inside a real transaction. PostgreSQL runs writers concurrently: the unique keys settle
    races on households and site checks, and writers of one key of the append-only histories (stars, model
    status, facts, occupancy) take turns on an advisory lock (`take_turn`). `key_turns`: this context plans
    one write (a form) and queues per key; otherwise (a ledger's many rows) it queues per table, so a
    20 000-row ledger holds one lock per table, not one per row. `confirms`: a value equal to a stored
    示例/报道 row is a staff record confirming it (a form, where the value was typed on purpose); a ledger's row
    equal to it stays unchanged, so exporting a ledger and importing it again labels nothing nobody checked.
    """

    def __init__(self, session: Session, actor: Actor | None, *, today: dt.date | None = None,
                 source_title: str = STAFF_SOURCE_TITLE, action: str = "insert", check: bool = True,
                 submission_key: str | None = None, key_turns: bool = False, confirms: bool = False) -> None:
        self.s = session
        self.actor = actor
        self.today = today or local_today()
        self.source_title = source_title
        self.action = action
        self.check = check
        self.submission_key = submission_key
        self.key_turns = key_turns
        self.confirms = confirms
        self._sources: dict[str, int] = {}
        self._communities: dict[str, Community] = {}
        self._tables: set[str] = set()  # tables whose turn this transaction holds (PostgreSQL)
        self._raced: set[int] = set()  # rows of a key committed by another writer while this one waited
        self._memo: dict[Any, tuple[frozenset[str], Any]] = {}  # remembered(): reads kept until a write to them
        if check:
            verify_actor(session, actor)
            if actor.role != Role.ADMIN:
                require(actor, "edit", community=actor.community)
        if session.get_bind().dialect.name == "sqlite":
            take_writer_turn(session)
            session.execute(text("DELETE FROM write_submission WHERE 1 = 0"))  # BEGIN + the write lock

    @property
    def username(self) -> str:
        return self.actor.username if self.actor is not None else PREVIEW_USER

    def require(self, community: str | None) -> None:
        if self.check:
            require(self.actor, "edit", community=community)

    def community(self, name: Any, fieldname: str = "社区") -> Community:
        text_ = as_text(name, fieldname, max_len=40)
        if short_name(text_) is None:
            raise ValidationError(f"「{fieldname}」：“{text_}”不是社区，请填写光武街道11个社区之一")
        found = self.find_community(text_)
        if found is None:
            raise ValidationError(f"「{fieldname}」：未知社区“{text_}”")
        return found

    def find_community(self, name: str) -> Community | None:
        """The community `name` names (「中兴」 or 「中兴社区」, lib.scope.short_name), or None."""
        short = short_name(name)
        if short is None:
            return None
        if short not in self._communities:
            found = self.s.scalar(select(Community).where(Community.name == short))
            if found is None:
                return None
            self._communities[short] = found
        return self._communities[short]

    def remembered(self, key: Any, load: Callable[[], Any], *, tables: Iterable[str]) -> Any:
        """`load()`, read once in this transaction until it writes to one of `tables` (the tables `load` reads):
        a ledger's thousand rows look up their facility and its bed counts once, not once a row."""
        if key not in self._memo:
            self._memo[key] = (frozenset(tables), load())
        return self._memo[key][1]

    def source_kind(self, row: Any) -> str:
        """The source kind (article / demo / staff …) of a stored history row."""
        return self.s.scalar(select(Source.kind).where(Source.id == row.source_id))

    def source_label(self, row: Any) -> str:
        """The source kind of a stored row as people read it: 新闻报道, 示例数据, 工作人员录入 …"""
        kind = self.source_kind(row)
        return SOURCE_KIND_LABELS.get(kind, kind)  # StrEnum keys: the stored text finds them

    def take_turn(self, table: str, key: str, current: Callable[[], int | None]) -> None:
        """Queue behind other writers of `key` in `table` until this transaction ends (PostgreSQL advisory
        locks; SQLite writers already take turns for the whole transaction). Call it before reading the stored
        row the write is planned from. `current()` is the id of the key's stored row: when another writer
        commits a new one while this one waits, that row is remembered, and `apply` refuses to supersede it
        with different content (「刚被其他人同时保存了不同的内容」), as the unique keys do elsewhere."""
        if self.s.get_bind().dialect.name != "postgresql":
            return
        self._table_turn(table)
        if self.key_turns:
            self._key_turn(lock_id(table, key), current)

    def _table_turn(self, table: str) -> None:
        """Forms share a table's turn (then queue per key); a ledger takes it whole: each waits for the other."""
        if table not in self._tables:
            take = func.pg_advisory_xact_lock_shared if self.key_turns else func.pg_advisory_xact_lock
            self.s.execute(select(take(lock_id(table))))
            self._tables.add(table)

    def _key_turn(self, lock: int, current: Callable[[], int | None]) -> None:
        if self.s.scalar(select(func.pg_try_advisory_xact_lock(lock))):
            return
        seen = current()  # what was committed before the writer ahead of this one commits
        self.s.execute(select(func.pg_advisory_xact_lock(lock)))
        now = current()
        if now is not None and now != seen:
            self._raced.add(now)

    def source_id(self, title: str | None = None) -> int:
        """The staff Source for (this user, title): inserted unless present (no check-then-insert race)."""
        title = printable(title or self.source_title).strip()[:300]
        if title not in self._sources:
            digest = hashlib.sha1(f"{self.username}\x1f{title}".encode()).hexdigest()[:24]
            key = f"staff-{digest}"
            who = self.actor.display_name if self.actor is not None else self.username
            values = dict(key=key, kind=SourceKind.STAFF.value, title=title, publisher=who,
                          note=f"由{who}（{self.username}）在本系统录入")
            self.s.execute(dialect_insert(self.s)(Source).values(**values)
                           .on_conflict_do_nothing(index_elements=["key"]))
            self._sources[title] = self.s.scalar(select(Source.id).where(Source.key == key))
        return self._sources[title]

    def claim(self, key: str, table: str, record_id: int | None = None, *, flush: bool = True) -> None:
        """Insert a submission key (flushed unless `flush=False`: then with what follows): IntegrityError if it was
        already claimed (now or concurrently)."""
        submissions.claim(self.s, key, table, record_id, self.username, flush=flush)

    def claimed(self, key: str) -> bool:
        return self.s.scalar(select(WriteSubmission.key).where(WriteSubmission.key == key[:80])) is not None

    def claimed_record(self, key: str) -> int | None:
        return submissions.claimed_record(self.s, key)

    def content_key(self, outcome: Outcome) -> str:
        """The form's token bound to what it submitted: claimed beside the token, so a second use of the token
        can tell the same content (a repeat) from different content (refused) without another column."""
        body = json.dumps([self.submission_key, outcome.table, outcome.after], sort_keys=True, ensure_ascii=False,
                          default=str)  # `after` names the key's fields too; `key` of a repeat may be a row id
        return "c-" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:40]

    def form_keys(self, outcome: Outcome) -> list[str]:
        return [self.submission_key, self.content_key(outcome)] if self.submission_key else []

    def resubmitted(self, outcome: Outcome) -> WriteResult | None:
        """None when the form's token is unused; the repeat answer when it was used for this same content; when it
        was used for different content (a second click on a form already reset, a correction sent before the page
        renewed its token) nothing is written and the answer says the first submission was saved and this one
        was not: 「已保存（重复提交已忽略）：该表单已提交过；本次内容与已保存的不同……未写入……」."""
        if not self.submission_key or not self.claimed(self.submission_key):
            return None
        held = self.claimed_record(self.submission_key)
        if not self.claimed(self.content_key(outcome)):
            return repeat_result(outcome.table, outcome.key, held, REUSED_FORM_TEXT)
        return repeat_result(outcome.table, outcome.key, held, "该表单已提交过")

    def apply(self, outcome: Outcome, *, source_title: str | None = None) -> WriteResult:
        """Add the planned row (if any), its extras, its submission keys and an audit row; flushed, not
        committed. A submission already claimed (a double submit, even one racing on another connection)
        stores nothing: its SAVEPOINT is rolled back and the answer is 「已保存（重复提交已忽略）」. A form
        token already used for other content is refused."""
        if (repeat := self.resubmitted(outcome)) is not None:
            return repeat
        if outcome.obj is None:
            return repeat_result(outcome.table, outcome.key, outcome.existing_id, outcome.label)
        if outcome.basis is not None and outcome.basis in self._raced:
            raise conflict(outcome.label)
        obj = outcome.obj
        if hasattr(obj, "source_id") and getattr(obj, "source_id", None) is None:
            obj.source_id = self.source_id(source_title)
        for attr in ("recorded_by", "created_by"):
            if hasattr(obj, attr) and getattr(obj, attr, None) is None:
                setattr(obj, attr, self.username)
        keys = [outcome.derived_key(), *self.form_keys(outcome)]
        try:
            with self.s.begin_nested():  # the row first (its id), then its keys, extras and audit: two flushes
                self.s.add(obj)
                self.s.flush()
                for key in keys:
                    self.claim(key, outcome.table, obj.id, flush=False)
                for extra in outcome.extra:
                    extra(self.s, obj)
                after = {"id": obj.id, **outcome.after}
                audit.record(self.s, self.username, outcome.action or self.action, outcome.table, outcome.key,
                             outcome.community_id, outcome.before, after)
                self.s.flush()
        except IntegrityError:
            if obj in self.s:
                self.s.expunge(obj)
            if (repeat := self.resubmitted(outcome)) is not None:  # the same token, on another connection
                return repeat
            if not self.claimed(outcome.derived_key()):  # not a repeat: another submission of the same key
                raise conflict(outcome.label) from None
            return repeat_result(outcome.table, outcome.key, self.claimed_record(outcome.derived_key()),
                                 outcome.label)
        self._memo = {k: v for k, v in self._memo.items() if outcome.table not in v[0]}
        return WriteResult(True, outcome.table, outcome.key, obj.id, f"已保存（{outcome.label}）")


def dialect_insert(session: Session):
    """The session's dialect's INSERT (PostgreSQL or SQLite), for ON CONFLICT DO NOTHING."""
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


_SQLITE_WRITERS: dict[str, threading.RLock] = {}


def take_writer_turn(session: Session) -> None:
    """SQLite has one writer at a time: this process's writers (forms, ledger previews and commits) queue here
    in turn, instead of polling SQLite's busy handler, which lets an unlucky writer starve past its timeout.
    The turn is given back when the session's transaction ends (commit, rollback or close)."""
    lock = _SQLITE_WRITERS.setdefault(str(session.get_bind().url), threading.RLock())
    wait = settings().db_lock_wait_seconds  # as long as SQLite's own busy wait and PostgreSQL's lock_timeout
    if not lock.acquire(timeout=wait):
        raise DatabaseUnavailable(f"数据库正忙（其他人正在写入，等待 {wait} 秒仍未完成）。{UNSAVED}请稍后重试。")

    held = [True]

    def give_back(_session, transaction) -> None:
        if transaction.parent is None and held[0]:
            held[0] = False
            lock.release()

    event.listen(session, "after_transaction_end", give_back)


def run_write(actor: Actor | None, plan: Callable[[WriteContext], Outcome], *, engine: Engine | None = None,
              today: dt.date | None = None, submission_key: str | None = None) -> WriteResult:
    """Plan and apply one form submit in its own transaction (all or nothing). `submission_key`: the form's
    token; a second submit with the same key (a double-click) stores nothing."""
    key = submissions.form_key(submission_key)
    with session_scope(engine) as s:
        ctx = WriteContext(s, actor, today=today, submission_key=key, key_turns=True,
                           confirms=True)
        return ctx.apply(plan(ctx))


def latest(session: Session, model, *conds, date_col: str = "valid_from"):
    """The newest-recorded row matching `conds` with the greatest date (as-of semantics)."""
    order = [getattr(model, date_col).desc()]
    if hasattr(model, "recorded_at"):
        order.append(model.recorded_at.desc())
    return session.scalar(select(model).where(*conds).order_by(*order, model.id.desc()).limit(1))


def keyed_row(ctx: WriteContext, table: str, turn: str, model, *conds, date_col: str = "valid_from"):
    """The stored row of a write's key (`conds`: the key, date included), read in the turn of `turn` (the key,
    or a wider one such as a fact's subject) so that no other writer of it plans from the same state."""
    def current() -> int | None:
        row = latest(ctx.s, model, *conds, date_col=date_col)
        return None if row is None else row.id

    ctx.take_turn(table, turn, current)
    return latest(ctx.s, model, *conds, date_col=date_col)


def already_entered(ctx: WriteContext, row: Any, equal: Callable[[Any], bool]) -> bool:
    """The no-op rule of every planner: the key's stored `row` says the same (`equal`) and is itself a staff
    entry (录入, by this or another user). In a form (`ctx.confirms`) a 示例 or 报道 row with the same values is
    not: the entry is a new record confirming the value, so the figure becomes 录入 with who entered it and
    when, audited. A ledger's equal row stays unchanged (see WriteContext)."""
    return row is not None and equal(row) and (not ctx.confirms or ctx.source_kind(row) == SourceKind.STAFF.value)


def cn_day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
