"""「上次汇报日期」: the date of the last briefing, set by a 领导 or 街道管理员, stored and audited; and the
wall's key figures with their change since then.

    last_briefing_date(*, engine=None) -> date | None
    set_last_briefing_date(actor, day, *, engine=None, today=None) -> BriefingDateResult
    key_figure_changes(*, community=None, as_of=None, on, engine=None) -> list[KeyFigure]

Stored, permission-checked and audited by lib.date_settings (the one path for staff-set dates).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from lib import date_settings
from lib.auth import Actor
from lib.date_settings import DateSettingResult as BriefingDateResult  # noqa: F401 - the name callers know
from lib.figures import Delta, Figure, compare
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
class KeyFigure:
    """One of the wall's key figures now (its source and date included), and its change since the last briefing."""

    figure: Figure
    change: Delta | None  # None when no last briefing date is set

    @property
    def label(self) -> str:
        return self.figure.label


def key_figure_changes(*, community: str | None = None, as_of: dt.date | None = None, on: dt.date | None,
                       engine: Engine | None = None) -> list[KeyFigure]:
    """The wall's key figures on `as_of` (lib.panels.key_figures, as the cards show them), each with its change
    since `on` (the last briefing date) under lib.figures.compare: the rule the briefing pack prints."""
    now = key_figures(Scope.of(community, as_of), engine=engine)
    if on is None:
        return [KeyFigure(f, None) for f in now]
    before = {f.label: f for f in key_figures(Scope.of(community, on), engine=engine)}
    return [KeyFigure(f, compare(f, before.get(f.label), on, unit=f.unit)) for f in now]
