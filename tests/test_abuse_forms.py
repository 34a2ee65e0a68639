"""Abuse suite for the forms and photos (issue #12), on SQLite and PostgreSQL: each bad input is refused
with a Chinese message naming its field and leaves every table's row count unchanged; each odd but valid
input is stored with the exact value asserted. Plus the privilege table of issue #11: a staff account
cannot change anything outside its community, through the data layer or a ledger.
"""
from __future__ import annotations

import datetime as dt
import io
import struct
import zlib

import pandas as pd
import pytest
from abuse_helpers import assert_unchanged, row_counts
from PIL import Image
from sqlalchemy import select
from staff_fixtures import _staff_templates, quiet_world, world  # noqa: F401

from lib import ledger, writes
from lib.db import session_scope
from lib.errors import DashboardError, PermissionDenied
from lib.ledger_kinds import KINDS
from lib.models import CareOccupancy, Community, Fact, SiteCheck
from lib.queries.facts import facts

D = dt.date
DAY = D(2024, 2, 1)


def image(fmt: str = "PNG", size=(8, 6)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 60, 90)).save(buf, fmt)
    return buf.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width × height pixels (a decompression bomb's header) and holds none."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))


OCC = dict(facility="care_centre", day=DAY)
STAR = dict(community="中兴", star="支部过硬星", status="已达标", valid_from=DAY)
MODEL = dict(community="中兴", status="创建中", valid_from=DAY)
FACT = dict(community="中兴", label="常住人口", value="1.2万", unit="人", source_title="中兴社区台账", valid_from=DAY)
PROJECT = dict(subject="文化路北延", source_title="征迁专班台账", valid_from=DAY)
CHECK = dict(community="中兴", category="环境卫生", finding="楼道堆放杂物", lon=112.52, lat=33.0)
HOUSE = dict(code="WH-078", status="已拆除", on=DAY)

# (case id, write, who: staff / admin / staff_hs, arguments, the message's field and text)
BAD = [
    ("occ-approx-yue", writes.record_occupancy, "staff", {**OCC, "occupied": "约50"}, "「入住人数」：“约50”是约数"),
    ("occ-approx-duo", writes.record_occupancy, "staff", {**OCC, "occupied": "40多"}, "「入住人数」：“40多”是约数"),
    ("occ-approx-zuoyou", writes.record_occupancy, "staff", {**OCC, "occupied": "45左右"}, "「入住人数」：“45左右”是约数"),
    ("occ-over-beds", writes.record_occupancy, "staff", {**OCC, "occupied": 51}, "「入住人数」：51 超过光武街道综合养老服务中心的床位数 50"),
    ("occ-negative", writes.record_occupancy, "staff", {**OCC, "occupied": -1}, "「入住人数」：“-1”不能小于0"),
    ("occ-text", writes.record_occupancy, "staff", {**OCC, "occupied": "abc"}, "「入住人数」：“abc”不是数字"),
    ("occ-fraction", writes.record_occupancy, "staff", {**OCC, "occupied": "48.5"}, "「入住人数」：“48.5”应为整数"),
    ("occ-percent", writes.record_occupancy, "staff", {**OCC, "occupied": "77%"}, "「入住人数」：“77%”是百分数"),
    ("occ-no-beds-bound", writes.record_occupancy, "staff",
     {"facility": "day_care", "day": DAY, "occupied": 100000}, "「入住人数」：“100000”不能大于300（中兴社区日间照料中心未登记床位数"),
    ("occ-like-percent", writes.record_occupancy, "staff", {**OCC, "facility": "%%%%", "occupied": 40},
     "「机构」：未找到养老机构“%%%%”"),
    ("occ-like-underscore", writes.record_occupancy, "staff", {**OCC, "facility": "____", "occupied": 40},
     "「机构」：未找到养老机构“____”"),
    ("occ-partial-name", writes.record_occupancy, "staff", {**OCC, "facility": "养老服务中心", "occupied": 40},
     "「机构」：未找到养老机构“养老服务中心”"),
    ("occ-future", writes.record_occupancy, "staff", {**OCC, "day": D(2024, 3, 2), "occupied": 40},
     "「日期」：2024年3月2日 晚于今天"),
    ("star-score-over", writes.record_star_assessment, "staff", {**STAR, "score": 120}, "「得分」：“120”不能大于100"),
    ("star-score-approx", writes.record_star_assessment, "staff", {**STAR, "score": "约90"}, "「得分」：“约90”是约数"),
    ("star-score-people", writes.record_star_assessment, "staff", {**STAR, "score": "90人"},
     "「得分」：“90人”的单位“人”与所填单位“分”不一致"),
    ("star-status-nul", writes.record_star_assessment, "staff", {**STAR, "status": "已达标\x00"},
     "「状态」：含有不可见的控制字符"),
    ("model-note-nul", writes.record_model_status, "staff", {**MODEL, "note": "命名\x00文件"}, "「备注」：含有不可见的控制字符"),
    ("fact-label-nul", writes.record_fact, "staff", {**FACT, "label": "常住\x00人口"}, "「指标名称」：含有不可见的控制字符"),
    ("fact-source-bidi", writes.record_fact, "staff", {**FACT, "source_title": "台账\u202egpj.exe"},
     "「来源」：含有不可见的控制字符"),
    ("fact-people-bound", writes.record_fact, "staff", {**FACT, "value": "300万"}, "「数值」：“300万”不能大于200万人"),
    ("fact-negative", writes.record_fact, "staff", {**FACT, "value": "-5"}, "「数值」：“-5”不能小于0"),
    ("fact-percent-bound", writes.record_fact, "staff", {**FACT, "label": "党员占比", "value": "150%", "unit": "%"},
     "「数值」：“150%”不能大于100%"),
    ("fact-signed-over-households", writes.record_fact, "admin",
     {**PROJECT, "label": "已签订协议", "value": 200, "unit": "户"}, "「数值」：文化路北延「已签订协议」200 不能大于"),
    ("fact-households-under-signed", writes.record_fact, "admin",
     {**PROJECT, "label": "涉迁户", "value": 50, "unit": "户"}, "「数值」：文化路北延「涉迁户」50 不能小于"),
    ("house-area-approx", writes.record_household_step, "staff_hs", {**HOUSE, "demolished_area_m2": "约120"},
     "「拆除面积」：“约120”是约数"),
    ("house-area-bound", writes.record_household_step, "staff_hs", {**HOUSE, "demolished_area_m2": 50000},
     "「拆除面积」：“50000”不能大于2万平方米"),
    ("check-finding-nul", writes.file_site_check, "staff", {**CHECK, "finding": "杂物\x00堆放"}, "「问题描述」：含有不可见的控制字符"),
    ("check-category-esc", writes.file_site_check, "staff", {**CHECK, "category": "环境\x1b[31m"}, "「类别」：含有不可见的控制字符"),
    ("check-finding-too-long", writes.file_site_check, "staff", {**CHECK, "finding": "长" * 2001},
     "「问题描述」：过长（最多2000个字）"),
    ("check-lon-outside", writes.file_site_check, "staff", {**CHECK, "lon": 116.4}, "「经度」：116.4 不在光武街道范围内"),
    ("check-lat-about", writes.file_site_check, "staff", {**CHECK, "lat": "约33"}, "「纬度」：“约33”是约数（约）"),
    ("check-lon-wan", writes.file_site_check, "staff", {**CHECK, "lon": "0.011252万"},
     "「经度」：“0.011252万”不是十进制的度数，请填写如 112.5288 这样的数"),
    ("check-lat-nan", writes.file_site_check, "staff", {**CHECK, "lat": float("nan")}, "「纬度」：“nan”不是数字"),
    ("photo-gif", writes.file_site_check, "staff", {**CHECK, "photo": image("GIF")}, "「照片」：只接受 JPEG、PNG 或 WebP"),
    ("photo-declared-jpeg", writes.file_site_check, "staff", {**CHECK, "photo": image(), "photo_mime": "image/jpeg"},
     "「照片」：文件声明为 image/jpeg，实际内容是 image/png"),
    ("photo-truncated", writes.file_site_check, "staff", {**CHECK, "photo": image()[:40]}, "「照片」：图片文件已损坏或不完整"),
    ("photo-magic-only", writes.file_site_check, "staff", {**CHECK, "photo": b"\xff\xd8\xff" + b"\x00" * 300},
     "「照片」：图片文件已损坏或不完整"),
    ("photo-bomb-header", writes.file_site_check, "staff", {**CHECK, "photo": png_header_only(9000, 9000)},
     "「照片」：9000×9000 像素，超过上限 40 百万像素"),
    ("photo-huge-bomb", writes.file_site_check, "staff", {**CHECK, "photo": png_header_only(60000, 60000)},
     "「照片」：像素过多"),
]


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_input_is_refused_by_field_and_writes_nothing(quiet_world, case):
    _id, write, who, kwargs, message = case
    before = row_counts(quiet_world.engine)
    with pytest.raises(DashboardError) as err:
        write(getattr(quiet_world, who), **kwargs, engine=quiet_world.engine, today=quiet_world.today)
    assert message in err.value.message
    assert_unchanged(quiet_world.engine, before)


def _fact_of(engine, label):
    return facts(subject="中兴社区", engine=engine).set_index("label").loc[label]


# (case id, write arguments, check of what is stored)
GOOD = [
    ("fact-yue-kept", writes.record_fact, {**FACT, "label": "志愿者", "value": "约50"},
     lambda e: tuple(_fact_of(e, "志愿者")[["value", "qualifier", "display"]]) == (50, "约", "约50人")),
    ("fact-zuoyou-kept", writes.record_fact, {**FACT, "label": "网格员", "value": "30左右"},
     lambda e: tuple(_fact_of(e, "网格员")[["value", "qualifier", "display"]]) == (30, "约", "约30人")),
    ("fact-yu-kept", writes.record_fact, {**FACT, "label": "常住人口", "value": "6100余"},
     lambda e: tuple(_fact_of(e, "常住人口")[["value", "qualifier", "display"]]) == (6100, "余", "6100余人")),
    ("occ-fullwidth-short-name", writes.record_occupancy,
     {"facility": " 综合养老服务中心 ", "day": DAY, "occupied": "４７"},
     lambda e: _occ(e) == ("care_centre", DAY, 47)),
    ("occ-full-name-spaced", writes.record_occupancy,
     {"facility": "光武街道 综合养老服务中心", "day": DAY, "occupied": "46人"},
     lambda e: _occ(e) == ("care_centre", DAY, 46)),
    ("check-newlines-kept", writes.file_site_check, {**CHECK, "finding": "一楼：杂物\n二楼：\t电动车"},
     lambda e: _finding(e) == "一楼：杂物\n二楼：\t电动车"),
    ("check-markup-as-text", writes.file_site_check, {**CHECK, "finding": "<img src=x onerror=alert(1)> **粗**"},
     lambda e: _finding(e) == "<img src=x onerror=alert(1)> **粗**"),
]


def _occ(engine):
    from lib.models import CareFacility
    with session_scope(engine) as s:
        row = s.execute(select(CareFacility.key, CareOccupancy.day, CareOccupancy.occupied)
                        .join(CareFacility, CareFacility.id == CareOccupancy.facility_id)
                        .where(CareOccupancy.recorded_by == "zx")).one()
    return tuple(row)


def _finding(engine):
    with session_scope(engine) as s:
        return s.scalar(select(SiteCheck.finding).where(SiteCheck.created_by == "zx"))


@pytest.mark.parametrize("case", GOOD, ids=[c[0] for c in GOOD])
def test_odd_but_valid_input_is_stored_exactly(world, case):
    _id, write, kwargs, stored = case
    result = write(world.staff, **kwargs, engine=world.engine, today=world.today)
    assert result.inserted and stored(world.engine)


# ---- issue #11: a staff account (中兴) cannot change anything outside its community ----
def _hs_check(engine) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(SiteCheck.id).join(Community, Community.id == SiteCheck.community_id)
                        .where(Community.name == "华盛").limit(1))


