"""Reading and writing 台账 files: .xlsx via openpyxl, .csv in UTF-8 (with/without BOM) or GBK/GB18030.

    load_rows(data, filename, *, max_rows) -> (rows: list[(line_no, cells)], description)
    find_header(rows, columns) -> (header line, {header: cell index}, ignored headers)
    workbook_bytes(sheets) -> bytes      # plain cells, no formulas, bold header

Every failure is a ValidationError naming the file (Chinese).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import unicodedata
import zipfile
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from lib.errors import ValidationError

INSTRUCTIONS_SHEET = "填写说明"
ENCODINGS = (("utf-8-sig", "UTF-8"), ("gb18030", "GBK/GB18030"))


def _garbled(text: str) -> bool:
    """Control characters, U+FFFD or private-use characters: the bytes were not text in this encoding."""
    bad = sum(1 for ch in text if (unicodedata.category(ch) in ("Cc", "Co", "Cs") and ch not in "\t\r\n")
              or ch == "\ufffd")
    return bad > 0


def decode_csv(data: bytes, filename: str) -> tuple[str, str]:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(f"文件“{filename}”不是文本格式的 CSV（含二进制内容），请上传 .xlsx 或 CSV")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = (("utf-16", "UTF-16"),)
    else:
        candidates = ENCODINGS
    for codec, label in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if not _garbled(text):
            return text, label
    raise ValidationError(f"文件“{filename}”无法识别编码或内容已损坏：请另存为 UTF-8 或 GBK 编码的 CSV，或上传 .xlsx")


def _csv_rows(text: str, max_rows: int) -> list[tuple[int, list]]:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for line_no, cells in enumerate(reader, start=1):
            if line_no > max_rows + 10:
                raise ValidationError(f"文件超过 {max_rows} 行，请分批导入")
            rows.append((line_no, cells))
    except csv.Error as exc:
        raise ValidationError(f"CSV 格式错误（第{reader.line_num}行）：{exc}") from None
    return rows


def _xlsx_rows(data: bytes, filename: str, max_rows: int) -> list[tuple[int, list]]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ValidationError(f"文件“{filename}”不是有效的 Excel（.xlsx）文件，或已损坏（{exc.__class__.__name__}）") from None
    try:
        sheets = [ws for ws in wb.worksheets if ws.title != INSTRUCTIONS_SHEET] or list(wb.worksheets)
        rows = []
        for line_no, cells in enumerate(sheets[0].iter_rows(values_only=True), start=1):
            if line_no > max_rows + 10:
                raise ValidationError(f"文件“{filename}”超过 {max_rows} 行，请分批导入")
            rows.append((line_no, list(cells)))
        return rows
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged workbook fails in many ways
        raise ValidationError(f"文件“{filename}”读取失败，可能已损坏（{exc.__class__.__name__}）") from None
    finally:
        wb.close()


def load_rows(data: bytes, filename: str, *, max_rows: int = 20000) -> tuple[list[tuple[int, list]], str]:
    """All rows of the first data sheet (xlsx) or of the CSV, numbered as the user sees them."""
    name = (filename or "").lower()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(f"文件“{filename}”是旧版 Excel（.xls）格式，请在 Excel/WPS 中另存为 .xlsx 后上传")
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data, filename, max_rows), "Excel（.xlsx）"
    if name.endswith((".xlsx", ".xlsm")):
        raise ValidationError(f"文件“{filename}”不是有效的 Excel（.xlsx）文件，或已损坏")
    if not name.endswith((".csv", ".txt", ".tsv")):
        raise ValidationError(f"文件“{filename}”类型不支持：请上传 .xlsx 或 .csv")
    text, label = decode_csv(data, filename)
    return _csv_rows(text, max_rows), f"CSV（{label}）"


def norm_header(text: Any) -> str:
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    s = re.sub(r"[\s*【】\[\]《》]", "", s).lower()
    return s[1:-1] if s.startswith("(") and s.endswith(")") else s


def _base(text: str) -> str:
    return re.sub(r"\(.*?\)$", "", text)


def find_header(rows: list[tuple[int, list]], columns, *, scan: int = 10) -> tuple[int, dict[str, int], list[str]]:
    """The first of the top rows that names the required columns; ValidationError listing what is missing."""
    wanted = {}
    for col in columns:
        names = {norm_header(col.header), _base(norm_header(col.header))}
        names |= {norm_header(a) for a in col.aliases}
        wanted[col.header] = names
    best = None
    for idx, (line_no, cells) in enumerate(rows[:scan]):
        found, ignored = {}, []
        for i, cell in enumerate(cells):
            n = norm_header(cell)
            if not n:
                continue
            match = next((h for h, names in wanted.items() if h not in found and (n in names or _base(n) in names)), None)
            if match:
                found[match] = i
            else:
                ignored.append(str(cell).strip())
        if best is None or len(found) > len(best[1]):
            best = (idx, found, ignored, line_no, cells)
        if all(c.header in found for c in columns if c.required):
            return idx, found, ignored
    missing = [c.header for c in columns if c.required and (best is None or c.header not in best[1])]
    seen = "、".join(str(c).strip() for c in (best[4] if best else []) if c not in (None, "")) or "（空）"
    raise ValidationError(
        "缺少必需的列：" + "".join(f"「{m}」" for m in missing),
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
    if isinstance(value, (int, float, dt.date, str)):
        return value
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


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
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula stays text
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
