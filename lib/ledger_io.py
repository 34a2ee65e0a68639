"""Reading and writing 台账 files: .xlsx via openpyxl, .csv in UTF-8 (with/without BOM) or GBK/GB18030.

    load_rows(data, filename, *, max_rows, deadline) -> (rows: list[(line_no, cells)], description)
    Deadline(filename)                   # the time one upload may take (upload_read_seconds), checked per row
    inspect_zip(data, filename)          # zip-bomb guard, run before any XML is parsed
    find_header(rows, columns, filename=) -> (header line, {header: cell index}, ignored headers)
    workbook_bytes(sheets) -> bytes      # plain cells, no formulas, bold header
    csv_bytes(df) -> bytes               # UTF-8 with BOM (opens in Excel/WPS)

A formula cell whose file saved no result (a program wrote it) is read as UNCOMPUTED, never as an empty cell.
Every failure is a ValidationError naming the file (Chinese). Exports never carry a formula: text that
starts like one (= + - @ tab CR) is a quote-prefixed text cell in xlsx and gets a leading ' in CSV, which a CSV
import takes off again (unquote), so a downloaded file uploads unchanged.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import time
import unicodedata
import zipfile
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from openpyxl import DEFUSEDXML, Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple

from lib.config import Settings, settings
from lib.errors import ValidationError
from lib.text import xml_safe

# openpyxl parses every part of a workbook with defusedxml when it is installed (entity expansion,
# external entities refused); the uploads depend on that, so a missing package fails loudly here.
if not DEFUSEDXML:
    raise ImportError("defusedxml must be installed (requirements.txt): openpyxl would parse uploads unguarded")

INSTRUCTIONS_SHEET = "填写说明"
ENCODINGS = (("utf-8-sig", "UTF-8"), ("gb18030", "GBK/GB18030"))
MAX_COLUMNS = 60  # a ledger has at most nine; wider rows are cut here, not padded to 16384 cells


# Control characters (Cc but tab/CR/LF), surrogates (Cs), private use (Co) and U+FFFD: one regex pass.
_GARBLED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd\U000f0000-\U0010ffff]")


def _garbled(text: str) -> bool:
    """Control, private-use or replacement characters: the bytes were not text in this encoding."""
    return _GARBLED.search(text) is not None


def decode_csv(data: bytes, filename: str) -> tuple[str, str]:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(f"文件“{filename}”不是文本格式的 CSV（含二进制内容），请上传 .xlsx 或 CSV")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = (("utf-16", "UTF-16"),)
    else:
        candidates = ENCODINGS
    first = None
    for codec, label in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        first = text if first is None else first
        if not _garbled(text):
            return text, label
    if first is not None and not any(ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cs") for ch in first):
        line = next(i for i, row in enumerate(first.splitlines(), start=1) if _garbled(row))
        raise ValidationError(f"文件“{filename}”第{line}行含有不可见的控制字符（如 NUL），请删除后重新上传")
    raise ValidationError(f"文件“{filename}”无法识别编码或内容已损坏：请另存为 UTF-8 或 GBK 编码的 CSV，或上传 .xlsx")


class Deadline:
    """Reading and checking one upload may take `upload_read_seconds`; past it the file is refused (Chinese,
    naming the file and how far it got). Checked every `every` rows, so a check costs nothing."""

    def __init__(self, filename: str, seconds: float | None = None) -> None:
        self.filename = filename
        self.seconds = settings().upload_read_seconds if seconds is None else seconds
        self.until = time.monotonic() + self.seconds

    def check(self, count: int, *, every: int = 256, stage: str = "读取") -> None:
        """`count`: the line being read (stage 读取) or the rows checked so far (stage 预检)."""
        if count % every == 0 and time.monotonic() > self.until:
            done = f"仅读到第{count}行" if stage == "读取" else f"仅完成 {count} 行"
            raise ValidationError(f"文件“{self.filename}”内容过多：{stage} {self.seconds:g} 秒后{done}，"
                                  "已停止，未写入任何数据；请删除多余的列和空行，或分批导入")


def _csv_rows(text: str, filename: str, max_rows: int, deadline: Deadline) -> list[tuple[int, list]]:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows = []
    # strict: a quote opened and never closed is an error at the end of the file, not the rest of the file
    # silently read into one cell (two status changes lost inside a 备注)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line_no = 0
    try:
        for line_no, cells in enumerate(reader, start=1):
            if line_no > max_rows + 10:
                raise ValidationError(f"文件“{filename}”超过 {max_rows} 行，请分批导入")
            deadline.check(line_no)
            rows.append((line_no, [unquote(c) for c in cells]))
    except csv.Error as exc:
        if "end of data" in str(exc):  # the row that opened the quote: the one after the last read whole
            raise ValidationError(f"文件“{filename}”第{line_no + 1}行：引号没有闭合（从这一格起到文件末尾都会被读成一个"
                                  "单元格），请补上引号或删去多余的引号后重新上传") from None
        why = "含有 NUL 字符" if "NUL" in str(exc) else "单元格过长或引号不配对" if "field" in str(exc) else (
            "引号不配对" if "expected after" in str(exc) else "格式错误")
        raise ValidationError(f"文件“{filename}”第{reader.line_num}行{why}，无法按 CSV 读取") from None
    return rows


def _mb(n: float) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def inspect_zip(data: bytes, filename: str, *, limits: Settings | None = None) -> None:
    """Refuse a zip that would inflate too far (zip bomb), too steeply, or into too many entries —
    from the sizes its directory declares (zipfile never inflates an entry past its declared size)."""
    limits = limits or settings()
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise ValidationError(f"文件“{filename}”不是有效的 Excel（.xlsx）文件，或已损坏") from None
    if len(infos) > limits.upload_max_entries:
        raise ValidationError(f"文件“{filename}”内含 {len(infos)} 个部件，超过上限 {limits.upload_max_entries} 个，"
                              "不像正常的 Excel 文件，已拒绝")
    total = sum(i.file_size for i in infos)
    if total > limits.upload_max_inflated_mb * 1024 * 1024:
        raise ValidationError(f"文件“{filename}”解压后达 {_mb(total)}，超过上限 {limits.upload_max_inflated_mb} MB，"
                              "已拒绝（请删除无关的工作表、图片，或分批导入）")
    strings = sum(i.file_size for i in infos if i.filename.lower().endswith("sharedstrings.xml"))
    if strings > limits.upload_max_shared_strings_mb * 1024 * 1024:
        raise ValidationError(f"文件“{filename}”的共享文字表解压后达 {_mb(strings)}，超过上限 "
                              f"{limits.upload_max_shared_strings_mb} MB，已拒绝（请分批导入，或另存为 CSV）")
    for i in infos:
        if i.file_size > 1024 * 1024 and i.file_size > limits.upload_max_ratio * max(i.compress_size, 1):
            raise ValidationError(f"文件“{filename}”中的“{i.filename[:60]}”压缩比异常（{_mb(i.file_size)} 压缩为 "
                                  f"{_mb(i.compress_size)}，超过 {limits.upload_max_ratio} 倍），疑为恶意文件，已拒绝")


def percent_text(value: float) -> str:
    """A percent-formatted cell's number as the text Excel shows: 0.77 → 「77%」."""
    return f"{round(value * 100, 9):g}%"