OUTSIDE = [
    ("fact-subdistrict-with-own-community", writes.record_fact,
     {**FACT, "subject": "光武街道", "label": "常住人口", "value": 1}, "街道级数据须由街道管理员录入"),
    ("fact-subdistrict-default", writes.record_fact, {**FACT, "community": None, "value": 1}, "街道级数据须由街道管理员录入"),
    ("fact-project", writes.record_fact, {**FACT, "subject": "文化路北延", "label": "涉迁户", "value": 1, "unit": "户"},
     "街道级数据须由街道管理员录入"),
    ("fact-facility-without-community", writes.record_fact,
     {**FACT, "subject": "专业批发市场", "label": "商户", "value": 1, "unit": "家"}, "街道级数据须由街道管理员录入"),
    ("fact-other-community-subject", writes.record_fact, {**FACT, "subject": "华盛社区", "value": 1},
     "不能修改「华盛」社区"),
    ("fact-other-community", writes.record_fact, {**FACT, "community": "华盛", "value": 1}, "不能修改「华盛」社区"),
    ("star-other-community", writes.record_star_assessment, {**STAR, "community": "华盛"}, "不能修改「华盛」社区"),
    ("model-other-community", writes.record_model_status, {**MODEL, "community": "华盛社区"}, "不能修改「华盛」社区"),
    ("household-other-community", writes.record_household_step, {"code": "WH-078", "status": "已签约", "on": DAY},
     "不能修改「华盛」社区"),
    ("check-other-community", writes.file_site_check, {**CHECK, "community": "华盛"}, "不能修改「华盛」社区"),
]


