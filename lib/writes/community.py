"""Forms on community-level history: 五星评定, 示范社区状态, 指标数据 (facts)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, func, or_, select

from lib.auth import Actor
from lib.errors import ValidationError
from lib.models import (
    CareFacility,
    Community,
    Fact,
    ModelCommunityStatus,
    ModelStatus,
    RelocationProject,
    Star,
    StarAssessment,
    StarStatus,
)
from lib.queries.care import subjects as care_subjects
from lib.writes import bounds, care_beds
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

STARS = [s.value for s in Star]
STAR_STATUSES = [s.value for s in StarStatus]
MODEL_STATUSES = [s.value for s in ModelStatus]
SUBDISTRICT = "光武街道"


def plan_star(ctx: WriteContext, *, community: Any, star: Any, status: Any, score: Any = None,
              valid_from: Any = None) -> Outcome:
    c = ctx.community(community)
    ctx.require(c.name)
    star = as_choice(star, "星级", STARS)
    status = as_choice(status, "状态", STAR_STATUSES)
    value = None if blank(score) else as_number(score, "得分", minimum=bounds.SCORE[0], maximum=bounds.SCORE[1],
                                                unit="分", exact=True).value  # 「90人」 is no score
    when = as_date(valid_from, "评定日期", today=ctx.today, default=ctx.today)
    label = f"{c.name}／{star}／{cn_day(when)}"
    key = f"{c.name}/{star}/{when.isoformat()}"
    after = {"community": c.name, "star": star, "status": status, "score": value, "valid_from": when}
    same = keyed_row(ctx, "star_assessment", key, StarAssessment, StarAssessment.community_id == c.id,
                     StarAssessment.star == star, StarAssessment.valid_from == when)
    if already_entered(ctx, same, lambda r: r.status == status and same_number(r.score, value)):
        return Outcome("star_assessment", key, label, c.id, None, after, existing_id=same.id)
    held = latest(ctx.s, StarAssessment, StarAssessment.community_id == c.id, StarAssessment.star == star,
                  StarAssessment.valid_from <= when)
    before = None if held is None else {"status": held.status, "score": held.score, "valid_from": held.valid_from}
    obj = StarAssessment(community_id=c.id, star=star, status=status, score=value, valid_from=when)
    return Outcome("star_assessment", key, label, c.id, before, after, obj, basis=same and same.id)


def record_star_assessment(actor: Actor | None, *, community: str, star: str, status: str,
                           score: float | str | None = None, valid_from: dt.date | str | None = None,
                           engine: Engine | None = None, today: dt.date | None = None,
                           submission_key: str | None = None) -> WriteResult:
    """One 五星 assessment: status 已达标/创建中/未启动, optional score 0–100, dated (default today)."""
    return run_write(actor, lambda ctx: plan_star(ctx, community=community, star=star, status=status,
                                                  score=score, valid_from=valid_from), engine=engine, today=today,
                     submission_key=submission_key)


def plan_model_status(ctx: WriteContext, *, community: Any, status: Any, valid_from: Any = None,
                      note: Any = None) -> Outcome:
    c = ctx.community(community)
    ctx.require(c.name)
    status = as_choice(status, "状态", MODEL_STATUSES)
    when = as_date(valid_from, "生效日期", today=ctx.today, default=ctx.today)
    note = as_text(note, "备注", max_len=500, required=False)
    label = f"{c.name}／{status}／{cn_day(when)}"
    key = f"{c.name}/{when.isoformat()}"
    after = {"community": c.name, "status": status, "valid_from": when, "note": note}
    same = keyed_row(ctx, "model_status", key, ModelCommunityStatus, ModelCommunityStatus.community_id == c.id,
                     ModelCommunityStatus.valid_from == when)
    if already_entered(ctx, same, lambda r: r.status == status and (r.note or None) == note):
        return Outcome("model_status", key, label, c.id, None, after, existing_id=same.id)
    held = latest(ctx.s, ModelCommunityStatus, ModelCommunityStatus.community_id == c.id,
                  ModelCommunityStatus.valid_from <= when)
    before = None if held is None else {"status": held.status, "valid_from": held.valid_from, "note": held.note}
    obj = ModelCommunityStatus(community_id=c.id, status=status, valid_from=when, note=note)
    return Outcome("model_status", key, label, c.id, before, after, obj, basis=same and same.id)


def record_model_status(actor: Actor | None, *, community: str, status: str, valid_from: dt.date | str | None = None,
                        note: str | None = None, engine: Engine | None = None,
                        today: dt.date | None = None, submission_key: str | None = None) -> WriteResult:
    """A 示范社区 status (ModelStatus: 已命名示范社区/先行先试/创建中/未命名) from `valid_from`."""
    return run_write(actor, lambda ctx: plan_model_status(ctx, community=community, status=status,
                                                          valid_from=valid_from, note=note),
                     engine=engine, today=today, submission_key=submission_key)


def _fact_scope(ctx: WriteContext, subject: str, community) -> tuple[str, int | None, str | None]:
    """(scope, community_id, community name) of a subject, from what it is, never from who writes.

    Subdistrict (光武街道) and project (文化路北延 …) figures, and those of facilities that belong to no
    community, have no community: only administrators write them (lib.auth.require with community=None).
    A community's own figures belong to it; a facility's to the community stored with its history, or, for
    a new subject, the community given. The permission is checked before a mismatch is reported."""
    if subject == SUBDISTRICT:
        scope, cid = "subdistrict", None
    elif ctx.s.scalar(select(RelocationProject.id).where(RelocationProject.name == subject).limit(1)) is not None:
        scope, cid = "project", None
    elif (named := ctx.s.scalar(select(Community).where(
            or_(Community.full_name == subject, Community.name == subject)).limit(1))) is not None:
        scope, cid = "community", named.id
    elif (facility := _facility_named(ctx, subject)) is not None:  # the facility table says whose it is
        scope, cid = "facility", facility.community_id
    elif (prior := ctx.s.scalar(select(Fact).where(Fact.subject == subject).order_by(Fact.id.desc()).limit(1))):
        scope, cid = prior.scope, prior.community_id
    else:
        scope, cid = "facility", community.id if community is not None else None
    name = _name_of(ctx, cid)
    ctx.require(name)
    if community is not None and cid != community.id:
        raise _mismatch(subject)
    return scope, cid, name


def _facility_named(ctx: WriteContext, subject: str) -> CareFacility | None:
    """The care facility `subject` names, in any of the spellings its figures are read under (care.subjects)."""
    return next((f for f in ctx.s.scalars(select(CareFacility)) if subject in care_subjects(f.name)), None)


def _mismatch(subject: str) -> ValidationError:
    return ValidationError(f"「社区」：“{subject}”的数据不属于所填社区")


def _name_of(ctx: WriteContext, cid: int | None) -> str | None:
    return None if cid is None else ctx.s.scalar(select(Community.name).where(Community.id == cid))


def _subject(ctx: WriteContext, subject: str | None) -> str | None:
    """A subject naming a community (「中兴」, 「中兴社区」) as stored: the community's full name."""
    named = None if subject is None else ctx.find_community(subject)
    return subject if named is None else named.full_name


