"""A ledger upload never loses rows without saying so.

- An .xlsx whose own size tag (`<dimension>`) understates its rows (some tools write it wrong) was cut at the
  tag: 2 of 7 rows previewed with no word, then 「新增 2 条」.
- A CSV cell that opens a quote and never closes it swallowed the rest of the file into one 备注, a
  status change to 已命名示范社区 with it.
- Empty rows that only carry formatting (a user bolding a range) counted towards the 20 000-row limit: a 2-row
  sheet was refused as 「超过 20000 行」.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from abuse_helpers import assert_unchanged, row_counts
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import func, select
from staff_fixtures import _staff_templates, quiet_world, world  # noqa: F401
from test_abuse_ledgers import CENTRE, _commit, occupancy_rows, with_sheet

from lib import ledger
from lib.db import session_scope
from lib.errors import DashboardError
from lib.ledger_kinds import KINDS
from lib.models import CareOccupancy

DAYS = [dt.date(2024, 1, d) for d in range(5, 12)]


def _stored(world) -> set[dt.date]:
    with session_scope(world.engine) as s:
        return set(s.scalars(select(CareOccupancy.day).where(CareOccupancy.day.in_(DAYS))))


def test_an_understated_size_tag_does_not_cut_rows(world):
    rows = occupancy_rows(*[[CENTRE, d.isoformat(), 40] for d in DAYS])
    preview = _commit(world, with_sheet("每日入住", rows, dimension="A1:C3"), "维度.xlsx", "每日入住")
    assert len(preview.rows) == len(DAYS)
    assert _stored(world) == set(DAYS)


def test_an_unclosed_quote_is_refused_naming_its_row(quiet_world):
    data = ("社区,状态,生效日期,备注\n中兴,创建中,2024-01-05,\"见附件\n"
            "中兴,已命名示范社区,2024-01-06,市指挥部命名\n中兴,创建中,2024-01-07,x\n").encode()
    before = row_counts(quiet_world.engine)
    with pytest.raises(DashboardError) as refused:
        ledger.read_ledger(data, "引号.csv", "示范社区状态", actor=quiet_world.admin, engine=quiet_world.engine,
                           today=quiet_world.today)
    assert refused.value.message == ("文件“引号.csv”第2行：引号没有闭合（从这一格起到文件末尾都会被读成一个单元格），"
                                     "请补上引号或删去多余的引号后重新上传")
    assert_unchanged(quiet_world.engine, before)


def test_formatted_empty_rows_do_not_count_towards_the_limit(world):
    wb = Workbook()
    ws = wb.active
    ws.append(KINDS["每日入住"].headers)
    for d in DAYS[:2]:
        ws.append([CENTRE, d.isoformat(), 40])
    for r in range(4, 30001):
        ws.cell(row=r, column=1).font = Font(bold=True)
    out = io.BytesIO()
    wb.save(out)
    preview = _commit(world, out.getvalue(), "格式.xlsx", "每日入住")
    assert len(preview.rows) == 2
    with session_scope(world.engine) as s:
        assert s.scalar(select(func.count()).select_from(CareOccupancy).where(CareOccupancy.day.in_(DAYS))) == 2


def _with_formulas(kind: str, rows: list[list]) -> bytes:
    """A workbook as a program writes it (openpyxl, a report script): formulas with no saved result."""
    wb = Workbook()
    ws = wb.active
    ws.append(KINDS[kind].headers)
    for row in rows:
        ws.append(row)
    ws.append([None] * 6 + ["=COUNTA(A2:A3)"])  # a tally outside the imported columns: not data, not refused
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_formula_with_no_saved_result_is_refused_naming_its_cell(quiet_world):
    """An optional column's formula with no cached value was read as empty, unsaid: the 得分 vanished.
    (In a required column it was refused as 「不能为空」, which sends the user looking for an empty cell.)"""
    data = _with_formulas("五星评定", [["中兴", "支部过硬星", "已达标", "=90+2", "2024-01-05"],
                                   ["中兴", "=\"产业\"&\"发展星\"", "已达标", 88, "2024-01-05"]])
    before = row_counts(quiet_world.engine)
    preview = ledger.read_ledger(data, "公式.xlsx", "五星评定", actor=quiet_world.admin, engine=quiet_world.engine,
                                 today=quiet_world.today)
    why = "：是公式，但文件中没有保存计算结果（程序生成的表格常见），请在 Excel/WPS 中打开、保存后重新上传"
    assert preview.errors == ["第2行「得分」" + why, "第3行「星级」" + why]
    with pytest.raises(DashboardError):
        ledger.commit_ledger(quiet_world.admin, preview, engine=quiet_world.engine, today=quiet_world.today)
    assert_unchanged(quiet_world.engine, before)


def test_a_formula_with_its_saved_result_is_read_as_that_result(world):
    """What Excel saves (the formula and its result) imports as the result, as before."""
    data = _with_formulas("五星评定", [["中兴", "支部过硬星", "已达标", "=90+2", "2024-01-05"]])
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts[sheet] = parts[sheet].replace(b"<f>90+2</f><v></v>", b"<f>90+2</f><v>92</v>").replace(
        b"<f>90+2</f><v />", b"<f>90+2</f><v>92</v>")
    assert b"<v>92</v>" in parts[sheet]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    preview = _commit(world, out.getvalue(), "已保存.xlsx", "五星评定")
    assert [r.values["得分"] for r in preview.rows] == [92]
