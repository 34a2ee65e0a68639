"""Dates in tables read 「2023年11月22日」 too: st.dataframe drew a date column as 「2023-11-22」 (the 数据来源 page's
「截至」). Every table on every page, signed out and as an administrator, either shows dates as Chinese text or gives
its date columns a Chinese format (which keeps them sortable as dates)."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from staff_apptest import APP, STAFF_PAGES, _staff_templates, clean, engine, session_cookie  # noqa: F401
from streamlit.testing.v1 import AppTest

PAGES = ["overview", "stars", "model_communities", "relocation", "eldercare", "profiles", "checks", "sources", "my_checks",
         "users", "audit", "geo_import", "account"]
CHINESE = ("YYYY年M月D日", "YYYY年M月D日 HH:mm", "YYYY年M月D日 HH:mm:ss")


def _is_date(col: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(col):
        return True
    values = col.dropna()
    return not values.empty and all(isinstance(v, (dt.date, dt.datetime)) for v in values)


def _bad_columns(at: AppTest, page: str) -> list[str]:
    out = []
    for grid in at.dataframe:
        config = json.loads(grid.proto.columns or "{}")
        for name in grid.value.columns:
            if _is_date(grid.value[name]):
                fmt = (config.get(str(name)) or {}).get("type_config", {}).get("format")
                if fmt not in CHINESE:
                    out.append(f"{page}: 「{name}」 {fmt!r}")
    return out


def test_tables_show_dates_in_chinese(engine):  # noqa: F811 - the imported fixture
    bad = []
    for token in (None, session_cookie("admin")):
        for page in PAGES + sorted(STAFF_PAGES):
            at = AppTest.from_file(APP, default_timeout=60)
            if token:
                at.session_state["auth.token"] = token
            at.run()
            at = clean(at.switch_page(f"pages/{page}.py").run())
            bad += _bad_columns(at, page)
    assert not bad, bad