def _paired_rows(ctx: WriteContext, subject: str, code: str, other: str, when: dt.date) -> list[Fact]:
    """The rows of `other` a new `code` figure from `when` will stand beside: the one holding on `when`, and
    each later one (the row holding on its date) until the next row of `code` itself takes over."""
    held = latest(ctx.s, Fact, Fact.subject == subject, Fact.indicator == other, Fact.valid_from <= when)
    until = ctx.s.scalar(select(func.min(Fact.valid_from)).where(
        Fact.subject == subject, Fact.indicator == code, Fact.valid_from > when))
    later = ctx.s.scalars(select(Fact).where(
        Fact.subject == subject, Fact.indicator == other, Fact.valid_from > when,
        *([Fact.valid_from < until] if until is not None else []))
        .order_by(Fact.valid_from, Fact.recorded_at, Fact.id)).all()
    holding = {row.valid_from: row for row in later}  # per date the last recorded holds (lib.scope's rule)
    return ([held] if held is not None else []) + list(holding.values())


def _check_invariants(ctx: WriteContext, subject: str, code: str, label: str, value: float, when: dt.date) -> None:
    """已签订协议 ≤ 涉迁户, 入住 ≤ 床位 …: against the paired figures on every date the new one will hold."""
    for small, large in bounds.fact_pairs(code):
        other = large if code == small else small
        for row in _paired_rows(ctx, subject, code, other, when):
            lo, hi = (value, row.value) if code == small else (row.value, value)
            if lo > hi:
                relation = "不能大于" if code == small else "不能小于"
                on = max(when, row.valid_from)
                since = "" if on == when else f"（{cn_day(when)}起）"
                raise ValidationError(f"「数值」：{subject}「{label}」{value:g}{since} {relation}{cn_day(on)}有效的"
                                      f"「{row.label}」{row.value:g}{row.unit}（{cn_day(row.valid_from)}登记）")


