"""Ledger exports (xlsx, CSV) neutralise formula-like text, and st.dataframe's own download is off: a cell that
starts with = + - @ must never run as a formula in Excel/WPS."""
from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from lib import ledger

EVIL = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")']


def test_xlsx_exports_never_carry_a_formula():
    df = pd.DataFrame({"文本": EVIL, "数字": [-1, 2, -3.5, 4, 5, 6, 7]})
    for data in (ledger.export_xlsx(df, sheet_name="导出", title="=标题"),
                 ledger.template_xlsx("示范社区状态", rows=pd.DataFrame(
                     {"社区": EVIL, "状态": EVIL, "生效日期": EVIL, "备注": EVIL}))):
        cells = [c for ws in load_workbook(io.BytesIO(data)) for row in ws.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t", "\r"))]
        assert len(risky) >= len(EVIL) and all(c.data_type == "s" and c.quotePrefix for c in risky)
    ws = load_workbook(io.BytesIO(ledger.export_xlsx(df, sheet_name="导出", title="t"))).active
    assert [c.value for c in ws["B"][2:5]] == [-1, 2, -3.5]  # numbers stay numbers


def test_csv_export_prefixes_formula_like_text():
    df = pd.DataFrame({"=列": EVIL, "数字": range(len(EVIL))})
    text = ledger.export_csv(df).decode("utf-8")
    assert text.startswith("\ufeff'=列,数字\r\n")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert [r[0] for r in rows[1:]] == ["'" + v for v in EVIL]
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(len(EVIL))]


def test_dataframe_toolbar_download_is_disabled():
    """st.dataframe's own CSV download writes = + - @ verbatim (Streamlit 1.67 frontend): it is switched off."""
    config = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["client"]["disableDataExport"] is True