@pytest.mark.parametrize("case", OUTSIDE, ids=[c[0] for c in OUTSIDE])
def test_staff_cannot_write_outside_their_community(quiet_world, case):
    _id, write, kwargs, message = case
    before = row_counts(quiet_world.engine)
    with pytest.raises(PermissionDenied) as err:
        write(quiet_world.staff, **kwargs, engine=quiet_world.engine, today=quiet_world.today)
    assert message in err.value.message
    assert_unchanged(quiet_world.engine, before)


def test_staff_cannot_update_another_communitys_check(quiet_world):
    before = row_counts(quiet_world.engine)
    with pytest.raises(PermissionDenied, match="不能修改「华盛」社区"):
        writes.update_site_check(quiet_world.staff, _hs_check(quiet_world.engine), status="已办结",
                                 engine=quiet_world.engine, today=quiet_world.today)
    assert_unchanged(quiet_world.engine, before)


LEDGER_ROWS = [
    ("subdistrict", ["中兴", "光武街道", "常住人口", None, 1, "人", "2024-01-05", "台账", None], "街道级数据须由街道管理员录入"),
    ("project", ["中兴", "文化路北延", "涉迁户", None, 1, "户", "2024-01-05", "台账", None], "街道级数据须由街道管理员录入"),
    ("market", ["中兴", "专业批发市场", "商户", None, 1, "家", "2024-01-05", "台账", None], "街道级数据须由街道管理员录入"),
    ("other-community", ["华盛", None, "常住人口", None, 1, "人", "2024-01-05", "台账", None], "不能修改「华盛」社区"),
    ("other-community-subject", ["中兴", "华盛社区", "常住人口", None, 1, "人", "2024-01-05", "台账", None],
     "不能修改「华盛」社区"),
    ("blank-community", [None, None, "常住人口", None, 1, "人", "2024-01-05", "台账", None], "街道级数据须由街道管理员录入"),
]