def plan_fact(ctx: WriteContext, *, label: Any, value: Any, unit: Any, source_title: Any,
              valid_from: Any = None, community: Any = None, subject: Any = None, indicator: Any = None,
              qualifier: Any = None, quote: Any = None) -> Outcome:
    c = None if blank(community) else ctx.community(community)
    subject = _subject(ctx, as_text(subject, "对象", max_len=64, required=False)) \
        or (c.full_name if c else SUBDISTRICT)
    scope, cid, _cname = _fact_scope(ctx, subject, c)
    label = as_text(label, "指标名称", max_len=64)
    unit = as_text(unit, "单位", max_len=16)
    low, high = bounds.fact_bounds(unit)
    parsed = as_number(value, "数值", unit=unit, minimum=low, maximum=high, why=f"{unit}（按单位的合理范围）")
    qual = as_text(qualifier, "限定词", max_len=8, required=False) or parsed.qualifier
    title = as_text(source_title, "来源", max_len=300)
    when = as_date(valid_from, "日期", today=ctx.today, default=ctx.today)
    quote = as_text(quote, "原文或说明", max_len=2000, required=False)
    code = as_text(indicator, "指标代码", max_len=64, required=False)
    if code is None:  # continue the history of a figure with this label, if there is one
        code = ctx.s.scalar(select(Fact.indicator).where(Fact.subject == subject, Fact.label == label)
                            .order_by(Fact.id.desc()).limit(1)) or bounds.LABEL_CODES.get(label, label)
    text = f"{subject}／{label}／{cn_day(when)}"
    key = f"{subject}/{code}/{when.isoformat()}"
    after = {"subject": subject, "indicator": code, "label": label, "value": parsed.value, "unit": unit,
             "qualifier": qual, "valid_from": when, "source": title}
    # the turn is the subject's, so the cross-field checks below also see every other indicator's writer
    same = keyed_row(ctx, "fact", subject, Fact, Fact.subject == subject, Fact.indicator == code,
                     Fact.valid_from == when)
    _check_invariants(ctx, subject, code, label, parsed.value, when)
    if code == care_beds.BEDS:
        care_beds.check_beds_hold_residents(ctx, subject, parsed.value, when)
    if already_entered(ctx, same, lambda r: same_number(r.value, parsed.value) and (r.qualifier or "") == qual
                       and r.unit == unit):
        return Outcome("fact", key, text, cid, None, after, existing_id=same.id)
    held = latest(ctx.s, Fact, Fact.subject == subject, Fact.indicator == code, Fact.valid_from <= when)
    before = None if held is None else {"value": held.value, "unit": held.unit, "qualifier": held.qualifier,
                                        "valid_from": held.valid_from}
    obj = Fact(scope=scope, community_id=cid, subject=subject, indicator=code, label=label, value=parsed.value,
               unit=unit, qualifier=qual, valid_from=when, quote=quote, source_id=ctx.source_id(title))
    return Outcome("fact", key, text, cid, before, after, obj, basis=same and same.id)


def record_fact(actor: Actor | None, *, label: str, value: float | str, unit: str, source_title: str,
                valid_from: dt.date | str | None = None, community: str | None = None, subject: str | None = None,
                indicator: str | None = None, qualifier: str | None = None, quote: str | None = None,
                engine: Engine | None = None, today: dt.date | None = None,
                submission_key: str | None = None) -> WriteResult:
    """A figure (指标数据). `value` may be typed text (「6100余」 → 6100, qualifier 余). Subject defaults to
    the community's full name (or 光武街道 when `community` is None: administrators only)."""
    return run_write(actor, lambda ctx: plan_fact(
        ctx, label=label, value=value, unit=unit, source_title=source_title, valid_from=valid_from,
        community=community, subject=subject, indicator=indicator, qualifier=qualifier, quote=quote),
        engine=engine, today=today, submission_key=submission_key)
