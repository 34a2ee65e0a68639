"""「上次汇报日期」: the date of the last briefing, set by a 领导 or 街道管理员, stored and audited; and the
sentence every wall figure uses to say how it changed since then.

    last_briefing_date(*, engine=None) -> date | None
    set_last_briefing_date(actor, day, *, engine=None, today=None) -> BriefingDateResult
    change_since(now, before, *, now_day, on, unit="", before_day=None) -> Change

The value lives in `app_setting` (one row, changed in place); every change leaves an audit row with the
date before and after, in the same transaction. Setting the date it already holds writes nothing.
Concurrent setters serialise on the row (PostgreSQL: SELECT … FOR UPDATE; SQLite: the writer turn).
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
from lib.writes.base import _insert, _take_turn, as_date

KEY = "last_briefing_date"
FIELD = "上次汇报日期"
ALLOWED = (Role.LEADER, Role.ADMIN)


@dataclass(frozen=True)
class BriefingDateResult:
    changed: bool
    day: dt.date
    message: str


def _parse(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def last_briefing_date(*, engine: Engine | None = None) -> dt.date | None:
    with session_scope(engine) as s:
        return _parse(s.scalar(select(AppSetting.value).where(AppSetting.key == KEY)))


def _lock_row(s: Session) -> AppSetting:
    """The setting's row, created if missing (no check-then-insert) and held until the transaction ends."""
    if s.get_bind().dialect.name == "sqlite":
        _take_turn(s)
    s.execute(_insert(s)(AppSetting).values(key=KEY, value=None, updated_at=clock.now_utc())
              .on_conflict_do_nothing(index_elements=["key"]))
    return s.scalars(select(AppSetting).where(AppSetting.key == KEY).with_for_update()
                     .execution_options(populate_existing=True)).one()


def set_last_briefing_date(actor: Actor | None, day, *, engine: Engine | None = None,
                           today: dt.date | None = None) -> BriefingDateResult:
    """Set 「上次汇报日期」 (a date, or text such as 2023-11-15 / 2023年11月15日; not in the future)."""
    when = as_date(day, FIELD, today=today or clock.today())
    with session_scope(engine) as s:
        user = verify_actor(s, actor)
        if user.role not in ALLOWED:
            raise PermissionDenied(f"只有领导或街道管理员可以设置「{FIELD}」（当前账号：{actor.display_name}，{user.role}）")
        row = _lock_row(s)
        before = _parse(row.value)
        if before == when:
            return BriefingDateResult(False, when, f"「{FIELD}」已是{cn_date(when)}，未改动")
        row.value = when.isoformat()
        row.updated_at = clock.now_utc()
        row.updated_by = actor.username
        audit.record(s, actor, "update", "app_setting", KEY, None,
                     {FIELD: before.isoformat() if before else None}, {FIELD: when.isoformat()})
    return BriefingDateResult(True, when, f"已保存：「{FIELD}」为{cn_date(when)}")


@dataclass(frozen=True)
class Change:
    """A figure against the one that held on the last briefing date `on`."""

    on: dt.date
    text: str | None  # 「+3户」 / 「持平」; None when there is no data on `on`
    sentence: str  # names both dates, or says there is no data on `on`

    @property
    def has_data(self) -> bool:
        return self.text is not None


def _num(x: float) -> str:
    return f"{x:+,.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x):+,d}"


def change_since(now: float | None, before: float | None, *, now_day: dt.date | None, on: dt.date,
                 unit: str = "", before_day: dt.date | None = None) -> Change:
    """`now` (holding on `now_day`) against `before`, the value that held on `on`. `before_day`, when
    given, is the date that value was recorded: a value recorded after `on` is not data on `on`.
    「较2023年11月15日 +3户（2023年11月22日）」 / 「2023年11月15日无数据，不作比较」."""
    here = f"（{cn_date(now_day)}）" if now_day else ""
    if before is None or now is None or (before_day is not None and before_day > on):
        return Change(on, None, f"{cn_date(on)}无数据，不作比较")
    diff = float(now) - float(before)
    delta = "持平" if diff == 0 else f"{_num(diff)}{unit}"
    return Change(on, delta, f"较{cn_date(on)} {delta}{here}")


@dataclass(frozen=True)
class KeyFigure:
    """One of the wall's key figures now, and its change since the last briefing."""

    label: str
    display: str
    day: dt.date | None
    change: Change | None  # None when no last briefing date is set


def _stars(community, when, engine) -> tuple[float | None, dt.date | None]:
    from lib.queries.stars import star_counts, star_matrix
    counts = star_counts(community=community, as_of=when, engine=engine)
    if counts.empty:
        return None, None
    days = star_matrix(community=community, as_of=when, engine=engine)["valid_from"]
    return float(counts["stars"].sum()), _as_day(days.max())


def _named(community, when, engine) -> tuple[float | None, dt.date | None]:
    from lib.queries.model_communities import model_status
    df = model_status(community=community, as_of=when, engine=engine)
    if df.empty:
        return None, None
    named = df[df["status"] == "已命名示范社区"]
    return float(len(named)), _as_day(df["valid_from"].max())


def _signed(community, when, engine) -> tuple[float | None, dt.date | None]:
    from lib.queries.relocation import headline
    h = headline(community=community, as_of=when, engine=engine)
    if not h.total.value or h.signed.value is None:
        return None, None
    return float(h.signed.value), h.signed.holds_from


def _free(community, when, engine) -> tuple[float | None, dt.date | None]:
    from lib.queries.care import occupancy_overview
    df = occupancy_overview(community=community, as_of=when, engine=engine)
    df = df[df["reported"]]
    if df.empty:
        return None, None
    return float(df["free"].sum()), _as_day(df["day"].max())


def _as_day(value) -> dt.date | None:
    if value is None or (not isinstance(value, dt.date) and value != value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


# (label, unit, reader): the wall's key figures, read the same way on any date.
KEY_FIGURES = (("五星达标", "星", _stars), ("命名示范社区", "个", _named), ("征迁已签约", "户", _signed),
               ("养老空床", "张", _free))


def key_figure_changes(*, community: str | None = None, as_of: dt.date | None = None, on: dt.date | None,
                       engine: Engine | None = None) -> list[KeyFigure]:
    """The wall's key figures on `as_of` with their change since `on` (the last briefing date)."""
    out = []
    for label, unit, read in KEY_FIGURES:
        now, day = read(community, as_of, engine)
        if now is None:
            continue
        change = None
        if on is not None:
            before, before_day = read(community, on, engine)
            change = change_since(now, before, now_day=day, on=on, unit=unit, before_day=before_day)
        out.append(KeyFigure(label, f"{now:g}{unit}", day, change))
    return out