GOOD_FACT_ROW = ["中兴", None, "常住人口", None, "1.2万", "人", "2024-01-05", "台账", None]
LEDGER_CASES = [("指标数据", f"fact-{name}", [GOOD_FACT_ROW, row], message) for name, row, message in LEDGER_ROWS] + [
    ("五星评定", "star-other-community", [["中兴", "支部过硬星", "已达标", 90, "2024-01-05"],
                                      ["华盛", "支部过硬星", "已达标", 90, "2024-01-05"]], "不能修改「华盛」社区"),
    ("示范社区状态", "model-other-community", [["华盛社区", "创建中", "2024-01-05", None]], "不能修改「华盛」社区"),
    ("征迁户状态", "household-other-community", [["WH-078", "已签约", "2024-01-05", None]], "不能修改「华盛」社区"),
]


@pytest.mark.parametrize("case", LEDGER_CASES, ids=[c[1] for c in LEDGER_CASES])
def test_staff_ledger_outside_their_community_writes_nothing(quiet_world, case):
    kind, _id, rows, message = case
    data = ledger.template_xlsx(kind, rows=pd.DataFrame(rows, columns=KINDS[kind].headers))
    before = row_counts(quiet_world.engine)
    preview = ledger.read_ledger(data, "台账.xlsx", kind, actor=quiet_world.staff, engine=quiet_world.engine,
                                 today=quiet_world.today)
    assert any(message in e for e in preview.errors), preview.errors
    preview.errors = []  # a forged preview: the commit re-checks every row itself
    with pytest.raises(PermissionDenied) as err:
        ledger.commit_ledger(quiet_world.staff, preview, engine=quiet_world.engine, today=quiet_world.today)
    assert any(message in d for d in err.value.details)
    assert_unchanged(quiet_world.engine, before)


