"""The pack's figures as an xlsx: every figure printed, with its source kind, citation or author, and date."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from lib.briefing.model import NOT_SET, Pack
from lib.fmt import cn_date
from lib.panels import Header
from lib.text import xml_safe

# 数据说明: what lib knows is questionable about a figure (PackFigure.warning), in the figure's own row
HEADER = ["板块", "指标", "数值", "来源类型", "出处（原文）或录入人", "日期", "较上次汇报", "预警", "数据说明"]
WIDTHS = [8, 30, 26, 10, 70, 16, 36, 6, 50]
NOTE_COLUMN = HEADER.index("数据说明")
ALERT_HEADER = ["类型", "社区", "日期", "预警"]  # one row per lib.alerts alert, the line as on the wall
ALERT_WIDTHS = [12, 10, 14, 90]
CN_DATE_FORMAT = 'yyyy"年"m"月"d"日"'  # a real date cell, shown as 2023年11月22日 (as on every page)


def render_xlsx(pack: Pack) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "简报数字"
    ws.append([f"光武街道基层治理汇报材料 · {pack.scope_label}"])
    ws.append([Header(pack.data_as_of, pack.as_of).text,  # the screen's words: the newest data, each figure's own date
               f"上次汇报日期 {cn_date(pack.last_briefing) if pack.last_briefing else NOT_SET}"])
    ws.append(HEADER)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3F4F6")
    for f in pack.figures:
        # Text cells (data_type "s"): a value starting with "=" stays text, never a formula.
        # a figure reported after the shown date says so, as the PDF does (a bare later date reads as that day's)
        day = f"报道于{cn_date(f.date)}" if f.reported_later and f.date else f.date
        ws.append([xml_safe(v) if isinstance(v, str) else v for v in (
            f.panel, f.label, f.value_text, f.source_kind, f.citation, day, f.delta_text, "是" if f.alert else "",
            f.warning)])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
        ws.cell(ws.max_row, 6).number_format = CN_DATE_FORMAT
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[chr(64 + i)].width = width
    for row in ws.iter_rows(min_row=4):
        for col in (4, NOTE_COLUMN):
            row[col].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A4"
    alerts = wb.create_sheet("预警")
    alerts.append(ALERT_HEADER)
    rows = {r[3]: r for r in pack.alert_rows}
    for a in pack.alerts or ["无预警"]:
        kind, community, on, line = rows.get(a, ("", "", None, a))
        alerts.append([kind, community, on, line])
        alerts.cell(alerts.max_row, 3).number_format = CN_DATE_FORMAT
    for col, width in zip("ABCD", ALERT_WIDTHS, strict=True):
        alerts.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
