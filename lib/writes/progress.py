"""Forms on day-to-day progress: a household's next step on the relocation ladder, daily occupancy."""
from __future__ import annotations

import datetime as dt
from typing import Any

import re
import unicodedata

from sqlalchemy import Engine, select

from lib.auth import Actor
from lib.errors import ValidationError
from lib.fmt import cn_date
from lib.models import HOUSEHOLD_LADDER, CareFacility, CareOccupancy, Community, Household, HouseholdEvent, SourceKind
from lib.queries import care
from lib.writes import bounds
from lib.writes.care_beds import beds_turn
from lib.writes.base import (
    Outcome,
    WriteContext,
    WriteResult,
    already_entered,
    as_choice,
    as_date,
    as_number,
    as_text,
    blank,
    cn_day,
    keyed_row,
    latest,
    run_write,
    same_number,
)

RANK = {s: i for i, s in enumerate(HOUSEHOLD_LADDER)}
SUBDISTRICT_PREFIX = "光武街道"
DEMOLISHED = HOUSEHOLD_LADDER[-1]


def _household(ctx: WriteContext, code: Any) -> Household:
    code = as_text(code, "户编号", max_len=32)
    rows = ctx.s.scalars(select(Household).where(Household.code == code)).all()
    if not rows:
        raise ValidationError(f"「户编号」：未找到征迁户“{code}”")
    if len(rows) > 1:
        raise ValidationError(f"「户编号」：“{code}”对应多个项目的征迁户，请联系街道管理员")
    return rows[0]


def _community_name(ctx: WriteContext, cid: int | None) -> str | None:
    return None if cid is None else ctx.remembered(
        ("community name", cid), lambda: ctx.s.scalar(select(Community.name).where(Community.id == cid)),
        tables={"community"})


def plan_household_step(ctx: WriteContext, *, code: Any, status: Any, on: Any = None,
                        demolished_area_m2: Any = None) -> Outcome:
    """The ladder 未签约→已签约→已交钥匙→已拆除 is climbed one rung at a time, never back, never earlier."""
    h = _household(ctx, code)
    cname = _community_name(ctx, h.community_id)
    ctx.require(cname)
    status = as_choice(status, "状态", HOUSEHOLD_LADDER)
    when = as_date(on, "日期", today=ctx.today, default=ctx.today)
    area = None if blank(demolished_area_m2) else as_number(
        demolished_area_m2, "拆除面积", unit="平方米", minimum=bounds.DEMOLISHED_AREA_M2[0],
        maximum=bounds.DEMOLISHED_AREA_M2[1], exact=True, why="平方米（单户拆除面积的合理范围）").value
    if area is not None and status != DEMOLISHED:
        raise ValidationError(f"「拆除面积」：只有状态为「{DEMOLISHED}」时才填写")
    if status == DEMOLISHED and area is None:
        area = h.floor_area_m2
    events = ctx.s.scalars(select(HouseholdEvent).where(HouseholdEvent.household_id == h.id)
                           .order_by(HouseholdEvent.valid_from, HouseholdEvent.recorded_at, HouseholdEvent.id)).all()
    top = max(events, key=lambda e: (RANK.get(e.status, -1), e.valid_from), default=None)
    current = top.status if top is not None else None
    label = f"{h.code}／{status}／{cn_day(when)}"
    key = f"{h.code}/{status}"
    after = {"code": h.code, "status": status, "valid_from": when, "demolished_area_m2": area}
    if current is not None and RANK[status] <= RANK[current]:
        same = next((e for e in reversed(events) if e.status == status), None)
        if already_entered(ctx, same, lambda e: e.valid_from == when
                           and (area is None or same_number(e.demolished_area_m2, area))):
            return Outcome("household_event", key, label, h.community_id, None, after, existing_id=same.id)
        if same is not None and (status == current or same.valid_from == when):
            raise _step_taken(ctx, h.code, same)
        raise ValidationError(f"「状态」：户“{h.code}”当前为「{current}」，状态不能回退为「{status}」")
    expected = HOUSEHOLD_LADDER[RANK[current] + 1] if current is not None else HOUSEHOLD_LADDER[0]
    if status != expected and not (current is None and status == HOUSEHOLD_LADDER[1]):
        now = current or "无记录"
        raise ValidationError(f"「状态」：户“{h.code}”当前为「{now}」，下一步只能登记「{expected}」，不能跳级")
    if top is not None and when < top.valid_from:
        raise ValidationError(f"「日期」：{cn_date(when)} 早于上一步「{current}」的日期"
                              f"（{cn_date(top.valid_from)}），请核对")
    before = None if top is None else {"status": current, "valid_from": top.valid_from}
    obj = HouseholdEvent(household_id=h.id, status=status, valid_from=when, demolished_area_m2=area)
    return Outcome("household_event", key, label, h.community_id, before, after, obj, basis=top and top.id)


def _step_taken(ctx: WriteContext, code: str, step: HouseholdEvent) -> ValidationError:
    """A household has one row per step (a unique key): a step already stored cannot be entered again, and
    one stored from 示例/报道 cannot be re-entered as 录入 either, so the answer names its source."""
    source = "" if ctx.source_kind(step) == SourceKind.STAFF.value else f"（{ctx.source_label(step)}）"
    return ValidationError(f"「状态」：户“{code}”已于{cn_day(step.valid_from)}登记为「{step.status}」{source}，"
                           "不能重复登记")