def _cell(cell: Any) -> Any:
    value = getattr(cell, "value", None)
    number_format = getattr(cell, "number_format", "") or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in number_format:
        return percent_text(value)  # what the user sees; the number parser reads it as 77 (百分比)
    return value


class Uncomputed(str):
    """A formula cell whose file holds no saved result (written by a program, never opened in Excel): not an empty
    cell — the ledger refuses it, naming the row and column, where reading it as empty would drop the value unsaid."""


UNCOMPUTED = Uncomputed("（公式，无计算结果）")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _uncomputed_cells(wb: Any, ws: Any) -> set[tuple[int, int]]:
    """(row, column) of each formula cell without a saved result: <f> with no <v>, or an empty <v> on a cell that is
    not a text result (Excel saves a formula's "" as t="str" with an empty <v>)."""
    archive, path = getattr(wb, "_archive", None), getattr(ws, "_worksheet_path", None)
    if archive is None or not path:
        return set()
    xml = archive.read(path)
    if not _FORMULA.search(xml):
        return set()
    found, row, col = set(), 0, 0
    for event, el in iterparse(io.BytesIO(xml), events=("start", "end")):
        tag = el.tag.rsplit("}", 1)[-1]
        if event == "start" and tag == "row":
            row, col = int(el.get("r") or row + 1), 0
        elif event == "end" and tag == "c":
            ref = el.get("r")
            row_at, col = coordinate_to_tuple(ref) if ref else (row, col + 1)
            parts = {child.tag.rsplit("}", 1)[-1]: child for child in el}
            if "f" in parts and (parts.get("v") is None or (not parts["v"].text and el.get("t") != "str")):
                found.add((row_at, col))
            el.clear()
    return found


