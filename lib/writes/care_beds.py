"""入住 ≤ 床位 from the side of the bed count: a 床位 figure (fact `care_beds`) may not fall below residents already
recorded on a day it would hold for; and a bed-count writer and a residents writer of one facility take turns
(PostgreSQL), so neither checks against what the other is about to change."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from lib.errors import ValidationError
from lib.models import CareFacility, CareOccupancy, Fact
from lib.queries import care
from lib.writes.base import WriteContext, cn_day

BEDS = care.BEDS


def beds_turn(ctx: WriteContext, facility_id: int) -> None:
    """Queue behind the other writers of this facility's beds and residents until the transaction ends."""
    ctx.take_turn("care_beds", str(facility_id), lambda: None)


def check_beds_hold_residents(ctx: WriteContext, subject: str, beds: float, when: dt.date) -> None:
    """Refuse a bed count below the residents recorded on any day from `when` until the facility's next bed count
    (the newest record of each day counts, as everywhere: lib.scope)."""
    for fac in ctx.s.scalars(select(CareFacility)).all():
        if subject not in care.subjects(fac.name):
            continue
        beds_turn(ctx, fac.id)
        until = ctx.s.scalar(select(Fact.valid_from).where(Fact.indicator == BEDS,
                                                           Fact.subject.in_(care.subjects(fac.name)),
                                                           Fact.valid_from > when)
                             .order_by(Fact.valid_from).limit(1))
        rows = ctx.s.execute(select(CareOccupancy.day, CareOccupancy.occupied)
                             .where(CareOccupancy.facility_id == fac.id, CareOccupancy.day >= when,
                                    *([CareOccupancy.day < until] if until is not None else []))
                             .order_by(CareOccupancy.day, CareOccupancy.recorded_at, CareOccupancy.id)).all()
        held = {}
        for day, occupied in rows:  # per day the last recorded holds
            held[day] = occupied
        over = [(day, n) for day, n in held.items() if n > beds]
        if over:
            day, n = over[0]
            raise ValidationError(f"「数值」：{fac.name}「床位」{beds:g}张（{cn_day(when)}起）不能小于{cn_day(day)}"
                                  f"已登记的入住人数 {n}人")
