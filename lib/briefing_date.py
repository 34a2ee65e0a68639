"""「上次汇报日期」: the date of the last briefing, set by a 领导 or 街道管理员, stored and audited; and the
sentence every wall figure uses to say how it changed since then.

    last_briefing_date(*, engine=None) -> date | None
    set_last_briefing_date(actor, day, *, engine=None, today=None) -> BriefingDateResult
    change_since(now, before, *, now_day, on, unit="", before_day=None) -> Change

Stored, permission-checked and audited by lib.date_settings (the one path for staff-set dates).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from lib import date_settings
from lib.auth import Actor
from lib.date_settings import DateSettingResult as BriefingDateResult  # noqa: F401 - the name callers know
from lib.fmt import cn_date
from lib.models import Role

KEY = "last_briefing_date"
FIELD = "上次汇报日期"
ALLOWED = (Role.LEADER, Role.ADMIN)
SETTING = date_settings.DateSetting(KEY, FIELD, ALLOWED, "领导或街道管理员")


def last_briefing_date(*, engine: Engine | None = None) -> dt.date | None:
    entry = date_settings.read(SETTING, engine=engine)
    return entry.day if entry else None


def set_last_briefing_date(actor: Actor | None, day, *, engine: Engine | None = None,
                           today: dt.date | None = None) -> BriefingDateResult:
    """Set 「上次汇报日期」 (a date, or text such as 2023-11-15 / 2023年11月15日; not in the future)."""
    return date_settings.write(SETTING, actor, day, engine=engine, today=today)


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
