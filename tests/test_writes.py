"""Staff forms (lib.writes): permissions, validation messages, append-only history, idempotency, audit."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from sqlalchemy import func, select
from staff_fixtures import _staff_templates, quiet_world, world  # noqa: F401

from lib import writes
from lib.audit import audit_log
from lib.db import session_scope
from lib.errors import PermissionDenied, ValidationError
from lib.models import (
    AuditLog,
    CareOccupancy,
    Fact,
    Household,
    HouseholdEvent,
    ModelCommunityStatus,
    Photo,
    SiteCheck,
    SiteCheckUpdate,
    Source,
    StarAssessment,
)
from lib.queries.care import current_occupancy
from lib.queries.facts import facts
from lib.queries.model_communities import model_status
from lib.queries.relocation import household_status
from lib.queries.stars import star_matrix

D = dt.date
HISTORY = (StarAssessment, ModelCommunityStatus, HouseholdEvent, CareOccupancy, Fact, AuditLog)


def counts(engine) -> dict[str, int]:
    with session_scope(engine) as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in HISTORY}


def call(world, fn, actor, **kwargs):
    return fn(actor, **kwargs, engine=world.engine, today=world.today)


# one valid submit per form, in 中兴 (households: 华盛, where the demo households are)
FORMS = {
    "star": (writes.record_star_assessment, dict(community="中兴", star="支部过硬星", status="已达标", score=95,
                                                 valid_from=D(2024, 2, 1))),
    "model": (writes.record_model_status, dict(community="中兴", status="已命名示范社区", valid_from=D(2024, 2, 1))),
    "occupancy": (writes.record_occupancy, dict(facility="care_centre", day=D(2024, 2, 1), occupied=47)),
    "fact": (writes.record_fact, dict(community="中兴", label="常住人口", value="1.2万", unit="人",
                                      source_title="中兴社区2024年2月台账", valid_from=D(2024, 2, 1))),
    "household": (writes.record_household_step, dict(code="WH-078", status="已签约", on=D(2024, 2, 1))),
    "check": (writes.file_site_check, dict(community="中兴", category="环境卫生", finding="楼道堆放杂物",
                                           lon=112.52, lat=33.0, client_token="t-1")),
}


@pytest.mark.parametrize("form", FORMS)
def test_anonymous_leader_and_other_community_cannot_write(world, form):
    fn, kwargs = FORMS[form]
    other = world.staff if form == "household" else world.staff_hs
    before = counts(world.engine)
    for actor, message in [(None, "未登录，不能修改数据"), (world.leader, "领导账号仅可查看"),
                           (other, f"社区工作人员只能修改本社区（{other.community}）的数据")]:
        with pytest.raises(PermissionDenied) as err:
            call(world, fn, actor, **kwargs)
        assert message in err.value.message
    assert counts(world.engine) == before
    owner = world.staff_hs if form == "household" else world.staff
    assert call(world, fn, owner, **kwargs).inserted  # the same call by the right person works


@pytest.mark.parametrize("form", FORMS)
def test_repeated_submit_stores_one_row_and_one_audit_row(world, form):
    fn, kwargs = FORMS[form]
    actor = world.staff_hs if form == "household" else world.staff
    before = counts(world.engine)
    first = call(world, fn, actor, **kwargs)
    second = call(world, fn, actor, **kwargs)
    assert first.inserted and not second.inserted and "已保存（重复提交已忽略）" in second.message
    after = counts(world.engine)
    changed = {k: after[k] - before[k] for k in after if after[k] != before[k]}
    table = {"star": "star_assessment", "model": "model_status", "occupancy": "care_occupancy", "fact": "fact",
             "household": "household_event", "check": None}[form]
    assert changed == ({table: 1, "audit_log": 1} if table else {"audit_log": 1})
    row = audit_log(user=actor.username, engine=world.engine).iloc[0]
    assert row["action"] == "insert" and row["after"]["id"] == first.id
    assert row["community"] == actor.community


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(score=120), "「得分」：“120”不能大于100"),
    (dict(score=-1), "「得分」：“-1”不能小于0"),
    (dict(score="很好"), "「得分」：“很好”不是数字"),
    (dict(status="优秀"), "「状态」：“优秀”无效，应为已达标、创建中、未启动之一"),
    (dict(star="六星"), "「星级」：“六星”无效"),
    (dict(valid_from=D(2024, 3, 2)), "「评定日期」：2024年3月2日 晚于今天（2024年3月1日）"),
    (dict(valid_from="2024-13-01"), "「评定日期」：“2024-13-01”不是有效日期"),
    (dict(community="火星"), "「社区」：未知社区“火星”"),
])
def test_star_validation(quiet_world, kwargs, message):
    world = quiet_world  # writes nothing
    base = dict(community="中兴", star="支部过硬星", status="已达标", score=90, valid_from=D(2024, 2, 1))
    with pytest.raises(ValidationError) as err:
        call(world, writes.record_star_assessment, world.admin, **{**base, **kwargs})
    assert message in err.value.message


def test_star_history_is_appended_and_as_of_shows_old_and_new(world):
    rows_before = counts(world.engine)["star_assessment"]
    old = star_matrix(community="中兴", engine=world.engine).set_index("star").loc["支部过硬星"]
    call(world, writes.record_star_assessment, world.staff, community="中兴社区", star="支部过硬星", status="创建中",
         score="80分", valid_from="2024/1/5")
    call(world, writes.record_star_assessment, world.staff, community="中兴", star="支部过硬星", status="已达标",
         score=96, valid_from=D(2024, 2, 1))
    assert counts(world.engine)["star_assessment"] == rows_before + 2
    jan = star_matrix(community="中兴", as_of=D(2024, 1, 20), engine=world.engine).set_index("star").loc["支部过硬星"]
    assert (jan["status"], jan["score"], jan["source_kind"], jan["recorded_by"]) == ("创建中", 80, "staff", "zx")
    now = star_matrix(community="中兴", engine=world.engine).set_index("star").loc["支部过硬星"]
    assert (now["status"], now["score"], now["valid_from"]) == ("已达标", 96, D(2024, 2, 1))
    was = star_matrix(community="中兴", as_of=D(2023, 12, 31), engine=world.engine).set_index("star").loc["支部过硬星"]
    assert (was["score"], was["source_kind"]) == (old["score"], "demo")
    log = audit_log(table="star_assessment", engine=world.engine)
    assert log.iloc[0]["before"] == {"status": "创建中", "score": 80.0, "valid_from": "2024-01-05"}
    assert log.iloc[0]["after"]["status"] == "已达标"


def test_staff_source_names_who_and_title(world):
    call(world, *FORMS["fact"][:1], world.staff, **FORMS["fact"][1])
    call(world, *FORMS["star"][:1], world.staff, **FORMS["star"][1])
    with session_scope(world.engine) as s:
        srcs = s.execute(select(Source.kind, Source.title, Source.publisher).where(Source.kind == "staff")
                         .order_by(Source.id)).all()
    assert [tuple(r) for r in srcs] == [("staff", "中兴社区2024年2月台账", "中兴录入员"),
                                        ("staff", "工作人员录入", "中兴录入员")]
    f = facts(subject="中兴社区", indicators=["resident_population"], engine=world.engine).iloc[0]
    assert (f["value"], f["source_kind"], f["source_title"], f["recorded_by"]) == \
        (12000, "staff", "中兴社区2024年2月台账", "zx")


def test_model_status_history(world):
    with pytest.raises(ValidationError, match="「状态」：“已命名”无效，应为已命名示范社区、先行先试、创建中、未命名之一"):
        call(world, writes.record_model_status, world.staff, community="中兴", status="已命名")
    call(world, writes.record_model_status, world.admin, community="刘庄", status="创建中", valid_from=D(2024, 1, 1),
         note="新启动")
    assert model_status(community="刘庄", engine=world.engine)["status"].tolist() == ["创建中"]
    assert model_status(community="刘庄", as_of=D(2023, 12, 31), engine=world.engine)["status"].tolist() == ["未命名"]


def test_household_ladder_rules(world):
    hs = world.staff_hs
    step = lambda **kw: call(world, writes.record_household_step, hs, code="WH-078", **kw)  # noqa: E731
    with pytest.raises(ValidationError, match="当前为「未签约」，下一步只能登记「已签约」，不能跳级"):
        step(status="已交钥匙", on=D(2024, 1, 5))
    with pytest.raises(ValidationError, match="「日期」：2023年10月1日 早于上一步「未签约」的日期（2023年11月1日），请核对"):
        step(status="已签约", on=D(2023, 10, 1))
    with pytest.raises(ValidationError, match="「户编号」：未找到征迁户“WH-999”"):
        call(world, writes.record_household_step, hs, code="WH-999", status="已签约")
    with pytest.raises(ValidationError, match="「拆除面积」：只有状态为「已拆除」时才填写"):
        step(status="已签约", on=D(2024, 1, 5), demolished_area_m2=100)
    assert step(status="已签约", on=D(2024, 1, 5)).inserted
    with pytest.raises(ValidationError, match="已于2024年1月5日登记为「已签约」，不能重复登记"):
        step(status="已签约", on=D(2024, 1, 6))
    with pytest.raises(ValidationError, match="「日期」：2024年1月4日 早于上一步「已签约」的日期"):
        step(status="已交钥匙", on=D(2024, 1, 4))
    assert step(status="已交钥匙", on=D(2024, 1, 8)).inserted
    with pytest.raises(ValidationError, match="当前为「已交钥匙」，状态不能回退为「未签约」"):
        step(status="未签约", on=D(2024, 1, 9))
    assert step(status="已拆除", on=D(2024, 1, 9)).inserted
    status = lambda when: household_status(as_of=when, engine=world.engine).set_index("code").loc["WH-078"]  # noqa: E731
    assert status(D(2024, 1, 1))["status"] == "未签约"
    assert status(D(2024, 1, 6))["status"] == "已签约" and status(D(2024, 1, 6))["recorded_by"] == "hs"
    final = status(None)
    assert final["status"] == "已拆除" and final["demolished_area_m2"] == pytest.approx(final["floor_area_m2"])
    with session_scope(world.engine) as s:  # append-only: every step is its own row
        steps = s.scalars(select(HouseholdEvent.status).join(Household, Household.id == HouseholdEvent.household_id)
                          .where(Household.code == "WH-078").order_by(HouseholdEvent.id)).all()
    assert steps == ["未签约", "已签约", "已交钥匙", "已拆除"]


@pytest.mark.parametrize(("occupied", "day", "message"), [
    (51, D(2024, 2, 1), "「入住人数」：51 超过光武街道综合养老服务中心的床位数 50"),
    (-1, D(2024, 2, 1), "「入住人数」：“-1”不能小于0"),
    ("4.5", D(2024, 2, 1), "「入住人数」：“4.5”应为整数"),
    (40, D(2024, 3, 5), "「日期」：2024年3月5日 晚于今天"),
])
def test_occupancy_validation(quiet_world, occupied, day, message):
    world = quiet_world  # writes nothing
    with pytest.raises(ValidationError) as err:
        call(world, writes.record_occupancy, world.staff, facility="光武街道综合养老服务中心", day=day, occupied=occupied)
    assert message in err.value.message


def test_occupancy_correction_appends_and_latest_wins(world):
    call(world, writes.record_occupancy, world.staff, facility="care_centre", day=D(2024, 2, 1), occupied="４７")
    call(world, writes.record_occupancy, world.staff, facility="care_centre", day=D(2024, 2, 1), occupied=45)
    occ = current_occupancy(facility="care_centre", engine=world.engine)
    assert (occ.occupied, occ.free, occ.day, occ.source_kind) == (45, 5, D(2024, 2, 1), "staff")
    assert current_occupancy(facility="care_centre", as_of=D(2023, 11, 22), engine=world.engine).occupied == 48
    with session_scope(world.engine) as s:
        day_rows = s.scalars(select(CareOccupancy.occupied).where(CareOccupancy.day == D(2024, 2, 1))
                             .order_by(CareOccupancy.id)).all()
    assert day_rows == [47, 45]


def test_fact_rules(world):
    with pytest.raises(PermissionDenied, match="街道级数据须由街道管理员录入"):
        call(world, writes.record_fact, world.staff, label="常住人口", value="8.2万", unit="人", source_title="公报")
    for missing, message in [("label", "「指标名称」：不能为空"), ("unit", "「单位」：不能为空"),
                             ("source_title", "「来源」：不能为空"), ("value", "「数值」：不能为空")]:
        kwargs = dict(label="拆除面积", value="6100余", unit="平方米", source_title="指挥部日报")
        kwargs[missing] = ""
        with pytest.raises(ValidationError, match=message):
            call(world, writes.record_fact, world.admin, **kwargs)
    call(world, writes.record_fact, world.admin, label="常住人口", value="８．２万", unit="人", source_title="统计公报",
         valid_from=D(2024, 1, 1))
    new = facts(subject="光武街道", indicators=["resident_population"], engine=world.engine).iloc[0]
    assert (new["value"], new["source_kind"], new["display"]) == (82000, "staff", "8.2万人")  # same indicator
    old = facts(subject="光武街道", indicators=["resident_population"], as_of=D(2023, 12, 31), engine=world.engine)
    assert (old.iloc[0]["value"], old.iloc[0]["source_kind"]) == (81500, "article")
    call(world, writes.record_fact, world.admin, label="拆除面积", value="6100余", unit="平方米", source_title="日报",
         subject="文化路北延", indicator="relocation_demolished_m2", valid_from=D(2024, 1, 2))
    area = facts(subject="文化路北延", indicators=["relocation_demolished_m2"], engine=world.engine).iloc[0]
    assert (area["value"], area["qualifier"], area["display"]) == (6100, "余", "6100余平方米")


def real_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def test_site_check_photo_location_and_updates(world, monkeypatch):
    kwargs = dict(community="中兴", category="消防安全", finding="灭火器过期", lon=112.52, lat=33.0)
    for bad, message in [(dict(lon=113.6), "「经度」：113.6 不在光武街道范围内"),
                         (dict(lat=32.5), "「纬度」：32.5 不在光武街道范围内"),
                         (dict(status="办完了"), "「状态」：“办完了”无效"),
                         (dict(photo=b"GIF89a" + b"0" * 50), "只接受 JPEG、PNG 或 WebP"),
                         (dict(photo=b"\x89PNG\r\n\x1a\n" + b"0" * 50, photo_mime="image/jpeg"), "实际内容是 image/png")]:
        with pytest.raises(ValidationError, match=message):
            call(world, writes.file_site_check, world.staff, **{**kwargs, **bad})
    monkeypatch.setattr("lib.writes.checks.settings", lambda: type("S", (), {"max_upload_mb": 1})())
    with pytest.raises(ValidationError, match="「照片」：文件 1.5 MB，超过上限 1 MB"):
        call(world, writes.file_site_check, world.staff, **kwargs, photo=b"\xff\xd8\xff" + b"0" * 1_572_861)
    png = real_png()
    made = call(world, writes.file_site_check, world.staff, **kwargs, photo=png, photo_mime="image/png",
                client_token="tab-42")
    again = call(world, writes.file_site_check, world.staff, **kwargs, photo=png, client_token="tab-42")
    assert made.inserted and not again.inserted and again.id == made.id
    with session_scope(world.engine) as s:
        photos = s.execute(select(Photo.mime, Photo.data).where(Photo.check_id == made.id)).all()
        assert [(m, bytes(d)) for m, d in photos] == [("image/png", png)]
        assert s.get(SiteCheck, made.id).created_by == "zx"
    with pytest.raises(PermissionDenied):
        writes.update_site_check(world.staff_hs, made.id, status="整改中", engine=world.engine)
    upd = writes.update_site_check(world.staff, made.id, status="整改中", note="已更换", engine=world.engine)
    dup = writes.update_site_check(world.staff, made.id, status="整改中", note="已更换", engine=world.engine)
    assert upd.inserted and not dup.inserted
    with session_scope(world.engine) as s:
        assert s.get(SiteCheck, made.id).status == "整改中"
        assert s.scalar(select(func.count()).select_from(SiteCheckUpdate).where(SiteCheckUpdate.check_id == made.id)) == 1
    row = audit_log(table="site_check", engine=world.engine).iloc[0]
    assert (row["action"], row["before"], row["after"]["status"]) == ("update", {"status": "待整改"}, "整改中")
    assert audit_log(table="site_check", engine=world.engine).iloc[1]["after"]["photo"] == \
        {"mime": "image/png", "bytes": len(png)}