def test_admin_still_writes_subdistrict_and_project_figures(world):
    sub = writes.record_fact(world.admin, **{**FACT, "community": None, "label": "常住人口", "value": "4.97万"},
                             engine=world.engine, today=world.today)
    proj = writes.record_fact(world.admin, **{**PROJECT, "label": "已签订协议", "value": 70, "unit": "户"},
                              engine=world.engine, today=world.today)
    assert sub.inserted and proj.inserted
    with session_scope(world.engine) as s:
        rows = s.execute(select(Fact.subject, Fact.scope, Fact.community_id, Fact.value)
                         .where(Fact.recorded_by == "admin").order_by(Fact.id)).all()
    assert [tuple(r) for r in rows] == [("光武街道", "subdistrict", None, 49700), ("文化路北延", "project", None, 70)]


def test_ledger_file_name_with_control_characters_is_stored_clean(world):
    rows = [["光武街道综合养老服务中心", "2024-01-05", 41]]
    data = ledger.template_xlsx("每日入住", rows=pd.DataFrame(rows, columns=KINDS["每日入住"].headers))
    name = "入住\x00\x1b台账.xlsx"
    preview = ledger.read_ledger(data, name, "每日入住", actor=world.staff, engine=world.engine, today=world.today)
    result = ledger.commit_ledger(world.staff, preview, engine=world.engine, today=world.today)
    assert result.inserted == 1
    from lib.models import AuditLog, Source
    with session_scope(world.engine) as s:
        title = s.scalar(select(Source.title).join(CareOccupancy, CareOccupancy.source_id == Source.id)
                         .where(CareOccupancy.recorded_by == "zx"))
        key = s.scalar(select(AuditLog.record_key).where(AuditLog.table_name == "ledger"))
    assert title == "台账导入：每日入住（入住台账.xlsx）" and key == "每日入住：入住台账.xlsx"


@pytest.mark.parametrize("label, value, message", [
    ("已交钥匙", 70, "「数值」：文化路北延「已交钥匙」70 不能大于2024年2月1日有效的「已签订协议」62户"),
    ("已拆除户数", 63, "「数值」：文化路北延「已拆除户数」63 不能大于2024年2月1日有效的「已签订协议」62户"),
])
def test_new_relocation_figures_are_checked_against_stored_ones(quiet_world, label, value, message):
    before = row_counts(quiet_world.engine)
    with pytest.raises(DashboardError) as err:
        writes.record_fact(quiet_world.admin, **PROJECT, label=label, value=value, unit="户",
                           engine=quiet_world.engine, today=quiet_world.today)
    assert message in err.value.message
    assert_unchanged(quiet_world.engine, before)


@pytest.mark.parametrize("subject", ["光武街道综合养老服务中心", "中兴社区日间照料中心"])
def test_staff_cannot_set_another_communitys_facility_by_its_full_name(quiet_world, subject):
    """A facility's name with no figure under that exact text yet was taken for a new facility of the writer's own
    community: 华盛's staff set 中兴's care centre to 300 beds (and its day-care centre to 0, refusing 中兴's own
    occupancy entries). The facility table says whose it is."""
    before = row_counts(quiet_world.engine)
    with pytest.raises(PermissionDenied, match="不能修改「中兴」社区"):
        writes.record_fact(quiet_world.staff_hs, community="华盛", subject=subject, label="床位", indicator="care_beds",
                           value=300, unit="张", source_title="华盛录入", engine=quiet_world.engine,
                           today=quiet_world.today)
    assert_unchanged(quiet_world.engine, before)