def record_household_step(actor: Actor | None, *, code: str, status: str, on: dt.date | str | None = None,
                          demolished_area_m2: float | str | None = None, engine: Engine | None = None,
                          today: dt.date | None = None, submission_key: str | None = None) -> WriteResult:
    """Move household `code` one rung up the ladder on `on` (default today). For 已拆除 the area
    defaults to the household's floor area."""
    return run_write(actor, lambda ctx: plan_household_step(ctx, code=code, status=status, on=on,
                                                            demolished_area_m2=demolished_area_m2),
                     engine=engine, today=today, submission_key=submission_key)


def _facility_names(name: str) -> set[str]:
    """The names a facility answers to, normalised: its full name, and without the 光武街道 prefix."""
    full = _norm(name)
    return {full, full.removeprefix(SUBDISTRICT_PREFIX)} - {""}


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def facility_by_name(ctx: WriteContext, name: Any) -> CareFacility:
    """A facility by its key or its exact name (NFKC, spaces ignored, 光武街道 prefix optional): no patterns."""
    text = as_text(name, "机构", max_len=64)
    wanted = _norm(text)
    every = ctx.remembered("care facilities", tables={"care_facility"},
                           load=lambda: list(ctx.s.scalars(select(CareFacility).order_by(CareFacility.id))))
    matches = [f for f in every if wanted == f.key or wanted in _facility_names(f.name)]
    if not matches:
        raise ValidationError(f"「机构」：未找到养老机构“{text}”（请填写机构全称）")
    if len(matches) > 1:
        raise ValidationError(f"「机构」：“{text}”对应多个养老机构（{'、'.join(f.name for f in matches)}），请填写全称")
    return matches[0]


def plan_occupancy(ctx: WriteContext, *, facility: Any, day: Any, occupied: Any) -> Outcome:
    """Residents on a day, never more than the beds on that day (lib.queries.care.beds_on: the facility's 床位
    figure holding then, else the register's count), read in this transaction."""
    fac = facility_by_name(ctx, facility)
    cname = _community_name(ctx, fac.community_id)
    ctx.require(cname)
    when = as_date(day, "日期", today=ctx.today, default=ctx.today)
    key = f"{fac.key}/{when.isoformat()}"
    # this day's turn first (it notices a different value committed while waiting), then the facility's bed
    # turn (always taken last, by bed-count writers too: lib.writes.care_beds), then the beds are read
    same = keyed_row(ctx, "care_occupancy", key, CareOccupancy, CareOccupancy.facility_id == fac.id,
                     CareOccupancy.day == when, date_col="day")
    beds_turn(ctx, fac.id)
    book = ctx.remembered(("beds", fac.id), lambda: care.BedBook.read({fac.id}, session=ctx.s),
                          tables={"fact", "care_facility"})
    beds = book.on(fac.id, when)
    if beds.value is not None:
        n = as_number(occupied, "入住人数", integer=True, unit="人", exact=True).as_int
        if n > beds.value:
            raise ValidationError(f"「入住人数」：{n} 超过{fac.name}的床位数 {beds.value}{_beds_basis(beds, when)}")
    else:
        n = as_number(occupied, "入住人数", integer=True, unit="人", exact=True,
                      maximum=bounds.OCCUPANCY_WITHOUT_BEDS,
                      why=f"（{fac.name}未登记床位数，按合理上限 {bounds.OCCUPANCY_WITHOUT_BEDS} 人核对）").as_int
    label = f"{fac.name}／{cn_day(when)}／{n}人"
    after = {"facility": fac.key, "day": when, "occupied": n, "beds": beds.value}
    if already_entered(ctx, same, lambda r: r.occupied == n):
        return Outcome("care_occupancy", key, label, fac.community_id, None, after, existing_id=same.id)
    held = same or latest(ctx.s, CareOccupancy, CareOccupancy.facility_id == fac.id, CareOccupancy.day < when,
                          date_col="day")
    before = None if held is None else {"day": held.day, "occupied": held.occupied}
    obj = CareOccupancy(facility_id=fac.id, day=when, occupied=n)
    basis = same and same.id  # the stored value of the same day this one replaces
    return Outcome("care_occupancy", key, label, fac.community_id, before, after, obj, basis=basis)


def _beds_basis(beds: care.Beds, when: dt.date) -> str:
    """「（2024年1月10日的床位数，来源：录入，2024年1月5日起）」: the bed count the residents were checked against."""
    fig = beds.figure
    if fig is None:
        return ""
    since = f"，{cn_day(fig.holds_from)}起" if fig.holds_from and not fig.reported_later else ""
    return f"（{cn_day(when)}的床位数，来源：{fig.tag}{since}）"


def record_occupancy(actor: Actor | None, *, facility: str, day: dt.date | str | None = None,
                     occupied: int | str, engine: Engine | None = None, today: dt.date | None = None,
                     submission_key: str | None = None) -> WriteResult:
    """Residents in `facility` (its key or name) on `day`: 0 ≤ occupied ≤ beds."""
    return run_write(actor, lambda ctx: plan_occupancy(ctx, facility=facility, day=day, occupied=occupied),
                     engine=engine, today=today, submission_key=submission_key)