def _xlsx_rows(data: bytes, filename: str, max_rows: int, deadline: Deadline) -> list[tuple[int, list]]:
    inspect_zip(data, filename)
    where, line_no = "", 0
    wb = None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = [ws for ws in wb.worksheets if ws.title != INSTRUCTIONS_SHEET] or list(wb.worksheets)
        if not sheets:
            raise ValidationError(f"文件“{filename}”没有工作表")
        ws = sheets[0]
        where = f"工作表“{ws.title}”"
        ws.reset_dimensions()  # the file's own size tag may understate its rows (rows past it were dropped unsaid)
        uncomputed = _uncomputed_cells(wb, ws)
        rows = []
        for line_no, cells in enumerate(ws.iter_rows(max_col=MAX_COLUMNS), start=1):
            deadline.check(line_no)
            values = [UNCOMPUTED if (line_no, i) in uncomputed else _cell(c) for i, c in enumerate(cells, start=1)]
            if all(v is None for v in values):  # empty, perhaps formatted: not a row of data, not counted
                continue
            if len(rows) >= max_rows + 10:
                raise ValidationError(f"文件“{filename}”{where}超过 {max_rows} 行，请分批导入")
            rows.append((line_no, values))
        return rows
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged or hostile workbook fails in many ways (ParseError, …)
        at = f"{where}第{line_no + 1}行附近" if where else "工作簿"
        causes, cause = [], exc
        while cause is not None and len(causes) < 5:  # openpyxl wraps the parser's error in a ValueError
            causes.append(cause)
            cause = cause.__cause__ or cause.__context__
        hostile = any(isinstance(c, DefusedXmlException) for c in causes)
        why = "含有被禁止的 XML 实体或文档类型声明（疑为恶意文件）" if hostile else "已损坏或不完整"
        raise ValidationError(f"文件“{filename}”不是有效的 Excel（.xlsx）文件：{at}{why}（{exc.__class__.__name__}），"
                              "请在 Excel/WPS 中打开并另存为 .xlsx 后重新上传") from None
    finally:
        if wb is not None:
            wb.close()


def load_rows(data: bytes, filename: str, *, max_rows: int = 20000,
              deadline: Deadline | None = None) -> tuple[list[tuple[int, list]], str]:
    """All rows of the first data sheet (xlsx) or of the CSV, numbered as the user sees them."""
    deadline = deadline or Deadline(filename)
    name = (filename or "").lower()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(f"文件“{filename}”是旧版 Excel（.xls）格式，请在 Excel/WPS 中另存为 .xlsx 后上传")
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data, filename, max_rows, deadline), "Excel（.xlsx）"
    if name.endswith((".xlsx", ".xlsm")):
        raise ValidationError(f"文件“{filename}”不是有效的 Excel（.xlsx）文件，或已损坏")
    if not name.endswith((".csv", ".txt", ".tsv")):
        raise ValidationError(f"文件“{filename}”类型不支持：请上传 .xlsx 或 .csv")
    text, label = decode_csv(data, filename)
    return _csv_rows(text, filename, max_rows, deadline), f"CSV（{label}）"


def norm_header(text: Any) -> str:
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    s = re.sub(r"[\s*【】\[\]《》]", "", s).lower()
    return s[1:-1] if s.startswith("(") and s.endswith(")") else s


def _base(text: str) -> str:
    return re.sub(r"\(.*?\)$", "", text)


