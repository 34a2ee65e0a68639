"""A reusable 「导出 Excel」 button: any panel's DataFrame as a plain .xlsx (title in row 1, headers in row 2)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import clock
from lib.ledger import export_xlsx

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
