"""文化路北延 against its deadline: the staff-set 「征迁截止日期」, the countdown, unsigned households per
专班 group, and signings per day against the daily target.

    DEADLINE                      — the audited date setting (街道管理员 only; lib.date_settings)
    deadline(*, engine=None) -> Deadline            — entered (录入 · who · when) or the 示例 date
    set_deadline(actor, day, *, engine=None) -> DateSettingResult
    countdown(deadline, today) -> str               — 「距截止 N 天」 / 「今天截止」 / 「已过截止 N 天」
    counted_from(deadline, *, as_of, last_record, today) -> (day, note)   — the day a countdown counts from
    unsigned_by_group(*, community=None, as_of=None, engine=None) -> DataFrame[group, households, source_kind]
    daily_target(burnup, total, deadline_day) -> DataFrame[date, 实际签约, 目标]

The daily target on day D is what keeps the deadline: households still unsigned at the start of D divided by
the days left including D (none after the deadline). Actual = new 已签约 that day (household_event).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import aliased

from lib import date_settings
from lib.auth import Actor
from lib.db import get_engine
from lib.figures import Figure, combined_kind
from lib.fmt import cn_date
from lib.models import HOUSEHOLD_LADDER, Community, Household, HouseholdEvent, Role, Source, SourceKind, User
from lib.queries.common import frame
from lib.queries.relocation import _with_steps
from lib.scope import holds_on

DEADLINE = date_settings.DateSetting("relocation_deadline", "征迁截止日期", (Role.ADMIN,), "街道管理员",
                                     future_ok=True)
# Shown, marked 示例, until staff enter the real date (the article names none: 「10天内完成了78户涉迁户的工作」).
DEMO_DEADLINE = dt.date(2023, 11, 30)
GROUPS = (1, 2, 3)  # 「专班分为三个组」
NO_GROUP = "未分组"


@dataclass(frozen=True)
class Deadline:
    day: dt.date
    figure: Figure  # its source: 示例, or 录入 · who · when

    @property
    def is_demo(self) -> bool:
        return self.figure.is_demo


def deadline(*, engine: Engine | None = None) -> Deadline:
    entry = date_settings.read(DEADLINE, engine=engine)
    if entry is None:
        return Deadline(DEMO_DEADLINE, Figure(DEADLINE.field, cn_date(DEMO_DEADLINE), SourceKind.DEMO.value,
                                              holds_from=DEMO_DEADLINE))
    who = frame(select(User.display_name).where(User.username == entry.updated_by), engine)
    author = who.iloc[0, 0] if not who.empty else entry.updated_by
    return Deadline(entry.day, Figure(DEADLINE.field, cn_date(entry.day), SourceKind.STAFF.value,
                                      holds_from=entry.day, author=author, recorded_at=entry.updated_at))


def set_deadline(actor: Actor | None, day, *, engine: Engine | None = None) -> date_settings.DateSettingResult:
    return date_settings.write(DEADLINE, actor, day, engine=engine)


def days_left(deadline_day: dt.date, today: dt.date) -> int:
    return (deadline_day - today).days


def countdown(deadline_day: dt.date, today: dt.date) -> str:
    n = days_left(deadline_day, today)
    return f"距截止 {n} 天" if n > 0 else ("今天截止" if n == 0 else f"已过截止 {-n} 天")


def counted_from(deadline: Deadline, *, as_of: dt.date | None, last_record: dt.date | None,
                 today: dt.date) -> tuple[dt.date, str]:
    """The day a countdown counts from, and the note that says so when it is not the day shown: the look-back day;
    else today — except against the 示例 deadline, which belongs to the demo records: it counts from their last day,
    as the daily target does (never 「已过截止 1101 天」 beside a target drawn up to 2023年11月22日)."""
    if as_of is not None:
        return as_of, ""
    if deadline.is_demo and last_record is not None and last_record < today:
        return last_record, f"按最新记录日 {cn_date(last_record)}计"
    return today, ""


def unsigned_by_group(*, community: str | None = None, as_of: dt.date | None = None,
                      engine: Engine | None = None) -> pd.DataFrame:
    """Households still 未签约 on `as_of` per 专班 group (「未分组」 when none is recorded), counted in the
    database. Each group's source is that of what the count rests on: the grouping (demo until staff record it),
    its unsigned households' steps, and the signings that took households out of it (a staff signing among demo
    records: 含示例)."""
    engine = engine or get_engine()
    team_source, step_source = aliased(Source), aliased(Source)
    unsigned = (_with_steps(select(Household.team, team_source.kind.label("team_kind"),
                                   step_source.kind.label("kind"), func.count().label("households"))
                            .select_from(Household), as_of, engine)
                .outerjoin(team_source, team_source.id == Household.team_source_id)
                .join(step_source, step_source.id == HouseholdEvent.source_id)
                .where(HouseholdEvent.status == HOUSEHOLD_LADDER[0])
                .group_by(Household.team, team_source.kind, step_source.kind))
    signed = (select(Household.team, Source.kind.label("kind")).select_from(HouseholdEvent)
              .join(Household, Household.id == HouseholdEvent.household_id)
              .join(Source, Source.id == HouseholdEvent.source_id)
              .where(HouseholdEvent.status == HOUSEHOLD_LADDER[1], holds_on(HouseholdEvent.valid_from, as_of))
              .distinct())
    if community:
        unsigned, signed = ((q.join(Community, Community.id == Household.community_id)
                             .where(Community.name == community)) for q in (unsigned, signed))
    counts, out_by = frame(unsigned, engine), frame(signed, engine)

    def of(df: pd.DataFrame, g: int | None) -> pd.DataFrame:
        return df.loc[[(None if pd.isna(t) else int(t)) == g for t in df["team"]]]

    out = []
    for g in (*GROUPS, None):
        rows = of(counts, g)
        if rows.empty and g is None:
            continue
        kinds = {k if isinstance(k, str) else SourceKind.DEMO.value for k in rows["team_kind"]} | set(rows["kind"])
        kinds |= set(of(out_by, g)["kind"])
        out.append({"group": f"第{g}组" if g else NO_GROUP, "households": int(rows["households"].sum()),
                    "source_kind": combined_kind(kinds or {SourceKind.DEMO.value})})
    return pd.DataFrame(out, columns=["group", "households", "source_kind"])


def daily_target(burnup: pd.DataFrame, *, total: int, deadline_day: dt.date, days: int = 14) -> pd.DataFrame:
    """The last `days` days of `burnup` (lib.queries.relocation.burnup): new signings per day and the
    target that day (rounded up to whole households; None after the deadline or once all have signed)."""
    if burnup.empty:
        return pd.DataFrame(columns=["date", "实际签约", "目标"])
    signed = burnup["已签约"].astype(int).tolist()
    rows = []
    for i, day in enumerate(burnup["date"]):
        before = signed[i - 1] if i else 0
        remaining, left = total - before, (deadline_day - day).days + 1
        target = math.ceil(remaining / left) if left > 0 and remaining > 0 else None
        rows.append({"date": day, "实际签约": signed[i] - before, "目标": target})
    return pd.DataFrame(rows).tail(days).reset_index(drop=True)
