"""「上次汇报日期」: the date of the last briefing, set by a 领导 or 街道管理员, stored and audited; and the
wall's key figures with their change since then.

    last_briefing_date(*, engine=None) -> date | None
    set_last_briefing_date(actor, day, *, engine=None, today=None) -> BriefingDateResult
    comparison(last, as_of, *, today=None) -> Comparison      # whether figures shown on a date are compared
    key_figure_changes(*, community=None, as_of=None, on, engine=None) -> list[KeyFigure]

Stored, permission-checked and audited by lib.date_settings (the one path for staff-set dates).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from lib import clock, date_settings
from lib.auth import Actor
from lib.date_settings import DateSettingResult as BriefingDateResult  # noqa: F401 - the name callers know
from lib.figures import Delta, Figure, compare
from lib.fmt import cn_date
from lib.models import Role
from lib.panels import key_figures
from lib.scope import Scope

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
class Comparison:
    """Whether the figures shown on `shown` are compared with the last briefing date `last` (see `comparison`)."""

    last: dt.date | None  # the stored 上次汇报日期 (None: not set)
    shown: dt.date  # the date the figures are shown on: the 回看日期, or today for the latest state

    @property
    def on(self) -> dt.date | None:
        """The date to compare with, or None: no comparison."""
        return self.last if self.last is not None and self.last < self.shown else None

    @property
    def note(self) -> str:
        """The one line said instead of the changes, or "" (comparing, or no date set)."""
        if self.last is None or self.on is not None:
            return ""
        relation = "与所看日期同日" if self.last == self.shown else "晚于所看日期"
        return f"上次汇报日期（{cn_date(self.last)}）{relation}，不作比较"

    @property
    def head(self) -> str:
        """The wall strip's heading: 「较上次汇报（2023年11月15日）」, the note, or 「上次汇报日期未设置」."""
        if self.on is not None:
            return f"较上次汇报（{cn_date(self.on)}）"
        return self.note or "上次汇报日期未设置"


def comparison(last: dt.date | None, as_of: dt.date | None, *, today: dt.date | None = None) -> Comparison:
    """THE rule for 「较上次汇报」 (the wall's strip and the briefing pack): figures shown on `as_of` (None: the latest
    state, shown today) are compared with the last briefing date only when it is before that date. A later date
    would print changes backwards (「较2023年11月15日 -31户（2023年11月10日）」) and the same date compares a figure with
    itself, so neither compares: both say so in one line (「上次汇报日期（…）晚于所看日期，不作比较」 / 「…与所看日期同日，
    不作比较」)."""
    return Comparison(last, as_of or today or clock.today())


@dataclass(frozen=True)
class KeyFigure:
    """One of the wall's key figures now (its source and date included), and its change since the last briefing."""

    figure: Figure
    change: Delta | None  # None when there is no comparison (no date set, or not before the shown date)

    @property
    def label(self) -> str:
        return self.figure.label


def key_figure_changes(*, community: str | None = None, as_of: dt.date | None = None, on: dt.date | None,
                       engine: Engine | None = None) -> list[KeyFigure]:
    """The wall's key figures on `as_of` (lib.panels.key_figures, as the cards show them), each with its change
    since `on` (the last briefing date) under lib.figures.compare: the rule the briefing pack prints. No change when
    `comparison` says there is none (no date, or one not before the shown date)."""
    now = key_figures(Scope.of(community, as_of), engine=engine)
    on = comparison(on, as_of).on
    if on is None:
        return [KeyFigure(f, None) for f in now]
    before = {f.label: f for f in key_figures(Scope.of(community, on), engine=engine)}
    return [KeyFigure(f, compare(f, before.get(f.label), on, unit=f.unit)) for f in now]