def find_header(rows: list[tuple[int, list]], columns, *, filename: str = "",
                scan: int = 10) -> tuple[int, dict[str, int], list[str]]:
    """The first of the top rows that names the required columns; ValidationError listing what is missing,
    or naming the column letters when two columns carry the same header."""
    wanted = {}
    for col in columns:
        names = {norm_header(col.header), _base(norm_header(col.header))}
        names |= {norm_header(a) for a in col.aliases}
        wanted[col.header] = names
    file = f"文件“{filename}”" if filename else "文件"
    best = None
    for idx, (line_no, cells) in enumerate(rows[:scan]):
        found, ignored, twice = {}, [], []
        for i, cell in enumerate(cells):
            n = norm_header(cell)
            if not n:
                continue
            match = next((h for h, names in wanted.items() if n in names or _base(n) in names), None)
            if match is None:
                ignored.append(str(cell).strip())
            elif match in found:
                twice.append((match, found[match], i))
            else:
                found[match] = i
        if best is None or len(found) > len(best[1]):
            best = (idx, found, ignored, line_no, cells)
        if all(c.header in found for c in columns if c.required):
            if twice:
                raise ValidationError(
                    f"{file}第{line_no}行表头有重复的列：" + "；".join(
                        f"第{get_column_letter(a + 1)}列和第{get_column_letter(b + 1)}列都是“{h}”" for h, a, b in twice),
                    details=["请删除或改名其中一列，只保留要导入的那一列"])
            return idx, found, ignored
    missing = [c.header for c in columns if c.required and (best is None or c.header not in best[1])]
    seen = "、".join(str(c).strip() for c in (best[4] if best else []) if c not in (None, "")) or "（空）"
    raise ValidationError(
        f"{file}缺少必需的列：" + "".join(f"「{m}」" for m in missing),
        details=[f"第{best[3] if best else 1}行的表头为：{seen[:200]}",
                 "请使用「下载模板」中的表头；如表头显示为乱码，请将文件另存为 UTF-8 或 GBK 编码的 CSV，或直接上传 .xlsx"])


def cell_value(value: Any) -> Any:
    """A DataFrame value as a plain, formula-free Excel cell value."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "是" if value else "否"
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return cell_value(value.item())
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str):
        return xml_safe(value)  # whatever was stored before the text rule: never an unreadable file
    if isinstance(value, (int, float, dt.date)):
        return value
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell for a CSV export: one that a spreadsheet would run as a formula gets a leading ' — and so does
    one that already starts with ' before such a character, so that `unquote` gives every text back as it was."""
    return "'" + value if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS) else value


def unquote(cell: str) -> str:
    """A CSV cell as it was before `neutralise`: the one ' it put before = + - @ (tab, CR) is taken off."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS) else cell


def csv_bytes(df) -> bytes:
    """A DataFrame as UTF-8 CSV with BOM, every text cell neutralised (headers too)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(str(c)) for c in df.columns])
    for row in df.itertuples(index=False):
        writer.writerow(["" if (v := cell_value(x)) is None else neutralise(v) for x in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def workbook_bytes(sheets: list[tuple[str, list[list[Any]], int | None]]) -> bytes:
    """Sheets of (title, rows, header_row_index or None) → .xlsx bytes; strings are never formulas."""
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for title, rows, header_at in sheets:
        ws = wb.create_sheet(re.sub(r"[\[\]:*?/\\]", "_", title)[:31] or "Sheet1")
        widths: dict[int, int] = {}
        for r, row in enumerate(rows, start=1):
            for c, raw in enumerate(row, start=1):
                value = cell_value(raw)
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"  # text that looks like a formula stays text …
                    cell.quotePrefix = True  # … also when someone edits the cell in Excel/WPS
                if isinstance(value, (dt.date, dt.datetime)):
                    cell.number_format = "yyyy-mm-dd" if not isinstance(value, dt.datetime) or \
                        value.time() == dt.time() else "yyyy-mm-dd hh:mm"
                if header_at is not None and r == header_at:
                    cell.font = bold
                shown = len(str(value)) if not isinstance(value, (dt.date, dt.datetime)) else 10
                widths[c] = max(widths.get(c, 8), min(60, shown * 2 + 2))
        for c, w in widths.items():
            ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = w
        if header_at:
            ws.freeze_panes = ws.cell(row=header_at + 1, column=1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
