"""台账 import/export: templates, previews, all-or-nothing commits, broken files, round trips."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from staff_fixtures import _staff_templates, quiet_world, world  # noqa: F401

from lib import ledger
from lib.audit import audit_log
from lib.db import session_scope
from lib.errors import PermissionDenied, ValidationError
from lib.ledger_kinds import KINDS
from lib.models import AuditLog, CareOccupancy, Fact, HouseholdEvent, ModelCommunityStatus, Source, StarAssessment
from lib.queries.care import current_occupancy
from lib.queries.facts import facts
from lib.queries.relocation import household_status
from lib.queries.stars import star_matrix

D = dt.date
TABLES = (StarAssessment, ModelCommunityStatus, HouseholdEvent, CareOccupancy, Fact, AuditLog, Source)


def counts(engine) -> dict[str, int]:
    with session_scope(engine) as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in TABLES}


def xlsx(kind: str, rows: list[list]) -> bytes:
    return ledger.template_xlsx(kind, rows=pd.DataFrame(rows, columns=KINDS[kind].headers))


def read(world, data, name, kind, actor=None, **kw):
    return ledger.read_ledger(data, name, kind, actor=actor, engine=world.engine, today=world.today, **kw)


@pytest.mark.parametrize("kind", ledger.KIND_NAMES)
def test_template_is_plain_and_explained(kind):
    wb = load_workbook(io.BytesIO(ledger.template_xlsx(kind)))
    assert wb.sheetnames == [kind, "填写说明"]
    data, guide = wb[kind], wb["填写说明"]
    assert [c.value for c in data[1]] == KINDS[kind].headers and data.max_row == 1
    assert [c.value for c in guide[1]][:5] == ["列名", "是否必填", "说明", "可填写的值", "示例"]
    assert [guide.cell(row=i + 2, column=1).value for i in range(len(KINDS[kind].columns))] == KINDS[kind].headers
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formulas anywhere
    assert any("本页不会被导入" in str(c.value) for c in cells)


def test_export_any_dataframe():
    df = pd.DataFrame({"社区": ["中兴", "=HYPERLINK(1)"], "得分": [95.5, None], "日期": [D(2024, 1, 5), None],
                       "示例": [True, False]})
    ws = load_workbook(io.BytesIO(ledger.export_xlsx(df, sheet_name="五星/评定", title="五星评定导出"))).active
    assert ws.title == "五星_评定" and ws["A1"].value == "五星评定导出"
    assert [c.value for c in ws[2]] == ["社区", "得分", "日期", "示例"]
    assert [c.value for c in ws[3]] == ["中兴", 95.5, dt.datetime(2024, 1, 5), "是"]
    assert ws["A4"].value == "=HYPERLINK(1)" and ws["A4"].data_type == "s" and ws["B4"].value is None


def test_xlsx_import_happy_path(world):
    data = xlsx("五星评定", [["中兴", "支部过硬星", "创建中", "８０分", "2024/1/5"],
                             ["中兴社区", "平安法治星", "已达标", 97, D(2024, 2, 1)]])
    before = counts(world.engine)
    preview = read(world, data, "五星.xlsx", "五星评定", actor=world.staff)
    assert preview.ok and preview.file_format == "Excel（.xlsx）" and (preview.inserts, preview.unchanged) == (2, 0)
    assert counts(world.engine) == before  # the preview wrote nothing
    frame = preview.frame()
    assert frame["行号"].tolist() == [2, 3] and frame["处理"].tolist() == ["新增", "新增"]
    assert "「得分」“８０分”读作 80（单位“分”已去掉）" in frame["读数说明"].iloc[0]
    assert "「评定日期」“2024/1/5”读作 2024年1月5日" in frame["读数说明"].iloc[0]
    result = ledger.commit_ledger(world.staff, preview, engine=world.engine, today=world.today)
    assert (result.inserted, result.unchanged) == (2, 0) and "新增 2 条" in result.message
    after = counts(world.engine)
    assert after["star_assessment"] == before["star_assessment"] + 2
    assert after["audit_log"] == before["audit_log"] + 3  # one per row + the import summary
    m = star_matrix(community="中兴", engine=world.engine).set_index("star")
    assert (m.loc["平安法治星", "status"], m.loc["平安法治星", "score"], m.loc["平安法治星", "source_kind"]) == \
        ("已达标", 97, "staff")
    assert star_matrix(community="中兴", as_of=D(2024, 1, 6), engine=world.engine) \
        .set_index("star").loc["支部过硬星", "status"] == "创建中"
    log = audit_log(user="zx", engine=world.engine)
    assert log["action"].tolist()[:3] == ["import", "import", "import"] and log.iloc[0]["table_name"] == "ledger"
    assert log.iloc[0]["after"] == {"kind": "五星评定", "file": "五星.xlsx", "rows": 2, "inserted": 2, "unchanged": 0}
    again = ledger.commit_ledger(world.staff, read(world, data, "五星.xlsx", "五星评定"), engine=world.engine,
                                 today=world.today)
    assert (again.inserted, again.unchanged) == (0, 2)  # importing the same file twice adds nothing
    assert counts(world.engine)["star_assessment"] == after["star_assessment"]


def test_gbk_csv_occupancy(world):
    text = "机构 ,（日期）, 入住人数\r\n光武街道综合养老服务中心,2024-02-01,４６\r\n光武街道综合养老服务中心,2024年2月2日,45人\r\n"
    preview = read(world, text.encode("gbk"), "入住.csv", "每日入住", actor=world.staff)
    assert preview.ok and preview.file_format == "CSV（GBK/GB18030）" and preview.inserts == 2
    ledger.commit_ledger(world.staff, preview, engine=world.engine, today=world.today)
    occ = current_occupancy(facility="care_centre", engine=world.engine)
    assert (occ.day, occ.occupied, occ.source_kind, occ.source_title) == \
        (D(2024, 2, 2), 45, "staff", "台账导入：每日入住（入住.csv）")


def test_utf8_bom_csv_facts_and_households(world):
    text = ("社区,对象,指标名称,指标代码,数值,单位,日期,来源,原文或说明\n"
            "中兴,,户籍人口,,４．９６万,人,2024-01-31,中兴社区1月台账,\n"
            "中兴,星光大排档,摊位数,,600多,个,2024-01-31,中兴社区1月台账,\n")
    preview = read(world, ("\ufeff" + text).encode("utf-8"), "指标.csv", "指标数据", actor=world.staff)
    assert preview.ok and preview.file_format == "CSV（UTF-8）" and preview.inserts == 2
    assert "“４．９６万”读作 49600" in preview.frame()["读数说明"].iloc[0]
    ledger.commit_ledger(world.staff, preview, engine=world.engine, today=world.today)
    got = facts(community="中兴", indicators=["户籍人口", "摊位数"], engine=world.engine).set_index("label")
    assert got.loc["户籍人口", "value"] == 49600 and got.loc["摊位数", "display"] == "600多个"
    assert set(got["source_title"]) == {"中兴社区1月台账"} and set(got["recorded_by"]) == {"zx"}
    # several steps of one household in one file, listed out of order, are applied in ladder order
    steps = "户编号,状态,日期,拆除面积（平方米）\nWH-078,已拆除,2024-01-20,\nWH-078,已签约,2024-01-05,\nWH-078,已交钥匙,2024-01-10,\n"
    preview = read(world, steps.encode("utf-8-sig"), "户.csv", "征迁户状态", actor=world.staff_hs)
    assert preview.ok and preview.inserts == 3
    ledger.commit_ledger(world.staff_hs, preview, engine=world.engine, today=world.today)
    row = household_status(engine=world.engine).set_index("code").loc["WH-078"]
    assert (row["status"], row["since"]) == ("已拆除", D(2024, 1, 20))


def _rejected(world, data, name, kind, actor, message, *, at_commit=False, exc=ValidationError, **kw):
    before = counts(world.engine)
    with pytest.raises(exc) as err:
        preview = read(world, data, name, kind, actor=actor if not at_commit else None, **kw)
        ledger.commit_ledger(actor, preview, engine=world.engine, today=world.today)
    shown = err.value.message + "\n" + "\n".join(err.value.details)
    assert message in shown, shown
    assert counts(world.engine) == before  # NOTHING written
    return err.value


STARS_HEAD = "社区,星级,状态,得分,评定日期\n"
GOOD_ROW = "中兴,支部过硬星,已达标,95,2024-01-05\n"


@pytest.mark.parametrize(("data", "name", "message"), [
    (bytes(range(256)) * 8, "乱码.csv", "不是文本格式的 CSV"),
    (b"\xa4\xa4\xbf\xb3\x2c\xe4\xb8\xad\x2c\x80\xff\n" * 5, "乱码.csv", "无法识别编码或内容已损坏"),
    ((STARS_HEAD + GOOD_ROW).encode("utf-16-le"), "无BOM.csv", "不是文本格式的 CSV"),
    ("社區,星級,狀態,得分,評定日期\n中興,支部過硬星,已達標,95,2024-01-05\n".encode("big5"), "繁体.csv", "无法识别编码"),
    (b"PK\x03\x04 not really a zip", "坏.xlsx", "不是有效的 Excel（.xlsx）文件"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "旧.xls", "旧版 Excel（.xls）"),
    (("社区,状态,得分\n" + "中兴,已达标,95\n").encode(), "少列.csv", "缺少必需的列：「星级」「评定日期」"),
    (STARS_HEAD.encode(), "空.csv", "只有表头，没有数据行"),
    ((STARS_HEAD + GOOD_ROW).encode(), "图.png", "类型不支持"),
])
def test_broken_files_are_rejected(quiet_world, data, name, message):
    world = quiet_world  # writes nothing
    _rejected(world, data, name, "五星评定", world.staff, message)


def test_oversize_rejected(quiet_world):
    world = quiet_world  # writes nothing
    data = (STARS_HEAD + GOOD_ROW * 50).encode()
    _rejected(world, data, "大.csv", "五星评定", world.staff, "超过上限 1.0 KB", max_bytes=1024)


@pytest.mark.parametrize(("rows", "message"), [
    ([GOOD_ROW, "中兴,平安法治星,已达标,abc,2024-01-05\n"], "第3行「得分」：“abc”不是数字"),
    ([GOOD_ROW, "中兴,平安法治星,已达标,101,2024-01-05\n"], "第3行「得分」：“101”不能大于100"),
    ([GOOD_ROW, "火星,平安法治星,已达标,90,2024-01-05\n"], "第3行「社区」：未知社区“火星”"),
    ([GOOD_ROW, "中兴,平安法治星,已达标,90,2025-01-05\n"], "第3行「评定日期」：2025年1月5日 晚于今天"),
    ([GOOD_ROW, "中兴,平安法治星,,90,2024-01-05\n"], "第3行「状态」：不能为空"),
    ([GOOD_ROW, GOOD_ROW.replace("95", "90")], "第3行与第2行重复（社区＋星级＋评定日期：中兴／支部过硬星／2024-01-05）"),
])
def test_one_bad_row_rejects_the_whole_file(quiet_world, rows, message):
    world = quiet_world  # writes nothing
    data = (STARS_HEAD + "".join(rows) + "中兴,幸福和谐星,创建中,70,2024-01-05\n").encode()
    preview = read(world, data, "一行错.csv", "五星评定", actor=world.staff)
    assert not preview.ok and preview.frame()["处理"].tolist()[1] == "有误"
    err = _rejected(world, data, "一行错.csv", "五星评定", world.staff, message)
    assert "未写入任何数据" in err.message


def test_permissions_per_row_at_commit(quiet_world):
    world = quiet_world  # writes nothing
    data = (STARS_HEAD + GOOD_ROW + "西华,支部过硬星,已达标,90,2024-01-05\n").encode()
    err = _rejected(world, data, "跨社区.csv", "五星评定", world.staff,
                    "第3行：社区工作人员只能修改本社区（中兴）的数据", at_commit=True, exc=PermissionDenied)
    assert "未写入任何数据" in err.message
    _rejected(world, (STARS_HEAD + GOOD_ROW).encode(), "领导.csv", "五星评定", world.leader, "领导账号仅可查看",
              at_commit=True, exc=PermissionDenied)
    _rejected(world, (STARS_HEAD + GOOD_ROW).encode(), "匿名.csv", "五星评定", None, "未登录", at_commit=True,
              exc=PermissionDenied)


def test_commit_revalidates_against_current_data(world):
    data = "户编号,状态,日期\nWH-078,已签约,2024-01-05\nWH-077,已签约,2024-01-05\n".encode()
    preview = read(world, data, "户.csv", "征迁户状态", actor=world.staff_hs)
    assert preview.ok
    from lib.writes import record_household_step
    record_household_step(world.staff_hs, code="WH-078", status="已签约", on=D(2024, 1, 3), engine=world.engine,
                          today=world.today)
    _rejected(world, data, "户.csv", "征迁户状态", world.staff_hs, "第2行「状态」：户“WH-078”已于2024年1月3日登记为「已签约」")


@pytest.mark.parametrize("kind", ledger.KIND_NAMES)
def test_round_trip_current_data_changes_nothing(world, kind):
    current = ledger.current_ledger(kind, engine=world.engine)
    assert len(current) >= 10 and list(current.columns) == KINDS[kind].headers
    before = counts(world.engine)
    preview = read(world, ledger.template_xlsx(kind, rows=current), f"{kind}.xlsx", kind, actor=world.admin)
    assert preview.ok, preview.errors[:3]
    assert (preview.inserts, preview.unchanged) == (0, len(current))
    result = ledger.commit_ledger(world.admin, preview, engine=world.engine, today=world.today)
    assert (result.inserted, result.unchanged) == (0, len(current))
    after = counts(world.engine)
    assert after == {**before, "audit_log": before["audit_log"] + 1}  # only the import summary
    again = ledger.current_ledger(kind, engine=world.engine)
    pd.testing.assert_frame_equal(again, current)


def test_staff_round_trip_of_own_community(quiet_world):
    world = quiet_world  # writes nothing
    current = ledger.current_ledger("五星评定", community="中兴", engine=world.engine)
    assert set(current["社区"]) == {"中兴"} and len(current) == 5
    current.loc[0, "得分"] = 99.0
    preview = read(world, ledger.template_xlsx("五星评定", rows=current), "改.xlsx", "五星评定", actor=world.staff)
    assert (preview.inserts, preview.corrections, preview.unchanged) == (0, 1, 4)
    frame = preview.frame()
    assert frame.loc[0, "处理"] == "更正" and " → 99" in frame.loc[0, "得分"] and preview.changed_cells() == [(0, "得分")]


def test_unknown_kind():
    with pytest.raises(ValidationError, match="未知的台账类型“人口”"):
        ledger.template_xlsx("人口")
