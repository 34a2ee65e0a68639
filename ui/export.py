"""Safe 「导出」 buttons: any panel's DataFrame as .xlsx (title in row 1, headers in row 2) or as CSV.

Both go through lib.ledger_io, which neutralises text that a spreadsheet would run as a formula
(= + - @ tab CR). st.dataframe's own toolbar download writes such cells verbatim, so it is switched
off for the whole app (`client.disableDataExport` in .streamlit/config.toml); offer these instead.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import clock
from lib.ledger import export_csv, export_xlsx

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


def dated_name(stem: str, *, suffix: str = ".xlsx") -> str:
    """「五星评定_中兴_20240105.xlsx」: a file name that says what and when."""
    return f"{stem}_{clock.today():%Y%m%d}{suffix}"


def download_xlsx(df: pd.DataFrame, *, label: str, file_name: str, key: str, title: str | None = None,
                  sheet_name: str | None = None, help: str | None = None) -> None:
    """A download button for `df` as .xlsx. Downloading does not rerun the page."""
    stem = file_name.rsplit(".", 1)[0]
    data = export_xlsx(df, sheet_name=sheet_name or stem[:31], title=title or stem)
    st.download_button(label, data, file_name=file_name, mime=XLSX_MIME, key=key, on_click="ignore",
                       icon=":material/download:", help=help or f"共 {len(df)} 行，第一行为标题，第二行为表头")


def download_csv(df: pd.DataFrame, *, label: str, file_name: str, key: str, help: str | None = None) -> None:
    """A download button for `df` as UTF-8 CSV (with BOM, so Excel/WPS open it as Chinese text)."""
    st.download_button(label, export_csv(df), file_name=file_name, mime=CSV_MIME, key=key, on_click="ignore",
                       icon=":material/download:",
                       help=help or f"共 {len(df)} 行；以 = + - @ 开头的文字前加了 ' ，不会被表格软件当作公式")
